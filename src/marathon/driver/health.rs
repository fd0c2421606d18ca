//! Marathon-level health checks (`HTTP`, `HTTPS`, `TCP`) and readiness
//! checks of running instances, run from this scheduler against
//! `host:hostPort[portIndex]` with the checker of
//! [`crate::marathon::health`]. Results land in `Instance.health` (one
//! entry per app check, same order); too many consecutive failures kill
//! the instance (`unhealthy_instance_kill_event`) and count as a failure
//! for the app's backoff. Mesos-level checks are read from status updates
//! (`Instance.mesos_healthy`), not here.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::marathon::core::{HealthResult, Instance, State};
use crate::marathon::health::{spawn_checker, CheckSpec, HealthState, ProbeKind, Verdict};
use crate::marathon::probe::url_of;
use crate::wire::marathon::{
    AppDefinition, EventKind, HealthProtocol, ReadinessCheckResult, ReadinessResponse,
};

use super::plan::{def_of, KillOrder, KillReason};
use super::status::bump_backoff;

/// A readiness check to poll: ready on one of `codes`.
pub(super) struct Readiness {
    pub name: String,
    pub url: String,
    pub codes: Vec<u16>,
    pub interval: Duration,
    pub timeout: Duration,
    /// `preserveLastResponse`: keep the answer in the result.
    pub preserve: bool,
}

/// (task id, check index); `READINESS` for the readiness check.
type Key = (String, usize);
const READINESS: usize = usize::MAX;

/// What a checker reports.
#[derive(Debug)]
pub enum Report {
    Health(Key, HealthState, Verdict),
    /// A readiness result of a task (`ready` ends its polling).
    Readiness(String, ReadinessCheckResult),
}

/// The running checkers.
pub struct Checks {
    tx: mpsc::Sender<Report>,
    pub rx: mpsc::Receiver<Report>,
    health_tx: mpsc::Sender<(Key, HealthState, Verdict)>,
    running: HashMap<Key, AbortHandle>,
    /// Instances whose readiness check passed.
    pub ready: BTreeSet<String>,
}

impl Drop for Checks {
    fn drop(&mut self) {
        self.stop_all();
    }
}

fn probe_kind(p: HealthProtocol) -> Option<ProbeKind> {
    match p {
        HealthProtocol::Http => Some(ProbeKind::Http),
        HealthProtocol::Https => Some(ProbeKind::Https),
        HealthProtocol::Tcp => Some(ProbeKind::Tcp),
        _ => None,
    }
}

/// The host port of a check: its fixed `port`, else the instance's port
/// at `portIndex`.
fn check_port(inst: &Instance, port: Option<u32>, port_index: Option<u32>) -> Option<u16> {
    match port {
        Some(p) => u16::try_from(p).ok(),
        None => inst
            .host_ports
            .get(port_index.unwrap_or(0) as usize)
            .and_then(|p| u16::try_from(*p).ok()),
    }
}

fn readiness_port(inst: &Instance, def: &AppDefinition, port_name: &str) -> Option<u16> {
    let idx = def
        .port_definitions
        .iter()
        .flatten()
        .position(|p| p.name.as_deref() == Some(port_name))
        .unwrap_or(0);
    check_port(inst, None, Some(idx as u32))
}

impl Checks {
    pub fn new() -> Checks {
        let (tx, rx) = mpsc::channel(256);
        let (health_tx, mut health_rx) = mpsc::channel::<(Key, HealthState, Verdict)>(256);
        let fwd = tx.clone();
        tokio::spawn(async move {
            while let Some((k, s, v)) = health_rx.recv().await {
                if fwd.send(Report::Health(k, s, v)).await.is_err() {
                    return;
                }
            }
        });
        Checks {
            tx,
            rx,
            health_tx,
            running: HashMap::new(),
            ready: BTreeSet::new(),
        }
    }

    pub fn stop_all(&mut self) {
        for (_, h) in self.running.drain() {
            h.abort();
        }
    }

