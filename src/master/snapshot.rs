//! Read endpoints without starving scheduling (`/master/state` & co., the
//! v1 `GET_*` calls).
//!
//! * Every mutable access to the state through [`Master::lock`] bumps a
//!   **generation** counter ([`StateGuard`]); read-only access does not.
//! * A read takes a [`Snapshot`]: a copy of the state (`MasterState` is
//!   `Clone`) made on a blocking thread, holding the lock only for the
//!   copy. A snapshot whose generation is still current is reused, so a
//!   quiet master copies nothing and renders nothing.
//! * Reads are never stale: a request is answered from a snapshot at least
//!   as new as the state when the request arrived (every client sees every
//!   change made before its request, its own and others'). Concurrent
//!   requests share one snapshot (**coalescing**), and under churn a new
//!   snapshot is taken at most every `PACE_FACTOR` x (CPU cost of the
//!   previous one), at most [`MAX_PACE`] apart: requests wait for the next
//!   snapshot instead of each paying for a copy and a render.
//! * Each body (`key`: endpoint plus the query parameters that matter) is
//!   rendered once per snapshot, on dedicated render threads, never on the
//!   async workers that scheduler calls and status updates run on; concurrent requests for the same body share
//!   the render. At most [`MAX_BODIES`] bodies are cached per snapshot.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use tokio::sync::OnceCell;

use super::state::{Master, MasterState, Shared};
use crate::daemon::httputil;

/// Upper bound of the gap between two snapshots under churn.
pub const MAX_PACE: Duration = Duration::from_millis(250);
/// The gap between snapshots is this many times the CPU cost (copy plus
/// renders) of the previous one, so reads take at most about a third of
/// one core however many clients poll. CPU time, not wall time: on a busy
/// machine a render takes longer without costing more.
pub const PACE_FACTOR: u32 = 2;
/// Bodies cached per snapshot; further keys are rendered uncached.
pub const MAX_BODIES: usize = 16;
/// Dedicated render threads.
pub const RENDER_THREADS: usize = 2;
/// `nice` value of the render threads (0: the daemon's own priority).
/// Measured (bench/state-load.sh, docs/benchmarks.md): 5 gave scheduling no
/// better times (the pace already bounds the renders' CPU) and slower
/// reads on a busy machine.
pub const RENDER_NICE: i32 = 0;

fn lock_plain<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The read side of the master: generation counter and current snapshot.
#[derive(Default)]
pub struct Reads {
    generation: AtomicU64,
    current: Mutex<Option<Arc<Snapshot>>>,
    /// Held by the one request that takes the next snapshot.
    refresh: tokio::sync::Mutex<()>,
    /// Snapshots taken and bodies rendered (for tests and logs).
    snapshots_taken: AtomicUsize,
    renders: AtomicUsize,
    /// Encoded task bodies of the protobuf `GET_STATE`/`GET_TASKS` renders.
    pub protobuf_tasks: super::render::proto::TaskBodyCache,
}

impl Reads {
    /// The state's generation (bumped by every mutable access).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }
    /// Snapshots taken so far.
    pub fn snapshots_taken(&self) -> usize {
        self.snapshots_taken.load(Ordering::Relaxed)
    }
    /// Bodies rendered so far.
    pub fn renders(&self) -> usize {
        self.renders.load(Ordering::Relaxed)
    }
    fn current(&self) -> Option<Arc<Snapshot>> {
        lock_plain(&self.current).clone()
    }
}

/// The guard [`Master::lock`] returns: derefs to the state; the first
/// mutable access bumps the generation (while the lock is held, so a
/// snapshot's generation names exactly the state it copied).
pub struct StateGuard<'a> {
    guard: MutexGuard<'a, MasterState>,
    reads: &'a Reads,
    touched: bool,
}

impl<'a> StateGuard<'a> {
    pub fn new(guard: MutexGuard<'a, MasterState>, reads: &'a Reads) -> Self {
        StateGuard {
            guard,
            reads,
            touched: false,
        }
    }
}

impl StateGuard<'_> {
    /// Mutable access that does not bump the generation: only for fields
    /// no read endpoint renders (an agent's `last_ping`).
    pub fn unrendered(&mut self) -> &mut MasterState {
        &mut self.guard
    }
}

impl Deref for StateGuard<'_> {
    type Target = MasterState;
    fn deref(&self) -> &MasterState {
        &self.guard
    }
}

impl DerefMut for StateGuard<'_> {
    fn deref_mut(&mut self) -> &mut MasterState {
        if !self.touched {
            self.touched = true;
            self.reads.generation.fetch_add(1, Ordering::SeqCst);
        }
        &mut self.guard
    }
}

