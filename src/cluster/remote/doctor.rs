//! `cluster doctor`: preflight checks of the hosts.

use super::*;

/// One preflight check of one host.
#[derive(Clone, Debug, Serialize)]
pub struct DoctorRow {
    pub host: String,
    pub check: String,
    pub ok: bool,
    pub detail: String,
}

impl TableRow for DoctorRow {
    fn headers() -> Vec<&'static str> {
        vec!["HOST", "CHECK", "OK", "DETAIL"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.host.clone(),
            self.check.clone(),
            if self.ok { "ok".into() } else { "FAIL".into() },
            self.detail.clone(),
        ]
    }
}

/// Ports `up` will need on `host` (with what for).
pub(super) fn ports_needed(spec: &Spec, host: &str) -> Vec<(u16, String)> {
    let mut v = Vec::new();
    if let ZkSpec::Managed {
        hosts,
        client_port,
        peer_port,
        election_port,
    } = &spec.zookeeper
    {
        if hosts.iter().any(|h| h == host) {
            v.push((*client_port, "zookeeper client".to_string()));
            if hosts.len() > 1 {
                v.push((*peer_port, "zookeeper peer".to_string()));
                v.push((*election_port, "zookeeper election".to_string()));
            }
        }
    }
    if spec.masters.iter().any(|h| h == host) {
        v.push((spec.master_port, "master".to_string()));
    }
    if spec.agents.iter().any(|h| h == host) {
        v.push((spec.agent_port, "agent".to_string()));
    }
    if spec.marathon_hosts.iter().any(|h| h == host) {
        v.push((spec.marathon_port, "marathon".to_string()));
    }
    v
}

/// Listening sockets from `/proc/net/tcp{,6}` text: (address hex, port).
pub fn listening(proc_net_tcp: &str) -> Vec<(String, u16)> {
    let mut out = Vec::new();
    for line in proc_net_tcp.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        // sl local_address rem_address st ...
        if f.len() < 4 || f[3] != "0A" {
            continue;
        }
        if let Some((addr, port)) = f[1].split_once(':') {
            if let Ok(p) = u16::from_str_radix(port, 16) {
                out.push((addr.to_string(), p));
            }
        }
    }
    out
}

/// `/proc/net/tcp` hex of an IPv4 address (little-endian).
pub(super) fn ipv4_hex(ip: &str) -> Option<String> {
    let a: std::net::Ipv4Addr = ip.parse().ok()?;
    let o = a.octets();
    Some(format!("{:02X}{:02X}{:02X}{:02X}", o[3], o[2], o[1], o[0]))
}

/// Is `port` taken for `ip` (bound to it, or to any address)?
pub(super) fn port_taken(listen: &[(String, u16)], ip: &str, port: u16) -> bool {
    let mine = ipv4_hex(ip).unwrap_or_default();
    listen.iter().any(|(a, p)| {
        *p == port
            && (a == &mine
                || a.chars().all(|c| c == '0')
                // ::ffff:a.b.c.d and :: in tcp6
                || a.ends_with(&format!("FFFF0000{mine}")))
    })
}

/// A port `doctor` found taken is fine when it is the port of a daemon of
/// the recorded cluster `running` (whether that daemon really answers is
/// what the security rows of the same `doctor` check).
pub fn accept_own_ports(rows: &mut [DoctorRow], running: &ClusterState) {
    for r in rows.iter_mut().filter(|r| !r.ok) {
        let Some(port) = r
            .check
            .strip_prefix("port ")
            .and_then(|p| p.parse::<u16>().ok())
        else {
            continue;
        };
        if let Some(d) = running
            .daemons
            .iter()
            .find(|d| d.host == r.host && d.port == port)
        {
            r.ok = true;
            r.detail = format!(
                "in use by {} of the running cluster '{}'",
                d.name, running.name
            );
        }
    }
}

