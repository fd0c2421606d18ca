//! Writing and recovering the registry ([`super::registry`], docs/registry.md).
//!
//! * `--registry=in_memory`: nothing is persisted (today's behaviour).
//! * `--registry=replicated_log` with `--zk`: the record lives in ZooKeeper
//!   at `<zk path>/registry` (gzip-compressed JSON; split into child nodes
//!   when it outgrows one znode), written by the leader only, each write
//!   fenced on the znode version it read or wrote last.
//! * `--registry=replicated_log` without `--zk`: `<work_dir>/registry.json`,
//!   written to a temp file and renamed.
//!
//! Writes: [`persist`] snapshots the record under the state lock (it is
//! small: agents and frameworks, no tasks), gives it a version, and hands it
//! to one writer task that encodes and stores it outside the lock. Only the
//! newest pending snapshot is written (each one is whole), so writes are
//! ordered and coalesced. A write that keeps failing for
//! `--registry_store_timeout` aborts the master, as real Mesos does.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use zookeeper_client as zkc;

use super::registry::{
    self, chunk_name, AgentRecord, FrameworkRecord, Manifest, NodeData, Record, UnreachableRecord,
    ZK_CHUNK,
};
use super::state::{now_secs, AgentEntry, Master, MasterState, Shared};
use crate::resources::attributes_to_wire;
use crate::wire::v1::TimeInfo;

pub use super::registry::{
    Backend, Registrar, DEFAULT_FETCH_TIMEOUT, DEFAULT_REREGISTER_TIMEOUT, DEFAULT_STORE_TIMEOUT,
    FILE_NAME, ZNODE,
};

/// Log and exit(1): a master that cannot keep its registry must not lead
/// (real Mesos aborts the same way).
pub fn abort(why: &str) -> ! {
    crate::error!("{why}");
    std::process::exit(1);
}

// ---------------------------------------------------------------------------
// State <-> record.

/// The record of an agent.
pub fn agent_record(a: &AgentEntry) -> AgentRecord {
    AgentRecord {
        id: a.id.clone(),
        hostname: a.hostname.clone(),
        ip: a.ip.clone(),
        port: a.port,
        version: a.version.clone(),
        capabilities: a.capabilities.clone(),
        resources: a.total.to_wire(None),
        attributes: attributes_to_wire(&a.attributes),
        registered_time: a.registered_time,
    }
}

/// The record to persist for the current state.
pub fn record_of(st: &MasterState) -> Record {
    let mut agents: Vec<AgentRecord> = st.agents.values().map(agent_record).collect();
    agents.extend(
        st.registry
            .recovered_agents
            .values()
            .filter(|a| !st.agents.contains_key(&a.id))
            .cloned(),
    );
    let now = now_secs();
    Record {
        format: registry::FORMAT,
        version: st.registry.version,
        master_id: st.id.clone(),
        agents,
        unreachable: st
            .removed_agents
            .iter()
            .map(|id| UnreachableRecord {
                id: id.clone(),
                timestamp: secs_time(
                    st.registry
                        .unreachable_since
                        .get(id)
                        .copied()
                        .unwrap_or(now),
                ),
            })
            .collect(),
        frameworks: st
            .frameworks
            .values()
            .map(|f| FrameworkRecord {
                framework_info: f.info.clone(),
                registered_time: f.registered_time,
            })
            .collect(),
        policy: Some(st.policy.clone()),
    }
}

/// A recovered id is used in URLs and paths: check it as a fresh one is.
fn valid_id(what: &str, id: &str) -> bool {
    match crate::daemon::ids::validate_id(what, id) {
        Ok(()) => true,
        Err(e) => {
            crate::warning!("Ignoring an entry of the registry: {e}");
            false
        }
    }
}

fn secs_time(s: f64) -> TimeInfo {
    TimeInfo {
        nanoseconds: (s * 1e9) as i64,
    }
}

