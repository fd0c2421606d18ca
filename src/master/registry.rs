//! The master's registry: what must survive a master failover or restart
//! (docs/registry.md). Real Mesos keeps it in a replicated log; we keep the
//! same record in ZooKeeper (`--zk`) or in `--work_dir` (see
//! [`super::registrar`] for where and when it is written).
//!
//! This module is the typed record, its codec and the writer's handle
//! ([`Registrar`]) only: it knows nothing of the master's live state, so
//! that `state` can hold [`RegistryState`] and the handle without a module
//! cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::wire::framework::FrameworkInfo;
use serde::{Deserialize, Serialize};

use crate::daemon::flags::Flags;
use crate::resources::{attribute_map, attributes_from_wire, attributes_to_wire, Resources};
use crate::wire::v1::TimeInfo;

/// Version of the record layout; a newer one is refused, not misread.
pub const FORMAT: u32 = 1;

/// The persisted registry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    pub format: u32,
    /// Bumped by every write; a reader keeps the highest.
    pub version: u64,
    /// Id of the master that wrote this version.
    pub master_id: String,
    /// Admitted agents (registered at least once, not removed since).
    pub agents: Vec<AgentRecord>,
    /// Agents marked unreachable, with the time they were.
    pub unreachable: Vec<UnreachableRecord>,
    /// Frameworks registered with the cluster (not torn down).
    pub frameworks: Vec<FrameworkRecord>,
    /// Maintenance schedule, down machines, quotas and weights; `None` in
    /// a registry written before any was set (the flags' `--weights` then
    /// stay in force).
    pub policy: Option<crate::master::policy::Policy>,
}

/// An admitted agent: its AgentInfo.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentRecord {
    pub id: String,
    pub hostname: String,
    pub ip: String,
    pub port: u16,
    pub version: String,
    pub capabilities: Vec<String>,
    /// v1 `Resource`s (the agent's total).
    pub resources: Vec<crate::wire::Resource>,
    /// v1 `Attribute`s.
    pub attributes: Vec<crate::wire::resources::Attribute>,
    /// Epoch seconds of the first registration.
    pub registered_time: f64,
}

/// An agent marked unreachable.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnreachableRecord {
    pub id: String,
    /// When it was marked unreachable.
    pub timestamp: TimeInfo,
}

/// A framework: its v1 FrameworkInfo (with `id`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FrameworkRecord {
    pub framework_info: FrameworkInfo,
    /// Epoch seconds of its first subscription.
    pub registered_time: f64,
}

impl FrameworkRecord {
    /// `framework_info.id.value`.
    pub fn id(&self) -> Option<&str> {
        self.framework_info.id()
    }
}

/// The registry-related part of the master's live state.
#[derive(Clone, Debug, Default)]
pub struct RegistryState {
    /// Agents of the recovered registry that have not re-registered yet
    /// (`recovered_slaves`, `recovered_agents`).
    pub recovered_agents: BTreeMap<String, AgentRecord>,
    /// When each unreachable agent (`MasterState::removed_agents`) was
    /// marked so, epoch seconds.
    pub unreachable_since: BTreeMap<String, f64>,
    /// Frameworks of the recovered registry (used once, at recovery).
    pub recovered_frameworks: BTreeSet<String>,
    /// Recovered agents marked unreachable because they did not
    /// re-register in time (`master/recovery_slave_removals`).
    pub recovery_agent_removals: u64,
    /// Version of the last record handed to the writer.
    pub version: u64,
    /// The registry was recovered (or there is none to recover): writes
    /// are allowed. False on followers and during recovery.
    pub writable: bool,
}

// ---------------------------------------------------------------------------
// The writer's handle (master/registrar.rs writes and recovers; the handle
// lives here so that the master's state can hold it without a module cycle).

/// `--registry_store_timeout` default (as in Mesos).
pub const DEFAULT_STORE_TIMEOUT: Duration = Duration::from_secs(20);
/// `--registry_fetch_timeout` default (as in Mesos).
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(60);
/// `--agent_reregister_timeout` default (as in Mesos).
pub const DEFAULT_REREGISTER_TIMEOUT: Duration = Duration::from_secs(600);
/// Name of the registry file in `--work_dir`.
pub const FILE_NAME: &str = "registry.json";
/// Name of the registry znode under the `--zk` path.
pub const ZNODE: &str = "registry";

/// Where this master keeps its registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    InMemory,
    File(PathBuf),
    ZooKeeper,
}

