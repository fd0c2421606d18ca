//! Persistent state of the scheduler (apps, versions, deployments, the
//! framework id, instances): a small key/value store with two backends.
//!
//! * [`StoreConfig::Dir`]: one file per key under `<work_dir>/state/<key>`,
//!   written to a temporary file, fsynced and renamed over the old one (and
//!   the directory fsynced), so a crash leaves the old or the new value,
//!   never a torn one.
//! * [`StoreConfig::Zk`]: one znode per key under `<zk path>/state/<key>`,
//!   parents created as needed; values above 64 KiB are gzip-compressed and
//!   a value still above the node limit after compression is refused with
//!   an error naming the key. A lost session is replaced by a new one on
//!   the next operation.
//!
//! Keys are `/`-separated segments of `[A-Za-z0-9._-]` (no empty segment,
//! no `.` or `..`). A key that holds a value must not also be used as a
//! prefix of other keys (the directory backend cannot hold both and says
//! so); [`Store::delete`] removes a key together with everything under it.
//! The layout is documented in docs/marathon.md ("State store").

mod dir;
mod zk;

use std::path::PathBuf;
use std::sync::Arc;

/// Where the state lives.
#[derive(Clone, Debug)]
pub enum StoreConfig {
    /// `--work_dir`: files under `<dir>/state/`.
    Dir(PathBuf),
    /// `--zk zk://[user:pass@]h1:p1,h2:p2/path` (or `file:///path` naming a
    /// file that holds one): znodes under `<path>/state/`.
    Zk(String),
}

/// What went wrong. Messages are one line and never hold ZooKeeper
/// credentials.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("invalid state key '{key}': {why}")]
    BadKey { key: String, why: &'static str },
    #[error("state key '{key}': {why}")]
    Conflict { key: String, why: &'static str },
    #[error("state key '{key}': value of {size} bytes exceeds the {limit}-byte ZooKeeper node limit even compressed")]
    TooLarge {
        key: String,
        size: usize,
        limit: usize,
    },
    #[error("state key '{key}': cannot decompress the stored value: {why}")]
    Corrupt { key: String, why: String },
    #[error("state store {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    BadZkUrl(String),
    #[error("state store in ZooKeeper {url}: {why}")]
    Zk { url: String, why: String },
}

/// A handle on the store. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Dir(Arc<dir::DirStore>),
    Zk(Arc<zk::ZkStore>),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Store {
    /// Open (and create when missing) the store. For ZooKeeper this
    /// connects and creates `<path>/state`.
    pub async fn open(cfg: &StoreConfig) -> Result<Store, StoreError> {
        let backend = match cfg {
            StoreConfig::Dir(work_dir) => {
                Backend::Dir(Arc::new(dir::DirStore::open(work_dir).await?))
            }
            StoreConfig::Zk(flag) => Backend::Zk(Arc::new(zk::ZkStore::open(flag).await?)),
        };
        Ok(Store { backend })
    }

    /// Where the state is, for logs (no credentials):
    /// `/var/lib/x/state` or `zk://h:2181/marathon/state`.
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::Dir(d) => d.root().display().to_string(),
            Backend::Zk(z) => z.describe(),
        }
    }

    /// Store `value` under `key`, replacing any old value.
    pub async fn put(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        check_key(key)?;
        match &self.backend {
            Backend::Dir(d) => d.put(key, value).await,
            Backend::Zk(z) => z.put(key, value).await,
        }
    }

    /// The value under `key`, `None` when there is none (a pure prefix of
    /// other keys holds no value).
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        check_key(key)?;
        match &self.backend {
            Backend::Dir(d) => d.get(key).await,
            Backend::Zk(z) => z.get(key).await,
        }
    }

    /// Remove `key` and everything under it. Removing what does not exist
    /// is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        check_key(key)?;
        match &self.backend {
            Backend::Dir(d) => d.delete(key).await,
            Backend::Zk(z) => z.delete(key).await,
        }
    }

    /// Names of the children of `dir` (`""` for the top level), sorted;
    /// empty when `dir` does not exist.
    pub async fn list(&self, dir: &str) -> Result<Vec<String>, StoreError> {
        if !dir.is_empty() {
            check_key(dir)?;
        }
        let mut names = match &self.backend {
            Backend::Dir(d) => d.list(dir).await?,
            Backend::Zk(z) => z.list(dir).await?,
        };
        names.sort();
        Ok(names)
    }
}

/// Refuse keys that could escape the store or that the two backends would
/// not treat alike.
pub fn check_key(key: &str) -> Result<(), StoreError> {
    let bad = |why| {
        Err(StoreError::BadKey {
            key: key.chars().take(200).collect(),
            why,
        })
    };
    if key.is_empty() {
        return bad("empty");
    }
    for seg in key.split('/') {
        if seg.is_empty() {
            return bad("empty segment (leading, trailing or doubled '/')");
        }
        if seg == "." || seg == ".." {
            return bad("'.' and '..' segments are not allowed");
        }
        if !seg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        {
            return bad("segments may only hold A-Z a-z 0-9 . _ -");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
