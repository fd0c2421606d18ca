//! What a user at a terminal sees: the binary run on a real pseudo-terminal.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::http::{Answer, TestServer};
use crate::common::pty::PtyRun;
use crate::common::{read_fixture_text, TestEnv};

const DEADLINE: Duration = Duration::from_secs(30);

/// A leader replaying a real 1.2 master: two running tasks share the prefix
/// `development_logging`.
fn master_1_2() -> TestServer {
    let state: Value = serde_json::from_str(&read_fixture_text("master-state-1.2.json")).unwrap();
    let mut tasks = Vec::new();
    for f in state["frameworks"].as_array().unwrap() {
        tasks.extend(f["tasks"].as_array().unwrap().iter().cloned());
    }
    let m = TestServer::start();
    m.as_leader();
    m.route(
        "/master/tasks",
        Answer::json(json!({ "tasks": tasks }).to_string()),
    );
    m.route(
        "/master/state-summary",
        Answer::json(read_fixture_text("state-summary-1.2.json")),
    );
    m
}

/// Issue 12, rough edge 10: Ctrl-C in the task picker ends the command
/// (exit 130) with the cursor shown again.
#[test]
fn ctrl_c_in_the_task_picker_restores_the_cursor() {
    let m = master_1_2();
    let env = TestEnv::new();
    let addr = m.addr();
    let mut p = PtyRun::start(&env, &["--master", &addr, "ls", "development_logging"], 100);
    p.wait_for("pick one for", DEADLINE);
    // The picker hid the cursor.
    assert!(p.screen().contains("\x1b[?25l"), "{:?}", p.screen());
    p.type_keys(b"\x03");
    let (code, screen) = p.wait(DEADLINE);
    assert_eq!(code, 130, "{screen:?}");
    let hidden = screen.rfind("\x1b[?25l").unwrap();
    let shown = screen.rfind("\x1b[?25h").unwrap_or(0);
    assert!(shown > hidden, "cursor left hidden: {screen:?}");
}

/// A leader replaying a real 0.27 master (long framework ids, long hostnames).
fn master_0_27() -> TestServer {
    let m = TestServer::start();
    m.as_leader();
    m.route(
        "/master/state.json",
        Answer::json(read_fixture_text("master-state-0.27.json")),
    );
    m.route(
        "/master/state-summary",
        Answer::json(read_fixture_text("state-summary-0.27.json")),
    );
    m
}

fn ids_in(body: &str, key: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(body).unwrap();
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_string())
        .collect()
}

/// The table lines of a pty screen (without `script`'s CRs and the note on
/// left-out columns, which goes to stderr).
fn lines(screen: &str) -> Vec<String> {
    screen
        .split('\n')
        .map(|l| l.trim_end_matches('\r').to_string())
        .filter(|l| !l.is_empty() && !l.ends_with("use --output json)"))
        .collect()
}

fn run_at(
    m: &TestServer,
    args: &[&str],
    cols: u16,
    extra_env: Option<(&str, &str)>,
) -> Vec<String> {
    let env = TestEnv::new();
    let addr = m.addr();
    let mut all = vec!["--master", addr.as_str()];
    all.extend_from_slice(args);
    let vars: Vec<(&str, &str)> = extra_env.into_iter().collect();
    let (code, screen) = PtyRun::start_with(&env, &all, cols, &vars).wait(DEADLINE);
    assert_eq!(code, 0, "{screen}");
    lines(&screen)
}

/// Issue 12, rough edge 1: on a terminal, ids are never wrapped or cut
/// (other columns are cut with `…` to fit), no cell is broken over lines,
/// COLUMNS is honoured, and a pty that reports 0 columns is "unknown".
#[test]
fn tables_fit_the_terminal_without_breaking_ids() {
    let m = master_0_27();
    let state = read_fixture_text("master-state-0.27.json");
    let framework_ids = ids_in(&state, "frameworks");
    let agent_ids = ids_in(&read_fixture_text("state-summary-0.27.json"), "slaves");
    for cols in [80u16, 140] {
        let out = run_at(&m, &["frameworks"], cols, None);
        assert!(out[0].starts_with("ID "), "{out:?}");
        // One line per framework: nothing wrapped.
        assert_eq!(out.len(), framework_ids.len() + 1, "at {cols}: {out:#?}");
        for id in &framework_ids {
            assert!(
                out.iter().any(|l| l.starts_with(id.as_str())),
                "{id} at {cols}: {out:#?}"
            );
        }
        for l in &out {
            assert!(l.chars().count() <= cols as usize, "wider than {cols}: {l}");
        }
        let out = run_at(&m, &["agents"], cols, None);
        assert_eq!(out.len(), agent_ids.len() + 1, "at {cols}: {out:#?}");
        for id in &agent_ids {
            assert!(
                out.iter().any(|l| l.starts_with(id.as_str())),
                "{id} at {cols}: {out:#?}"
            );
        }
        for l in &out {
            assert!(l.chars().count() <= cols as usize, "wider than {cols}: {l}");
        }
    }
    // At 80 columns something had to give (a cut cell or a left-out
    // column, named on stderr), never an id.
    let narrow = run_at(&m, &["frameworks"], 80, None);
    let wide = run_at(&m, &["frameworks"], 0, None);
    assert_ne!(narrow, wide);
    // COLUMNS wins over the terminal's width.
    let out = run_at(&m, &["frameworks"], 200, Some(("COLUMNS", "80")));
    assert_eq!(out, narrow);
    // A pty reporting 0 columns: unknown width, nothing is cut.
    assert!(!wide.iter().any(|l| l.contains('…')), "{wide:#?}");
    assert!(wide[0].ends_with("DISK"), "{wide:#?}");
    assert_eq!(wide.len(), framework_ids.len() + 1, "{wide:#?}");
}
