//! The HTTPS twin of [`super::http::TestServer`]: a throw-away CA (rcgen), a
//! leaf certificate signed by it, and a programmable axum server behind a
//! rustls acceptor (ring provider). Used to prove `--ca-file`, `--insecure`
//! and https leader resolution against real TLS handshakes.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::http::{Answer, LoggedRequest};

/// A test certificate authority: self-signed, able to sign leaf certificates.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

/// A leaf certificate (DER) and its private key (PKCS#8 DER).
pub struct Leaf {
    pub cert: CertificateDer<'static>,
    pub cert_pem: String,
    pub key_der: Vec<u8>,
}

impl TestCa {
    pub fn new() -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params
            .distinguished_name
            .push(DnType::CommonName, "mesos-cli test CA");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().expect("CA key");
        TestCa {
            issuer: CertifiedIssuer::self_signed(params, key).expect("self-sign CA"),
        }
    }

    /// The CA certificate in PEM.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// Write the CA certificate as PEM to `dir/name` and return the path.
    pub fn write_pem(&self, dir: &Path, name: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, self.pem()).expect("write CA PEM");
        p
    }

    /// A server certificate for `names` (IP addresses become IP SANs,
    /// anything else DNS SANs), signed by this CA.
    pub fn leaf(&self, names: &[&str]) -> Leaf {
        let mut params =
            CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .expect("leaf params");
        params
            .distinguished_name
            .push(DnType::CommonName, names.first().copied().unwrap_or("leaf"));
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        let key = KeyPair::generate().expect("leaf key");
        let cert = params.signed_by(&key, &self.issuer).expect("sign leaf");
        Leaf {
            cert_pem: cert.pem(),
            cert: cert.der().clone(),
            key_der: key.serialize_der(),
        }
    }
}

impl Default for TestCa {
    fn default() -> Self {
        Self::new()
    }
}

/// A rustls server config (ring provider, TLS 1.2 and 1.3, HTTP/1.1 ALPN)
/// presenting `leaf` and the CA certificate as its chain.
pub fn server_config(ca: &TestCa, leaf: &Leaf) -> Arc<rustls::ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain = vec![leaf.cert.clone(), ca.issuer.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf.key_der.clone()));
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server cert");
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(cfg)
}

/// An [`axum::serve::Listener`] that accepts TCP connections and hands out
/// only those whose TLS handshake succeeded. Handshakes run in their own
/// tasks, so a client that aborts (untrusted certificate) or stalls never
/// blocks the next connection.
pub struct TlsListener {
    local: SocketAddr,
    rx: tokio::sync::mpsc::Receiver<(
        tokio_rustls::server::TlsStream<tokio::net::TcpStream>,
        SocketAddr,
    )>,
}

impl TlsListener {
    /// Must be called inside a tokio runtime.
    pub fn new(tcp: tokio::net::TcpListener, config: Arc<rustls::ServerConfig>) -> Self {
        let local = tcp.local_addr().expect("local addr");
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                let (tcp_stream, peer) = match tcp.accept().await {
                    Ok(c) => c,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let hs =
                        tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp_stream));
                    // Failed handshakes (the client rejected our certificate) are dropped.
                    if let Ok(Ok(tls)) = hs.await {
                        let _ = tx.send((tls, peer)).await;
                    }
                });
            }
        });
        TlsListener { local, rx }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.rx.recv().await {
            Some(c) => c,
            // The accept loop only ends with the runtime; wait for shutdown.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

#[derive(Default)]
struct Inner {
    routes: HashMap<String, Answer>,
    log: Vec<LoggedRequest>,
}

/// A running HTTPS server on 127.0.0.1 with a free port; stops when dropped.
pub struct TlsTestServer {
    pub port: u16,
    inner: Arc<Mutex<Inner>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TlsTestServer {
    /// Serve a certificate for 127.0.0.1 signed by `ca`.
    pub fn start(ca: &TestCa) -> Self {
        Self::start_with_names(ca, &["127.0.0.1"])
    }

    /// Serve (on 127.0.0.1) a certificate for `names` signed by `ca`.
    pub fn start_with_names(ca: &TestCa, names: &[&str]) -> Self {
        let leaf = ca.leaf(names);
        Self::start_with_config(server_config(ca, &leaf))
    }

    pub fn start_with_config(config: Arc<rustls::ServerConfig>) -> Self {
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
                let tcp = tokio::net::TcpListener::from_std(listener).unwrap();
                let listener = TlsListener::new(tcp, config);
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
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        TlsTestServer {
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

    /// `https://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
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

    /// Make this server a leading master: `/master/redirect` points at itself
    /// with a protocol-relative Location, as Mesos does.
    pub fn as_leader(&self) -> &Self {
        self.route(
            "/master/redirect",
            Answer::redirect(&format!("//{}", self.addr())),
        )
    }

    /// Requests received so far (only those that completed a TLS handshake).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.inner.lock().unwrap().log.clone()
    }

    /// Paths requested so far.
    pub fn paths(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.path).collect()
    }
}

fn answer(state: &Arc<Mutex<Inner>>, req: Request<Body>, body: Vec<u8>) -> Response<Body> {
    let mut inner = state.lock().unwrap();
    let path = req.uri().path().to_string();
    inner.log.push(LoggedRequest {
        method: req.method().to_string(),
        path: path.clone(),
        query: req.uri().query().map(str::to_string),
        headers: req.headers().clone(),
        body,
        at: std::time::SystemTime::now(),
    });
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

impl Drop for TlsTestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
