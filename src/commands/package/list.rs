//! `mesos package list`: installed packages (Marathon apps with the package
//! labels) as NAME, VERSION, APP, STATUS; STATUS comes from the app in
//! Marathon (`running 2/2, healthy 2/2`, `deploying: …`, `suspended`).
//! --json prints the Cosmos list response.

use std::collections::HashMap;

use crate::context::Context;
use crate::error::Result;
use crate::marathon_client::view::table;
use crate::output::OutputFormat;
use crate::package_client::report::to_error;
use crate::package_client::{wait, Manager};
use crate::packages::cosmos::ListRequest;

pub async fn run(
    ctx: &Context,
    m: &Manager,
    marathon: Option<&str>,
    package: Option<&str>,
    app_id: Option<&str>,
) -> Result<()> {
    let list = m
        .list(&ListRequest {
            package_name: package.map(str::to_string),
            app_id: app_id.map(str::to_string),
        })
        .await
        .map_err(to_error)?;
    match ctx.output.format {
        OutputFormat::Json => return ctx.output.json_value(&list),
        OutputFormat::Ndjson => {
            for p in &list.packages {
                crate::output::write_ndjson_line(p)?;
            }
            return Ok(());
        }
        OutputFormat::Table => {}
    }
    if list.packages.is_empty() {
        let what = match (package, app_id) {
            (Some(p), _) => format!("package {p} is not installed"),
            (None, Some(a)) => format!("no package is installed as {a}"),
            (None, None) => "no packages are installed".to_string(),
        };
        crate::output::status(format!("{what} ({})", m.describe_target()));
        return Ok(());
    }
    // One GET /v2/apps for every status; without Marathon the status is "?".
    let statuses: HashMap<String, String> = match m.marathon(ctx, marathon).await {
        Ok(mt) => match mt.apps().await {
            Ok(apps) => apps
                .iter()
                .map(|a| (a.app.id.to_string(), wait::status(a)))
                .collect(),
            Err(e) => {
                crate::output::warn(format!("no status: {}", e.message));
                HashMap::new()
            }
        },
        Err(e) => {
            crate::output::warn(format!("no status: {}", e.message));
            HashMap::new()
        }
    };
    let rows: Vec<Vec<String>> = list
        .packages
        .iter()
        .map(|p| {
            let d = &p.package_information.package_definition;
            vec![
                d.name.clone(),
                d.version.clone(),
                p.app_id.clone(),
                statuses
                    .get(&p.app_id)
                    .cloned()
                    .unwrap_or_else(|| "?".to_string()),
            ]
        })
        .collect();
    crate::output::write_stdout(
        table(&ctx.output, &["NAME", "VERSION", "APP", "STATUS"], &rows).as_bytes(),
    )
}
