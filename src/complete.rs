//! Dynamic shell completion (clap_complete's `COMPLETE=<shell>` protocol):
//! besides flags and subcommands, task ids (TASK), framework ids
//! (FRAMEWORK), agent ids (AGENT) and profile names (`--profile`,
//! `config use|delete NAME`).
//!
//! Ids come from the master of the profile the command line would use
//! (`--master`, `--profile`, MESOS_MASTER, ... as usual), asked with a
//! short timeout ([`TIMEOUT`], or `--timeout` when shorter). Any failure
//! (no master, unreachable, refused) completes nothing, silently. The
//! static scripts (`mesos completions SHELL`, completions/) stay for shells
//! set up without the dynamic hook.

use std::ffi::OsStr;
use std::time::Duration;

use clap::{Args, Command};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::context::Context;

/// The longest a completion waits for the master.
pub const TIMEOUT: Duration = Duration::from_secs(1);

/// Answer a completion request and exit when `COMPLETE` is set (the
/// shell's hook); return at once otherwise.
pub fn complete_if_asked() {
    if std::env::var_os("COMPLETE").is_some_and(|v| !v.is_empty() && v != "0") {
        clap_complete::CompleteEnv::with_factory(command).complete();
    }
}

/// The command tree with the value completers attached (by value name, so
/// every command taking a TASK, FRAMEWORK or AGENT gets them).
pub fn command() -> Command {
    attach(crate::cli::command(), &[])
}

fn attach(cmd: Command, path: &[String]) -> Command {
    let profile_names = matches!(
        path.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["config", "use" | "delete"]
    );
    let cmd = cmd.mut_args(|a| {
        let value_name = a
            .get_value_names()
            .and_then(|v| v.first())
            .map(|s| s.as_str().to_string());
        let kind = match value_name.as_deref() {
            _ if a.get_id() == "profile" => Some(Kind::Profile),
            Some("NAME") if profile_names && a.is_positional() => Some(Kind::Profile),
            Some("TASK") => Some(Kind::Task),
            Some("FRAMEWORK") => Some(Kind::Framework),
            Some("AGENT") => Some(Kind::Agent),
            _ => None,
        };
        match kind {
            Some(k) => a.add(ArgValueCompleter::new(move |cur: &OsStr| k.complete(cur))),
            None => a,
        }
    });
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    subs.into_iter().fold(cmd, |cmd, name| {
        let mut p = path.to_vec();
        p.push(name.clone());
        cmd.mut_subcommand(name, |s| attach(s, &p))
    })
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Task,
    Framework,
    Agent,
    Profile,
}

impl Kind {
    fn complete(self, current: &OsStr) -> Vec<CompletionCandidate> {
        let Some(cur) = current.to_str() else {
            return Vec::new();
        };
        let found = match self {
            Kind::Profile => profiles(),
            _ => from_master(self).unwrap_or_default(),
        };
        found
            .into_iter()
            .filter(|(v, _)| v.starts_with(cur))
            .map(|(v, help)| {
                CompletionCandidate::new(v).help((!help.is_empty()).then(|| help.into()))
            })
            .collect()
    }
}

/// Profile names of the config file.
fn profiles() -> Vec<(String, String)> {
    Config::load()
        .map(|(c, _)| {
            c.profiles
                .iter()
                .map(|(name, p)| (name.clone(), p.master.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default()
}

/// (id, help) pairs from the master, or None on any failure.
fn from_master(kind: Kind) -> Option<Vec<(String, String)>> {
    let mut g = global_args();
    let timeout = g.timeout.map_or(TIMEOUT, |t| t.min(TIMEOUT));
    g.timeout = Some(timeout);
    let ctx = Context::new(&g).ok()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    crate::http::install_crypto_provider();
    rt.block_on(async {
        tokio::time::timeout(timeout + Duration::from_millis(200), async {
            let http = ctx.http().ok()?;
            let leader = ctx.leader(&http).await.ok()?;
            let filter =
                crate::tasks::TaskFilter::new(None, &crate::tasks::SelectArgs::default()).ok()?;
            let c = crate::tasks::fetch(&http, &leader, &filter).await.ok()?;
            let mut out: Vec<(String, String)> = match kind {
                Kind::Task => c
                    .tasks
                    .iter()
                    .map(|t| (t.id.clone(), t.name.clone()))
                    .collect(),
                Kind::Framework => c.frameworks.into_iter().collect(),
                Kind::Agent => c.agents.into_values().map(|a| (a.id, a.hostname)).collect(),
                Kind::Profile => Vec::new(),
            };
            out.sort();
            out.dedup_by(|a, b| a.0 == b.0);
            Some(out)
        })
        .await
        .ok()
        .flatten()
    })
}

/// The global flags of the command line being completed (`--master`,
/// `--profile`, `--timeout`, credentials, ...) with their environment
/// variables, as the command itself would read them. The other words (the
/// subcommand, its arguments, the word being completed) are left out.
fn global_args() -> GlobalArgs {
    let parser = GlobalArgs::augment_args(Command::new("mesos")).ignore_errors(true);
    let takes_value: Vec<(String, bool)> = parser
        .get_arguments()
        .filter_map(|a| {
            let long = a.get_long()?;
            Some((format!("--{long}"), a.get_action().takes_values()))
        })
        .collect();
    // The words: `mesos -- mesos WORDS...` (the last one is being completed).
    // `args_os`: a word that is not UTF-8 must not panic the completer.
    let words: Vec<String> = std::env::args_os()
        .map(|w| w.to_string_lossy().into_owned())
        .skip_while(|w| w != "--")
        .skip(2)
        .collect();
    let words = &words[..words.len().saturating_sub(1)];
    let mut keep = vec!["mesos".to_string()];
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let name = w.split_once('=').map_or(w.as_str(), |(n, _)| n);
        if let Some((_, takes)) = takes_value.iter().find(|(n, _)| n == name) {
            keep.push(w.clone());
            if *takes && !w.contains('=') {
                if let Some(v) = words.get(i + 1) {
                    keep.push(v.clone());
                    i += 1;
                }
            }
        }
        i += 1;
    }
    parser
        .try_get_matches_from(keep)
        .ok()
        .and_then(|m| <GlobalArgs as clap::FromArgMatches>::from_arg_matches(&m).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completers_are_attached_by_value_name() {
        let mut cmd = command();
        cmd.build();
        let has = |path: &[&str], id: &str| {
            let mut c = &cmd;
            for p in path {
                c = c.find_subcommand(p).unwrap();
            }
            c.get_arguments()
                .find(|a| a.get_id() == id)
                .and_then(|a| a.get::<ArgValueCompleter>())
                .is_some()
        };
        assert!(has(&["ps"], "task"));
        assert!(has(&["ps"], "framework"));
        assert!(has(&["ps"], "agent"));
        assert!(has(&["ps"], "profile"));
        assert!(has(&["config", "use"], "name"));
        assert!(!has(&["config", "import"], "as_name"));
    }
}
