//! `--master` values and ZooKeeper data (`src/leader/spec.rs`,
//! `src/leader/zk.rs`): what a user types, and what any process able to
//! write to the Mesos znode can make the CLI and agents read.

use mesos::leader::spec::{parse_master_spec, redact_spec, redacted_zk, MasterSpec};
use mesos::leader::zk::{decode_master_info, parse_child, pick_leader};
use proptest::prelude::*;
use proptest::sample::select;

use crate::common::{bytes_input, corpus, corpus_text, run, text_input};

const DICT: &[&str] = &[
    "zk://",
    "ZK://",
    "file://",
    "http://",
    "https://",
    "ftp://",
    "@",
    ":",
    ",",
    "/",
    "//",
    "[",
    "]",
    "::1",
    ":0",
    ":65536",
    ":2181",
    "?",
    "#",
    "%",
    " ",
    "master@",
    "\u{e9}",
    "\u{0}",
    "localhost",
    "user:pw@",
];

#[test]
fn master_spec_text() {
    run(
        "master_spec",
        500,
        text_input(corpus_text("master_spec"), DICT),
        |s| {
            let _ = redact_spec(&s);
            let _ = redacted_zk(&s);
            for scheme in ["http", "https"] {
                match parse_master_spec(&s, scheme) {
                    Ok(MasterSpec::Hosts(urls)) => {
                        prop_assert!(!urls.is_empty());
                        for u in urls {
                            prop_assert!(matches!(u.scheme(), "http" | "https"), "{u}");
                            prop_assert!(u.host_str().is_some_and(|h| !h.is_empty()), "{u}");
                            prop_assert!(u.query().is_none() && u.fragment().is_none());
                        }
                    }
                    Ok(MasterSpec::Zk(z)) => {
                        prop_assert!(z.path.starts_with('/') && !z.path.ends_with('/'));
                        prop_assert!(!z.path.contains("//"));
                        prop_assert!(!z.hosts.is_empty());
                        for h in &z.hosts {
                            let (host, port) = h.rsplit_once(':').unwrap();
                            prop_assert!(!host.is_empty());
                            prop_assert!(port.parse::<u16>().is_ok_and(|p| p != 0), "{h}");
                        }
                        let _ = (z.connect_string(), z.to_string());
                    }
                    Ok(MasterSpec::File(p)) => prop_assert!(!p.as_os_str().is_empty()),
                    Err(e) => prop_assert!(!e.message.is_empty()),
                }
            }
            Ok(())
        },
    );
}

/// A password made of characters a URL's userinfo can hold unescaped (no
/// `/`, which would end the authority), with a marker that occurs nowhere else.
fn password() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._~!$&'()*+;=:@%-]{0,10}".prop_map(|p| format!("Pw7Q{p}"))
}

#[test]
fn credentials_never_shown() {
    let hosts = prop::collection::vec(
        prop_oneof![
            Just("zk1:2181".to_string()),
            Just("10.0.0.1".to_string()),
            Just("[::1]:2181".to_string()),
            Just("h:0".to_string()),
            Just("h:99999".to_string()),
            Just("".to_string()),
            "[a-z0-9.:]{0,12}",
        ],
        0..4,
    );
    let path = prop_oneof![
        Just("/mesos".to_string()),
        Just("".to_string()),
        Just("/".to_string()),
        Just("/a//b".to_string()),
        "(/[a-z]{0,4}){0,3}",
    ];
    let scheme = select(&["zk://", "ZK://", "http://", "https://", ""][..]);
    run(
        "credentials_never_shown",
        500,
        (scheme, "[a-z]{0,6}", password(), hosts, path),
        |(scheme, user, pw, hosts, path)| {
            let s = format!("{scheme}{user}:{pw}@{}{path}", hosts.join(","));
            let shown = |what: &str, text: String| {
                prop_assert!(!text.contains(&pw), "{} shows the password: {}", what, text);
                Ok(())
            };
            shown("redact_spec", redact_spec(&s))?;
            match parse_master_spec(&s, "http") {
                Ok(MasterSpec::Zk(z)) => {
                    shown("Display", z.to_string())?;
                    shown("Debug", format!("{z:?}"))?;
                }
                Ok(MasterSpec::Hosts(_)) | Ok(MasterSpec::File(_)) => {}
                Err(e) => {
                    shown("error", e.message.clone())?;
                    if let Some(h) = &e.hint {
                        shown("hint", h.clone())?;
                    }
                }
            }
            Ok(())
        },
    );
}

#[test]
fn zookeeper_node_data() {
    let label = prop_oneof![
        Just(Some("json.info".to_string())),
        Just(Some("info".to_string())),
        Just(None),
        "[a-z._]{0,8}".prop_map(Some),
    ];
    let dict: &'static [&'static str] = &[
        "\u{0}",
        "\u{8}",
        "\n",
        "\u{12}",
        "\u{1a}",
        "\u{7f}",
        "\u{ff}",
        "\u{80}\u{80}\u{80}",
        ":",
        "@",
        "master@",
        "{",
        "}",
        "\"",
        "null",
        "-1",
        "1e999",
    ];
    run(
        "zookeeper_node_data",
        500,
        (label, bytes_input(corpus("zk_node"), dict)),
        |(label, data)| {
            let _ = decode_master_info(label.as_deref(), &data);
            Ok(())
        },
    );
}

#[test]
fn zookeeper_children() {
    let name = prop_oneof![
        "(json\\.info|info|log_replicas|lock)?_?-?[0-9]{0,12}",
        "\\PC{0,16}",
    ];
    run(
        "zookeeper_children",
        500,
        prop::collection::vec(name, 0..8),
        |names| {
            let parsed: Vec<_> = names.iter().filter_map(|n| parse_child(n)).collect();
            let leader = pick_leader(names.iter().map(String::as_str));
            match leader {
                Some(l) => {
                    prop_assert!(parsed.iter().all(|c| c.sequence >= l.sequence));
                    prop_assert!(names.contains(&l.name));
                }
                None => prop_assert!(parsed.is_empty()),
            }
            Ok(())
        },
    );
}
