//! `mesos teardown FRAMEWORK...`: remove frameworks through the operator API.

use std::io::IsTerminal;

use clap::Args;
use serde::Serialize;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{OutputFormat, TableRow};
use crate::tasks::frameworks::{master_frameworks, teardown_framework};
use crate::wire::{Framework, FrameworksResponse};

/// Tear down frameworks, killing all their tasks (operators)
///
/// Removes each FRAMEWORK from the leading master: every task it runs is
/// killed and the framework can never re-subscribe. Uses the v1 operator
/// API call TEARDOWN (POST /api/v1), or POST /master/teardown on masters
/// without it; both need an operator principal when the master requires
/// authentication (--principal). FRAMEWORK is a framework id, a unique id
/// prefix, or the exact name of exactly one registered framework. Asks
/// for confirmation on a terminal unless --yes. A framework that is
/// already torn down is reported and counts as done.
///
/// Prints one line per framework (FRAMEWORK, NAME, TASKS killed, RESULT);
/// with --json an array of {framework_id, name, tasks, result} where result
/// is "torn down" or "already removed".
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos teardown 7f1e5a2c-1f1a-4c8e-9a8e-6a1d2f3b4c5d-0003
  mesos teardown --yes mesos-execute
  mesos frameworks -q | grep -- -0042 | xargs mesos teardown --yes")]
pub struct TeardownArgs {
    /// Framework id, unique id prefix, or exact name
    #[arg(value_name = "FRAMEWORK", required = true)]
    pub frameworks: Vec<String>,

    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// One torn-down framework.
#[derive(Clone, Debug, Serialize)]
pub struct TeardownRecord {
    pub framework_id: String,
    pub name: String,
    /// Active tasks it had (now killed).
    pub tasks: usize,
    pub result: String,
}

impl TableRow for TeardownRecord {
    fn headers() -> Vec<&'static str> {
        vec!["FRAMEWORK", "NAME", "TASKS", "RESULT"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.framework_id.clone(),
            self.name.clone(),
            self.tasks.to_string(),
            self.result.clone(),
        ]
    }
}

/// A framework found by [`find_framework`].
#[derive(Clone, Debug)]
pub struct FoundFramework {
    pub framework: Framework,
    /// In `completed_frameworks`.
    pub completed: bool,
}

impl FoundFramework {
    pub fn id(&self) -> &str {
        &self.framework.id
    }
    pub fn name(&self) -> &str {
        &self.framework.name
    }
    /// Tasks not in a terminal state.
    pub fn active_tasks(&self) -> usize {
        self.framework
            .tasks
            .iter()
            .filter(|t| !t.state.is_terminal())
            .count()
    }
}

/// Find one framework by id, unique id prefix or exact unique name
/// (registered ones first, then completed ones).
pub fn find_framework(state: &FrameworksResponse, key: &str) -> Result<FoundFramework> {
    let found = |list: &[Framework], completed: bool| -> Vec<FoundFramework> {
        list.iter()
            .map(|f| FoundFramework {
                framework: f.clone(),
                completed,
            })
            .collect()
    };
    let live = found(&state.frameworks, false);
    let done = found(&state.completed_frameworks, true);
    for pool in [&live, &done] {
        if let Some(f) = pool.iter().find(|f| f.id() == key) {
            return Ok(f.clone());
        }
    }
    type Matcher = fn(&FoundFramework, &str) -> bool;
    let matchers: [(&str, Matcher); 2] = [
        ("id prefix", |f, k| f.id().starts_with(k)),
        ("name", |f, k| f.name() == k),
    ];
    for pool in [&live, &done] {
        for (what, m) in matchers {
            let hits: Vec<&FoundFramework> = pool.iter().filter(|f| m(f, key)).collect();
            match hits.len() {
                0 => {}
                1 => return Ok(hits[0].clone()),
                _ => {
                    let ids: Vec<String> = hits
                        .iter()
                        .map(|f| format!("{} ({})", f.id(), f.name()))
                        .collect();
                    return Err(Error::not_found(format!(
                        "'{key}' matches the {what} of {} frameworks: {}",
                        hits.len(),
                        ids.join(", ")
                    ))
                    .with_hint("pass the full framework id"));
                }
            }
        }
    }
    Err(
        Error::not_found(format!("no framework '{key}' (by id, id prefix or name)"))
            .with_hint("list them with `mesos frameworks -i`"),
    )
}

