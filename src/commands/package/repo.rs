//! `mesos package repo add|list|remove`.

use serde::Serialize;

use super::RepoCommand;
use crate::context::Context;
use crate::error::Result;
use crate::output::{OutputFormat, TableRow};
use crate::package_client::Manager;
use crate::packages::cosmos::{
    PackageRepository, RepositoryAddRequest, RepositoryDeleteRequest, RepositoryListResponse,
};

#[derive(Serialize)]
struct Row<'a>(&'a PackageRepository);

impl TableRow for Row<'_> {
    fn headers() -> Vec<&'static str> {
        vec!["NAME", "URI"]
    }
    fn cells(&self) -> Vec<String> {
        vec![self.0.name.clone(), self.0.uri.clone()]
    }
}

pub async fn run(ctx: &Context, m: &Manager, command: &RepoCommand) -> Result<()> {
    let resp = match command {
        RepoCommand::List => m.repository_list().await?,
        RepoCommand::Add { name, uri, index } => {
            let resp = m
                .repository_add(&RepositoryAddRequest {
                    name: name.clone(),
                    uri: uri.clone(),
                    index: *index,
                })
                .await?;
            if let Some((i, r)) = resp
                .repositories
                .iter()
                .enumerate()
                .find(|(_, r)| &r.name == name)
            {
                crate::output::status(format!(
                    "added repository '{}' ({}) at index {i}",
                    r.name, r.uri
                ));
            }
            resp
        }
        RepoCommand::Remove { name } => {
            let resp = m
                .repository_delete(&RepositoryDeleteRequest {
                    name: Some(name.clone()),
                    uri: None,
                })
                .await?;
            crate::output::status(format!("removed repository '{name}'"));
            resp
        }
    };
    print_list(ctx, &resp)
}

/// The list: `{"repositories":[…]}` with --json, else NAME, URI.
fn print_list(ctx: &Context, resp: &RepositoryListResponse) -> Result<()> {
    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(resp),
        OutputFormat::Ndjson => {
            for r in &resp.repositories {
                crate::output::write_ndjson_line(r)?;
            }
            Ok(())
        }
        OutputFormat::Table => {
            if resp.repositories.is_empty() {
                crate::output::status(
                    "no repositories (`mesos package repo add builtin builtin` restores the built-in one)",
                );
                return Ok(());
            }
            let rows: Vec<Row> = resp.repositories.iter().map(Row).collect();
            ctx.output.rows(&rows)
        }
    }
}
