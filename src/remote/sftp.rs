//! A small SFTP client on libssh2's C API, for what the `ssh2` crate does
//! not offer: `posix-rename@openssh.com`, the only way to replace an
//! existing file atomically over SFTP (OpenSSH's plain SFTP rename refuses
//! an existing target). With it, `mesos scp` replaces files with rename(2)
//! on the server and needs no remote shell at all.
//!
//! The functions are those of the libssh2 linked through `ssh2` (its
//! `libssh2-sys` builds and links libssh2 1.11, which has them all). One
//! [`Sftp`] belongs to one thread, like the [`Session`] it borrows; it is
//! shut down before the session can be dropped.

use std::ffi::{c_char, c_int, c_long, c_uint, c_ulong, c_void};
use std::marker::PhantomData;
use std::time::Duration;

use crate::cluster::ssh::Session;
use crate::remote::fanout;

#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
struct Attributes {
    flags: c_ulong,
    filesize: u64,
    uid: c_ulong,
    gid: c_ulong,
    permissions: c_ulong,
    atime: c_ulong,
    mtime: c_ulong,
}

#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
struct StatVfs {
    f_bsize: u64,
    f_frsize: u64,
    f_blocks: u64,
    f_bfree: u64,
    f_bavail: u64,
    f_files: u64,
    f_ffree: u64,
    f_favail: u64,
    f_fsid: u64,
    f_flag: u64,
    f_namemax: u64,
}

extern "C" {
    fn libssh2_sftp_init(session: *mut c_void) -> *mut c_void;
    fn libssh2_sftp_shutdown(sftp: *mut c_void) -> c_int;
    fn libssh2_sftp_last_error(sftp: *mut c_void) -> c_ulong;
    fn libssh2_sftp_open_ex(
        sftp: *mut c_void,
        filename: *const c_char,
        filename_len: c_uint,
        flags: c_ulong,
        mode: c_long,
        open_type: c_int,
    ) -> *mut c_void;
    fn libssh2_sftp_write(handle: *mut c_void, buffer: *const c_char, count: usize) -> isize;
    fn libssh2_sftp_close_handle(handle: *mut c_void) -> c_int;
    fn libssh2_sftp_fstat_ex(handle: *mut c_void, attrs: *mut Attributes, setstat: c_int) -> c_int;
    fn libssh2_sftp_fstatvfs(handle: *mut c_void, st: *mut StatVfs) -> c_int;
    fn libssh2_sftp_stat_ex(
        sftp: *mut c_void,
        path: *const c_char,
        path_len: c_uint,
        stat_type: c_int,
        attrs: *mut Attributes,
    ) -> c_int;
    fn libssh2_sftp_rename_ex(
        sftp: *mut c_void,
        src: *const c_char,
        src_len: c_uint,
        dst: *const c_char,
        dst_len: c_uint,
        flags: c_long,
    ) -> c_int;
    fn libssh2_sftp_posix_rename_ex(
        sftp: *mut c_void,
        src: *const c_char,
        src_len: usize,
        dst: *const c_char,
        dst_len: usize,
    ) -> c_int;
    fn libssh2_sftp_unlink_ex(sftp: *mut c_void, path: *const c_char, path_len: c_uint) -> c_int;
    fn libssh2_session_last_error(
        session: *mut c_void,
        msg: *mut *mut c_char,
        len: *mut c_int,
        want_buf: c_int,
    ) -> c_int;
}

const FXF_WRITE: c_ulong = 0x02;
const FXF_CREAT: c_ulong = 0x08;
const FXF_TRUNC: c_ulong = 0x10;
const FXF_EXCL: c_ulong = 0x20;
const ATTR_PERMISSIONS: c_ulong = 0x04;
const ATTR_ACMODTIME: c_ulong = 0x08;
const STAT: c_int = 0;
const LSTAT: c_int = 1;
const ERROR_SFTP_PROTOCOL: c_int = -31;
const ERROR_EAGAIN: c_int = -37;

/// SFTP status codes (`SSH_FX_*`).
pub const FX_NO_SUCH_FILE: u32 = 2;
pub const FX_PERMISSION_DENIED: u32 = 3;
pub const FX_FAILURE: u32 = 4;
pub const FX_OP_UNSUPPORTED: u32 = 8;
pub const FX_NO_SUCH_PATH: u32 = 10;
pub const FX_WRITE_PROTECT: u32 = 12;
pub const FX_NO_SPACE: u32 = 14;
pub const FX_QUOTA_EXCEEDED: u32 = 15;

/// A failed SFTP call: the SFTP status (when the server sent one), the
/// libssh2 error code and its message.
#[derive(Clone, Debug)]
pub struct SftpError {
    pub status: Option<u32>,
    pub code: i32,
    pub message: String,
}

impl std::fmt::Display for SftpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            Some(s) => write!(f, "{}", status_text(s)),
            None => f.write_str(&self.message),
        }
    }
}

