//! `mesos package uninstall`.

use crate::context::Context;
use crate::error::Result;
use crate::package_client::Manager;

pub async fn run(
    ctx: &Context,
    m: &Manager,
    package: &str,
    app_id: Option<&str>,
    all: bool,
    yes: bool,
) -> Result<()> {
    let _ = (ctx, m, package, app_id, all, yes);
    todo!("package uninstall")
}
