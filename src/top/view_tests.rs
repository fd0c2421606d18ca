//! The view drawn into ratatui buffers: what a user sees for a given frame.

use std::collections::BTreeMap;

use ratatui::backend::TestBackend;
use ratatui::Terminal;

use super::model::{sort_tasks, AgentRow, AgentStatus, Frame, SortBy, TaskRow};
use super::view::{buffer_lines, plain_lines, render, ViewState};

const GIB: u64 = 1024 * 1024 * 1024;

fn agent(host: &str, cpu: f64, status: AgentStatus) -> AgentRow {
    AgentRow {
        id: format!("S-{host}"),
        hostname: host.into(),
        status,
        cpu_percent: Some(cpu),
        cpus_total: Some(4.0),
        load_1min: Some(0.5),
        mem_used_bytes: Some(2 * GIB),
        mem_total_bytes: Some(8 * GIB),
        disk_used_bytes: Some(GIB),
        disk_total_bytes: Some(10 * GIB),
        tasks: 2,
        cpu_history: vec![0.0, 25.0, 50.0, 100.0],
        mem_history: vec![25.0, 100.0],
    }
}

fn task(id: &str, cpu: f64, rss: u64) -> TaskRow {
    TaskRow {
        id: id.into(),
        name: format!("name-{id}"),
        framework: "marathon".into(),
        agent: "a1.example".into(),
        state: "TASK_RUNNING".into(),
        cpu_percent: Some(cpu),
        cpus_limit: Some(1.0),
        mem_rss_bytes: Some(rss),
        mem_limit_bytes: Some(GIB),
    }
}

fn frame() -> Frame {
    let mut counts = BTreeMap::new();
    counts.insert("TASK_RUNNING".to_string(), 3);
    counts.insert("TASK_FAILED".to_string(), 1);
    counts.insert("TASK_STAGING".to_string(), 2);
    let mut tasks = vec![
        task("idle", 1.5, 900 * 1024 * 1024),
        task("burner", 99.0, 10 * 1024 * 1024),
        task("medium", 40.0, 100 * 1024 * 1024),
    ];
    sort_tasks(&mut tasks, SortBy::Cpu);
    Frame {
        leader: "m1:5050".into(),
        cluster: Some("dev".into()),
        timestamp: 1_700_000_000.0,
        agents_active: 2,
        agents_total: 2,
        frameworks: 1,
        task_counts: counts,
        agents: vec![
            agent("a1.example", 50.0, AgentStatus::Ok),
            agent(
                "a2.example",
                0.0,
                AgentStatus::Failed("no answer within 1s".into()),
            ),
        ],
        tasks,
    }
}

fn draw(f: &Frame, view: &ViewState, w: u16, h: u16) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|fr| render(f, view, fr.area(), fr.buffer_mut()))
        .unwrap();
    buffer_lines(t.backend().buffer())
}

fn line_with<'a>(lines: &'a [String], text: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no line with {text:?} in:\n{}", lines.join("\n")))
}

#[test]
fn header_names_leader_agents_and_counts_by_state_in_order() {
    let lines = draw(&frame(), &ViewState::default(), 160, 30);
    let head = line_with(&lines, "mesos top");
    assert!(head.contains("leader m1:5050"), "{head}");
    assert!(head.contains("cluster dev"), "{head}");
    assert!(head.contains("agents 2/2 active"), "{head}");
    assert!(head.contains("frameworks 1"), "{head}");
    let counts = line_with(&lines, "Tasks:");
    assert!(counts.contains("RUNNING 3 STAGING 2 FAILED 1"), "{counts}");
}

#[test]
fn agents_have_bars_and_cpu_and_memory_sparklines() {
    let lines = draw(&frame(), &ViewState::default(), 160, 30);
    let a1 = line_with(&lines, "a1.example   ");
    assert!(a1.contains("[|||||     ]  50.0%"), "{a1}");
    assert!(a1.contains("▁▃▅█"), "{a1}");
    let after_mem = &a1[a1.find("8.0G").unwrap()..];
    assert_eq!(
        after_mem.split_whitespace().nth(1),
        Some("▃█"),
        "memory history: {a1}"
    );
    assert!(a1.contains("[|||       ] 2.0G/8.0G"), "{a1}");
    assert!(a1.contains("[|         ] 1.0G/10G"), "{a1}");
}

