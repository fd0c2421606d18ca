//! Unit tests of `config` (profiles, keys, legacy import).

use super::*;

fn sample() -> Config {
    let mut prod = Profile::default();
    prod.set("master", "zk://ops:pw@zk1:2181,zk2:2181/mesos")
        .unwrap();
    prod.set("timeout", "10s").unwrap();
    prod.set("insecure", "true").unwrap();
    prod.set("ssh-port", "2222").unwrap();
    prod.set("secret_file", "~/.mesos/prod.secret").unwrap();
    let mut dev = Profile::default();
    dev.set("master", "localhost:5050").unwrap();
    Config {
        active: Some("prod".into()),
        profiles: [("prod".to_string(), prod), ("dev".to_string(), dev)].into(),
    }
}

#[test]
fn toml_round_trips() {
    let cfg = sample();
    let text = cfg.to_toml().unwrap();
    assert!(text.contains("active = \"prod\""), "{text}");
    assert!(text.contains("[profiles.prod]"), "{text}");
    assert!(text.contains("ssh_port = 2222"), "{text}");
    assert!(text.contains("insecure = true"), "{text}");
    let back = Config::from_toml(&text, Path::new("x.toml")).unwrap();
    assert_eq!(back, cfg);
}

#[test]
fn save_and_load_round_trip_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("config.toml");
    assert_eq!(Config::load_from(&path).unwrap(), Config::default());
    let cfg = sample();
    cfg.save_to(&path).unwrap();
    assert_eq!(Config::load_from(&path).unwrap(), cfg);
    // No temp files left behind.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("config.toml")]);
}

#[test]
fn parses_the_documented_example() {
    let text = r#"
active = "prod"

[profiles.prod]
master = "zk://zk1:2181,zk2:2181/mesos"
principal = "ops"
secret_file = "/etc/mesos/ops.secret"
ca_file = "/etc/ssl/mesos-ca.pem"
output = "table"
ssh_user = "core"
ssh_key = "~/.ssh/id_ed25519"
"#;
    let cfg = Config::from_toml(text, Path::new("c.toml")).unwrap();
    let (name, p) = cfg.select(None).unwrap().unwrap();
    assert_eq!(name, "prod");
    assert_eq!(p.principal.as_deref(), Some("ops"));
    assert_eq!(p.ssh_user.as_deref(), Some("core"));
}

#[test]
fn invalid_toml_names_the_file_and_position() {
    let e =
        Config::from_toml("active = \"a\"\nmaster = = 1\n", Path::new("/x/c.toml")).unwrap_err();
    assert_eq!(e.exit_code(), 1);
    assert!(e.message.contains("/x/c.toml"), "{}", e.message);
    assert!(e.message.contains("line 2"), "{}", e.message);
    // Unknown keys are rejected, not silently dropped.
    let e = Config::from_toml("[profiles.a]\nmastr = \"x\"\n", Path::new("c.toml")).unwrap_err();
    assert!(e.message.contains("mastr"), "{}", e.message);
}

#[test]
fn get_set_unset_by_key() {
    let mut p = Profile::default();
    assert_eq!(p.get("master").unwrap(), None);
    assert_eq!(p.set("MASTER", " m1:5050,m2:5050 ").unwrap(), "master");
    assert_eq!(p.get("master").unwrap().as_deref(), Some("m1:5050,m2:5050"));
    p.set("scheme", "HTTPS").unwrap();
    assert_eq!(p.scheme.as_deref(), Some("https"));
    p.set("output", "JSON").unwrap();
    assert_eq!(p.output.as_deref(), Some("json"));
    p.set("ssh_port", "22").unwrap();
    assert_eq!(p.get_json("ssh_port").unwrap(), Some(serde_json::json!(22)));
    p.set("insecure", "false").unwrap();
    assert_eq!(
        p.get_json("insecure").unwrap(),
        Some(serde_json::json!(false))
    );
    assert!(p.unset("ssh_port").unwrap());
    assert!(!p.unset("ssh_port").unwrap());
    assert_eq!(p.ssh_port, None);
    let keys: Vec<&str> = p.entries().into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["master", "scheme", "insecure", "output"]);
}

#[test]
fn unknown_keys_exit_2_and_list_the_valid_ones() {
    let p = Profile::default();
    let e = p.get("nope").unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(
        e.message.contains("'nope'") && e.message.contains("ssh_port"),
        "{}",
        e.message
    );
    let e = canonical_key("secret").unwrap_err();
    assert!(e.hint.unwrap().contains("secret_file"));
}

#[test]
fn bad_values_exit_2_naming_key_and_value() {
    let cases = [
        ("scheme", "ftp"),
        ("insecure", "maybe"),
        ("timeout", "soon"),
        ("timeout", "0s"),
        ("output", "yaml"),
        ("ssh_port", "0"),
        ("ssh_port", "70000"),
        ("master", "host:notaport"),
        ("master", "ftp://m1:5050"),
        ("master", "zk://zk1:2181"),
    ];
    for (k, v) in cases {
        let mut p = Profile::default();
        let e = p.set(k, v).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{k}={v}: {}", e.message);
        assert!(e.message.contains(k), "{k}={v}: {}", e.message);
        assert!(e.message.contains(v), "{k}={v}: {}", e.message);
        assert_eq!(p, Profile::default(), "{k}={v} changed the profile");
    }
    let e = Profile::default().set("principal", "  ").unwrap_err();
    assert_eq!(e.exit_code(), 2);
}

#[test]
fn master_errors_do_not_leak_zk_passwords() {
    let e = validate_master("zk://ops:hunter2@zk1:notaport/mesos").unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(!e.message.contains("hunter2"), "{}", e.message);
    assert!(e.message.contains("master"), "{}", e.message);
}

