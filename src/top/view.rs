//! Rendering a [`Frame`] into a ratatui [`Buffer`]: the full-screen view
//! and, drawn into an off-screen buffer, the plain text of `--once`.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, Widget};

use super::model::{ordered_counts, sparkline, AgentRow, AgentStatus, Frame, SortBy, TaskRow};
use crate::tasks::format as fmt;

/// What the user changed: the order, the scroll position, colours.
#[derive(Clone, Debug, Default)]
pub struct ViewState {
    pub sort: SortBy,
    /// First task row shown.
    pub scroll: usize,
    pub color: bool,
    /// Show the key help line (the full-screen view).
    pub footer: bool,
}

/// Width of the bar part of a gauge cell (`[||||      ]`).
const BAR: usize = 10;
/// Values in the CPU and memory sparkline columns.
const SPARK: usize = 16;
const MEM_SPARK: usize = 10;

/// Lines the header takes.
const HEADER_LINES: u16 = 2;

/// Render the frame into `area` of `buf`.
pub fn render(frame: &Frame, view: &ViewState, area: Rect, buf: &mut Buffer) {
    let agents_h =
        (frame.agents.len() as u16 + 2).min(area.height.saturating_sub(HEADER_LINES + 4) / 2 + 2);
    let footer_h = u16::from(view.footer);
    let [header, _, agents, _, tasks, footer] = Layout::vertical([
        Constraint::Length(HEADER_LINES),
        Constraint::Length(1),
        Constraint::Length(agents_h),
        Constraint::Length(1),
        Constraint::Min(2),
        Constraint::Length(footer_h),
    ])
    .areas(area);
    render_header(frame, view, header, buf);
    render_agents(frame, view, agents, buf);
    render_tasks(frame, view, tasks, buf);
    if view.footer {
        let keys = format!(
            " q quit   s sort (by {})   \u{2191}/\u{2193} PgUp/PgDn scroll",
            view.sort.label()
        );
        Paragraph::new(
            Line::from(keys).style(style(view, Style::new().add_modifier(Modifier::REVERSED))),
        )
        .render(footer, buf);
    }
}

/// The lines `--once` prints: the frame drawn `width` columns wide, every
/// agent and up to `max_tasks` tasks, trailing blanks trimmed.
pub fn plain_lines(frame: &Frame, width: u16, max_tasks: usize) -> Vec<String> {
    let mut frame = frame.clone();
    frame.tasks.truncate(max_tasks);
    let tasks = frame.tasks.len().max(1) as u16;
    let height = HEADER_LINES + 1 + frame.agents.len() as u16 + 2 + 1 + tasks + 2;
    let area = Rect::new(0, 0, width.max(20), height);
    let mut buf = Buffer::empty(area);
    let view = ViewState::default();
    // All agents: the vertical split gives them what they need.
    let agents_h = frame.agents.len() as u16 + 2;
    let [header, _, agents, _, rest] = Layout::vertical([
        Constraint::Length(HEADER_LINES),
        Constraint::Length(1),
        Constraint::Length(agents_h),
        Constraint::Length(1),
        Constraint::Min(2),
    ])
    .areas(area);
    render_header(&frame, &view, header, &mut buf);
    render_agents(&frame, &view, agents, &mut buf);
    render_tasks(&frame, &view, rest, &mut buf);
    buffer_lines(&buf)
}