pub async fn cmd_teardown(ctx: &Context, args: &TeardownArgs) -> Result<()> {
    let http = ctx.http()?;
    let leader = ctx.leader(&http).await?;
    let state = master_frameworks(&http, &leader).await?;
    // Resolve everything first: nothing is torn down if one name is wrong.
    let mut found: Vec<FoundFramework> = Vec::new();
    for key in &args.frameworks {
        let f = find_framework(&state, key)?;
        if !found.iter().any(|x| x.id() == f.id()) {
            found.push(f);
        }
    }
    let live: Vec<&FoundFramework> = found.iter().filter(|f| !f.completed).collect();
    if !args.yes
        && !live.is_empty()
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
    {
        let names: Vec<String> = live
            .iter()
            .map(|f| {
                format!(
                    "{} ({}, {} active tasks)",
                    f.id(),
                    f.name(),
                    f.active_tasks()
                )
            })
            .collect();
        let ok = dialoguer::Confirm::new()
            .with_prompt(format!(
                "Tear down {} and kill all their tasks?",
                names.join(", ")
            ))
            .default(false)
            .interact()
            .map_err(|e| Error::failed(format!("cannot ask for confirmation: {e}")))?;
        if !ok {
            return Err(Error::failed("cancelled; nothing was torn down"));
        }
    }
    let mut records = Vec::new();
    let mut errors: Vec<Error> = Vec::new();
    for f in &found {
        let (tasks, result) = if f.completed {
            crate::output::warn(format!(
                "framework {} ({}) was already removed",
                f.id(),
                f.name()
            ));
            (0, "already removed".to_string())
        } else {
            match teardown_framework(&http, &leader, f.id()).await {
                Ok(()) => (f.active_tasks(), "torn down".to_string()),
                Err(e) => {
                    errors.push(e.context(format!("framework {}", f.id())));
                    continue;
                }
            }
        };
        records.push(TeardownRecord {
            framework_id: f.id().to_string(),
            name: f.name().to_string(),
            tasks,
            result,
        });
    }
    if !records.is_empty() || ctx.output.format != OutputFormat::Table {
        ctx.output.rows(&records)?;
    }
    match (errors.len(), records.len()) {
        (0, _) => Ok(()),
        (1, 0) => Err(errors.remove(0)),
        (_, 0) => {
            for e in &errors[1..] {
                crate::report(e);
            }
            Err(errors.remove(0))
        }
        _ => {
            for e in &errors {
                crate::report(e);
            }
            Err(Error::partial(format!(
                "{} of {} frameworks could not be torn down",
                errors.len(),
                found.len()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_id_prefix_and_name() {
        let st: FrameworksResponse = serde_json::from_value(serde_json::json!({"frameworks": [
            {"id": "abc-0001", "name": "marathon"}, {"id": "abc-0002", "name": "mesos-execute"},
            {"id": "abd-0003", "name": "mesos-execute"}],
            "completed_frameworks": [{"id": "old-0001", "name": "gone"}]}))
        .unwrap();
        assert_eq!(find_framework(&st, "abc-0001").unwrap().id(), "abc-0001");
        assert_eq!(find_framework(&st, "abd").unwrap().id(), "abd-0003");
        assert_eq!(find_framework(&st, "marathon").unwrap().id(), "abc-0001");
        assert!(find_framework(&st, "gone").unwrap().completed);
        assert_eq!(find_framework(&st, "abc").unwrap_err().exit_code(), 4);
        assert_eq!(
            find_framework(&st, "mesos-execute")
                .unwrap_err()
                .exit_code(),
            4
        );
        assert_eq!(find_framework(&st, "nope").unwrap_err().exit_code(), 4);
    }
}
