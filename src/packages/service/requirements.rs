//! What an install needs beyond Marathon (docs/packages.md, "What an install
//! needs"): a rendered app that runs a Docker image needs an agent that can
//! run it, and one that downloads files needs their URLs reachable. Both are
//! checked before anything is posted to Marathon; a package that cannot run
//! is refused with `PackageRequirementsNotMet` (400) naming the package,
//! what it needs and what was checked.

use serde_json::Value;

use super::errors::data;
use super::Frameworks;
use crate::execute::spec::Containerizer;
use crate::packages::cosmos::CosmosError;
use crate::packages::model::Package;
use crate::wire::marathon::AppDefinition;

/// How the active agents answered for one containerizer need.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgentSupport {
    /// Active agents.
    pub agents: usize,
    /// Agents whose flags allow the need.
    pub able: usize,
    /// Agents whose flags could not be read (they may be able).
    pub unknown: usize,
    /// Why the others cannot, one per distinct reason
    /// (e.g. "--containerizers=mesos, no docker").
    pub reasons: Vec<String>,
}

/// The Docker image an app runs and the containerizer it needs for it:
/// `container.type` DOCKER → the docker containerizer; MESOS with a
/// `docker.image` → the mesos containerizer with the docker image provider.
pub fn docker_need(app: &AppDefinition) -> Option<(String, Containerizer)> {
    let c = app.container.as_ref()?;
    let image = c
        .docker
        .as_ref()
        .map(|d| d.image.clone())
        .unwrap_or_default();
    if c.kind.eq_ignore_ascii_case("DOCKER") {
        return Some((image, Containerizer::Docker));
    }
    if c.docker.is_some() {
        return Some((image, Containerizer::Mesos));
    }
    None
}

/// The http(s) URLs the app's tasks download (`fetch`, and `uris`).
pub fn downloads(app: &AppDefinition) -> Vec<String> {
    let mut urls: Vec<String> = app.fetch.iter().map(|f| f.uri.clone()).collect();
    urls.extend(app.uris.iter().cloned());
    urls.retain(|u| {
        let l = u.to_ascii_lowercase();
        l.starts_with("http://") || l.starts_with("https://")
    });
    urls.dedup();
    urls
}

fn not_met(pkg: &Package, needs: &str, checked: &str) -> CosmosError {
    CosmosError::new(
        "PackageRequirementsNotMet",
        400,
        format!(
            "package [{}] version [{}] cannot run on this cluster: it needs {needs}, but {checked}",
            pkg.name, pkg.version
        ),
    )
    .with_data(data(vec![
        ("packageName", Value::from(pkg.name.as_str())),
        ("packageVersion", Value::from(pkg.version.as_str())),
        ("needs", Value::from(needs)),
        ("checked", Value::from(checked)),
    ]))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Refuse when no active agent can run the app's Docker image (agents
/// whose flags cannot be read count as able: they decide; a master that
/// cannot be asked skips the check), or when a URL
/// the app downloads cannot be reached from here.
pub async fn check<F: Frameworks>(
    frameworks: &F,
    pkg: &Package,
    app: &AppDefinition,
) -> Result<(), CosmosError> {
    if let Some((image, kind)) = docker_need(app) {
        // A master that cannot be asked (e.g. only Marathon is known)
        // leaves the decision to Marathon and the agents.
        let s = frameworks.agents_for(kind).await.unwrap_or(AgentSupport {
            unknown: 1,
            ..AgentSupport::default()
        });
        if s.able == 0 && s.unknown == 0 {
            let needs = format!("the Docker image {image}");
            let how = match kind {
                Containerizer::Docker => "runs the docker containerizer (--containerizers)",
                Containerizer::Mesos => {
                    "runs the mesos containerizer with the docker image provider (--image_providers)"
                }
            };
            let checked = if s.agents == 0 {
                "the cluster has no active agent".to_string()
            } else {
                let why = if s.reasons.is_empty() {
                    String::new()
                } else {
                    format!(": {}", s.reasons.join("; "))
                };
                format!(
                    "none of the {} agent{} {how}{why}",
                    s.agents,
                    plural(s.agents)
                )
            };
            return Err(not_met(pkg, &needs, &checked));
        }
    }
    for url in downloads(app) {
        if let Err(cause) = frameworks.reachable(&url).await {
            return Err(not_met(
                pkg,
                &format!("the download {url}"),
                &format!("it cannot be fetched from where the package manager runs ({cause})"),
            ));
        }
    }
    Ok(())
}

impl AgentSupport {
    /// From each active agent's verdict (`None`: flags not readable).
    pub fn from_verdicts(verdicts: Vec<Option<Result<(), String>>>) -> AgentSupport {
        let mut s = AgentSupport {
            agents: verdicts.len(),
            ..AgentSupport::default()
        };
        for v in verdicts {
            match v {
                None => s.unknown += 1,
                Some(Ok(())) => s.able += 1,
                Some(Err(why)) => {
                    if !s.reasons.contains(&why) {
                        s.reasons.push(why);
                    }
                }
            }
        }
        s
    }
}
