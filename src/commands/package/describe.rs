//! `mesos package describe`.

use serde::Serialize;

use crate::context::Context;
use crate::error::{one_line, Error, Result};
use crate::output::{render_plain, write_stdout, OutputFormat};
use crate::package_client::{read_options, Manager};
use crate::packages::cosmos::{DescribeRequest, ListVersionsRequest, RenderRequest};
use crate::packages::model::Package;

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
    let describe = DescribeRequest {
        package_name: package.to_string(),
        package_version: version.map(str::to_string),
    };
    match what {
        What::Package => {
            let resp = m.describe(&describe).await?;
            if ctx.output.format != OutputFormat::Table {
                return json(ctx, &resp);
            }
            // The versions line is a nicety: a failure to list them is not
            // a failure to describe.
            let versions = versions(m, package).await.unwrap_or_default();
            write_stdout(summary(&resp.package, &versions).as_bytes())
        }
        What::Config => {
            let resp = m.describe(&describe).await?;
            let schema = resp
                .package
                .config
                .unwrap_or_else(|| serde_json::Value::Object(Default::default()));
            json(ctx, &schema)
        }
        What::Render { options, app_id } => {
            let options = options.as_deref().map(read_options).transpose()?;
            let resp = m
                .render(&RenderRequest {
                    package_name: package.to_string(),
                    package_version: version.map(str::to_string),
                    options,
                    app_id,
                })
                .await?;
            json(ctx, &resp.marathon_json)
        }
        What::Versions => {
            let list = versions(m, package).await?;
            match ctx.output.format {
                OutputFormat::Table => {
                    let mut text = list.join("\n");
                    text.push('\n');
                    write_stdout(text.as_bytes())
                }
                _ => json(ctx, &list),
            }
        }
    }
}

/// The package's versions, newest (highest releaseVersion) first.
async fn versions(m: &Manager, package: &str) -> Result<Vec<String>> {
    let resp = m
        .list_versions(&ListVersionsRequest {
            package_name: package.to_string(),
            include_package_versions: true,
        })
        .await?;
    let mut list: Vec<(String, u64)> = resp
        .results
        .into_iter()
        .map(|(v, r)| {
            let r = r.parse::<u64>().unwrap_or(0);
            (v, r)
        })
        .collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    Ok(list.into_iter().map(|(v, _)| v).collect())
}

/// JSON documents: compact with --json on a pipe, pretty on a terminal and
/// in the default (table) format, where JSON is the readable form.
fn json<T: Serialize + ?Sized>(ctx: &Context, value: &T) -> Result<()> {
    if ctx.output.format == OutputFormat::Table || ctx.output.stdout_tty {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| Error::failed(format!("cannot encode JSON: {e}")))?;
        write_stdout(format!("{text}\n").as_bytes())
    } else {
        ctx.output.json_value(value)
    }
}

/// The readable summary: name, version, maintainer, description, tags,
/// website, notes, versions.
fn summary(p: &Package, versions: &[String]) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut line = |k: &str, v: &str| {
        if !v.trim().is_empty() {
            rows.push(vec![format!("{k}:"), one_line(v)]);
        }
    };
    line("name", &p.name);
    line("version", &p.version);
    line("maintainer", &p.maintainer);
    line("description", &p.description);
    line("tags", &p.tags.join(", "));
    line("website", p.website.as_deref().unwrap_or(""));
    line("scm", p.scm.as_deref().unwrap_or(""));
    line("packaging", &p.packaging_version);
    line(
        "kind",
        &format!(
            "{}{}",
            if p.framework { "framework" } else { "app" },
            if p.selected { ", selected" } else { "" }
        ),
    );
    if let Some(l) = &p.licenses {
        line(
            "licenses",
            &l.iter()
                .map(|l| l.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    line(
        "pre-install notes",
        p.pre_install_notes.as_deref().unwrap_or(""),
    );
    line(
        "post-install notes",
        p.post_install_notes.as_deref().unwrap_or(""),
    );
    line(
        "post-uninstall notes",
        p.post_uninstall_notes.as_deref().unwrap_or(""),
    );
    line("versions", &versions.join(", "));
    render_plain(&[], &rows)
}
