//! The bundled agent as a metrics source (docs/metrics.md#the-bundled-agent-as-a-metrics-source):
//! a real master and agent, a real task that burns CPU and holds 64 MB,
//! read through the DC/OS metrics v0 paths, `/monitor/statistics` and the
//! Prometheus exposition of both daemons.

use std::time::Duration;

use mesos::http::{HttpClient, HttpOptions};
use mesos::wire::dcos_metrics::{MetricsMessage, Ping};
use serde_json::{json, Value};

use crate::common::cluster::{start_agent, start_master};
use crate::common::daemons::{request, Resp};
use crate::common::sched::{command_task, next_of, res, subscribe_json, JsonCalls};
use crate::common::wait_for;

const DEADLINE: Duration = Duration::from_secs(120);
const API: &str = "/system/v1/metrics/v0";
const MIB: f64 = 1024.0 * 1024.0;

fn get(addr: &str, path: &str) -> Resp {
    request(addr, "GET", path, &[], b"")
}

/// A 200 DC/OS API answer: JSON with dcos-metrics' content type and
/// trailing newline.
fn get_dcos(addr: &str, path: &str) -> Resp {
    let r = get(addr, path);
    assert_eq!(r.status, 200, "GET {path}: {}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=UTF-8"),
        "GET {path}"
    );
    assert!(r.body.ends_with(b"\n"), "GET {path}: no trailing newline");
    r
}

fn message(addr: &str, path: &str) -> MetricsMessage {
    serde_json::from_slice(&get_dcos(addr, path).body).unwrap()
}

/// The last lines of a daemon log, for a timeout's message.
fn log_tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    format!(
        "\n--- agent log (last lines) ---\n{}\n--- end of agent log ---",
        lines[lines.len().saturating_sub(10)..].join("\n")
    )
}

/// The processes working in the agent's sandboxes as /proc shows them:
/// `pid ppid session state comm rss_kib utime_ticks`.
fn sandbox_processes(agent: &crate::common::cluster::Daemon) -> String {
    let dir = std::fs::canonicalize(agent.work_dir()).unwrap_or_default();
    let mut out = Vec::new();
    for pid in crate::common::daemons::pids_with_cwd_under(&dir) {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let f: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        // f[0] = state (field 3), so field N is f[N - 3].
        let at = |n: usize| f.get(n - 3).copied().unwrap_or("?");
        let rss_kib = at(24).parse::<u64>().map(|p| p * 4).unwrap_or(0);
        out.push(format!(
            "{pid} {} {} {} {} {rss_kib} {}",
            at(4),
            at(6),
            at(3),
            &stat[open + 1..close],
            at(14)
        ));
    }
    format!("\nprocesses in sandboxes (pid ppid sid state comm rss_kib utime): {out:?}")
}

/// Where the agent has the task: its state, or the terminal status that
/// ended it, the sandbox processes and the agent log, so a wait that can no
/// longer end says why. The summary comes last: a CI log keeps the tail.
fn task_fate(agent: &crate::common::cluster::Daemon) -> String {
    let st = crate::common::cluster::get_json(&format!("{}/slave(1)/state", agent.url()));
    let tasks: Vec<&Value> = st["frameworks"]
        .as_array()
        .into_iter()
        .chain(st["completed_frameworks"].as_array())
        .flatten()
        .flat_map(|f| {
            f["executors"]
                .as_array()
                .into_iter()
                .chain(f["completed_executors"].as_array())
                .flatten()
        })
        .flat_map(|e| {
            ["tasks", "queued_tasks", "completed_tasks"]
                .into_iter()
                .filter_map(|k| e[k].as_array())
                .flatten()
        })
        .collect();
    let states: Vec<String> = tasks
        .iter()
        .map(|t| {
            let last = t["statuses"].as_array().and_then(|s| s.last());
            format!(
                "{} {} {}",
                t["id"],
                t["state"],
                last.map(|s| s["message"].to_string()).unwrap_or_default()
            )
        })
        .collect();
    format!(
        "{}{}\nagent's tasks: {states:?}",
        log_tail(&agent.log()),
        sandbox_processes(agent)
    )
}

