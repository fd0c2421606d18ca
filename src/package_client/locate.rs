//! Which package manager `mesos package` uses, in order: `--cosmos URL`
//! (or `MESOS_COSMOS`), the profile's `cosmos` key, a DC/OS cluster (master
//! URL behind Admin Router) whose `GET /capabilities` lists
//! PACKAGE_MANAGEMENT; otherwise the local manager over the Marathon found
//! as for `mesos app`. `-v` says which.

use super::Manager;
use crate::context::Context;
use crate::error::Result;

/// The flags that choose the manager.
#[derive(Clone, Debug, Default)]
pub struct Choice {
    pub cosmos: Option<String>,
    pub marathon: Option<String>,
    /// `--repo NAME|URI`: only this repository (local manager).
    pub repo: Option<String>,
    /// `--refresh`: revalidate cached repositories.
    pub refresh: bool,
}

pub async fn manager(ctx: &Context, choice: &Choice) -> Result<Manager> {
    let _ = (ctx, choice);
    todo!("locate")
}
