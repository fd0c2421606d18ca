//! The per-task executor process: `mesos agent
//! --internal-run-task=<launch.json>` ([`wrapper_main`]). It forks the
//! command in a session of its own, reports `forked <pid>` / `exit <raw
//! status>` on its stdout, records the wait status atomically, and watches
//! its agent ([`watch_agent`]).

use std::io::Write;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::process::{
    describe_wait_status, marker_alive, signal_group, WaitRecord, DEFAULT_KILL_GRACE,
};
use crate::agent::paths::write_atomic;
use crate::daemon::log::{format_line, Level};
use crate::daemon::now_secs;
use crate::duration::format_mesos_duration;

/// What the wrapper needs to start the command (`<run meta>/launch.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LaunchSpec {
    pub task_id: String,
    pub shell: bool,
    pub value: String,
    #[serde(default)]
    pub arguments: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: PathBuf,
    /// Sandbox `stdout` (the wrapper's own stderr is the sandbox `stderr`).
    pub stdout: PathBuf,
    /// Where the wait status goes (atomically).
    pub status_path: PathBuf,
    /// Where the command's pid goes.
    pub pid_path: PathBuf,
    /// Where the wrapper records its own pid (`pids/executor.pid`).
    #[serde(default)]
    pub executor_pid_path: Option<PathBuf>,
    /// Where a restarted agent that recovered this run announces itself
    /// (`pids/agent.pid`: `<pid> <start time>`); see [`watch_agent`].
    #[serde(default)]
    pub agent_pid_path: Option<PathBuf>,
    /// Run the command on a pseudo-terminal of (rows, columns) with an I/O
    /// switchboard on `<run meta>/io.sock` (see [`super::switchboard`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tty: Option<(u16, u16)>,
}

/// The binary to run the wrapper from (works even if the file was replaced).
pub fn self_exe() -> PathBuf {
    let proc_exe = PathBuf::from("/proc/self/exe");
    if proc_exe.exists() {
        return proc_exe;
    }
    std::env::current_exe().unwrap_or_else(|_| PathBuf::from("mesos"))
}

fn wrapper_log(msg: &str) {
    let line = format_line(Level::Info, "executor.rs", line!(), msg);
    let _ = std::io::stderr().write_all(line.as_bytes());
}

