//! Every captured body in `tests/fixtures/` parses into its wire model
//! (`mesos::wire`), and the parsed models carry the real content.
//!
//! Expected numbers were computed from the fixture files with `jq`/`python3`
//! (the command is in the comment next to each one), not from this code.

use crate::common::{fixtures_dir, read_fixture_text};
use mesos::wire::v1::{Event, Response};
use mesos::wire::{
    AgentState, FileInfo, MasterState, Metrics, MonitorEntry, StateSummary, Task, TaskState,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::{Path, PathBuf};

/// What a fixture file is parsed as.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Model {
    /// `/master/state` -> `MasterState`.
    MasterState,
    /// `/master/state-summary` -> `StateSummary`.
    StateSummary,
    /// `/slave(1)/state` -> `AgentState`.
    AgentState,
    /// `/files/browse` -> `Vec<FileInfo>`.
    FilesBrowse,
    /// `/monitor/statistics` -> `Vec<MonitorEntry>`.
    MonitorStatistics,
    /// `/metrics/snapshot` and legacy `/stats.json` -> `Metrics`.
    Metrics,
    /// v1 operator API synchronous response -> `v1::Response`.
    V1Response,
    /// v1 SUBSCRIBE stream, one event per line -> `v1::Event` each.
    V1EventLines,
    /// DC/OS metrics v0 `/node` or `/containers/{id}` -> `MetricsMessage`.
    DcosMetrics,
    /// Not a Mesos body (Marathon, DC/OS Universe): `serde_json::Value` only.
    ForeignJson,
    /// A Mustache template (not JSON): must be non-empty text with `{{`.
    MustacheTemplate,
}

/// File-name pattern (relative to the fixtures dir, `*` = any run of
/// characters except `/`) -> model. Every fixture must match exactly one.
const MAPPING: &[(&str, Model)] = &[
    ("master-state-*.json", Model::MasterState),
    ("state-summary-*.json", Model::StateSummary),
    ("agent-state-*.json", Model::AgentState),
    ("files-browse-*.json", Model::FilesBrowse),
    ("agent-monitor-statistics-*.json", Model::MonitorStatistics),
    ("master-stats-*.json", Model::Metrics),
    ("agent-stats-*.json", Model::Metrics),
    ("master-api-v1-get-*.json", Model::V1Response),
    ("master-api-v1-subscribe-*.jsonl", Model::V1EventLines),
    ("dcos-metrics-*.json", Model::DcosMetrics),
    ("marathon-v2-*.json", Model::ForeignJson),
    ("universe-example/*.json", Model::ForeignJson),
    ("universe-example/*.json.mustache", Model::MustacheTemplate),
];

/// Files in the fixtures dir that are not fixtures (their sources and
/// licences).
const NOT_FIXTURES: &[&str] = &["PROVENANCE.md", "LICENSES.md"];

fn glob_match(pattern: &str, name: &str) -> bool {
    fn rec(p: &[u8], n: &[u8]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some((b'*', rest)) => (0..=n.len())
                .take_while(|&i| i == 0 || n[i - 1] != b'/')
                .any(|i| rec(rest, &n[i..])),
            Some((c, rest)) => n.first() == Some(c) && rec(rest, &n[1..]),
        }
    }
    rec(pattern.as_bytes(), name.as_bytes())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read_dir {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Relative path with `/` separators.
fn rel_name(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Parse as `T`, then check that serializing and re-parsing gives the same
/// model (the Serialize side is consistent with the lenient Deserialize).
/// Numbers are compared with a relative tolerance of 1e-12: serde_json
/// without its `float_roundtrip` feature may re-read a printed double 1 ULP
/// off (the 0.22 large state has `"cpus": 5.314859663485549e-12`).
fn parse_round_trip<T>(text: &str) -> Result<T, String>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let v: T = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let back = serde_json::to_string(&v).map_err(|e| format!("re-serialize: {e}"))?;
    let again: T = serde_json::from_str(&back).map_err(|e| format!("re-parse: {e}"))?;
    if again != v {
        let a = serde_json::to_value(&v).map_err(|e| e.to_string())?;
        let b = serde_json::to_value(&again).map_err(|e| e.to_string())?;
        if let Some(path) = first_difference(&a, &b, String::new()) {
            return Err(format!(
                "model changed after a serialize/parse round trip at {path}"
            ));
        }
    }
    Ok(v)
}

fn first_difference(a: &serde_json::Value, b: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value::*;
    match (a, b) {
        (Object(x), Object(y)) => {
            if x.len() != y.len() {
                return Some(path);
            }
            x.iter().find_map(|(k, v)| match y.get(k) {
                Some(w) => first_difference(v, w, format!("{path}.{k}")),
                None => Some(format!("{path}.{k}")),
            })
        }
        (Array(x), Array(y)) => {
            if x.len() != y.len() {
                return Some(path);
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (v, w))| first_difference(v, w, format!("{path}[{i}]")))
        }
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            ((x - y).abs() > 1e-12 * x.abs().max(y.abs())).then_some(path)
        }
        _ => (a != b).then_some(path),
    }
}

