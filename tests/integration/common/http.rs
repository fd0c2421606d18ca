//! A tiny programmable HTTP server (axum) for tests: fixed answers per path,
//! a request log, and an optional Basic-auth requirement. Used for HTTP
//! leader resolution, for replaying bodies captured from real Mesos, and as
//! a fake master for agent tests (request bodies are logged too).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, Request, Response, StatusCode};

/// One canned answer.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(body: impl Into<Vec<u8>>) -> Self {
        Answer {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }
    pub fn status(status: u16, body: &str) -> Self {
        Answer {
            status,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: body.as_bytes().to_vec(),
        }
    }
    /// A 307 with a (usually protocol-relative) Location, as Mesos sends.
    pub fn redirect(location: &str) -> Self {
        Answer {
            status: 307,
            headers: vec![("location".into(), location.into())],
            body: Vec::new(),
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
}

#[derive(Default)]
struct Inner {
    routes: HashMap<String, Answer>,
    log: Vec<LoggedRequest>,
    /// Required `Authorization` header value, if any.
    auth: Option<String>,
}

/// One received request.
#[derive(Clone, Debug)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    /// The request body.
    pub body: Vec<u8>,
    /// When the request arrived.
    pub at: std::time::SystemTime,
}

impl LoggedRequest {
    /// The body parsed as JSON (`Null` if it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A running server on 127.0.0.1 with a free port; stops when dropped.
pub struct TestServer {
    pub port: u16,
    inner: Arc<Mutex<Inner>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How a [`TestServer`] serves its router: plain TCP here, TLS in
/// `tls_server.rs`. Gets the listener, the router and the shutdown signal.
pub type ServeFn = Box<
    dyn FnOnce(
            tokio::net::TcpListener,
            axum::Router,
            tokio::sync::oneshot::Receiver<()>,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
        + Send,
>;

impl TestServer {
    pub fn start() -> Self {
        Self::start_serving(Box::new(|listener, app, rx| {
            Box::pin(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .unwrap();
            })
        }))
    }

    /// Start with a custom way of serving (e.g. behind TLS).
    pub fn start_serving(serve: ServeFn) -> Self {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = inner.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new().fallback(move |req: Request<Body>| {
                    let state = state.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let bytes = axum::body::to_bytes(body, 64 * 1024 * 1024)
                            .await
                            .map(|b| b.to_vec())
                            .unwrap_or_default();
                        answer(&state, Request::from_parts(parts, Body::empty()), bytes)
                    }
                });
                serve(listener, app, rx).await;
            });
        });
        TestServer {
            port,
            inner,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// `127.0.0.1:PORT`
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Answer `path` (exact, without query) with `answer`.
    pub fn route(&self, path: &str, answer: Answer) -> &Self {
        self.inner
            .lock()
            .unwrap()
            .routes
            .insert(path.to_string(), answer);
        self
    }

    /// Make this server a leading master: `/master/redirect` points at itself.
    pub fn as_leader(&self) -> &Self {
        self.route(
            "/master/redirect",
            Answer::redirect(&format!("//{}", self.addr())),
        )
    }

    /// Require this exact `Authorization` header on every request (else 401).
    pub fn require_auth(&self, header_value: &str) -> &Self {
        self.inner.lock().unwrap().auth = Some(header_value.to_string());
        self
    }

    /// Requests received so far.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.inner.lock().unwrap().log.clone()
    }

    /// Requests to `path` so far.
    pub fn requests_to(&self, path: &str) -> Vec<LoggedRequest> {
        self.inner
            .lock()
            .unwrap()
            .log
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// Paths requested so far.
    pub fn paths(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.path).collect()
    }
}

fn answer(state: &Arc<Mutex<Inner>>, req: Request<Body>, body: Vec<u8>) -> Response<Body> {
    let mut inner = state.lock().unwrap();
    let path = percent_decode(req.uri().path());
    inner.log.push(LoggedRequest {
        method: req.method().to_string(),
        path: path.clone(),
        query: req.uri().query().map(str::to_string),
        headers: req.headers().clone(),
        body,
        at: std::time::SystemTime::now(),
    });
    if let Some(required) = &inner.auth {
        let given = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if given != Some(required.as_str()) {
            return Response::builder()
                .status(401)
                .header("www-authenticate", "Basic realm=\"mesos-master-readonly\"")
                .body(Body::from("401 Unauthorized"))
                .unwrap();
        }
    }
    match inner.routes.get(&path) {
        Some(a) => {
            let mut b = Response::builder().status(StatusCode::from_u16(a.status).unwrap());
            for (k, v) in &a.headers {
                b = b.header(k, v);
            }
            b.body(Body::from(a.body.clone())).unwrap()
        }
        None => Response::builder()
            .status(404)
            .body(Body::from("404 Not Found"))
            .unwrap(),
    }
}

fn percent_decode(p: &str) -> String {
    let bytes = p.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&p[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A listener that accepts connections and never answers (a black hole).
pub struct SilentServer {
    pub port: u16,
    _listener: std::net::TcpListener,
}

impl SilentServer {
    pub fn start() -> Self {
        // The kernel completes handshakes into the backlog; nobody reads.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        SilentServer {
            port: l.local_addr().unwrap().port(),
            _listener: l,
        }
    }
}
