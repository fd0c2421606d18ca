//! The HTTP client every command uses: reqwest with rustls (ring), timeouts,
//! gzip, basic auth or DC/OS tokens, custom CA, and errors that name the URL,
//! the status and an excerpt of an unexpected body.

use std::time::Duration;

use reqwest::{header, redirect, Method, StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::error::{excerpt, Error, Result};

/// A stream with no bytes for this long is considered dead (5 missed
/// 15-second Mesos heartbeats).
pub const STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(75);

/// What a daemon with TLS on answers (400) to plain HTTP, so that clients
/// can tell the user to use https.
pub const PLAIN_ON_TLS_PORT: &str =
    "This port speaks TLS (LIBPROCESS_SSL_ENABLED=true): use https:// instead of http://";

/// What went wrong talking HTTP to a daemon. Every variant becomes the
/// user-facing [`Error`] (one line, a hint, an exit code) through the one
/// mapping in `crate::error`.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// No answer within the timeout (exit 124).
    #[error("{url}: no answer within {}", crate::duration::format_duration(*timeout))]
    Timeout { url: Url, timeout: Duration },
    /// An unexpected status (exit 4 for 404, else 1).
    #[error("{url} answered {}{}", status_text(*status), if excerpt.is_empty() { String::new() } else { format!(": {excerpt}") })]
    Status {
        url: Url,
        status: StatusCode,
        excerpt: String,
    },
    /// A 401 with what to pass (never the secret).
    #[error("{0}")]
    Unauthorized(String),
    /// A 2xx whose body is not the JSON expected.
    #[error("{url} answered {} with {what}: {excerpt}", status_text(*status))]
    BadBody {
        url: Url,
        status: StatusCode,
        what: String,
        excerpt: String,
    },
    /// Refused, unreachable, reset, certificate rejected, ...
    #[error("{url}: {problem}")]
    Transport { url: Url, problem: String },
    /// https:// to a server that speaks plain HTTP.
    #[error("{url}: the server does not speak TLS ({cause}); use {plain} instead")]
    NotTls {
        url: Url,
        cause: String,
        plain: String,
    },
    /// http:// to a daemon with TLS on.
    #[error("{url}: the server speaks TLS (LIBPROCESS_SSL_ENABLED); use {https} instead")]
    TlsOnly { url: Url, https: String },
}

impl HttpError {
    /// What to do about it, shown on its own `hint:` line.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            HttpError::Status { status, .. } if *status == StatusCode::UNAUTHORIZED => Some(
                "pass --principal with --secret or --secret-file (or set them in the profile)",
            ),
            HttpError::Status { status, .. } if *status == StatusCode::FORBIDDEN => {
                Some("the principal is not authorized for this endpoint")
            }
            HttpError::TlsOnly { .. } => Some("give the master as https://HOST:PORT, or pass --ca-file (which makes https the default scheme)"),
            _ => None,
        }
    }
}

/// Credentials for requests.
#[derive(Clone, Default)]
pub enum Auth {
    #[default]
    None,
    /// HTTP basic auth (`--principal` / `--secret`).
    Basic { principal: String, secret: String },
    /// DC/OS-style `Authorization: token=<token>`.
    Token(String),
}

// Never print secrets, not even in debug output.
impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::None => f.write_str("Auth::None"),
            Auth::Basic { principal, .. } => write!(f, "Auth::Basic({principal}, <redacted>)"),
            Auth::Token(_) => f.write_str("Auth::Token(<redacted>)"),
        }
    }
}

/// How to build the client.
#[derive(Clone, Debug)]
pub struct HttpOptions {
    pub timeout: Duration,
    pub auth: Auth,
    pub ca_file: Option<std::path::PathBuf>,
    pub insecure: bool,
    /// Daemon-to-daemon TLS (`LIBPROCESS_SSL_*`): trusted CAs, the
    /// daemon's own certificate as client identity, verification on/off.
    pub client_tls: Option<ClientTls>,
}

