//! Small filesystem helpers.

use std::io::Write;
use std::path::Path;

/// Write `data` to `path` atomically: a temp file beside it, fsync, rename.
/// Parent directories are created.
pub fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    write_via_temp(path, data, 0o666)
}

/// Write `data` to `path` atomically, readable by the owner only: the
/// temporary file is created 0600, so the content is never exposed. The
/// parent directory must exist.
pub fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, data, 0o600)
}

/// A new temp file beside `path` (created with `mode`, before the umask),
/// written, synced and renamed over `path`; removed again on failure.
fn write_via_temp(path: &Path, data: &[u8], mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = dir.join(format!(".{name}.tmp.{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Expand a leading `~/` to the home directory.
pub fn expand_tilde(p: &str) -> std::path::PathBuf {
    if let Some(rest) = p.strip_prefix("~/") {
        if let Some(home) = dirs::home_dir() {
            return home.join(rest);
        }
    }
    std::path::PathBuf::from(p)
}
