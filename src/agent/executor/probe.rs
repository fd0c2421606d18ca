//! One attempt of a health check: run a command, GET a URL or connect to a
//! port on the loopback address, bounded by the check's timeout. `Ok` is
//! healthy; `Err` says why not (one line, logged to the sandbox `stderr`).

use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::process::{describe_wait_status, signal_group};
use crate::duration::format_mesos_duration;
use crate::wire::agent_v1::CommandInfo;
use crate::wire::check::{CheckProbe, CheckResult};
use crate::wire::health_check::Probe;

/// Where and how a task's checks run.
#[derive(Clone, Debug)]
pub struct Runtime {
    /// The task's environment (a COMMAND check adds its own variables).
    pub env: Vec<(String, String)>,
    /// The sandbox: working directory of COMMAND checks.
    pub cwd: PathBuf,
    /// The sandbox `stderr`: output of COMMAND checks and failure logs.
    pub stderr: PathBuf,
}

/// Kills a check command's process group unless disarmed (on timeout, and
/// when the checker is stopped in the middle of an attempt).
struct GroupGuard(Option<u32>);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if let Some(pgid) = self.0.take() {
            signal_group(pgid, libc::SIGKILL);
        }
    }
}

/// Run one attempt of `probe`.
pub async fn attempt(
    probe: &Probe,
    rt: &Runtime,
    client: &reqwest::Client,
    timeout: Option<Duration>,
) -> Result<(), String> {
    match probe {
        Probe::Command(c) => command(c, rt, timeout).await,
        Probe::Http {
            scheme,
            port,
            path,
            statuses,
            ipv6,
        } => {
            let url = format!("{scheme}://{}:{port}{path}", host(*ipv6));
            bounded(timeout, "HTTP request", http(client, &url, statuses)).await
        }
        Probe::Tcp { port, ipv6 } => {
            let addr = format!("{}:{port}", host(*ipv6));
            bounded(timeout, "TCP connection", async {
                tokio::net::TcpStream::connect(&addr)
                    .await
                    .map(drop)
                    .map_err(|e| format!("Failed to connect to {addr}: {e}"))
            })
            .await
        }
    }
}

/// The loopback address (Mesos checks `127.0.0.1`, not `localhost`).
fn host(ipv6: bool) -> &'static str {
    if ipv6 {
        "[::1]"
    } else {
        "127.0.0.1"
    }
}

async fn bounded<T>(
    timeout: Option<Duration>,
    what: &str,
    f: impl std::future::Future<Output = Result<T, String>>,
) -> Result<T, String> {
    match timeout {
        None => f.await,
        Some(t) => tokio::time::timeout(t, f).await.unwrap_or_else(|_| {
            Err(format!(
                "{what} has not returned after {}; aborting",
                format_mesos_duration(t)
            ))
        }),
    }
}

/// A client for HTTP checks: follows redirects (as `curl -L`), does not
/// verify certificates (as `curl -k`), never uses a proxy.
pub fn http_client() -> reqwest::Client {
    crate::http::install_crypto_provider();
    reqwest::Client::builder()
        .no_proxy()
        .tls_danger_accept_invalid_certs(true)
        .build()
        .unwrap_or_default()
}

/// GET `url`: the answer's status code.
async fn http_code(client: &reqwest::Client, url: &str) -> Result<reqwest::StatusCode, String> {
    client
        .get(url)
        .send()
        .await
        .map(|r| r.status())
        .map_err(|e| format!("GET {url} failed: {}", error_chain(&e)))
}

async fn http(client: &reqwest::Client, url: &str, statuses: &[u32]) -> Result<(), String> {
    let code = http_code(client, url).await?;
    let ok = if statuses.is_empty() {
        (200..400).contains(&code.as_u16())
    } else {
        statuses.contains(&u32::from(code.as_u16()))
    };
    if ok {
        Ok(())
    } else {
        Err(format!("Unexpected HTTP response code: {code} (GET {url})"))
    }
}

/// An error and its causes on one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let more = c.to_string();
        if !s.contains(&more) {
            s.push_str(": ");
            s.push_str(&more);
        }
        cur = c.source();
    }
    s
}

fn output(stderr: &Path) -> std::process::Stdio {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(stderr)
        .map(std::process::Stdio::from)
        .unwrap_or_else(|_| std::process::Stdio::null())
}

/// A COMMAND check: the task's environment plus the check's own variables,
/// in the sandbox, output to the sandbox `stderr`, in a process group of
/// its own that is killed on timeout.
async fn command(c: &CommandInfo, rt: &Runtime, timeout: Option<Duration>) -> Result<(), String> {
    let status = run_command(c, rt, timeout).await?;
    if status.success() {
        Ok(())
    } else {
        Err(describe_wait_status(status.into_raw()))
    }
}

