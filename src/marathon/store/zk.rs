//! The ZooKeeper backend: `<zk path>/state/<key>`.
//!
//! Values larger than [`COMPRESS_ABOVE`] are stored gzip-compressed (and so
//! is any value that happens to start with the gzip magic, so that reading
//! is unambiguous: a stored value starting with `1f 8b` is always gzip).
//! One session is shared by all operations; when it expires (or the client
//! closes) the next operation opens a new one. Connection losses within a
//! session are retried until [`OP_DEADLINE`].

use std::future::Future;
use std::io::{Read, Write};
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;
use zookeeper_client as zkc;

use super::StoreError;
use crate::leader::spec::ZkUrl;
use crate::master::contender::describe;

/// Values above this size are gzip-compressed.
pub const COMPRESS_ABOVE: usize = 64 * 1024;
/// The largest node we write: 1 MiB (ZooKeeper's default `jute.maxbuffer`
/// and Marathon's `--zk_max_node_size`), less room for the request framing.
pub const MAX_NODE_SIZE: usize = 1024 * 1024 - 4096;
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const SESSION_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one operation may keep retrying through connection losses and
/// session renewals.
const OP_DEADLINE: Duration = Duration::from_secs(30);

type ZkFuture<T> = Pin<Box<dyn Future<Output = Result<T, zkc::Error>> + Send>>;

pub struct ZkStore {
    url: ZkUrl,
    /// `<zk path>/state`, no trailing slash.
    base: String,
    acls: Vec<zkc::Acl>,
    client: tokio::sync::Mutex<Option<zkc::Client>>,
}

impl ZkStore {
    pub async fn open(flag: &str) -> Result<ZkStore, StoreError> {
        let url = crate::master::contender::load_zk_url(flag).map_err(StoreError::BadZkUrl)?;
        let base = format!("{}/state", url.path.trim_end_matches('/'));
        let acls = crate::master::registrar::registry_acls(url.credentials.is_some());
        let store = ZkStore {
            url,
            base,
            acls,
            client: tokio::sync::Mutex::new(None),
        };
        store.client().await?;
        Ok(store)
    }

    pub fn describe(&self) -> String {
        format!("{}/state", self.url)
    }

    fn node(&self, key: &str) -> String {
        if key.is_empty() {
            self.base.clone()
        } else {
            format!("{}/{key}", self.base)
        }
    }

    fn err(&self, why: String) -> StoreError {
        StoreError::Zk {
            url: self.url.to_string(),
            why,
        }
    }

    /// The current session, or a new one when there is none or it ended.
    async fn client(&self) -> Result<zkc::Client, StoreError> {
        let mut guard = self.client.lock().await;
        if let Some(c) = guard.as_ref() {
            if !c.state().is_terminated() {
                return Ok(c.clone());
            }
            crate::warning!(
                "ZooKeeper session of the state store {} ended ({}); opening a new one",
                self.describe(),
                c.state()
            );
        }
        *guard = None;
        let c = self.connect().await?;
        let opts = zkc::CreateMode::Persistent.with_acls(zkc::Acls::new(&self.acls));
        match tokio::time::timeout(OP_DEADLINE, c.mkdir(&self.base, &opts)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                return Err(self.err(format!("cannot create {}: {}", self.base, describe(&e))))
            }
            Err(_) => return Err(self.err(format!("creating {} timed out", self.base))),
        }
        *guard = Some(c.clone());
        Ok(c)
    }

    async fn connect(&self) -> Result<zkc::Client, StoreError> {
        let mut connector = zkc::Client::connector().with_session_timeout(SESSION_TIMEOUT);
        if let Some((user, pass)) = &self.url.credentials {
            connector = connector.with_auth("digest", format!("{user}:{pass}").as_bytes());
        }
        let limit = SESSION_TIMEOUT * 2 + Duration::from_secs(5);
        match tokio::time::timeout(limit, connector.connect(&self.url.connect_string())).await {
            Ok(Ok(c)) => Ok(c),
            Ok(Err(zkc::Error::AuthFailed)) => Err(self.err(match &self.url.credentials {
                Some((user, _)) => format!("ZooKeeper refused the credentials of user '{user}'"),
                None => "ZooKeeper refused the session (authentication failed)".into(),
            })),
            Ok(Err(e)) => Err(self.err(format!("cannot connect: {}", describe(&e)))),
            Err(_) => Err(self.err(format!("cannot connect within {}s", limit.as_secs()))),
        }
    }

    /// Run `op` with the session, retrying through connection losses and
    /// replacing an expired session, for up to [`OP_DEADLINE`].
    async fn run<T>(
        &self,
        what: &str,
        op: impl Fn(zkc::Client) -> ZkFuture<T>,
    ) -> Result<T, StoreError> {
        let deadline = Instant::now() + OP_DEADLINE;
        loop {
            let client = self.client().await?;
            let outcome = tokio::time::timeout_at(deadline, op(client.clone())).await;
            let e = match outcome {
                Ok(Ok(v)) => return Ok(v),
                Ok(Err(e)) => e,
                Err(_) => return Err(self.err(format!("{what} timed out"))),
            };
            match e {
                zkc::Error::SessionExpired | zkc::Error::ClientClosed => {
                    let mut guard = self.client.lock().await;
                    if guard.as_ref().map(|c| c.session_id()) == Some(client.session_id()) {
                        *guard = None;
                    }
                }
                zkc::Error::ConnectionLoss | zkc::Error::Timeout => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                e => return Err(self.err(format!("{what}: {}", describe(&e)))),
            }
            if Instant::now() >= deadline {
                return Err(self.err(format!("{what}: {}", describe(&e))));
            }
        }
    }

    pub async fn put(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        let data = encode(key, value)?;
        let path = self.node(key);
        let acls = self.acls.clone();
        self.run(&format!("writing {path}"), move |c| {
            let path = path.clone();
            let data = data.clone();
            let acls = acls.clone();
            Box::pin(async move { put_once(&c, &path, &data, &acls).await })
        })
        .await
    }

    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.node(key);
        let found = self
            .run(&format!("reading {path}"), move |c| {
                let path = path.clone();
                Box::pin(async move {
                    match c.get_data(&path).await {
                        Ok((data, stat)) => Ok(Some((data, stat.num_children))),
                        Err(zkc::Error::NoNode) => Ok(None),
                        Err(e) => Err(e),
                    }
                })
            })
            .await?;
        match found {
            // A node only created as the parent of others holds no value.
            Some((data, children)) if data.is_empty() && children > 0 => Ok(None),
            Some((data, _)) => decode(key, data).map(Some),
            None => Ok(None),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        let path = self.node(key);
        self.run(&format!("deleting {path}"), move |c| {
            let path = path.clone();
            Box::pin(async move { delete_tree(c, path).await })
        })
        .await
    }

    pub async fn list(&self, dir: &str) -> Result<Vec<String>, StoreError> {
        let path = self.node(dir);
        self.run(&format!("listing {path}"), move |c| {
            let path = path.clone();
            Box::pin(async move {
                match c.list_children(&path).await {
                    Ok(v) => Ok(v),
                    Err(zkc::Error::NoNode) => Ok(Vec::new()),
                    Err(e) => Err(e),
                }
            })
        })
        .await
    }
}

