//! `mesos config`: the real binary against its own config file and HOME.

use crate::common::TestEnv;

fn read_config(env: &TestEnv) -> String {
    std::fs::read_to_string(env.config_path()).expect("config file written")
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

#[test]
fn set_get_unset_round_trip_and_file_content() {
    let env = TestEnv::new();
    // No file yet: set creates profile `default` and makes it active.
    env.run(&["config", "set", "master", "m1:5050,m2:5050"])
        .assert_ok();
    env.run(&["config", "set", "timeout", "7s"]).assert_ok();
    env.run(&["config", "set", "ssh-port", "2222"]).assert_ok();
    env.run(&["config", "set", "insecure", "true"]).assert_ok();

    let text = read_config(&env);
    let doc: toml::Table = text.parse().expect("valid TOML");
    assert_eq!(doc["active"].as_str(), Some("default"), "{text}");
    let p = doc["profiles"]["default"].as_table().unwrap();
    assert_eq!(p["master"].as_str(), Some("m1:5050,m2:5050"), "{text}");
    assert_eq!(p["timeout"].as_str(), Some("7s"), "{text}");
    assert_eq!(p["ssh_port"].as_integer(), Some(2222), "{text}");
    assert_eq!(p["insecure"].as_bool(), Some(true), "{text}");

    let r = env.run(&["config", "get", "master"]);
    r.assert_ok();
    assert_eq!(r.stdout, "m1:5050,m2:5050\n");
    let r = env.run(&["config", "get", "ssh_port", "--json"]);
    r.assert_ok();
    assert_eq!(
        json(&r.stdout),
        serde_json::json!({"profile": "default", "key": "ssh_port", "value": 2222})
    );

    env.run(&["config", "unset", "timeout"]).assert_ok();
    assert!(!read_config(&env).contains("timeout"));
    let r = env.run(&["config", "get", "timeout"]);
    r.assert_code(4).assert_clean_error();
    assert!(r.stderr.contains("timeout is not set"), "{}", r.stderr);
    // Unsetting again is not an error.
    env.run(&["config", "unset", "timeout"]).assert_ok();

    // show: TOML by default, JSON with --json.
    let r = env.run(&["config", "show"]);
    r.assert_ok();
    let shown: toml::Table = r.stdout.parse().expect("show prints TOML");
    assert_eq!(
        shown["profiles"]["default"]["master"].as_str(),
        Some("m1:5050,m2:5050")
    );
    let r = env.run(&["config", "show", "--json"]);
    r.assert_ok();
    let v = json(&r.stdout);
    assert_eq!(v["active"], "default");
    assert_eq!(v["profiles"]["default"]["ssh_port"], 2222);

    // path
    let r = env.run(&["config", "path"]);
    r.assert_ok();
    assert_eq!(r.stdout.trim_end(), env.config_path().display().to_string());
}

#[test]
fn unknown_and_unset_keys() {
    let env = TestEnv::new();
    let r = env.run(&["config", "get", "colour"]);
    r.assert_code(2).assert_clean_error();
    assert!(
        r.stderr.contains("colour") && r.stderr.contains("ssh_port"),
        "{}",
        r.stderr
    );
    let r = env.run(&["config", "set", "secret", "hunter2"]);
    r.assert_code(2).assert_clean_error();
    assert!(r.stderr.contains("secret_file"), "{}", r.stderr);
    assert!(
        !env.config_path().exists(),
        "a rejected set must not write the file"
    );
    // No profile at all yet.
    let r = env.run(&["config", "get", "master"]);
    r.assert_code(4).assert_clean_error();
}

#[test]
fn invalid_values_exit_2_naming_key_and_value() {
    let env = TestEnv::new();
    env.run(&["config", "set", "master", "127.0.0.1:5050"])
        .assert_ok();
    let before = read_config(&env);
    for (key, value) in [
        ("master", "host:notaport"),
        ("master", "ftp://m1:5050"),
        ("scheme", "gopher"),
        ("insecure", "yes-please"),
        ("timeout", "soon"),
        ("output", "yaml"),
        ("ssh_port", "65536"),
        ("ssh_port", "0"),
    ] {
        let r = env.run(&["config", "set", key, value]);
        r.assert_code(2).assert_clean_error();
        assert_eq!(
            r.stderr
                .lines()
                .filter(|l| l.starts_with("error: "))
                .count(),
            1
        );
        let first = r.stderr.lines().next().unwrap();
        assert!(
            first.contains(key) && first.contains(value),
            "{key}={value}: {first}"
        );
        assert_eq!(read_config(&env), before, "{key}={value} changed the file");
    }
}

#[test]
fn profiles_listing_json_and_switching() {
    let env = TestEnv::new();
    env.run(&["config", "set", "master", "127.0.0.1:5050"])
        .assert_ok();
    // --profile NAME creates that profile on set, without changing the active one.
    env.run(&[
        "--profile",
        "prod",
        "config",
        "set",
        "master",
        "zk://ops:pw@zk1:2181/mesos",
    ])
    .assert_ok();
    env.run(&["config", "use", "staging", "--create"])
        .assert_ok();
    env.run(&["config", "use", "default"]).assert_ok();

    let r = env.run(&["config", "profiles", "--json"]);
    r.assert_ok();
    assert_eq!(
        json(&r.stdout),
        serde_json::json!([
            {"name": "default", "active": true, "master": "127.0.0.1:5050"},
            {"name": "prod", "active": false, "master": "zk://ops:***@zk1:2181/mesos"},
            {"name": "staging", "active": false, "master": null},
        ])
    );
    let r = env.run(&["config", "profiles"]);
    r.assert_ok();
    let active_line = r.stdout.lines().find(|l| l.starts_with('*')).unwrap();
    assert!(active_line.contains("default"), "{}", r.stdout);

    // Reading another profile with --profile, and through MESOS_PROFILE.
    let r = env.run(&["--profile", "prod", "config", "get", "master"]);
    r.assert_ok();
    assert_eq!(r.stdout, "zk://ops:pw@zk1:2181/mesos\n");
    let env_prod = TestEnv {
        dir: tempfile::tempdir().unwrap(),
        extra_env: vec![
            (
                "MESOS_CONFIG".into(),
                env.config_path().display().to_string(),
            ),
            ("MESOS_PROFILE".into(), "prod".into()),
        ],
    };
    let r = env_prod.run(&["config", "get", "master"]);
    r.assert_ok();
    assert_eq!(r.stdout, "zk://ops:pw@zk1:2181/mesos\n");

    // use NAME switches what `get` reads.
    env.run(&["config", "use", "prod"]).assert_ok();
    let r = env.run(&["config", "get", "master"]);
    assert_eq!(r.stdout, "zk://ops:pw@zk1:2181/mesos\n");

    // Unknown profiles exit 4 and list the known ones.
    let r = env.run(&["config", "use", "nope"]);
    r.assert_code(4).assert_clean_error();
    assert!(r.stderr.contains("default, prod, staging"), "{}", r.stderr);
    let r = env.run(&["--profile", "nope", "config", "get", "master"]);
    r.assert_code(4).assert_clean_error();

    // delete
    env.run(&["config", "delete", "staging"]).assert_ok();
    env.run(&["config", "delete", "staging"])
        .assert_code(4)
        .assert_clean_error();
    env.run(&["config", "delete", "prod"]).assert_ok();
    let doc: toml::Table = read_config(&env).parse().unwrap();
    assert!(
        doc.get("active").is_none(),
        "deleting the active profile clears active"
    );
    assert_eq!(doc["profiles"].as_table().unwrap().len(), 1);
}

#[test]
fn import_single_profile_mesos_json() {
    let env = TestEnv::new();
    std::fs::write(
        env.home().join(".mesos.json"),
        r#"{"master": "zk://zk1:2181,zk2:2181/mesos", "scheme": "https",
            "response_timeout": 5, "log_level": "warning", "max_workers": 5}"#,
    )
    .unwrap();
    let r = env.run(&["config", "import"]);
    r.assert_ok();
    assert!(
        r.stderr.contains("imported profile 'imported'"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("max_workers"), "{}", r.stderr);

    let doc: toml::Table = read_config(&env).parse().unwrap();
    assert_eq!(doc["active"].as_str(), Some("imported"));
    let p = doc["profiles"]["imported"].as_table().unwrap();
    assert_eq!(p["master"].as_str(), Some("zk://zk1:2181,zk2:2181/mesos"));
    assert_eq!(p["scheme"].as_str(), Some("https"));
    assert_eq!(p["timeout"].as_str(), Some("5s"));
    assert_eq!(
        p.len(),
        3,
        "only master, scheme and timeout carry over: {p:?}"
    );

    // A second import refuses to overwrite; --force replaces; --as renames.
    let r = env.run(&["config", "import"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("'imported'") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    env.run(&["config", "import", "--force"]).assert_ok();
    env.run(&["config", "import", "--as", "legacy"]).assert_ok();
    let r = env.run(&["--profile", "legacy", "config", "get", "timeout"]);
    assert_eq!(r.stdout, "5s\n");
}

#[test]
fn import_multi_profile_mesos_json() {
    let env = TestEnv::new();
    env.run(&["config", "set", "master", "127.0.0.1:5050"])
        .assert_ok();
    std::fs::write(
        env.home().join(".mesos.json"),
        r#"{"profile": "prod",
            "prod": {"master": "zk://zk1:2181/mesos", "response_timeout": 2.5},
            "dev": {"master": "localhost:5050", "debug": "false", "log_file": null}}"#,
    )
    .unwrap();
    let r = env.run(&["config", "import", "--as", "old"]);
    r.assert_ok();
    assert!(
        r.stderr.contains("'old-prod'") && r.stderr.contains("'old-dev'"),
        "{}",
        r.stderr
    );

    let r = env.run(&["config", "profiles", "--json"]);
    let v = json(&r.stdout);
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["default", "old-dev", "old-prod"]);
    // An existing active profile stays active.
    assert_eq!(v[0]["active"], true);
    let r = env.run(&["--profile", "old-prod", "config", "get", "timeout"]);
    assert_eq!(r.stdout, "2500ms\n");

    // Without --as, each profile keeps its own name; the selected one becomes
    // active when none is.
    let fresh = TestEnv::new();
    std::fs::copy(
        env.home().join(".mesos.json"),
        fresh.home().join(".mesos.json"),
    )
    .unwrap();
    fresh.run(&["config", "import"]).assert_ok();
    let r = fresh.run(&["config", "profiles", "--json"]);
    assert_eq!(
        json(&r.stdout),
        serde_json::json!([
            {"name": "dev", "active": false, "master": "localhost:5050"},
            {"name": "prod", "active": true, "master": "zk://zk1:2181/mesos"},
        ])
    );
}

#[test]
fn import_errors_name_the_file() {
    let env = TestEnv::new();
    let r = env.run(&["config", "import"]);
    r.assert_code(1).assert_clean_error();
    let expected = env.home().join(".mesos.json").display().to_string();
    assert!(r.stderr.contains(&expected), "{}", r.stderr);

    let bad = env.home().join("bad.json");
    std::fs::write(&bad, "{\n  \"master\": \"m1:5050\",\n}\n").unwrap();
    let r = env.run(&["config", "import", bad.to_str().unwrap()]);
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains(bad.to_str().unwrap()), "{}", r.stderr);
    assert!(r.stderr.contains("line 3"), "{}", r.stderr);
    assert!(!env.config_path().exists());
}

