//! Unit tests of the local cluster.

use super::*;

#[test]
fn agents_get_their_own_port_ranges() {
    assert_eq!(
        agent_resources(None, 1).as_deref(),
        Some("ports:[31000-31999]")
    );
    assert_eq!(
        agent_resources(None, 2).as_deref(),
        Some("ports:[32000-32999]")
    );
    assert_eq!(
        agent_resources(Some("cpus:2;mem:1024"), 2).as_deref(),
        Some("cpus:2;mem:1024;ports:[32000-32999]")
    );
    assert_eq!(
        agent_resources(Some("cpus:2;ports:[5000-5010]"), 2).as_deref(),
        Some("cpus:2;ports:[5000-5010]")
    );
    assert_eq!(
        agent_resources(Some("ports(web):[1-2]"), 1).as_deref(),
        Some("ports(web):[1-2]")
    );
    assert_eq!(agent_resources(None, 40), None);
}

#[test]
fn glog_lines_name_their_process() {
    assert_eq!(
        glog_pid("I1122 00:47:36.429807  23873 mod.rs:283] x"),
        Some(23873)
    );
    assert_eq!(glog_pid("error: cannot listen"), None);
    assert_eq!(glog_pid("Itself"), None);
}

#[test]
fn the_telling_error_line_is_picked() {
    let lines: Vec<String> = [
        "I0101 starting",
        "E0101 12:00:00 Failed to bind",
        "Every line",
        "I0101 bye",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(
        last_error(&lines).as_deref(),
        Some("E0101 12:00:00 Failed to bind")
    );
    let lines = vec!["error: cannot listen".to_string(), "x".to_string()];
    assert_eq!(last_error(&lines).as_deref(), Some("error: cannot listen"));
    assert_eq!(last_error(&["a".into()]), None);
    assert_eq!(last_error(&[]), None);
}

fn plan(secure: Option<&str>) -> Plan {
    Plan {
        dir: PathBuf::from("/c"),
        binary: PathBuf::from("/bin/mesos"),
        name: "dev".into(),
        master: "127.0.0.1:5050".into(),
        zk: None,
        quorum: None,
        agent_resources: None,
        agent_attributes: None,
        master_flags: vec!["--extra".into()],
        agent_flags: vec![],
        zk_install: None,
        secure: secure.map(str::to_string),
    }
}

#[test]
fn secured_daemons_get_tls_env_and_auth_flags() {
    let p = plan(Some("/c/secure"));
    let m = p.master(1, 5050);
    assert!(m.rec.tls);
    assert_eq!(m.rec.url(), "https://127.0.0.1:5050");
    let env: Vec<String> = m.rec.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert!(
        env.contains(&"LIBPROCESS_SSL_ENABLED=true".to_string()),
        "{env:?}"
    );
    assert!(env.contains(&"LIBPROCESS_SSL_CERT_FILE=/c/secure/127.0.0.1.crt".to_string()));
    assert!(m
        .rec
        .args
        .contains(&"--credentials=/c/secure/credentials.json".to_string()));
    assert!(m.rec.args.contains(&"--authenticate_agents".to_string()));
    // The user's extra flags come last.
    assert_eq!(m.rec.args.last().unwrap(), "--extra");
    let a = p.agent(1, 5051);
    assert!(a.rec.tls && !a.rec.env.is_empty());
    assert!(a
        .rec
        .args
        .contains(&"--credential=/c/secure/agent_credential.json".to_string()));
    assert!(a.rec.args.contains(&"--master=127.0.0.1:5050".to_string()));

    let plain = plan(None);
    let m = plain.master(1, 5050);
    assert!(!m.rec.tls && m.rec.env.is_empty());
    assert_eq!(m.rec.url(), "http://127.0.0.1:5050");
    assert!(!m.rec.args.iter().any(|a| a.starts_with("--authenticate")));
}

#[test]
fn validation_names_the_bad_flag() {
    let base = UpOptions {
        name: "local".into(),
        masters: 1,
        agents: 2,
        zk: None,
        agent_resources: None,
        agent_attributes: None,
        master_flags: vec![],
        agent_flags: vec![],
        timeout: DEFAULT_TIMEOUT,
        secure: false,
        marathon: true,
    };
    validate(&base).unwrap();
    let bad = |f: &dyn Fn(&mut UpOptions)| {
        let mut o = base.clone();
        f(&mut o);
        validate(&o).unwrap_err()
    };
    let e = bad(&|o| o.masters = 2);
    assert_eq!(e.exit_code(), 2);
    let e = bad(&|o| o.agent_resources = Some("cpus:lots".into()));
    assert!(e.message.contains("--agent-resources"), "{}", e.message);
    let e = bad(&|o| o.agent_attributes = Some(":".into()));
    assert!(e.message.contains("--agent-attributes"), "{}", e.message);
    let e = bad(&|o| o.zk = Some("m1:5050".into()));
    assert!(e.message.contains("--zk"), "{}", e.message);
    let e = bad(&|o| o.agent_flags = vec!["isolation=x".into()]);
    assert_eq!(e.exit_code(), 2);
}

#[test]
fn marathon_daemons_get_the_documented_command_line() {
    let p = plan(None);
    let m = p.marathon(1, 8080);
    assert_eq!(m.rec.name, "marathon-1");
    assert_eq!(m.rec.role, Role::Marathon);
    assert_eq!(m.rec.url(), "http://127.0.0.1:8080");
    assert_eq!(
        m.rec.args,
        [
            "marathon",
            "--master",
            "127.0.0.1:5050",
            "--http_port",
            "8080",
            "--hostname",
            "127.0.0.1",
            "--work_dir",
            "/c/marathon-1/work",
        ]
    );
    assert_eq!(m.rec.log_file, "/c/marathon-1/logs/console.log");
    let mut zk = plan(None);
    zk.zk = Some("zk://127.0.0.1:2181/mesos".into());
    zk.master = "zk://127.0.0.1:2181/mesos".into();
    let mut m = zk.marathon(2, 8081);
    assert_eq!(m.rec.args[2], "zk://127.0.0.1:2181/mesos");
    assert_eq!(
        m.rec.args[m.rec.args.len() - 2..],
        ["--zk", "zk://127.0.0.1:2181/marathon"]
    );
    zk.with_port(&mut m, 9000).unwrap();
    assert!(m.rec.args.contains(&"9000".to_string()));
    assert_eq!(
        marathon_zk("zk://u:p@h1:1,h2:2/mesos/dev").as_deref(),
        Some("zk://u:p@h1:1,h2:2/marathon")
    );
    assert_eq!(marathon_zk("h1:1"), None);
}

#[test]
fn daemons_path_starts_with_the_binarys_directory() {
    let dir = Path::new("/opt/mesos/bin");
    assert_eq!(
        prepend_path(dir, "/usr/bin:/bin"),
        "/opt/mesos/bin:/usr/bin:/bin"
    );
    assert_eq!(
        prepend_path(dir, "/opt/mesos/bin:/usr/bin"),
        "/opt/mesos/bin:/usr/bin"
    );
    assert_eq!(prepend_path(dir, ""), "/opt/mesos/bin");
}
