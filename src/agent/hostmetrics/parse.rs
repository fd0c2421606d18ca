//! Pure parsers of the /proc and /etc texts the node metrics come from
//! (each over captured text, so they are tested without a live /proc).

use std::collections::HashSet;

/// CPU time counters of the aggregate `cpu` line of `/proc/stat` (ticks).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CpuTimes {
    pub user: u64,
    pub nice: u64,
    pub system: u64,
    pub idle: u64,
    pub iowait: u64,
    pub irq: u64,
    pub softirq: u64,
    pub steal: u64,
    pub guest: u64,
    pub guest_nice: u64,
}

impl CpuTimes {
    /// Every field summed, as gopsutil's `Total()`.
    pub fn total(&self) -> u64 {
        self.user
            + self.nice
            + self.system
            + self.idle
            + self.iowait
            + self.irq
            + self.softirq
            + self.steal
            + self.guest
            + self.guest_nice
    }
}

/// The `cpu` line and `btime` of `/proc/stat`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stat {
    pub cpu: CpuTimes,
    pub btime: u64,
}

pub fn parse_stat(text: &str) -> Option<Stat> {
    let mut out = Stat::default();
    let mut seen_cpu = false;
    for line in text.lines() {
        let mut it = line.split_whitespace();
        match it.next() {
            Some("cpu") => {
                let v: Vec<u64> = it.map(|x| x.parse().unwrap_or(0)).collect();
                let f = |i: usize| v.get(i).copied().unwrap_or(0);
                out.cpu = CpuTimes {
                    user: f(0),
                    nice: f(1),
                    system: f(2),
                    idle: f(3),
                    iowait: f(4),
                    irq: f(5),
                    softirq: f(6),
                    steal: f(7),
                    guest: f(8),
                    guest_nice: f(9),
                };
                seen_cpu = true;
            }
            Some("btime") => out.btime = it.next()?.parse().ok()?,
            _ => {}
        }
    }
    seen_cpu.then_some(out)
}

/// CPU percentages between two samples, as dcos-metrics computes them:
/// Δfield / Δtotal × 100, rounded to 2 decimals, floored at 0.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CpuPercent {
    pub user: f64,
    pub system: f64,
    pub idle: f64,
    pub wait: f64,
}

impl CpuPercent {
    /// `cpu.total`: user + system (nice, irq and steal are not included).
    pub fn total(&self) -> f64 {
        round2(self.user + self.system)
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn cpu_percent(prev: &CpuTimes, now: &CpuTimes) -> CpuPercent {
    let dt = now.total().saturating_sub(prev.total()) as f64;
    let pct = |a: u64, b: u64| {
        if dt <= 0.0 {
            0.0
        } else {
            round2((b.saturating_sub(a) as f64 / dt * 100.0).max(0.0))
        }
    };
    CpuPercent {
        user: pct(prev.user, now.user),
        system: pct(prev.system, now.system),
        idle: pct(prev.idle, now.idle),
        wait: pct(prev.iowait, now.iowait),
    }
}

/// The `/proc/meminfo` fields node metrics use, in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Meminfo {
    pub total: u64,
    pub free: u64,
    pub buffers: u64,
    pub cached: u64,
    pub swap_total: u64,
    pub swap_free: u64,
}

pub fn parse_meminfo(text: &str) -> Option<Meminfo> {
    let field = |name: &str| -> Option<u64> {
        let line = text
            .lines()
            .find(|l| l.split(':').next().map(str::trim) == Some(name))?;
        let kb: u64 = line
            .split(':')
            .nth(1)?
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        Some(kb * 1024)
    };
    Some(Meminfo {
        total: field("MemTotal")?,
        free: field("MemFree")?,
        buffers: field("Buffers").unwrap_or(0),
        cached: field("Cached").unwrap_or(0),
        swap_total: field("SwapTotal").unwrap_or(0),
        swap_free: field("SwapFree").unwrap_or(0),
    })
}

/// `/proc/loadavg` fields 1–3.
pub fn parse_loadavg(text: &str) -> Option<(f64, f64, f64)> {
    let mut it = text.split_whitespace().map(|x| x.parse::<f64>().ok());
    Some((it.next()??, it.next()??, it.next()??))
}

/// Number of `processor` entries in `/proc/cpuinfo`.
pub fn count_processors(cpuinfo: &str) -> usize {
    cpuinfo
        .lines()
        .filter(|l| l.split(':').next().map(str::trim) == Some("processor"))
        .count()
}

/// Counters of one interface in `/proc/net/dev`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NetDev {
    pub interface: String,
    pub rx_bytes: u64,
    pub rx_packets: u64,
    pub rx_errors: u64,
    pub rx_dropped: u64,
    pub tx_bytes: u64,
    pub tx_packets: u64,
    pub tx_errors: u64,
    pub tx_dropped: u64,
}

pub fn parse_net_dev(text: &str) -> Vec<NetDev> {
    text.lines()
        .filter_map(|line| {
            let (name, rest) = line.split_once(':')?;
            let v: Vec<u64> = rest
                .split_whitespace()
                .map(|x| x.parse().ok())
                .collect::<Option<Vec<u64>>>()?;
            if v.len() < 12 {
                return None;
            }
            Some(NetDev {
                interface: name.trim().to_string(),
                rx_bytes: v[0],
                rx_packets: v[1],
                rx_errors: v[2],
                rx_dropped: v[3],
                tx_bytes: v[8],
                tx_packets: v[9],
                tx_errors: v[10],
                tx_dropped: v[11],
            })
        })
        .collect()
}