/// Load a recovered record into the state of a master about to lead:
/// its agents become recovered agents (until they re-register), its
/// frameworks recovered frameworks (until they re-subscribe).
pub fn apply(st: &mut MasterState, rec: Record) {
    st.registry.version = st.registry.version.max(rec.version);
    for a in rec.agents {
        if !st.agents.contains_key(&a.id) && valid_id("Agent ID", &a.id) {
            st.registry.recovered_agents.insert(a.id.clone(), a);
        }
    }
    for u in rec.unreachable {
        if !st.agents.contains_key(&u.id) {
            st.registry
                .unreachable_since
                .insert(u.id.clone(), u.timestamp.secs());
            st.removed_agents.insert(u.id);
        }
    }
    for f in rec.frameworks {
        let Some(id) = f.id().map(str::to_string) else {
            continue;
        };
        if st.frameworks.contains_key(&id) || !valid_id("Framework ID", &id) {
            continue;
        }
        let mut fw = super::framework_info::framework_from_info(
            &id,
            &f.framework_info,
            f.registered_time,
            false,
        );
        fw.recovered = true;
        // Like Mesos: no failover timer runs for a recovered framework.
        fw.disconnected_at = None;
        st.registry.recovered_frameworks.insert(id.clone());
        st.frameworks.insert(id, fw);
    }
    if let Some(policy) = rec.policy {
        st.policy = policy;
    }
}

// ---------------------------------------------------------------------------
// Writes.

/// Persist the current state (call after any change of what the registry
/// holds, with the state lock released). Returns the version queued, or
/// `None` when nothing is persisted (in-memory registry, not the leader,
/// registry not recovered yet).
pub fn persist(m: &Master) -> Option<u64> {
    if !m.registrar.persistent() {
        return None;
    }
    let snapshot = {
        let mut st = m.lock();
        if !st.registry.writable {
            return None;
        }
        st.registry.version += 1;
        Arc::new((st.registry.version, record_of(&st)))
    };
    let v = snapshot.0;
    m.registrar.pending.send_if_modified(|cur| {
        if cur.as_ref().is_none_or(|c| c.0 < v) {
            *cur = Some(snapshot);
            true
        } else {
            false
        }
    });
    Some(v)
}

/// [`persist`], then wait until that version is stored (or the store
/// timeout passes, after which the writer aborts the master anyway).
pub async fn persist_and_wait(m: &Shared) {
    let Some(v) = persist(m) else {
        return;
    };
    let mut rx = m.registrar.written.subscribe();
    let limit = m.registrar.store_timeout + Duration::from_secs(1);
    let _ = tokio::time::timeout(limit, rx.wait_for(|w| *w >= v)).await;
}

/// Wait until every registry change handed to the writer so far is stored
/// (bounded by `--registry_store_timeout`): an operator call that changed
/// what the registry holds answers only then, as in Mesos, so a master
/// killed right after the answer has not lost the change.
pub async fn flushed(m: &Shared) {
    if !m.registrar.persistent() {
        return;
    }
    let v = m.lock().registry.version;
    let mut rx = m.registrar.written.subscribe();
    let limit = m.registrar.store_timeout + Duration::from_secs(1);
    let _ = tokio::time::timeout(limit, rx.wait_for(|w| *w >= v)).await;
}

/// Where the writer stores.
pub enum Store {
    File(PathBuf),
    Zk(ZkStore),
}

