//! The directory backend: `<work_dir>/state/<key>`.
//!
//! A write goes to `<name>~tmp.<pid>.<n>` beside the target (`~` cannot
//! appear in a key, so a leftover temporary file never shadows one and
//! [`DirStore::list`] skips it), is fsynced, renamed over the target, and
//! the directory is fsynced so that the rename itself survives a crash.
//! Files are created 0600: apps may carry secrets in their environment.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::StoreError;

/// Marks temporary files; never part of a valid key.
const TMP_MARK: char = '~';

pub struct DirStore {
    root: PathBuf,
    seq: AtomicU64,
}

impl DirStore {
    pub async fn open(work_dir: &Path) -> Result<DirStore, StoreError> {
        let root = work_dir.join("state");
        let r = root.clone();
        blocking(move || {
            std::fs::create_dir_all(&r).map_err(|e| io_err(&r, e))?;
            sweep_temps(&r);
            Ok(())
        })
        .await?;
        Ok(DirStore {
            root,
            seq: AtomicU64::new(0),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    pub async fn put(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        let path = self.path(key);
        let root = self.root.clone();
        let key = key.to_string();
        let value = value.to_vec();
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        blocking(move || {
            if path.is_dir() {
                return Err(StoreError::Conflict {
                    key,
                    why: "is a prefix of other keys and cannot hold a value",
                });
            }
            let dir = path.parent().unwrap_or(&root).to_path_buf();
            // A parent that is a value file: refuse rather than fail obscurely.
            let mut p = dir.as_path();
            while p.starts_with(&root) && p != root {
                if p.is_file() {
                    return Err(StoreError::Conflict {
                        key,
                        why: "a prefix of it already holds a value",
                    });
                }
                p = p.parent().unwrap_or(&root);
            }
            std::fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
            write_synced(&path, &value, n).map_err(|e| io_err(&path, e))
        })
        .await
    }

    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.path(key);
        blocking(move || match std::fs::read(&path) {
            Ok(v) => Ok(Some(v)),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound
                        | std::io::ErrorKind::IsADirectory
                        | std::io::ErrorKind::NotADirectory
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(io_err(&path, e)),
        })
        .await
    }

    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        let path = self.path(key);
        blocking(move || {
            let result = match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path),
                Ok(_) => std::fs::remove_file(&path),
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    if let Some(dir) = path.parent() {
                        sync_dir(dir);
                    }
                    Ok(())
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                    ) =>
                {
                    Ok(())
                }
                Err(e) => Err(io_err(&path, e)),
            }
        })
        .await
    }

    pub async fn list(&self, dir: &str) -> Result<Vec<String>, StoreError> {
        let path = if dir.is_empty() {
            self.root.clone()
        } else {
            self.path(dir)
        };
        blocking(move || {
            let entries = match std::fs::read_dir(&path) {
                Ok(e) => e,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                    ) =>
                {
                    return Ok(Vec::new())
                }
                Err(e) => return Err(io_err(&path, e)),
            };
            let mut names = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| io_err(&path, e))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.contains(TMP_MARK) {
                    names.push(name);
                }
            }
            Ok(names)
        })
        .await
    }
}

/// Write through a temporary file, fsync it, rename it over `path`, fsync
/// the directory. The temporary file is removed again on failure.
fn write_synced(path: &Path, data: &[u8], n: u64) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!("{name}{TMP_MARK}tmp.{}.{n}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// fsync a directory so that renames and removals in it are durable
/// (best effort: some filesystems refuse it).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Remove temporary files left by a crash in the middle of a write.
fn sweep_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir {
            sweep_temps(&path);
        } else if entry.file_name().to_string_lossy().contains(TMP_MARK) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

fn io_err(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => Err(StoreError::Io {
            path: "(state store)".into(),
            source: std::io::Error::other(e.to_string()),
        }),
    }
}
