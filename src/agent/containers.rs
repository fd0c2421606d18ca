//! Nested containers as the agent tracks them (docs/agent-design.md#nested-containers):
//! the [`Registry`] of containers launched inside a running executor's
//! container (or inside another nested container), and the [`Switchboard`]
//! that carries a container's standard I/O to the agent API's attach and
//! session calls. Plain data and channels; depends on nothing else in the
//! agent (the launching lives in `agent::nested`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{broadcast, watch};

use crate::wire::agent_v1::ContainerId;

/// Output chunks a switchboard keeps for slow readers before they lag.
const OUTPUT_BUFFER: usize = 1024;

/// One chunk of a container's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chunk {
    Stdout(Vec<u8>),
    Stderr(Vec<u8>),
}

/// What an input attachment asks of the container's stdin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputOp {
    /// Bytes for stdin.
    Data(Vec<u8>),
    /// End of input: close stdin (with a TTY: write EOT).
    Eof,
    /// A new window size (rows, columns) of the TTY.
    Resize(u16, u16),
}

/// A container's I/O switchboard: output fans out to every attached
/// reader; one input attachment at a time feeds stdin.
#[derive(Debug)]
pub struct Switchboard {
    /// The container runs on a pseudo-terminal (no separate stderr).
    pub tty: bool,
    output: Mutex<Option<broadcast::Sender<Chunk>>>,
    open_outputs: AtomicUsize,
    input: Mutex<Option<std::sync::mpsc::Sender<InputOp>>>,
    input_attached: AtomicBool,
}

impl Switchboard {
    /// A switchboard whose output ends once `outputs` producers called
    /// [`Switchboard::output_closed`], feeding stdin through `input`.
    pub fn new(tty: bool, outputs: usize, input: std::sync::mpsc::Sender<InputOp>) -> Switchboard {
        let (tx, _) = broadcast::channel(OUTPUT_BUFFER);
        Switchboard {
            tty,
            output: Mutex::new(Some(tx)),
            open_outputs: AtomicUsize::new(outputs),
            input: Mutex::new(Some(input)),
            input_attached: AtomicBool::new(false),
        }
    }

    fn out(&self) -> MutexGuard<'_, Option<broadcast::Sender<Chunk>>> {
        self.output.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new reader of the output from now on; `None` once the output has
    /// ended.
    pub fn subscribe(&self) -> Option<broadcast::Receiver<Chunk>> {
        self.out().as_ref().map(broadcast::Sender::subscribe)
    }

    /// Publish a chunk to the attached readers.
    pub fn publish(&self, chunk: Chunk) {
        if let Some(tx) = self.out().as_ref() {
            let _ = tx.send(chunk);
        }
    }

    /// One producer reached end of file; the last one ends the output
    /// (readers see the channel close once they have drained it).
    pub fn output_closed(&self) {
        if self.open_outputs.fetch_sub(1, Ordering::SeqCst) <= 1 {
            self.out().take();
        }
    }

    /// Send an input operation to the container (false when its stdin is
    /// gone).
    pub fn input(&self, op: InputOp) -> bool {
        self.input
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|tx| tx.send(op).is_ok())
    }

    /// The container is gone: stop feeding it.
    pub fn close_input(&self) {
        self.input.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// Claim the (single) input attachment.
    pub fn attach_input(&self) -> bool {
        self.input_attached
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }

    /// Release the input attachment.
    pub fn detach_input(&self) {
        self.input_attached.store(false, Ordering::SeqCst);
    }
}

/// Runtime state of a nested container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NestedState {
    /// Pid of the command (its session and process group id).
    pub pid: Option<u32>,
    /// Pid of the wrapper process running it (not for sessions).
    pub wrapper_pid: Option<u32>,
    /// Raw wait status once it exited.
    pub exit_status: Option<i32>,
    /// Why it could not run, if it could not.
    pub error: Option<String>,
    /// It was killed through the API (or with its parent).
    pub killed: bool,
}

/// A container nested in an executor's container.
#[derive(Debug)]
pub struct Nested {
    /// The whole chain (`value` + `parent`s).
    pub id: ContainerId,
    /// Framework and executor of the top-level container.
    pub framework_id: String,
    pub executor_id: String,
    pub executor_name: String,
    /// Sandbox: `<parent sandbox>/containers/<value>`.
    pub directory: PathBuf,
    /// Runtime directory (launch spec, pids, wait status).
    pub meta_dir: PathBuf,
    /// Environment it was started with (its nested children inherit it).
    pub env: Vec<(String, String)>,
    /// Launched by LAUNCH_NESTED_CONTAINER_SESSION (dies with its connection).
    pub session: bool,
    pub launched_at: f64,
    /// Standard I/O for attach calls (sessions and TTY containers).
    pub io: Option<Arc<Switchboard>>,
    state: Mutex<NestedState>,
    /// Set once the container has terminated.
    pub done: watch::Sender<bool>,
}