#[test]
fn mesos_cli_config_is_not_read() {
    let env = TestEnv::new();
    let legacy = env.home().join("legacy.json");
    std::fs::write(&legacy, r#"{"master": "127.0.0.1:9"}"#).unwrap();
    let env = env.env("MESOS_CLI_CONFIG", legacy.to_str().unwrap());
    let r = env.run(&["config", "profiles", "--json"]);
    r.assert_ok();
    assert_eq!(json(&r.stdout), serde_json::json!([]));
    let r = env.run(&["config", "--help"]);
    assert!(r.stdout.contains("MESOS_CLI_CONFIG"), "{}", r.stdout);
}

#[test]
fn corrupt_config_file_exits_1_naming_it() {
    let env = TestEnv::new();
    std::fs::write(
        env.config_path(),
        "active = \"x\"\n[profiles.x\nmaster = 1\n",
    )
    .unwrap();
    let path = env.config_path().display().to_string();
    for args in [
        &["config", "show"][..],
        &["config", "get", "master"],
        &["config", "set", "master", "m1:5050"],
        &["resolve", "--timeout", "2s"],
    ] {
        let r = env.run(args);
        r.assert_code(1).assert_clean_error();
        assert!(r.stderr.contains(&path), "{args:?}: {}", r.stderr);
    }
    // The broken file is left alone, and `config path` still works.
    assert!(read_config(&env).contains("[profiles.x\n"));
    env.run(&["config", "path"]).assert_ok();
}

#[test]
fn precedence_flag_over_env_over_profile() {
    let env = TestEnv::new();
    env.run(&["config", "set", "master", "127.0.0.1:1"])
        .assert_ok();

    let tried = |env: &TestEnv, extra: &[&str]| {
        let mut args = vec!["resolve", "--timeout", "2s"];
        args.extend_from_slice(extra);
        let r = env.run(&args);
        r.assert_code(1).assert_clean_error();
        r.stderr.lines().next().unwrap().to_string()
    };

    let line = tried(&env, &[]);
    assert!(line.contains("127.0.0.1:1/"), "profile only: {line}");

    let with_env = env.env("MESOS_MASTER", "127.0.0.1:2");
    let line = tried(&with_env, &[]);
    assert!(line.contains("127.0.0.1:2/"), "env over profile: {line}");

    let line = tried(&with_env, &["--master", "127.0.0.1:3"]);
    assert!(line.contains("127.0.0.1:3/"), "flag over env: {line}");

    // Nothing configured anywhere: the default is tried, and the hint says so.
    let bare = TestEnv::new();
    let r = bare.run(&["resolve", "--timeout", "2s"]);
    assert_ne!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("127.0.0.1:5050"), "{}", r.stderr);
    assert!(r.stderr.contains("no master configured"), "{}", r.stderr);
}
