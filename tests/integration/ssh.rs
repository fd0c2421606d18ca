//! `mesos ssh`, `mesos node ssh`, `mesos scp` and `mesos node exec` against
//! real OpenSSH servers on 127.0.0.2 and 127.0.0.3 (own host keys, one
//! generated user key) and bundled agents registered with those hostnames,
//! with a real task running on each.
//!
//! The sealed HOME holds `~/.ssh/known_hosts` and `~/.ssh/config` (the two
//! servers' ports) for the libssh2 commands, and the profile names the user
//! key (`ssh_key`). The system `ssh` client of `mesos ssh` / `node ssh`
//! reads the passwd home, not $HOME, so those runs pass `--port` and
//! `-o UserKnownHostsFile=...` explicitly.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::cluster::{get_json, start_agent, start_master, Daemon};
use crate::common::sshd::{self, Sshd, UserKey};
use crate::common::{Run, TestEnv};

struct Lab {
    env: TestEnv,
    key: UserKey,
    a: Sshd,
    b: Sshd,
    // Dropped before the master: agents kill their tasks.
    agents: Vec<Daemon>,
    master: Daemon,
}

impl Lab {
    fn new() -> Lab {
        assert!(
            sshd::available(),
            "these tests need OpenSSH: apt-get install -y openssh-server openssh-client (scripts/test.sh does it)"
        );
        let key = UserKey::generate();
        let a = Sshd::start("127.0.0.2", &[&key]);
        let b = Sshd::start("127.0.0.3", &[&key]);
        let master = start_master(&[]);
        let agents = ["127.0.0.2", "127.0.0.3"]
            .iter()
            .map(|ip| {
                start_agent(
                    &master,
                    &[&format!("--ip={ip}"), &format!("--hostname={ip}")],
                )
            })
            .collect();
        let env = TestEnv::new().env("MESOS_MASTER", &master.addr());
        let ssh = env.home().join(".ssh");
        std::fs::create_dir_all(&ssh).unwrap();
        std::fs::write(
            ssh.join("known_hosts"),
            a.known_hosts_line() + &b.known_hosts_line(),
        )
        .unwrap();
        std::fs::write(
            ssh.join("config"),
            format!(
                "Host 127.0.0.2\n  Port {}\nHost 127.0.0.3\n  Port {}\n",
                a.port, b.port
            ),
        )
        .unwrap();
        std::fs::write(
            env.config_path(),
            format!(
                "active = \"lab\"\n\n[profiles.lab]\nssh_key = \"{}\"\n",
                key.path.display()
            ),
        )
        .unwrap();
        Lab {
            env,
            key,
            a,
            b,
            agents,
            master,
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        self.env.run(args)
    }

    fn known_hosts(&self) -> PathBuf {
        self.env.home().join(".ssh/known_hosts")
    }

    /// Options for the system ssh client (see the module doc).
    fn ssh_opts(&self) -> Vec<String> {
        vec![
            "-o".into(),
            format!("UserKnownHostsFile={}", self.known_hosts().display()),
            "-o".into(),
            "GlobalKnownHostsFile=/dev/null".into(),
            "-o".into(),
            "BatchMode=yes".into(),
            "-o".into(),
            "LogLevel=ERROR".into(),
        ]
    }

    /// Launch a `sleep` task on the agent with this hostname; returns when it runs.
    fn task_on(&self, name: &str, host: &str) {
        self.run(&[
            "execute",
            "--detach",
            "--name",
            name,
            "-c",
            "sleep 600",
            "--constraint",
            &format!("hostname:{host}"),
        ])
        .assert_ok();
    }

    fn agent_id(&self, host: &str) -> String {
        let s = get_json(&format!("{}/master/slaves", self.master.url()));
        s["slaves"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["hostname"] == host)
            .unwrap_or_else(|| panic!("no agent {host}: {s}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// The task's sandbox from the state of the agent listening on `ip`.
fn sandbox(ip: &str, agent: &Daemon, task_id: &str) -> String {
    let st = get_json(&format!("http://{ip}:{}/slave(1)/state", agent.port));
    for fw in st["frameworks"].as_array().into_iter().flatten() {
        for ex in fw["executors"].as_array().into_iter().flatten() {
            if ex["id"] == task_id {
                return ex["directory"].as_str().unwrap().to_string();
            }
        }
    }
    panic!("no executor {task_id} in {st}");
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr))
}

fn by_host<'a>(v: &'a Value, host: &str) -> &'a Value {
    v.as_array()
        .unwrap()
        .iter()
        .find(|x| x["host"] == host)
        .unwrap_or_else(|| panic!("no {host} in {v}"))
}

#[test]
fn ssh_opens_the_task_sandbox_and_node_ssh_reaches_nodes() {
    let lab = Lab::new();
    lab.task_on("ssh-task-a", "127.0.0.2");
    lab.task_on("ssh-task-b", "127.0.0.3");
    let opts = lab.ssh_opts();
    let with = |base: &[&str], tail: &[&str]| -> Run {
        let mut v: Vec<&str> = base.to_vec();
        v.extend(opts.iter().map(String::as_str));
        v.extend_from_slice(tail);
        lab.run(&v)
    };
    let pa = lab.a.port.to_string();
    let pb = lab.b.port.to_string();

    // `ssh TASK -- pwd` prints the sandbox (key from the profile, -o as ssh options).
    let want = sandbox("127.0.0.2", &lab.agents[0], "ssh-task-a");
    let r = with(&["ssh", "ssh-task-a", "--port", &pa], &["--", "pwd"]);
    r.assert_ok();
    assert_eq!(r.stdout.trim_end(), want, "stderr: {}", r.stderr);
    // The task on the other agent, by prefix plus --agent.
    let want_b = sandbox("127.0.0.3", &lab.agents[1], "ssh-task-b");
    let r = with(
        &["ssh", "ssh-task", "--agent", "127.0.0.3", "--port", &pb],
        &["--", "pwd"],
    );
    r.assert_ok();
    assert_eq!(r.stdout.trim_end(), want_b);
    // Several words arrive as separate arguments; one word is a command line.
    let r = with(
        &["ssh", "ssh-task-a", "--port", &pa],
        &["--", "printf", "[%s]", "a b", "it's", "$HOME"],
    );
    r.assert_ok();
    assert_eq!(r.stdout, "[a b][it's][$HOME]");
    let r = with(
        &["ssh", "ssh-task-a", "--port", &pa],
        &["--", "echo one; echo two | tr a-z A-Z"],
    );
    assert_eq!(r.stdout, "one\nTWO\n");
    // The remote exit code passes through.
    let r = with(&["ssh", "ssh-task-a", "--port", &pa], &["--", "exit 7"]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    // Two matching tasks and no terminal: exit 4 listing both.
    let r = with(&["ssh", "ssh-task", "--port", &pa], &["--", "pwd"]);
    r.assert_code(4).assert_clean_error();
    assert!(
        r.stderr.contains("ssh-task-a") && r.stderr.contains("ssh-task-b"),
        "{}",
        r.stderr
    );
    // No such task: exit 4.
    with(&["ssh", "nope-task"], &["--", "pwd"]).assert_code(4);
    // An unknown host key is refused (ssh's own exit code 255) ...
    let empty = lab.env.home().join("empty_known_hosts");
    std::fs::write(&empty, "").unwrap();
    let kh = format!("UserKnownHostsFile={}", empty.display());
    let r = lab.run(&[
        "ssh",
        "ssh-task-a",
        "--port",
        &pa,
        "-o",
        &kh,
        "-o",
        "BatchMode=yes",
        "--",
        "pwd",
    ]);
    assert_eq!(r.code, 255, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    // ... unless --accept-new-host-keys, which records it.
    let r = lab.run(&[
        "ssh",
        "ssh-task-a",
        "--port",
        &pa,
        "--accept-new-host-keys",
        "-o",
        &kh,
        "-o",
        "BatchMode=yes",
        "-o",
        "LogLevel=ERROR",
        "--",
        "pwd",
    ]);
    r.assert_ok();
    assert_eq!(r.stdout.trim_end(), want);
    assert!(std::fs::read_to_string(&empty)
        .unwrap()
        .contains("ssh-ed25519"));
    // A wrong identity file: ssh fails with 255.
    let other = UserKey::generate();
    let r = with(
        &[
            "ssh",
            "ssh-task-a",
            "--port",
            &pa,
            "-i",
            other.path.to_str().unwrap(),
        ],
        &["--", "pwd"],
    );
    assert_eq!(r.code, 255, "{}", r.stderr);

    // node ssh: by hostname, by id prefix, --master HOST; lands on the right server.
    let conn = "echo $SSH_CONNECTION | cut -d' ' -f3-4";
    let r = with(&["node", "ssh", "127.0.0.3", "--port", &pb], &["--", conn]);
    r.assert_ok();
    assert_eq!(r.stdout.trim_end(), format!("127.0.0.3 {pb}"));
    let id = lab.agent_id("127.0.0.2");
    let r = with(&["node", "ssh", &id, "--port", &pa], &["--", conn]);
    r.assert_ok();
    assert_eq!(r.stdout.trim_end(), format!("127.0.0.2 {pa}"));
    let r = with(
        &["node", "ssh", "--master", "127.0.0.2", "--port", &pa],
        &["--", "echo", "from", "master host"],
    );
    r.assert_ok();
    assert_eq!(r.stdout, "from master host\n");
    let r = with(
        &["node", "ssh", "127.0.0.2", "--port", &pa],
        &["--", "exit 3"],
    );
    assert_eq!(r.code, 3);
    // --leader targets the leading master (127.0.0.1, where no sshd listens).
    let closed = sshd::free_port_on("127.0.0.1").to_string();
    let r = with(
        &[
            "node",
            "ssh",
            "--leader",
            "--port",
            &closed,
            "-o",
            "ConnectTimeout=5",
        ],
        &["--", "true"],
    );
    assert_eq!(r.code, 255, "{}", r.stderr);
    assert!(r.stderr.contains("127.0.0.1"), "{}", r.stderr);
    // Usage errors.
    lab.run(&["node", "ssh"])
        .assert_code(2)
        .assert_clean_error();
    lab.run(&["node", "ssh", "no-such-agent", "--", "true"])
        .assert_code(4)
        .assert_clean_error();
}

#[test]
fn scp_copies_to_every_agent_atomically_and_reports_each_host() {
    let lab = Lab::new();
    let dest = tempfile::Builder::new()
        .prefix("mesos-test-scp-")
        .tempdir()
        .unwrap();
    let src_dir = tempfile::tempdir().unwrap();
    let src = src_dir.path().join("tool.sh");
    let body: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&src, &body).unwrap();
    std::fs::set_permissions(&src, std::fs::Permissions::from_mode(0o751)).unwrap();
    set_mtime(&src, 1_600_000_000);
    let small = src_dir.path().join("notes.txt");
    std::fs::write(&small, "hello\n").unwrap();
    std::fs::set_permissions(&small, std::fs::Permissions::from_mode(0o640)).unwrap();

    let d = dest.path().to_str().unwrap();
    let r = lab.run(&[
        "scp",
        src.to_str().unwrap(),
        small.to_str().unwrap(),
        d,
        "--json",
    ]);
    r.assert_ok();
    let v = json(&r);
    assert_eq!(v.as_array().unwrap().len(), 2, "{v}");
    for host in ["127.0.0.2", "127.0.0.3"] {
        let h = by_host(&v, host);
        assert_eq!(h["status"], "ok", "{h}");
        assert_eq!(h["reason"], Value::Null);
        assert_eq!(h["bytes"], body.len() as u64 + 6, "{h}");
        assert_eq!(h["files"][0], format!("{d}/tool.sh"));
        assert_eq!(h["agent_ids"].as_array().unwrap().len(), 1);
        assert!(h["seconds"].as_f64().unwrap() > 0.0);
    }
    // Both servers served an SFTP session.
    for s in [&lab.a, &lab.b] {
        assert!(s.log().contains("subsystem 'sftp'"), "{}", s.log());
    }
    let got = dest.path().join("tool.sh");
    assert_eq!(std::fs::read(&got).unwrap(), body);
    let md = std::fs::metadata(&got).unwrap();
    assert_eq!(md.mode() & 0o7777, 0o751);
    assert_eq!(md.mtime(), 1_600_000_000);
    assert_eq!(
        std::fs::read_to_string(dest.path().join("notes.txt")).unwrap(),
        "hello\n"
    );
    assert_eq!(
        std::fs::metadata(dest.path().join("notes.txt"))
            .unwrap()
            .mode()
            & 0o7777,
        0o640
    );

    // Again over the existing files (replaced in place), table output.
    std::fs::write(&small, "second\n").unwrap();
    let r = lab.run(&["scp", small.to_str().unwrap(), d]);
    r.assert_ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("HOST") && lines[0].contains("STATUS"),
        "{}",
        r.stdout
    );
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    assert!(
        lines[1..].iter().all(|l| l.contains(" ok ")),
        "{}",
        r.stdout
    );
    assert_eq!(
        std::fs::read_to_string(dest.path().join("notes.txt")).unwrap(),
        "second\n"
    );
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(dest.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");

    // --agent and --attribute select hosts.
    let r = lab.run(&[
        "scp",
        small.to_str().unwrap(),
        d,
        "--agent",
        "127.0.0.3",
        "--json",
    ]);
    r.assert_ok();
    assert_eq!(json(&r).as_array().unwrap().len(), 1);
    let r = lab.run(&["scp", small.to_str().unwrap(), d, "--attribute", "rack:r9"]);
    r.assert_code(4).assert_clean_error();
    // A missing remote directory is named.
    let r = lab.run(&["scp", small.to_str().unwrap(), "/nonexistent/dir", "--json"]);
    r.assert_code(3);
    let v = json(&r);
    assert_eq!(by_host(&v, "127.0.0.2")["reason"], "not_found");
    // A local directory or missing file is refused before connecting.
    lab.run(&["scp", src_dir.path().to_str().unwrap(), d])
        .assert_code(2);
    lab.run(&["scp", "/no/such/file", d])
        .assert_code(1)
        .assert_clean_error();

    // One host with a changed host key: exit 3, the other still gets the file.
    let fake = UserKey::generate();
    let fake_key: String = fake
        .public
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    std::fs::write(
        lab.known_hosts(),
        lab.a.known_hosts_line() + &format!("[127.0.0.3]:{} {fake_key}\n", lab.b.port),
    )
    .unwrap();
    std::fs::remove_file(dest.path().join("notes.txt")).unwrap();
    let r = lab.run(&["scp", small.to_str().unwrap(), d]);
    r.assert_code(3);
    assert!(r.stderr.contains("HOST KEY CHANGED"), "{}", r.stderr);
    assert!(r.stderr.contains("127.0.0.3 (host key)"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let row = r
        .stdout
        .lines()
        .find(|l| l.starts_with("127.0.0.3"))
        .unwrap();
    assert!(row.contains("failed (host key)"), "{}", r.stdout);
    let row = r
        .stdout
        .lines()
        .find(|l| l.starts_with("127.0.0.2"))
        .unwrap();
    assert!(row.contains(" ok "), "{}", r.stdout);
    assert_eq!(
        std::fs::read_to_string(dest.path().join("notes.txt")).unwrap(),
        "second\n"
    );
    // --accept-new-host-keys does not override a changed key.
    let r = lab.run(&[
        "scp",
        small.to_str().unwrap(),
        d,
        "--accept-new-host-keys",
        "--json",
    ]);
    r.assert_code(3);
    assert_eq!(by_host(&json(&r), "127.0.0.3")["reason"], "host_key");

    // An unknown host: refused, then accepted and recorded with --accept-new-host-keys.
    std::fs::write(lab.known_hosts(), lab.a.known_hosts_line()).unwrap();
    let r = lab.run(&["scp", small.to_str().unwrap(), d, "--json"]);
    r.assert_code(3);
    assert_eq!(by_host(&json(&r), "127.0.0.3")["reason"], "host_key");
    let r = lab.run(&["scp", small.to_str().unwrap(), d, "--accept-new-host-keys"]);
    r.assert_ok();
    let kh = std::fs::read_to_string(lab.known_hosts()).unwrap();
    assert!(kh.contains(&format!("[127.0.0.3]:{}", lab.b.port)), "{kh}");

    // A key the servers do not trust: auth.
    let r = lab.run(&[
        "scp",
        small.to_str().unwrap(),
        d,
        "-i",
        fake.path.to_str().unwrap(),
        "--json",
    ]);
    r.assert_code(3);
    let v = json(&r);
    for host in ["127.0.0.2", "127.0.0.3"] {
        assert_eq!(by_host(&v, host)["reason"], "auth", "{v}");
    }
    // Nothing sensitive in errors: no key material.
    assert!(!r.stderr.contains("PRIVATE KEY"));
    let _ = &lab.key;
}

#[test]
fn node_exec_collects_every_hosts_output_and_exit_code() {
    let lab = Lab::new();
    // Exit 3 on 127.0.0.3 only; output on both streams.
    let cmd = "ip=$(echo $SSH_CONNECTION | cut -d' ' -f3); echo \"out $ip\"; echo \"err $ip\" >&2; [ \"$ip\" = 127.0.0.3 ] && exit 3; exit 0";
    let r = lab.run(&["node", "exec", "--json", "--", cmd]);
    r.assert_code(3);
    let v = json(&r);
    let a = by_host(&v, "127.0.0.2");
    assert_eq!(a["status"], "ok", "{a}");
    assert_eq!(a["exit_code"], 0);
    assert_eq!(a["stdout"], "out 127.0.0.2\n");
    assert_eq!(a["stderr"], "err 127.0.0.2\n");
    let b = by_host(&v, "127.0.0.3");
    assert_eq!(b["status"], "failed");
    assert_eq!(b["exit_code"], 3);
    assert_eq!(b["reason"], "exit_code");
    assert!(r.stderr.contains("127.0.0.3 (exit code)"), "{}", r.stderr);

    // Grouped output with per-host exit codes and a summary.
    let r = lab.run(&["node", "exec", "--", cmd]);
    r.assert_code(3);
    assert!(
        r.stdout
            .contains("==> 127.0.0.2 (exit 0) <==\nout 127.0.0.2\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("==> 127.0.0.3 (exit 3) <==\nout 127.0.0.3\n"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("err 127.0.0.2"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("2 hosts: 1 ok, 1 failed (127.0.0.3: exit 3)"),
        "{}",
        r.stderr
    );

    // NDJSON lines {host, stream, line}, then one exit record per host.
    let r = lab.run(&["node", "exec", "--ndjson", "--", cmd]);
    r.assert_code(3);
    let recs: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        recs.contains(
            &serde_json::json!({"host": "127.0.0.2", "stream": "stdout", "line": "out 127.0.0.2"})
        ),
        "{recs:?}"
    );
    assert!(
        recs.contains(
            &serde_json::json!({"host": "127.0.0.3", "stream": "stderr", "line": "err 127.0.0.3"})
        ),
        "{recs:?}"
    );
    let exits: Vec<&Value> = recs.iter().filter(|r| r["stream"] == "exit").collect();
    assert_eq!(exits.len(), 2);
    for e in &exits {
        let want = if e["host"] == "127.0.0.3" { 3 } else { 0 };
        assert_eq!(e["exit_code"], want, "{e}");
    }

    // Words are quoted one by one; all hosts fine -> exit 0.
    let r = lab.run(&[
        "node", "exec", "--json", "--", "printf", "%s|", "a b", "$HOME",
    ]);
    r.assert_ok();
    for x in json(&r).as_array().unwrap() {
        assert_eq!(x["stdout"], "a b|$HOME|");
    }
    // A large stderr does not stall stdout (both streams are read as they come).
    let r = lab.run(&[
        "node",
        "exec",
        "--agent",
        "127.0.0.2",
        "--json",
        "--",
        "head -c 3000000 /dev/zero | tr '\\0' e >&2; echo done",
    ]);
    r.assert_ok();
    let x = &json(&r)[0];
    assert_eq!(x["stdout"], "done\n");
    assert_eq!(x["stderr"].as_str().unwrap().len(), 3_000_000);
    // One host unreachable by key: exit 3 with the reason; the other still runs.
    std::fs::write(lab.known_hosts(), lab.a.known_hosts_line()).unwrap();
    let r = lab.run(&["node", "exec", "--json", "--", "echo hi"]);
    r.assert_code(3);
    let v = json(&r);
    assert_eq!(by_host(&v, "127.0.0.2")["stdout"], "hi\n");
    assert_eq!(by_host(&v, "127.0.0.3")["reason"], "host_key");
    assert_eq!(by_host(&v, "127.0.0.3")["exit_code"], Value::Null);
    // Missing COMMAND is a usage error.
    lab.run(&["node", "exec"]).assert_code(2);
}

fn set_mtime(p: &Path, secs: u64) {
    let ok = Command::new("touch")
        .arg("-d")
        .arg(format!("@{secs}"))
        .arg(p)
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

/// An sshd without the SFTP subsystem (the harness server, restarted with
/// its `Subsystem` line removed); killed on drop.
struct NoSftpSshd {
    inner: Sshd,
    child: std::process::Child,
}

impl NoSftpSshd {
    fn start(ip: &str, key: &UserKey) -> NoSftpSshd {
        let mut inner = Sshd::start(ip, &[key]);
        inner.stop();
        let cfg = inner.dir.path().join("sshd_config");
        let text = std::fs::read_to_string(&cfg).unwrap();
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("Subsystem"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&cfg, text).unwrap();
        let log = std::fs::File::create(inner.dir.path().join("sshd.log")).unwrap();
        let child = Command::new(sshd::SSHD)
            .args(["-D", "-e", "-f"])
            .arg(&cfg)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let addr = format!("{ip}:{}", inner.port);
        crate::common::wait_until(
            std::time::Duration::from_secs(20),
            "sshd without sftp",
            || std::net::TcpStream::connect(&addr).is_ok(),
        );
        NoSftpSshd { inner, child }
    }
}

impl Drop for NoSftpSshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn scp_falls_back_to_scp_and_the_shell_without_sftp() {
    let key = UserKey::generate();
    let s = NoSftpSshd::start("127.0.0.4", &key);
    let master = start_master(&[]);
    let _agent = start_agent(&master, &["--ip=127.0.0.4", "--hostname=127.0.0.4"]);
    let env = TestEnv::new().env("MESOS_MASTER", &master.addr());
    let ssh = env.home().join(".ssh");
    std::fs::create_dir_all(&ssh).unwrap();
    std::fs::write(ssh.join("known_hosts"), s.inner.known_hosts_line()).unwrap();
    std::fs::write(
        ssh.join("config"),
        format!(
            "Host 127.0.0.4\n  Port {}\n  IdentityFile {}\n",
            s.inner.port,
            key.path.display()
        ),
    )
    .unwrap();
    let dest = tempfile::Builder::new()
        .prefix("mesos-test-scp-")
        .tempdir()
        .unwrap();
    let d = dest.path().to_str().unwrap();
    let src_dir = tempfile::tempdir().unwrap();
    let src = src_dir.path().join("it's here.sh");
    std::fs::write(&src, "echo one\n").unwrap();
    std::fs::set_permissions(&src, std::fs::Permissions::from_mode(0o700)).unwrap();
    set_mtime(&src, 1_500_000_000);
    let r = env.run(&["scp", src.to_str().unwrap(), d, "--json"]);
    r.assert_ok();
    assert_eq!(json(&r)[0]["status"], "ok");
    let got = dest.path().join("it's here.sh");
    assert_eq!(std::fs::read_to_string(&got).unwrap(), "echo one\n");
    let md = std::fs::metadata(&got).unwrap();
    assert_eq!(md.mode() & 0o7777, 0o700);
    assert_eq!(md.mtime(), 1_500_000_000);
    // Replaced in place through the shell helper; no temporary files left.
    std::fs::write(&src, "echo two\n").unwrap();
    env.run(&["scp", src.to_str().unwrap(), d]).assert_ok();
    assert_eq!(std::fs::read_to_string(&got).unwrap(), "echo two\n");
    assert_eq!(std::fs::read_dir(dest.path()).unwrap().count(), 1);
    // A missing directory is still named.
    let r = env.run(&["scp", src.to_str().unwrap(), "/nonexistent/dir", "--json"]);
    r.assert_code(3);
    assert_eq!(json(&r)[0]["reason"], "not_found");
}
