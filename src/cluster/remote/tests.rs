//! Unit tests of SSH clusters.

use super::*;

#[test]
fn listening_sockets_and_taken_ports() {
    let tcp = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 0200007F:13BA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n\
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1\n\
   2: 0200007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 3 1\n";
    let l = listening(tcp);
    assert_eq!(
        l,
        vec![("0200007F".to_string(), 5050), ("00000000".to_string(), 22)]
    );
    assert!(port_taken(&l, "127.0.0.2", 5050));
    assert!(!port_taken(&l, "127.0.0.3", 5050));
    assert!(
        port_taken(&l, "127.0.0.3", 22),
        "0.0.0.0 takes every address"
    );
    assert!(!port_taken(&l, "127.0.0.2", 40000), "not listening");
}

#[test]
fn platforms_and_homes() {
    check_platform(std::env::consts::OS, std::env::consts::ARCH).unwrap();
    assert!(check_platform("Darwin", "arm64").is_err());
    assert_eq!(expand_home("~/m/x", "/home/u/"), "/home/u/m/x");
    assert_eq!(expand_home("/srv/m", "/home/u"), "/srv/m");
}

#[test]
fn host_requests_round_trip() {
    let op = HostOp::Stop {
        work_dir: "/w".into(),
        host: "h".into(),
        daemons: vec![],
        grace_ms: 5000,
        purge: false,
    };
    let text = serde_json::to_string(&op).unwrap();
    assert!(text.contains("\"op\":\"stop\""), "{text}");
    let out = host_main(&text).unwrap();
    let o: DownOutcome = serde_json::from_str(&out).unwrap();
    assert!(o.stopped.is_empty());
    assert_eq!(host_main("{").unwrap_err().exit_code(), 2);
}

#[test]
fn sha256_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x");
    std::fs::write(&f, "abc").unwrap();
    assert_eq!(
        sha256_file(&f).unwrap(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn marathon_is_planned_on_its_hosts_with_zk_and_secure_flags() {
    let spec = crate::cluster::spec::parse(
        r#"name = "x"
work_dir = "/w"
[zookeeper]
url = "zk://10.0.0.9:2181/mesos"
[masters]
hosts = ["127.0.0.2"]
port = 5050
[agents]
hosts = ["127.0.0.3"]
[marathon]
port = 8090
flags = ["--mesos_role=web"]
"#,
        Path::new("c.toml"),
    )
    .unwrap();
    let target = |h: &str| SshTarget {
        host: h.into(),
        port: 22,
        user: "u".into(),
        key_file: None,
    };
    let mut a = Host::new("127.0.0.2", "127.0.0.2", target("127.0.0.2"));
    let mut b = Host::new("127.0.0.3", "127.0.0.3", target("127.0.0.3"));
    a.work_dir = "/w".into();
    b.work_dir = "/w".into();
    let by_name: BTreeMap<String, &Host> =
        [("127.0.0.2".to_string(), &a), ("127.0.0.3".to_string(), &b)]
            .into_iter()
            .collect();
    let p = plan(&spec, &by_name, true, &spec.marathon_hosts).unwrap();
    let m: Vec<&PlannedRemote> = p
        .iter()
        .filter(|p| p.item.rec.role == Role::Marathon)
        .collect();
    assert_eq!(m.len(), 1);
    let rec = &m[0].item.rec;
    assert_eq!(
        (m[0].host.as_str(), rec.name.as_str()),
        ("127.0.0.2", "marathon-1")
    );
    assert_eq!(rec.url(), "https://127.0.0.2:8090");
    assert_eq!(
        rec.args,
        [
            "marathon",
            "--master=zk://10.0.0.9:2181/mesos",
            "--http_address=127.0.0.2",
            "--http_port=8090",
            "--hostname=127.0.0.2",
            "--work_dir=/w/marathon-1/work",
            "--zk=zk://10.0.0.9:2181/marathon",
            "--mesos_authentication_principal=marathon",
            "--mesos_authentication_secret_file=/w/secure/marathon.secret",
            "--http_credentials=/w/secure/http_credentials.json",
            "--mesos_role=web",
        ]
    );
    assert!(rec
        .env
        .iter()
        .any(|(k, v)| k == "LIBPROCESS_SSL_CERT_FILE" && v == "/w/secure/127.0.0.2.crt"));
    // --no-marathon: none planned.
    let p = plan(&spec, &by_name, false, &[]).unwrap();
    assert!(p.iter().all(|p| p.item.rec.role != Role::Marathon));
}