fn check(model: Model, text: &str) -> Result<(), String> {
    match model {
        Model::MasterState => parse_round_trip::<MasterState>(text).map(drop),
        Model::StateSummary => parse_round_trip::<StateSummary>(text).map(drop),
        Model::AgentState => parse_round_trip::<AgentState>(text).map(drop),
        Model::FilesBrowse => parse_round_trip::<Vec<FileInfo>>(text).map(drop),
        Model::MonitorStatistics => parse_round_trip::<Vec<MonitorEntry>>(text).map(drop),
        Model::Metrics => {
            let m = parse_round_trip::<Metrics>(text)?;
            // No value may be dropped: every key of the body must be numeric.
            let raw: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(text).map_err(|e| e.to_string())?;
            if raw.len() != m.len() {
                return Err(format!(
                    "{} keys but {} numeric metrics",
                    raw.len(),
                    m.len()
                ));
            }
            Ok(())
        }
        Model::V1Response => parse_round_trip::<Response>(text).map(drop),
        Model::V1EventLines => {
            let mut n = 0;
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let e =
                    parse_round_trip::<Event>(line).map_err(|e| format!("line {}: {e}", i + 1))?;
                if e.kind.is_empty() {
                    return Err(format!("line {}: event without a type", i + 1));
                }
                n += 1;
            }
            if n == 0 {
                return Err("no events".into());
            }
            Ok(())
        }
        Model::DcosMetrics => {
            let m = parse_round_trip::<mesos::wire::dcos_metrics::MetricsMessage>(text)?;
            let raw: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
            let points = raw["datapoints"].as_array().map_or(0, Vec::len);
            if points == 0 || points != m.datapoints.len() {
                return Err(format!(
                    "{points} datapoints in the body, {} in the model",
                    m.datapoints.len()
                ));
            }
            Ok(())
        }
        Model::ForeignJson => serde_json::from_str::<serde_json::Value>(text)
            .map_err(|e| e.to_string())
            .and_then(|v| {
                if v.is_object() || v.is_array() {
                    Ok(())
                } else {
                    Err("not a JSON object or array".into())
                }
            }),
        Model::MustacheTemplate => {
            if text.contains("{{") {
                Ok(())
            } else {
                Err("template without any {{tag}}".into())
            }
        }
    }
}

/// Check every file under `root` (recursively): mapped to exactly one model,
/// listed in `PROVENANCE.md`, and parses. Returns (files checked, failures).
fn check_fixture_dir(root: &Path) -> (usize, Vec<String>) {
    let mut files = Vec::new();
    walk(root, &mut files);
    let provenance = std::fs::read_to_string(root.join("PROVENANCE.md")).unwrap_or_default();

    let mut failures = Vec::new();
    let mut used = vec![0usize; MAPPING.len()];
    let mut checked = 0;
    for path in &files {
        let name = rel_name(root, path);
        if NOT_FIXTURES.contains(&name.as_str()) {
            continue;
        }
        let matches: Vec<usize> = MAPPING
            .iter()
            .enumerate()
            .filter(|(_, (pat, _))| glob_match(pat, &name))
            .map(|(i, _)| i)
            .collect();
        let idx = match matches.as_slice() {
            [i] => *i,
            [] => {
                failures.push(format!("{name}: no model mapped (add it to MAPPING)"));
                continue;
            }
            many => {
                failures.push(format!("{name}: matches {} patterns", many.len()));
                continue;
            }
        };
        used[idx] += 1;
        let base = name.rsplit('/').next().unwrap();
        if !provenance.contains(base) {
            failures.push(format!("{name}: not listed in PROVENANCE.md"));
        }
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{name}: unreadable: {e}"));
                continue;
            }
        };
        let model = MAPPING[idx].1;
        if let Err(e) = check(model, &text) {
            failures.push(format!("{name} as {model:?}: {e}"));
        }
        checked += 1;
    }
    for (i, n) in used.iter().enumerate() {
        if *n == 0 {
            failures.push(format!(
                "MAPPING pattern {:?} matches no fixture",
                MAPPING[i].0
            ));
        }
    }
    (checked, failures)
}

#[test]
fn every_fixture_is_mapped_and_parses() {
    let (checked, failures) = check_fixture_dir(&fixtures_dir());
    assert!(
        failures.is_empty(),
        "fixture failures:\n  {}",
        failures.join("\n  ")
    );
    // `find tests/fixtures -type f ! -name '*.md' | wc -l` -> 22
    assert!(checked >= 22, "only {checked} fixtures found");
}

