//! Run the real binary on a pseudo-terminal of a given width, with
//! util-linux `script` (no extra crate): what a user at a terminal sees,
//! escape sequences included, and keys typed at it.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{mesos_bin, TestEnv};

/// A `mesos` process on a pty.
pub struct PtyRun {
    child: Child,
    stdin: Option<ChildStdin>,
    output: Arc<Mutex<Vec<u8>>>,
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl PtyRun {
    /// Start `mesos ARGS` on a pty `cols` wide (`0` = the pty reports no
    /// width), with `env`'s environment minus COLUMNS.
    pub fn start(env: &TestEnv, args: &[&str], cols: u16) -> PtyRun {
        Self::start_with(env, args, cols, &[])
    }

    /// [`PtyRun::start`] with more environment variables (set last).
    pub fn start_with(env: &TestEnv, args: &[&str], cols: u16, vars: &[(&str, &str)]) -> PtyRun {
        Self::start_then(env, args, cols, vars, None)
    }

    /// [`PtyRun::start_with`], then the shell command `after` on the same
    /// terminal once `mesos` has exited (e.g. `stty -a` to see the
    /// terminal settings it left); the exit code is then `after`'s.
    pub fn start_then(
        env: &TestEnv,
        args: &[&str],
        cols: u16,
        vars: &[(&str, &str)],
        after: Option<&str>,
    ) -> PtyRun {
        let template = env.command(args);
        let mut line = format!(
            "stty cols {cols} rows 40; {}{}",
            if after.is_some() { "" } else { "exec " },
            quote(mesos_bin().to_str().unwrap())
        );
        for a in args {
            line.push(' ');
            line.push_str(&quote(a));
        }
        if let Some(after) = after {
            line.push_str("; echo \"[mesos exited $?]\"; ");
            line.push_str(after);
        }
        let mut c = Command::new("script");
        c.args(["-qfec", &line, "/dev/null"]).env_clear();
        for (k, v) in template.get_envs() {
            if let (Some(v), false) = (v, k == "COLUMNS") {
                c.env(k, v);
            }
        }
        for (k, v) in vars {
            c.env(k, v);
        }
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = c.spawn().expect("spawn script (util-linux)");
        let mut out = child.stdout.take().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        PtyRun {
            stdin: child.stdin.take(),
            child,
            output,
        }
    }

    /// The pids of the processes under the `script` process (its shell,
    /// `mesos`, ...), read from /proc.
    pub fn descendants(&self) -> Vec<u32> {
        let mut out = Vec::new();
        let mut todo = vec![self.child.id()];
        while let Some(pid) = todo.pop() {
            let tasks = std::fs::read_dir(format!("/proc/{pid}/task"))
                .into_iter()
                .flatten();
            for t in tasks.flatten() {
                let kids = std::fs::read_to_string(t.path().join("children")).unwrap_or_default();
                for k in kids.split_whitespace().filter_map(|k| k.parse().ok()) {
                    out.push(k);
                    todo.push(k);
                }
            }
        }
        out
    }

    /// Everything the terminal received so far (lossy UTF-8).
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Wait until the terminal shows `text`.
    pub fn wait_for(&self, text: &str, deadline: Duration) {
        let end = Instant::now() + deadline;
        while !self.screen().contains(text) {
            assert!(
                Instant::now() < end,
                "the terminal never showed {text:?}; it shows:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Type bytes at the terminal.
    pub fn type_keys(&mut self, keys: &[u8]) {
        let s = self.stdin.as_mut().expect("stdin open");
        s.write_all(keys).unwrap();
        s.flush().unwrap();
    }

    /// Wait for the exit code (the process is killed after `deadline`).
    pub fn wait(mut self, deadline: Duration) -> (i32, String) {
        drop(self.stdin.take());
        let end = Instant::now() + deadline;
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                // Let the reader drain what is left.
                std::thread::sleep(Duration::from_millis(50));
                return (st.code().unwrap_or(-1), self.screen());
            }
            if Instant::now() > end {
                let _ = self.child.kill();
                panic!("still running after {deadline:?}:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
