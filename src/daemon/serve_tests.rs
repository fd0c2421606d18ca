//! The server loop in-process, with short timeouts and a throw-away CA.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::routing::{get, post};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;
use crate::daemon::tls::TlsConfig;

fn app() -> axum::Router {
    axum::Router::new()
        .route(
            "/peer",
            get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
        )
        .route("/echo", post(|body: String| async move { body }))
}

/// A CA and a certificate for 127.0.0.1 signed by it, written to `dir`.
fn write_certs(dir: &Path) -> TlsConfig {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    std::fs::write(dir.join("ca.pem"), ca.pem()).unwrap();
    std::fs::write(dir.join("cert.pem"), leaf.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
    TlsConfig {
        enabled: true,
        cert_file: Some(dir.join("cert.pem")),
        key_file: Some(dir.join("key.pem")),
        ca_file: Some(dir.join("ca.pem")),
        verify_server_cert: true,
        ..TlsConfig::default()
    }
}

const SHORT: Timeouts = Timeouts {
    header_read: Duration::from_millis(400),
    idle: Duration::from_millis(800),
};

async fn start(tls: Option<TlsMode>, t: Timeouts) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(serve_with(l, app(), tls, t, std::future::pending()));
    addr
}

/// Read until the server closes; how long that took.
async fn until_closed(s: &mut TcpStream) -> (Duration, Vec<u8>) {
    let t0 = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    let r = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(r.is_ok(), "the server kept the connection open");
    (t0.elapsed(), out)
}

fn client(tls: &Tls, with_identity: bool) -> reqwest::Client {
    let mut c = tls.client.clone();
    if !with_identity {
        c.identity = None;
    }
    c.apply(reqwest::Client::builder().no_proxy())
        .build()
        .unwrap()
}

#[tokio::test]
async fn half_sent_request_head_is_closed_after_the_header_timeout() {
    let addr = start(None, SHORT).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /peer HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let (took, _) = until_closed(&mut s).await;
    assert!(took >= Duration::from_millis(300), "{took:?}");
    // A connection that sends nothing at all is closed too.
    let mut s = TcpStream::connect(addr).await.unwrap();
    until_closed(&mut s).await;
}

#[tokio::test]
async fn stalled_request_body_is_closed_after_the_idle_timeout() {
    let addr = start(None, SHORT).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        .await
        .unwrap();
    let (took, _) = until_closed(&mut s).await;
    assert!(took >= Duration::from_millis(700), "{took:?}");
}

#[tokio::test]
async fn requests_carry_the_peer_address_and_keep_alive_works() {
    let addr = start(None, Timeouts::default()).await;
    let c = reqwest::Client::builder().no_proxy().build().unwrap();
    for _ in 0..2 {
        let body = c
            .get(format!("http://{addr}/peer"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(body.starts_with("127.0.0.1:"), "{body}");
    }
}

#[tokio::test]
async fn downgrade_serves_tls_and_plain_on_one_port() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = TlsConfig {
        support_downgrade: true,
        ..write_certs(dir.path())
    };
    let tls = cfg.load().unwrap().unwrap();
    let addr = start(Some(TlsMode::from(&tls)), SHORT).await;
    let c = client(&tls, true);
    let r = c.get(format!("https://{addr}/peer")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let plain = reqwest::Client::builder().no_proxy().build().unwrap();
    let r = plain
        .post(format!("http://{addr}/echo"))
        .body("hi")
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), "hi");
}

#[tokio::test]
async fn plain_http_on_a_tls_only_port_gets_400_saying_use_https() {
    let dir = tempfile::tempdir().unwrap();
    let tls = write_certs(dir.path()).load().unwrap().unwrap();
    let addr = start(Some(TlsMode::from(&tls)), SHORT).await;
    let plain = reqwest::Client::builder().no_proxy().build().unwrap();
    let r = plain
        .post(format!("http://{addr}/echo"))
        .body(vec![b'x'; 100_000])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.text().await.unwrap().trim(), PLAIN_ON_TLS_PORT);
    // TLS still works.
    let r = client(&tls, false)
        .get(format!("https://{addr}/peer"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn require_client_cert_refuses_clients_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = TlsConfig {
        require_client_cert: true,
        ..write_certs(dir.path())
    };
    let tls = cfg.load().unwrap().unwrap();
    let addr = start(Some(TlsMode::from(&tls)), SHORT).await;
    let url = format!("https://{addr}/peer");
    assert!(client(&tls, false).get(&url).send().await.is_err());
    let r = client(&tls, true).get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[test]
fn a_key_that_does_not_match_the_certificate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_certs(dir.path());
    let other = rcgen::KeyPair::generate().unwrap();
    std::fs::write(dir.path().join("other.pem"), other.serialize_pem()).unwrap();
    let e = TlsConfig {
        key_file: Some(dir.path().join("other.pem")),
        ..cfg.clone()
    }
    .load()
    .unwrap_err();
    assert!(e.starts_with("LIBPROCESS_SSL_KEY_FILE "), "{e}");
    assert!(e.contains("does not match"), "{e}");
    // A certificate file that is not PEM.
    std::fs::write(dir.path().join("junk.pem"), "junk").unwrap();
    let e = TlsConfig {
        cert_file: Some(dir.path().join("junk.pem")),
        ..cfg.clone()
    }
    .load()
    .unwrap_err();
    assert!(e.starts_with("LIBPROCESS_SSL_CERT_FILE "), "{e}");
    // REQUIRE_CERT without a CA.
    let e = TlsConfig {
        require_client_cert: true,
        ca_file: None,
        ..cfg
    }
    .load()
    .unwrap_err();
    assert!(e.contains("LIBPROCESS_SSL_CA_FILE"), "{e}");
}
