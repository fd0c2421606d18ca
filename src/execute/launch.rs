//! Taking offers: which pending tasks fit an offer (pinned agent,
//! constraints, Docker support, resources), the ACCEPT with LAUNCH or
//! LAUNCH_GROUP, and why nothing fit when `--offer-timeout` expires.

use std::collections::BTreeMap;

use reqwest::Url;
use serde::Deserialize;
use tokio::time::Instant;

use super::offers::{agent_attributes, agent_base_url, check_constraints, shortfall, Pool};
use super::spec::{Containerizer, Plan};
use super::{Runner, Task, REFUSE_LONG, REFUSE_SHORT};
use crate::error::Result;
use crate::resources::Resources;
use crate::wire::agent_v1::Id;
use crate::wire::endpoints::FlagsResponse;
use crate::wire::event::Offer;
use crate::wire::scheduler::{Call, IdRef, Operation};

/// Why an agent's offers were not used.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Stage {
    /// The task asked for another agent (`agent_id` in `--task`).
    Agent,
    Constraint,
    Docker,
    Resources,
}

#[derive(Clone, Debug)]
pub(super) struct Rejection {
    hostname: String,
    stage: Stage,
    detail: String,
}

/// `/master/slaves`, as far as counting the active agents goes (an agent
/// without `active` counts as active).
#[derive(Deserialize)]
struct Slaves {
    #[serde(default, alias = "agents", deserialize_with = "crate::wire::de::vec")]
    slaves: Vec<SlaveActive>,
}

#[derive(Deserialize)]
struct SlaveActive {
    #[serde(default, deserialize_with = "crate::wire::de::opt_bool")]
    active: Option<bool>,
}

impl Runner {
    /// Whether an agent can run `--docker-image` tasks, from its flags.
    async fn docker_support(
        &mut self,
        agent_id: &str,
        agent: Option<&Url>,
    ) -> std::result::Result<(), String> {
        let Some(kind) = self.o.docker else {
            return Ok(());
        };
        if let Some(r) = self.docker_cache.get(agent_id) {
            return r.clone();
        }
        let r = match agent {
            None => Ok(()),
            Some(url) => {
                let u = crate::leader::endpoint(url, "/slave(1)/flags");
                match self.http.get_json::<FlagsResponse>(&u).await {
                    // Unknown (e.g. flags not readable): let the agent decide.
                    Err(_) => Ok(()),
                    Ok(v) => docker_verdict(kind, &v.flags),
                }
            }
        };
        self.docker_cache.insert(agent_id.to_string(), r.clone());
        r
    }