/// A snapshot waiting to be written.
pub(super) type Pending = Option<Arc<(u64, Record)>>;

/// The registry writer's handle, one per master.
pub struct Registrar {
    pub backend: Backend,
    pub(super) pending: watch::Sender<Pending>,
    pub(super) written: watch::Sender<u64>,
    pub store_timeout: Duration,
    pub fetch_timeout: Duration,
    pub reregister_timeout: Duration,
    /// `--recovery_agent_removal_limit` as a fraction (1.0 = 100%).
    pub removal_limit: f64,
    /// Duration of the last store, milliseconds (for `registrar/*` metrics).
    pub(super) last_store_ms: AtomicU64,
    /// Size of the last stored record, bytes.
    pub(super) last_size: AtomicU64,
}

/// `--recovery_agent_removal_limit` (`"N%"`, validated at start-up) as a
/// fraction; 100% when missing.
pub fn removal_limit(flag: Option<&str>) -> f64 {
    flag.and_then(super::flags::percentage).unwrap_or(1.0)
}

/// Whether removing `gone` of the `recovered` agents stays within `limit`
/// (a fraction), the way Mesos compares them.
pub fn within_removal_limit(gone: usize, recovered: usize, limit: f64) -> bool {
    recovered == 0 || (gone as f64 / recovered as f64) <= limit
}

impl Registrar {
    pub fn new(flags: &Flags) -> Registrar {
        let registry = flags.get("registry").unwrap_or("replicated_log");
        let backend = if registry == "in_memory" {
            Backend::InMemory
        } else if flags.string("zk").is_some() {
            Backend::ZooKeeper
        } else {
            let dir = flags.string("work_dir").unwrap_or_else(|| ".".into());
            Backend::File(crate::fsutil::expand_tilde(&dir).join(FILE_NAME))
        };
        let d = |name: &str, default: Duration| {
            flags
                .duration(name)
                .filter(|d| !d.is_zero())
                .unwrap_or(default)
        };
        Registrar {
            backend,
            pending: watch::channel(None).0,
            written: watch::channel(0).0,
            store_timeout: d("registry_store_timeout", DEFAULT_STORE_TIMEOUT),
            fetch_timeout: d("registry_fetch_timeout", DEFAULT_FETCH_TIMEOUT),
            reregister_timeout: d("agent_reregister_timeout", DEFAULT_REREGISTER_TIMEOUT),
            removal_limit: removal_limit(flags.get("recovery_agent_removal_limit")),
            last_store_ms: AtomicU64::new(0),
            last_size: AtomicU64::new(0),
        }
    }

    /// Whether anything is persisted.
    pub fn persistent(&self) -> bool {
        self.backend != Backend::InMemory
    }

    /// Milliseconds the last registry store took.
    pub fn last_store_ms(&self) -> u64 {
        self.last_store_ms.load(Ordering::Relaxed)
    }

    /// Size in bytes of the last stored registry.
    pub fn last_size(&self) -> u64 {
        self.last_size.load(Ordering::Relaxed)
    }

    /// The version written last.
    pub fn written(&self) -> u64 {
        *self.written.borrow()
    }
}

// ---------------------------------------------------------------------------
// Rendering of recovered agents (typed wire shapes).

impl AgentRecord {
    /// v0 `recovered_slaves[]` entry (`wire::master::MasterState` writes
    /// only its `id`, `hostname`, `port` and `attributes`).
    pub fn slave_v0(&self) -> crate::wire::master::Agent {
        let attributes = attributes_from_wire(&self.attributes);
        crate::wire::master::Agent {
            id: self.id.clone(),
            hostname: self.hostname.clone(),
            port: Some(self.port),
            attributes: attribute_map(&attributes),
            ..Default::default()
        }
    }

    /// v1 `AgentInfo` (`get_agents.recovered_agents[]`).
    pub fn agent_info_v1(&self) -> crate::wire::operator::AgentInfo {
        let resources = Resources::from_wire(&self.resources)
            .map(|r| r.to_wire(None))
            .unwrap_or_default();
        let attributes = attributes_from_wire(&self.attributes);
        crate::wire::operator::AgentInfo {
            hostname: self.hostname.clone(),
            port: self.port,
            resources,
            attributes: attributes_to_wire(&attributes),
            id: crate::wire::operator::Id::new(self.id.clone()),
        }
    }
}

