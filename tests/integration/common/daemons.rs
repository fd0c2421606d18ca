//! A real `mesos agent` process for tests: free loopback port, temp work
//! dir, stderr captured to a file. Dropping it stops the agent and kills
//! every task it started (tasks run in their own sessions, so killing the
//! agent alone would leave them behind). Also a minimal blocking HTTP/1.1
//! client that shows raw status, headers and bytes (no decompression, no
//! redirects), which is what routing tests need.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use super::wait_until;

/// A raw HTTP response.
#[derive(Clone, Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.text()))
    }
}

/// Send one HTTP/1.1 request (`Connection: close`) to `addr`.
pub fn request(
    addr: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Resp {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no end of headers");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(nl) = rest.windows(2).position(|w| w == b"\r\n") {
            let size_txt = String::from_utf8_lossy(&rest[..nl]);
            let size =
                usize::from_str_radix(size_txt.split(';').next().unwrap().trim(), 16).unwrap_or(0);
            rest = &rest[nl + 2..];
            if size == 0 || rest.len() < size {
                break;
            }
            out.extend_from_slice(&rest[..size]);
            rest = &rest[(size + 2).min(rest.len())..];
        }
        body = out;
    }
    Resp {
        status,
        headers,
        body,
    }
}

/// A running `mesos agent`: the same handle as [`super::cluster::Daemon`]
/// (killed with its tasks on drop); [`AgentExt`] adds what the agent tests
/// need on top (start without a real master, raw HTTP with exact bytes).
pub type AgentProc = super::cluster::Daemon;

/// Agent-test helpers on [`AgentProc`].
pub trait AgentExt: Sized {
    /// Start `mesos agent --master=<master>` (see
    /// `cluster::start_agent_unwaited`) and wait until it answers `/health`.
    fn start(master: &str, extra: &[&str]) -> Self;
    fn get(&self, target: &str) -> Resp;
    fn get_json(&self, target: &str) -> serde_json::Value;
    fn post_json(&self, target: &str, body: &serde_json::Value) -> Resp;
    /// POST to an internal endpoint as the fake master that handed out
    /// [`TEST_SESSION_TOKEN`].
    fn post_internal(&self, target: &str, body: &serde_json::Value) -> Resp;
}

/// The session token fake masters give agents at registration.
pub const TEST_SESSION_TOKEN: &str =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

impl AgentExt for AgentProc {
    fn start(master: &str, extra: &[&str]) -> AgentProc {
        let mut a = super::cluster::start_agent_unwaited(master, extra);
        let addr = a.addr();
        wait_until(Duration::from_secs(30), "agent /health", || {
            if let Ok(Some(st)) = a.child.try_wait() {
                panic!("agent exited early ({st}):\n{}", a.log());
            }
            TcpStream::connect(&addr).is_ok()
                && request(&addr, "GET", "/slave(1)/health", &[], b"").status == 200
        });
        a
    }
    fn get(&self, target: &str) -> Resp {
        request(&self.addr(), "GET", target, &[], b"")
    }
    fn get_json(&self, target: &str) -> serde_json::Value {
        let r = self.get(target);
        assert_eq!(r.status, 200, "GET {target}: {}", r.text());
        r.json()
    }
    fn post_json(&self, target: &str, body: &serde_json::Value) -> Resp {
        request(
            &self.addr(),
            "POST",
            target,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
    }
    fn post_internal(&self, target: &str, body: &serde_json::Value) -> Resp {
        let auth = format!("Bearer {TEST_SESSION_TOKEN}");
        request(
            &self.addr(),
            "POST",
            target,
            &[
                ("Content-Type", "application/json"),
                ("Authorization", auth.as_str()),
            ],
            body.to_string().as_bytes(),
        )
    }
}

/// Kill the process group of every process whose working directory is
/// under `dir` (the tasks and executors an agent started there).
pub fn kill_tasks_under(dir: &Path) {
    let Ok(dir) = std::fs::canonicalize(dir) else {
        return;
    };
    for _ in 0..3 {
        let pids = pids_with_cwd_under(&dir);
        if pids.is_empty() {
            return;
        }
        for pid in pids {
            unsafe {
                let pgid = libc::getpgid(pid as i32);
                if pgid > 1 {
                    libc::kill(-pgid, libc::SIGKILL);
                }
                libc::kill(pid as i32, libc::SIGKILL);
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Live (non-zombie) processes whose cwd is inside `dir`.
pub fn pids_with_cwd_under(dir: &Path) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(cwd) = std::fs::read_link(format!("/proc/{pid}/cwd")) else {
            continue;
        };
        if cwd.starts_with(dir) && process_alive(pid) {
            out.push(pid);
        }
    }
    out
}

/// Whether `pid` exists and is not a zombie.
pub fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => {
            let state = s
                .rfind(')')
                .and_then(|i| s[i + 1..].split_whitespace().next());
            !matches!(state, Some("Z") | Some("X") | None)
        }
        Err(_) => false,
    }
}