    pub(super) async fn on_offers(&mut self, offers: Vec<Offer>) -> Result<()> {
        for offer in offers {
            let oid: Id = offer.id.clone();
            let pending: Vec<usize> = (0..self.tasks.len())
                .filter(|&i| self.tasks[i].pending() && self.interrupted.is_none())
                .collect();
            if pending.is_empty() {
                self.sched.decline(&[oid], REFUSE_LONG).await?;
                continue;
            }
            let agent_id = offer.agent_id.value.clone();
            let hostname = offer.hostname.clone();
            let agent_url = agent_base_url(&offer, &self.scheme);
            let reject = |stage: Stage, detail: String| Rejection {
                hostname: hostname.clone(),
                stage,
                detail,
            };
            let remaining = self
                .offer_deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64()
                + 1.0;
            // 1. Pinned agent, constraints, Docker support.
            if pending.iter().all(|&i| {
                self.tasks[i]
                    .plan
                    .agent_id
                    .as_deref()
                    .is_some_and(|a| a != agent_id)
            }) {
                let want = self.tasks[pending[0]]
                    .plan
                    .agent_id
                    .clone()
                    .unwrap_or_default();
                self.rejections.insert(
                    agent_id.clone(),
                    reject(Stage::Agent, format!("the task asks for agent {want}")),
                );
                self.sched.decline(&[oid], remaining).await?;
                continue;
            }
            let attrs = agent_attributes(&hostname, &offer.attributes);
            if let Err(why) = check_constraints(&attrs, &self.o.constraints) {
                self.rejections
                    .insert(agent_id.clone(), reject(Stage::Constraint, why));
                self.sched.decline(&[oid], remaining).await?;
                continue;
            }
            if let Err(why) = self.docker_support(&agent_id, agent_url.as_ref()).await {
                self.rejections
                    .insert(agent_id.clone(), reject(Stage::Docker, why));
                self.sched.decline(&[oid], remaining).await?;
                continue;
            }
            // 2. Resources.
            let mut pool = Pool::from_offer(&offer, &self.o.role);
            let offered = pool.summary();
            let mut launched: Vec<usize> = Vec::new();
            let operation = match &self.o.plan {
                Plan::Tasks(_) => {
                    let mut infos = Vec::new();
                    for &i in &pending {
                        let t = &self.tasks[i];
                        if t.plan.agent_id.as_deref().is_some_and(|a| a != agent_id) {
                            continue;
                        }
                        if let Some(res) = pool.take(&t.plan.need) {
                            let mut info = t.plan.info.clone();
                            info.agent_id = Some(Id::new(agent_id.as_str()));
                            info.resources = res.to_vec();
                            infos.push(info);
                            launched.push(i);
                        }
                    }
                    Some(Operation::launch(infos))
                }
                Plan::Group(g) => {
                    let mut p = pool.clone();
                    let exec_res = p.take(&g.executor_need);
                    let mut infos = Vec::new();
                    let mut ok = exec_res.is_some();
                    for &i in &pending {
                        if !ok {
                            break;
                        }
                        match p.take(&self.tasks[i].plan.need) {
                            Some(res) => {
                                let mut info = self.tasks[i].plan.info.clone();
                                info.agent_id = Some(Id::new(agent_id.as_str()));
                                info.resources = res.to_vec();
                                infos.push(info);
                                launched.push(i);
                            }
                            None => ok = false,
                        }
                    }
                    if ok {
                        pool = p;
                        let mut executor = g.executor.clone();
                        executor.framework_id = Some(Id::new(self.sched.framework_id.as_str()));
                        executor.resources = exec_res.unwrap_or_default().to_vec();
                        Some(Operation::launch_group(executor, infos))
                    } else {
                        launched.clear();
                        None
                    }
                }
            };
            let Some(operation) = operation.filter(|_| !launched.is_empty()) else {
                let mut need = Resources::new();
                match &self.o.plan {
                    Plan::Tasks(_) => need.add(&self.tasks[pending[0]].plan.need),
                    Plan::Group(g) => {
                        need.add(&g.executor_need);
                        for &i in &pending {
                            need.add(&self.tasks[i].plan.need);
                        }
                    }
                }
                let detail = format!("offered {offered} ({})", shortfall(&need, &offered));
                self.rejections
                    .insert(agent_id.clone(), reject(Stage::Resources, detail));
                self.sched.decline(&[oid], REFUSE_SHORT).await?;
                continue;
            };
            let still_pending = pending.len() > launched.len();
            let refuse = if still_pending {
                REFUSE_SHORT
            } else {
                REFUSE_LONG
            };
            self.sched
                .call(Call::accept(
                    vec![IdRef::new(&oid.value)],
                    vec![operation],
                    refuse,
                ))
                .await
                .map_err(|e| e.context("ACCEPT failed"))?;
            self.rejections.remove(&agent_id);
            let ids: Vec<String> = launched
                .iter()
                .map(|&i| self.tasks[i].id().to_string())
                .collect();
            for &i in &launched {
                let t = &mut self.tasks[i];
                t.launched = true;
                t.agent_id = agent_id.clone();
                t.hostname = hostname.clone();
                t.agent_url = agent_url.clone();
            }
            let what = match (&self.o.plan, ids.len()) {
                (Plan::Group(_), _) => format!("task group [{}]", ids.join(", ")),
                (_, 1) => format!("task {}", ids[0]),
                _ => format!("tasks {}", ids.join(", ")),
            };
            self.say(format!(
                "{what}: submitted to agent {hostname} ({agent_id})"
            ));
        }
        if !self.suppressed && !self.tasks.iter().any(Task::pending) {
            self.suppressed = true;
            self.sched.suppress().await?;
        }
        Ok(())
    }