/// `recovered_slaves` of `/master/state` and `/master/slaves`.
pub fn recovered_slaves_v0(r: &RegistryState) -> Vec<crate::wire::master::Agent> {
    r.recovered_agents
        .values()
        .map(AgentRecord::slave_v0)
        .collect()
}

/// `recovered_agents` of GET_AGENTS.
pub fn recovered_agents_v1(r: &RegistryState) -> Vec<crate::wire::operator::AgentInfo> {
    r.recovered_agents
        .values()
        .map(AgentRecord::agent_info_v1)
        .collect()
}

// ---------------------------------------------------------------------------
// Codec.

/// Largest ZooKeeper node payload we write (ZooKeeper refuses more than
/// `jute.maxbuffer`, 1 MiB by default, including the request overhead).
pub const ZK_CHUNK: usize = 900 * 1024;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The record as gzip-compressed JSON (the ZooKeeper form).
pub fn encode(r: &Record) -> Vec<u8> {
    let json = serde_json::to_vec(r).unwrap_or_default();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(&json);
    enc.finish().unwrap_or_default()
}

/// The record as pretty JSON (the `--work_dir` form, readable by people).
pub fn encode_json(r: &Record) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(r).unwrap_or_default();
    v.push(b'\n');
    v
}

/// Decode either form (gzip-compressed or plain JSON).
pub fn decode(bytes: &[u8]) -> Result<Record, String> {
    let json = if bytes.starts_with(&GZIP_MAGIC) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .map_err(|e| format!("corrupt compressed registry: {e}"))?;
        out
    } else {
        bytes.to_vec()
    };
    let r: Record =
        serde_json::from_slice(&json).map_err(|e| format!("registry is not valid: {e}"))?;
    if r.format > FORMAT {
        return Err(format!(
            "registry format {} is newer than this master understands ({FORMAT})",
            r.format
        ));
    }
    Ok(r)
}

/// The manifest stored in the registry znode when the encoded record is
/// too large for one node: the record is split into `chunks` child nodes
/// `<generation>-<i>`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub generation: u64,
    pub chunks: usize,
    pub size: usize,
}

/// What the registry znode holds.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeData {
    /// The whole encoded record.
    Inline(Vec<u8>),
    /// A manifest: the record is in child nodes.
    Chunked(Manifest),
}

impl NodeData {
    pub fn parse(bytes: &[u8]) -> Result<NodeData, String> {
        if bytes.first() == Some(&b'{') && !bytes.starts_with(&GZIP_MAGIC) {
            if let Ok(m) = serde_json::from_slice::<Manifest>(bytes) {
                if m.chunks > 0 {
                    return Ok(NodeData::Chunked(m));
                }
            }
        }
        Ok(NodeData::Inline(bytes.to_vec()))
    }
}

/// Name of chunk `i` of `generation`.
pub fn chunk_name(generation: u64, i: usize) -> String {
    format!("{generation:010}-{i:06}")
}