#[test]
fn redacted_hides_zk_passwords_only() {
    let shown = sample().redacted();
    let m = shown.profiles["prod"].master.as_deref().unwrap();
    assert!(!m.contains("pw@") && m.contains("***"), "{m}");
    assert_eq!(shown.profiles["dev"], sample().profiles["dev"]);
}

#[test]
fn profile_names_are_checked() {
    for ok in ["prod", "dc-1", "a.b_c"] {
        validate_profile_name(ok).unwrap();
    }
    for bad in ["", "-x", "a b", "a/b", "prod]"] {
        assert_eq!(
            validate_profile_name(bad).unwrap_err().exit_code(),
            2,
            "{bad:?}"
        );
    }
}

#[test]
fn active_profile_ignores_a_dangling_name() {
    let mut cfg = sample();
    assert_eq!(cfg.active_profile(), Some("prod"));
    cfg.active = Some("gone".into());
    assert_eq!(cfg.active_profile(), None);
    assert_eq!(cfg.existing("gone").unwrap_err().exit_code(), 4);
}

// --- legacy importer ---

fn legacy(text: &str, as_name: Option<&str>) -> Result<LegacyImport> {
    parse_legacy(text, Path::new("/home/u/.mesos.json"), as_name)
}

#[test]
fn imports_a_flat_file_as_one_profile() {
    let imp = legacy(
        r#"{"master": "m1:5050", "scheme": "https", "response_timeout": 5,
            "log_level": "debug", "log_file": null, "debug": "false", "max_workers": 5}"#,
        None,
    )
    .unwrap();
    assert_eq!(imp.profiles.len(), 1);
    let (name, p) = &imp.profiles[0];
    assert_eq!(name, "imported");
    assert_eq!(p.master.as_deref(), Some("m1:5050"));
    assert_eq!(p.scheme.as_deref(), Some("https"));
    assert_eq!(p.timeout.as_deref(), Some("5s"));
    assert_eq!(imp.selected.as_deref(), Some("imported"));
    let notes = imp.notes.join("\n");
    assert!(notes.contains("max_workers"), "{notes}");
    assert!(notes.contains("log_level"), "{notes}");
    assert!(
        !notes.contains("log_file"),
        "null values are silently skipped: {notes}"
    );
}

#[test]
fn flat_file_honours_as() {
    let imp = legacy(r#"{"master": "zk://zk1:2181/mesos"}"#, Some("old")).unwrap();
    assert_eq!(imp.profiles[0].0, "old");
    assert_eq!(imp.selected.as_deref(), Some("old"));
}

#[test]
fn imports_profiles_under_their_names() {
    let text = r#"{"profile": "prod",
        "prod": {"master": "zk://zk1:2181,zk2:2181/mesos", "response_timeout": 0.5},
        "dev": {"master": "localhost:5050", "scheme": "http", "max_workers": 5}}"#;
    let imp = legacy(text, None).unwrap();
    let names: Vec<&str> = imp.profiles.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["dev", "prod"]);
    assert_eq!(imp.selected.as_deref(), Some("prod"));
    let prod = &imp.profiles[1].1;
    assert_eq!(prod.master.as_deref(), Some("zk://zk1:2181,zk2:2181/mesos"));
    assert_eq!(prod.timeout.as_deref(), Some("500ms"));
    assert!(imp
        .notes
        .iter()
        .any(|n| n.contains("'dev'") && n.contains("max_workers")));

    let imp = legacy(text, Some("old")).unwrap();
    let names: Vec<&str> = imp.profiles.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["old-dev", "old-prod"]);
    assert_eq!(imp.selected.as_deref(), Some("old-prod"));
}

#[test]
fn a_dangling_selection_is_a_note() {
    let imp = legacy(r#"{"profile": "gone", "a": {"master": "m:5050"}}"#, None).unwrap();
    assert_eq!(imp.selected, None);
    assert!(imp.notes.iter().any(|n| n.contains("gone")));
}

#[test]
fn invalid_json_names_the_file_and_position() {
    let e = legacy("{\n  \"master\": \"m1\",\n}", None).unwrap_err();
    assert_eq!(e.exit_code(), 1);
    assert!(e.message.contains("/home/u/.mesos.json"), "{}", e.message);
    assert!(e.message.contains("line 3"), "{}", e.message);
    let e = legacy("[1, 2]", None).unwrap_err();
    assert!(e.message.contains("object"), "{}", e.message);
}

#[test]
fn invalid_legacy_values_are_errors_naming_the_key() {
    for text in [
        r#"{"master": "host:notaport"}"#,
        r#"{"scheme": "gopher"}"#,
        r#"{"response_timeout": -1}"#,
        r#"{"response_timeout": "soon"}"#,
        r#"{"master": 5050}"#,
        r#"{"p": {"scheme": "gopher"}}"#,
    ] {
        let e = legacy(text, None).unwrap_err();
        assert_eq!(e.exit_code(), 1, "{text}: {}", e.message);
        assert!(
            e.message.contains("/home/u/.mesos.json"),
            "{text}: {}",
            e.message
        );
        assert!(
            e.message.contains("master")
                || e.message.contains("scheme")
                || e.message.contains("response_timeout"),
            "{text}: {}",
            e.message
        );
    }
}

#[test]
fn seconds_format_compactly() {
    assert_eq!(format_seconds(5.0), "5s");
    assert_eq!(format_seconds(0.25), "250ms");
    assert_eq!(format_seconds(1.0005), "1.0005s");
    for s in [5.0, 0.25, 1.0005] {
        let d = crate::duration::parse_duration(&format_seconds(s)).unwrap();
        assert!((d.as_secs_f64() - s).abs() < 1e-9);
    }
}