impl Nested {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: ContainerId,
        framework_id: String,
        executor_id: String,
        executor_name: String,
        directory: PathBuf,
        meta_dir: PathBuf,
        env: Vec<(String, String)>,
        session: bool,
        io: Option<Arc<Switchboard>>,
        launched_at: f64,
    ) -> Nested {
        Nested {
            id,
            framework_id,
            executor_id,
            executor_name,
            directory,
            meta_dir,
            env,
            session,
            launched_at,
            io,
            state: Mutex::new(NestedState::default()),
            done: watch::channel(false).0,
        }
    }

    /// Its runtime state (short critical sections only).
    pub fn state(&self) -> MutexGuard<'_, NestedState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether it has terminated.
    pub fn is_done(&self) -> bool {
        *self.done.borrow()
    }

    /// Record its end (once) and wake the waiters.
    pub fn finish(&self, exit_status: Option<i32>, error: Option<String>) {
        {
            let mut st = self.state();
            if st.exit_status.is_none() && st.error.is_none() {
                st.exit_status = exit_status;
                st.error = error;
            }
        }
        if let Some(io) = &self.io {
            io.close_input();
        }
        self.done.send_replace(true);
    }
}

/// The agent's nested containers, by chain (`root.child...`).
#[derive(Debug, Default)]
pub struct Registry {
    map: Mutex<BTreeMap<String, Arc<Nested>>>,
}

impl Registry {
    fn map(&self) -> MutexGuard<'_, BTreeMap<String, Arc<Nested>>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The container `id` (matched on its whole chain).
    pub fn get(&self, id: &ContainerId) -> Option<Arc<Nested>> {
        self.map().get(&id.chain()).cloned()
    }

    /// Add `n`; false (nothing changed) when its id is taken.
    pub fn insert(&self, n: Arc<Nested>) -> bool {
        let mut m = self.map();
        let key = n.id.chain();
        if m.contains_key(&key) {
            return false;
        }
        m.insert(key, n);
        true
    }

    /// Forget `id` (and what is nested in it).
    pub fn remove(&self, id: &ContainerId) -> Option<Arc<Nested>> {
        let key = id.chain();
        let prefix = format!("{key}.");
        let mut m = self.map();
        m.retain(|k, _| !k.starts_with(&prefix));
        m.remove(&key)
    }

    /// Every nested container, parents before their children.
    pub fn list(&self) -> Vec<Arc<Nested>> {
        self.map().values().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_by_chain_and_removal_of_children() {
        let r = Registry::default();
        let root = ContainerId::new("r");
        let a = ContainerId::nested("a", root.clone());
        let b = ContainerId::nested("b", a.clone());
        let mk = |id: &ContainerId| {
            Arc::new(Nested::new(
                id.clone(),
                "f".into(),
                "e".into(),
                "n".into(),
                PathBuf::new(),
                PathBuf::new(),
                vec![],
                false,
                None,
                0.0,
            ))
        };
        assert!(r.insert(mk(&a)));
        assert!(!r.insert(mk(&a)));
        assert!(r.insert(mk(&b)));
        assert!(r.get(&b).is_some());
        assert!(r.get(&ContainerId::new("b")).is_none());
        assert!(r.remove(&a).is_some());
        assert!(r.list().is_empty());
    }

    #[test]
    fn switchboard_output_ends_after_the_last_producer() {
        let (tx, _rx) = std::sync::mpsc::channel();
        let s = Switchboard::new(false, 2, tx);
        let mut rx = s.subscribe().unwrap();
        s.publish(Chunk::Stdout(b"x".to_vec()));
        s.output_closed();
        assert!(s.subscribe().is_some());
        s.output_closed();
        assert!(s.subscribe().is_none());
        assert_eq!(rx.try_recv().unwrap(), Chunk::Stdout(b"x".to_vec()));
        assert!(matches!(
            rx.try_recv(),
            Err(broadcast::error::TryRecvError::Closed)
        ));
        assert!(s.attach_input());
        assert!(!s.attach_input());
        s.detach_input();
        assert!(s.attach_input());
    }
}