impl Store {
    async fn write(&mut self, rec: &Record) -> Result<usize, WriteError> {
        match self {
            Store::File(path) => {
                let bytes = registry::encode_json(rec);
                let path = path.clone();
                let n = bytes.len();
                tokio::task::spawn_blocking(move || write_file(&path, &bytes))
                    .await
                    .map_err(|e| WriteError::Retry(e.to_string()))?
                    .map_err(WriteError::Retry)?;
                Ok(n)
            }
            Store::Zk(z) => {
                let bytes = registry::encode(rec);
                z.write(&bytes, rec.version).await?;
                Ok(bytes.len())
            }
        }
    }
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    crate::fsutil::write_private(path, bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Why a write failed.
#[derive(Debug)]
pub enum WriteError {
    /// Worth retrying (connection loss, I/O error).
    Retry(String),
    /// Someone else changed the registry: this master must not go on.
    Fenced(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Retry(s) | WriteError::Fenced(s) => f.write_str(s),
        }
    }
}

/// Start the one writer task of this master (after recovery).
pub fn spawn_writer(m: Shared, mut store: Store) {
    let mut rx = m.registrar.pending.subscribe();
    rx.mark_changed();
    tokio::spawn(async move {
        loop {
            if rx.changed().await.is_err() {
                return;
            }
            let Some(p) = rx.borrow_and_update().clone() else {
                continue;
            };
            let (version, rec) = (&p.0, &p.1);
            let started = Instant::now();
            let mut backoff = Duration::from_millis(100);
            let size = loop {
                match store.write(rec).await {
                    Ok(n) => break n,
                    Err(WriteError::Fenced(why)) => abort(&format!(
                        "Registrar aborting: Failed to update registry: {why}"
                    )),
                    Err(WriteError::Retry(why)) => {
                        if started.elapsed() >= m.registrar.store_timeout {
                            abort(&format!(
                                "Registrar aborting: Failed to update registry within {}: {why}",
                                crate::duration::format_mesos_duration(m.registrar.store_timeout)
                            ));
                        }
                        crate::warning!(
                            "Failed to store registry version {version}: {why}; retrying"
                        );
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(2));
                    }
                }
            };
            let ms = started.elapsed().as_millis() as u64;
            m.registrar.last_store_ms.store(ms, Ordering::Relaxed);
            m.registrar.last_size.store(size as u64, Ordering::Relaxed);
            m.registrar.written.send_replace(*version);
        }
    });
}

// ---------------------------------------------------------------------------
// Recovery.

/// Recover a standalone master's registry from `--work_dir` before it
/// serves. A registry that cannot be read stops the master (exit 1), as in
/// Mesos; a missing one is an empty cluster.
pub fn recover_file(m: &Shared) -> Result<(), String> {
    let Backend::File(path) = &m.registrar.backend else {
        m.lock().registry.writable = false;
        return Ok(());
    };
    let rec = match std::fs::read(path) {
        Ok(bytes) => Some(
            registry::decode(&bytes)
                .map_err(|e| format!("cannot recover the registry {}: {e}", path.display()))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read the registry {}: {e}", path.display())),
    };
    // Prove the registry is writable before leading.
    let probe = path.with_file_name(format!(".{FILE_NAME}.probe"));
    write_file(&probe, b"{}\n").map_err(|e| format!("the registry is not writable: {e}"))?;
    let _ = std::fs::remove_file(&probe);
    finish_recovery(m, rec, &format!("{}", path.display()));
    spawn_writer(m.clone(), Store::File(path.clone()));
    persist(m);
    Ok(())
}

/// Recover the registry from ZooKeeper when elected: read it, write it
/// back (fenced), then install the writer. An error means this master
/// must not lead.
pub async fn recover_zk(
    m: &Shared,
    client: &zkc::Client,
    zk_path: &str,
    authenticated: bool,
) -> Result<(), String> {
    if !m.registrar.persistent() {
        let mut st = m.lock();
        st.registry.writable = false;
        return Ok(());
    }
    let node = format!("{}/{ZNODE}", zk_path.trim_end_matches('/'));
    let mut store = ZkStore {
        client: client.clone(),
        node: node.clone(),
        acls: registry_acls(authenticated),
        version: None,
        generation: None,
    };
    let fetch = m.registrar.fetch_timeout;
    let rec = match tokio::time::timeout(fetch, store.read()).await {
        Ok(r) => r?,
        Err(_) => {
            return Err(format!(
                "Failed to perform fetch within {}",
                crate::duration::format_mesos_duration(fetch)
            ))
        }
    };
    if store.version.is_none() {
        let limit = m.registrar.store_timeout;
        match tokio::time::timeout(limit, store.create_empty()).await {
            Ok(r) => r?,
            Err(_) => return Err(format!("creating {node} timed out")),
        }
    }
    finish_recovery(m, rec, &format!("ZooKeeper node {node}"));
    // The first write proves we can write, and fences out older leaders.
    let first = {
        let mut st = m.lock();
        st.registry.version += 1;
        record_of(&st)
    };
    let mut s = Store::Zk(store);
    let limit = m.registrar.store_timeout;
    match tokio::time::timeout(limit, s.write(&first)).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return Err(format!("Failed to update registry: {e}")),
        Err(_) => {
            return Err(format!(
                "Failed to update registry within {}",
                crate::duration::format_mesos_duration(limit)
            ))
        }
    }
    m.registrar.written.send_replace(first.version);
    spawn_writer(m.clone(), s);
    Ok(())
}

