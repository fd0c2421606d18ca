//! `mesos package repo add|list|remove`.

use super::RepoCommand;
use crate::context::Context;
use crate::error::Result;
use crate::package_client::Manager;

pub async fn run(ctx: &Context, m: &Manager, command: &RepoCommand) -> Result<()> {
    let _ = (ctx, m, command);
    todo!("package repo")
}
