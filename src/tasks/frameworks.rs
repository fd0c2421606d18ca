//! The master's frameworks with their tasks, as the commands that act on
//! frameworks (`teardown`, `kill`) need them.

use crate::error::{ErrorKind, Result};
use crate::http::HttpClient;
use crate::leader::Leader;
use crate::wire::FrameworksResponse;

/// `/master/frameworks` (`/master/state` on masters without it: both list
/// `frameworks` and `completed_frameworks`).
pub async fn master_frameworks(http: &HttpClient, leader: &Leader) -> Result<FrameworksResponse> {
    let url = leader.endpoint("/master/frameworks");
    match http.get_json::<FrameworksResponse>(&url).await {
        Err(e) if e.kind == ErrorKind::NotFound => {
            http.get_json(&leader.endpoint("/master/state")).await
        }
        other => other,
    }
}

/// The names of frameworks the task listing could not name: completed
/// frameworks are not in `/master/state-summary`, but `/master/frameworks`
/// keeps them. Asks for each id (`?framework_id=`) when there are a few, for
/// all frameworks otherwise. A master that cannot answer leaves them
/// unnamed (the id is shown instead): names are a nicety, never an error.
pub async fn names_of(
    http: &HttpClient,
    leader: &Leader,
    ids: &[String],
) -> std::collections::HashMap<String, String> {
    #[derive(serde::Deserialize, Default)]
    struct Named {
        #[serde(default)]
        id: String,
        #[serde(default)]
        name: String,
    }
    #[derive(serde::Deserialize, Default)]
    struct Frameworks {
        #[serde(default)]
        frameworks: Vec<Named>,
        #[serde(default)]
        completed_frameworks: Vec<Named>,
    }
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return out;
    }
    let urls: Vec<reqwest::Url> = if ids.len() <= 4 {
        ids.iter()
            .map(|id| {
                let mut u = leader.endpoint("/master/frameworks");
                u.query_pairs_mut().append_pair("framework_id", id);
                u
            })
            .collect()
    } else {
        vec![leader.endpoint("/master/frameworks")]
    };
    let answers =
        futures_util::future::join_all(urls.iter().map(|u| http.get_json::<Frameworks>(u))).await;
    for f in answers.into_iter().flatten() {
        for n in f.frameworks.into_iter().chain(f.completed_frameworks) {
            if !n.name.is_empty() && ids.contains(&n.id) {
                out.insert(n.id, n.name);
            }
        }
    }
    out
}