/// Run a check's command as [`command`] says: its wait status, or why it
/// could not be run to its end (not started, timed out).
async fn run_command(
    c: &CommandInfo,
    rt: &Runtime,
    timeout: Option<Duration>,
) -> Result<std::process::ExitStatus, String> {
    let value = c.value.clone().unwrap_or_default();
    let mut cmd = if c.shell() {
        let mut cmd = tokio::process::Command::new("/bin/sh");
        cmd.arg("-c").arg(&value);
        cmd
    } else {
        let mut cmd = tokio::process::Command::new(&value);
        if let Some((argv0, rest)) = c.arguments.split_first() {
            cmd.arg0(argv0).args(rest);
        }
        cmd
    };
    let mut env = rt.env.clone();
    let extra = c
        .environment
        .as_ref()
        .map(|e| e.variables.as_slice())
        .unwrap_or_default();
    for v in extra {
        if v.name.is_empty() || v.kind.as_deref() == Some("SECRET") {
            continue;
        }
        env.retain(|(k, _)| k != &v.name);
        env.push((v.name.clone(), v.value.clone().unwrap_or_default()));
    }
    cmd.env_clear()
        .envs(env)
        .current_dir(&rt.cwd)
        .stdin(std::process::Stdio::null())
        .stdout(output(&rt.stderr))
        .stderr(output(&rt.stderr))
        .kill_on_drop(true);
    // SAFETY: pre_exec has no safe form; the closure only calls setsid(2),
    // which is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            nix::unistd::setsid()?;
            Ok(())
        });
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("Failed to run the health check command '{value}': {e}"))?;
    let mut guard = GroupGuard(child.id());
    let waited = match timeout {
        None => Some(child.wait().await),
        Some(t) => tokio::time::timeout(t, child.wait()).await.ok(),
    };
    let Some(waited) = waited else {
        drop(guard);
        let _ = child.wait().await;
        return Err(format!(
            "Command has not returned after {}; aborting",
            format_mesos_duration(timeout.unwrap_or_default())
        ));
    };
    guard.0 = None;
    waited.map_err(|e| format!("Failed to reap the command process: {e}"))
}