/// TLS settings of a daemon's client side.
#[derive(Clone)]
pub struct ClientTls {
    /// When non-empty, the only trusted CAs; otherwise the platform's.
    pub roots: Vec<reqwest::Certificate>,
    /// Presented when a server asks for a client certificate.
    pub identity: Option<reqwest::Identity>,
    /// Verify server certificates (`LIBPROCESS_SSL_VERIFY_CERT`).
    pub verify: bool,
}

impl std::fmt::Debug for ClientTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientTls")
            .field("roots", &self.roots.len())
            .field("identity", &self.identity.is_some())
            .field("verify", &self.verify)
            .finish()
    }
}

impl ClientTls {
    /// Apply to a reqwest builder.
    pub fn apply(&self, mut b: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        if !self.roots.is_empty() {
            b = b.tls_certs_only(self.roots.clone());
        }
        if let Some(id) = &self.identity {
            b = b.identity(id.clone());
        }
        b.tls_danger_accept_invalid_certs(!self.verify)
    }
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(5),
            auth: Auth::None,
            ca_file: None,
            insecure: false,
            client_tls: None,
        }
    }
}

/// A configured client. Cheap to clone.
#[derive(Clone, Debug)]
pub struct HttpClient {
    inner: reqwest::Client,
    /// Same settings, but never follows redirects (for `/master/redirect`).
    no_redirect: reqwest::Client,
    /// For long-lived streams: no total timeout, only a read (idle) timeout.
    streaming: reqwest::Client,
    auth: Auth,
    pub timeout: Duration,
}

