//! The I/O switchboard of a command task launched with a TTY
//! (`container.tty_info`): the per-task wrapper runs the command on a
//! pseudo-terminal, copies its output to the sandbox `stdout`, and serves
//! attachments on the unix socket `<run meta>/io.sock` ([`serve`]), so a
//! restarted agent can still attach. The agent connects to it for
//! ATTACH_CONTAINER_OUTPUT / ATTACH_CONTAINER_INPUT ([`attach_output`],
//! [`attach_input`]).
//!
//! The socket protocol (ours): the client's first line is `OUTPUT` or
//! `INPUT`. An output client then reads the raw terminal output until the
//! command is gone. An input client is answered `+` (attached) or `-`
//! (another input attachment is open), then sends frames: one type byte
//! (`D` data, `E` end of input, `R` window size), a big-endian u32 length,
//! the payload (`R`: rows and columns as big-endian u16s).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::broadcast;

use crate::agent::containers::{Chunk, InputOp, Switchboard};

/// The window size a task's `container.tty_info` asks for (80x24 when it
/// gives none).
pub fn tty_of(container: Option<&serde_json::Value>) -> Option<(u16, u16)> {
    let c: crate::wire::process_io::SessionContainerInfo =
        serde_json::from_value(container?.clone()).ok()?;
    let tty = c.tty_info?;
    Some(
        tty.window_size
            .map(|w| {
                (
                    w.rows.min(u16::MAX as u32) as u16,
                    w.columns.min(u16::MAX as u32) as u16,
                )
            })
            .unwrap_or((24, 80)),
    )
}

/// The socket's name in the run's meta directory.
pub const SOCKET: &str = "io.sock";

/// A path to `<dir>/io.sock` short enough for a unix socket address
/// (through `/proc/self/fd` of the open directory `dir`, which must stay
/// open while the path is used).
fn short_path(dir: &File) -> PathBuf {
    PathBuf::from(format!("/proc/self/fd/{}/{SOCKET}", dir.as_raw_fd()))
}

/// Set the window size of the terminal `fd` (TIOCSWINSZ).
pub fn resize(fd: &impl AsRawFd, rows: u16, cols: u16) {
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ reads one `winsize` through the pointer, which
    // points to a live local value.
    unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCSWINSZ, &ws) };
}

/// The wrapper's side: what [`serve`] started.
#[derive(Debug)]
pub struct Server {
    socket: PathBuf,
    drained: std::sync::mpsc::Receiver<()>,
}

impl Server {
    /// Wait (up to `timeout`) until the terminal's output is drained, then
    /// remove the socket.
    pub fn finish(self, timeout: Duration) {
        let _ = self.drained.recv_timeout(timeout);
        let _ = std::fs::remove_file(&self.socket);
    }
}

/// Serve the terminal `master` on `<meta_dir>/io.sock`, copying its output
/// to `log` (the sandbox `stdout`).
pub fn serve(master: File, meta_dir: &Path, mut log: File) -> std::io::Result<Server> {
    let dir = File::open(meta_dir)?;
    let socket = meta_dir.join(SOCKET);
    let _ = std::fs::remove_file(&socket);
    let listener = UnixListener::bind(short_path(&dir))?;
    drop(dir);
    let master = Arc::new(master);
    let clients: Arc<Mutex<Vec<UnixStream>>> = Arc::default();
    let (drained_tx, drained) = std::sync::mpsc::channel();
    {
        let master = master.clone();
        let clients = clients.clone();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                match (&*master).read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        let _ = log.write_all(&buf[..n]);
                        let mut cs = clients.lock().unwrap_or_else(|p| p.into_inner());
                        cs.retain_mut(|c| c.write_all(&buf[..n]).is_ok());
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    // EIO: every process of the terminal is gone.
                    Err(_) => break,
                }
            }
            for c in clients.lock().unwrap_or_else(|p| p.into_inner()).drain(..) {
                let _ = c.shutdown(std::net::Shutdown::Both);
            }
            let _ = drained_tx.send(());
        });
    }
    let busy = Arc::new(AtomicBool::new(false));
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let master = master.clone();
            let clients = clients.clone();
            let busy = busy.clone();
            std::thread::spawn(move || client(conn, &master, &clients, &busy));
        }
    });
    Ok(Server { socket, drained })
}

