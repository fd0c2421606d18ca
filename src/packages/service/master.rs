//! The master requests both [`super::Frameworks`] implementations make (the
//! CLI's local manager and the Cosmos server in `mesos marathon`); each
//! maps the errors to its own Cosmos error text.

use crate::error::Result;
use crate::http::HttpClient;
use crate::leader::Leader;
use crate::tasks::frameworks::{master_frameworks, reservations};
use crate::wire::SlavesResponse;

use super::FrameworkRef;

/// The active frameworks called `name`, with their roles.
pub async fn named(http: &HttpClient, leader: &Leader, name: &str) -> Result<Vec<FrameworkRef>> {
    let state = master_frameworks(http, leader).await?;
    Ok(state
        .frameworks
        .iter()
        .filter(|f| f.name == name)
        .map(|f| FrameworkRef {
            id: f.id.clone(),
            name: f.name.clone(),
            roles: f.roles().into_iter().map(str::to_string).collect(),
        })
        .collect())
}

/// What a torn-down framework left reserved, one line per agent and role.
pub async fn leftovers(
    http: &HttpClient,
    leader: &Leader,
    framework: &FrameworkRef,
) -> Result<Vec<String>> {
    let agents: SlavesResponse = http.get_json(&leader.endpoint("/master/slaves")).await?;
    Ok(reservations(&agents, &framework.roles))
}
