//! Resource usage of executor containers, read from /proc (posix isolation):
//! every process in the command's session plus the executor process itself;
//! and the live containers with their usage (`/monitor/statistics`,
//! `/containers`, v1 `GET_CONTAINERS`); the usage of nested containers
//! (`GET_CONTAINERS` with `show_nested`).

use std::collections::HashMap;
use std::sync::Arc;

use super::containers::Nested;
use super::core::Agent;
use super::model::Executor;
use crate::daemon::now_secs;
use crate::wire::agent_v1::ContainerStatus;
use crate::wire::ResourceStatistics;

/// Summed usage of a set of processes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Usage {
    pub processes: u64,
    pub threads: u64,
    /// Clock ticks (including reaped children).
    pub utime: u64,
    pub stime: u64,
    pub rss_pages: u64,
    pub anon_bytes: u64,
    pub file_bytes: u64,
}

impl Usage {
    fn add(&mut self, p: &ProcStat) {
        self.processes += 1;
        self.threads += p.threads;
        self.utime += p.utime + p.cutime;
        self.stime += p.stime + p.cstime;
        self.rss_pages += p.rss;
        if let Some((anon, file)) = rss_split(p.pid) {
            self.anon_bytes += anon;
            self.file_bytes += file;
        }
    }
}

/// Fields of `/proc/<pid>/stat` we use.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProcStat {
    pub pid: u32,
    pub session: u32,
    pub utime: u64,
    pub stime: u64,
    pub cutime: u64,
    pub cstime: u64,
    pub threads: u64,
    pub rss: u64,
}

/// Parse a `/proc/<pid>/stat` line (the command name may contain spaces
/// and parentheses: everything after the last `)` is split).
pub fn parse_stat(line: &str) -> Option<ProcStat> {
    let pid: u32 = line.split_whitespace().next()?.parse().ok()?;
    let rest = &line[line.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // f[0] = state (field 3), so field N is f[N - 3].
    let num = |n: usize| f.get(n - 3).and_then(|x| x.parse::<i64>().ok());
    Some(ProcStat {
        pid,
        session: num(6)? as u32,
        utime: num(14)?.max(0) as u64,
        stime: num(15)?.max(0) as u64,
        cutime: num(16)?.max(0) as u64,
        cstime: num(17)?.max(0) as u64,
        threads: num(20)?.max(0) as u64,
        rss: num(24)?.max(0) as u64,
    })
}

fn rss_split(pid: u32) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> u64 {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| {
                l[name.len()..]
                    .trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .unwrap_or(0)
            * 1024
    };
    Some((field("RssAnon:"), field("RssFile:") + field("RssShmem:")))
}

fn all_stats() -> Vec<ProcStat> {
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    rd.flatten()
        .filter_map(|e| {
            let name = e.file_name();
            let pid = name.to_str()?.parse::<u32>().ok()?;
            let line = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            parse_stat(&line)
        })
        .collect()
}

/// Usage per target `(session id, executor pid)`, in one pass over /proc.
pub fn collect(targets: &[(u32, Option<u32>)]) -> Vec<Usage> {
    let stats = all_stats();
    let mut by_session: HashMap<u32, Vec<&ProcStat>> = HashMap::new();
    for s in &stats {
        by_session.entry(s.session).or_default().push(s);
    }
    targets
        .iter()
        .map(|(sid, exec)| {
            let mut u = Usage::default();
            for p in by_session.get(sid).into_iter().flatten() {
                u.add(p);
            }
            if let Some(e) = exec.filter(|e| e != sid) {
                if let Some(p) = stats.iter().find(|p| p.pid == e) {
                    u.add(p);
                }
            }
            u
        })
        .collect()
}

fn ticks_per_sec() -> f64 {
    let t = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .unwrap_or(0);
    if t > 0 {
        t as f64
    } else {
        100.0
    }
}

fn page_size() -> u64 {
    let p = nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE)
        .ok()
        .flatten()
        .unwrap_or(0);
    if p > 0 {
        p as u64
    } else {
        4096
    }
}

/// ResourceStatistics of an executor (limits from its resources;
/// `disk_used` from the background sandbox walker).
pub fn statistics(e: &Executor, u: &Usage, disk_used: Option<u64>) -> ResourceStatistics {
    let limits = e.limits();
    let disk = limits.scalar("disk");
    ResourceStatistics {
        cpus_limit: Some(limits.scalar("cpus")),
        mem_limit_bytes: Some((limits.scalar("mem") * 1024.0 * 1024.0) as u64),
        disk_limit_bytes: (disk > 0.0).then_some((disk * 1024.0 * 1024.0) as u64),
        disk_used_bytes: disk_used,
        ..usage_statistics(u)
    }
}

