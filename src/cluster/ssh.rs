//! SSH sessions (libssh2 through the `ssh2` crate) for the cluster commands.
//!
//! * Host keys are checked against `~/.ssh/known_hosts` (plain and hashed
//!   `|1|` entries, `[host]:port` patterns, wildcards, negations,
//!   `@revoked`). A changed key is always refused; an unknown host is refused
//!   unless `accept_new` is set, in which case its key is appended. The host
//!   key algorithms already known for a host are preferred in the handshake,
//!   like OpenSSH does.
//!
//!   This checker is ours rather than libssh2's `knownhost` API on purpose:
//!   libssh2 (0.3.x of libssh2-sys) matches names literally, so `*.lab`
//!   patterns never match, `a,!b` treats `!b` as a name, and `@revoked`
//!   lines are skipped, so a revoked key would count as an unknown host and
//!   `--accept-new-host-keys` would record it.
//! * Authentication: the key file when one is configured, else the SSH agent
//!   (`SSH_AUTH_SOCK`), else `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa`.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;

use super::state::SshTarget;
use super::SshError;
use crate::error::{Error, Result};

/// An authenticated SSH session to one host.
pub struct Session {
    sess: ssh2::Session,
    pub target: SshTarget,
}

/// What a remote command did.
#[derive(Debug, Clone)]
pub struct ExecOut {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl ExecOut {
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
    /// The last few lines of stderr (else stdout), for error messages.
    pub fn tail(&self, n: usize) -> String {
        let text = if self.stderr.iter().any(|b| !b.is_ascii_whitespace()) {
            self.stderr_text()
        } else {
            self.stdout_text()
        };
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        lines[lines.len().saturating_sub(n)..].join(" | ")
    }
}

/// `~/.ssh/known_hosts`.
pub fn known_hosts_path() -> Option<PathBuf> {
    dirs::home_dir().map(|h| h.join(".ssh").join("known_hosts"))
}

/// `host` for port 22, else `[host]:port`, as known_hosts names hosts.
pub fn host_pattern_name(host: &str, port: u16) -> String {
    if port == 22 {
        host.to_string()
    } else {
        format!("[{host}]:{port}")
    }
}

/// The result of looking a host key up in known_hosts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyCheck {
    /// Listed with this key.
    Known,
    /// The host is not listed at all.
    Unknown,
    /// Listed, but with another key of this type: possible impersonation.
    Changed,
    /// Listed only with keys of other types.
    OtherTypes(Vec<String>),
    /// The key is marked `@revoked`.
    Revoked,
}

/// Does `name` match one known_hosts host pattern (`*`, `?` wildcards,
/// hashed `|1|salt|hash`)?
fn pattern_matches(pattern: &str, name: &str) -> bool {
    if let Some(rest) = pattern.strip_prefix("|1|") {
        let Some((salt, hash)) = rest.split_once('|') else {
            return false;
        };
        let b64 = base64::engine::general_purpose::STANDARD;
        let (Ok(salt), Ok(hash)) = (b64.decode(salt), b64.decode(hash)) else {
            return false;
        };
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &salt);
        return ring::hmac::verify(&key, name.as_bytes(), &hash).is_ok();
    }
    glob(pattern, name)
}

/// OpenSSH's pattern rule (`*` and `?` only, case-insensitive; brackets are
/// literal, as in `[host]:port`) through the `glob` crate.
fn glob(pattern: &str, name: &str) -> bool {
    let mut p = String::with_capacity(pattern.len() + 8);
    for c in pattern.chars() {
        match c {
            '*' if p.ends_with('*') => {}
            '[' | ']' => {
                p.push('[');
                p.push(c);
                p.push(']');
            }
            _ => p.push(c),
        }
    }
    let opts = glob::MatchOptions {
        case_sensitive: false,
        require_literal_separator: false,
        require_literal_leading_dot: false,
    };
    glob::Pattern::new(&p).is_ok_and(|p| p.matches_with(name, opts))
}

