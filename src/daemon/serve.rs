//! The one HTTP server loop of both daemons: accept, `TCP_NODELAY`, plain
//! HTTP, TLS only, or TLS with downgrade (`LIBPROCESS_SSL_SUPPORT_DOWNGRADE`:
//! the first byte decides, `0x16` being a TLS handshake record), HTTP/1.1
//! through hyper with timeouts, and graceful shutdown.
//!
//! Timeouts ([`Timeouts::default`]):
//! * **header read, 10 s**: from the moment a connection waits for a request
//!   (a new connection, or a kept-alive one between requests) until the
//!   whole request head has arrived; also bounds the TLS handshake. A client
//!   that sends half a request head, or nothing, is disconnected.
//! * **idle, 60 s**: a connection on which no byte moves in either direction
//!   for this long is closed (a stalled request body, a client that stopped
//!   reading). Event streams send a heartbeat every 15 s, so they stay open.
//!
//! Every request carries the peer address as
//! `axum::extract::ConnectInfo<SocketAddr>`.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

use super::tls::Tls;

/// Default header-read timeout (see the module docs).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default idle timeout (see the module docs).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long daemon clients keep an unused connection: shorter than
/// [`HEADER_READ_TIMEOUT`], which also closes idle kept-alive connections.
pub const CLIENT_POOL_IDLE: Duration = Duration::from_secs(5);

/// The body of the answer to plain HTTP on a TLS-only port (the CLI
/// recognizes it).
pub use crate::http::PLAIN_ON_TLS_PORT;

/// Connection timeouts.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    pub header_read: Duration,
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header_read: HEADER_READ_TIMEOUT,
            idle: IDLE_TIMEOUT,
        }
    }
}

/// How the port speaks.
#[derive(Clone)]
pub struct TlsMode {
    pub acceptor: tokio_rustls::TlsAcceptor,
    /// Plain HTTP is accepted too.
    pub downgrade: bool,
}

impl From<&Tls> for TlsMode {
    fn from(t: &Tls) -> Self {
        TlsMode {
            acceptor: t.acceptor.clone(),
            downgrade: t.config.support_downgrade,
        }
    }
}

/// Serve `app` on `listener` until `shutdown` resolves, then stop accepting
/// and wait for the open connections to finish their requests (callers cap
/// that wait: long-lived streams only end when their producer ends them).
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    tls: Option<&Tls>,
    shutdown: impl Future<Output = ()>,
) {
    serve_with(
        listener,
        app,
        tls.map(TlsMode::from),
        Timeouts::default(),
        shutdown,
    )
    .await
}

/// [`serve`] with explicit TLS mode and timeouts (tests use short ones).
pub async fn serve_with(
    listener: TcpListener,
    app: axum::Router,
    tls: Option<TlsMode>,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            r = listener.accept() => match r {
                Ok((tcp, peer)) => {
                    // Event streams write small chunks: without this, Nagle
                    // and delayed ACKs add ~40 ms per hop.
                    let _ = tcp.set_nodelay(true);
                    let conn = Conn {
                        peer,
                        app: app.clone(),
                        timeouts,
                        watcher: graceful.watcher(),
                    };
                    tokio::spawn(conn.run(tcp, tls.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off, go on.
                    crate::warning!("Failed to accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    graceful.shutdown().await;
}

struct Conn {
    peer: SocketAddr,
    app: axum::Router,
    timeouts: Timeouts,
    watcher: Watcher,
}

impl Conn {
    async fn run(self, tcp: TcpStream, tls: Option<TlsMode>) {
        let Some(mode) = tls else {
            return self.http(tcp).await;
        };
        let mut first = [0u8; 1];
        match tokio::time::timeout(self.timeouts.header_read, tcp.peek(&mut first)).await {
            Ok(Ok(1)) => {}
            _ => return,
        }
        if first[0] == 0x16 {
            let peer = self.peer;
            match tokio::time::timeout(self.timeouts.header_read, mode.acceptor.accept(tcp)).await {
                Ok(Ok(stream)) => self.http(stream).await,
                Ok(Err(e)) => crate::info!("TLS handshake with {peer} failed: {e}"),
                Err(_) => crate::info!("TLS handshake with {peer} timed out"),
            }
        } else if mode.downgrade {
            self.http(tcp).await
        } else {
            refuse_plain(tcp, self.peer, self.timeouts.header_read).await
        }
    }

    async fn http<I>(self, io: I)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let Conn {
            peer,
            app,
            timeouts,
            watcher,
        } = self;
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Tracked {
            inner: io,
            activity: activity.clone(),
        });
        let svc = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(req)
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(timeouts.header_read)
            .keep_alive(true);
        let conn = watcher.watch(builder.serve_connection(io, svc));
        tokio::select! {
            _ = conn => {}
            _ = activity.idle(timeouts.idle) => {
                crate::info!(
                    "Closing the connection from {peer}: nothing sent or received for {}s",
                    timeouts.idle.as_secs()
                );
            }
        }
    }
}

/// Plain HTTP on a TLS-only port: read the request head (so closing does not
/// reset the connection before the client reads the answer), answer 400
/// saying to use https, close.
async fn refuse_plain(mut tcp: TcpStream, peer: SocketAddr, limit: Duration) {
    let mut buf = vec![0u8; 8192];
    let mut got = 0;
    let _ = tokio::time::timeout(limit.min(Duration::from_secs(2)), async {
        while got < buf.len() {
            match tcp.read(&mut buf[got..]).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
            if buf[..got].windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
    })
    .await;
    let body = format!("{PLAIN_ON_TLS_PORT}\n");
    let resp = format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tcp.write_all(resp.as_bytes()).await;
    let _ = tcp.shutdown().await;
    // Drain what is left (a request body) until the client closes.
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while let Ok(n) = tcp.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
    crate::info!("Refused plain HTTP from {peer}: this port speaks TLS");
}

/// When a connection last moved a byte.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }
    fn touch(&self) {
        let ms = self.start.elapsed().as_millis() as u64;
        self.last_ms.store(ms, Ordering::Relaxed);
    }
    /// Resolves once nothing moved for `limit`.
    async fn idle(&self, limit: Duration) {
        loop {
            let last = self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
            let deadline = last + limit;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline.into()).await;
        }
    }
}

/// An I/O stream that records activity.
struct Tracked<I> {
    inner: I,
    activity: Arc<Activity>,
}

impl<I: AsyncRead + Unpin> AsyncRead for Tracked<I> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Tracked<I> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
#[path = "serve_tests.rs"]
mod tests;