pub fn install_crypto_provider() {
    // Idempotent: a second install returns Err, which is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl HttpClient {
    pub fn new(opts: &HttpOptions) -> Result<Self> {
        Self::with_stream_idle(opts, Some(STREAM_IDLE_TIMEOUT))
    }

    /// [`HttpClient::new`] whose stream requests fail after `idle` without
    /// a byte (`None`: never; interactive sessions may be quiet for hours).
    pub fn with_stream_idle(opts: &HttpOptions, idle: Option<Duration>) -> Result<Self> {
        install_crypto_provider();
        let mut certs = Vec::new();
        if let Some(path) = &opts.ca_file {
            let pem = std::fs::read(path).map_err(|e| {
                Error::usage(format!("cannot read --ca-file {}: {e}", path.display()))
            })?;
            certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                Error::usage(format!(
                    "--ca-file {} holds no PEM certificate: {e}",
                    path.display()
                ))
            })?;
            if certs.is_empty() {
                return Err(Error::usage(format!(
                    "--ca-file {} holds no PEM certificate",
                    path.display()
                )));
            }
        }
        let build_with = |policy: redirect::Policy, stream: bool| {
            let mut b = reqwest::Client::builder();
            b = if stream {
                match idle {
                    Some(idle) => b.read_timeout(idle),
                    None => b,
                }
            } else {
                b.timeout(opts.timeout)
            };
            let mut b = b
                .connect_timeout(opts.timeout)
                // Servers (our daemons: 10 s) close idle connections; drop
                // them first rather than race the server's close.
                .pool_idle_timeout(Duration::from_secs(5))
                .gzip(true)
                .no_proxy()
                .user_agent(concat!("mesos-cli/", env!("CARGO_PKG_VERSION")))
                .redirect(policy)
                .tls_danger_accept_invalid_certs(opts.insecure);
            if !certs.is_empty() {
                b = b.tls_certs_merge(certs.clone());
            }
            if let Some(t) = &opts.client_tls {
                b = t.apply(b);
            }
            b.build()
                .map_err(|e| Error::failed(format!("cannot set up the HTTP client: {e}")))
        };
        let build = |policy: redirect::Policy| build_with(policy, false);
        Ok(HttpClient {
            inner: build(redirect::Policy::limited(5))?,
            no_redirect: build(redirect::Policy::none())?,
            streaming: build_with(redirect::Policy::limited(5), true)?,
            auth: opts.auth.clone(),
            timeout: opts.timeout,
        })
    }

    fn authorize(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.auth {
            Auth::None => rb,
            Auth::Basic { principal, secret } => rb.basic_auth(principal, Some(secret)),
            Auth::Token(t) => rb.header(header::AUTHORIZATION, format!("token={t}")),
        }
    }

    /// A request builder with auth applied. `follow` = follow redirects.
    pub fn request(&self, method: Method, url: Url, follow: bool) -> reqwest::RequestBuilder {
        let c = if follow {
            &self.inner
        } else {
            &self.no_redirect
        };
        self.authorize(c.request(method, url))
    }

    /// A request for a long-lived stream (event streams, `tail -f`): no
    /// overall deadline, but a stream idle for [`STREAM_IDLE_TIMEOUT`] fails.
    pub fn stream_request(&self, method: Method, url: Url) -> reqwest::RequestBuilder {
        self.authorize(self.streaming.request(method, url))
    }

    /// Send and map transport errors to user errors naming the URL. A `401`
    /// becomes one clear error (see [`unauthorized_error`]) for every caller.
    pub async fn send(&self, rb: reqwest::RequestBuilder, url: &Url) -> Result<reqwest::Response> {
        let resp = rb
            .send()
            .await
            .map_err(|e| transport_error(url, &e, self.timeout))?;
        if resp.status() == StatusCode::UNAUTHORIZED {
            let challenge = resp
                .headers()
                .get(header::WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            return Err(unauthorized_error(
                resp.url(),
                challenge.as_deref(),
                &self.auth,
            ));
        }
        Ok(resp)
    }

    /// GET a URL and return status and body bytes (any status).
    pub async fn get_raw(&self, url: &Url) -> Result<(StatusCode, bytes::Bytes)> {
        let resp = self
            .send(self.request(Method::GET, url.clone(), true), url)
            .await?;
        let status = resp.status();
        let body = resp
            .bytes()
            .await
            .map_err(|e| transport_error(url, &e, self.timeout))?;
        Ok((status, body))
    }

    /// GET a URL and decode a JSON body; non-2xx or non-JSON bodies are errors
    /// naming the URL, the status and an excerpt of the body.
    pub async fn get_json<T: DeserializeOwned>(&self, url: &Url) -> Result<T> {
        let (status, body) = self.get_raw(url).await?;
        decode_json(url, status, &body)
    }

    /// POST a JSON body, decode a JSON answer.
    pub async fn post_json<T: DeserializeOwned>(
        &self,
        url: &Url,
        body: &impl serde::Serialize,
    ) -> Result<T> {
        let body = serde_json::to_string(body).map_err(|e| {
            crate::error::Error::failed(format!("cannot encode the request to {url}: {e}"))
        })?;
        let rb = self
            .request(Method::POST, url.clone(), true)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(body);
        let resp = self.send(rb, url).await?;
        let status = resp.status();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| transport_error(url, &e, self.timeout))?;
        decode_json(url, status, &bytes)
    }
}

/// Decode a JSON response body, or explain why not.
pub fn decode_json<T: DeserializeOwned>(url: &Url, status: StatusCode, body: &[u8]) -> Result<T> {
    if !status.is_success() {
        return Err(status_error(url, status, body));
    }
    serde_json::from_slice(body).map_err(|e| {
        let what = if body.is_empty() {
            "an empty body".to_string()
        } else if e.is_eof() {
            "truncated JSON".to_string()
        } else {
            format!("a body that is not the expected JSON ({e})")
        };
        HttpError::BadBody {
            url: url.clone(),
            status,
            what,
            excerpt: excerpt(body, 120),
        }
        .into()
    })
}

/// The realm of a `WWW-Authenticate: Basic realm="..."` challenge.
pub fn challenge_realm(challenge: &str) -> Option<String> {
    let i = challenge.find("realm=")?;
    let rest = challenge[i + "realm=".len()..].trim_start();
    let realm = match rest.strip_prefix('"') {
        Some(q) => q.split('"').next()?,
        None => rest.split([',', ' ']).next()?,
    };
    (!realm.is_empty()).then(|| realm.to_string())
}

