//! The interactive picker (`dialoguer::Select` on stderr) used when a
//! command needs one item and several match, with the terminal restored
//! however it ends.
//!
//! On Ctrl-C the terminal library raises SIGINT while the picker has hidden
//! the cursor; the default action would end the process with the cursor
//! still hidden. While the picker runs, SIGINT instead shows the cursor,
//! ends the line and exits 130 (as a shell reports an interrupted command).

use std::io::IsTerminal;

use crate::error::{Error, Result};

/// Whether an interactive choice can be asked (stdin and stderr are TTYs).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Ask for one of `items`; `Ok(None)` when the user declines (Esc or `q`).
pub fn pick(prompt: &str, items: &[String]) -> Result<Option<usize>> {
    let _guard = InterruptGuard::install();
    let choice = dialoguer::Select::new()
        .with_prompt(prompt)
        .items(items)
        .default(0)
        .interact_opt();
    // Also after an I/O error the cursor must come back.
    let _ = dialoguer::console::Term::stderr().show_cursor();
    choice.map_err(|e| Error::failed(format!("cannot read the choice: {e}")))
}

/// SIGINT → show the cursor and exit 130, for as long as it lives.
struct InterruptGuard {
    previous: libc::sighandler_t,
}

extern "C" fn on_interrupt(_: libc::c_int) {
    const SHOW_CURSOR: &[u8] = b"\x1b[?25h\n";
    // SAFETY: write(2) and _exit(2) are async-signal-safe; the buffer is static.
    unsafe {
        libc::write(2, SHOW_CURSOR.as_ptr().cast(), SHOW_CURSOR.len());
        libc::_exit(130);
    }
}

impl InterruptGuard {
    fn install() -> InterruptGuard {
        let handler = on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: installs a handler that only calls async-signal-safe
        // functions; the previous disposition is restored on drop.
        let previous = unsafe { libc::signal(libc::SIGINT, handler) };
        InterruptGuard { previous }
    }
}

impl Drop for InterruptGuard {
    fn drop(&mut self) {
        // SAFETY: restores the disposition saved by `install`.
        unsafe {
            libc::signal(libc::SIGINT, self.previous);
        }
    }
}