/// Common end of recovery: load the record, allow writes, start the
/// re-registration timer.
fn finish_recovery(m: &Shared, rec: Option<Record>, from: &str) {
    let (agents, frameworks) = {
        let mut st = m.lock();
        if let Some(rec) = rec {
            apply(&mut st, rec);
        }
        st.registry.writable = true;
        (
            st.registry.recovered_agents.len(),
            st.registry.recovered_frameworks.len(),
        )
    };
    crate::info!(
        "Recovered {agents} agents and {frameworks} frameworks from the registry in {from}"
    );
    if agents > 0 {
        spawn_reregister_timeout(m.clone(), agents);
    }
}

/// After `--agent_reregister_timeout`, recovered agents that did not
/// re-register are marked unreachable — unless more than
/// `--recovery_agent_removal_limit` of the `recovered` agents are missing:
/// then, as in Mesos, the master exits (another master takes over) rather
/// than remove them.
fn spawn_reregister_timeout(m: Shared, recovered: usize) {
    let timeout = m.registrar.reregister_timeout;
    let limit = m.registrar.removal_limit;
    tokio::spawn(async move {
        tokio::time::sleep(timeout).await;
        let gone: Vec<String> = {
            let mut st = m.lock();
            let missing = st.registry.recovered_agents.len();
            if !super::registry::within_removal_limit(missing, recovered, limit) {
                let ids: Vec<&String> = st.registry.recovered_agents.keys().collect();
                abort(&format!(
                    "Post-recovery agent removal limit exceeded! After {} there were {missing} ({:.0}%) agents recovered from the registry that did not re-register: {ids:?}. The configured removal limit is {:.0}%. Please investigate or increase this limit to proceed further",
                    crate::duration::format_mesos_duration(timeout),
                    100.0 * missing as f64 / recovered as f64,
                    100.0 * limit
                ));
            }
            let gone: Vec<String> = std::mem::take(&mut st.registry.recovered_agents)
                .into_keys()
                .collect();
            let now = now_secs();
            for id in &gone {
                st.removed_agents.insert(id.clone());
                st.registry.unreachable_since.insert(id.clone(), now);
                st.counters.agents_removed += 1;
                st.registry.recovery_agent_removals += 1;
            }
            gone
        };
        if gone.is_empty() {
            return;
        }
        for id in &gone {
            crate::warning!(
                "Agent {id} did not re-register within {} after master failover; marking it unreachable",
                crate::duration::format_mesos_duration(timeout)
            );
        }
        persist(&m);
    });
}

// ---------------------------------------------------------------------------
// ZooKeeper store.

/// ACL of the registry node: open without credentials; with credentials
/// only the authenticated user (it names frameworks and principals).
pub fn registry_acls(authenticated: bool) -> Vec<zkc::Acl> {
    if authenticated {
        vec![zkc::Acl::new(zkc::Permission::ALL, zkc::AuthId::authed())]
    } else {
        zkc::Acls::anyone_all().to_vec()
    }
}

/// The registry znode, as this leader last read or wrote it.
pub struct ZkStore {
    client: zkc::Client,
    node: String,
    acls: Vec<zkc::Acl>,
    /// Data version of the node (fencing); `None` until it exists.
    version: Option<i32>,
    /// Generation of the chunks the node points at, when chunked.
    generation: Option<u64>,
}

fn zk_err(what: &str, e: zkc::Error) -> WriteError {
    match e {
        zkc::Error::BadVersion | zkc::Error::NodeExists => WriteError::Fenced(format!(
            "{what}: the registry was changed by another master"
        )),
        zkc::Error::SessionExpired | zkc::Error::NoAuth => {
            WriteError::Fenced(format!("{what}: {e}"))
        }
        other => WriteError::Retry(format!("{what}: {other}")),
    }
}

