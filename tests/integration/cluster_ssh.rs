//! `mesos cluster up|status|down|doctor -f cluster.toml` against real
//! OpenSSH servers on 127.0.0.2 and 127.0.0.3 (separate host keys, one
//! generated user key): the binary is uploaded, the master runs on one
//! "host" and agents on both; unknown host keys are refused; doctor catches
//! a taken port.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::common::sshd::{self, current_user, free_port_on, Sshd, UserKey};
use crate::common::{Run, TestEnv};

/// Two SSH "hosts", a user key, a sealed environment and a cluster file.
struct Lab {
    env: TestEnv,
    key: UserKey,
    a: Sshd,
    b: Sshd,
    file: PathBuf,
    work: tempfile::TempDir,
    master_port: u16,
    agent_port: u16,
    marathon_port: u16,
}

impl Lab {
    fn new(trust_hosts: bool) -> Lab {
        assert!(
            sshd::available(),
            "these tests need OpenSSH: apt-get install -y openssh-server openssh-client (scripts/test.sh does it)"
        );
        let key = UserKey::generate();
        let a = Sshd::start("127.0.0.2", &[&key]);
        let b = Sshd::start("127.0.0.3", &[&key]);
        let env = TestEnv::new();
        let data = env.home().join("data");
        let env = env.env("XDG_DATA_HOME", data.to_str().unwrap());
        if trust_hosts {
            let ssh = env.home().join(".ssh");
            std::fs::create_dir_all(&ssh).unwrap();
            std::fs::write(
                ssh.join("known_hosts"),
                a.known_hosts_line() + &b.known_hosts_line(),
            )
            .unwrap();
        }
        let work = tempfile::Builder::new()
            .prefix("mesos-test-remote-")
            .tempdir()
            .unwrap();
        let master_port = free_port_on("127.0.0.2");
        let mut agent_port = free_port_on("127.0.0.3");
        while agent_port == master_port {
            agent_port = free_port_on("127.0.0.3");
        }
        let mut marathon_port = free_port_on("127.0.0.2");
        while marathon_port == master_port || marathon_port == agent_port {
            marathon_port = free_port_on("127.0.0.2");
        }
        let file = env.home().join("cluster.toml");
        let mut lab = Lab {
            env,
            key,
            a,
            b,
            file,
            work,
            master_port,
            agent_port,
            marathon_port,
        };
        lab.write_spec();
        lab
    }

    /// Master (and Marathon) on 127.0.0.2, agents on both; per-host SSH ports.
    fn write_spec(&mut self) {
        let text = format!(
            r#"name = "lab"
work_dir = "{work}"

[ssh]
user = "{user}"
key_file = "{key}"

[[hosts]]
host = "127.0.0.2"
port = {pa}

[[hosts]]
host = "127.0.0.3"
port = {pb}

[masters]
hosts = ["127.0.0.2"]
port = {mp}

[agents]
hosts = ["127.0.0.2", "127.0.0.3"]
port = {ap}
resources = "cpus:1;mem:256;disk:256;ports:[34000-34010]"
attributes = "lab:yes"

[marathon]
port = {mtp}
"#,
            work = self.work.path().display(),
            user = current_user(),
            key = self.key.path.display(),
            pa = self.a.port,
            pb = self.b.port,
            mp = self.master_port,
            ap = self.agent_port,
            mtp = self.marathon_port,
        );
        std::fs::write(&self.file, text).unwrap();
    }

    fn f(&self) -> &str {
        self.file.to_str().unwrap()
    }

    fn run(&self, args: &[&str]) -> Run {
        self.env.run(args)
    }

    fn state(&self) -> Value {
        let p = self.env.home().join("data/mesos/clusters/lab/cluster.json");
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
    }