/// `mesos cluster doctor -f FILE`.
pub fn doctor(spec: &Spec, opts: &Options) -> Result<Vec<DoctorRow>> {
    let quiet = Progress::new(true);
    let mut hosts: Vec<Host> = spec
        .host_order()
        .iter()
        .map(|n| Host::new(n, &spec.hosts[n].ip, spec.hosts[n].ssh.clone()))
        .collect();
    connect_all(&mut hosts, &spec.work_dir, opts, &quiet, false);
    let rows = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for h in &hosts {
            let rows = &rows;
            scope.spawn(move || {
                let mut mine = Vec::new();
                let mut row = |check: &str, ok: bool, detail: String| {
                    mine.push(DoctorRow {
                        host: h.name.clone(),
                        check: check.into(),
                        ok,
                        detail,
                    })
                };
                if let Some(e) = &h.error {
                    row("ssh", false, e.clone());
                    rows.lock().unwrap().extend(mine);
                    return;
                }
                row(
                    "ssh",
                    true,
                    format!(
                        "{} (host key known, authenticated)",
                        ssh::host_pattern_name(&h.target.host, h.target.port)
                    ),
                );
                let s = h.sess.as_ref().expect("connected");
                let script = format!(
                    "uname -s; uname -m; \
                     d={wd}; while [ ! -d \"$d\" ]; do d=$(dirname \"$d\"); done; \
                     df -Pk \"$d\" | awk 'NR==2 {{print $4}}'; echo \"$d\"; \
                     ulimit -n; \
                     echo ---; cat /proc/net/tcp /proc/net/tcp6 2>/dev/null",
                    wd = sh_quote(&h.work_dir)
                );
                let out = match s.exec(&script, None) {
                    Ok(o) => o,
                    Err(e) => {
                        row("commands", false, e.message);
                        rows.lock().unwrap().extend(mine);
                        return;
                    }
                };
                let text = out.stdout_text();
                let (head, net) = text.split_once("---\n").unwrap_or((&text, ""));
                let l: Vec<&str> = head.lines().collect();
                let get = |i: usize| l.get(i).map(|s| s.trim()).unwrap_or("");
                let (os, arch) = (get(0), get(1));
                match check_platform(os, arch) {
                    Ok(()) => row("os/arch", true, format!("{os} {arch}")),
                    Err(m) => row("os/arch", false, m),
                }
                match get(2).parse::<u64>() {
                    Ok(kb) => {
                        let mb = kb / 1024;
                        row(
                            "disk",
                            mb >= MIN_FREE_DISK_MB,
                            format!("{mb} MiB free at {} (need {MIN_FREE_DISK_MB} MiB)", get(3)),
                        )
                    }
                    Err(_) => row(
                        "disk",
                        false,
                        format!("cannot read free space at {}", h.work_dir),
                    ),
                }
                let nofile = get(4);
                match nofile.parse::<u64>() {
                    Ok(n) => row(
                        "ulimit -n",
                        n >= MIN_NOFILE,
                        format!("{n} (need {MIN_NOFILE}; 65536 recommended for agents)"),
                    ),
                    Err(_) if nofile == "unlimited" => row("ulimit -n", true, "unlimited".into()),
                    Err(_) => row("ulimit -n", false, format!("cannot read ({nofile})")),
                }
                let listen = listening(net);
                for (port, what) in ports_needed(spec, &h.name) {
                    let taken = port_taken(&listen, &h.ip, port);
                    row(
                        &format!("port {port}"),
                        !taken,
                        if taken {
                            format!("{what} port {port} is already in use on {}", h.ip)
                        } else {
                            format!("{what} port free")
                        },
                    );
                }
                // Clock skew: the remote clock against the middle of the round trip.
                let t0 = std::time::SystemTime::now();
                match s.exec("date +%s.%N", None) {
                    Ok(o) => {
                        let t1 = std::time::SystemTime::now();
                        let rtt = t1.duration_since(t0).unwrap_or_default();
                        let mid = t0 + rtt / 2;
                        let local = mid
                            .duration_since(std::time::UNIX_EPOCH)
                            .unwrap_or_default()
                            .as_secs_f64();
                        match o.stdout_text().trim().parse::<f64>() {
                            Ok(remote) => {
                                let skew = (remote - local).abs();
                                row(
                                    "clock",
                                    skew <= MAX_CLOCK_SKEW.as_secs_f64(),
                                    format!(
                                        "{:+.3}s against this machine (max {}s)",
                                        remote - local,
                                        MAX_CLOCK_SKEW.as_secs()
                                    ),
                                );
                            }
                            Err(_) => row("clock", false, "cannot read the remote clock".into()),
                        }
                    }
                    Err(e) => row("clock", false, e.message),
                }
                if let ZkSpec::Managed { hosts: zh, .. } = &spec.zookeeper {
                    if zh.contains(&h.name) {
                        match remote_zk_install(h) {
                            Ok((java, cp)) => row(
                                "zookeeper",
                                true,
                                format!("java {java}, {}", cp.split(':').next().unwrap_or("")),
                            ),
                            Err(e) => row(
                                "zookeeper",
                                false,
                                format!("{} ({})", e.message, zk::INSTALL_HINT),
                            ),
                        }
                    }
                }
                rows.lock().unwrap().extend(mine);
            });
        }
    });
    let mut rows = rows.into_inner().unwrap();
    let order: Vec<String> = spec.host_order();
    rows.sort_by_key(|r| {
        order
            .iter()
            .position(|h| *h == r.host)
            .unwrap_or(usize::MAX)
    });
    Ok(rows)
}
