//! `mesos exec` and `mesos attach` against the bundled master and agent
//! (real processes): output, exit codes, stdin, a TTY under a pty, attach
//! to a task launched with `mesos execute --tty`, errors.

use std::time::Duration;

use serde_json::Value;

use crate::common::cluster::{get_json, start_agent, start_master, Daemon};
use crate::common::pty::PtyRun;
use crate::common::{wait_until, TestEnv};

const DEADLINE: Duration = Duration::from_secs(60);

/// A long-running task `name` started with `mesos execute --detach`.
fn start_task(env: &TestEnv, master: &Daemon, name: &str, extra: &[&str]) {
    let addr = master.addr();
    let mut a = vec!["execute", "--master", &addr, "--detach", "--name", name];
    a.extend_from_slice(extra);
    env.run(&a).assert_ok();
}

fn task_state(master: &Daemon, id: &str) -> String {
    let v: Value = get_json(&format!("{}/master/tasks", master.url()));
    v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .and_then(|t| t["state"].as_str())
        .unwrap_or("")
        .to_string()
}

#[test]
fn exec_runs_commands_in_a_task_with_their_output_exit_code_and_stdin() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new().env("MESOS_MASTER", &master.addr());
    start_task(&env, &master, "box", &["--command", "sleep 300"]);

    // Output, byte for byte.
    let r = env.run(&["exec", "box", "--", "cat", "/etc/hostname"]);
    r.assert_ok();
    assert_eq!(r.stdout, std::fs::read_to_string("/etc/hostname").unwrap());

    // stdout and stderr apart; the command's exit code.
    let r = env.run(&[
        "exec",
        "box",
        "--",
        "sh",
        "-c",
        "echo out; echo err >&2; exit 3",
    ]);
    r.assert_code(3);
    assert_eq!(r.stdout, "out\n");
    assert_eq!(r.stderr, "err\n");

    // Killed by a signal: 128 + n.
    env.run(&["exec", "box", "--", "sh", "-c", "kill -TERM $$"])
        .assert_code(143);

    // It runs in the task's sandbox.
    let r = env.run(&["exec", "box", "--", "pwd"]);
    r.assert_ok();
    assert!(r.stdout.contains("/executors/box/runs/"), "{}", r.stdout);

    // Piped stdin with -i; EOF ends the command.
    let r = env.run_with_stdin(&["exec", "-i", "box", "--", "cat"], b"hi\nthere\n");
    r.assert_ok();
    assert_eq!(r.stdout, "hi\nthere\n");
    let r = env.run_with_stdin(&["exec", "-i", "box", "--", "wc", "-l"], b"a\nb\nc\n");
    assert_eq!(r.stdout.trim(), "3");

    // Errors.
    env.run(&["exec", "no-such-task", "--", "true"])
        .assert_code(4)
        .assert_clean_error();
    env.run(&["exec", "box", "--json", "--", "true"])
        .assert_code(2)
        .assert_clean_error();
    env.run(&["exec", "box", "--detach-keys", "alt-x", "--", "true"])
        .assert_code(2)
        .assert_clean_error();
    let r = env.run(&["exec", "box", "--", "/no/such/program"]);
    assert_ne!(r.code, 0, "{r:?}");

    // The task itself is untouched by all of this.
    assert_eq!(task_state(&master, "box"), "TASK_RUNNING");
    env.run(&["kill", "box"]).assert_ok();
    // A task that is no longer running: one line, exit 1.
    let r = env.run(&["exec", "box", "--", "true"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr
            .contains("task box is TASK_KILLED; exec needs a running task"),
        "{}",
        r.stderr
    );
}