/// The checker itself: an unmapped file, an unlisted file and a body that
/// does not fit its model are all reported.
#[test]
fn fixture_checker_reports_problems() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("universe-example")).unwrap();
    std::fs::write(
        root.join("PROVENANCE.md"),
        "new-endpoint-1.0.json master-state-9.9.json state-summary-9.9.json",
    )
    .unwrap();
    std::fs::write(root.join("new-endpoint-1.0.json"), "{}").unwrap();
    std::fs::write(root.join("master-state-9.9.json"), r#"{"slaves": 3}"#).unwrap();
    std::fs::write(root.join("state-summary-9.9.json"), r#"{"slaves": []}"#).unwrap();
    std::fs::write(root.join("universe-example/x.json"), "{}").unwrap();
    let (_, failures) = check_fixture_dir(root);
    let has = |needle: &str| failures.iter().any(|f| f.contains(needle));
    assert!(
        has("new-endpoint-1.0.json: no model mapped"),
        "{failures:?}"
    );
    assert!(has("master-state-9.9.json as MasterState"), "{failures:?}");
    assert!(
        has("universe-example/x.json: not listed in PROVENANCE.md"),
        "{failures:?}"
    );
    assert!(
        has("MAPPING pattern \"agent-state-*.json\" matches no fixture"),
        "{failures:?}"
    );
    assert!(
        !failures
            .iter()
            .any(|f| f.starts_with("state-summary-9.9.json")),
        "{failures:?}"
    );
}

#[test]
fn glob_patterns() {
    assert!(glob_match(
        "master-state-*.json",
        "master-state-0.22-large.json"
    ));
    assert!(!glob_match(
        "master-state-*.json",
        "universe-example/master-state-1.json"
    ));
    assert!(!glob_match(
        "master-api-v1-get-*.json",
        "master-api-v1-subscribe-1.5.jsonl"
    ));
    assert!(glob_match(
        "universe-example/*.json.mustache",
        "universe-example/marathon.json.mustache"
    ));
    assert!(!glob_match(
        "universe-example/*.json",
        "universe-example/marathon.json.mustache"
    ));
}

// ---------------------------------------------------------------------------
// Per-fixture content checks.

fn load<T: DeserializeOwned>(name: &str) -> T {
    let text = read_fixture_text(name);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn state_counts<'a>(tasks: impl Iterator<Item = &'a Task>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for t in tasks {
        *m.entry(t.state.to_string()).or_insert(0) += 1;
    }
    m
}

fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

#[test]
fn master_state_1_5() {
    let s: MasterState = load("master-state-1.5.json");
    assert_eq!(s.version, "1.5.0");
    assert_eq!(s.git_sha.as_deref().map(|g| &g[..8]), Some("09df58e9"));
    // jq '.slaves|length, .frameworks|length, .completed_frameworks|length' -> 2, 2, 0
    assert_eq!(s.slaves.len(), 2);
    assert_eq!(s.frameworks.len(), 2);
    assert!(s.completed_frameworks.is_empty());
    assert!(s.recovered_slaves.is_empty());
    // jq '[.frameworks[]|.tasks[]?, .completed_tasks[]?, .unreachable_tasks[]?]|length' -> 6
    assert_eq!(s.all_tasks().count(), 6);
    // jq '.activated_slaves, .unreachable_slaves' -> 2, 0 (written as ints here)
    assert_eq!(s.activated_slaves, 2.0);
    assert_eq!(s.unreachable_slaves, 0.0);
    assert!(approx(s.start_time, 1508783004.30362));
    assert!(approx(s.elected_time.unwrap(), 1508783004.37298));
    assert!(s.is_leader());
    let li = s.leader_info.as_ref().expect("leader_info (1.2+)");
    assert_eq!(li.hostname_string().as_deref(), Some("10.0.4.125"));
    assert_eq!(li.port_number(), Some(5050));
    assert_eq!(li.connect_host().as_deref(), Some("10.0.4.125"));
    assert_eq!(s.cluster.as_deref(), Some("mnaboka-ewam5mm"));
    // jq '.flags|length, .flags.port, .flags.work_dir' -> 50, "5050", "/var/lib/dcos/mesos/master"
    assert_eq!(s.flags.len(), 50);
    assert_eq!(s.flags["port"], "5050");
    assert_eq!(s.flags["work_dir"], "/var/lib/dcos/mesos/master");

    // jq '.slaves[0] | .id, .pid, .port, .resources, .used_resources.cpus'
    let a = s
        .agent("db10f9b1-5b82-4187-aa47-4fbcefc7cdca-S1")
        .expect("agent S1");
    assert_eq!(a.hostname, "10.0.0.157");
    assert_eq!(a.address().as_deref(), Some("10.0.0.157:5051"));
    assert_eq!(a.port, Some(5051));
    assert_eq!(
        (a.resources.cpus, a.resources.mem, a.resources.disk),
        (4.0, 15026.0, 138588.0)
    );
    assert_eq!(
        a.resources.ports.as_deref(),
        Some("[1025-2180, 2182-3887, 3889-5049, 5052-8079, 8082-8180, 8182-32000]")
    );
    assert_eq!(a.used_resources.cpus, 0.5);
    assert_eq!(a.used_resources.mem, 544.0);
    assert_eq!(a.version.as_deref(), Some("1.5.0"));
    assert_eq!(
        a.capabilities,
        vec!["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT"]
    );
    assert!(a.active);
    // jq '.slaves[1] | .reserved_resources|keys, .attributes' -> ["slave_public"], {"public_ip":"true"}
    let puba = s
        .agent("db10f9b1-5b82-4187-aa47-4fbcefc7cdca-S0")
        .expect("agent S0");
    assert_eq!(
        puba.reserved_resources.keys().collect::<Vec<_>>(),
        vec!["slave_public"]
    );
    assert_eq!(puba.reserved_resources["slave_public"].cpus, 4.0);
    assert_eq!(puba.attributes["public_ip"], "true");

    // metronome has neither `tasks` nor `executors` keys at all.
    let metronome = s
        .framework("db10f9b1-5b82-4187-aa47-4fbcefc7cdca-0001")
        .unwrap();
    assert_eq!(metronome.name, "metronome");
    assert!(metronome.tasks.is_empty() && metronome.executors.is_empty());
    assert_eq!(metronome.roles(), vec!["*"]);
    assert_eq!(metronome.connected, Some(true));
    assert_eq!(metronome.recovered, Some(false));
    assert_eq!(metronome.failover_timeout, 604800000.0);
    assert_eq!(metronome.webui_url, "http://10.0.4.125:9000");

    let marathon = s
        .framework("db10f9b1-5b82-4187-aa47-4fbcefc7cdca-0000")
        .unwrap();
    assert_eq!(marathon.roles(), vec!["slave_public"]);
    assert_eq!(marathon.tasks.len(), 6);
    // jq '.frameworks[1].executors[0] | .executor_id, .type, .resources'
    let ex = &marathon.executors[0];
    assert_eq!(
        ex.executor_id,
        "instance-parent-pod.da6ef080-b81f-11e7-a9ac-52ad791ffaa8"
    );
    assert_eq!(ex.executor_type.as_deref(), Some("DEFAULT"));
    assert_eq!(
        (ex.resources.cpus, ex.resources.mem, ex.resources.disk),
        (0.1, 32.0, 10.0)
    );

    // jq '.frameworks[1].tasks[] | select(.id=="test123-123")'
    let t = s
        .all_tasks()
        .find(|t| t.id == "test123-123")
        .expect("task test123-123");
    assert_eq!(t.state, TaskState::Running);
    assert_eq!(t.executor_id, "");
    assert_eq!(t.executor_or_task_id(), "test123-123");
    assert_eq!(t.slave_id, "db10f9b1-5b82-4187-aa47-4fbcefc7cdca-S1");
    assert_eq!(t.latest_timestamp(), Some(1508783219.92384));
    assert_eq!(t.ip_addresses(), vec!["10.0.0.157"]);
    assert_eq!((t.resources.cpus, t.resources.mem), (0.1, 128.0));
    assert_eq!(t.role.as_deref(), Some("slave_public"));
    // Pod task: executor id is the pod instance; nested container id with parent.
    let pod = s
        .all_tasks()
        .find(|t| t.id == "parent-pod.instance-da6ef080-b81f-11e7-a9ac-52ad791ffaa8.container-2")
        .unwrap();
    assert_eq!(
        pod.executor_or_task_id(),
        "instance-parent-pod.da6ef080-b81f-11e7-a9ac-52ad791ffaa8"
    );
    assert_eq!(
        pod.container_id(),
        Some("0f79cb5f-f946-4a65-97ec-e84157216311")
    );
    let docker = s
        .all_tasks()
        .find(|t| t.id.starts_with("single-docker-container."))
        .unwrap();
    let c = docker.container.as_ref().unwrap();
    assert_eq!(
        (c["type"].as_str(), c["docker"]["image"].as_str()),
        (Some("DOCKER"), Some("golang"))
    );
    // jq '[.frameworks[].tasks[]? | select(.executor_id=="")] | length' -> 4
    assert_eq!(
        s.all_tasks().filter(|t| t.executor_id.is_empty()).count(),
        4
    );
}

#[test]
fn master_state_1_2_and_its_summary_agree() {
    let s: MasterState = load("master-state-1.2.json");
    assert_eq!(s.version, "1.2.0");
    // jq '.slaves|length, .frameworks|length, .completed_frameworks|length' -> 2, 3, 1
    assert_eq!(
        (
            s.slaves.len(),
            s.frameworks.len(),
            s.completed_frameworks.len()
        ),
        (2, 3, 1)
    );
    assert_eq!(s.completed_frameworks[0].name, "jenkins");
    // python3: all tasks of frameworks+completed_frameworks -> 277:
    // TASK_RUNNING 5, TASK_FINISHED 138, TASK_KILLED 134
    assert_eq!(s.all_tasks().count(), 277);
    let counts = state_counts(s.all_tasks());
    assert_eq!(counts.get("TASK_RUNNING"), Some(&5));
    assert_eq!(counts.get("TASK_FINISHED"), Some(&138));
    assert_eq!(counts.get("TASK_KILLED"), Some(&134));
    assert!(s.all_tasks().filter(|t| t.state.is_terminal()).count() == 272);
    // jq '[..tasks[]|.statuses|length]|add' -> 675; '[..tasks[]|.labels|length]|add' -> 165
    assert_eq!(s.all_tasks().map(|t| t.statuses.len()).sum::<usize>(), 675);
    assert_eq!(s.all_tasks().map(|t| t.labels.0.len()).sum::<usize>(), 165);
    let broker = s
        .all_tasks()
        .find(|t| t.id.starts_with("broker-0__"))
        .unwrap();
    assert_eq!(
        broker.labels.get("target_configuration"),
        Some("57be52ec-b0e8-4959-af91-bcbb8f68e692")
    );
    assert_eq!(broker.ip_addresses(), vec!["10.0.3.46"]);
    assert!(s.leader_info.is_some());
    assert!(s.external_log_file.is_some());
    // jq '.slaves[0].reserved_resources'
    let a = &s.slaves[0];
    assert_eq!(a.reserved_resources["slave_public"].cpus, 0.001);
    assert_eq!(a.reserved_resources["confluent-kafka-role"].mem, 2560.0);
    assert_eq!(
        a.reserved_resources["confluent-kafka-role"]
            .ports
            .as_deref(),
        Some("[1025-1025, 10034-10034]")
    );
    let kafka = s
        .frameworks
        .iter()
        .find(|f| f.name == "confluent-kafka")
        .unwrap();
    assert_eq!(kafka.roles(), vec!["confluent-kafka-role"]);
    assert_eq!(
        kafka.principal.as_deref(),
        Some("confluent-kafka-principal")
    );
    assert_eq!(kafka.failover_timeout, 1209600.0);

    // Same cluster, same moment: per-framework summary counts equal the
    // states of the tasks in the full state.
    let sum: StateSummary = load("state-summary-1.2.json");
    assert_eq!(sum.hostname, s.hostname);
    assert_eq!(sum.cluster, s.cluster);
    assert_eq!(sum.frameworks.len(), 3);
    for f in &sum.frameworks {
        let full = s.framework(&f.framework.id).expect("framework in state");
        let c = state_counts(full.all_tasks());
        for st in [
            TaskState::Running,
            TaskState::Finished,
            TaskState::Killed,
            TaskState::Failed,
        ] {
            let n = c.get(st.as_str()).copied().unwrap_or(0) as u64;
            assert_eq!(f.counts.get(&st), n, "{} {st}", f.framework.name);
        }
    }
    // jq '.slaves[0] | .TASK_RUNNING, .TASK_FINISHED, .TASK_KILLED, (.framework_ids|length)' -> 5 138 134 2
    let sa = &sum.slaves[0];
    assert_eq!(sa.agent.id, "c116a0cf-3d63-45f5-898d-5bc2136e2c5b-S1");
    assert_eq!(
        (sa.counts.running, sa.counts.finished, sa.counts.killed),
        (5, 138, 134)
    );
    assert_eq!(sa.framework_ids.len(), 2);
    assert_eq!(sa.agent.used_resources.cpus, 2.503);
    let m = sum
        .frameworks
        .iter()
        .find(|f| f.framework.name == "marathon")
        .unwrap();
    assert_eq!(
        (m.counts.running, m.counts.finished, m.counts.killed),
        (4, 138, 134)
    );
    assert_eq!(m.slave_ids, vec!["c116a0cf-3d63-45f5-898d-5bc2136e2c5b-S1"]);
    assert_eq!(m.framework.used_resources.mem, 1614.0);
}

#[test]
fn master_state_0_27_and_its_summary_agree() {
    let s: MasterState = load("master-state-0.27.json");
    assert_eq!(s.version, "0.27.0");
    // jq '.activated_slaves' -> 6.0 (a double on the wire)
    assert_eq!(s.activated_slaves, 6.0);
    assert!(s.leader_info.is_none());
    assert_eq!(
        (s.slaves.len(), s.frameworks.len(), s.all_tasks().count()),
        (6, 2, 4)
    );
    assert!(s
        .slaves
        .iter()
        .all(|a| a.port.is_none() && a.address().is_some()));
    let cassandra = s.frameworks.iter().find(|f| f.name == "cassandra").unwrap();
    assert_eq!(cassandra.roles(), vec!["cassandra_role"]);
    // 0.27 writes executors[] with {"value":..} ids and a Resource list:
    // jq '.frameworks[0].executors[0] | .executor_id.value, .resources'
    assert_eq!(cassandra.executors.len(), 3);
    let e = &cassandra.executors[0];
    assert_eq!(
        e.executor_id,
        "server-2_1b100d78-f999-47ad-9a22-d7f9436f37bb_executor"
    );
    assert_eq!(e.framework_id, "b3bd182c-c6d7-463e-8bf0-06cd5807df4e-0001");
    assert_eq!(e.slave_id, "b3bd182c-c6d7-463e-8bf0-06cd5807df4e-S5");
    assert_eq!((e.resources.cpus, e.resources.mem), (0.5, 768.0));
    // jq '[.frameworks[].tasks[].labels|length]' -> [0,0,0,9]
    let mt = s
        .all_tasks()
        .find(|t| t.id == "cassandra.f3c25eea-da3d-11e5-af84-0242fa37187c")
        .unwrap();
    assert_eq!(mt.labels.0.len(), 9);
    assert_eq!(mt.executor_or_task_id(), mt.id);
    // Legacy network_infos with both ip_address and ip_addresses.
    let t = s
        .all_tasks()
        .find(|t| t.id == "server-2_1b100d78-f999-47ad-9a22-d7f9436f37bb")
        .unwrap();
    assert_eq!(t.ip_addresses(), vec!["10.0.1.108"]);

    let sum: StateSummary = load("state-summary-0.27.json");
    assert_eq!(sum.hostname, "10.0.7.122");
    assert_eq!(sum.cluster.as_deref(), Some("kenneth-yduz2ye"));
    assert_eq!((sum.slaves.len(), sum.frameworks.len()), (6, 2));
    // jq '.frameworks[0] | .TASK_RUNNING, (.slave_ids|length), .used_resources.mem' -> 3 3 14592
    let c = &sum.frameworks[0];
    assert_eq!(c.framework.name, "cassandra");
    assert_eq!((c.counts.running, c.slave_ids.len()), (3, 3));
    assert_eq!(c.framework.used_resources.mem, 14592.0);
    assert_eq!(c.framework.offered_resources.gpus, 0.0); // no gpus key in 0.27
    assert_eq!(c.counts.killing, 0); // no TASK_KILLING key in 0.27
    for f in &sum.frameworks {
        let full = s.framework(&f.framework.id).unwrap();
        assert_eq!(f.counts.running as usize, full.tasks.len());
    }
    // jq '[.slaves[].TASK_RUNNING]|add' -> 4
    assert_eq!(sum.slaves.iter().map(|a| a.counts.running).sum::<u64>(), 4);
    assert!(sum.slaves.iter().all(|a| a.agent.resources.cpus == 4.0));
}

#[test]
fn master_state_0_22_small() {
    let s: MasterState = load("master-state-0.22.json");
    assert_eq!(s.version, "0.22.0");
    assert_eq!(s.git_tag.as_deref(), Some("0.22.0"));
    assert_eq!(s.cluster.as_deref(), Some("datadog-test"));
    assert_eq!(s.activated_slaves, 1.0);
    assert!(s.is_leader());
    let a = &s.slaves[0];
    // 0.22 agents: no port, no version, no used/offered resources, no gpus.
    assert_eq!((a.port, a.version.as_deref()), (None, None));
    assert_eq!(a.address().as_deref(), Some("127.0.0.1:5051"));
    assert_eq!(
        (a.resources.cpus, a.resources.mem, a.resources.gpus),
        (1.0, 244.0, 0.0)
    );
    assert!(a.used_resources.is_empty());
    let tasks: Vec<&Task> = s.all_tasks().collect();
    assert_eq!(tasks.len(), 1);
    let t = tasks[0];
    assert_eq!(t.id, "hello.dc130e23-df88-11e4-b9ec-080027fc1312");
    assert_eq!(t.executor_or_task_id(), t.id);
    assert_eq!(t.resources.ports.as_deref(), Some("[31915-31915]"));
    assert_eq!(t.latest_timestamp(), Some(1428673971.61592));
    assert!(t.role.is_none());
}

#[test]
fn master_state_0_22_large() {
    let s: MasterState = load("master-state-0.22-large.json");
    // jq '.slaves|length, .frameworks|length, .completed_frameworks|length' -> 6 5 9
    assert_eq!(
        (
            s.slaves.len(),
            s.frameworks.len(),
            s.completed_frameworks.len()
        ),
        (6, 5, 9)
    );
    // python3 (all tasks of frameworks + completed_frameworks): 5491 total,
    // FINISHED 2891, KILLED 1185, FAILED 1110, LOST 174, RUNNING 131;
    // 3106 with executor_id "".
    assert_eq!(s.all_tasks().count(), 5491);
    let c = state_counts(s.all_tasks());
    assert_eq!(c["TASK_FINISHED"], 2891);
    assert_eq!(c["TASK_KILLED"], 1185);
    assert_eq!(c["TASK_FAILED"], 1110);
    assert_eq!(c["TASK_LOST"], 174);
    assert_eq!(c["TASK_RUNNING"], 131);
    assert_eq!(
        s.all_tasks().filter(|t| t.executor_id.is_empty()).count(),
        3106
    );
    // jq '[.frameworks[].tasks[]]|length' -> 131 (only running tasks are active)
    assert_eq!(
        s.frameworks.iter().map(|f| f.tasks.len()).sum::<usize>(),
        131
    );
    // jq '.unregistered_frameworks' -> 3 id strings
    assert_eq!(s.unregistered_frameworks.len(), 3);
    assert_eq!(
        s.unregistered_frameworks[0],
        "20150327-025553-218108076-5050-4122-0000"
    );
    // jq '[.frameworks[].offers[]][0] | .id, .slave_id, .resources.cpus'
    let offers: Vec<_> = s.frameworks.iter().flat_map(|f| &f.offers).collect();
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].id, "20150401-160104-251662508-5050-2197-O5604048");
    assert_eq!(offers[0].slave_id, "20150401-160104-251662508-5050-2197-S1");
    assert_eq!(offers[0].resources.cpus, 8.39999999999847);
    assert_eq!(s.slaves[0].hostname, "srv3.hw.ca1.mesosphere.com");
    assert_eq!(s.slaves[0].address().as_deref(), Some("172.16.0.13:5051"));
}

