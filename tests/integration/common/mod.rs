//! Shared helpers for the integration tests: run the real `mesos` binary in a
//! sealed environment, find free ports, wait on conditions.

#![allow(dead_code)]

pub mod browser;
pub mod cluster;
pub mod daemons;
pub mod http;
pub mod marathon;
pub mod pty;
pub mod sched;
pub mod sshd;
pub mod tls_daemons;
pub mod tls_server;
pub mod zk;

/// The captured bodies under `tests/fixtures/` (one helper for the path,
/// shared with the library's unit tests).
#[path = "../../../src/test_fixtures.rs"]
mod test_fixtures;
pub use test_fixtures::{fixtures_dir, read_fixture, read_fixture_text};

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Path of the built `mesos` binary.
pub fn mesos_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mesos"))
}

/// Result of one `mesos` invocation.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// A sealed environment: its own HOME and config file, no inherited MESOS_* vars.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub extra_env: Vec<(String, String)>,
}

impl TestEnv {
    pub fn new() -> Self {
        TestEnv {
            dir: tempfile::tempdir().expect("tempdir"),
            extra_env: Vec::new(),
        }
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    /// The config file used by this environment (`MESOS_CONFIG`).
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.extra_env.push((k.into(), v.into()));
        self
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(mesos_bin());
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join(".config"))
            .env("MESOS_CONFIG", self.config_path())
            .env("MESOS_CACHE_DIR", self.dir.path().join("cache"))
            .env("NO_COLOR", "1")
            .env("COLUMNS", "120")
            .stdin(Stdio::null());
        for (k, v) in &self.extra_env {
            c.env(k, v);
        }
        c
    }

    /// Run `mesos ARGS` to completion.
    pub fn run(&self, args: &[&str]) -> Run {
        let start = Instant::now();
        let out: Output = self.command(args).output().expect("spawn mesos");
        Run::of(out, start)
    }

    /// Run `mesos ARGS` to completion with `input` on its stdin.
    pub fn run_with_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        use std::io::Write;
        let start = Instant::now();
        let mut c = self.command(args);
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("spawn mesos");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input)
            .expect("write stdin");
        let out = child.wait_with_output().expect("wait for mesos");
        Run::of(out, start)
    }
}

impl Run {
    fn of(out: Output, start: Instant) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed: start.elapsed(),
        }
    }

    /// Assert the exit code, showing all output on failure.
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}, got {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
    pub fn assert_ok(&self) -> &Self {
        self.assert_code(0)
    }
    /// Errors are one line starting with `error:` (plus an optional hint line), never a panic.
    pub fn assert_clean_error(&self) -> &Self {
        assert!(
            self.stderr.starts_with("error: "),
            "stderr: {}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "stderr: {}", self.stderr);
        assert!(
            !self.stderr.contains("RUST_BACKTRACE"),
            "stderr: {}",
            self.stderr
        );
        for line in self.stderr.lines() {
            assert!(
                line.starts_with("error: ")
                    || line.starts_with("hint: ")
                    || line.starts_with("warning: "),
                "unexpected stderr line: {line}\nfull stderr: {}",
                self.stderr
            );
        }
        self
    }
}

/// A free TCP port on 127.0.0.1 (bind to :0, read it, release it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .unwrap()
        .port()
}

/// Poll `cond` every 20 ms until it is true or `deadline` passes.
pub fn wait_until(deadline: Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + deadline;
    while Instant::now() < end {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("timed out after {deadline:?} waiting for {what}");
}

/// Like [`wait_until`], but the condition says what it last saw, and a
/// timeout names it: `Ok(value)` ends the wait, `Err(seen)` goes on.
pub fn wait_for<T>(
    deadline: Duration,
    what: &str,
    mut probe: impl FnMut() -> Result<T, String>,
) -> T {
    let end = Instant::now() + deadline;
    let mut seen = String::from("nothing yet");
    while Instant::now() < end {
        match probe() {
            Ok(v) => return v,
            Err(s) => seen = s,
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // A CI log keeps the tail of a failure: a last-seen text of several
    // lines is followed by what was awaited once more.
    if seen.contains('\n') {
        panic!("timed out after {deadline:?} waiting for {what}; last seen: {seen}\n(timed out waiting for {what})");
    }
    panic!("timed out after {deadline:?} waiting for {what}; last seen: {seen}");
}