fn meminfo_total() -> f64 {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap();
    let line = text.lines().find(|l| l.starts_with("MemTotal:")).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<f64>()
        .unwrap()
        * 1024.0
}

fn processors() -> f64 {
    let text = std::fs::read_to_string("/proc/cpuinfo").unwrap();
    text.lines()
        .filter(|l| l.split(':').next().map(str::trim) == Some("processor"))
        .count() as f64
}

/// Whether `/` is a device-backed filesystem (the ones dcos-metrics
/// reports), so `/node` must carry it.
fn root_is_physical() -> bool {
    let fs = std::fs::read_to_string("/proc/filesystems").unwrap();
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap();
    mounts.lines().any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.len() > 2
            && f[1] == "/"
            && f[0] != "none"
            && fs
                .lines()
                .any(|x| !x.starts_with("nodev") && x.trim() == f[2])
    })
}

fn within(a: f64, b: f64, frac: f64) -> bool {
    (a - b).abs() <= b.abs() * frac
}

fn find<'a>(
    samples: &'a [(String, String, f64)],
    name: &'a str,
) -> impl Iterator<Item = &'a (String, String, f64)> + 'a {
    samples.iter().filter(move |s| s.0 == name)
}

/// Each line of a text exposition is `# HELP`, `# TYPE` or
/// `name{labels} value`; returns the sample lines.
fn prometheus_samples(text: &str) -> Vec<(String, String, f64)> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("# HELP ") || line.starts_with("# TYPE ") {
            continue;
        }
        let (head, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("bad line {line:?}"));
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value in {line:?}"));
        let (name, labels) = match head.find('{') {
            Some(i) => {
                assert!(head.ends_with('}'), "bad labels in {line:?}");
                (&head[..i], &head[i + 1..head.len() - 1])
            }
            None => (head, ""),
        };
        assert!(
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit()),
            "bad metric name in {line:?}"
        );
        out.push((name.to_string(), labels.to_string(), value));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agent_serves_node_and_container_metrics() {
    let master = start_master(&[]);
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let addr = agent.addr();
    let agent_id = crate::common::cluster::get_json(&format!("{}/slave(1)/state", agent.url()))
        ["id"]
        .as_str()
        .unwrap()
        .to_string();

    // ping
    let ping: Ping = serde_json::from_slice(&get_dcos(&addr, &format!("{API}/ping")).body).unwrap();
    assert!(ping.ok);
    assert!(
        ping.timestamp.len() == 20 && ping.timestamp.ends_with('Z'),
        "RFC 3339 in seconds: {}",
        ping.timestamp
    );

    // node: the first background sample comes within seconds.
    tokio::task::block_in_place(|| {
        wait_for(DEADLINE, "the first node sample", || {
            let r = get(&addr, &format!("{API}/node"));
            if r.status == 200 {
                Ok(())
            } else {
                Err(format!(
                    "{}\n{} {}",
                    log_tail(&agent.log()),
                    r.status,
                    r.text()
                ))
            }
        })
    });
    let node = message(&addr, &format!("{API}/node"));
    assert_eq!(node.dimensions.mesos_id, agent_id);
    assert_eq!(node.dimensions.hostname, "127.0.0.1");
    let total = node.value("memory.total", None).unwrap();
    assert!(within(total, meminfo_total(), 0.01), "memory.total {total}");
    assert_eq!(node.get("memory.total", None).unwrap().unit, "bytes");
    assert!(node.value("memory.free", None).unwrap() <= total);
    assert_eq!(node.value("cpu.cores", None), Some(processors()));
    let cpu = node.value("cpu.total", None).unwrap();
    assert!((0.0..=100.0).contains(&cpu), "cpu.total {cpu}");
    assert_eq!(node.get("cpu.total", None).unwrap().unit, "percent");
    for n in [
        "load.1min",
        "swap.total",
        "system.uptime",
        "process.count",
        "cpu.idle",
    ] {
        assert!(node.get(n, None).is_some(), "/node lacks {n}");
    }
    if root_is_physical() {
        let st = nix::sys::statvfs::statvfs("/").unwrap();
        let want = st.blocks() as f64 * st.fragment_size() as f64;
        let got = node
            .value("filesystem.capacity.total", Some(("path", "/")))
            .expect("filesystem.capacity.total of /");
        assert!(within(got, want, 0.01), "{got} vs {want}");
        assert!(node
            .value("filesystem.inode.total", Some(("path", "/")))
            .is_some());
    }
    assert!(node
        .value("network.in", Some(("interface", "lo")))
        .is_some());
    assert!(node
        .value("network.out.packets", Some(("interface", "lo")))
        .is_some());

    // No containers yet; unknown ones are 204 without a body.
    let none: Vec<String> =
        serde_json::from_slice(&get_dcos(&addr, &format!("{API}/containers")).body).unwrap();
    assert_eq!(none, Vec::<String>::new());
    let r = get(&addr, &format!("{API}/containers/no-such-container"));
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());

    // A task that burns CPU and holds 64 MiB (tail keeps a line without a
    // newline in memory until its input ends).
    let http = HttpClient::new(&HttpOptions::default()).unwrap();
    let url = reqwest::Url::parse(&master.url()).unwrap();
    let info = json!({"user": "tester", "name": "metrics-fw"});
    let (s, mut ev, _) = subscribe_json(&http, &url, info).await.unwrap();
    let offer = next_of(&mut ev, &["OFFERS"]).await;
    let o = &offer["offers"]["offers"][0];
    let cmd = "while :; do :; done & (head -c 67108864 /dev/zero; sleep 600) | tail";
    let mut task = command_task(
        "burner",
        "burner-name",
        &o["agent_id"],
        cmd,
        res(0.5, 128.0),
    );
    task.labels = Some(json!({"labels": [
        {"key": "team", "value": "infra"},
        {"key": "DCOS_PACKAGE_OPTIONS", "value": "e30="}
    ]}));
    s.launch_json(&[o["id"].clone()], vec![task], 0.0)
        .await
        .unwrap();

    let cid = tokio::task::block_in_place(|| {
        let mut cid = String::new();
        wait_for(DEADLINE, "the task's container", || {
            let r = get(&addr, &format!("{API}/containers"));
            let ids: Vec<String> = serde_json::from_slice(&r.body).unwrap_or_default();
            cid = ids.first().cloned().unwrap_or_default();
            if cid.is_empty() {
                Err(format!(
                    "{}\ncontainers: {} {}",
                    task_fate(&agent),
                    r.status,
                    r.text()
                ))
            } else {
                Ok(())
            }
        });
        cid
    });
    let path = format!("{API}/containers/{cid}");
    let first = tokio::task::block_in_place(|| {
        wait_for(DEADLINE, "64 MiB resident and CPU time", || {
            let m = message(&addr, &path);
            let (mem, user) = (
                m.value("mem.total", None).unwrap_or(0.0),
                m.value("cpus.user.time", None).unwrap_or(0.0),
            );
            if mem >= 64.0 * MIB && user > 0.2 {
                Ok(m)
            } else {
                Err(format!(
                    "{}\nmem.total {mem}, cpus.user.time {user}",
                    task_fate(&agent)
                ))
            }
        })
    });
    let t1 = first.value("cpus.user.time", None).unwrap();
    let later = tokio::task::block_in_place(|| {
        wait_for(DEADLINE, "cpus.user.time to grow", || {
            let m = message(&addr, &path);
            let user = m.value("cpus.user.time", None).unwrap_or(0.0);
            if user > t1 + 0.3 {
                Ok(m)
            } else {
                Err(format!(
                    "{}\ncpus.user.time {user}, first {t1}",
                    task_fate(&agent)
                ))
            }
        })
    });
    let d = &later.dimensions;
    assert_eq!(d.container_id, cid);
    assert_eq!(d.mesos_id, agent_id);
    assert_eq!(d.task_id, "burner");
    assert_eq!(d.task_name, "burner-name");
    assert_eq!(d.executor_id, "burner");
    assert_eq!(d.framework_name, "metrics-fw");
    assert_eq!(
        d.labels.iter().collect::<Vec<_>>(),
        vec![(&"team".to_string(), &"infra".to_string())]
    );
    let p = later.get("cpus.user.time", None).unwrap();
    assert_eq!(p.unit, "seconds");
    assert_eq!(p.tags.get("container_id"), Some(&cid));
    assert_eq!(
        p.tags.get("executor_id").map(String::as_str),
        Some("burner")
    );
    assert_eq!(
        later.value("cpus.limit", None),
        Some(0.6),
        "task 0.5 + executor 0.1"
    );
    assert_eq!(
        later.value("mem.limit", None),
        Some(160.0 * MIB),
        "task 128 + executor 32"
    );
    assert!(later.value("processes", None).unwrap() >= 3.0);

    // The same numbers in /monitor/statistics and /containers (measured
    // again on each request: CPU time only grows, memory stays held).
    let stats = crate::common::cluster::get_json(&format!("{}/monitor/statistics", agent.url()));
    let e = stats
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["executor_id"] == "burner")
        .unwrap_or_else(|| panic!("no burner in {stats}"));
    let st = &e["statistics"];
    let user = st["cpus_user_time_secs"].as_f64().unwrap();
    assert!(user >= later.value("cpus.user.time", None).unwrap(), "{st}");
    assert!(
        st["mem_total_bytes"].as_f64().unwrap() >= 64.0 * MIB,
        "{st}"
    );
    assert_eq!(st["cpus_limit"], json!(0.6));
    assert_eq!(st["mem_limit_bytes"].as_f64(), Some(160.0 * MIB));
    let containers = crate::common::cluster::get_json(&format!("{}/containers", agent.url()));
    assert_eq!(containers[0]["container_id"], json!(cid));
    assert!(
        containers[0]["statistics"]["mem_total_bytes"]
            .as_f64()
            .unwrap()
            >= 64.0 * MIB
    );
    // disk.used comes from the background sandbox walker.
    tokio::task::block_in_place(|| {
        wait_for(DEADLINE, "disk.used of the sandbox", || {
            let m = message(&addr, &path);
            match m.value("disk.used", None) {
                Some(_) => Ok(()),
                None => Err(format!(
                    "{}\ndatapoints {:?}",
                    task_fate(&agent),
                    m.datapoints.iter().map(|d| &d.name).collect::<Vec<_>>()
                )),
            }
        })
    });

    // No statsd relay: app metrics are always 204.
    assert_eq!(get(&addr, &format!("{path}/app")).status, 204);
    assert_eq!(get(&addr, &format!("{path}/app/some.metric")).status, 204);

    // Prometheus on the agent: the snapshot, node and container metrics.
    let r = get(&addr, "/metrics/prometheus");
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let samples = prometheus_samples(&r.text());
    assert_eq!(
        find(&samples, "mesos_slave_tasks_running")
            .next()
            .unwrap()
            .2,
        1.0
    );
    assert!(find(&samples, "cpu_total").next().is_some());
    assert!(find(&samples, "mesos_system_load_1min").next().is_some());
    assert!(find(&samples, "network_in").any(|s| s.1.contains("interface=\"lo\"")));
    let burn = find(&samples, "cpus_user_time")
        .next()
        .expect("container cpus_user_time");
    assert!(
        burn.1.contains("task_id=\"burner\"") && burn.1.contains(&cid),
        "{burn:?}"
    );
    // Prometheus on the master: its snapshot.
    let r = get(&master.addr(), "/metrics/prometheus");
    assert_eq!(r.status, 200);
    let samples = prometheus_samples(&r.text());
    assert!(samples
        .iter()
        .any(|s| s.0 == "mesos_master_elected" && s.2 == 1.0));
    assert!(samples
        .iter()
        .any(|s| s.0 == "mesos_system_mem_total_bytes"));
    drop(ev);
}