/// Split an encoded record into node-sized chunks.
pub fn split(bytes: &[u8], chunk: usize) -> Vec<&[u8]> {
    bytes.chunks(chunk.max(1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn removal_limit_is_a_percentage_of_the_recovered_agents() {
        assert_eq!(removal_limit(None), 1.0);
        assert_eq!(removal_limit(Some("40%")), 0.4);
        assert_eq!(removal_limit(Some("0%")), 0.0);
        assert!(within_removal_limit(1, 2, 0.5));
        assert!(!within_removal_limit(1, 2, 0.4));
        assert!(within_removal_limit(2, 2, 1.0));
        assert!(!within_removal_limit(1, 10, 0.0));
        assert!(within_removal_limit(0, 0, 0.0));
    }

    fn sample() -> Record {
        Record {
            format: FORMAT,
            version: 7,
            master_id: "m1".into(),
            agents: vec![AgentRecord {
                id: "m1-S0".into(),
                hostname: "h1".into(),
                ip: "127.0.0.1".into(),
                port: 5051,
                version: "1.11.0".into(),
                capabilities: vec!["MULTI_ROLE".into()],
                resources: serde_json::from_value(json!([
                    {"name": "cpus", "type": "SCALAR", "scalar": {"value": 2.0}}
                ]))
                .unwrap(),
                attributes: serde_json::from_value(json!([
                    {"name": "rack", "type": "TEXT", "text": {"value": "r1"}}
                ]))
                .unwrap(),
                registered_time: 1.5,
            }],
            unreachable: vec![UnreachableRecord {
                id: "m0-S3".into(),
                timestamp: TimeInfo {
                    nanoseconds: 1_000_000_000,
                },
            }],
            frameworks: vec![FrameworkRecord {
                framework_info: serde_json::from_value(
                    json!({"id": {"value": "m1-0000"}, "name": "web", "user": "u"}),
                )
                .unwrap(),
                registered_time: 2.0,
            }],
            policy: Some({
                let mut p =
                    crate::master::policy::Policy::from_weights([("a".to_string(), 2.0)].into());
                p.schedule.windows.push(crate::wire::maintenance::Window {
                    machine_ids: vec![crate::wire::maintenance::MachineId::of_agent(
                        "h1", "10.0.0.1",
                    )],
                    unavailability: Default::default(),
                });
                p
            }),
        }
    }

    #[test]
    fn both_forms_round_trip() {
        let r = sample();
        let z = encode(&r);
        assert!(z.starts_with(&GZIP_MAGIC));
        assert_eq!(decode(&z).unwrap(), r);
        let j = encode_json(&r);
        assert_eq!(j[0], b'{');
        assert_eq!(decode(&j).unwrap(), r);
    }

    #[test]
    fn missing_fields_default_and_unknown_ones_are_ignored() {
        let r = decode(br#"{"version": 3, "agents": [{"id": "S1"}], "future": 1}"#).unwrap();
        assert_eq!(r.version, 3);
        assert_eq!(r.agents[0].id, "S1");
        assert_eq!(r.agents[0].port, 0);
        assert!(r.frameworks.is_empty());
        assert_eq!(r.policy, None);
    }

    #[test]
    fn corrupt_and_newer_registries_are_refused() {
        let e = decode(b"not json").unwrap_err();
        assert!(e.contains("registry is not valid"), "{e}");
        let mut z = encode(&sample());
        z.truncate(z.len() / 2);
        let e = decode(&z).unwrap_err();
        assert!(e.contains("corrupt compressed registry"), "{e}");
        let e = decode(br#"{"format": 99}"#).unwrap_err();
        assert!(e.contains("newer"), "{e}");
    }

    #[test]
    fn node_data_tells_a_manifest_from_a_record() {
        let m = Manifest {
            generation: 4,
            chunks: 3,
            size: 2_000_000,
        };
        let bytes = serde_json::to_vec(&m).unwrap();
        assert_eq!(NodeData::parse(&bytes).unwrap(), NodeData::Chunked(m));
        let z = encode(&sample());
        assert_eq!(NodeData::parse(&z).unwrap(), NodeData::Inline(z.clone()));
        // A plain-JSON record is not mistaken for a manifest.
        let j = encode_json(&sample());
        assert_eq!(NodeData::parse(&j).unwrap(), NodeData::Inline(j.clone()));
    }

    #[test]
    fn large_records_split_into_node_sized_chunks_and_join_back() {
        let mut r = sample();
        // Incompressible-ish ids: one record well above one znode.
        r.agents = (0..40_000)
            .map(|i| AgentRecord {
                id: format!(
                    "{:016x}-S{i}",
                    (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
                ),
                hostname: format!("host-{i}"),
                ..Default::default()
            })
            .collect();
        let z = encode(&r);
        let parts = split(&z, 64 * 1024);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.len() <= 64 * 1024));
        let joined: Vec<u8> = parts.concat();
        assert_eq!(decode(&joined).unwrap(), r);
        assert_eq!(chunk_name(3, 12), "0000000003-000012");
    }

    #[test]
    fn recovered_agents_render_as_mesos_does() {
        let st = RegistryState {
            recovered_agents: sample()
                .agents
                .into_iter()
                .map(|a| (a.id.clone(), a))
                .collect(),
            ..Default::default()
        };
        let v0 = serde_json::to_value(crate::wire::master::SlavesResponse {
            slaves: Vec::new(),
            recovered_slaves: recovered_slaves_v0(&st),
        })
        .unwrap();
        assert_eq!(
            v0["recovered_slaves"],
            json!([{"id": "m1-S0", "hostname": "h1", "port": 5051, "attributes": {"rack": "r1"}}])
        );
        let v1 = serde_json::to_value(recovered_agents_v1(&st)).unwrap();
        assert_eq!(v1[0]["id"], json!({"value": "m1-S0"}));
        assert_eq!(v1[0]["resources"][0]["name"], "cpus");
        assert_eq!(v1[0]["attributes"][0]["name"], "rack");
    }
}