/// The measured part of ResourceStatistics (no limits).
pub fn usage_statistics(u: &Usage) -> ResourceStatistics {
    let tps = ticks_per_sec();
    ResourceStatistics {
        timestamp: now_secs(),
        processes: Some(u.processes),
        threads: Some(u.threads),
        cpus_user_time_secs: Some(u.utime as f64 / tps),
        cpus_system_time_secs: Some(u.stime as f64 / tps),
        mem_total_bytes: Some(u.rss_pages * page_size()),
        mem_rss_bytes: Some(u.rss_pages * page_size()),
        mem_anon_bytes: Some(u.anon_bytes),
        mem_file_bytes: Some(u.file_bytes),
        mem_mapped_file_bytes: Some(u.file_bytes),
        ..ResourceStatistics::default()
    }
}

/// The live nested containers with their usage (one /proc pass): every
/// process of the command's session (a nested container's command runs in
/// a session of its own, which its parent's usage does not count). Nested
/// containers have no resources of their own, so no limits.
pub fn live_nested(agent: &Agent) -> Vec<(Arc<Nested>, ResourceStatistics)> {
    let nested: Vec<(Arc<Nested>, u32)> = agent
        .nested
        .list()
        .into_iter()
        .filter(|n| !n.is_done())
        .filter_map(|n| {
            let pid = n.state().pid?;
            Some((n, pid))
        })
        .collect();
    let targets: Vec<(u32, Option<u32>)> = nested.iter().map(|(_, pid)| (*pid, None)).collect();
    let usage = collect(&targets);
    nested
        .into_iter()
        .zip(usage.iter())
        .map(|((n, _), u)| {
            let disk_used_bytes = agent.host.disk_used(&n.directory);
            let stats = ResourceStatistics {
                disk_used_bytes,
                ..usage_statistics(u)
            };
            (n, stats)
        })
        .collect()
}

/// Live executors with their usage: (framework id, executor id, name,
/// source, container id, executor pid, statistics).
pub struct LiveContainer {
    pub framework_id: String,
    pub executor_id: String,
    pub executor_name: String,
    pub source: String,
    pub container_id: String,
    pub executor_pid: Option<u32>,
    pub statistics: ResourceStatistics,
    pub network_ip: String,
}

/// Usage of every live executor (one /proc pass).
pub fn live_containers(agent: &Agent) -> Vec<LiveContainer> {
    let execs: Vec<Executor> = {
        let st = agent.lock();
        st.frameworks
            .values()
            .flat_map(|f| f.executors.values())
            .filter(|e| e.is_live())
            .cloned()
            .collect()
    };
    let targets: Vec<(u32, Option<u32>)> = execs
        .iter()
        .map(|e| (e.pid.unwrap_or(0), e.executor_pid))
        .collect();
    let usage = collect(&targets);
    execs
        .iter()
        .zip(usage.iter())
        .map(|(e, u)| LiveContainer {
            framework_id: e.framework_id.clone(),
            executor_id: e.id.clone(),
            executor_name: e.name.clone(),
            source: e.source.clone(),
            container_id: e.container_id.clone(),
            executor_pid: e.executor_pid,
            statistics: statistics(e, u, agent.host.disk_used(&e.directory)),
            network_ip: agent.cfg.advertise_ip.clone(),
        })
        .collect()
}

impl LiveContainer {
    /// Its v1 ContainerStatus.
    pub fn container_status(&self) -> ContainerStatus {
        ContainerStatus::ipv4(&self.container_id, &self.network_ip, self.executor_pid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stat_lines_with_odd_names() {
        let line = "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 2 1 20 0 2 0 12345 1000000 250 18446744073709551615";
        let s = parse_stat(line).unwrap();
        assert_eq!(s.pid, 4242);
        assert_eq!(s.session, 4242);
        assert_eq!((s.utime, s.stime, s.cutime, s.cstime), (7, 3, 2, 1));
        assert_eq!(s.threads, 2);
        assert_eq!(s.rss, 250);
    }

    #[test]
    fn own_process_is_visible() {
        let me = std::process::id();
        let line = std::fs::read_to_string(format!("/proc/{me}/stat")).unwrap();
        let s = parse_stat(&line).unwrap();
        let u = collect(&[(s.session, None)]);
        assert!(u[0].processes >= 1);
        assert!(u[0].rss_pages > 0);
    }
}