/// A copy of the state at one generation, with the bodies rendered from it.
pub struct Snapshot {
    pub generation: u64,
    pub state: MasterState,
    taken: Instant,
    /// Microseconds spent copying and rendering (sets the pace).
    cost_us: AtomicU64,
    bodies: Mutex<HashMap<String, Arc<OnceCell<Bytes>>>>,
}

impl Snapshot {
    /// Copy the state (call on a blocking thread: the copy is O(tasks)).
    fn take(m: &Master) -> Snapshot {
        let t0 = thread_cpu();
        let (generation, mut state) = {
            let st = m.lock();
            (m.reads.generation(), MasterState::clone(&st))
        };
        // Stream senders stay with the live state only: a copy must not
        // keep a SUBSCRIBE connection open after the master dropped it.
        for f in state
            .frameworks
            .values_mut()
            .chain(state.completed_frameworks.iter_mut())
        {
            if let Some(s) = &mut f.stream {
                let (tx, _) = tokio::sync::mpsc::unbounded_channel();
                s.tx = tx;
            }
        }
        Snapshot {
            generation,
            state,
            taken: Instant::now(),
            cost_us: AtomicU64::new(thread_cpu().saturating_sub(t0).as_micros() as u64),
            bodies: Mutex::new(HashMap::new()),
        }
    }

    /// The earliest time the next snapshot may be taken.
    fn next_allowed(&self) -> Instant {
        let cost = Duration::from_micros(self.cost_us.load(Ordering::Relaxed));
        self.taken + (cost * PACE_FACTOR).min(MAX_PACE)
    }
}

/// Why a read could not be answered (`500`).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the state copy failed: {0}")]
    Snapshot(String),
    #[error("the render failed")]
    Render,
}

impl IntoResponse for ReadError {
    fn into_response(self) -> Response {
        crate::error!("Cannot answer a read request: {self}");
        (StatusCode::INTERNAL_SERVER_ERROR, self.to_string()).into_response()
    }
}

/// A snapshot at least as new as the state now (see the module docs).
pub async fn fresh(m: &Shared) -> Result<Arc<Snapshot>, ReadError> {
    let want = m.reads.generation();
    let usable = |s: &Option<Arc<Snapshot>>| s.as_ref().filter(|s| s.generation >= want).cloned();
    if let Some(s) = usable(&m.reads.current()) {
        return Ok(s);
    }
    // While another request takes the next snapshot, wait for it: it (or
    // the one after it) is at least as new as the state when this request
    // arrived. Answering from an older one would let a client miss a change
    // another client already saw acknowledged (a task it launched).
    let _refresh = m.reads.refresh.lock().await;
    let previous = m.reads.current();
    if let Some(s) = usable(&previous) {
        return Ok(s);
    }
    if let Some(p) = &previous {
        tokio::time::sleep_until(p.next_allowed().into()).await;
    }
    // Stored by the blocking task itself, so a request that goes away
    // meanwhile does not waste the copy.
    let m2 = m.clone();
    tokio::task::spawn_blocking(move || {
        let s = Arc::new(Snapshot::take(&m2));
        // Never replace a newer snapshot (one taken meanwhile for another
        // request, if the one that started this copy went away).
        let mut current = lock_plain(&m2.reads.current);
        if current
            .as_ref()
            .is_none_or(|c| c.generation <= s.generation)
        {
            *current = Some(s.clone());
        }
        drop(current);
        m2.reads.snapshots_taken.fetch_add(1, Ordering::Relaxed);
        s
    })
    .await
    .map_err(|e| ReadError::Snapshot(e.to_string()))
}

/// What renders one body from a snapshot (serialized bytes).
pub type Render = Box<dyn FnOnce(&Master, &MasterState) -> Vec<u8> + Send>;

/// The body `key` rendered from a fresh snapshot: once per snapshot, on the
/// render threads, shared by concurrent requests.
pub async fn body(m: &Shared, key: &str, render: Render) -> Result<Bytes, ReadError> {
    let snap = fresh(m).await?;
    body_of(m, &snap, key, render).await
}