    fn known_hosts(&self) -> String {
        std::fs::read_to_string(self.env.home().join(".ssh/known_hosts")).unwrap_or_default()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Never leave daemons behind, even when an assertion failed.
        let _ = self.env.run(&[
            "cluster",
            "down",
            "-f",
            self.file.to_str().unwrap(),
            "--grace",
            "1s",
            "-q",
            "--accept-new-host-keys",
        ]);
    }
}

/// Processes running the app's command (`sleep 613`, its task).
fn app_tasks() -> Vec<u64> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u64>().ok()) else {
            continue;
        };
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        if cmd.trim_end().ends_with("sleep 613") && alive(pid) {
            out.push(pid);
        }
    }
    out
}

fn alive(pid: u64) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => s
            .rsplit_once(')')
            .is_some_and(|(_, r)| !r.trim_start().starts_with(['Z', 'X'])),
        Err(_) => false,
    }
}

#[test]
fn up_deploys_a_master_and_agents_over_ssh_and_down_stops_them() {
    let lab = Lab::new(true);
    let r = lab.run(&["cluster", "up", "-f", lab.f()]);
    r.assert_ok();
    assert!(
        r.elapsed < Duration::from_secs(60),
        "ssh up took {:?}",
        r.elapsed
    );
    let want = format!("export MESOS_MASTER=127.0.0.2:{}", lab.master_port);
    assert!(r.stdout.contains(&want), "{}", r.stdout);
    assert!(
        r.stderr.contains("127.0.0.3: "),
        "per-host progress: {}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("is ready (1 master, 2 agents, 1 marathon)"),
        "{}",
        r.stderr
    );
    let marathon_url = format!("http://127.0.0.2:{}", lab.marathon_port);
    assert!(
        r.stdout.contains(&format!("# marathon: {marathon_url}\n")),
        "{}",
        r.stdout
    );
    // The binary was uploaded (once: the hosts share this filesystem).
    let bin = lab.work.path().join("bin/mesos");
    assert!(bin.is_file());
    let st = lab.state();
    assert_eq!(st["mode"], "ssh");
    let daemons = st["daemons"].as_array().unwrap();
    assert_eq!(daemons.len(), 4, "{st}");
    assert_eq!(st["marathon"], marathon_url.as_str(), "{st}");
    let mt = daemons.iter().find(|d| d["role"] == "marathon").unwrap();
    assert_eq!(
        (mt["name"].as_str(), mt["host"].as_str()),
        (Some("marathon-1"), Some("127.0.0.2")),
        "{mt}"
    );
    for d in daemons {
        assert!(d["ssh"]["port"].as_u64().is_some(), "{d}");
        assert!(alive(d["pid"].as_u64().unwrap()), "{d} not running");
    }
    let hosts: Vec<&str> = daemons
        .iter()
        .map(|d| d["host"].as_str().unwrap())
        .collect();
    assert!(hosts.contains(&"127.0.0.3"), "{hosts:?}");
    // Each daemon runs the uploaded binary.
    let m = daemons.iter().find(|d| d["role"] == "master").unwrap();
    let exe = std::fs::read_link(format!("/proc/{}/exe", m["pid"])).unwrap();
    assert_eq!(exe, bin.canonicalize().unwrap());

    // Status over SSH + HTTP.
    let r = lab.run(&["cluster", "status", "--name", "lab", "--json"]);
    r.assert_ok();
    let s: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(s["ready"], true, "{s}");
    assert_eq!(s["mode"], "ssh");
    let agent_b = s["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["host"] == "127.0.0.3")
        .unwrap();
    assert_eq!(agent_b["active"], true, "{s}");
    assert_eq!(s["marathon"], marathon_url.as_str(), "{s}");
    let mt_status = s["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "marathon-1")
        .unwrap();
    assert_eq!(mt_status["alive"], true, "{s}");
    assert_eq!(mt_status["leader"], true, "{s}");
    assert_eq!(mt_status["registered"], true, "{s}");
    // The profile points at the remote master.
    let r = lab.run(&["agents", "--json"]);
    r.assert_ok();
    let agents: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(agents.as_array().map(Vec::len), Some(2), "{agents}");

    // `mesos app` reaches the remote Marathon through the profile; a
    // `sleep` app runs on the remote agents.
    let app = lab.env.home().join("sleepy.json");
    std::fs::write(
        &app,
        r#"{"id":"/sleepy","cmd":"sleep 613","instances":1,"cpus":0.1,"mem":32}"#,
    )
    .unwrap();
    let r = lab.run(&["app", "add", app.to_str().unwrap(), "--timeout", "90s"]);
    r.assert_ok();
    let mut task_host = String::new();
    crate::common::wait_until(Duration::from_secs(90), "/sleepy running", || {
        let r = lab.run(&["app", "tasks", "/sleepy", "--json"]);
        let tasks: Value = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
        match tasks.as_array().and_then(|t| t.first()) {
            Some(t) if t["state"] == "TASK_RUNNING" => {
                task_host = t["host"].as_str().unwrap_or("").to_string();
                true
            }
            _ => false,
        }
    });
    assert!(
        ["127.0.0.2", "127.0.0.3"].contains(&task_host.as_str()),
        "{task_host}"
    );
    assert!(!app_tasks().is_empty(), "no `sleep 613` process");

    // Again: nothing changes, the upload is skipped.
    let r = lab.run(&["cluster", "up", "-f", lab.f()]);
    r.assert_ok();
    assert!(r.stderr.contains("already running"), "{}", r.stderr);
    assert_eq!(lab.state(), st);

    // Logs over SSH.
    let r = lab.run(&["cluster", "logs", "agent-2", "--name", "lab", "-n", "20"]);
    r.assert_ok();
    assert!(r.stdout.contains("Registered with master"), "{}", r.stdout);

    let r = lab.run(&["cluster", "logs", "marathon-1", "--name", "lab", "-n", "50"]);
    r.assert_ok();
    assert!(r.stdout.contains("listening on"), "{}", r.stdout);

    // Down over SSH: nothing left (Marathon and its task included).
    let r = lab.run(&["cluster", "down", "-f", lab.f()]);
    r.assert_ok();
    assert!(r.stderr.contains("4 daemon(s) stopped"), "{}", r.stderr);
    crate::common::wait_until(Duration::from_secs(10), "the app's task gone", || {
        app_tasks().is_empty()
    });
    for d in daemons {
        assert!(!alive(d["pid"].as_u64().unwrap()), "{d} survived down");
    }
    assert!(!lab
        .env
        .home()
        .join("data/mesos/clusters/lab/cluster.json")
        .exists());
    // A second deployment reuses the uploaded binary; --no-marathon
    // starts none.
    let r = lab.run(&["cluster", "up", "-f", lab.f(), "--no-marathon"]);
    r.assert_ok();
    assert!(r.stderr.contains("binary up to date"), "{}", r.stderr);
    assert!(!r.stdout.contains("# marathon:"), "{}", r.stdout);
    let st = lab.state();
    assert!(st.get("marathon").is_none(), "{st}");
    assert!(st["daemons"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["role"] != "marathon"));
    lab.run(&["cluster", "down", "-f", lab.f(), "--purge"])
        .assert_ok();
    assert!(!bin.exists(), "purge keeps the binary");
}

#[test]
fn unknown_host_keys_are_refused_unless_accepted() {
    let lab = Lab::new(false);
    let r = lab.run(&["cluster", "up", "-f", lab.f()]);
    r.assert_code(1);
    assert!(r.stderr.contains("is not in"), "{}", r.stderr);
    assert!(r.stderr.contains("--accept-new-host-keys"), "{}", r.stderr);
    assert!(
        !lab.work.path().join("bin/mesos").exists(),
        "uploaded to an unknown host"
    );
    // Doctor says the same per host (exit 3).
    let r = lab.run(&["cluster", "doctor", "-f", lab.f()]);
    r.assert_code(3);
    assert!(r.stdout.contains("127.0.0.2  ssh"), "{}", r.stdout);
    assert!(r.stdout.contains("FAIL"), "{}", r.stdout);
    // Accepting records both keys; then everything passes.
    let r = lab.run(&["cluster", "doctor", "-f", lab.f(), "--accept-new-host-keys"]);
    r.assert_ok();
    let kh = lab.known_hosts();
    assert!(kh.contains(&lab.a.known_hosts_line()), "{kh}");
    assert!(kh.contains(&lab.b.known_hosts_line()), "{kh}");
    // A changed key is refused even with --accept-new-host-keys.
    let other = UserKey::generate();
    let fake = kh.replace(
        lab.b.host_key.split_whitespace().nth(1).unwrap(),
        other.public.split_whitespace().nth(1).unwrap(),
    );
    std::fs::write(lab.env.home().join(".ssh/known_hosts"), fake).unwrap();
    let r = lab.run(&[
        "cluster",
        "doctor",
        "-f",
        lab.f(),
        "--accept-new-host-keys",
        "--json",
    ]);
    r.assert_code(3);
    assert!(r.stdout.contains("HOST KEY CHANGED"), "{}", r.stdout);
}

#[test]
fn doctor_reports_every_check_and_catches_a_taken_port() {
    let lab = Lab::new(true);
    let r = lab.run(&["cluster", "doctor", "-f", lab.f(), "--json"]);
    r.assert_ok();
    let rows: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    let checks = |host: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r["host"] == host)
            .map(|r| r["check"].as_str().unwrap().to_string())
            .collect()
    };
    for c in ["ssh", "os/arch", "disk", "ulimit -n", "clock"] {
        assert!(checks("127.0.0.2").iter().any(|x| x == c), "{c}: {rows:?}");
    }
    assert!(checks("127.0.0.2").contains(&format!("port {}", lab.master_port)));
    assert!(rows.iter().all(|r| r["ok"] == true), "{rows:?}");
    // Someone else holds the agent port on 127.0.0.3.
    let _taken = std::net::TcpListener::bind(("127.0.0.3", lab.agent_port)).unwrap();
    let r = lab.run(&["cluster", "doctor", "-f", lab.f()]);
    r.assert_code(3);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("FAIL"))
        .unwrap_or_else(|| panic!("no FAIL row:\n{}", r.stdout));
    assert!(line.starts_with("127.0.0.3"), "{line}");
    assert!(line.contains(&format!("port {}", lab.agent_port)), "{line}");
    assert!(
        r.stderr
            .contains("error: 1 host(s) failed checks: 127.0.0.3"),
        "{}",
        r.stderr
    );
    // `up` now deploys everything else and exits 3 naming the failure.
    let r = lab.run(&["cluster", "up", "-f", lab.f()]);
    r.assert_code(3);
    assert!(r.stderr.contains("agent-2"), "{}", r.stderr);
    assert!(r.stderr.contains("Address already in use"), "{}", r.stderr);
    let r = lab.run(&["cluster", "status", "--name", "lab", "--json"]);
    r.assert_code(3);
    let s: Value = serde_json::from_str(&r.stdout).unwrap();
    let by = |n: &str| {
        s["daemons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by("master-1")["alive"], true, "{s}");
    assert_eq!(by("agent-1")["active"], true, "{s}");
    assert_eq!(by("agent-2")["alive"], false, "{s}");
}

#[test]
fn secure_up_over_ssh_installs_private_certificates_and_serves_only_https() {
    use std::os::unix::fs::PermissionsExt;
    let lab = Lab::new(true);
    let r = lab.run(&["cluster", "up", "--secure", "-f", lab.f()]);
    r.assert_ok();
    let want = format!("export MESOS_MASTER=https://127.0.0.2:{}", lab.master_port);
    assert!(r.stdout.contains(&want), "{}", r.stdout);
    assert!(
        r.stderr.contains("certificate and credentials installed"),
        "{}",
        r.stderr
    );
    // On the "hosts" (they share this work dir): the CA, a certificate and
    // key per host, the credentials; 0700 and 0600.
    let sec = lab.work.path().join("secure");
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(&sec), 0o700);
    for f in [
        "ca.crt",
        "127.0.0.2.crt",
        "127.0.0.2.key",
        "127.0.0.3.crt",
        "127.0.0.3.key",
        "credentials.json",
        "http_credentials.json",
        "agent_credential.json",
        "marathon.secret",
    ] {
        assert_eq!(mode(&sec.join(f)), 0o600, "{f}");
    }
    // The operator's secret stays on this machine.
    assert!(!sec.join("admin.secret").exists());
    let here = lab.env.home().join("data/mesos/clusters/lab/secure");
    assert_eq!(mode(&here.join("admin.secret")), 0o600);
    let secret = std::fs::read_to_string(here.join("admin.secret")).unwrap();
    // Daemons run with TLS on and no secret on their command lines.
    let st = lab.state();
    for d in st["daemons"].as_array().unwrap() {
        assert_eq!(d["tls"], true, "{d}");
        let cmd = std::fs::read(format!("/proc/{}/cmdline", d["pid"])).unwrap();
        assert!(!String::from_utf8_lossy(&cmd).contains(secret.trim_end()));
    }
    // The profile works (https, CA, credentials); every daemon is secured.
    let r = lab.run(&["agents", "--json"]);
    r.assert_ok();
    let agents: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(agents.as_array().map(Vec::len), Some(2), "{agents}");
    // Marathon serves https and `mesos app` reaches it with the profile's
    // CA and credentials.
    assert_eq!(
        st["marathon"],
        format!("https://127.0.0.2:{}", lab.marathon_port),
        "{st}"
    );
    let r = lab.run(&["app", "list", "--json"]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), "[]", "{}", r.stdout);
    // It subscribed as the authenticated framework `marathon`: an app runs.
    let app = lab.env.home().join("sleepy.json");
    std::fs::write(
        &app,
        r#"{"id":"/sleepy","cmd":"sleep 613","instances":1,"cpus":0.1,"mem":32}"#,
    )
    .unwrap();
    lab.run(&["app", "add", app.to_str().unwrap(), "--timeout", "90s"])
        .assert_ok();
    crate::common::wait_until(Duration::from_secs(90), "/sleepy running", || {
        let r = lab.run(&["app", "tasks", "/sleepy", "--json"]);
        r.code == 0 && r.stdout.contains("TASK_RUNNING")
    });
    let r = lab.run(&["cluster", "doctor", "--name", "lab", "--json"]);
    r.assert_ok();
    let rows: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    for d in ["master-1", "agent-1", "agent-2", "marathon-1"] {
        for c in ["tls", "auth"] {
            assert!(
                rows.iter()
                    .any(|r| r["host"] == d && r["check"] == c && r["ok"] == true),
                "{d}/{c}: {rows:?}"
            );
        }
    }
    // With the file too: the ports are the cluster's own, not a failure.
    let r = lab.run(&["cluster", "doctor", "-f", lab.f(), "--json"]);
    r.assert_ok();
    let rows: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    let port = format!("port {}", lab.master_port);
    let row = rows
        .iter()
        .find(|r| r["host"] == "127.0.0.2" && r["check"] == port.as_str())
        .unwrap_or_else(|| panic!("no {port} row: {rows:?}"));
    assert!(
        row["detail"].as_str().unwrap().contains("master-1"),
        "{row}"
    );
    assert!(rows.iter().any(|r| r["check"] == "ssh"), "{rows:?}");
    assert!(rows.iter().any(|r| r["check"] == "tls"), "{rows:?}");
    // down --purge removes the security files from the hosts too.
    lab.run(&["cluster", "down", "-f", lab.f(), "--purge"])
        .assert_ok();
    assert!(!sec.exists(), "security files left on the hosts");
}
