//! `mesos package uninstall`: remove the package's Marathon app(s) and tear
//! down the framework each registered, saying what was left behind.
//!
//! Without --yes on a terminal it lists what would be removed and asks
//! `[y/N]`; without --yes off a terminal it refuses (exit 2). --json prints
//! `{"results":[…]}`: Cosmos' uninstall results plus `deploymentId`,
//! `tornDown` (`[{id, name, roles}]`) and `leftovers` (lines).

use serde::Serialize;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::OutputFormat;
use crate::package_client::report::to_error;
use crate::package_client::Manager;
use crate::packages::cosmos::{CosmosError, ListRequest, UninstallRequest, UninstallResult};
use crate::packages::service::Uninstalled;

/// `{"results": [...]}`.
#[derive(Debug, Serialize)]
pub struct UninstallOutput {
    pub results: Vec<UninstallEntry>,
}

/// One removed app: the Cosmos result plus what the CLI knows.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UninstallEntry {
    #[serde(flatten)]
    pub result: UninstallResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment_id: Option<String>,
    pub torn_down: Vec<TornDown>,
    pub leftovers: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TornDown {
    pub id: String,
    pub name: String,
    pub roles: Vec<String>,
}

impl From<Uninstalled> for UninstallEntry {
    fn from(u: Uninstalled) -> UninstallEntry {
        UninstallEntry {
            result: u.result,
            deployment_id: u.deployment_id,
            torn_down: u
                .torn_down
                .into_iter()
                .map(|f| TornDown {
                    id: f.id,
                    name: f.name,
                    roles: f.roles,
                })
                .collect(),
            leftovers: u.leftovers,
        }
    }
}

fn error(e: CosmosError) -> Error {
    let ids: Vec<String> = match (e.kind.as_str(), &e.data) {
        ("AmbiguousAppId", Some(d)) => d
            .get("appIds")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let err = to_error(e);
    if ids.is_empty() {
        err
    } else {
        err.with_hint(format!(
            "pass --app-id ID (one of {}) or --all",
            ids.join(", ")
        ))
    }
}

pub async fn run(
    ctx: &Context,
    m: &Manager,
    package: &str,
    app_id: Option<&str>,
    all: bool,
    yes: bool,
) -> Result<()> {
    if !yes {
        if !crate::output::picker::interactive() {
            return Err(Error::usage(format!(
                "refusing to uninstall {package} without --yes: stdin is not a terminal (pass --yes to uninstall from a script)"
            )));
        }
        confirm(m, package, app_id, all).await?;
    }
    let results = m
        .uninstall(&UninstallRequest {
            package_name: package.to_string(),
            app_id: app_id.map(str::to_string),
            all: all.then_some(true),
        })
        .await
        .map_err(error)?;
    let entries: Vec<UninstallEntry> = results.into_iter().map(UninstallEntry::from).collect();
    let mut lines = String::new();
    for e in &entries {
        let r = &e.result;
        lines.push_str(&format!(
            "Uninstalled package {} version {} (app {})\n",
            r.package_name,
            r.package_version.as_deref().unwrap_or("?"),
            r.app_id
        ));
        for f in &e.torn_down {
            crate::output::status(format!("tore down framework {} ({})", f.name, f.id));
        }
        for l in &e.leftovers {
            crate::output::warn(format!("left behind: {l}"));
        }
        if let Some(notes) = r.post_uninstall_notes.as_deref() {
            crate::output::status(notes.trim_end());
        }
    }
    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(&UninstallOutput { results: entries }),
        OutputFormat::Ndjson => {
            for e in &entries {
                crate::output::write_ndjson_line(e)?;
            }
            Ok(())
        }
        OutputFormat::Table => crate::output::write_stdout(lines.as_bytes()),
    }
}

/// Show what would be removed and ask `[y/N]`. Not installed and ambiguous
/// are reported as the uninstall would (exit 4).
async fn confirm(m: &Manager, package: &str, app_id: Option<&str>, all: bool) -> Result<()> {
    let list = m
        .list(&ListRequest {
            package_name: Some(package.to_string()),
            app_id: app_id.map(str::to_string),
        })
        .await
        .map_err(to_error)?;
    let ids: Vec<String> = list.packages.iter().map(|p| p.app_id.clone()).collect();
    if ids.is_empty() {
        return Err(error(match app_id {
            Some(a) => CosmosError::uninstall_non_existent_app(package, a),
            None => CosmosError::package_not_installed(package),
        }));
    }
    if ids.len() > 1 && !all && app_id.is_none() {
        return Err(error(CosmosError::ambiguous_app_id(package, &ids)));
    }
    let framework = list
        .packages
        .iter()
        .any(|p| p.package_information.package_definition.framework == Some(true));
    let ok = dialoguer::Confirm::new()
        .with_prompt(format!(
            "Uninstall package {package} (app{} {}){}?",
            if ids.len() == 1 { "" } else { "s" },
            ids.join(", "),
            if framework {
                " and tear down its framework"
            } else {
                ""
            }
        ))
        .default(false)
        .interact()
        .map_err(|e| Error::failed(format!("cannot ask for confirmation: {e}")))?;
    if ok {
        Ok(())
    } else {
        Err(Error::failed(format!(
            "uninstall of {package} cancelled; nothing was removed"
        )))
    }
}
