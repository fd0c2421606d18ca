//! The local terminal during a session: raw mode (restored when the guard
//! is dropped: on return, on errors, and after the signals the session
//! turns into [`Input::Interrupt`]), its size, and signal watching.

use std::io::IsTerminal;

use nix::sys::termios::{self, SetArg, Termios};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc::UnboundedSender;

use super::input::Input;
use crate::error::{Error, Result};

/// Raw mode on stdin until dropped.
pub struct RawMode {
    saved: Termios,
}

impl RawMode {
    /// Put the terminal on stdin in raw mode (keys are sent as typed:
    /// Ctrl-C, Ctrl-D and Ctrl-Z go to the remote side).
    pub fn enable() -> Result<RawMode> {
        let stdin = std::io::stdin();
        let saved = termios::tcgetattr(&stdin)
            .map_err(|e| Error::failed(format!("cannot read the terminal settings: {e}")))?;
        let mut raw = saved.clone();
        termios::cfmakeraw(&mut raw);
        termios::tcsetattr(&stdin, SetArg::TCSANOW, &raw)
            .map_err(|e| Error::failed(format!("cannot put the terminal in raw mode: {e}")))?;
        Ok(RawMode { saved })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(std::io::stdin(), SetArg::TCSADRAIN, &self.saved);
    }
}

/// Whether stdin is a terminal.
pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// The terminal's size as (rows, columns), when there is one.
pub fn window_size() -> Option<(u32, u32)> {
    if !std::io::stdin().is_terminal() && !std::io::stdout().is_terminal() {
        return None;
    }
    match crossterm::terminal::size() {
        Ok((cols, rows)) if cols > 0 && rows > 0 => Some((rows as u32, cols as u32)),
        _ => None,
    }
}

/// Turn SIGTERM, SIGHUP and SIGINT into [`Input::Interrupt`] (143, 129,
/// 130) and, with `resize`, SIGWINCH into [`Input::Window`].
pub fn watch_signals(tx: UnboundedSender<Input>, resize: bool) -> Result<()> {
    let sig =
        |k: SignalKind| signal(k).map_err(|e| Error::failed(format!("cannot watch signals: {e}")));
    let mut term = sig(SignalKind::terminate())?;
    let mut hup = sig(SignalKind::hangup())?;
    let mut int = sig(SignalKind::interrupt())?;
    let mut winch = sig(SignalKind::window_change())?;
    tokio::spawn(async move {
        loop {
            let ev = tokio::select! {
                _ = term.recv() => Input::Interrupt(143),
                _ = hup.recv() => Input::Interrupt(129),
                _ = int.recv() => Input::Interrupt(130),
                _ = winch.recv(), if resize => match window_size() {
                    Some((r, c)) => Input::Window(r, c),
                    None => continue,
                },
            };
            if tx.send(ev).is_err() {
                return;
            }
        }
    });
    Ok(())
}