    /// Why nothing fit, for `--offer-timeout`.
    pub(super) async fn no_offer_reason(&self) -> String {
        if self.rejections.is_empty() {
            let url = crate::leader::endpoint(&self.leader_url, "/master/slaves");
            return match self.http.get_json::<Slaves>(&url).await {
                Ok(v) => {
                    let n = v.slaves.iter().filter(|s| s.active != Some(false)).count();
                    if n == 0 {
                        format!("no agents are registered with the master {}", self.master)
                    } else {
                        format!(
                            "no offers from the {n} agent(s): their resources are in use or offered to other frameworks (role {})",
                            self.o.role
                        )
                    }
                }
                Err(_) => "no offers were received".to_string(),
            };
        }
        let best = self
            .rejections
            .values()
            .map(|r| r.stage.clone())
            .max()
            .expect("not empty");
        let of_stage: Vec<String> = self
            .rejections
            .values()
            .filter(|r| r.stage == best)
            .map(|r| format!("{}: {}", r.hostname, r.detail))
            .collect();
        let details = of_stage.join("; ");
        match best {
            Stage::Agent => format!("the task is pinned to another agent ({details})"),
            Stage::Constraint => {
                let cs: Vec<String> = self.o.constraints.iter().map(|c| c.to_string()).collect();
                format!(
                    "constraint unmet: no agent matches --constraint {} ({details})",
                    cs.join(" --constraint ")
                )
            }
            Stage::Docker => format!("no agent offers a Docker containerizer ({details})"),
            Stage::Resources => format!(
                "not enough resources: {} needs {}; {details}",
                self.what_needs(),
                self.total_need()
            ),
        }
    }

    /// "the task" / "each task" / "the task group".
    fn what_needs(&self) -> &'static str {
        match (&self.o.plan, self.tasks.len()) {
            (Plan::Group(_), _) => "the task group (with its executor)",
            (_, 1) => "the task",
            _ => "each task",
        }
    }

    /// What one launch needs (role-less), for messages.
    pub(super) fn total_need(&self) -> Resources {
        let mut need = Resources::new();
        match &self.o.plan {
            Plan::Group(g) => {
                need.add(&g.executor_need);
                for t in &g.tasks {
                    need.add(&t.need);
                }
            }
            Plan::Tasks(ts) => {
                if let Some(t) = ts.first() {
                    need.add(&t.need);
                }
            }
        }
        need.with_role("*")
    }
}

/// Whether agent flags allow a Docker image task of `kind`.
pub fn docker_verdict(
    kind: Containerizer,
    flags: &BTreeMap<String, String>,
) -> std::result::Result<(), String> {
    let list = |k: &str| -> Vec<String> {
        flags
            .get(k)
            .map(String::as_str)
            .unwrap_or("")
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let containerizers = list("containerizers");
    let shown = if containerizers.is_empty() {
        "mesos".to_string()
    } else {
        containerizers.join(",")
    };
    match kind {
        Containerizer::Docker if containerizers.iter().any(|c| c == "docker") => Ok(()),
        Containerizer::Docker => Err(format!("--containerizers={shown}, no docker")),
        Containerizer::Mesos => {
            let providers = list("image_providers");
            let mesos = containerizers.is_empty() || containerizers.iter().any(|c| c == "mesos");
            if mesos && providers.iter().any(|p| p.eq_ignore_ascii_case("docker")) {
                Ok(())
            } else {
                Err(format!(
                    "--containerizers={shown} --image_providers={}, no docker image provider",
                    if providers.is_empty() {
                        "(none)".to_string()
                    } else {
                        providers.join(",")
                    }
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_support_from_agent_flags() {
        let f = |c: &str, p: &str| {
            BTreeMap::from([
                ("containerizers".to_string(), c.to_string()),
                ("image_providers".to_string(), p.to_string()),
            ])
        };
        assert!(docker_verdict(Containerizer::Docker, &f("docker,mesos", "")).is_ok());
        assert_eq!(
            docker_verdict(Containerizer::Docker, &f("mesos", "")).unwrap_err(),
            "--containerizers=mesos, no docker"
        );
        assert!(docker_verdict(Containerizer::Mesos, &f("mesos", "appc,docker")).is_ok());
        assert!(docker_verdict(Containerizer::Mesos, &f("mesos", "")).is_err());
    }
}