/// The one-line error for a `401`: which daemon asked (from the realm:
/// `mesos-master-*` or `mesos-agent-*`), the realm, and what to pass. Never
/// contains the secret. Exit code 1.
pub fn unauthorized_error(url: &Url, challenge: Option<&str>, auth: &Auth) -> Error {
    let realm = challenge.and_then(challenge_realm);
    let who = match realm.as_deref() {
        Some(r) if r.starts_with("mesos-master") => "the master",
        Some(r) if r.starts_with("mesos-agent") => "the agent",
        _ => "the server",
    };
    let mut at = format!("{}://{}", url.scheme(), url.host_str().unwrap_or("?"));
    if let Some(p) = url.port() {
        at.push_str(&format!(":{p}"));
    }
    let realm_txt = realm.map(|r| format!(" (realm {r})")).unwrap_or_default();
    HttpError::Unauthorized(match auth {
        Auth::Basic { principal, .. } => format!(
            "{who} at {at} refused the credentials of principal '{principal}'{realm_txt} for {}; check --principal and --secret-file",
            url.path()
        ),
        _ => format!(
            "{who} at {at} asked for credentials{realm_txt} for {}; pass --principal and --secret-file",
            url.path()
        ),
    })
    .into()
}

/// An error for an unexpected HTTP status.
pub fn status_error(url: &Url, status: StatusCode, body: &[u8]) -> Error {
    if let Some(e) = plain_on_tls_port(url, status, body) {
        return e;
    }
    HttpError::Status {
        url: url.clone(),
        status,
        excerpt: excerpt(body, 160),
    }
    .into()
}

fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(r) => format!("HTTP {} {r}", status.as_u16()),
        None => format!("HTTP {}", status.as_u16()),
    }
}

/// Map a reqwest error to a one-line error naming the URL and the cause.
pub fn transport_error(url: &Url, e: &reqwest::Error, timeout: Duration) -> Error {
    let url = url.clone();
    if e.is_timeout() {
        return HttpError::Timeout { url, timeout }.into();
    }
    if let Some(problem) = certificate_problem(e) {
        return HttpError::Transport { url, problem }.into();
    }
    if url.scheme() == "https" && matches!(rustls_error(e), Some(rustls::Error::InvalidMessage(_)))
    {
        // What a plain HTTP server answers is not a TLS record.
        let plain = origin_with_scheme(&url, "http");
        return HttpError::NotTls {
            url,
            cause: root_cause(e),
            plain,
        }
        .into();
    }
    HttpError::Transport {
        url,
        problem: root_cause(e),
    }
    .into()
}

/// Did this failed request never reach a live server (refused, unreachable,
/// reset, no answer)? A TLS handshake that failed over the certificate or
/// the protocol did reach one: the server is up, the client settings are not.
pub fn server_unreachable(e: &reqwest::Error) -> bool {
    rustls_error(e).is_none()
}

/// `scheme://host:port` of `url`.
fn origin_with_scheme(url: &Url, scheme: &str) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port_or_known_default() {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    }
}

/// The server is a daemon with TLS on and we spoke plain HTTP to it: its
/// 400 answer says so (see [`PLAIN_ON_TLS_PORT`]).
fn plain_on_tls_port(url: &Url, status: StatusCode, body: &[u8]) -> Option<Error> {
    if url.scheme() != "http" || status != StatusCode::BAD_REQUEST {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    if !text.starts_with(PLAIN_ON_TLS_PORT) {
        return None;
    }
    Some(
        HttpError::TlsOnly {
            url: url.clone(),
            https: origin_with_scheme(url, "https"),
        }
        .into(),
    )
}

/// A rejected server certificate, explained with what to do about it. The
/// advice is part of the message (not a hint) because leader resolution
/// folds every master's failure into one line with its own hint.
fn certificate_problem(e: &reqwest::Error) -> Option<String> {
    use rustls::CertificateError as C;
    let cert = certificate_error(e)?;
    let reason = root_cause(e);
    Some(match cert {
        C::NotValidForName | C::NotValidForNameContext { .. } => format!(
            "TLS certificate does not match the host name ({reason}); \
             use a host name or address the certificate lists, or --insecure to skip verification"
        ),
        C::Expired | C::ExpiredContext { .. } | C::NotValidYet | C::NotValidYetContext { .. } => {
            format!(
                "TLS certificate is outside its validity period ({reason}); \
                 check the clocks, or use --insecure to skip verification"
            )
        }
        _ => format!(
            "TLS certificate is not trusted ({reason}); \
             use --ca-file with the CA that signed it, or --insecure to skip verification"
        ),
    })
}

/// The rustls certificate error somewhere in the chain. rustls errors reach
/// us inside (nested) `io::Error`s, whose `source()` skips the wrapped
/// error, so those are opened with `get_ref()`.
fn certificate_error<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a rustls::CertificateError> {
    match rustls_error(e)? {
        rustls::Error::InvalidCertificate(c) => Some(c),
        _ => None,
    }
}

/// The rustls error somewhere in the chain (see [`certificate_error`]).
fn rustls_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cur: Option<&'a (dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        cur = match err.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    None
}