#[test]
fn exec_with_a_tty_runs_an_interactive_shell_and_restores_the_terminal() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new().env("MESOS_MASTER", &master.addr());
    start_task(&env, &master, "shellbox", &["--command", "sleep 300"]);

    let mut pty = PtyRun::start_then(
        &env,
        &["exec", "-t", "-i", "shellbox", "--", "sh"],
        100,
        &[],
        Some("stty -a"),
    );
    pty.type_keys(b"echo $((6*7))\r");
    pty.wait_for("42", DEADLINE);
    // The remote terminal has our width.
    pty.type_keys(b"stty size\r");
    pty.wait_for("40 100", DEADLINE);
    pty.type_keys(b"exit 5\r");
    let (code, screen) = pty.wait(DEADLINE);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("[mesos exited 5]"), "{screen}");
    // Raw mode was undone: canonical mode and echo are back on.
    let after = screen.rsplit("[mesos exited").next().unwrap();
    assert!(
        after.contains(" icanon") && !after.contains("-icanon"),
        "{after}"
    );
    assert!(
        after.contains(" echo ") && !after.contains("-echo "),
        "{after}"
    );

    // The detach keys leave the session (which ends the command).
    let mut pty = PtyRun::start_then(
        &env,
        &["exec", "-ti", "shellbox", "--", "sh"],
        80,
        &[],
        Some("stty -a"),
    );
    pty.type_keys(b"echo ready$((1+1))\r");
    pty.wait_for("ready2", DEADLINE);
    pty.type_keys(&[0x10, 0x11]);
    let (_, screen) = pty.wait(DEADLINE);
    assert!(screen.contains("detached"), "{screen}");
    assert!(screen.contains("[mesos exited 0]"), "{screen}");
    let after = screen.rsplit("[mesos exited").next().unwrap();
    assert!(!after.contains("-icanon"), "{after}");

    // SIGTERM while in raw mode: exit 143, the terminal restored.
    let mut pty = PtyRun::start_then(
        &env,
        &["exec", "-ti", "shellbox", "--", "sh"],
        80,
        &[],
        Some("stty -a"),
    );
    pty.type_keys(b"echo up$((2+2))\r");
    pty.wait_for("up4", DEADLINE);
    let mesos = pty
        .descendants()
        .into_iter()
        .find(|p| {
            std::fs::read_to_string(format!("/proc/{p}/comm")).is_ok_and(|c| c.trim() == "mesos")
        })
        .expect("the mesos process under the pty");
    // SAFETY: a plain kill(2) of a process this test started.
    unsafe { libc::kill(mesos as i32, libc::SIGTERM) };
    let (_, screen) = pty.wait(DEADLINE);
    assert!(screen.contains("[mesos exited 143]"), "{screen}");
    let after = screen.rsplit("[mesos exited").next().unwrap();
    assert!(
        after.contains(" icanon") && !after.contains("-icanon"),
        "{after}"
    );
    env.run(&["kill", "shellbox"]).assert_ok();
}

#[test]
fn attach_to_a_task_launched_with_a_tty() {
    let master = start_master(&[]);
    let _agent = start_agent(&master, &[]);
    let env = TestEnv::new().env("MESOS_MASTER", &master.addr());
    start_task(&env, &master, "console", &["--tty", "--", "sh"]);

    // Input goes to the task, its output comes back; detach leaves it running.
    let mut pty = PtyRun::start(&env, &["attach", "console"], 80);
    pty.type_keys(b"echo attached$((40+2))\r");
    pty.wait_for("attached42", DEADLINE);
    pty.type_keys(&[0x10, 0x11]);
    let (code, screen) = pty.wait(DEADLINE);
    assert_eq!(code, 0, "{screen}");
    assert_eq!(task_state(&master, "console"), "TASK_RUNNING");

    // Piped input with -i: the task's shell exits, and so does attach.
    let r = env.run_with_stdin(&["attach", "-i", "console"], b"echo bye$((1+1))\nexit\n");
    assert!(r.stdout.contains("bye2"), "{r:?}");
    r.assert_ok();
    wait_until(DEADLINE, "the task to finish", || {
        task_state(&master, "console") == "TASK_FINISHED"
    });

    // A task without a TTY has no terminal to attach to.
    start_task(&env, &master, "plain", &["--command", "sleep 300"]);
    let r = env.run(&["attach", "plain", "--no-stdin"]);
    r.assert_code(1).assert_clean_error();
    env.run(&["kill", "plain"]).assert_ok();
    env.run(&["attach", "nothing-like-this"])
        .assert_code(4)
        .assert_clean_error();
}