/// What an SFTP status means, in words.
pub fn status_text(s: u32) -> &'static str {
    match s {
        0 => "ok",
        1 => "end of file",
        FX_NO_SUCH_FILE => "no such file or directory",
        FX_PERMISSION_DENIED => "permission denied",
        FX_FAILURE => "failure",
        5 => "bad message",
        6 | 7 => "connection lost",
        FX_OP_UNSUPPORTED => "operation not supported by the server",
        9 => "invalid handle",
        FX_NO_SUCH_PATH => "no such path",
        11 => "file already exists",
        FX_WRITE_PROTECT => "write protected",
        FX_NO_SPACE => "no space left on the file system",
        FX_QUOTA_EXCEEDED => "quota exceeded",
        19 => "not a directory",
        _ => "error",
    }
}

/// What `stat` says about a path.
#[derive(Clone, Copy, Debug)]
pub struct Stat {
    pub is_dir: bool,
}

/// One SFTP session (one `sftp` subsystem channel).
pub struct Sftp<'a> {
    sess: *mut c_void,
    sftp: *mut c_void,
    _session: PhantomData<&'a Session>,
}

/// One open remote file.
pub struct File<'s, 'a> {
    sftp: &'s Sftp<'a>,
    handle: *mut c_void,
}

fn session_ptr(s: &Session) -> *mut c_void {
    let mut guard = s.raw().raw();
    &mut *guard as *mut _ as *mut c_void
}

fn len_u32(s: &str) -> Result<c_uint, SftpError> {
    c_uint::try_from(s.len()).map_err(|_| SftpError {
        status: None,
        code: -34,
        message: "path too long".into(),
    })
}

impl<'a> Sftp<'a> {
    /// Open the `sftp` subsystem (non-blocking, see [`fanout::step`]).
    pub fn open(sess: &'a Session, timeout: Duration) -> Result<Sftp<'a>, SftpError> {
        let raw = session_ptr(sess);
        let r = fanout::step(sess, timeout, || {
            // SAFETY: a live session, used from this thread only.
            let p = unsafe { libssh2_sftp_init(raw) };
            if p.is_null() {
                let e = session_error(raw, std::ptr::null_mut());
                Err(ssh2::Error::new(
                    ssh2::ErrorCode::Session(e.code),
                    if e.code == ERROR_EAGAIN {
                        "would block"
                    } else {
                        "cannot start SFTP"
                    },
                ))
            } else {
                Ok(p)
            }
        });
        match r {
            Ok(p) => Ok(Sftp {
                sess: raw,
                sftp: p,
                _session: PhantomData,
            }),
            Err(e) => {
                let mut err = session_error(raw, std::ptr::null_mut());
                if let ssh2::ErrorCode::Session(c) = e.code() {
                    err.code = c;
                }
                Err(err)
            }
        }
    }

    fn error(&self, rc: c_int) -> SftpError {
        let mut e = session_error(self.sess, self.sftp);
        if rc != ERROR_SFTP_PROTOCOL {
            e.status = None;
            e.code = rc;
        }
        e
    }

    /// `stat` (follows symlinks) or `lstat`.
    pub fn stat(&self, path: &str, follow: bool) -> Result<Stat, SftpError> {
        let mut a = Attributes::default();
        // SAFETY: valid pointers for the duration of the call.
        let rc = unsafe {
            libssh2_sftp_stat_ex(
                self.sftp,
                path.as_ptr() as *const c_char,
                len_u32(path)?,
                if follow { STAT } else { LSTAT },
                &mut a,
            )
        };
        if rc < 0 {
            return Err(self.error(rc));
        }
        Ok(Stat {
            is_dir: a.flags & ATTR_PERMISSIONS != 0 && (a.permissions & 0o170000) == 0o040000,
        })
    }

    /// Create `path` for writing; fails when it exists.
    pub fn create_new<'s>(&'s self, path: &str, mode: u32) -> Result<File<'s, 'a>, SftpError> {
        // SAFETY: valid pointers for the duration of the call.
        let h = unsafe {
            libssh2_sftp_open_ex(
                self.sftp,
                path.as_ptr() as *const c_char,
                len_u32(path)?,
                FXF_WRITE | FXF_CREAT | FXF_TRUNC | FXF_EXCL,
                mode as c_long,
                0,
            )
        };
        if h.is_null() {
            return Err(self.error(ERROR_SFTP_PROTOCOL));
        }
        Ok(File {
            sftp: self,
            handle: h,
        })
    }

    /// Plain SFTP rename (refuses an existing target on OpenSSH).
    pub fn rename(&self, src: &str, dst: &str) -> Result<(), SftpError> {
        // SAFETY: valid pointers for the duration of the call.
        let rc = unsafe {
            libssh2_sftp_rename_ex(
                self.sftp,
                src.as_ptr() as *const c_char,
                len_u32(src)?,
                dst.as_ptr() as *const c_char,
                len_u32(dst)?,
                0x7,
            )
        };
        if rc < 0 {
            return Err(self.error(rc));
        }
        Ok(())
    }

