//! `mesos package install`: show what is installed (and its notes), ask
//! for required options without a default and for confirmation on a
//! terminal (or refuse without --yes in a script), validate by rendering,
//! install, then follow the app until it is running and healthy.

use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::OutputFormat;
use crate::package_client::report::to_error;
use crate::package_client::{prompt, read_options, wait, Manager};
use crate::packages::cosmos::{DescribeRequest, InstallRequest};
use crate::wire::marathon::PathId;

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
    /// `--marathon`: where to follow the app when installing through Cosmos.
    pub marathon: Option<String>,
}

pub async fn run(ctx: &Context, m: &Manager, req: &Install) -> Result<()> {
    let started = Instant::now();
    let mut options = match &req.options {
        Some(path) => read_options(path)?,
        None => Map::new(),
    };
    let interactive = crate::output::picker::interactive();
    if !req.yes && !interactive {
        return Err(Error::usage(format!(
            "refusing to install {} without --yes: stdin is not a terminal (pass --yes to install from a script)",
            req.package
        )));
    }

    let package = m
        .describe(&DescribeRequest {
            package_name: req.package.clone(),
            package_version: req.package_version.clone(),
        })
        .await
        .map_err(to_error)?
        .package;
    crate::output::status(format!(
        "Installing package {} version {}",
        package.name, package.version
    ));
    if let Some(notes) = package.pre_install_notes.as_deref() {
        crate::output::status(notes.trim_end());
    }

    if !req.yes {
        if let Some(schema) = &package.config {
            let missing = prompt::missing_required(schema, &options);
            if !missing.is_empty() {
                crate::output::status(format!(
                    "{} required option{} without a default:",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" }
                ));
                prompt::ask(&missing, &mut options)?;
            }
        }
    }

    let request = InstallRequest {
        package_name: package.name.clone(),
        package_version: Some(package.version.clone()),
        options: (req.options.is_some() || !options.is_empty()).then_some(options),
        app_id: req.app_id.clone(),
    };
    // Validate (schema, template) before asking and before anything is posted.
    if package.marathon.is_some() {
        let rendered = m.render(&request).await.map_err(|e| {
            let mut err = to_error(e);
            err.message.push_str("; nothing was installed");
            err
        })?;
        if ctx.verbose > 0 {
            let id = rendered
                .marathon_json
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("?");
            crate::output::status(format!("rendered app {id}"));
        }
    }

    if !req.yes {
        let ok = dialoguer::Confirm::new()
            .with_prompt("Continue installing?")
            .default(false)
            .interact()
            .map_err(|e| Error::failed(format!("cannot ask for confirmation: {e}")))?;
        if !ok {
            return Err(Error::failed(format!(
                "installation of {} cancelled; nothing was installed",
                package.name
            )));
        }
    }

    let installed = m.install(&request).await.map_err(|e| {
        // Refused before Marathon was asked (Docker, downloads).
        let refused = e.kind == "PackageRequirementsNotMet";
        let mut err = to_error(e);
        if refused {
            err.message.push_str("; nothing was installed");
        }
        err
    })?;
    let response = &installed.response;
    let app_id = response.app_id.clone();
    match &app_id {
        Some(id) => crate::output::status(format!(
            "Installed Marathon app {id} for package {} version {} ({})",
            response.package_name,
            response.package_version,
            m.describe_target()
        )),
        None => crate::output::status(format!(
            "Package {} version {} has no Marathon app; nothing to run",
            response.package_name, response.package_version
        )),
    }
    if let Some(notes) = response.post_install_notes.as_deref() {
        crate::output::status(notes.trim_end());
    }

    if let (Some(id), false) = (&app_id, req.no_wait) {
        let marathon = m.marathon(ctx, req.marathon.as_deref()).await?;
        let id = PathId::parse(id);
        let deadline = req.wait.map(|w| Instant::now() + w);
        let done = wait::until_healthy(&marathon, &id, None, deadline).await?;
        crate::output::status(format!(
            "app {id} is {} ({} after the start)",
            wait::status(&done.view),
            crate::duration::format_duration(started.elapsed())
        ));
    }

    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(response),
        OutputFormat::Ndjson => crate::output::write_ndjson_line(response),
        OutputFormat::Table => {
            let mut line = format!(
                "installed {} {}",
                response.package_name, response.package_version
            );
            if let Some(id) = &app_id {
                line.push_str(&format!(" as {id}"));
            }
            line.push('\n');
            crate::output::write_stdout(line.as_bytes())
        }
    }
}
