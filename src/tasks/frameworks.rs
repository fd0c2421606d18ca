//! The master's frameworks with their tasks, as the commands that act on
//! frameworks (`teardown`, `kill`) need them.

use serde_json::Value as Json;

use crate::error::{ErrorKind, Result};
use crate::http::HttpClient;
use crate::leader::Leader;

/// `/master/frameworks` (`/master/state` on masters without it).
pub async fn master_frameworks(http: &HttpClient, leader: &Leader) -> Result<Json> {
    let url = leader.endpoint("/master/frameworks");
    match http.get_json::<Json>(&url).await {
        Err(e) if e.kind == ErrorKind::NotFound => {
            http.get_json(&leader.endpoint("/master/state")).await
        }
        other => other,
    }
}
