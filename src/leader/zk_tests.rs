//! Unit tests of [`super`] (ZooKeeper leader detection).
use super::*;

fn varint(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn string_field(n: u64, s: &[u8], out: &mut Vec<u8>) {
    varint(n << 3 | 2, out);
    varint(s.len() as u64, out);
    out.extend_from_slice(s);
}

fn varint_field(n: u64, v: u64, out: &mut Vec<u8>) {
    varint(n << 3, out);
    varint(v, out);
}

#[test]
fn child_names() {
    let c = parse_child("json.info_0000000012").unwrap();
    assert_eq!(c.label.as_deref(), Some("json.info"));
    assert_eq!(c.sequence, 12);
    let c = parse_child("info_0000000003").unwrap();
    assert_eq!(c.label.as_deref(), Some("info"));
    assert_eq!(c.sequence, 3);
    let c = parse_child("0000000007").unwrap();
    assert_eq!(c.label, None);
    assert_eq!(c.sequence, 7);
    // Overflowed ZooKeeper sequences are negative.
    assert_eq!(
        parse_child("json.info_-2147483648").unwrap().sequence,
        i32::MIN
    );
    for junk in [
        "log_replicas",
        "json.info_",
        "junk",
        "",
        "_",
        "a_1x",
        "a_+1",
        "x_99999999999",
        "lock-1_",
    ] {
        assert_eq!(parse_child(junk), None, "{junk}");
    }
}

#[test]
fn lowest_sequence_wins_regardless_of_label() {
    let kids = [
        "log_replicas",
        "json.info_0000000012",
        "info_0000000010",
        "json.info_0000000011",
        "junk",
    ];
    let l = pick_leader(kids).unwrap();
    assert_eq!(l.name, "info_0000000010");
    assert_eq!(pick_leader(["log_replicas", "junk"]), None);
    assert_eq!(pick_leader(std::iter::empty::<&str>()), None);
    // Numeric, not lexicographic, comparison (zero padding makes both agree on real data).
    assert_eq!(
        pick_leader(["json.info_10", "json.info_9"]).unwrap().name,
        "json.info_9"
    );
}

#[test]
fn decodes_json_master_info() {
    let j = br#"{"id":"7f1e","ip":184549386,"port":5050,"pid":"master@10.0.0.11:5050",
        "hostname":"m1.example.net","version":"1.11.0",
        "address":{"hostname":"m1.example.net","ip":"10.0.0.11","port":5050}}"#;
    let m = decode_master_info(Some("json.info"), j).unwrap();
    assert_eq!(m.id.as_deref(), Some("7f1e"));
    assert_eq!(m.connect_host().as_deref(), Some("10.0.0.11"));
    let e = decode_master_info(Some("json.info"), b"{not json").unwrap_err();
    assert!(e.contains("invalid MasterInfo JSON"), "{e}");
}

#[test]
fn decodes_protobuf_master_info() {
    let mut b = Vec::new();
    string_field(1, b"20150101-0000-1", &mut b);
    varint_field(2, 184549386, &mut b); // 10.0.0.11
    varint_field(3, 5050, &mut b);
    string_field(4, b"master@10.0.0.11:5050", &mut b);
    // Unknown fixed32 and fixed64 fields are skipped.
    varint(20 << 3 | 5, &mut b);
    b.extend_from_slice(&[1, 2, 3, 4]);
    varint(21 << 3 | 1, &mut b);
    b.extend_from_slice(&[0; 8]);
    string_field(5, b"m1.example.net", &mut b);
    string_field(6, b"0.23.0", &mut b);
    let mut addr = Vec::new();
    string_field(1, b"m1.example.net", &mut addr);
    string_field(2, b"10.0.0.11", &mut addr);
    varint_field(3, 5050, &mut addr);
    string_field(7, &addr, &mut b);
    let m = decode_master_info(Some("info"), &b).unwrap();
    assert_eq!(m.id.as_deref(), Some("20150101-0000-1"));
    assert_eq!(m.ip, Some(184549386));
    assert_eq!(m.port, Some(5050));
    assert_eq!(m.pid.as_deref(), Some("master@10.0.0.11:5050"));
    assert_eq!(m.hostname.as_deref(), Some("m1.example.net"));
    assert_eq!(m.version.as_deref(), Some("0.23.0"));
    assert_eq!(m.address.as_ref().unwrap().ip.as_deref(), Some("10.0.0.11"));
    assert_eq!(m.ip_string().as_deref(), Some("10.0.0.11"));
    assert_eq!(m.port_number(), Some(5050));
}

