//! Auto-detection of the standard resources
//! (docs/wire-notes.md#resources-and-attributes):
//! `cpus` = CPU count, `mem` = RAM minus 1 GB (half when under 2 GB), `disk`
//! = size of the work_dir filesystem minus 5 GB (half when under 10 GB),
//! `ports` = `[31000-32000]`. A resource named in `--resources` (any role)
//! is never auto-detected.

use std::path::Path;

use crate::resources::{Resource, Resources, Value};

const MB: u64 = 1024 * 1024;
const GB: u64 = 1024 * MB;

/// Add the detected standard resources that `given` does not name.
pub fn fill_defaults(res: &mut Resources, given: &[String], work_dir: &Path, role: &str) {
    let has = |n: &str| given.iter().any(|g| g == n);
    let mut push = |name: &str, value: Value| {
        res.push(Resource {
            name: name.into(),
            role: role.into(),
            value,
        })
    };
    if !has("cpus") {
        let n = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        push("cpus", Value::Scalar(n as f64));
    }
    if !has("mem") {
        push("mem", Value::Scalar(mem_mb(total_memory()) as f64));
    }
    if !has("disk") {
        push("disk", Value::Scalar(disk_mb(total_disk(work_dir)) as f64));
    }
    if !has("ports") {
        push("ports", Value::Ranges(vec![(31000, 32000)]));
    }
}

/// RAM to offer, in MB: total minus 1 GB when at least 2 GB, else half.
pub fn mem_mb(total_bytes: Option<u64>) -> u64 {
    match total_bytes {
        Some(t) if t >= 2 * GB => (t - GB) / MB,
        Some(t) => t / 2 / MB,
        None => 1024,
    }
}

/// Disk to offer, in MB: total minus 5 GB when at least 10 GB, else half.
pub fn disk_mb(total_bytes: Option<u64>) -> u64 {
    match total_bytes {
        Some(t) if t >= 10 * GB => (t - 5 * GB) / MB,
        Some(t) => t / 2 / MB,
        None => 10240,
    }
}

/// `MemTotal` from /proc/meminfo, in bytes.
pub fn total_memory() -> Option<u64> {
    meminfo_field("MemTotal:")
}

/// `MemAvailable` (else `MemFree`) from /proc/meminfo, in bytes.
pub fn free_memory() -> Option<u64> {
    meminfo_field("MemAvailable:").or_else(|| meminfo_field("MemFree:"))
}

/// `MemFree` from /proc/meminfo, in bytes: `sysinfo()`'s `freeram`, what
/// Mesos reports as `system/mem_free_bytes` (page cache not counted free).
pub fn free_ram() -> Option<u64> {
    meminfo_field("MemFree:")
}

fn meminfo_field(name: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with(name))?;
    let kb: u64 = line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Size of the filesystem holding `dir` (its nearest existing ancestor).
pub fn total_disk(dir: &Path) -> Option<u64> {
    let mut p = dir;
    loop {
        if p.exists() {
            break;
        }
        p = p.parent()?;
    }
    let st = nix::sys::statvfs::statvfs(p).ok()?;
    Some(st.blocks() as u64 * st.fragment_size() as u64)
}

/// 1, 5 and 15 minute load averages.
pub fn load_average() -> Option<(f64, f64, f64)> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let mut it = text.split_whitespace().map(|x| x.parse::<f64>().ok());
    Some((it.next()??, it.next()??, it.next()??))
}

/// This boot's id (`/proc/sys/kernel/random/boot_id`).
pub fn current_boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_rules() {
        assert_eq!(mem_mb(Some(8 * GB)), 7 * 1024);
        assert_eq!(mem_mb(Some(GB)), 512);
        assert_eq!(mem_mb(None), 1024);
        assert_eq!(disk_mb(Some(20 * GB)), 15 * 1024);
        assert_eq!(disk_mb(Some(4 * GB)), 2048);
        let mut r = Resources::parse("cpus:0;mem:64", "*").unwrap();
        fill_defaults(&mut r, &["cpus".into(), "mem".into()], Path::new("/"), "*");
        assert_eq!(r.scalar("cpus"), 0.0);
        assert_eq!(r.scalar("mem"), 64.0);
        assert!(r.scalar("disk") > 0.0);
        assert_eq!(r.ranges("ports"), vec![(31000, 32000)]);
    }
}
