//! `mesos package search`.

use crate::context::Context;
use crate::error::Result;
use crate::package_client::Manager;

pub async fn run(ctx: &Context, m: &Manager, query: Option<&str>) -> Result<()> {
    let _ = (ctx, m, query);
    todo!("package search")
}
