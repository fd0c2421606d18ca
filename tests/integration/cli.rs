//! The command line itself: help, version, exit codes, generated files.

use crate::common::TestEnv;

#[test]
fn help_lists_exit_codes_and_every_command_has_examples() {
    let env = TestEnv::new();
    let r = env.run(&["--help"]);
    r.assert_ok();
    for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "124"] {
        assert!(
            r.stdout.contains(code),
            "exit code {code} missing:\n{}",
            r.stdout
        );
    }
    let cmd = mesos::cli::command();
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let name = sub.get_name();
        let r = env.run(&[name, "--help"]);
        r.assert_ok();
        assert!(
            r.stdout.contains("Example"),
            "`mesos {name} --help` has no example:\n{}",
            r.stdout
        );
    }
}

#[test]
fn version_prints_the_crate_version() {
    let r = TestEnv::new().run(&["--version"]);
    r.assert_ok();
    assert_eq!(
        r.stdout.trim(),
        format!("mesos {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2() {
    let r = TestEnv::new().run(&["no-such-command"]);
    r.assert_code(2);
    let r = TestEnv::new().run(&["resolve", "--timeout", "soon", "x:1"]);
    r.assert_code(2);
    assert!(r.stderr.contains("soon"), "{}", r.stderr);
}

#[test]
fn completions_are_printed_for_each_shell() {
    let env = TestEnv::new();
    for (shell, needle) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef mesos"),
        ("fish", "complete -c mesos"),
        ("elvish", "edit:completion"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let r = env.run(&["completions", shell]);
        r.assert_ok();
        assert!(
            r.stdout.contains(needle),
            "{shell}: {}",
            &r.stdout[..200.min(r.stdout.len())]
        );
    }
}

/// The checked-in man pages and completion scripts must match what the
/// binary generates now.
#[test]
fn checked_in_man_pages_and_completions_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    let files = mesos::commands::generate_docs::generated_files().unwrap();
    let mut expected_man: Vec<String> = Vec::new();
    for (path, bytes) in &files {
        if path.starts_with("man") {
            expected_man.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
        match std::fs::read(root.join(path)) {
            Ok(on_disk) if &on_disk == bytes => {}
            _ => stale.push(path.display().to_string()),
        }
    }
    // No leftover pages for commands that no longer exist.
    for entry in std::fs::read_dir(root.join("man")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !expected_man.contains(&name) {
            stale.push(format!("man/{name} (no such command any more)"));
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are stale: {stale:?}\nregenerate with: cargo run -- generate-docs --out . (and delete leftovers)"
    );
}

#[test]
fn daemons_run_through_argv0_names() {
    let env = TestEnv::new();
    for name in ["mesos-master", "mesos-agent"] {
        let link = env.home().join(name);
        std::os::unix::fs::symlink(crate::common::mesos_bin(), &link).unwrap();
        let out = std::process::Command::new(&link)
            .arg("--help")
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("--work_dir"), "{name}: {text}");
        let bad = std::process::Command::new(&link)
            .arg("--bogus=1")
            .output()
            .unwrap();
        assert_eq!(bad.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&bad.stderr);
        assert!(
            err.starts_with("error: ") && err.contains("--bogus"),
            "{name}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
    }
}

#[test]
fn top_level_help_shows_examples_before_the_exit_codes() {
    let r = TestEnv::new().run(&["--help"]);
    r.assert_ok();
    let examples = r.stdout.find("Examples:").expect("an Examples block");
    let codes = r.stdout.find("Exit codes:").expect("the exit codes");
    assert!(examples < codes, "{}", r.stdout);
    assert!(r.stdout.contains("mesos cluster up"), "{}", r.stdout);
    assert!(
        r.stdout.trim_end().ends_with(mesos::error::EXIT_CODES_HELP),
        "the exit codes differ from the ones errors use:\n{}",
        r.stdout
    );
}

#[test]
fn man_pages_have_an_examples_section_not_extra() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for page in ["man/mesos.1", "man/mesos-ps.1", "man/mesos-cluster-up.1"] {
        let text = std::fs::read_to_string(root.join(page)).unwrap();
        assert!(
            text.contains("\n.SH EXAMPLES\n"),
            "{page} has no EXAMPLES:\n{text}"
        );
        assert!(
            !text.contains(".SH EXTRA"),
            "{page} still has EXTRA:\n{text}"
        );
        let examples = text.split("\n.SH EXAMPLES\n").nth(1).unwrap();
        assert!(examples.contains("mesos "), "{page}: {examples}");
    }
    // The top page lists the exit codes once, under EXIT STATUS.
    let top = std::fs::read_to_string(root.join("man/mesos.1")).unwrap();
    assert!(top.contains(".SH \"EXIT STATUS\""), "{top}");
    assert!(!top.contains("Exit codes:"), "{top}");
}

/// Every `--flag` that `mesos ps --help` names is a flag `ps` accepts.
#[test]
fn every_flag_named_in_ps_help_exists() {
    let env = TestEnv::new();
    let r = env.run(&["ps", "--help"]);
    r.assert_ok();
    let cmd = mesos::cli::command();
    let ps = cmd.find_subcommand("ps").unwrap();
    let known: Vec<String> = ps
        .get_arguments()
        .chain(cmd.get_arguments())
        .filter_map(|a| a.get_long().map(str::to_string))
        .chain(["help".to_string(), "version".to_string()])
        .collect();
    let mut named = Vec::new();
    for word in r
        .stdout
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
    {
        if let Some(flag) = word.strip_prefix("--") {
            if !flag.is_empty() {
                named.push(flag.to_string());
            }
        }
    }
    assert!(named.contains(&"no-usage".to_string()), "{}", r.stdout);
    for flag in &named {
        assert!(
            known.contains(flag),
            "`mesos ps --help` names --{flag}, which ps does not accept:\n{}",
            r.stdout
        );
    }
}
