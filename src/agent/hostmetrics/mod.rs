//! Host and container measurements the agent serves as a metrics source
//! (docs/metrics.md#the-bundled-agent-as-a-metrics-source):
//!
//! * node samples (the dcos-metrics `/node` datapoints) taken by a
//!   background thread every [`NODE_INTERVAL`], never on a request;
//! * sandbox sizes (`disk.used` of containers) walked by the same thread
//!   every [`DISK_INTERVAL`].
//!
//! Handlers only read the latest sample under a short lock.

pub mod parse;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use parse::{CpuPercent, CpuTimes, Meminfo, NetDev};

/// How often the node is sampled (dcos-metrics: 60 s).
pub const NODE_INTERVAL: Duration = Duration::from_secs(5);
/// How often every live sandbox is walked for its size, unless
/// `--container_disk_watch_interval` says otherwise (Mesos' default).
pub const DISK_INTERVAL: Duration = Duration::from_secs(15);

/// Usage of one mounted filesystem (`statvfs`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FsUsage {
    pub path: String,
    pub capacity_total: u64,
    pub capacity_free: u64,
    pub capacity_used: u64,
    pub inode_total: u64,
    pub inode_free: u64,
    pub inode_used: u64,
}

/// One node sample: everything `/node` reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeSample {
    /// RFC 3339 UTC with nanoseconds.
    pub timestamp: String,
    pub uptime_secs: u64,
    pub cores: usize,
    pub cpu: CpuPercent,
    pub load: (f64, f64, f64),
    pub memory: Meminfo,
    pub filesystems: Vec<FsUsage>,
    pub networks: Vec<NetDev>,
    pub process_count: u64,
}

/// The sampler's shared state.
#[derive(Debug, Default)]
pub struct HostMetrics {
    node: Mutex<Option<Arc<NodeSample>>>,
    /// Sandbox sizes by sandbox path.
    disk: Mutex<HashMap<PathBuf, u64>>,
}

/// RFC 3339 UTC with nanoseconds, as dcos-metrics stamps node points.
pub fn rfc3339_nanos(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond()
    )
}

/// RFC 3339 UTC in whole seconds (`/ping`).
pub fn rfc3339_secs(t: time::OffsetDateTime) -> String {
    let s = rfc3339_nanos(t);
    format!("{}Z", &s[..19])
}

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// `statvfs` of one mount point, with dcos-metrics' arithmetic.
pub fn fs_usage(path: &str) -> Option<FsUsage> {
    let st = nix::sys::statvfs::statvfs(Path::new(path)).ok()?;
    let bsize = st.fragment_size() as u64;
    let blocks = st.blocks() as u64;
    let (files, ffree) = (st.files() as u64, st.files_free() as u64);
    Some(FsUsage {
        path: path.to_string(),
        capacity_total: blocks * bsize,
        capacity_free: st.blocks_available() as u64 * bsize,
        capacity_used: blocks.saturating_sub(st.blocks_free() as u64) * bsize,
        inode_total: files,
        inode_free: ffree,
        inode_used: files.saturating_sub(ffree),
    })
}

/// Take one node sample; `prev` carries the CPU counters between calls.
pub fn sample_node(prev: &mut Option<CpuTimes>) -> NodeSample {
    let now = time::OffsetDateTime::now_utc();
    let stat = read("/proc/stat").and_then(|t| parse::parse_stat(&t));
    let cpu = match (stat, prev.as_ref()) {
        (Some(s), Some(p)) => parse::cpu_percent(p, &s.cpu),
        // First sample: the delta from boot, as gopsutil's first call.
        (Some(s), None) => parse::cpu_percent(&CpuTimes::default(), &s.cpu),
        _ => CpuPercent::default(),
    };
    if let Some(s) = stat {
        *prev = Some(s.cpu);
    }
    let uptime_secs = stat
        .map(|s| (now.unix_timestamp().max(0) as u64).saturating_sub(s.btime))
        .unwrap_or(0);
    let fstypes = read("/proc/filesystems")
        .map(|t| parse::device_filesystems(&t))
        .unwrap_or_default();
    let mtab = read("/etc/mtab")
        .or_else(|| read("/proc/mounts"))
        .unwrap_or_default();
    let filesystems = parse::physical_mounts(&mtab, &fstypes)
        .iter()
        .filter_map(|p| fs_usage(p))
        .collect();
    NodeSample {
        timestamp: rfc3339_nanos(now),
        uptime_secs,
        cores: read("/proc/cpuinfo")
            .map(|t| parse::count_processors(&t))
            .unwrap_or(0),
        cpu,
        load: read("/proc/loadavg")
            .and_then(|t| parse::parse_loadavg(&t))
            .unwrap_or_default(),
        memory: read("/proc/meminfo")
            .and_then(|t| parse::parse_meminfo(&t))
            .unwrap_or_default(),
        filesystems,
        networks: read("/proc/net/dev")
            .map(|t| parse::parse_net_dev(&t))
            .unwrap_or_default(),
        // gopsutil's NumProcs: every entry of /proc, not only pids.
        process_count: std::fs::read_dir("/proc")
            .map(|rd| rd.count() as u64)
            .unwrap_or(0),
    }
}

