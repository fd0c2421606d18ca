//! The full-screen loop of `mesos top`: a gathering thread sends frames,
//! the main thread draws the latest one and handles keys. The terminal is
//! restored on exit and on panic (ratatui's hook).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::gather::Gatherer;
use super::model::{sort_tasks, Frame};
use super::view::{render, ViewState};
use crate::error::{Error, Result};
use crate::metrics::collect::Collector;

/// What a key does.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Sort,
    Scroll(isize),
    None,
}

/// The action of a key press.
pub fn action(k: &KeyEvent) -> Action {
    if k.kind == KeyEventKind::Release {
        return Action::None;
    }
    match k.code {
        KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
        KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => Action::Quit,
        KeyCode::Char('s') => Action::Sort,
        KeyCode::Down | KeyCode::Char('j') => Action::Scroll(1),
        KeyCode::Up | KeyCode::Char('k') => Action::Scroll(-1),
        KeyCode::PageDown => Action::Scroll(10),
        KeyCode::PageUp => Action::Scroll(-10),
        KeyCode::Home => Action::Scroll(isize::MIN),
        _ => Action::None,
    }
}

/// Apply an action to the view; `false` to quit.
pub fn apply(view: &mut ViewState, frame: &mut Frame, a: Action) -> bool {
    match a {
        Action::Quit => return false,
        Action::Sort => {
            view.sort = view.sort.next();
            sort_tasks(&mut frame.tasks, view.sort);
            view.scroll = 0;
        }
        Action::Scroll(isize::MIN) => view.scroll = 0,
        Action::Scroll(n) => {
            let max = frame.tasks.len().saturating_sub(1);
            view.scroll = view.scroll.saturating_add_signed(n).min(max);
        }
        Action::None => {}
    }
    true
}

/// Run the full-screen view until the user quits.
pub fn run(collector: Collector, interval: Duration, color: bool) -> Result<()> {
    let (tx, rx) = mpsc::channel::<std::result::Result<Frame, String>>();
    let leader = collector.leader.leader.clone();
    std::thread::Builder::new()
        .name("top-gather".into())
        .spawn(move || gather_loop(collector, interval, tx))
        .map_err(|e| Error::failed(format!("cannot start the gathering thread: {e}")))?;

    let mut terminal = ratatui::try_init()
        .map_err(|e| Error::failed(format!("cannot set up the terminal: {e}")))?;
    let result = ui_loop(&mut terminal, &rx, &leader, color);
    ratatui::restore();
    result
}

fn ui_loop(
    terminal: &mut ratatui::DefaultTerminal,
    rx: &mpsc::Receiver<std::result::Result<Frame, String>>,
    leader: &str,
    color: bool,
) -> Result<()> {
    let mut view = ViewState {
        color,
        footer: true,
        ..Default::default()
    };
    let mut frame = Frame {
        leader: leader.to_string(),
        ..Default::default()
    };
    let mut problem: Option<String> = Some("gathering the first frame...".into());
    let io = |e: std::io::Error| Error::failed(format!("terminal: {e}"));
    let mut dirty = true;
    loop {
        // The newest frame (or problem) the gatherer has sent.
        loop {
            match rx.try_recv() {
                Ok(Ok(mut f)) => {
                    sort_tasks(&mut f.tasks, view.sort);
                    frame = f;
                    problem = None;
                    dirty = true;
                }
                Ok(Err(e)) => {
                    problem = Some(e);
                    dirty = true;
                }
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    return Err(Error::failed("the gathering thread stopped"));
                }
            }
        }
        if dirty {
            terminal
                .draw(|f| {
                    let area = f.area();
                    render(&frame, &view, area, f.buffer_mut());
                    if let Some(p) = &problem {
                        // Over the blank line under the header.
                        let line = Rect::new(
                            area.x,
                            area.y + 2,
                            area.width,
                            1.min(area.height.saturating_sub(2)),
                        );
                        Paragraph::new(Line::from(p.clone())).render(line, f.buffer_mut());
                    }
                })
                .map_err(io)?;
            dirty = false;
        }
        let until = Instant::now() + Duration::from_millis(100);
        while event::poll(until.saturating_duration_since(Instant::now())).map_err(io)? {
            match event::read().map_err(io)? {
                Event::Key(k) => {
                    if !apply(&mut view, &mut frame, action(&k)) {
                        return Ok(());
                    }
                    dirty = true;
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
        }
    }
}

/// Gather a frame every `interval` until the UI goes away.
fn gather_loop(
    collector: Collector,
    interval: Duration,
    tx: mpsc::Sender<std::result::Result<Frame, String>>,
) {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        let _ = tx.send(Err("cannot start the async runtime".into()));
        return;
    };
    rt.block_on(async {
        let mut g = Gatherer::new(interval.max(Duration::from_secs(1)));
        loop {
            let started = tokio::time::Instant::now();
            let msg = g.gather(&collector).await.map_err(|e| {
                format!(
                    "{} (showing the last frame)",
                    crate::error::one_line(&e.to_string())
                )
            });
            if tx.send(msg).is_err() {
                return;
            }
            tokio::time::sleep_until(started + interval).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::top::model::{SortBy, TaskRow};

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn keys_quit_sort_and_scroll() {
        let none = KeyModifiers::NONE;
        assert_eq!(action(&key(KeyCode::Char('q'), none)), Action::Quit);
        assert_eq!(action(&key(KeyCode::Esc, none)), Action::Quit);
        assert_eq!(
            action(&key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Action::Quit
        );
        assert_eq!(action(&key(KeyCode::Char('c'), none)), Action::None);
        let mut frame = Frame::default();
        for (id, cpu, rss) in [("a", 90.0, 1), ("b", 10.0, 100)] {
            frame.tasks.push(TaskRow {
                id: id.into(),
                name: id.into(),
                framework: String::new(),
                agent: String::new(),
                state: String::new(),
                cpu_percent: Some(cpu),
                cpus_limit: None,
                mem_rss_bytes: Some(rss),
                mem_limit_bytes: None,
            });
        }
        let mut view = ViewState::default();
        assert!(apply(
            &mut view,
            &mut frame,
            action(&key(KeyCode::Char('s'), none))
        ));
        assert_eq!(view.sort, SortBy::Mem);
        assert_eq!(frame.tasks[0].id, "b");
        assert!(apply(
            &mut view,
            &mut frame,
            action(&key(KeyCode::PageDown, none))
        ));
        assert_eq!(view.scroll, 1, "scrolling stops at the last task");
        assert!(apply(
            &mut view,
            &mut frame,
            action(&key(KeyCode::Up, none))
        ));
        assert_eq!(view.scroll, 0);
        assert!(!apply(&mut view, &mut frame, Action::Quit));
    }
}