fn client(conn: UnixStream, master: &File, clients: &Mutex<Vec<UnixStream>>, busy: &AtomicBool) {
    let Ok(read_half) = conn.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    match line.trim() {
        "OUTPUT" => {
            let _ = conn.set_write_timeout(Some(Duration::from_secs(10)));
            clients.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
        }
        "INPUT" => {
            let mut conn = conn;
            if busy
                .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                .is_err()
            {
                let _ = conn.write_all(b"-\n");
                return;
            }
            if conn.write_all(b"+\n").is_ok() {
                input_frames(&mut reader, master);
            }
            busy.store(false, Ordering::SeqCst);
        }
        _ => {}
    }
}

fn input_frames(reader: &mut impl Read, master: &File) {
    let mut head = [0u8; 5];
    let mut w = master;
    while reader.read_exact(&mut head).is_ok() {
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if len > 16 * 1024 * 1024 {
            return;
        }
        let mut payload = vec![0u8; len];
        if reader.read_exact(&mut payload).is_err() {
            return;
        }
        match head[0] {
            b'D' => {
                let _ = w.write_all(&payload);
            }
            b'E' => {
                let _ = w.write_all(&[0x04]);
            }
            b'R' if payload.len() == 4 => {
                let rows = u16::from_be_bytes([payload[0], payload[1]]);
                let cols = u16::from_be_bytes([payload[2], payload[3]]);
                resize(master, rows, cols);
            }
            _ => {}
        }
    }
}

fn frame(kind: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![kind];
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// Whether the run in `meta_dir` has a switchboard.
pub fn has_switchboard(meta_dir: &Path) -> bool {
    meta_dir.join(SOCKET).exists()
}

fn connect(meta_dir: &Path, first: &[u8]) -> std::io::Result<UnixStream> {
    let dir = File::open(meta_dir)?;
    let mut s = UnixStream::connect(short_path(&dir))?;
    s.write_all(first)?;
    Ok(s)
}

/// Why an input attachment failed.
#[derive(Debug)]
pub enum AttachError {
    /// Another input attachment is open.
    Busy,
    Failed(String),
}

/// The agent's side of an output attachment: a switchboard fed from the
/// socket, and a reader of it.
pub fn attach_output(
    meta_dir: &Path,
) -> Result<(Arc<Switchboard>, broadcast::Receiver<Chunk>), String> {
    let mut s = connect(meta_dir, b"OUTPUT\n").map_err(|e| e.to_string())?;
    let (tx, _) = std::sync::mpsc::channel();
    let io = Arc::new(Switchboard::new(true, 1, tx));
    let rx = io.subscribe().expect("new switchboard");
    let feed = io.clone();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => feed.publish(Chunk::Stdout(buf[..n].to_vec())),
            }
        }
        feed.output_closed();
    });
    Ok((io, rx))
}

/// The agent's side of an input attachment: a switchboard whose input goes
/// to the socket.
pub fn attach_input(meta_dir: &Path) -> Result<Arc<Switchboard>, AttachError> {
    let s = connect(meta_dir, b"INPUT\n").map_err(|e| AttachError::Failed(e.to_string()))?;
    let mut answer = String::new();
    BufReader::new(
        s.try_clone()
            .map_err(|e| AttachError::Failed(e.to_string()))?,
    )
    .read_line(&mut answer)
    .map_err(|e| AttachError::Failed(e.to_string()))?;
    if answer.trim() != "+" {
        return Err(AttachError::Busy);
    }
    let (tx, rx) = std::sync::mpsc::channel::<InputOp>();
    std::thread::spawn(move || {
        let mut s = s;
        while let Ok(op) = rx.recv() {
            let bytes = match op {
                InputOp::Data(d) => frame(b'D', &d),
                InputOp::Eof => frame(b'E', &[]),
                InputOp::Resize(r, c) => {
                    let mut p = r.to_be_bytes().to_vec();
                    p.extend_from_slice(&c.to_be_bytes());
                    frame(b'R', &p)
                }
            };
            if s.write_all(&bytes).is_err() {
                break;
            }
        }
    });
    Ok(Arc::new(Switchboard::new(true, 0, tx)))
}