#[test]
fn state_summary_1_7() {
    let s: StateSummary = load("state-summary-1.7.json");
    assert_eq!(
        (s.hostname.as_str(), s.cluster.as_deref()),
        ("localhost", Some("test-cluster"))
    );
    let f = &s.frameworks[0];
    // jq '.frameworks[0] | .TASK_RUNNING, .TASK_FINISHED, .TASK_KILLED, .TASK_FAILED, .TASK_UNREACHABLE'
    // -> 6616 6 753 241 85
    assert_eq!(
        (
            f.counts.running,
            f.counts.finished,
            f.counts.killed,
            f.counts.failed,
            f.counts.unreachable
        ),
        (6616, 6, 753, 241, 85)
    );
    assert_eq!(f.counts.total(), 6616 + 6 + 753 + 241 + 85);
    assert_eq!(f.framework.pid.as_deref(), Some("scheduler"));
    assert_eq!(
        f.framework.capabilities,
        vec!["PARTITION_AWARE", "REGION_AWARE", "MULTI_ROLE"]
    );
    assert_eq!(f.framework.used_resources.mem, 12606997.0);
    assert_eq!(f.framework.used_resources.cpus, 2732.63);
    assert_eq!(
        f.slave_ids,
        vec!["113c74e9-1c3f-4c7b-a2ac-0cbaa6a21d01-S2100"]
    );
    let a = &s.slaves[0];
    assert_eq!(a.agent.version.as_deref(), Some("1.7.1"));
    assert_eq!(a.agent.port, Some(5051));
    assert_eq!(a.counts.total(), 0);
    assert!(a.framework_ids.is_empty());
    // Attribute values are numbers or strings: jq '.slaves[0].attributes'
    assert_eq!(a.agent.attributes["number"], 29160);
    assert_eq!(a.agent.attributes["env"], "prod");
    assert_eq!(
        mesos::wire::resources::attribute_string(&a.agent.attributes["cluster"]),
        "48"
    );
}

