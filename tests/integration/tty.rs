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