/// Run one attempt of a general check (`TaskInfo.check`), bounded by its
/// timeout: the exit code of a COMMAND check that exited (a command
/// killed by a signal has none), the status code of any HTTP answer,
/// whether the TCP connection was made. A check that could not be
/// performed has no result, and the reason is logged to the sandbox
/// `stderr`.
pub async fn check_attempt(
    probe: &CheckProbe,
    rt: &Runtime,
    client: &reqwest::Client,
    timeout: Option<Duration>,
) -> CheckResult {
    let failed = |what: &str, why: String| {
        let msg = format!("{what} check failed: {why}");
        crate::daemon::log::append_glog(&rt.stderr, crate::daemon::log::Level::Warning, &msg);
    };
    match probe {
        CheckProbe::Command(c) => match run_command(c, rt, timeout).await {
            Ok(status) => CheckResult::Command(status.code()),
            Err(why) => {
                failed("COMMAND", why);
                CheckResult::Command(None)
            }
        },
        CheckProbe::Http { port, path } => {
            let url = format!("http://{}:{port}{path}", host(false));
            match bounded(timeout, "HTTP request", http_code(client, &url)).await {
                Ok(code) => CheckResult::Http(Some(code.as_u16())),
                Err(why) => {
                    failed("HTTP", why);
                    CheckResult::Http(None)
                }
            }
        }
        CheckProbe::Tcp { port } => {
            let addr = format!("{}:{port}", host(false));
            let connect = tokio::net::TcpStream::connect(&addr);
            let made = match timeout {
                None => Some(connect.await.is_ok()),
                Some(t) => tokio::time::timeout(t, connect)
                    .await
                    .ok()
                    .map(|r| r.is_ok()),
            };
            if made.is_none() {
                failed(
                    "TCP",
                    format!(
                        "connecting to {addr} has not returned after {}; aborting",
                        format_mesos_duration(timeout.unwrap_or_default())
                    ),
                );
            }
            CheckResult::Tcp(made)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt(dir: &Path) -> Runtime {
        Runtime {
            env: vec![
                ("PATH".into(), crate::agent::executor::DEFAULT_PATH.into()),
                ("FROM_TASK".into(), "yes".into()),
            ],
            cwd: dir.to_path_buf(),
            stderr: dir.join("stderr"),
        }
    }

    fn shell(script: &str) -> Probe {
        Probe::Command(CommandInfo {
            value: Some(script.into()),
            ..CommandInfo::default()
        })
    }

    #[tokio::test]
    async fn command_checks_run_in_the_sandbox_with_the_task_environment() {
        let dir = tempfile::tempdir().unwrap();
        let client = http_client();
        let t = Some(Duration::from_secs(10));
        std::fs::write(dir.path().join("marker"), "").unwrap();
        let r = rt(dir.path());
        assert_eq!(
            attempt(&shell("test -f marker"), &r, &client, t).await,
            Ok(())
        );
        assert_eq!(
            attempt(&shell("test \"$FROM_TASK\" = yes"), &r, &client, t).await,
            Ok(())
        );
        assert_eq!(
            attempt(&shell("exit 3"), &r, &client, t).await,
            Err("Command exited with status 3".into())
        );
        let argv = Probe::Command(CommandInfo {
            shell: Some(false),
            value: Some("/bin/sh".into()),
            arguments: vec!["sh".into(), "-c".into(), "exit 0".into()],
            ..CommandInfo::default()
        });
        assert_eq!(attempt(&argv, &r, &client, t).await, Ok(()));
    }

    #[tokio::test]
    async fn command_check_timeout_kills_its_process_group() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("bg.pid");
        let script = format!("sleep 30 & echo $! > {}; wait", pidfile.display());
        let started = std::time::Instant::now();
        let r = attempt(
            &shell(&script),
            &rt(dir.path()),
            &http_client(),
            Some(Duration::from_millis(500)),
        )
        .await;
        assert!(r.unwrap_err().contains("has not returned after"));
        assert!(started.elapsed() < Duration::from_secs(10));
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // The background `sleep` of the check is gone too (reaped by init).
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while crate::agent::executor::process::process_alive(pid as u32) {
            assert!(std::time::Instant::now() < deadline, "sleep {pid} survived");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    #[tokio::test]
    async fn tcp_and_http_checks() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            while let Ok((mut s, _)) = listener.accept().await {
                let mut buf = [0u8; 1024];
                let n = s.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]);
                let status = if request.starts_with("GET /ok ") {
                    "204 No Content"
                } else {
                    "503 Service Unavailable"
                };
                let _ = s
                    .write_all(
                        format!(
                            "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                        )
                        .as_bytes(),
                    )
                    .await;
            }
        });
        let dir = tempfile::tempdir().unwrap();
        let r = rt(dir.path());
        let client = http_client();
        let t = Some(Duration::from_secs(5));
        assert_eq!(
            attempt(&Probe::Tcp { port, ipv6: false }, &r, &client, t).await,
            Ok(())
        );
        let http = |path: &str, statuses: Vec<u32>| Probe::Http {
            scheme: "http".into(),
            port,
            path: path.into(),
            statuses,
            ipv6: false,
        };
        // 204 is healthy, 503 is not.
        assert_eq!(attempt(&http("/ok", vec![]), &r, &client, t).await, Ok(()));
        let e = attempt(&http("/bad", vec![]), &r, &client, t)
            .await
            .unwrap_err();
        assert!(e.contains("503"), "{e}");
        assert_eq!(
            attempt(&http("/bad", vec![503]), &r, &client, t).await,
            Ok(())
        );
        // Explicit statuses: 204 is not among them.
        let e = attempt(&http("/ok", vec![200]), &r, &client, t)
            .await
            .unwrap_err();
        assert!(e.contains("204"), "{e}");
        // Nothing listening.
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let closed = free.local_addr().unwrap().port();
        drop(free);
        let e = attempt(
            &Probe::Tcp {
                port: closed,
                ipv6: false,
            },
            &r,
            &client,
            t,
        )
        .await
        .unwrap_err();
        assert!(e.contains("Failed to connect"), "{e}");
    }

    #[tokio::test]
    async fn https_checks_do_not_verify_the_certificate() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        crate::http::install_crypto_provider();
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["somewhere.invalid".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let server = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
            )
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(server));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((s, _)) = listener.accept().await {
                let Ok(mut s) = acceptor.accept(s).await else {
                    continue;
                };
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf).await;
                let _ = s
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .await;
                let _ = s.shutdown().await;
            }
        });
        let dir = tempfile::tempdir().unwrap();
        let https = Probe::Http {
            scheme: "https".into(),
            port,
            path: "/".into(),
            statuses: vec![],
            ipv6: false,
        };
        let r = attempt(
            &https,
            &rt(dir.path()),
            &http_client(),
            Some(Duration::from_secs(10)),
        )
        .await;
        assert_eq!(r, Ok(()));
    }
}
