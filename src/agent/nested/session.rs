//! A container with an I/O switchboard, started by the agent itself: the
//! command runs in a session of its own, on pipes or on a pseudo-terminal;
//! threads copy its output to the [`Switchboard`] (and to the sandbox
//! `stdout`/`stderr` files) and feed its stdin from the switchboard's input.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::broadcast;

use crate::agent::containers::{Chunk, InputOp, Switchboard};

/// What to run.
#[derive(Clone, Debug)]
pub struct Spec {
    pub shell: bool,
    pub value: String,
    pub arguments: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: PathBuf,
    /// A pseudo-terminal of (rows, columns) instead of pipes.
    pub tty: Option<(u16, u16)>,
}

/// A started container.
#[derive(Debug)]
pub struct Spawned {
    pub child: std::process::Child,
    pub io: Arc<Switchboard>,
    /// A reader subscribed before any output was produced.
    pub output: broadcast::Receiver<Chunk>,
}

fn winsize(rows: u16, cols: u16) -> libc::winsize {
    libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    }
}

/// Set the window size of the terminal `fd` (TIOCSWINSZ).
pub fn resize(fd: &impl AsRawFd, rows: u16, cols: u16) -> std::io::Result<()> {
    let ws = winsize(rows, cols);
    // SAFETY: TIOCSWINSZ reads one `winsize` through the pointer, which
    // points to a live local value.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCSWINSZ, &ws) };
    if rc < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

fn sandbox_file(dir: &Path, name: &str) -> Option<File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(name))
        .ok()
}

/// Copy `from` to the switchboard (and `log`) until end of file (a
/// terminal whose other side is closed reads EIO: also the end).
fn pump(mut from: File, mut log: Option<File>, io: Arc<Switchboard>, stderr: bool) {
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match from.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let bytes = buf[..n].to_vec();
                    if let Some(f) = log.as_mut() {
                        let _ = f.write_all(&bytes);
                    }
                    io.publish(if stderr {
                        Chunk::Stderr(bytes)
                    } else {
                        Chunk::Stdout(bytes)
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        io.output_closed();
    });
}

/// Feed stdin from the switchboard's input until it is closed.
fn feed(rx: std::sync::mpsc::Receiver<InputOp>, stdin: File, tty: bool) {
    std::thread::spawn(move || {
        let mut stdin = Some(stdin);
        while let Ok(op) = rx.recv() {
            match op {
                InputOp::Data(bytes) => {
                    if let Some(f) = stdin.as_mut() {
                        if f.write_all(&bytes).is_err() {
                            stdin = None;
                        }
                    }
                }
                InputOp::Eof if tty => {
                    if let Some(f) = stdin.as_mut() {
                        let _ = f.write_all(&[0x04]);
                    }
                }
                InputOp::Eof => stdin = None,
                InputOp::Resize(rows, cols) => {
                    if let (true, Some(f)) = (tty, stdin.as_ref()) {
                        let _ = resize(f, rows, cols);
                    }
                }
            }
        }
    });
}

/// Start `spec` in its own session, with its I/O on a switchboard.
pub fn spawn(spec: &Spec) -> Result<Spawned, String> {
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
        .current_dir(&spec.cwd);
    let (input_tx, input_rx) = std::sync::mpsc::channel();
    match spec.tty {
        Some((rows, cols)) => {
            let ws = winsize(rows, cols);
            let pty = nix::pty::openpty(Some(&ws), None)
                .map_err(|e| format!("Failed to open a pseudo-terminal: {e}"))?;
            let slave: OwnedFd = pty.slave;
            let dup = |fd: &OwnedFd| fd.try_clone().map_err(|e| e.to_string());
            cmd.stdin(dup(&slave)?)
                .stdout(dup(&slave)?)
                .stderr(dup(&slave)?);
            // SAFETY: pre_exec has no safe form; the closure only calls
            // setsid(2) and ioctl(2), which are async-signal-safe.
            unsafe {
                cmd.pre_exec(|| {
                    nix::unistd::setsid()?;
                    if libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            let child = cmd
                .spawn()
                .map_err(|e| format!("Failed to execute '{}': {e}", spec.value))?;
            drop(cmd);
            drop(slave);
            let master = File::from(pty.master);
            let reader = master.try_clone().map_err(|e| e.to_string())?;
            let io = Arc::new(Switchboard::new(true, 1, input_tx));
            let output = io.subscribe().expect("new switchboard");
            pump(reader, sandbox_file(&spec.cwd, "stdout"), io.clone(), false);
            feed(input_rx, master, true);
            Ok(Spawned { child, io, output })
        }
        None => {
            cmd.stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            // SAFETY: pre_exec has no safe form; the closure only calls
            // setsid(2), which is async-signal-safe.
            unsafe {
                cmd.pre_exec(|| {
                    nix::unistd::setsid()?;
                    Ok(())
                });
            }
            let mut child = cmd
                .spawn()
                .map_err(|e| format!("Failed to execute '{}': {e}", spec.value))?;
            let to_file = |fd: OwnedFd| File::from(fd);
            let stdin = child.stdin.take().map(|s| to_file(s.into()));
            let stdout = child.stdout.take().map(|s| to_file(s.into()));
            let stderr = child.stderr.take().map(|s| to_file(s.into()));
            let (Some(stdin), Some(stdout), Some(stderr)) = (stdin, stdout, stderr) else {
                return Err("Failed to set up the container's standard I/O".into());
            };
            let io = Arc::new(Switchboard::new(false, 2, input_tx));
            let output = io.subscribe().expect("new switchboard");
            pump(stdout, sandbox_file(&spec.cwd, "stdout"), io.clone(), false);
            pump(stderr, sandbox_file(&spec.cwd, "stderr"), io.clone(), true);
            feed(input_rx, stdin, false);
            Ok(Spawned { child, io, output })
        }
    }
}