/// The text of a buffer, one string per row, trailing blanks trimmed.
pub fn buffer_lines(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    let mut lines: Vec<String> = (area.y..area.y + area.height)
        .map(|y| {
            let mut s = String::new();
            for x in area.x..area.x + area.width {
                s.push_str(buf[(x, y)].symbol());
            }
            s.trim_end().to_string()
        })
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

fn style(view: &ViewState, s: Style) -> Style {
    if view.color {
        s
    } else {
        Style::new()
    }
}

/// Green under 60 %, yellow under 85 %, red above.
fn level(view: &ViewState, pct: f64) -> Style {
    let c = if pct < 60.0 {
        Color::Green
    } else if pct < 85.0 {
        Color::Yellow
    } else {
        Color::Red
    };
    style(view, Style::new().fg(c))
}

fn render_header(frame: &Frame, view: &ViewState, area: Rect, buf: &mut Buffer) {
    let bold = style(view, Style::new().add_modifier(Modifier::BOLD));
    let mut first = vec![
        Span::styled("mesos top", bold),
        Span::raw(format!("  leader {}", frame.leader)),
    ];
    if let Some(c) = &frame.cluster {
        first.push(Span::raw(format!("  cluster {c}")));
    }
    first.push(Span::raw(format!(
        "  agents {}/{} active  frameworks {}  at {}",
        frame.agents_active,
        frame.agents_total,
        frame.frameworks,
        clock(frame.timestamp)
    )));
    let counts = ordered_counts(&frame.task_counts);
    let mut second = vec![Span::styled("Tasks:", bold)];
    if counts.is_empty() {
        second.push(Span::raw(" none"));
    }
    for (state, n) in counts {
        let s = match state.as_str() {
            "FAILED" | "ERROR" | "LOST" => style(view, Style::new().fg(Color::Red)),
            "RUNNING" => style(view, Style::new().fg(Color::Green)),
            _ => Style::new(),
        };
        second.push(Span::raw(" "));
        second.push(Span::styled(format!("{state} {n}"), s));
    }
    Paragraph::new(vec![Line::from(first), Line::from(second)]).render(area, buf);
}

/// `HH:MM:SS` UTC of epoch seconds.
fn clock(epoch: f64) -> String {
    let s = fmt::utc(epoch);
    s.rsplit(' ').next().unwrap_or(&s).to_string()
}

/// `[|||||     ]  45.0%` (or `-` when unknown).
pub fn bar(pct: Option<f64>) -> String {
    match pct {
        None => "-".into(),
        Some(p) => {
            let filled = ((p.clamp(0.0, 100.0) / 100.0) * BAR as f64).round() as usize;
            format!(
                "[{}{}] {:>5.1}%",
                "|".repeat(filled),
                " ".repeat(BAR - filled),
                p
            )
        }
    }
}

/// `[||   ] 1.2 GiB/8.0 GiB`.
fn used_of(
    view: &ViewState,
    pct: Option<f64>,
    used: Option<u64>,
    total: Option<u64>,
) -> (String, Style) {
    match (used, total) {
        (Some(u), Some(t)) => {
            let p = pct.unwrap_or(0.0);
            let filled = ((p.clamp(0.0, 100.0) / 100.0) * BAR as f64).round() as usize;
            (
                format!(
                    "[{}{}] {}/{}",
                    "|".repeat(filled),
                    " ".repeat(BAR - filled),
                    fmt::bytes(u),
                    fmt::bytes(t)
                ),
                level(view, p),
            )
        }
        _ => ("-".into(), Style::new()),
    }
}

fn agent_row<'a>(a: &AgentRow, view: &ViewState) -> Row<'a> {
    let (status, status_style) = match &a.status {
        AgentStatus::Ok => ("ok".to_string(), Style::new()),
        AgentStatus::Inactive => (
            "inactive".to_string(),
            style(view, Style::new().fg(Color::Yellow)),
        ),
        AgentStatus::Failed(_) => (
            "FAILED".to_string(),
            style(view, Style::new().fg(Color::Red)),
        ),
    };
    if let AgentStatus::Failed(e) = &a.status {
        return Row::new(vec![
            a.hostname.clone().into(),
            Line::styled(status, status_style),
            a.tasks.to_string().into(),
            Line::styled(e.clone(), status_style),
        ]);
    }
    let cpu = a.cpu_percent;
    let (mem, mem_style) = used_of(view, a.mem_percent(), a.mem_used_bytes, a.mem_total_bytes);
    let (disk, disk_style) = used_of(
        view,
        a.disk_percent(),
        a.disk_used_bytes,
        a.disk_total_bytes,
    );
    Row::new(vec![
        a.hostname.clone().into(),
        Line::styled(status, status_style),
        a.tasks.to_string().into(),
        Line::styled(bar(cpu), cpu.map(|p| level(view, p)).unwrap_or_default()),
        Line::styled(
            sparkline(&a.cpu_history, SPARK),
            style(view, Style::new().fg(Color::Cyan)),
        ),
        Line::styled(mem, mem_style),
        Line::styled(
            sparkline(&a.mem_history, MEM_SPARK),
            style(view, Style::new().fg(Color::Magenta)),
        ),
        Line::styled(disk, disk_style),
        a.load_1min
            .map(|l| format!("{l:.2}"))
            .unwrap_or_else(|| "-".into())
            .into(),
    ])
}

fn render_agents(frame: &Frame, view: &ViewState, area: Rect, buf: &mut Buffer) {
    let head = style(
        view,
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    );
    let header = Row::new([
        "HOST",
        "STATE",
        "TASKS",
        "CPU",
        "CPU HISTORY",
        "MEM",
        "DISK",
        "LOAD",
    ])
    .style(head);
    let widths = [
        Constraint::Min(12),
        Constraint::Length(8),
        Constraint::Length(5),
        Constraint::Length(BAR as u16 + 9),
        Constraint::Length(SPARK as u16),
        Constraint::Length(BAR as u16 + 22),
        Constraint::Length(MEM_SPARK as u16),
        Constraint::Length(BAR as u16 + 22),
        Constraint::Length(6),
    ];
    let rows: Vec<Row> = frame.agents.iter().map(|a| agent_row(a, view)).collect();
    let title = format!("Agents ({})", frame.agents.len());
    Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .block(Block::new().title(Line::styled(
            title,
            style(view, Style::new().add_modifier(Modifier::BOLD)),
        )))
        .render(area, buf);
}

fn task_row<'a>(t: &TaskRow, view: &ViewState) -> Row<'a> {
    let cpu_style = t.cpu_percent.map(|p| level(view, p)).unwrap_or_default();
    let mem = match (t.mem_rss_bytes, t.mem_limit_bytes) {
        (Some(r), Some(l)) => format!("{}/{}", fmt::bytes(r), fmt::bytes(l)),
        (Some(r), None) => fmt::bytes(r),
        _ => "-".into(),
    };
    let name = if t.name.is_empty() { &t.id } else { &t.name };
    Row::new(vec![
        Line::from(name.clone()),
        Line::from(t.framework.clone()),
        Line::from(t.agent.clone()),
        Line::from(t.state.trim_start_matches("TASK_").to_string()),
        Line::styled(bar(t.cpu_percent), cpu_style),
        Line::from(t.cpus_limit.map(fmt::number).unwrap_or_else(|| "-".into())),
        Line::styled(
            mem,
            t.mem_percent().map(|p| level(view, p)).unwrap_or_default(),
        ),
        Line::from(t.id.clone()),
    ])
}

fn render_tasks(frame: &Frame, view: &ViewState, area: Rect, buf: &mut Buffer) {
    let head = style(
        view,
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    );
    let header = Row::new([
        "TASK",
        "FRAMEWORK",
        "AGENT",
        "STATE",
        "CPU",
        "CPUS",
        "MEM (RSS/LIMIT)",
        "ID",
    ])
    .style(head);
    let widths = [
        Constraint::Min(12),
        Constraint::Length(14),
        Constraint::Length(16),
        Constraint::Length(8),
        Constraint::Length(BAR as u16 + 9),
        Constraint::Length(5),
        Constraint::Length(21),
        Constraint::Min(8),
    ];
    let shown = area.height.saturating_sub(2) as usize;
    let scroll = view
        .scroll
        .min(frame.tasks.len().saturating_sub(shown.max(1)));
    let rows: Vec<Row> = frame
        .tasks
        .iter()
        .skip(scroll)
        .map(|t| task_row(t, view))
        .collect();
    let more = if frame.tasks.len() > scroll + shown {
        format!(", {} more", frame.tasks.len() - scroll - shown)
    } else {
        String::new()
    };
    let title = format!(
        "Busiest tasks by {} ({}{more})",
        view.sort.label(),
        frame.tasks.len()
    );
    let table = if rows.is_empty() {
        Table::new(
            vec![Row::new(["no tasks with usage"])],
            [Constraint::Min(10)],
        )
    } else {
        Table::new(rows, widths).header(header)
    };
    table
        .column_spacing(1)
        .block(Block::new().title(Line::styled(
            title,
            style(view, Style::new().add_modifier(Modifier::BOLD)),
        )))
        .render(area, buf);
}