#[test]
fn agent_states_have_sandboxes() {
    for name in ["agent-state-0.22.json", "agent-state-0.27.json"] {
        let s: AgentState = load(name);
        assert!(s.pid.starts_with("slave(1)@"), "{name}");
        assert!(s.all_executors().count() >= 1, "{name}");
        for (f, e) in s.all_executors() {
            assert!(e.directory.starts_with('/'), "{name}: {}", e.directory);
            let tail = format!(
                "/frameworks/{}/executors/{}/runs/{}",
                f.id, e.id, e.container
            );
            assert!(
                e.directory.ends_with(&tail),
                "{name}: {} !~ {tail}",
                e.directory
            );
            assert_eq!(
                s.find_executor(&f.id, &e.id).map(|x| &x.directory),
                Some(&e.directory)
            );
        }
    }

    let s: AgentState = load("agent-state-0.22.json");
    assert_eq!(s.id, "20150410-134224-16777343-5050-1778-S0");
    assert_eq!(s.cluster.as_deref(), Some("test"));
    assert_eq!(s.master_hostname.as_deref(), Some("localhost"));
    // jq '.flags|length' -> 40
    assert_eq!(s.flags.len(), 40);
    assert_eq!(s.flags["work_dir"], "/tmp/mesos");
    // Command executor: id == source == task id, executor resources cpus 1.1.
    let task_id = "hello.dc130e23-df88-11e4-b9ec-080027fc1312";
    let (f, e) = s.find_task_executor(task_id).expect("executor of hello");
    assert_eq!((f.name.as_str(), f.roles()), ("marathon", vec!["*"]));
    assert_eq!((e.id.as_str(), e.source.as_str()), (task_id, task_id));
    assert_eq!(e.container, "f67a5e0b-91f9-474a-94a0-e2c6a3b28ea4");
    assert_eq!(e.resources.cpus, 1.1);
    assert_eq!(e.tasks[0].executor_or_task_id(), e.id);
    assert!(e.name.starts_with("Command Executor (Task: hello."));

    let s: AgentState = load("agent-state-0.27.json");
    assert_eq!(s.version, "0.27.0");
    assert_eq!(s.flags.len(), 61); // jq '.flags|length'
    assert_eq!(s.resources.cpus, 4.0);
    let (f, e) = s
        .find_task_executor("server-0_10ab666b-cf9b-44eb-bc53-b6dba1b7c737")
        .expect("cassandra executor");
    assert_eq!(f.roles(), vec!["cassandra_role"]);
    assert_eq!(
        e.id,
        "server-0_10ab666b-cf9b-44eb-bc53-b6dba1b7c737_executor"
    );
    assert_eq!(e.source, "");
    assert_eq!(e.tasks[0].executor_or_task_id(), e.id);
    assert_eq!(e.tasks[0].ip_addresses(), vec!["10.0.1.109"]);
}

