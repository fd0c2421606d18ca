//! Per-daemon (or per-host) progress on stderr: indicatif spinners when
//! stderr is a terminal and `NO_COLOR` is unset, plain lines otherwise.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress display for a set of named items.
pub struct Progress {
    multi: Option<MultiProgress>,
    bars: Mutex<HashMap<String, ProgressBar>>,
    /// Last message printed per item in plain mode (no repeats).
    last: Mutex<HashMap<String, String>>,
    quiet: bool,
}

/// Whether stderr may show spinners.
pub fn fancy() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

impl Progress {
    /// Spinners on a terminal, lines otherwise; `quiet` prints nothing.
    pub fn new(quiet: bool) -> Progress {
        let multi = (!quiet && fancy())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Progress {
            multi,
            bars: Mutex::new(HashMap::new()),
            last: Mutex::new(HashMap::new()),
            quiet,
        }
    }

    /// Add an item with a first message.
    pub fn add(&self, name: &str, msg: &str) {
        if let Some(m) = &self.multi {
            let pb = m.add(ProgressBar::new_spinner());
            pb.set_style(
                ProgressStyle::with_template("{spinner} {prefix:<14} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            pb.set_prefix(name.to_string());
            pb.set_message(msg.to_string());
            pb.enable_steady_tick(Duration::from_millis(80));
            self.bars.lock().unwrap().insert(name.to_string(), pb);
        } else {
            // Plain lines report what happened, not what is about to.
            self.last
                .lock()
                .unwrap()
                .insert(name.to_string(), msg.to_string());
        }
    }

    /// Update an item's message (plain mode prints it when it changed).
    pub fn set(&self, name: &str, msg: &str) {
        if self.multi.is_some() {
            if let Some(pb) = self.bars.lock().unwrap().get(name) {
                pb.set_message(msg.to_string());
            }
        } else {
            self.plain(name, msg);
        }
    }

    /// Finish an item successfully.
    pub fn done(&self, name: &str, msg: &str) {
        self.finish(name, "✓", msg);
    }

    /// Finish an item with a failure.
    pub fn fail(&self, name: &str, msg: &str) {
        self.finish(name, "✗", msg);
    }

    fn finish(&self, name: &str, mark: &str, msg: &str) {
        if self.multi.is_some() {
            if let Some(pb) = self.bars.lock().unwrap().get(name) {
                pb.set_style(
                    ProgressStyle::with_template(&format!("{mark} {{prefix:<14}} {{msg}}"))
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                pb.finish_with_message(msg.to_string());
            }
        } else {
            self.plain(name, msg);
        }
    }

    /// A free line (above the spinners on a terminal).
    pub fn line(&self, msg: &str) {
        if self.quiet {
            return;
        }
        match &self.multi {
            Some(m) => {
                let _ = m.println(msg);
            }
            None => crate::output::status(msg),
        }
    }

    fn plain(&self, name: &str, msg: &str) {
        if self.quiet {
            return;
        }
        let mut last = self.last.lock().unwrap();
        if last.get(name).map(String::as_str) == Some(msg) {
            return;
        }
        last.insert(name.to_string(), msg.to_string());
        crate::output::status(format!("{name}: {msg}"));
    }

    /// Stop every spinner still running (they stay on screen as they are).
    pub fn finish_all(&self) {
        for pb in self.bars.lock().unwrap().values() {
            if !pb.is_finished() {
                pb.abandon();
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish_all();
        // indicatif leaves the cursor at the end of the last line.
        if self.multi.is_some() && !self.bars.lock().unwrap().is_empty() {
            let _ = std::io::Write::write_all(&mut std::io::stderr(), b"\n");
        }
    }
}
