//! Start-up checks of flag values that need more than a type: where the
//! master is (`--master` of the agent, `--zk` of the master) must parse and
//! its hosts resolve, and `--weights` must be `role=weight,...`. Each error
//! is one line naming the flag; the daemons exit 1 with it
//! ([`FlagError::value`]) instead of retrying forever or ignoring the value.

use std::collections::BTreeMap;
use std::net::ToSocketAddrs;

use super::flags::{FlagError, Flags};
use super::log::{self, Level};
use crate::leader::spec::{parse_master_spec, MasterSpec};

/// What every bundled daemon does first: TLS from the `LIBPROCESS_SSL_*`
/// environment, logging as `program` (to `--log_dir` when given) and
/// `--quiet`. Returns the log file (with `--log_dir`), or the one line to
/// print before exiting 1.
pub fn init_process(
    program: &str,
    level: Level,
    flags: &Flags,
) -> Result<Option<std::path::PathBuf>, String> {
    super::tls::init_from_env().map_err(|e| e.to_string())?;
    let log_dir = flags.string("log_dir").map(std::path::PathBuf::from);
    let file = log::init(program, level, log_dir.as_deref())
        .map_err(|e| format!("cannot open a log file in --log_dir: {e}"))?;
    if flags.bool("quiet") {
        log::set_quiet_stderr(true);
    }
    Ok(file)
}

/// How a host list may be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ports {
    /// Every entry names its port (`host:port`, `master@host:port`), as the
    /// real agent requires: a bare word is not a master.
    Required,
    /// Entries without a port use the default.
    Optional,
}

/// Parse a master location (`host:port[,...]`, `master@host:port`,
/// `zk://...`, `file:///path`) given with `flag`, read a `file://` once, and
/// resolve the host names. Fails when the value cannot be parsed, the file
/// cannot be read, or none of the hosts resolves (a partial failure is only
/// logged: the ensemble may still be reachable).
pub fn check_master_location(flag: &str, value: &str, ports: Ports) -> Result<(), FlagError> {
    check_location(flag, value, ports, 0)
}

fn check_location(flag: &str, value: &str, ports: Ports, depth: u8) -> Result<(), FlagError> {
    let spec = parse_master_spec(value, "http")
        .map_err(|e| FlagError::value(e.message.replace("--master", flag)))?;
    let hosts: Vec<(String, u16)> = match &spec {
        MasterSpec::File(path) => {
            if depth > 0 {
                return Err(FlagError::value(format!(
                    "{flag}: '{}' names another file; it must hold host:port or zk://...",
                    path.display()
                )));
            }
            let text = std::fs::read_to_string(path).map_err(|e| {
                FlagError::value(format!("{flag}: cannot read '{}': {e}", path.display()))
            })?;
            return check_location(flag, text.trim(), ports, depth + 1);
        }
        MasterSpec::Hosts(urls) => {
            if ports == Ports::Required {
                for entry in value.split(',') {
                    require_port(flag, entry.trim())?;
                }
            }
            urls.iter()
                .filter_map(|u| Some((u.host_str()?.to_string(), u.port_or_known_default()?)))
                .collect()
        }
        MasterSpec::Zk(zk) => zk
            .hosts
            .iter()
            .map(|h| match h.rsplit_once(':') {
                Some((host, port)) => (host.to_string(), port.parse().unwrap_or(2181)),
                None => (h.clone(), 2181),
            })
            .collect(),
    };
    let mut failures = Vec::new();
    for (host, port) in &hosts {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if let Err(e) = (host, *port).to_socket_addrs() {
            failures.push(format!("cannot resolve host '{host}': {e}"));
        }
    }
    match failures.len() {
        0 => Ok(()),
        n if n == hosts.len() => Err(FlagError::value(format!("{flag}: {}", failures.join("; ")))),
        _ => {
            for f in failures {
                crate::warning!("{flag}: {f}");
            }
            Ok(())
        }
    }
}

