//! libprocess' `/logging/toggle` and `/__processes__`, shared by both
//! daemons (docs/wire-notes.md#logging-toggle), and the process-wide glog
//! verbosity they and the v1 GET/SET_LOGGING_LEVEL calls share.
//!
//! The bundled daemons have no verbose (`VLOG`) statements, so the level
//! only changes what is reported; it reverts to 0 when its duration ends,
//! as libprocess' revert timer does.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::httputil::{self, query_param};

/// The verbosity set at start-up (glog's `--v`; always 0 here).
pub const ORIGINAL_LEVEL: u32 = 0;

/// The temporary verbosity and when it reverts.
static LEVEL: Mutex<Option<(u32, Instant)>> = Mutex::new(None);

/// The current verbosity.
pub fn verbosity() -> u32 {
    let mut g = LEVEL.lock().unwrap_or_else(|p| p.into_inner());
    match *g {
        Some((level, until)) if Instant::now() < until => level,
        _ => {
            *g = None;
            ORIGINAL_LEVEL
        }
    }
}

/// Set the verbosity to `level` for `duration`, then back to the original.
pub fn set_verbosity(level: u32, duration: Duration) {
    let until = Instant::now()
        .checked_add(duration)
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400 * 365 * 100));
    *LEVEL.lock().unwrap_or_else(|p| p.into_inner()) = Some((level, until));
    crate::info!(
        "Set logging verbosity to {level} for {}",
        crate::duration::format_mesos_duration(duration)
    );
}

/// `GET /logging/toggle[?level=N&duration=D]`, with libprocess' answers:
/// no parameters -> the current level; one without the other, a bad level
/// or a bad duration -> 400 with libprocess' text.
pub async fn handler(RawQuery(q): RawQuery) -> Response {
    let (status, body) = toggle(q.as_deref().unwrap_or(""));
    httputil::text(status, body)
}

/// The logic of [`handler`]: status and body.
pub fn toggle(query: &str) -> (StatusCode, String) {
    let bad = |m: String| (StatusCode::BAD_REQUEST, m);
    let (level, duration) = (query_param(query, "level"), query_param(query, "duration"));
    let (level, duration) = match (level, duration) {
        (None, None) => return (StatusCode::OK, format!("{}\n", verbosity())),
        (Some(_), None) => return bad("Expecting 'duration=value' in query.\n".into()),
        (None, Some(_)) => return bad("Expecting 'level=value' in query.\n".into()),
        (Some(l), Some(d)) => (l, d),
    };
    let v: i64 = match level.trim().parse::<i32>() {
        Ok(v) => v.into(),
        Err(_) => return bad(format!("Failed to convert '{level}' to number.\n")),
    };
    if v < 0 {
        return bad(format!("Invalid level '{v}'.\n"));
    }
    if v < i64::from(ORIGINAL_LEVEL) {
        return bad(format!("'{v}' < original level.\n"));
    }
    let d = match crate::duration::parse_duration(&duration) {
        Ok(d) => d,
        Err(e) => return bad(format!("{e}.\n")),
    };
    set_verbosity(v as u32, d);
    (StatusCode::OK, String::new())
}

/// One entry of `/__processes__`.
#[derive(Serialize)]
struct Process {
    id: String,
    events: Vec<serde_json::Value>,
}

/// `GET /__processes__`: the daemon's libprocess processes (main, helpers,
/// `extra`), each with its (here always empty) event queue.
pub fn processes(main: &str, extra: &[&str]) -> Response {
    let mut ids: Vec<String> = ["__gc__", "help"]
        .iter()
        .chain(httputil::HELPER_PROCESSES)
        .chain(extra)
        .map(|s| s.to_string())
        .collect();
    ids.push(main.to_string());
    ids.sort();
    ids.dedup();
    let list: Vec<Process> = ids
        .into_iter()
        .map(|id| Process { id, events: vec![] })
        .collect();
    httputil::json_bytes(
        StatusCode::OK,
        serde_json::to_vec(&list).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggle_answers_as_libprocess() {
        assert_eq!(
            toggle("level=1").1,
            "Expecting 'duration=value' in query.\n"
        );
        assert_eq!(
            toggle("duration=1secs").1,
            "Expecting 'level=value' in query.\n"
        );
        assert_eq!(toggle("level=x&duration=1secs").0, StatusCode::BAD_REQUEST);
        assert_eq!(toggle("level=-1&duration=1secs").1, "Invalid level '-1'.\n");
        assert_eq!(toggle("level=1&duration=soon").0, StatusCode::BAD_REQUEST);
        assert_eq!(
            toggle("level=2&duration=1hrs"),
            (StatusCode::OK, String::new())
        );
        assert_eq!(toggle(""), (StatusCode::OK, "2\n".into()));
        set_verbosity(0, Duration::ZERO);
        assert_eq!(verbosity(), 0);
    }
}
