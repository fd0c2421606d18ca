//! `mesos package install`.

use std::time::Duration;

use crate::context::Context;
use crate::error::Result;
use crate::package_client::Manager;

#[derive(Clone, Debug)]
pub struct Install {
    pub package: String,
    pub package_version: Option<String>,
    /// Options file, `-` for stdin.
    pub options: Option<String>,
    pub app_id: Option<String>,
    pub yes: bool,
    pub no_wait: bool,
    /// `--timeout`: bounds the wait for healthy.
    pub wait: Option<Duration>,
}

pub async fn run(ctx: &Context, m: &Manager, req: &Install) -> Result<()> {
    let _ = (ctx, m, req);
    todo!("package install")
}
