//! The HTTPS twin of [`super::http::TestServer`]: a throw-away CA (rcgen), a
//! leaf certificate signed by it, and a programmable axum server behind a
//! rustls acceptor (ring provider). Used to prove `--ca-file`, `--insecure`
//! and https leader resolution against real TLS handshakes.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::http::TestServer;

/// A test certificate authority: self-signed, able to sign leaf certificates.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

/// A leaf certificate (DER) and its private key (PKCS#8 DER).
pub struct Leaf {
    pub cert: CertificateDer<'static>,
    pub cert_pem: String,
    pub key_der: Vec<u8>,
    pub key_pem: String,
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
        self.leaf_for(names, vec![ExtendedKeyUsagePurpose::ServerAuth])
    }

    /// A certificate a daemon presents both as server and as client
    /// (master to agent and back), for `names`.
    pub fn daemon_leaf(&self, names: &[&str]) -> Leaf {
        self.leaf_for(
            names,
            vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::ClientAuth,
            ],
        )
    }

    fn leaf_for(&self, names: &[&str], usages: Vec<ExtendedKeyUsagePurpose>) -> Leaf {
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
        params.extended_key_usages = usages;
        params.use_authority_key_identifier_extension = true;
        let key = KeyPair::generate().expect("leaf key");
        let cert = params.signed_by(&key, &self.issuer).expect("sign leaf");
        Leaf {
            cert_pem: cert.pem(),
            cert: cert.der().clone(),
            key_der: key.serialize_der(),
            key_pem: key.serialize_pem(),
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

/// A running HTTPS server on 127.0.0.1 with a free port; stops when
/// dropped. Everything but the scheme is [`TestServer`]'s (routes, request
/// log, `as_leader`), through `Deref`.
pub struct TlsTestServer {
    server: TestServer,
}

impl std::ops::Deref for TlsTestServer {
    type Target = TestServer;
    fn deref(&self) -> &TestServer {
        &self.server
    }
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
        let server = TestServer::start_serving(Box::new(move |tcp, app, rx| {
            Box::pin(async move {
                let listener = TlsListener::new(tcp, config);
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .unwrap();
            })
        }));
        TlsTestServer { server }
    }

    /// `https://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }
}