    /// `posix-rename@openssh.com`: rename(2) on the server, replacing the
    /// target atomically. `FX_OP_UNSUPPORTED` when the server lacks it.
    pub fn posix_rename(&self, src: &str, dst: &str) -> Result<(), SftpError> {
        // SAFETY: valid pointers for the duration of the call.
        let rc = unsafe {
            libssh2_sftp_posix_rename_ex(
                self.sftp,
                src.as_ptr() as *const c_char,
                src.len(),
                dst.as_ptr() as *const c_char,
                dst.len(),
            )
        };
        if rc < 0 {
            return Err(self.error(rc));
        }
        Ok(())
    }

    pub fn unlink(&self, path: &str) -> Result<(), SftpError> {
        // SAFETY: valid pointers for the duration of the call.
        let rc = unsafe {
            libssh2_sftp_unlink_ex(self.sftp, path.as_ptr() as *const c_char, len_u32(path)?)
        };
        if rc < 0 {
            return Err(self.error(rc));
        }
        Ok(())
    }
}

impl Drop for Sftp<'_> {
    fn drop(&mut self) {
        // SAFETY: the pointer came from libssh2_sftp_init and is freed once.
        unsafe {
            libssh2_sftp_shutdown(self.sftp);
        }
    }
}

impl File<'_, '_> {
    /// Write some of `buf`; returns how much was taken.
    pub fn write(&mut self, buf: &[u8]) -> Result<usize, SftpError> {
        // SAFETY: valid handle and buffer for the duration of the call.
        let n =
            unsafe { libssh2_sftp_write(self.handle, buf.as_ptr() as *const c_char, buf.len()) };
        if n < 0 {
            return Err(self.sftp.error(n as c_int));
        }
        Ok(n as usize)
    }

    /// Set permissions and access/modification times.
    pub fn set_mode_and_times(
        &mut self,
        mode: u32,
        atime: u64,
        mtime: u64,
    ) -> Result<(), SftpError> {
        let mut a = Attributes {
            flags: ATTR_PERMISSIONS | ATTR_ACMODTIME,
            permissions: mode as c_ulong,
            atime: atime as c_ulong,
            mtime: mtime as c_ulong,
            ..Attributes::default()
        };
        // SAFETY: valid handle and attributes for the duration of the call.
        let rc = unsafe { libssh2_sftp_fstat_ex(self.handle, &mut a, 1) };
        if rc < 0 {
            return Err(self.sftp.error(rc));
        }
        Ok(())
    }

    /// Bytes available to the user on the file's file system
    /// (`fstatvfs@openssh.com`; `None` when the server lacks it).
    pub fn available(&mut self) -> Option<u64> {
        let mut st = StatVfs::default();
        // SAFETY: valid handle and struct for the duration of the call.
        let rc = unsafe { libssh2_sftp_fstatvfs(self.handle, &mut st) };
        (rc == 0).then(|| st.f_bavail.saturating_mul(st.f_frsize.max(1)))
    }

    /// Close, reporting errors (dropping closes too, ignoring them).
    pub fn close(mut self) -> Result<(), SftpError> {
        let h = std::mem::replace(&mut self.handle, std::ptr::null_mut());
        // SAFETY: the handle is open and closed exactly once.
        let rc = unsafe { libssh2_sftp_close_handle(h) };
        if rc < 0 {
            return Err(self.sftp.error(rc));
        }
        Ok(())
    }
}

impl Drop for File<'_, '_> {
    fn drop(&mut self) {
        if !self.handle.is_null() {
            // SAFETY: the handle is open and closed exactly once.
            unsafe {
                libssh2_sftp_close_handle(self.handle);
            }
        }
    }
}

/// The session's last error, with the SFTP status when `sftp` is given and
/// the error was an SFTP protocol error.
fn session_error(sess: *mut c_void, sftp: *mut c_void) -> SftpError {
    let mut msg: *mut c_char = std::ptr::null_mut();
    let mut len: c_int = 0;
    // SAFETY: libssh2 points msg into its own buffer (want_buf = 0); it is
    // copied before any other call.
    let code = unsafe { libssh2_session_last_error(sess, &mut msg, &mut len, 0) };
    let message = if msg.is_null() || len <= 0 {
        String::new()
    } else {
        // SAFETY: len bytes at msg, as libssh2 reported.
        let bytes = unsafe { std::slice::from_raw_parts(msg as *const u8, len as usize) };
        String::from_utf8_lossy(bytes).into_owned()
    };
    let status = if code == ERROR_SFTP_PROTOCOL && !sftp.is_null() {
        // SAFETY: a live SFTP session.
        Some(unsafe { libssh2_sftp_last_error(sftp) } as u32)
    } else {
        None
    };
    SftpError {
        status,
        code,
        message,
    }
}