#[test]
fn files_browse_entries() {
    let v: Vec<FileInfo> = load("files-browse-0.27.json");
    // jq 'length, ([.[].size]|add)' -> 13 274765871
    assert_eq!(v.len(), 13);
    assert_eq!(v.iter().map(|f| f.size).sum::<u64>(), 274765871);
    assert!(
        v.iter().all(|f| f.mode.len() == 10),
        "modes are ls-style 10 chars"
    );
    assert!(v.iter().all(|f| f.uid == "root" && f.gid == "root"));
    assert!(v
        .iter()
        .all(|f| f.path.starts_with("/var/lib/mesos/slave/slaves/")));
    // jq '.[]|select(.mode|startswith("d"))' -> only jre1.7.0_76, nlink 6
    let dirs: Vec<&FileInfo> = v.iter().filter(|f| f.is_dir()).collect();
    assert_eq!(dirs.len(), 1);
    assert_eq!(
        (dirs[0].name(), dirs[0].mode.as_str(), dirs[0].nlink),
        ("jre1.7.0_76", "drwxr-xr-x", 6)
    );
    let stdout = v.iter().find(|f| f.name() == "stdout").unwrap();
    assert_eq!((stdout.size, stdout.mode.as_str()), (261, "-rw-r--r--"));
    assert_eq!(v[0].mtime, 1428104267.0);
}