fn wrapper_report(line: &str) {
    let mut out = std::io::stdout().lock();
    // The agent may be gone (EPIPE): the checkpoint still records the outcome.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Like a checkpointing Mesos executor, give up when the agent is gone for
/// longer than `MESOS_RECOVERY_TIMEOUT` (default 15 mins): the read end of
/// our stdout pipe closing means the agent process died. A restarted agent
/// that recovers this run announces itself in `agent_pid` (`<pid> <start
/// time>`), which cancels the countdown; that agent is then watched through
/// /proc, and its death starts a new countdown. When a countdown runs out
/// the command's group is terminated (SIGTERM, SIGKILL 3 s later).
///
/// The executor of a framework that does not checkpoint
/// (`MESOS_CHECKPOINT=0`) is never recovered: like the Mesos executor
/// driver, it shuts the command down as soon as the agent is gone.
fn watch_agent(pid: u32, env: &[(String, String)], agent_pid: Option<PathBuf>) {
    let checkpoint = env
        .iter()
        .find(|(k, _)| k == "MESOS_CHECKPOINT")
        .is_none_or(|(_, v)| v != "0");
    let timeout = env
        .iter()
        .find(|(k, _)| k == "MESOS_RECOVERY_TIMEOUT")
        .and_then(|(_, v)| crate::duration::parse_duration(v).ok())
        .unwrap_or(Duration::from_secs(15 * 60));
    std::thread::spawn(move || {
        use nix::poll::{PollFd, PollFlags, PollTimeout};
        use std::os::fd::AsFd;
        let stdout = std::io::stdout();
        loop {
            let mut fds = [PollFd::new(stdout.as_fd(), PollFlags::empty())];
            match nix::poll::poll(&mut fds, PollTimeout::NONE) {
                Ok(n) if n > 0 => {
                    let ev = fds[0].revents().unwrap_or(PollFlags::empty());
                    if ev.intersects(PollFlags::POLLERR | PollFlags::POLLHUP) {
                        break;
                    }
                    if ev.contains(PollFlags::POLLNVAL) {
                        return;
                    }
                }
                Ok(_) | Err(nix::errno::Errno::EINTR) => {}
                Err(_) => return,
            }
        }
        if !checkpoint {
            wrapper_log(&format!(
                "Agent is gone and the framework does not checkpoint; sending SIGTERM to process group {pid}"
            ));
            signal_group(pid, libc::SIGTERM);
            std::thread::sleep(DEFAULT_KILL_GRACE);
            signal_group(pid, libc::SIGKILL);
            return;
        }
        let read_marker = || {
            agent_pid
                .as_ref()
                .and_then(|p| std::fs::read_to_string(p).ok())
                .filter(|m| marker_alive(m))
        };
        loop {
            wrapper_log(&format!(
                "Agent is gone; terminating the command in {} unless the agent recovers it or it exits first",
                format_mesos_duration(timeout)
            ));
            let deadline = std::time::Instant::now() + timeout;
            let agent = loop {
                if let Some(m) = read_marker() {
                    break Some(m);
                }
                let now = std::time::Instant::now();
                if now >= deadline {
                    break None;
                }
                std::thread::sleep((deadline - now).min(Duration::from_millis(250)));
            };
            let Some(agent) = agent else { break };
            wrapper_log(&format!(
                "Agent (pid {}) recovered this executor",
                agent.split_whitespace().next().unwrap_or("?")
            ));
            while marker_alive(&agent) {
                std::thread::sleep(Duration::from_millis(500));
            }
        }
        wrapper_log(&format!(
            "Recovery timeout elapsed; sending SIGTERM to process group {pid}"
        ));
        signal_group(pid, libc::SIGTERM);
        std::thread::sleep(DEFAULT_KILL_GRACE);
        signal_group(pid, libc::SIGKILL);
    });
}

/// `mesos agent --internal-run-task=<launch.json>`: the per-task executor
/// process. Returns its exit code (0 when the command was run, whatever its
/// own exit status).
pub fn wrapper_main(spec_path: &Path) -> u8 {
    let spec: LaunchSpec = match std::fs::read(spec_path)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(s) => s,
        Err(e) => {
            let msg = format!(
                "Failed to read the launch spec '{}': {e}",
                spec_path.display()
            );
            wrapper_log(&msg);
            wrapper_report(&format!("error {msg}"));
            return 1;
        }
    };
    wrapper_log(&format!("Starting task {}", spec.task_id));
    if let Some(path) = &spec.executor_pid_path {
        let _ = write_atomic(path, std::process::id().to_string().as_bytes());
    }
    let stdout = match std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&spec.stdout)
    {
        Ok(f) => f,
        Err(e) => {
            let msg = format!("Failed to open '{}': {e}", spec.stdout.display());
            wrapper_log(&msg);
            wrapper_report(&format!("error {msg}"));
            return 1;
        }
    };
    let mut cmd = if spec.shell {
        let mut c = std::process::Command::new("/bin/sh");
        c.arg("-c").arg(&spec.value);
        c
    } else {
        let mut c = std::process::Command::new(&spec.value);
        if let Some((first, rest)) = spec.arguments.split_first() {
            c.arg0(first).args(rest);
        }
        c
    };
    cmd.env_clear()
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .current_dir(&spec.cwd)
        .stdin(std::process::Stdio::null())
        .stdout(stdout)
        .stderr(std::process::Stdio::inherit());
    // SAFETY: pre_exec has no safe form; the closure only calls setsid(2),
    // which is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            nix::unistd::setsid()?;
            Ok(())
        });
    }
    // A TTY: the command's stdio is the terminal, served by a switchboard.
    let pty = match spec.tty {
        None => None,
        Some((rows, cols)) => match open_tty(&mut cmd, rows, cols) {
            Ok(p) => Some(p),
            Err(e) => {
                let msg = format!("Failed to allocate a TTY: {e}");
                wrapper_log(&msg);
                wrapper_report(&format!("error {msg}"));
                return 1;
            }
        },
    };
    let shown = if spec.shell {
        format!("sh -c '{}'", spec.value)
    } else {
        format!("[{}]", spec.arguments.join(", "))
    };
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("Failed to execute '{}': {e}", spec.value);
            wrapper_log(&msg);
            let record = WaitRecord {
                error: Some(msg.clone()),
                timestamp: now_secs(),
                ..WaitRecord::default()
            };
            let _ = write_atomic(
                &spec.status_path,
                &serde_json::to_vec(&record).unwrap_or_default(),
            );
            wrapper_report(&format!("error {msg}"));
            return 1;
        }
    };
    drop(cmd);
    let server = match pty {
        None => None,
        Some(master) => {
            let meta = spec.status_path.parent().unwrap_or(Path::new("."));
            let log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&spec.stdout);
            match log.and_then(|log| super::switchboard::serve(master, meta, log)) {
                Ok(s) => Some(s),
                Err(e) => {
                    wrapper_log(&format!("Failed to start the I/O switchboard: {e}"));
                    None
                }
            }
        }
    };
    let pid = child.id();
    let _ = write_atomic(&spec.pid_path, pid.to_string().as_bytes());
    wrapper_report(&format!("forked {pid}"));
    wrapper_log(&format!("Forked command at {pid}"));
    let _ = writeln!(std::io::stderr(), "{shown}");
    watch_agent(pid, &spec.env, spec.agent_pid_path.clone());
    let status = loop {
        match child.wait() {
            Ok(s) => break s,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let msg = format!("Failed to wait for the command: {e}");
                wrapper_log(&msg);
                wrapper_report(&format!("error {msg}"));
                return 1;
            }
        }
    };
    // Destroy the container: whatever is left of the command's group.
    signal_group(pid, libc::SIGKILL);
    if let Some(server) = server {
        server.finish(Duration::from_secs(2));
    }
    let raw = status.into_raw();
    let message = describe_wait_status(raw);
    wrapper_log(&format!("{message} (pid: {pid})"));
    let record = WaitRecord {
        pid: Some(pid),
        status: Some(raw),
        message: Some(message),
        timestamp: now_secs(),
        ..WaitRecord::default()
    };
    let _ = write_atomic(
        &spec.status_path,
        &serde_json::to_vec(&record).unwrap_or_default(),
    );
    wrapper_report(&format!("exit {raw}"));
    0
}