impl ZkStore {
    /// Read the record (None when there is no registry yet).
    async fn read(&mut self) -> Result<Option<Record>, String> {
        let (data, stat) = match self.client.get_data(&self.node).await {
            Ok(v) => v,
            Err(zkc::Error::NoNode) => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", self.node)),
        };
        self.version = Some(stat.version);
        let bytes = match NodeData::parse(&data)? {
            NodeData::Inline(b) if b.is_empty() => return Ok(None),
            NodeData::Inline(b) => b,
            NodeData::Chunked(man) => {
                let mut out = Vec::with_capacity(man.size);
                for i in 0..man.chunks {
                    let p = format!("{}/{}", self.node, chunk_name(man.generation, i));
                    let (part, _) = self
                        .client
                        .get_data(&p)
                        .await
                        .map_err(|e| format!("cannot read {p}: {e}"))?;
                    out.extend_from_slice(&part);
                }
                if out.len() != man.size {
                    return Err(format!(
                        "registry chunks of generation {} hold {} bytes, not {}",
                        man.generation,
                        out.len(),
                        man.size
                    ));
                }
                self.generation = Some(man.generation);
                out
            }
        };
        registry::decode(&bytes).map(Some)
    }

    /// Create the (empty) registry node.
    async fn create_empty(&mut self) -> Result<(), String> {
        let mode = zkc::CreateMode::Persistent.with_acls(zkc::Acls::new(&self.acls));
        match self.client.create(&self.node, b"", &mode).await {
            Ok(_) => {
                self.version = Some(0);
                Ok(())
            }
            Err(e) => Err(zk_err(&format!("cannot create {}", self.node), e).to_string()),
        }
    }

    /// Store `bytes` (an encoded record of `generation`), fenced on the
    /// node version known to this leader.
    async fn write(&mut self, bytes: &[u8], generation: u64) -> Result<(), WriteError> {
        let (data, new_gen) = if bytes.len() <= ZK_CHUNK {
            (bytes.to_vec(), None)
        } else {
            let parts = registry::split(bytes, ZK_CHUNK);
            let mode = zkc::CreateMode::Persistent.with_acls(zkc::Acls::new(&self.acls));
            for (i, part) in parts.iter().enumerate() {
                let p = format!("{}/{}", self.node, chunk_name(generation, i));
                match self.client.create(&p, part, &mode).await {
                    Ok(_) => {}
                    // Left by an earlier attempt of this same write.
                    Err(zkc::Error::NodeExists) => {
                        self.client
                            .set_data(&p, part, None)
                            .await
                            .map_err(|e| zk_err(&format!("cannot write {p}"), e))?;
                    }
                    Err(e) => return Err(zk_err(&format!("cannot create {p}"), e)),
                }
            }
            let man = Manifest {
                generation,
                chunks: parts.len(),
                size: bytes.len(),
            };
            (
                serde_json::to_vec(&man).unwrap_or_default(),
                Some(generation),
            )
        };
        match self.client.set_data(&self.node, &data, self.version).await {
            Ok(stat) => self.version = Some(stat.version),
            Err(e @ (zkc::Error::ConnectionLoss | zkc::Error::Timeout)) => {
                // The write may have happened: believe what the node holds.
                match self.client.get_data(&self.node).await {
                    Ok((now, stat)) if now == data => self.version = Some(stat.version),
                    Ok((_, stat)) if Some(stat.version) != self.version => {
                        return Err(WriteError::Fenced(format!(
                            "cannot write {}: the registry was changed by another master",
                            self.node
                        )))
                    }
                    _ => {
                        return Err(WriteError::Retry(format!(
                            "cannot write {}: {e}",
                            self.node
                        )))
                    }
                }
            }
            Err(e) => return Err(zk_err(&format!("cannot write {}", self.node), e)),
        }
        if self.generation != new_gen || new_gen.is_some() {
            self.drop_chunks_except(new_gen).await;
        }
        self.generation = new_gen;
        Ok(())
    }

    /// Delete chunk nodes of other generations (best effort).
    async fn drop_chunks_except(&self, keep: Option<u64>) {
        let Ok(children) = self.client.list_children(&self.node).await else {
            return;
        };
        let prefix = keep.map(|g| format!("{g:010}-"));
        for c in children {
            if prefix.as_deref().is_some_and(|p| c.starts_with(p)) {
                continue;
            }
            let _ = self
                .client
                .delete(&format!("{}/{c}", self.node), None)
                .await;
        }
    }
}