#[test]
fn protobuf_pid_only_and_errors() {
    let mut b = Vec::new();
    string_field(4, b"master@10.1.2.3:5051", &mut b);
    let m = decode_master_info(Some("info"), &b).unwrap();
    assert_eq!(m.connect_host().as_deref(), Some("10.1.2.3"));
    assert_eq!(m.port_number(), Some(5051));
    // Truncated length-delimited field.
    let e = decode_master_info(Some("info"), &[4 << 3 | 2, 10, b'm']).unwrap_err();
    assert!(e.contains("truncated"), "{e}");
    // Truncated varint.
    let e = decode_master_info(Some("info"), &[2 << 3, 0x80]).unwrap_err();
    assert!(e.contains("truncated"), "{e}");
    // Group wire types are not supported.
    let e = decode_master_info(Some("info"), &[1 << 3 | 3]).unwrap_err();
    assert!(e.contains("wire type 3"), "{e}");
    // Valid but empty of any address.
    assert!(decode_master_info(Some("info"), b"").is_err());
}

#[test]
fn decodes_legacy_pid_text_and_rejects_unknown_labels() {
    let m = decode_master_info(None, b"master@10.0.0.5:5050\n").unwrap();
    assert_eq!(m.pid.as_deref(), Some("master@10.0.0.5:5050"));
    assert_eq!(m.connect_host().as_deref(), Some("10.0.0.5"));
    assert_eq!(m.port_number(), Some(5050));
    assert!(decode_master_info(None, b"garbage")
        .unwrap_err()
        .contains("not master@ip:port"));
    assert!(decode_master_info(Some("foo"), b"{}")
        .unwrap_err()
        .contains("unknown contender label 'foo'"));
}

#[test]
fn budget_is_rounded_for_display() {
    assert_eq!(budget(Duration::from_nanos(1_999_956_815)), "2s");
    assert_eq!(budget(Duration::from_millis(4_970)), "5s");
    assert_eq!(budget(Duration::from_millis(1_500)), "1.5s");
    assert_eq!(budget(Duration::from_micros(799_700)), "800ms");
    assert_eq!(budget(Duration::from_micros(10)), "1ms");
}

#[test]
fn groups_member_reasons() {
    let v = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        group_reasons(&[
            v("h:1", "connection refused"),
            v("h:2", "connection refused")
        ]),
        "h:1, h:2 (connection refused)"
    );
    assert_eq!(
        group_reasons(&[
            v("h:1", "connection refused"),
            v("h:2", "no answer"),
            v("h:3", "connection refused")
        ]),
        "h:1, h:3 (connection refused); h:2 (no answer)"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn all_members_dead_fails_within_the_timeout_naming_each() {
    let dead: Vec<String> = (0..2)
        .map(|_| {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("127.0.0.1:{}", l.local_addr().unwrap().port())
        })
        .collect();
    let zk = ZkUrl {
        hosts: dead.clone(),
        path: "/mesos".into(),
        credentials: Some(("u".into(), "sekrit".into())),
    };
    let started = std::time::Instant::now();
    let e = resolve_zk(&zk, Duration::from_millis(800))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.exit_code(), 1);
    assert!(e.message.contains("within 800ms"), "{}", e.message);
    assert!(e.message.contains("connection refused"), "{}", e.message);
    for h in &dead {
        assert!(e.message.contains(h.as_str()), "{}", e.message);
    }
    assert!(!e.message.contains("sekrit"), "{}", e.message);
}
