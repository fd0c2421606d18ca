//! Running one SSH job per host in parallel (`scp`, `node exec`): a bounded
//! pool of threads (libssh2 is blocking), connection through
//! [`crate::cluster::ssh::Session`] (known_hosts checks, key or agent
//! auth), failures sorted into reasons a user can act on, and per-host
//! progress bars on a terminal.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::cluster::ssh::Session;
use crate::cluster::state::SshTarget;
use crate::error::{Error, Result};
use crate::remote::RemoteError;

/// Default `--parallel` of the SSH fan-out commands.
pub const DEFAULT_SSH_PARALLEL: usize = 16;

/// Why a host failed (the JSON `reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The server refused every key (or the key file is missing).
    Auth,
    /// Unknown, changed or revoked host key.
    HostKey,
    /// Not enough space on the remote file system.
    DiskFull,
    /// The remote user may not write there.
    Permission,
    /// The remote directory does not exist.
    NotFound,
    /// DNS, refused or unreachable.
    Connect,
    /// No answer in time.
    Timeout,
    /// Any other SSH or SFTP failure.
    Ssh,
    /// The remote command exited non-zero.
    ExitCode,
    /// The remote command was killed by a signal.
    Signal,
}

impl Reason {
    /// Words for tables and messages.
    pub fn label(self) -> &'static str {
        match self {
            Reason::Auth => "auth",
            Reason::HostKey => "host key",
            Reason::DiskFull => "disk full",
            Reason::Permission => "permission",
            Reason::NotFound => "no such directory",
            Reason::Connect => "connect",
            Reason::Timeout => "timeout",
            Reason::Ssh => "ssh",
            Reason::ExitCode => "exit code",
            Reason::Signal => "signal",
        }
    }
}

/// One host's failure.
#[derive(Clone, Debug)]
pub struct Failure {
    pub reason: Reason,
    pub message: String,
    pub hint: Option<String>,
}

impl Failure {
    pub fn new(reason: Reason, message: impl Into<String>) -> Failure {
        Failure {
            reason,
            message: crate::error::one_line(&message.into()),
            hint: None,
        }
    }

    /// From an error of [`Session::connect`] (or any SSH error), sorted by
    /// what its message says.
    pub fn from_error(e: &Error) -> Failure {
        Failure {
            reason: classify(&e.message),
            message: e.message.clone(),
            hint: e.hint.clone(),
        }
    }
}

/// Sort an SSH error message into a [`Reason`].
pub fn classify(msg: &str) -> Reason {
    let m = msg.to_ascii_lowercase();
    if m.contains("host key") {
        Reason::HostKey
    } else if m.contains("authentication") || m.contains("key file") {
        Reason::Auth
    } else if m.contains("no space") || m.contains("disk full") || m.contains("quota") {
        Reason::DiskFull
    } else if m.contains("permission denied") {
        Reason::Permission
    } else if m.contains("timed out") || m.contains("timeout") {
        Reason::Timeout
    } else if m.contains("cannot connect") || m.contains("cannot resolve") {
        Reason::Connect
    } else {
        Reason::Ssh
    }
}

/// Ciphers in order of preference: AES-GCM runs on AES-NI through OpenSSL
/// (several GB/s), while libssh2's own chacha20-poly1305, its default
/// first choice, is portable C and several times slower per byte.
pub const CIPHERS: &str = "aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,chacha20-poly1305@openssh.com";

/// MACs (for the non-AEAD ciphers): encrypt-then-MAC first.
pub const MACS: &str =
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512";

/// Connect to one host: TCP, handshake (fast ciphers first), host key
/// check, authentication.
pub fn connect(
    target: &SshTarget,
    accept_new: bool,
    timeout: Duration,
) -> Result<Session, Failure> {
    let prefs = [
        (ssh2::MethodType::CryptCs, CIPHERS),
        (ssh2::MethodType::CryptSc, CIPHERS),
        (ssh2::MethodType::MacCs, MACS),
        (ssh2::MethodType::MacSc, MACS),
    ];
    let s = Session::connect_with(target, accept_new, timeout, &prefs)
        .map_err(|e| Failure::from_error(&e))?;
    quick_ack(&s);
    Ok(s)
}