    /// Start a checker for every check of every running instance that has
    /// none; stop those of instances gone, not running or being killed.
    pub fn sync(&mut self, state: &State) {
        let mut wanted: HashMap<Key, (CheckSpec, SystemTime)> = HashMap::new();
        let mut readiness: HashMap<Key, Readiness> = HashMap::new();
        for inst in state.instances.values() {
            if !inst.is_running() || inst.kill_requested {
                continue;
            }
            let Some(def) = def_of(state, inst) else {
                continue;
            };
            let started = SystemTime::UNIX_EPOCH
                + Duration::from_millis(inst.started_at_ms.unwrap_or(0).max(0) as u64);
            for (i, hc) in def.health_checks.iter().enumerate() {
                let Some(kind) = probe_kind(hc.protocol) else {
                    continue;
                };
                let Some(port) = check_port(inst, hc.port, hc.port_index) else {
                    continue;
                };
                let spec = CheckSpec {
                    kind,
                    host: inst.hostname.clone(),
                    port,
                    path: hc.path.clone().unwrap_or_else(|| "/".into()),
                    interval: Duration::from_secs(hc.interval_seconds.max(1)),
                    timeout: Duration::from_secs(hc.timeout_seconds.max(1)),
                    grace: Duration::from_secs(hc.grace_period_seconds),
                    max_failures: hc.max_consecutive_failures.min(u32::MAX as u64) as u32,
                    ignore_1xx: hc.ignore_http1xx.unwrap_or(false),
                };
                wanted.insert((inst.task_id.clone(), i), (spec, started));
            }
            if let Some(rc) = def.readiness_checks.first() {
                if !self.ready.contains(&inst.task_id) {
                    if let Some(port) = readiness_port(inst, def, &rc.port_name) {
                        let kind = if rc.protocol.eq_ignore_ascii_case("HTTPS") {
                            ProbeKind::Https
                        } else {
                            ProbeKind::Http
                        };
                        readiness.insert(
                            (inst.task_id.clone(), READINESS),
                            Readiness {
                                name: rc.name.clone(),
                                preserve: rc.preserve_last_response,
                                url: url_of(kind, &inst.hostname, port, &rc.path),
                                codes: rc.http_status_codes_for_ready.clone(),
                                interval: Duration::from_secs(rc.interval_seconds.max(1)),
                                timeout: Duration::from_secs(rc.timeout_seconds.max(1)),
                            },
                        );
                    }
                }
            }
        }
        self.running.retain(|k, h| {
            let keep = wanted.contains_key(k) || readiness.contains_key(k);
            if !keep {
                h.abort();
            }
            keep
        });
        self.ready.retain(|t| state.instances.contains_key(t));
        for (k, (spec, started)) in wanted {
            if !self.running.contains_key(&k) {
                let h = spawn_checker(k.clone(), spec, started, self.health_tx.clone());
                self.running.insert(k, h);
            }
        }
        for (k, r) in readiness {
            if self.running.contains_key(&k) {
                continue;
            }
            let tx = self.tx.clone();
            let task = k.0.clone();
            let h = tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .timeout(r.timeout)
                    .danger_accept_invalid_certs(true)
                    .no_proxy()
                    .build();
                let Ok(client) = client else { return };
                loop {
                    let result = poll_readiness(&client, &r, &task).await;
                    let ready = result.ready;
                    if tx
                        .send(Report::Readiness(task.clone(), result))
                        .await
                        .is_err()
                        || ready
                    {
                        return;
                    }
                    tokio::time::sleep(r.interval.min(Duration::from_secs(1))).await;
                }
            })
            .abort_handle();
            self.running.insert(k, h);
        }
    }

    /// A readiness check passed.
    pub fn mark_ready(&mut self, task: String) {
        if let Some(h) = self.running.remove(&(task.clone(), READINESS)) {
            h.abort();
        }
        self.ready.insert(task);
    }
}