/// Put the command on a new pseudo-terminal of `rows` x `cols` (its
/// controlling terminal); the master side.
fn open_tty(
    cmd: &mut std::process::Command,
    rows: u16,
    cols: u16,
) -> std::io::Result<std::fs::File> {
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let pty = nix::pty::openpty(Some(&ws), None).map_err(std::io::Error::from)?;
    let slave = pty.slave;
    cmd.stdin(slave.try_clone()?)
        .stdout(slave.try_clone()?)
        .stderr(slave);
    // SAFETY: pre_exec has no safe form; the closure only calls ioctl(2),
    // which is async-signal-safe (it runs after the setsid of the first
    // pre_exec closure, so the terminal becomes the controlling one).
    unsafe {
        cmd.pre_exec(|| {
            if libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    Ok(std::fs::File::from(pty.master))
}

/// The command that starts a wrapper (`mesos-executor agent
/// --internal-run-task=<spec>` in `ps`) in `cwd`, its stderr appended to
/// `stderr`, its stdout piped (it reports `forked` / `exit` there), in a
/// session of its own so that neither a terminal's ^C nor the agent's exit
/// reaches it, and not killed when the agent drops it.
pub fn command(spec_path: &Path, stderr: std::fs::File, cwd: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(self_exe());
    cmd.arg0("mesos-executor")
        .arg("agent")
        .arg(format!(
            "{}={}",
            crate::agent::config::INTERNAL_RUN_TASK,
            spec_path.display()
        ))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::from(stderr))
        .current_dir(cwd)
        .kill_on_drop(false);
    // SAFETY: pre_exec has no safe form; the closure only calls setsid(2),
    // which is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            nix::unistd::setsid()?;
            Ok(())
        });
    }
    cmd
}
