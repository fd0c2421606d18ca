//! One Marathon-level health probe (`HTTP`, `HTTPS`, `TCP`) against
//! `host:port`, run from the scheduler.
//!
//! * HTTP(S): `GET http(s)://host:port<path>`; passes on a status of
//!   200–399 answered within the timeout. Redirects are not followed (a 3xx
//!   passes). HTTPS does not verify certificates.
//! * TCP: passes when a connection opens within the timeout.
//!
//! One HTTP client per kind serves every probe; it keeps no idle
//! connections, so a single-threaded server in a task is never held busy
//! between probes.

use std::sync::OnceLock;
use std::time::Duration;

use crate::duration::format_duration;

/// The protocol of a Marathon-level check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProbeKind {
    Http,
    Https,
    Tcp,
}

impl ProbeKind {
    /// From a health check's `protocol`: `HTTP`, `HTTPS` and `TCP` only
    /// (`COMMAND` and the `MESOS_*` kinds run in the executor instead).
    pub fn from_protocol(protocol: &str) -> Option<ProbeKind> {
        match protocol {
            "HTTP" => Some(ProbeKind::Http),
            "HTTPS" => Some(ProbeKind::Https),
            "TCP" => Some(ProbeKind::Tcp),
            _ => None,
        }
    }
}

/// What one probe found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProbeOutcome {
    Pass,
    /// The cause, one line (`Connection refused`, `HTTP 503`, ...).
    Fail(String),
    /// A 1xx answer with `ignoreHttp1xx`: the result is discarded and the
    /// task's health stays as it was.
    Discarded,
}

/// Probe once. `Ok(())` when the check passes (a discarded 1xx answer, see
/// [`probe_outcome`], also gives `Ok`); otherwise the one-line cause.
pub async fn probe(
    kind: ProbeKind,
    host: &str,
    port: u16,
    path: &str,
    timeout: Duration,
    ignore_http_1xx: bool,
) -> Result<(), String> {
    match probe_outcome(kind, host, port, path, timeout, ignore_http_1xx).await {
        ProbeOutcome::Pass | ProbeOutcome::Discarded => Ok(()),
        ProbeOutcome::Fail(cause) => Err(cause),
    }
}

/// Probe once, telling a discarded 1xx answer apart from a pass.
pub async fn probe_outcome(
    kind: ProbeKind,
    host: &str,
    port: u16,
    path: &str,
    timeout: Duration,
    ignore_http_1xx: bool,
) -> ProbeOutcome {
    let attempt = async {
        match kind {
            ProbeKind::Tcp => tcp(host, port).await,
            ProbeKind::Http | ProbeKind::Https => {
                http(kind, host, port, path, ignore_http_1xx).await
            }
        }
    };
    match tokio::time::timeout(timeout, attempt).await {
        Ok(outcome) => outcome,
        Err(_) => ProbeOutcome::Fail(format!("Timed out after {}", format_duration(timeout))),
    }
}

async fn tcp(host: &str, port: u16) -> ProbeOutcome {
    match tokio::net::TcpStream::connect((host, port)).await {
        Ok(_) => ProbeOutcome::Pass,
        Err(e) => ProbeOutcome::Fail(io_cause(&e)),
    }
}

async fn http(
    kind: ProbeKind,
    host: &str,
    port: u16,
    path: &str,
    ignore_1xx: bool,
) -> ProbeOutcome {
    let url = url_of(kind, host, port, path);
    let result = client(kind).get(&url).send().await;
    match result {
        Ok(resp) => {
            let code = resp.status().as_u16();
            match code {
                200..=399 => ProbeOutcome::Pass,
                100..=199 if ignore_1xx => ProbeOutcome::Discarded,
                _ => ProbeOutcome::Fail(format!("HTTP {code}")),
            }
        }
        Err(e) => ProbeOutcome::Fail(reqwest_cause(&e)),
    }
}

/// `http(s)://host:port/path`, IPv6 hosts bracketed, the path absolute.
pub fn url_of(kind: ProbeKind, host: &str, port: u16, path: &str) -> String {
    let scheme = if kind == ProbeKind::Https {
        "https"
    } else {
        "http"
    };
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    let slash = if path.starts_with('/') { "" } else { "/" };
    format!("{scheme}://{host}:{port}{slash}{path}")
}

fn client(kind: ProbeKind) -> &'static reqwest::Client {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    static HTTPS: OnceLock<reqwest::Client> = OnceLock::new();
    let cell = if kind == ProbeKind::Https {
        &HTTPS
    } else {
        &HTTP
    };
    cell.get_or_init(|| {
        crate::http::install_crypto_provider();
        reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .tls_danger_accept_invalid_certs(kind == ProbeKind::Https)
            .user_agent(concat!("mesos-marathon/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the health check HTTP client always builds")
    })
}

/// The innermost cause of a request error, one line.
fn reqwest_cause(e: &reqwest::Error) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut last = e.to_string();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return io_cause(io);
        }
        last = s.to_string();
        source = s.source();
    }
    one_line(&last)
}

fn io_cause(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        ConnectionRefused => "Connection refused".into(),
        ConnectionReset => "Connection reset by peer".into(),
        ConnectionAborted => "Connection aborted".into(),
        TimedOut => "Connection timed out".into(),
        HostUnreachable => "No route to host".into(),
        NetworkUnreachable => "Network is unreachable".into(),
        UnexpectedEof => "Connection closed before a response".into(),
        _ => one_line(&e.to_string()),
    }
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_kinds() {
        assert_eq!(
            url_of(ProbeKind::Http, "10.0.0.1", 8080, "/health"),
            "http://10.0.0.1:8080/health"
        );
        assert_eq!(url_of(ProbeKind::Https, "h", 1, "x"), "https://h:1/x");
        assert_eq!(url_of(ProbeKind::Http, "::1", 80, "/"), "http://[::1]:80/");
        assert_eq!(ProbeKind::from_protocol("HTTPS"), Some(ProbeKind::Https));
        assert_eq!(ProbeKind::from_protocol("TCP"), Some(ProbeKind::Tcp));
        assert_eq!(ProbeKind::from_protocol("MESOS_HTTP"), None);
        assert_eq!(ProbeKind::from_protocol("COMMAND"), None);
        // Timeouts in failure causes read as the CLI writes durations.
        assert_eq!(format_duration(Duration::from_secs(2)), "2s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(format_duration(Duration::from_millis(250)), "250ms");
    }
}