/// The body `key` of one snapshot (cached in it, up to [`MAX_BODIES`]).
async fn body_of(
    m: &Shared,
    snap: &Arc<Snapshot>,
    key: &str,
    render: Render,
) -> Result<Bytes, ReadError> {
    let cell = {
        let mut bodies = lock_plain(&snap.bodies);
        if bodies.len() < MAX_BODIES || bodies.contains_key(key) {
            Some(bodies.entry(key.to_string()).or_default().clone())
        } else {
            None
        }
    };
    let job = {
        let (m, snap) = (m.clone(), snap.clone());
        move || {
            let t0 = thread_cpu();
            let out = Bytes::from(render(&m, &snap.state));
            let cost = thread_cpu().saturating_sub(t0);
            snap.cost_us
                .fetch_add(cost.as_micros() as u64, Ordering::Relaxed);
            m.reads.renders.fetch_add(1, Ordering::Relaxed);
            out
        }
    };
    match cell {
        Some(cell) => cell
            .get_or_try_init(|| on_render_thread(job))
            .await
            .cloned(),
        None => on_render_thread(job).await,
    }
}

/// Serialize a rendered value (the shape is the render's business).
pub fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_else(|_| b"{}".to_vec())
}

/// How a read is answered: `?jsonp=cb` wrapping, gzip for clients that
/// accept it (the same rules as `daemon::httputil`'s layer, applied here
/// so that the compressed body is cached too).
#[derive(Clone, Debug, Default)]
pub struct Encoding {
    pub jsonp: Option<String>,
    pub gzip: bool,
}

impl Encoding {
    /// From a v0 GET: query (`jsonp`) and headers (`Accept-Encoding`).
    pub fn of(uri: &Uri, headers: &HeaderMap) -> Encoding {
        Encoding {
            jsonp: uri.query().and_then(httputil::jsonp_callback),
            gzip: httputil::accepts_gzip(headers),
        }
    }
}

/// A `200` JSON answer with the body `key`, or `500`.
pub async fn respond(m: &Shared, enc: &Encoding, key: &str, render: Render) -> Response {
    let result = async {
        let snap = fresh(m).await?;
        let plain = body_of(m, &snap, key, render).await?;
        if enc.jsonp.is_some() || !enc.gzip || plain.len() < httputil::GZIP_MIN_BYTES {
            return Ok((plain, false));
        }
        let gz: Render = Box::new(move |_, _| httputil::gzip_bytes(&plain));
        let zipped = body_of(m, &snap, &format!("{key}\0gzip"), gz).await?;
        Ok::<_, ReadError>((zipped, true))
    };
    match result.await {
        Ok((body, false)) => json_bytes(enc.jsonp.as_deref(), body),
        Ok((body, true)) => {
            let mut r = json_bytes(None, body);
            let h = r.headers_mut();
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            h.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
            // Compressed already: the libprocess layer must leave it alone.
            r.extensions_mut().insert(httputil::NoTransform);
            r
        }
        Err(e) => e.into_response(),
    }
}

/// A `200` response carrying serialized JSON (`cb(<json>)` as
/// `text/javascript` with a jsonp callback, the rule of the libprocess
/// layer in `daemon::httputil`; the layer may still compress that).
pub fn json_bytes(jsonp: Option<&str>, body: Bytes) -> Response {
    let (ctype, body) = match jsonp {
        Some(cb) => (
            "text/javascript",
            Bytes::from(httputil::jsonp_wrap(cb, &body)),
        ),
        None => ("application/json", body),
    };
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, ctype)
        .body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

// ---------------------------------------------------------------------------
// Render threads

type Job = Box<dyn FnOnce() + Send>;

struct Pool {
    tx: Option<std::sync::mpsc::Sender<Job>>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let mut started = 0;
        for i in 0..RENDER_THREADS {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("master-render-{i}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        let job = lock_plain(&rx).recv();
                        let Ok(job) = job else { return };
                        // A panicking render fails its request (500), not the thread.
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    }
                });
            match spawned {
                Ok(_) => started += 1,
                Err(e) => crate::warning!("Cannot start a render thread: {e}"),
            }
        }
        Pool {
            tx: (started > 0).then_some(tx),
        }
    })
}

/// Run `f` on a render thread (or, if none could be started, on tokio's
/// blocking pool).
async fn on_render_thread<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ReadError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    match &pool().tx {
        Some(q) => {
            if let Err(e) = q.send(job) {
                tokio::task::spawn_blocking(e.0);
            }
        }
        None => {
            tokio::task::spawn_blocking(job);
        }
    }
    rx.await.map_err(|_| ReadError::Render)
}

/// CPU time the calling thread has used.
fn thread_cpu() -> Duration {
    nix::time::clock_gettime(nix::time::ClockId::CLOCK_THREAD_CPUTIME_ID)
        .map(Duration::from)
        .unwrap_or(Duration::ZERO)
}

/// Give the calling thread a lower CPU priority (Linux: `nice` is per
/// thread).
fn lower_priority() {
    if RENDER_NICE == 0 {
        return;
    }
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority only read/adjust the calling thread's
    // scheduling attributes.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, RENDER_NICE);
    }
}

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;