/// Set the data, or create the node (and its parents) when missing.
async fn put_once(
    c: &zkc::Client,
    path: &str,
    data: &[u8],
    acls: &[zkc::Acl],
) -> Result<(), zkc::Error> {
    match c.set_data(path, data, None).await {
        Ok(_) => return Ok(()),
        Err(zkc::Error::NoNode) => {}
        Err(e) => return Err(e),
    }
    let opts = zkc::CreateMode::Persistent.with_acls(zkc::Acls::new(acls));
    if let Some((parent, _)) = path.rsplit_once('/') {
        if !parent.is_empty() {
            c.mkdir(parent, &opts).await?;
        }
    }
    match c.create(path, data, &opts).await {
        Ok(_) => Ok(()),
        // Created concurrently (or by our own attempt before a connection
        // loss): overwrite.
        Err(zkc::Error::NodeExists) => c.set_data(path, data, None).await.map(|_| ()),
        Err(e) => Err(e),
    }
}

/// Delete `path` and everything under it; a missing node is fine.
fn delete_tree(c: zkc::Client, path: String) -> ZkFuture<()> {
    Box::pin(async move {
        loop {
            let children = match c.list_children(&path).await {
                Ok(v) => v,
                Err(zkc::Error::NoNode) => return Ok(()),
                Err(e) => return Err(e),
            };
            for child in children {
                delete_tree(c.clone(), format!("{path}/{child}")).await?;
            }
            match c.delete(&path, None).await {
                Ok(()) | Err(zkc::Error::NoNode) => return Ok(()),
                // A child appeared meanwhile: go again.
                Err(zkc::Error::NotEmpty) => continue,
                Err(e) => return Err(e),
            }
        }
    })
}

/// The stored form of a value: gzip above [`COMPRESS_ABOVE`] (or when it
/// would otherwise look compressed); refused above [`MAX_NODE_SIZE`].
pub fn encode(key: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
    let data = if value.len() > COMPRESS_ABOVE || value.starts_with(&GZIP_MAGIC) {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(value)
            .and_then(|_| enc.finish())
            .map_err(|e| StoreError::Corrupt {
                key: key.to_string(),
                why: e.to_string(),
            })?
    } else {
        value.to_vec()
    };
    if data.len() > MAX_NODE_SIZE {
        return Err(StoreError::TooLarge {
            key: key.to_string(),
            size: data.len(),
            limit: MAX_NODE_SIZE,
        });
    }
    Ok(data)
}

/// The value of a stored form (see [`encode`]).
pub fn decode(key: &str, data: Vec<u8>) -> Result<Vec<u8>, StoreError> {
    if !data.starts_with(&GZIP_MAGIC) {
        return Ok(data);
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data.as_slice())
        .read_to_end(&mut out)
        .map_err(|e| StoreError::Corrupt {
            key: key.to_string(),
            why: e.to_string(),
        })?;
    Ok(out)
}