/// Do the comma-separated `patterns` name `name` (a negated match wins)?
fn host_matches(patterns: &str, name: &str) -> bool {
    let mut hit = false;
    for p in patterns.split(',') {
        if let Some(neg) = p.strip_prefix('!') {
            if pattern_matches(neg, name) {
                return false;
            }
        } else if pattern_matches(p, name) {
            hit = true;
        }
    }
    hit
}

/// Look `key_type key_b64` up for `host:port` in the text of a known_hosts file.
pub fn check_known_hosts(
    text: &str,
    host: &str,
    port: u16,
    key_type: &str,
    key_b64: &str,
) -> KeyCheck {
    let name = host_pattern_name(host, port);
    let mut listed = false;
    let mut same_type_other_key = false;
    let mut known = false;
    let mut types = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut f = line.split_whitespace();
        let mut first = f.next().unwrap_or("");
        let marker = if first.starts_with('@') {
            let m = first;
            first = f.next().unwrap_or("");
            Some(m)
        } else {
            None
        };
        let (Some(kt), Some(kb)) = (f.next(), f.next()) else {
            continue;
        };
        if marker == Some("@cert-authority") || !host_matches(first, &name) {
            continue;
        }
        if marker == Some("@revoked") {
            if kt == key_type && kb == key_b64 {
                return KeyCheck::Revoked;
            }
            continue;
        }
        listed = true;
        if kt == key_type {
            if kb == key_b64 {
                known = true;
            } else {
                same_type_other_key = true;
            }
        } else if !types.iter().any(|t| t == kt) {
            types.push(kt.to_string());
        }
    }
    if known {
        KeyCheck::Known
    } else if same_type_other_key {
        KeyCheck::Changed
    } else if listed {
        KeyCheck::OtherTypes(types)
    } else {
        KeyCheck::Unknown
    }
}

/// Key types listed for a host (to prefer them in the handshake).
fn known_types(text: &str, host: &str, port: u16) -> Vec<String> {
    let name = host_pattern_name(host, port);
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let mut f = line.split_whitespace();
        let Some(first) = f.next() else { continue };
        if first.starts_with('#') || first.starts_with('@') || !host_matches(first, &name) {
            continue;
        }
        if let Some(kt) = f.next() {
            if !out.iter().any(|t| t == kt) {
                out.push(kt.to_string());
            }
        }
    }
    out
}

/// The key type named at the start of an SSH public key blob.
pub fn blob_key_type(blob: &[u8]) -> Option<String> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    String::from_utf8(blob.get(4..4 + len)?.to_vec()).ok()
}

/// `SHA256:...` fingerprint as OpenSSH prints it.
pub fn fingerprint(blob: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, blob);
    format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(d.as_ref())
    )
}