/// Filesystem types backed by a device: the `/proc/filesystems` entries
/// without `nodev`.
pub fn device_filesystems(text: &str) -> HashSet<String> {
    text.lines()
        .filter(|l| !l.starts_with("nodev"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Mount points of `/etc/mtab` (or `/proc/mounts`) that gopsutil's
/// `Partitions(false)` keeps: device other than `none`, fstype backed by a
/// device. Each mount point once (the first entry wins); octal escapes
/// (`\040` for a space) decoded.
pub fn physical_mounts(mtab: &str, fstypes: &HashSet<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in mtab.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 3 || f[0] == "none" || !fstypes.contains(f[2]) {
            continue;
        }
        let path = unescape_octal(f[1]);
        if !out.contains(&path) {
            out.push(path);
        }
    }
    out
}

fn unescape_octal(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') as u32 * 64
                + (b[i + 2] - b'0') as u32 * 8
                + (b[i + 3] - b'0') as u32;
            out.push(v as u8);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAT_A: &str = "cpu  1000 50 500 8000 100 10 20 5 0 0\ncpu0 500 25 250 4000 50 5 10 2 0 0\nintr 1 2 3\nbtime 1700000000\nprocesses 42\n";
    const STAT_B: &str = "cpu  1300 60 600 8500 140 10 20 5 0 0\ncpu0 650 30 300 4250 70 5 10 2 0 0\nbtime 1700000000\n";

    #[test]
    fn stat_deltas_give_dcos_percentages() {
        let a = parse_stat(STAT_A).unwrap();
        let b = parse_stat(STAT_B).unwrap();
        assert_eq!(a.btime, 1_700_000_000);
        assert_eq!(a.cpu.total(), 9685);
        // Δtotal = 300 + 10 + 100 + 500 + 40 = 950
        let p = cpu_percent(&a.cpu, &b.cpu);
        assert_eq!(p.user, 31.58);
        assert_eq!(p.system, 10.53);
        assert_eq!(p.idle, 52.63);
        assert_eq!(p.wait, 4.21);
        assert_eq!(p.total(), 42.11);
        // No time passed: zeros, never NaN.
        assert_eq!(cpu_percent(&b.cpu, &b.cpu), CpuPercent::default());
        assert!(parse_stat("intr 1\n").is_none());
    }

    #[test]
    fn meminfo_uses_memfree_not_memavailable() {
        let text = "MemTotal:        8048576 kB\nMemFree:          123456 kB\nMemAvailable:    4000000 kB\nBuffers:           2048 kB\nCached:          1000000 kB\nSwapCached:            0 kB\nSwapTotal:       2097148 kB\nSwapFree:        2000000 kB\n";
        let m = parse_meminfo(text).unwrap();
        assert_eq!(m.total, 8048576 * 1024);
        assert_eq!(m.free, 123456 * 1024);
        assert_eq!(m.buffers, 2048 * 1024);
        assert_eq!(m.cached, 1000000 * 1024, "Cached, not SwapCached");
        assert_eq!(m.swap_total, 2097148 * 1024);
        assert_eq!(m.swap_free, 2000000 * 1024);
        assert!(parse_meminfo("SwapTotal: 1 kB\n").is_none());
    }

    #[test]
    fn loadavg_and_cpuinfo() {
        assert_eq!(
            parse_loadavg("0.52 0.58 0.59 1/467 12345\n"),
            Some((0.52, 0.58, 0.59))
        );
        assert_eq!(parse_loadavg("x"), None);
        let ci = "processor\t: 0\nmodel name\t: X\n\nprocessor\t: 1\nmodel name\t: X\n";
        assert_eq!(count_processors(ci), 2);
    }

    #[test]
    fn net_dev_rows_per_interface() {
        let text = "Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    lo: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0\n  eth0: 987654 321 1 2 0 0 0 5 123456 111 3 4 0 0 0 0\n";
        let v = parse_net_dev(text);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].interface, "lo");
        let e = &v[1];
        assert_eq!(e.interface, "eth0");
        assert_eq!(
            (e.rx_bytes, e.rx_packets, e.rx_errors, e.rx_dropped),
            (987654, 321, 1, 2)
        );
        assert_eq!(
            (e.tx_bytes, e.tx_packets, e.tx_errors, e.tx_dropped),
            (123456, 111, 3, 4)
        );
    }

    #[test]
    fn mounts_filtered_like_gopsutil() {
        let fs = device_filesystems(
            "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\n\text4\n\txfs\nnodev\toverlay\n",
        );
        assert!(fs.contains("ext4") && fs.contains("xfs") && !fs.contains("tmpfs"));
        let mtab = "/dev/sda1 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\ntmpfs /run tmpfs rw 0 0\nnone /mnt/x ext4 rw 0 0\n/dev/sdb1 /data\\040disk xfs rw 0 0\noverlay /var/lib/docker/x overlay rw 0 0\n/dev/sda1 / ext4 rw 0 0\n";
        assert_eq!(physical_mounts(mtab, &fs), vec!["/", "/data disk"]);
    }
}
