//! `mesos package search`.

use serde::Serialize;

use crate::context::Context;
use crate::error::Result;
use crate::output::{OutputFormat, TableRow};
use crate::package_client::Manager;
use crate::packages::cosmos::{SearchRequest, SearchResult};

/// One table row (JSON output is the Cosmos response itself).
#[derive(Serialize)]
struct Row<'a>(&'a SearchResult);

impl TableRow for Row<'_> {
    fn headers() -> Vec<&'static str> {
        vec!["NAME", "VERSION", "SELECTED", "FRAMEWORK", "DESCRIPTION"]
    }
    fn cells(&self) -> Vec<String> {
        let p = self.0;
        vec![
            p.name.clone(),
            p.current_version.clone(),
            p.selected.to_string(),
            p.framework.to_string(),
            crate::error::one_line(&p.description),
        ]
    }
}

pub async fn run(ctx: &Context, m: &Manager, query: Option<&str>) -> Result<()> {
    let req = SearchRequest {
        query: query.map(str::to_string),
    };
    let resp = m.search(&req).await?;
    match ctx.output.format {
        OutputFormat::Json => ctx.output.json_value(&resp),
        OutputFormat::Ndjson => {
            for p in &resp.packages {
                crate::output::write_ndjson_line(p)?;
            }
            Ok(())
        }
        OutputFormat::Table => {
            if resp.packages.is_empty() {
                crate::output::status(match query {
                    Some(q) => format!("no package matches '{q}'"),
                    None => "no packages in the repositories".to_string(),
                });
                return Ok(());
            }
            let rows: Vec<Row> = resp.packages.iter().map(Row).collect();
            ctx.output.rows(&rows)
        }
    }
}
