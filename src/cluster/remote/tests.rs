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