/// One readiness probe: ready on one of the check's status codes; the
/// answer is kept only with `preserveLastResponse` (none when the request
/// failed).
pub(super) async fn poll_readiness(
    client: &reqwest::Client,
    r: &Readiness,
    task: &str,
) -> ReadinessCheckResult {
    let (ready, last_response) = match client.get(&r.url).send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let content_type = resp
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let body = if r.preserve {
                resp.text().await.unwrap_or_default()
            } else {
                String::new()
            };
            let last = r.preserve.then_some(ReadinessResponse {
                status,
                content_type,
                body,
            });
            (r.codes.contains(&status), last)
        }
        Err(_) => (false, None),
    };
    ReadinessCheckResult {
        name: r.name.clone(),
        task_id: task.to_string(),
        ready,
        last_response,
    }
}

fn ms(t: Option<SystemTime>) -> Option<i64> {
    t.map(|t| crate::marathon::health::epoch_ms(t) as i64)
}

/// What one health result leads to.
#[derive(Debug, Default)]
pub struct Outcome {
    pub events: Vec<EventKind>,
    pub save: Option<Instance>,
    pub kill: Option<KillOrder>,
}

/// Record a health result of check `idx` of `task`.
pub fn apply(
    state: &mut State,
    task: &str,
    idx: usize,
    hs: &HealthState,
    verdict: Verdict,
    now: i64,
) -> Outcome {
    let mut out = Outcome::default();
    let Some(inst) = state.instances.get(task) else {
        return out;
    };
    if inst.kill_requested {
        return out;
    }
    let Some(def) = def_of(state, inst).cloned() else {
        return out;
    };
    let Some(hc) = def.health_checks.get(idx).cloned() else {
        return out;
    };
    let inst = state.instances.get_mut(task).expect("present");
    if inst.health.len() < def.health_checks.len() {
        inst.health
            .resize(def.health_checks.len(), HealthResult::default());
    }
    let was_alive = inst.health[idx].alive;
    let had_result =
        inst.health[idx].last_success_ms.is_some() || inst.health[idx].last_failure_ms.is_some();
    inst.health[idx] = HealthResult {
        alive: hs.alive,
        consecutive_failures: hs.consecutive_failures as u64,
        first_success_ms: ms(hs.first_success),
        last_success_ms: ms(hs.last_success),
        last_failure_ms: ms(hs.last_failure),
        last_failure_cause: hs.last_failure_cause.clone(),
    };
    if verdict == Verdict::Ignored {
        return out;
    }
    if was_alive != hs.alive || !had_result {
        out.events.push(EventKind::HealthStatusChangedEvent {
            app_id: inst.app_id.clone(),
            instance_id: inst.task_id.clone(),
            version: inst.app_version.clone(),
            alive: hs.alive,
        });
        out.events.push(EventKind::InstanceHealthChangedEvent {
            instance_id: inst.task_id.clone(),
            run_spec_id: inst.app_id.clone(),
            healthy: inst.healthy(false),
            run_spec_version: inst.app_version.clone(),
        });
    }
    if matches!(verdict, Verdict::Unhealthy | Verdict::Kill) {
        out.events.push(EventKind::FailedHealthCheckEvent {
            app_id: inst.app_id.clone(),
            task_id: inst.task_id.clone(),
            health_check: Box::new(hc),
        });
    }
    if verdict == Verdict::Kill {
        inst.kill_requested = true;
        out.events.push(EventKind::UnhealthyInstanceKillEvent {
            app_id: inst.app_id.clone(),
            task_id: inst.task_id.clone(),
            instance_id: inst.task_id.clone(),
            version: inst.app_version.clone(),
            reason: format!(
                "{} consecutive health check failures",
                hs.consecutive_failures
            ),
            host: inst.hostname.clone(),
            slave_id: inst.agent_id.clone(),
        });
        out.kill = Some(KillOrder {
            task_id: inst.task_id.clone(),
            agent_id: inst.agent_id.clone(),
            grace_seconds: def.task_kill_grace_period_seconds,
            reason: KillReason::Scaling,
        });
        let app = inst.app_id.clone();
        out.save = Some(inst.clone());
        bump_backoff(state, &app, Some(&def), now);
        return out;
    }
    if was_alive != hs.alive {
        out.save = Some(inst.clone());
    }
    out
}