#[test]
fn monitor_statistics_entries() {
    let v: Vec<MonitorEntry> = load("agent-monitor-statistics-0.21.json");
    assert_eq!(v.len(), 3);
    // jq 'map(.statistics.mem_rss_bytes)|add' -> 426614784
    assert_eq!(
        v.iter()
            .map(|e| e.statistics.mem_rss_bytes.unwrap())
            .sum::<u64>(),
        426614784
    );
    let e = &v[1];
    assert_eq!(
        e.executor_id,
        "task_name.06247c78-b6a9-11e4-99f6-fa163ef210c0"
    );
    assert_eq!(e.framework_id, "105146");
    assert_eq!(e.source, e.executor_id);
    assert_eq!(e.statistics.cpus_limit, Some(1.1));
    assert_eq!(e.statistics.mem_limit_bytes, Some(1107296256));
    assert_eq!(e.statistics.timestamp, 1424179791.66802);
    assert_eq!(e.statistics.cpu_time_secs(), Some(0.56 + 10.65));
    // Fields the 0.21 agent did not send stay None; nothing unmodelled.
    assert!(v.iter().all(|e| e.statistics.mem_total_bytes.is_none()
        && e.statistics.net_rx_bytes.is_none()
        && e.statistics.other.is_empty()));
}

#[test]
fn metrics_snapshots() {
    let m: Metrics = load("master-stats-0.22.json");
    // jq 'length, ."master/uptime_secs", ."master/tasks_running"' -> 106 706.52485632 1
    assert_eq!(m.len(), 106);
    assert!(m.is_elected());
    assert_eq!(m.get("master/uptime_secs"), Some(706.52485632));
    assert_eq!(m.get("master/tasks_running"), Some(1.0));
    assert_eq!(m.get("master/mem_total"), Some(244.0));
    let a: Metrics = load("agent-stats-0.22.json");
    // jq 'length, ."slave/cpus_used", ."slave/registered"' -> 48 1.1 1
    assert_eq!(a.len(), 48);
    assert_eq!(a.get("slave/cpus_used"), Some(1.1));
    assert_eq!(a.get("slave/registered"), Some(1.0));
    assert!(!a.is_elected());
}

#[test]
fn v1_get_master() {
    let r: Response = load("master-api-v1-get-master-1.5.json");
    assert_eq!(r.kind, "GET_MASTER");
    let gm = r.get_master.expect("get_master payload");
    let mi = &gm.master_info;
    assert_eq!(
        mi.id.as_deref(),
        Some("cd66b593-339d-4ed3-88de-c4cd4414456e")
    );
    assert_eq!(mi.ip_string().as_deref(), Some("10.0.5.101"));
    // The packed `ip` agrees with `address.ip`.
    assert_eq!(
        mesos::wire::master_info::unpack_ip(mi.ip.unwrap()),
        "10.0.5.101"
    );
    assert_eq!(mi.port_number(), Some(5050));
    assert_eq!(mi.version.as_deref(), Some("1.5.0"));
    assert_eq!(
        mi.domain.as_ref().unwrap()["fault_domain"]["zone"]["name"],
        "aws/eu-central-1c"
    );
    assert_eq!(gm.start_time, Some(1518160049.92947));
    assert_eq!(gm.elected_time, Some(1518160053.29448));
    assert!(r.other.is_empty());
}