/// Host key algorithms libssh2 may negotiate for a key type.
fn algorithms_for(key_type: &str) -> &'static [&'static str] {
    match key_type {
        "ssh-ed25519" => &["ssh-ed25519"],
        "ecdsa-sha2-nistp256" => &["ecdsa-sha2-nistp256"],
        "ecdsa-sha2-nistp384" => &["ecdsa-sha2-nistp384"],
        "ecdsa-sha2-nistp521" => &["ecdsa-sha2-nistp521"],
        "ssh-rsa" => &["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
        _ => &[],
    }
}

const DEFAULT_HOSTKEY_PREFS: &[&str] = &[
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "rsa-sha2-512",
    "rsa-sha2-256",
    "ssh-rsa",
];

fn label(t: &SshTarget) -> String {
    format!("{}@{}", t.user, host_pattern_name(&t.host, t.port))
}

fn ssh_err(t: &SshTarget, what: &str, e: impl std::fmt::Display) -> Error {
    SshError::Step {
        target: label(t),
        what: what.to_string(),
        cause: e.to_string(),
    }
    .into()
}

impl Session {
    /// Connect, check the host key, authenticate.
    pub fn connect(t: &SshTarget, accept_new: bool, timeout: Duration) -> Result<Session> {
        Self::connect_with(t, accept_new, timeout, &[])
    }

    /// [`Session::connect`] with extra method preferences for the handshake
    /// (e.g. ciphers: `(MethodType::CryptCs, "aes128-gcm@openssh.com,...")`;
    /// a preference libssh2 cannot honour is ignored).
    pub fn connect_with(
        t: &SshTarget,
        accept_new: bool,
        timeout: Duration,
        extra_prefs: &[(ssh2::MethodType, &str)],
    ) -> Result<Session> {
        let addr = (t.host.as_str(), t.port)
            .to_socket_addrs()
            .map_err(|e| ssh_err(t, "cannot resolve", e))?
            .next()
            .ok_or_else(|| ssh_err(t, "cannot resolve", "no address"))?;
        let tcp = TcpStream::connect_timeout(&addr, timeout)
            .map_err(|e| ssh_err(t, "cannot connect", e))?;
        let _ = tcp.set_nodelay(true);
        let mut sess = ssh2::Session::new().map_err(|e| ssh_err(t, "cannot start SSH", e))?;
        sess.set_timeout(timeout.as_millis().min(u128::from(u32::MAX)) as u32);
        // Prefer the key types we already know for this host.
        let kh_path = known_hosts_path();
        let kh_text = kh_path
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        let mut prefs: Vec<&str> = Vec::new();
        for kt in known_types(&kh_text, &t.host, t.port) {
            for a in algorithms_for(&kt) {
                if !prefs.contains(a) {
                    prefs.push(a);
                }
            }
        }
        for a in DEFAULT_HOSTKEY_PREFS {
            if !prefs.contains(a) {
                prefs.push(a);
            }
        }
        let _ = sess.method_pref(ssh2::MethodType::HostKey, &prefs.join(","));
        for (kind, pref) in extra_prefs {
            let _ = sess.method_pref(*kind, pref);
        }
        sess.set_tcp_stream(tcp);
        sess.handshake()
            .map_err(|e| ssh_err(t, "SSH handshake failed", e))?;
        let s = Session {
            sess,
            target: t.clone(),
        };
        s.check_host_key(&kh_text, kh_path.as_deref(), accept_new)?;
        s.authenticate()?;
        Ok(s)
    }

    fn check_host_key(
        &self,
        kh_text: &str,
        kh_path: Option<&Path>,
        accept_new: bool,
    ) -> Result<()> {
        let t = &self.target;
        let (blob, _) = self
            .sess
            .host_key()
            .ok_or_else(|| ssh_err(t, "host key", "the server sent none"))?;
        let key_type = blob_key_type(blob).unwrap_or_else(|| "unknown".into());
        let b64 = base64::engine::general_purpose::STANDARD.encode(blob);
        let fp = fingerprint(blob);
        let shown = kh_path
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "~/.ssh/known_hosts".into());
        match check_known_hosts(kh_text, &t.host, t.port, &key_type, &b64) {
            KeyCheck::Known => Ok(()),
            KeyCheck::Revoked => Err(SshError::HostKeyRevoked {
                target: label(t),
                key_type,
                fingerprint: fp,
                known_hosts: shown,
            }
            .into()),
            KeyCheck::Changed => Err(SshError::HostKeyChanged {
                target: label(t),
                key_type,
                fingerprint: fp,
                known_hosts: shown,
                pattern: host_pattern_name(&t.host, t.port),
            }
            .into()),
            KeyCheck::OtherTypes(types) => Err(SshError::HostKeyOtherTypes {
                target: label(t),
                key_type,
                fingerprint: fp,
                known_hosts: shown,
                known_types: types,
            }
            .into()),
            KeyCheck::Unknown if accept_new => {
                let Some(p) = kh_path else {
                    return Err(ssh_err(t, "host key", "no home directory for known_hosts"));
                };
                append_known_host(p, &host_pattern_name(&t.host, t.port), &key_type, &b64)
                    .map_err(|e| {
                        ssh_err(
                            t,
                            &format!("cannot record the host key in {}", p.display()),
                            e,
                        )
                    })?;
                crate::output::status(format!(
                    "{}: recorded new host key {key_type} {fp} in {shown}",
                    label(t)
                ));
                Ok(())
            }
            KeyCheck::Unknown => Err(SshError::HostKeyUnknown {
                target: label(t),
                key_type,
                fingerprint: fp,
                known_hosts: shown,
            }
            .into()),
        }
    }

    fn authenticate(&self) -> Result<()> {
        let t = &self.target;
        let user = t.user.as_str();
        if let Some(k) = &t.key_file {
            let path = crate::fsutil::expand_tilde(k);
            if !path.is_file() {
                return Err(ssh_err(
                    t,
                    "key file",
                    format!("{} does not exist", path.display()),
                ));
            }
            return self
                .sess
                .userauth_pubkey_file(user, None, &path, None)
                .map_err(|e| {
                    SshError::KeyRefused {
                        target: label(t),
                        key_file: path.display().to_string(),
                        cause: e.to_string(),
                    }
                    .into()
                });
        }
        let mut tried = Vec::new();
        if std::env::var_os("SSH_AUTH_SOCK").is_some() {
            match self.sess.userauth_agent(user) {
                Ok(()) if self.sess.authenticated() => return Ok(()),
                Ok(()) => tried.push("the SSH agent".to_string()),
                Err(e) => tried.push(format!("the SSH agent ({e})")),
            }
        }
        if let Some(home) = dirs::home_dir() {
            for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
                let p = home.join(".ssh").join(name);
                if p.is_file() {
                    if self.sess.userauth_pubkey_file(user, None, &p, None).is_ok()
                        && self.sess.authenticated()
                    {
                        return Ok(());
                    }
                    tried.push(p.display().to_string());
                }
            }
        }
        Err(SshError::AuthFailed {
            target: label(t),
            tried,
        }
        .into())
    }

    /// Timeout of every blocking operation from now on.
    pub fn set_timeout(&self, d: Duration) {
        self.sess
            .set_timeout(d.as_millis().min(u128::from(u32::MAX)) as u32);
    }

    /// The underlying libssh2 session (SFTP, SCP, non-blocking channels).
    pub fn raw(&self) -> &ssh2::Session {
        &self.sess
    }

    /// Write `files` (name, content) into directory `dir` (absolute, on
    /// the host; created 0700, made 0700) over SFTP, each file created 0600
    /// before a byte is written, so no other user can read a key or a
    /// secret. Other files in `dir` are left alone (hosts may share it).
    pub fn write_private_files(&self, dir: &str, files: &[(String, String)]) -> Result<()> {
        use ssh2::{FileStat, OpenFlags, OpenType};
        let t = &self.target;
        let q = sh_quote(dir);
        let out = self.exec(&format!("umask 077 && mkdir -p {q} && chmod 700 {q}"), None)?;
        if out.code != 0 {
            return Err(SshError::RemoteMkdir {
                target: label(t),
                dir: dir.to_string(),
                output: out.tail(2),
            }
            .into());
        }
        let sftp = self
            .sess
            .sftp()
            .map_err(|e| ssh_err(t, "cannot start SFTP", e))?;
        let private = FileStat {
            size: None,
            uid: None,
            gid: None,
            perm: Some(0o600),
            atime: None,
            mtime: None,
        };
        for (name, content) in files {
            let p = Path::new(dir).join(name);
            let what = |w: &str| format!("cannot {w} {}", p.display());
            let mut f = sftp
                .open_mode(
                    &p,
                    OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::TRUNCATE,
                    0o600,
                    OpenType::File,
                )
                .map_err(|e| ssh_err(t, &what("create"), e))?;
            // An existing file keeps its mode on open: make it private first.
            f.setstat(private.clone())
                .map_err(|e| ssh_err(t, &what("chmod"), e))?;
            f.write_all(content.as_bytes())
                .map_err(|e| ssh_err(t, &what("write"), e))?;
        }
        Ok(())
    }

    /// `user@host[:port]`, for messages.
    pub fn label(&self) -> String {
        label(&self.target)
    }

    /// Run `cmd` through the remote shell, feeding `stdin` if given.
    pub fn exec(&self, cmd: &str, stdin: Option<&[u8]>) -> Result<ExecOut> {
        self.exec_reader(cmd, stdin.map(|b| Box::new(b) as Box<dyn Read + '_>))
    }

    /// Run `cmd`, streaming `stdin` from a reader (uploads).
    pub fn exec_reader(&self, cmd: &str, stdin: Option<Box<dyn Read + '_>>) -> Result<ExecOut> {
        let t = &self.target;
        let mut ch = self
            .sess
            .channel_session()
            .map_err(|e| ssh_err(t, "cannot open a channel", e))?;
        ch.exec(cmd)
            .map_err(|e| ssh_err(t, "cannot run a command", e))?;
        if let Some(mut r) = stdin {
            let mut buf = vec![0u8; 256 * 1024];
            loop {
                let n = r
                    .read(&mut buf)
                    .map_err(|e| ssh_err(t, "cannot read input", e))?;
                if n == 0 {
                    break;
                }
                ch.write_all(&buf[..n])
                    .map_err(|e| ssh_err(t, "cannot send input", e))?;
            }
        }
        ch.send_eof()
            .map_err(|e| ssh_err(t, "cannot send input", e))?;
        let mut stdout = Vec::new();
        ch.read_to_end(&mut stdout)
            .map_err(|e| ssh_err(t, "cannot read output", e))?;
        let mut stderr = Vec::new();
        ch.stderr()
            .read_to_end(&mut stderr)
            .map_err(|e| ssh_err(t, "cannot read output", e))?;
        ch.wait_close().map_err(|e| ssh_err(t, "channel", e))?;
        let code = ch.exit_status().map_err(|e| ssh_err(t, "exit status", e))?;
        Ok(ExecOut {
            code,
            stdout,
            stderr,
        })
    }

    /// Run `cmd` and call `on_chunk` with stdout as it arrives (`tail -f`).
    pub fn exec_stream(
        &self,
        cmd: &str,
        mut on_chunk: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<i32> {
        let t = &self.target;
        self.sess.set_timeout(0);
        let mut ch = self
            .sess
            .channel_session()
            .map_err(|e| ssh_err(t, "cannot open a channel", e))?;
        ch.exec(cmd)
            .map_err(|e| ssh_err(t, "cannot run a command", e))?;
        let mut buf = vec![0u8; 32 * 1024];
        loop {
            let n = ch
                .read(&mut buf)
                .map_err(|e| ssh_err(t, "cannot read output", e))?;
            if n == 0 {
                break;
            }
            on_chunk(&buf[..n])?;
        }
        let _ = ch.wait_close();
        Ok(ch.exit_status().unwrap_or(-1))
    }
}

/// Append one plain line to known_hosts (creating `~/.ssh` 0700 and the file 0600).
pub fn append_known_host(
    path: &Path,
    host: &str,
    key_type: &str,
    b64: &str,
) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    // Keep the file line-based even if its last line had no newline.
    let needs_nl = std::fs::read(path)
        .map(|b| !b.is_empty() && !b.ends_with(b"\n"))
        .unwrap_or(false);
    let mut line = String::new();
    if needs_nl {
        line.push('\n');
    }
    line.push_str(&format!("{host} {key_type} {b64}\n"));
    f.write_all(line.as_bytes())
}

/// Quote for a POSIX shell (shell-words).
pub fn sh_quote(s: &str) -> String {
    shell_words::quote(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    #[test]
    fn plain_and_bracketed_entries() {
        let kh = format!("127.0.0.2 ssh-ed25519 {KEY}\n[127.0.0.3]:2222 ssh-ed25519 {KEY} c\n");
        assert_eq!(
            check_known_hosts(&kh, "127.0.0.2", 22, "ssh-ed25519", KEY),
            KeyCheck::Known
        );
        assert_eq!(
            check_known_hosts(&kh, "127.0.0.3", 2222, "ssh-ed25519", KEY),
            KeyCheck::Known
        );
        assert_eq!(
            check_known_hosts(&kh, "127.0.0.3", 22, "ssh-ed25519", KEY),
            KeyCheck::Unknown
        );
        assert_eq!(
            check_known_hosts(&kh, "127.0.0.2", 22, "ssh-ed25519", "AAAA"),
            KeyCheck::Changed
        );
        assert_eq!(
            check_known_hosts(&kh, "127.0.0.2", 22, "ecdsa-sha2-nistp256", "AAAA"),
            KeyCheck::OtherTypes(vec!["ssh-ed25519".into()])
        );
    }

    #[test]
    fn hashed_wildcard_negated_and_revoked_entries() {
        // `ssh-keygen -H` of "node1": salt and HMAC-SHA1.
        let salt = [7u8; 20];
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &salt);
        let tag = ring::hmac::sign(&key, b"node1");
        let b64 = base64::engine::general_purpose::STANDARD;
        let hashed = format!("|1|{}|{}", b64.encode(salt), b64.encode(tag.as_ref()));
        let kh = format!("{hashed} ssh-ed25519 {KEY}\n*.lab,!bad.lab ssh-ed25519 {KEY}\n@revoked evil ssh-ed25519 {KEY}\n");
        assert_eq!(
            check_known_hosts(&kh, "node1", 22, "ssh-ed25519", KEY),
            KeyCheck::Known
        );
        assert_eq!(
            check_known_hosts(&kh, "node2", 22, "ssh-ed25519", KEY),
            KeyCheck::Unknown
        );
        assert_eq!(
            check_known_hosts(&kh, "a.lab", 22, "ssh-ed25519", KEY),
            KeyCheck::Known
        );
        assert_eq!(
            check_known_hosts(&kh, "bad.lab", 22, "ssh-ed25519", KEY),
            KeyCheck::Unknown
        );
        assert_eq!(
            check_known_hosts(&kh, "evil", 22, "ssh-ed25519", KEY),
            KeyCheck::Revoked
        );
        assert_eq!(known_types(&kh, "a.lab", 22), ["ssh-ed25519"]);
        // OpenSSH patterns are case-insensitive, and brackets are literal.
        assert_eq!(
            check_known_hosts(&kh, "A.Lab", 22, "ssh-ed25519", KEY),
            KeyCheck::Known
        );
        let kh = format!("[*.lab]:2222 ssh-ed25519 {KEY}\n[ab]x ssh-ed25519 {KEY}\n");
        assert_eq!(
            check_known_hosts(&kh, "n.lab", 2222, "ssh-ed25519", KEY),
            KeyCheck::Known
        );
        assert_eq!(
            check_known_hosts(&kh, "ax", 22, "ssh-ed25519", KEY),
            KeyCheck::Unknown
        );
    }

    #[test]
    fn key_type_and_fingerprint_of_a_blob() {
        let blob = base64::engine::general_purpose::STANDARD
            .decode(KEY)
            .unwrap();
        assert_eq!(blob_key_type(&blob).as_deref(), Some("ssh-ed25519"));
        assert!(fingerprint(&blob).starts_with("SHA256:"));
        assert_eq!(blob_key_type(&[0, 0]), None);
    }

    #[test]
    fn appending_keeps_lines_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".ssh/known_hosts");
        append_known_host(&p, "h1", "ssh-ed25519", KEY).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&p)
            .unwrap()
            .write_all(b"# no newline")
            .unwrap();
        append_known_host(&p, "[h2]:2222", "ssh-ed25519", KEY).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(text.lines().count(), 3, "{text}");
        assert_eq!(
            check_known_hosts(&text, "h2", 2222, "ssh-ed25519", KEY),
            KeyCheck::Known
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(sh_quote("a b"), "'a b'");
        assert_eq!(sh_quote("it's"), "'it'\\''s'");
    }
}