#[test]
fn a_failed_agent_is_shown_with_its_reason() {
    let lines = draw(&frame(), &ViewState::default(), 160, 30);
    let a2 = lines
        .iter()
        .find(|l| l.starts_with("a2.example"))
        .expect("a2 row");
    assert!(a2.contains("FAILED"), "{a2}");
    assert!(a2.contains("no answer within 1s"), "{a2}");
    assert!(!a2.contains('%'), "a failed agent shows no usage: {a2}");
}

#[test]
fn tasks_sorted_by_cpu_then_by_memory() {
    let f = frame();
    let lines = draw(&f, &ViewState::default(), 160, 30);
    let pos = |lines: &[String], t: &str| lines.iter().position(|l| l.contains(t)).unwrap();
    assert!(line_with(&lines, "Busiest tasks").contains("by cpu"));
    assert!(pos(&lines, "name-burner") < pos(&lines, "name-medium"));
    assert!(pos(&lines, "name-medium") < pos(&lines, "name-idle"));
    let burner = line_with(&lines, "name-burner");
    assert!(burner.contains("99.0%"), "{burner}");
    assert!(burner.contains("10M/1.0G"), "{burner}");

    let mut f = f;
    sort_tasks(&mut f.tasks, SortBy::Mem);
    let view = ViewState {
        sort: SortBy::Mem,
        ..Default::default()
    };
    let lines = draw(&f, &view, 160, 30);
    assert!(line_with(&lines, "Busiest tasks").contains("by mem"));
    assert!(pos(&lines, "name-idle") < pos(&lines, "name-medium"));
    assert!(pos(&lines, "name-medium") < pos(&lines, "name-burner"));
}

#[test]
fn scrolling_skips_tasks_and_the_footer_lists_keys() {
    let view = ViewState {
        scroll: 1,
        footer: true,
        ..Default::default()
    };
    // More tasks than fit: the view scrolls (when all fit, it does not).
    let mut f = frame();
    for i in 0..30 {
        f.tasks.push(task(&format!("t{i:02}"), 0.5, 1024));
    }
    let lines = draw(&f, &view, 160, 20);
    assert!(!lines.iter().any(|l| l.contains("name-burner")));
    assert!(line_with(&lines, "Busiest tasks").contains("more"));
    assert!(lines.iter().any(|l| l.contains("name-medium")));
    let footer = lines.last().unwrap();
    assert!(footer.contains("q quit"), "{footer}");
    assert!(footer.contains("s sort (by cpu)"), "{footer}");
}

#[test]
fn a_narrow_terminal_cuts_columns_not_the_hosts() {
    let lines = draw(&frame(), &ViewState::default(), 50, 24);
    for l in &lines {
        assert!(l.chars().count() <= 50, "{l:?}");
    }
    line_with(&lines, "a1.example");
    line_with(&lines, "a2.example");
    line_with(&lines, "name-burner");
}

#[test]
fn plain_text_has_every_agent_and_at_most_n_tasks() {
    let mut f = frame();
    for i in 0..8 {
        f.agents
            .push(agent(&format!("extra{i}"), 10.0, AgentStatus::Ok));
    }
    let lines = plain_lines(&f, 120, 2);
    for i in 0..8 {
        line_with(&lines, &format!("extra{i}"));
    }
    line_with(&lines, "name-burner");
    line_with(&lines, "name-medium");
    assert!(!lines.iter().any(|l| l.contains("name-idle")));
    assert!(lines.iter().all(|l| l.chars().count() <= 120));
    assert!(!lines.iter().any(|l| l.contains('\u{1b}')));
}

#[test]
fn an_empty_cluster_says_so() {
    let f = Frame {
        leader: "m1:5050".into(),
        ..Default::default()
    };
    let lines = plain_lines(&f, 100, 10);
    line_with(&lines, "Tasks: none");
    line_with(&lines, "no tasks with usage");
}