#[test]
fn v1_subscribe_stream() {
    let text = read_fixture_text("master-api-v1-subscribe-1.5.jsonl");
    let events: Vec<Event> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // wc -l -> 38; python3 Counter of types -> SUBSCRIBED 1, FRAMEWORK_UPDATED 1,
    // TASK_ADDED 12, TASK_UPDATED 24
    assert_eq!(events.len(), 38);
    let mut kinds = BTreeMap::new();
    for e in &events {
        *kinds.entry(e.kind.as_str()).or_insert(0) += 1;
        assert!(e.other.is_empty(), "unmodelled payload in {}", e.kind);
    }
    assert_eq!(
        kinds,
        BTreeMap::from([
            ("FRAMEWORK_UPDATED", 1),
            ("SUBSCRIBED", 1),
            ("TASK_ADDED", 12),
            ("TASK_UPDATED", 24)
        ])
    );

    let sub = events[0]
        .subscribed
        .as_ref()
        .expect("first event is SUBSCRIBED");
    assert_eq!(sub.heartbeat_interval_seconds, Some(15.0));
    let st = &sub.get_state;
    assert_eq!(st.get_tasks.all_tasks().count(), 0); // "get_tasks": {}
    assert_eq!(st.get_agents.agents.len(), 2);
    let a0 = &st.get_agents.agents[0];
    assert_eq!(a0.agent_info.id, "30257977-0153-499d-a5b0-35afd842ef4d-S0");
    assert_eq!(a0.agent_info.hostname, "172.17.0.4");
    assert_eq!(a0.pid.as_deref(), Some("slave(1)@172.17.0.4:5051"));
    assert_eq!(
        a0.capabilities,
        vec!["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT"]
    );
    let total = a0.total_summary();
    assert_eq!((total.cpus, total.mem, total.disk), (4.0, 6949.0, 47170.0));
    assert_eq!(
        total.ports.as_deref(),
        Some("[1025-2180, 2182-3887, 3889-5049, 5052-8079, 8082-8180, 8182-32000]")
    );
    assert!((a0.registered_time.unwrap().secs() - 1520884809.94).abs() < 0.01);
    let fws = &st.get_frameworks.frameworks;
    assert_eq!(fws.len(), 1);
    assert_eq!(fws[0].framework_info.name, "metronome");
    assert_eq!(
        fws[0].framework_info.id,
        "30257977-0153-499d-a5b0-35afd842ef4d-0000"
    );
    assert_eq!(fws[0].framework_info.failover_timeout, 604800000.0);

    let fu = &events[1].framework_updated.as_ref().unwrap().framework;
    assert_eq!(fu.framework_info.name, "marathon");
    assert_eq!(fu.framework_info.roles(), vec!["slave_public"]);
    assert_eq!(fu.framework_info.capabilities.len(), 4);
    assert_eq!(fu.unregistered_time.map(|t| t.nanoseconds), Some(0));

    let added: Vec<&Task> = events
        .iter()
        .filter_map(|e| e.task_added.as_ref())
        .map(|a| &a.task)
        .collect();
    assert_eq!(added.len(), 12);
    assert!(added
        .iter()
        .all(|t| t.state == TaskState::Staging && t.statuses.is_empty()));
    assert!(added
        .iter()
        .all(|t| t.resources.cpus == 0.1 && t.resources.mem == 128.0));
    let bridge = added
        .iter()
        .find(|t| t.id.starts_with("docker-on-bridge."))
        .unwrap();
    assert_eq!(bridge.slave_id, "30257977-0153-499d-a5b0-35afd842ef4d-S0");
    assert_eq!(
        bridge.framework_id,
        "30257977-0153-499d-a5b0-35afd842ef4d-0001"
    );
    assert_eq!(bridge.resources.ports.as_deref(), Some("[20560-20560]"));
    assert_eq!(
        bridge.container.as_ref().unwrap()["docker"]["network"],
        "BRIDGE"
    );

    let updates: Vec<_> = events
        .iter()
        .filter_map(|e| e.task_updated.as_ref())
        .collect();
    assert_eq!(updates.len(), 24);
    // python3: 12 TASK_STARTING + 12 TASK_RUNNING, all SOURCE_EXECUTOR with a uuid.
    assert_eq!(
        updates
            .iter()
            .filter(|u| u.state == TaskState::Starting)
            .count(),
        12
    );
    assert_eq!(
        updates
            .iter()
            .filter(|u| u.state == TaskState::Running)
            .count(),
        12
    );
    assert!(updates.iter().all(|u| u.status.uuid.is_some()
        && u.status.source.as_deref() == Some("SOURCE_EXECUTOR")
        && u.status.state == u.state
        && !u.state.is_terminal()));
    // Every update belongs to a task that was added.
    assert!(updates.iter().all(|u| added
        .iter()
        .any(|t| Some(t.id.as_str()) == u.status.task_id.as_deref())));
    let v6 = updates
        .iter()
        .find(|u| {
            u.state == TaskState::Running
                && u.status.task_id.as_deref()
                    == Some("docker-on-ipv6.602453f2-28e7-11e8-8cba-70b3d5800001")
        })
        .unwrap();
    assert_eq!(
        v6.status.ip_addresses(),
        vec!["172.19.0.2", "fd01:b::2:8000:0:2"]
    );
    assert_eq!(
        v6.status.container_id(),
        Some("de1c4e9e-3e99-4ebe-bbe7-cc200414379b")
    );
}

#[test]
fn foreign_bodies_parse_as_plain_json() {
    let apps: serde_json::Value = load("marathon-v2-apps-1.5.json");
    assert_eq!(apps["apps"][0]["id"], "/pywebserver");
    let groups: serde_json::Value = load("marathon-v2-groups-dcos1.9.json");
    assert_eq!(groups["id"], "/");
    assert_eq!(groups["apps"].as_array().map(Vec::len), Some(4));
    let pkg: serde_json::Value = load("universe-example/package.json");
    assert_eq!(
        (pkg["name"].as_str(), pkg["version"].as_str()),
        (Some("marathon-lb"), Some("1.15.0"))
    );
}

/// The agent bodies are one model for the CLI (which parses them) and the
/// bundled agent (which serializes them): what the agent would write from
/// a parsed real body parses back to the same value.
#[test]
fn agent_models_round_trip_through_their_serialized_form() {
    for name in ["agent-state-0.22.json", "agent-state-0.27.json"] {
        let s: AgentState = load(name);
        let again: AgentState = serde_json::from_slice(&serde_json::to_vec(&s).unwrap()).unwrap();
        assert_eq!(again, s, "{name}");
    }
    let m: Vec<mesos::wire::MonitorEntry> = load("agent-monitor-statistics-0.21.json");
    let again: Vec<mesos::wire::MonitorEntry> =
        serde_json::from_slice(&serde_json::to_vec(&m).unwrap()).unwrap();
    assert_eq!(again, m);
}
