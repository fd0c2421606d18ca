//! Issue 12's utilities replaced by crates, seen from the real binary:
//! `~/.ssh/config` read through `ssh -G`, dates, dynamic completion, the
//! `ps --wide` USER fallback.

use crate::common::cluster::{get_json, start_agent, start_master};
use crate::common::TestEnv;

/// `scp` and `node exec` read `~/.ssh/config` through the OpenSSH client:
/// a config ssh rejects is reported with ssh's own words, and a missing
/// `ssh` is named, both before any connection is tried.
#[test]
fn ssh_config_is_resolved_by_ssh_and_its_failures_are_clear() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &["--hostname=127.0.0.2", "--ip=127.0.0.2"]);
    let env = TestEnv::new().env("MESOS_MASTER", &master.addr());
    let ssh = env.home().join(".ssh");
    std::fs::create_dir_all(&ssh).unwrap();
    std::fs::write(ssh.join("config"), "Host 127.0.0.2\n  NoSuchOption yes\n").unwrap();
    let file = env.home().join("payload.txt");
    std::fs::write(&file, "x").unwrap();
    let file = file.display().to_string();

    let r = env.run(&["scp", &file, "/tmp"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("config for 127.0.0.2: `ssh -G` failed")
            && r.stderr
                .contains("line 2: Bad configuration option: nosuchoption"),
        "{}",
        r.stderr
    );

    // No `ssh` on PATH: named, with a hint; without a config nothing is needed.
    let empty = tempfile::tempdir().unwrap();
    let no_ssh = env.env("PATH", &empty.path().display().to_string());
    let r = no_ssh.run(&["node", "exec", "--", "true"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("OpenSSH client `ssh` is not installed") && r.stderr.contains("hint: "),
        "{}",
        r.stderr
    );
    std::fs::remove_file(ssh.join("config")).unwrap();
    let r = no_ssh.run(&["node", "exec", "--timeout", "2s", "--", "true"]);
    assert!(
        !r.stderr.contains("ssh -G") && !r.stderr.contains("not installed"),
        "{}",
        r.stderr
    );
}

/// The UTC date `date(1)` gives for epoch seconds: an oracle independent
/// of our date code.
fn date_u(secs: i64) -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "-d", &format!("@{secs}"), "+%Y-%m-%d %H:%M:%S"])
        .output()
        .expect("date");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Both daemons' `/version` give `build_date` as the calendar date of
/// `build_time` (the `time` crate now does the day arithmetic).
#[test]
fn version_build_date_is_the_utc_date_of_build_time() {
    let master = start_master(&[]);
    let agent = start_agent(&master, &[]);
    for base in [master.url(), agent.url()] {
        let v = get_json(&format!("{base}/version"));
        let t = v["build_time"].as_f64().expect("build_time") as i64;
        assert!(t > 1_600_000_000, "{v}");
        assert_eq!(v["build_date"], date_u(t).as_str(), "{base}: {v}");
    }
}
