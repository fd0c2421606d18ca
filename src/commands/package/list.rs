//! `mesos package list`.

use crate::context::Context;
use crate::error::Result;
use crate::package_client::Manager;

pub async fn run(
    ctx: &Context,
    m: &Manager,
    package: Option<&str>,
    app_id: Option<&str>,
) -> Result<()> {
    let _ = (ctx, m, package, app_id);
    todo!("package list")
}
