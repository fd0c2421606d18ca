//! `mesos package describe`.

use crate::context::Context;
use crate::error::Result;
use crate::package_client::Manager;

/// What describe prints.
#[derive(Clone, Debug)]
pub enum What {
    Package,
    Config,
    Render {
        options: Option<String>,
        app_id: Option<String>,
    },
    Versions,
}

pub async fn run(
    ctx: &Context,
    m: &Manager,
    package: &str,
    version: Option<&str>,
    what: What,
) -> Result<()> {
    let _ = (ctx, m, package, version, what);
    todo!("package describe")
}