/// The innermost cause of an error chain, which is the useful part
/// (e.g. "Connection refused (os error 111)").
pub fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &(dyn std::error::Error + 'static) = e;
    let mut msg = cur.to_string();
    while let Some(next) = cur.source() {
        cur = next;
        msg = cur.to_string();
    }
    if msg.contains("os error 111") || msg.contains("Connection refused") {
        return "connection refused".into();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_to_a_tls_daemon_says_use_https() {
        let url = Url::parse("http://10.0.0.1:5050/master/state").unwrap();
        let body = format!("{PLAIN_ON_TLS_PORT}\n");
        let e = status_error(&url, StatusCode::BAD_REQUEST, body.as_bytes());
        assert_eq!(
            e.message,
            "http://10.0.0.1:5050/master/state: the server speaks TLS (LIBPROCESS_SSL_ENABLED); use https://10.0.0.1:5050 instead"
        );
        // Any other 400 stays as it was.
        let e = status_error(&url, StatusCode::BAD_REQUEST, b"Failed to parse");
        assert!(e.message.contains("answered HTTP 400"), "{}", e.message);
    }

    #[test]
    fn a_401_names_the_daemon_and_realm_but_never_the_secret() {
        let url = Url::parse("http://10.0.0.7:5051/files/read?path=x").unwrap();
        assert_eq!(
            challenge_realm("Basic realm=\"mesos-agent-readonly\"").as_deref(),
            Some("mesos-agent-readonly")
        );
        assert_eq!(challenge_realm("Basic").as_deref(), None);
        let e = unauthorized_error(
            &url,
            Some("Basic realm=\"mesos-agent-readonly\""),
            &Auth::None,
        );
        assert_eq!(
            e.message,
            "the agent at http://10.0.0.7:5051 asked for credentials (realm mesos-agent-readonly) for /files/read; pass --principal and --secret-file"
        );
        assert_eq!(e.exit_code(), 1);
        let auth = Auth::Basic {
            principal: "ops".into(),
            secret: "hunter2".into(),
        };
        let e = unauthorized_error(&url, Some("Basic realm=\"mesos-master-readwrite\""), &auth);
        assert!(e.message.starts_with("the master at http://10.0.0.7:5051 refused the credentials of principal 'ops' (realm mesos-master-readwrite)"), "{}", e.message);
        assert!(!e.message.contains("hunter2"));
        let e = unauthorized_error(&url, None, &Auth::None);
        assert!(
            e.message
                .starts_with("the server at http://10.0.0.7:5051 asked for credentials for"),
            "{}",
            e.message
        );
    }

    #[test]
    fn certificate_errors_are_found_inside_nested_io_errors() {
        // What reqwest hands us: io::Error(Other, io::Error(InvalidData, rustls::Error)).
        let tls = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let inner = std::io::Error::new(std::io::ErrorKind::InvalidData, tls);
        let outer = std::io::Error::other(inner);
        assert!(matches!(
            certificate_error(&outer),
            Some(rustls::CertificateError::UnknownIssuer)
        ));
        let plain = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(certificate_error(&plain).is_none());
        let handshake = std::io::Error::other(rustls::Error::HandshakeNotComplete);
        assert!(certificate_error(&handshake).is_none());
    }
}