/// `host:port`, `master@host:port`, `http(s)://host:port[/path]`.
fn require_port(flag: &str, entry: &str) -> Result<(), FlagError> {
    let after_scheme = entry.split_once("://").map(|(_, r)| r).unwrap_or(entry);
    let authority = after_scheme.split('/').next().unwrap_or("");
    let host_port = authority
        .rsplit_once('@')
        .map(|(_, a)| a)
        .unwrap_or(authority);
    let has_port = host_port
        .rsplit_once(':')
        .is_some_and(|(h, p)| !h.is_empty() && !h.ends_with(':') && p.parse::<u16>().is_ok());
    if has_port {
        Ok(())
    } else {
        Err(FlagError::value(format!(
            "{flag} '{entry}' is not a master address: expected host:port, master@host:port, zk://host:port/path or file:///path"
        )))
    }
}

/// `--weights`: `role=weight[,role=weight...]`, each weight a positive number.
pub fn parse_weights(value: &str) -> Result<BTreeMap<String, f64>, FlagError> {
    let mut out = BTreeMap::new();
    for entry in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let Some((role, weight)) = entry.split_once('=') else {
            return Err(FlagError::value(format!(
                "--weights: '{entry}' is not role=weight"
            )));
        };
        let (role, weight) = (role.trim(), weight.trim());
        if role.is_empty() || role.contains(['/', ' ', '\t']) || role == "." || role == ".." {
            return Err(FlagError::value(format!(
                "--weights: '{role}' is not a valid role name"
            )));
        }
        let w: f64 = weight.parse().map_err(|_| {
            FlagError::value(format!(
                "--weights: the weight '{weight}' of role '{role}' is not a number"
            ))
        })?;
        if !w.is_finite() || w <= 0.0 {
            return Err(FlagError::value(format!(
                "--weights: the weight of role '{role}' must be a positive number, not '{weight}'"
            )));
        }
        out.insert(role.to_string(), w);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights() {
        let w = parse_weights("a=1.5, b=2").unwrap();
        assert_eq!(w["a"], 1.5);
        assert_eq!(w["b"], 2.0);
        assert!(parse_weights("").unwrap().is_empty());
        let e = parse_weights("a=abc").unwrap_err();
        assert_eq!(
            e.message,
            "--weights: the weight 'abc' of role 'a' is not a number"
        );
        assert_eq!(e.exit_code(), 1);
        assert!(parse_weights("a")
            .unwrap_err()
            .message
            .contains("not role=weight"));
        assert!(parse_weights("a=0")
            .unwrap_err()
            .message
            .contains("positive"));
        assert!(parse_weights("a=-1").is_err());
        assert!(parse_weights("a=NaN").is_err());
        assert!(parse_weights("=1").is_err());
    }

    #[test]
    fn master_locations() {
        let ok = |v: &str| check_master_location("--master", v, Ports::Required);
        assert!(ok("127.0.0.1:5050").is_ok());
        assert!(ok("master@127.0.0.1:5050").is_ok());
        assert!(ok("localhost:5050").is_ok());
        assert!(ok("zk://127.0.0.1:2181/mesos").is_ok());
        let e = ok("not-a-master").unwrap_err();
        assert!(
            e.message
                .starts_with("--master 'not-a-master' is not a master address"),
            "{e}"
        );
        let e = ok("nosuchhost.invalid:5050").unwrap_err();
        assert!(
            e.message
                .starts_with("--master: cannot resolve host 'nosuchhost.invalid'"),
            "{e}"
        );
        let e = ok("file:///nonexistent/master").unwrap_err();
        assert!(
            e.message
                .starts_with("--master: cannot read '/nonexistent/master'"),
            "{e}"
        );
        let e = ok("zk://nosuchhost.invalid:2181/mesos").unwrap_err();
        assert!(
            e.message
                .contains("cannot resolve host 'nosuchhost.invalid'"),
            "{e}"
        );
        // A bare host is fine where ports are optional (the master's --zk
        // never has one, but a file may).
        assert!(check_master_location("--zk", "localhost", Ports::Optional).is_ok());
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("m");
        std::fs::write(&f, "127.0.0.1:5050\n").unwrap();
        assert!(ok(&format!("file://{}", f.display())).is_ok());
    }
}
