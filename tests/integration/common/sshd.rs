//! Real OpenSSH servers (Debian `openssh-server`) for tests, one per
//! loopback address (127.0.0.2, 127.0.0.3, ...), each with its own host key,
//! all trusting one generated user key. Runs as the current user.
//!
//! ```ignore
//! let key = UserKey::generate();
//! let a = Sshd::start("127.0.0.2", &[&key]);
//! let b = Sshd::start("127.0.0.3", &[&key]);
//! std::fs::write(home.join(".ssh/known_hosts"), a.known_hosts_line() + &b.known_hosts_line());
//! // ssh -i key.path -p a.port root@127.0.0.2 ...
//! ```
//!
//! The server runs in the foreground (`sshd -D -e`) under a `sh` watchdog
//! holding a pipe from the test process: when the test binary exits for any
//! reason the pipe closes and the watchdog kills sshd. `Drop` kills it too.
//! Sessions started through it are not killed (tests stop what they start).

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian installs the server.
pub const SSHD: &str = "/usr/sbin/sshd";

const START_DEADLINE: Duration = Duration::from_secs(30);

/// Is an OpenSSH server installed? (scripts/test.sh installs it.)
pub fn available() -> bool {
    Path::new(SSHD).is_file() && which("ssh-keygen").is_some()
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn keygen(path: &Path, comment: &str) {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .expect("run ssh-keygen");
    assert!(
        out.status.success(),
        "ssh-keygen failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A generated ed25519 user key pair (no passphrase).
pub struct UserKey {
    pub dir: tempfile::TempDir,
    /// Private key file (OpenSSH format).
    pub path: PathBuf,
    /// Public key line (`ssh-ed25519 AAAA... comment`).
    pub public: String,
}

impl UserKey {
    pub fn generate() -> UserKey {
        let dir = tempfile::Builder::new()
            .prefix("mesos-test-sshkey-")
            .tempdir()
            .unwrap();
        let path = dir.path().join("id_ed25519");
        keygen(&path, "mesos-test-user");
        let public = std::fs::read_to_string(path.with_extension("pub"))
            .unwrap()
            .trim()
            .to_string();
        UserKey { dir, path, public }
    }
}

/// The name the current user logs in as.
pub fn current_user() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| {
            let out = Command::new("id").arg("-un").output().ok()?;
            Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
        })
        .unwrap_or_else(|| "root".into())
}

/// A running sshd on one address.
pub struct Sshd {
    pub ip: String,
    pub port: u16,
    /// `ssh-ed25519 AAAA...` of the host key.
    pub host_key: String,
    pub dir: tempfile::TempDir,
    child: Child,
    stdin: Option<ChildStdin>,
    pid_file: PathBuf,
}

impl Sshd {
    /// Start a server on `ip` (a free port) trusting `keys`.
    pub fn start(ip: &str, keys: &[&UserKey]) -> Sshd {
        let mut last = String::new();
        for _ in 0..5 {
            match Self::try_start(ip, keys) {
                Ok(s) => return s,
                Err(log) => last = log,
            }
        }
        panic!("sshd on {ip} did not start after 5 attempts; last log:\n{last}");
    }

    // The child is waited for in `stop` (Drop) or on every early return.
    #[allow(clippy::zombie_processes)]
    fn try_start(ip: &str, keys: &[&UserKey]) -> Result<Sshd, String> {
        // Privilege separation directory, needed when running as root.
        let _ = std::fs::create_dir_all("/run/sshd");
        let port = free_port_on(ip);
        let dir = tempfile::Builder::new()
            .prefix("mesos-test-sshd-")
            .tempdir()
            .unwrap();
        let host_key = dir.path().join("ssh_host_ed25519_key");
        keygen(&host_key, &format!("mesos-test-host-{ip}"));
        let host_pub = std::fs::read_to_string(host_key.with_extension("pub")).unwrap();
        let host_pub = host_pub
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        let auth = dir.path().join("authorized_keys");
        let lines: Vec<&str> = keys.iter().map(|k| k.public.as_str()).collect();
        std::fs::write(&auth, lines.join("\n") + "\n").unwrap();
        let pid_file = dir.path().join("sshd.pid");
        let cfg = dir.path().join("sshd_config");
        std::fs::write(
            &cfg,
            format!(
                "Port {port}\n\
                 ListenAddress {ip}\n\
                 HostKey {hk}\n\
                 PidFile {pid}\n\
                 AuthorizedKeysFile {auth}\n\
                 PubkeyAuthentication yes\n\
                 PasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\n\
                 PermitRootLogin prohibit-password\n\
                 StrictModes no\n\
                 UsePAM no\n\
                 PrintMotd no\n\
                 MaxSessions 100\n\
                 MaxStartups 100:30:200\n\
                 Subsystem sftp internal-sftp\n\
                 LogLevel VERBOSE\n",
                hk = host_key.display(),
                pid = pid_file.display(),
                auth = auth.display(),
            ),
        )
        .unwrap();
        let log = dir.path().join("sshd.log");
        // The watchdog: run sshd, wait for EOF on stdin, then kill it.
        let script = r#"
            "$SSHD_BIN" -D -e -f "$SSHD_CFG" >"$SSHD_LOG" 2>&1 </dev/null &
            sp=$!
            trap 'kill "$sp" 2>/dev/null; exit 0' TERM INT HUP
            while read -r _; do :; done
            kill "$sp" 2>/dev/null
            wait "$sp" 2>/dev/null
        "#;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .env("SSHD_BIN", SSHD)
            .env("SSHD_CFG", &cfg)
            .env("SSHD_LOG", &log)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn sh for sshd");
        let stdin = child.stdin.take();
        let read_log = || std::fs::read_to_string(&log).unwrap_or_default();
        let end = Instant::now() + START_DEADLINE;
        loop {
            if banner(ip, port) {
                return Ok(Sshd {
                    ip: ip.to_string(),
                    port,
                    host_key: host_pub,
                    dir,
                    child,
                    stdin,
                    pid_file,
                });
            }
            if let Ok(Some(_)) = child.try_wait() {
                return Err(read_log());
            }
            if read_log().contains("Address already in use") || Instant::now() > end {
                drop(stdin);
                let _ = child.wait();
                return Err(read_log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `[ip]:port ssh-ed25519 AAAA...` plus a newline, for known_hosts.
    pub fn known_hosts_line(&self) -> String {
        format!("[{}]:{} {}\n", self.ip, self.port, self.host_key)
    }

    /// The server's log so far (auth failures are explained there).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("sshd.log")).unwrap_or_default()
    }

    /// Run a command on this host with the OpenSSH client, as `user`.
    pub fn ssh(&self, key: &UserKey, command: &str) -> std::process::Output {
        Command::new("ssh")
            .args(["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no"])
            .args(["-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"])
            .arg("-i")
            .arg(&key.path)
            .args(["-p", &self.port.to_string()])
            .arg(format!("{}@{}", current_user(), self.ip))
            .arg(command)
            .stdin(Stdio::null())
            .output()
            .expect("run ssh")
    }

    /// Stop the server now. Idempotent.
    pub fn stop(&mut self) {
        if self.stdin.is_none() {
            return;
        }
        if let Ok(pid) = std::fs::read_to_string(&self.pid_file) {
            let _ = Command::new("kill")
                .arg(pid.trim())
                .stderr(Stdio::null())
                .status();
        }
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A free TCP port on `ip`.
pub fn free_port_on(ip: &str) -> u16 {
    std::net::TcpListener::bind((ip, 0))
        .unwrap_or_else(|e| panic!("bind {ip}:0: {e}"))
        .local_addr()
        .unwrap()
        .port()
}

/// Does `ip:port` greet with an SSH banner?
fn banner(ip: &str, port: u16) -> bool {
    let addr: SocketAddr = format!("{ip}:{port}").parse().unwrap();
    let Ok(s) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut line = String::new();
    let _ = BufReader::new(s.take(256)).read_line(&mut line);
    line.starts_with("SSH-2.0-")
}