/// Bytes used by the files under `dir` (allocated blocks, like `du`;
/// symlinks not followed, each inode counted once).
pub fn dir_size(dir: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let mut seen = std::collections::HashSet::new();
    let mut total = 0u64;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let Ok(md) = e.metadata() else { continue };
            if md.is_dir() {
                stack.push(e.path());
            }
            if seen.insert((md.dev(), md.ino())) {
                total += md.blocks() * 512;
            }
        }
    }
    total
}

impl HostMetrics {
    /// The latest node sample (`None` before the first one).
    pub fn node(&self) -> Option<Arc<NodeSample>> {
        self.node.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The last measured size of this sandbox.
    pub fn disk_used(&self, sandbox: &Path) -> Option<u64> {
        self.disk
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(sandbox)
            .copied()
    }

    fn set_node(&self, s: NodeSample) {
        *self.node.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(s));
    }

    fn set_disk(&self, sizes: HashMap<PathBuf, u64>) {
        *self.disk.lock().unwrap_or_else(|p| p.into_inner()) = sizes;
    }

    /// Start the sampling thread; it ends when `self` is dropped.
    /// `sandboxes` lists the live sandboxes to measure.
    pub fn start<F>(self: &Arc<Self>, disk_interval: Duration, sandboxes: F)
    where
        F: Fn() -> Option<Vec<PathBuf>> + Send + 'static,
    {
        let weak: Weak<HostMetrics> = Arc::downgrade(self);
        let spawned = std::thread::Builder::new()
            .name("hostmetrics".into())
            .spawn(move || {
                let mut prev = None;
                let mut next_disk = Instant::now();
                loop {
                    let Some(me) = weak.upgrade() else { return };
                    me.set_node(sample_node(&mut prev));
                    if Instant::now() >= next_disk {
                        let Some(dirs) = sandboxes() else { return };
                        let sizes = dirs.into_iter().map(|d| {
                            let n = dir_size(&d);
                            (d, n)
                        });
                        me.set_disk(sizes.collect());
                        next_disk = Instant::now() + disk_interval;
                    }
                    drop(me);
                    std::thread::sleep(NODE_INTERVAL.min(disk_interval));
                }
            });
        if let Err(e) = spawned {
            crate::warning!("Failed to start the host metrics sampler: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t = time::OffsetDateTime::from_unix_timestamp_nanos(1_510_684_364_488_816_719).unwrap();
        assert_eq!(rfc3339_nanos(t), "2017-11-14T18:32:44.488816719Z");
        assert_eq!(rfc3339_secs(t), "2017-11-14T18:32:44Z");
    }

    #[test]
    fn a_live_sample_has_the_root_filesystem_and_lo() {
        let mut prev = None;
        let s = sample_node(&mut prev);
        assert!(s.cores >= 1);
        assert!(s.memory.total > 0);
        assert!(s.networks.iter().any(|n| n.interface == "lo"));
        assert!(prev.is_some());
    }

    #[test]
    fn dir_size_counts_file_blocks() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a"), vec![1u8; 100_000]).unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        std::fs::write(d.path().join("sub/b"), vec![1u8; 50_000]).unwrap();
        let n = dir_size(d.path());
        assert!(n >= 150_000, "{n}");
    }
}