/// Acknowledge the server's next packets at once instead of after Linux's
/// delayed-ACK timer (40 ms). OpenSSH servers leave Nagle on for
/// non-interactive sessions, so when they answer a request with two small
/// packets the second waits for our ACK of the first: without this, every
/// channel open stalls for 40 ms. Call before each request/answer step;
/// the kernel falls back to delayed ACKs on its own after a while.
pub fn quick_ack(s: &Session) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::io::AsRawFd;
        let one: libc::c_int = 1;
        // SAFETY: a valid socket fd and a c_int option value of the right size.
        unsafe {
            libc::setsockopt(
                s.raw().as_raw_fd(),
                libc::IPPROTO_TCP,
                libc::TCP_QUICKACK,
                &one as *const libc::c_int as *const libc::c_void,
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = s;
}

/// Run one libssh2 request/answer step (`sftp()`, `channel_session()`,
/// `exec()`) in non-blocking mode, waiting on the socket ourselves with
/// [`quick_ack`] before each wait, so the server's answer is never held
/// back 40 ms by its Nagle algorithm waiting for our delayed ACK.
/// Restores blocking mode; gives up after `timeout`.
pub fn step<T>(
    s: &Session,
    timeout: Duration,
    mut f: impl FnMut() -> Result<T, ssh2::Error>,
) -> Result<T, ssh2::Error> {
    let raw = s.raw();
    raw.set_blocking(false);
    let deadline = std::time::Instant::now() + timeout;
    let out = loop {
        match f() {
            Err(e) if e.code() == ssh2::ErrorCode::Session(-37) => {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                if left.is_zero() {
                    break Err(ssh2::Error::new(ssh2::ErrorCode::Session(-9), "timed out"));
                }
                quick_ack(s);
                wait_socket(raw, left.as_millis().min(200) as i32);
            }
            other => break other,
        }
    };
    raw.set_blocking(true);
    out
}

/// Wait until the session's socket is ready in the direction libssh2 is
/// blocked on (at most `ms`).
pub fn wait_socket(sess: &ssh2::Session, ms: i32) {
    use std::os::unix::io::AsRawFd;
    let events = match sess.block_directions() {
        ssh2::BlockDirections::Outbound => libc::POLLOUT,
        ssh2::BlockDirections::Both => libc::POLLIN | libc::POLLOUT,
        _ => libc::POLLIN,
    };
    let mut fds = libc::pollfd {
        fd: sess.as_raw_fd(),
        events,
        revents: 0,
    };
    // SAFETY: one valid pollfd for the duration of the call.
    unsafe {
        libc::poll(&mut fds, 1, ms);
    }
}

/// Run `f(0..n)` on at most `parallel` threads; results in input order.
pub fn run_bounded<T, F>(n: usize, parallel: usize, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync,
{
    if n == 1 {
        return vec![f(0)];
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<T>>> = (0..n).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..parallel.clamp(1, n.max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= n {
                    break;
                }
                let r = f(i);
                *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
            });
        }
    });
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
        .collect()
}

/// Per-host byte progress bars on stderr (only when it is a terminal and
/// `NO_COLOR` is unset).
pub struct Bars {
    multi: Option<MultiProgress>,
}

impl Bars {
    pub fn new(enabled: bool) -> Bars {
        Bars {
            multi: (enabled && crate::cluster::progress::fancy())
                .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
        }
    }

    pub fn active(&self) -> bool {
        self.multi.is_some()
    }

    /// A bar for `host` counting up to `total` bytes.
    pub fn bar(&self, host: &str, total: u64) -> Option<ProgressBar> {
        let m = self.multi.as_ref()?;
        let pb = m.add(ProgressBar::new(total));
        pb.set_style(
            ProgressStyle::with_template(
                "{prefix:<24!} {bar:30} {bytes:>10}/{total_bytes:<10} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb.set_prefix(host.to_string());
        pb.set_message("connecting");
        Some(pb)
    }

    /// Print a line above the bars (or plainly on stderr).
    pub fn println(&self, line: &str) {
        match &self.multi {
            Some(m) => {
                let _ = m.println(line);
            }
            None => crate::output::status(line),
        }
    }
}

/// `1.23s`, `45ms`.
pub fn seconds_text(s: f64) -> String {
    if s < 1.0 {
        format!("{}ms", (s * 1000.0).round() as u64)
    } else {
        format!("{s:.2}s")
    }
}

/// `Err` (exit 3) naming the failed hosts and why, when any failed.
pub fn partial_error(
    what: &str,
    outcomes: &[(&String, Option<Reason>, Option<&str>)],
) -> Result<()> {
    let failed: Vec<String> = outcomes
        .iter()
        .filter_map(|(h, r, _)| r.map(|r| format!("{h} ({})", r.label())))
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    Err(RemoteError::SomeHostsFailed {
        what: what.to_string(),
        failed: failed.len(),
        total: outcomes.len(),
        hosts: failed.join(", "),
        hint: outcomes
            .iter()
            .find_map(|(_, r, h)| r.and(*h))
            .map(str::to_string),
    }
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_from_messages() {
        assert_eq!(
            classify("u@[h]:22: HOST KEY CHANGED: the server offers ..."),
            Reason::HostKey
        );
        assert_eq!(classify("u@h: host key ssh-ed25519 SHA256:x is not in ~/.ssh/known_hosts; refusing an unknown host"), Reason::HostKey);
        assert_eq!(
            classify("u@h: authentication failed (tried: ...)"),
            Reason::Auth
        );
        assert_eq!(classify("u@h: key file: /x does not exist"), Reason::Auth);
        assert_eq!(
            classify("u@h: cannot connect: Connection refused (os error 111)"),
            Reason::Connect
        );
        assert_eq!(
            classify("u@h: cannot connect: connection timed out"),
            Reason::Timeout
        );
        assert_eq!(
            classify("write failed: No space left on device"),
            Reason::DiskFull
        );
        assert_eq!(classify("scp: /x: Permission denied"), Reason::Permission);
        assert_eq!(classify("u@h: SSH handshake failed: bad"), Reason::Ssh);
    }

    #[test]
    fn bounded_runs_everything_in_order() {
        let peak = AtomicUsize::new(0);
        let now = AtomicUsize::new(0);
        let out = run_bounded(20, 3, |i| {
            let c = now.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(c, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(5));
            now.fetch_sub(1, Ordering::SeqCst);
            i * 2
        });
        assert_eq!(out, (0..20).map(|i| i * 2).collect::<Vec<_>>());
        assert!(peak.load(Ordering::SeqCst) <= 3);
        assert_eq!(run_bounded(0, 4, |i| i), Vec::<usize>::new());
    }

    #[test]
    fn durations() {
        assert_eq!(seconds_text(0.0456), "46ms");
        assert_eq!(seconds_text(1.5), "1.50s");
    }
}
