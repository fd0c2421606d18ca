//! When each STAGING/STARTING task was first seen, kept between runs.
//!
//! Mesos records no timestamp for TASK_STAGING (a task gets its first
//! status when the agent reports TASK_STARTING or later), so the age of a
//! staging task is only known by watching it. `mesos health` is run
//! periodically by a monitoring system: each run records the tasks it sees
//! staging or starting, with the time it first saw them, in a small JSON
//! file (`$XDG_CACHE_HOME/mesos/health-first-seen.json`, else
//! `~/.cache/mesos/...`), and forgets tasks that moved on. A file that
//! cannot be read or written only loses that knowledge.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::wire::{MasterState, TaskState};

/// The default file.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("mesos").join("health-first-seen.json"))
}

/// Load the memory, merge the tasks staging or starting in `state` (new
/// ones first seen `now`), drop the others, save; the merged map.
pub fn update(path: Option<&PathBuf>, state: &MasterState, now: f64) -> HashMap<String, f64> {
    let old: HashMap<String, f64> = path
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let merged: HashMap<String, f64> = state
        .frameworks
        .iter()
        .flat_map(|fw| fw.tasks.iter())
        .filter(|t| matches!(t.state, TaskState::Staging | TaskState::Starting))
        .map(|t| (t.id.clone(), old.get(&t.id).copied().unwrap_or(now)))
        .collect();
    if let Some(p) = path {
        if merged != old {
            if let Some(dir) = p.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            if let Ok(bytes) = serde_json::to_vec(&merged) {
                let tmp = p.with_extension("json.tmp");
                if std::fs::write(&tmp, bytes).is_ok() {
                    let _ = std::fs::rename(&tmp, p);
                }
            }
        }
    }
    merged
}
