//! Container I/O for `mesos exec` and `mesos attach` (agent v1 API, see
//! docs/wire-notes.md#container-io): finding a task's container, running a
//! session (output stream, input stream, exit status), the local
//! terminal. The commands in `crate::commands::{exec, attach}` are thin
//! wrappers over [`session::run`].
//!
//! * [`calls`]: the typed calls and the wait status -> exit code mapping.
//! * [`output`]: RecordIO `ProcessIO` decoding to stdout / stderr.
//! * [`input`]: local events, the ATTACH_CONTAINER_INPUT body, detach keys.
//! * [`session`]: one session against one agent.
//! * [`term`]: raw mode, window size, signals.
//! * [`target`]: a selected task -> its agent and container.

pub mod calls;
pub mod input;
pub mod output;
pub mod session;
pub mod target;
pub mod term;

#[cfg(test)]
mod tests;

pub use calls::exit_code;
pub use input::Input;
pub use session::{Agent, Outcome, Session, Target};

use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::OutputFormat;

/// Streams have no JSON form: an explicit --json / --ndjson is a usage error.
pub fn no_json(ctx: &Context, command: &str) -> Result<()> {
    if ctx.output_asked && ctx.output.format != OutputFormat::Table {
        return Err(Error::usage(format!(
            "`mesos {command}` streams the container's own output; it has no JSON output"
        )));
    }
    Ok(())
}

/// Run a session from this terminal to its end and give its exit code:
/// raw mode while `raw` (restored on every path), stdin pumped into `tx`
/// when `interactive` (watching for `detach` keys in raw mode), output to
/// stdout/stderr. `tx`/`rx` are the local events' channel (signals and
/// window sizes may already be queued).
pub async fn drive(
    agent: &Agent,
    s: &Session,
    tx: tokio::sync::mpsc::UnboundedSender<Input>,
    rx: tokio::sync::mpsc::UnboundedReceiver<Input>,
    raw: bool,
    detach: Vec<u8>,
) -> Result<u8> {
    let guard = if raw {
        Some(term::RawMode::enable()?)
    } else {
        None
    };
    if s.interactive {
        input::spawn_stdin_reader(tx, if raw { detach } else { Vec::new() });
    } else {
        drop(tx);
    }
    let outcome = session::run(agent, s, rx, &mut output::Sinks::std()).await;
    drop(guard);
    Ok(finish(outcome?))
}

/// The exit code of a session (says "detached" on stderr after detaching).
pub fn finish(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Exited(code) | Outcome::Interrupted(code) => code,
        Outcome::Detached => {
            crate::output::status("\r\ndetached");
            0
        }
        Outcome::Ended | Outcome::OutputClosed => 0,
    }
}
