//! `mesos cluster up --secure`: a throw-away CA, a certificate per host,
//! and credentials, so every daemon of a dev cluster runs with TLS and HTTP
//! authentication on.
//!
//! Everything is generated afresh by each `up` that starts a cluster (the
//! CA key is never written anywhere: it signs the host certificates in
//! memory and is dropped). Files are written 0600 in a 0700 directory:
//!
//! | file | what | used by |
//! |---|---|---|
//! | `ca.crt` | the cluster's CA certificate | daemons (`LIBPROCESS_SSL_CA_FILE`), CLI (`ca_file`) |
//! | `<host>.crt`, `<host>.key` | certificate (SANs: every name and address of the host) and key | daemons of that host |
//! | `credentials.json` | `{"credentials":[operator, agent, marathon]}` | masters (`--credentials`) |
//! | `http_credentials.json` | `{"credentials":[operator]}` | agents and `mesos marathon` (`--http_credentials`) |
//! | `agent_credential.json` | `{"principal":"agent","secret":..}` | agents (`--credential`) |
//! | `marathon.secret` | the framework secret of `mesos marathon` | `--mesos_authentication_secret_file` |
//! | `admin.secret` | the operator's secret | CLI (`secret_file`), only on this machine |
//!
//! Secrets come from `ring`'s `SystemRandom` and only ever live in these
//! files: daemons get file paths on their command lines, never a secret.

use std::collections::BTreeMap;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use base64::Engine;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};

use super::SecureError;
use crate::error::Result;

/// Directory of the security files, inside the cluster directory here and
/// inside the work dir on SSH hosts.
pub const SECURE_DIR: &str = "secure";
/// The operator's principal (CLI, `mesos execute`, frameworks).
pub const OPERATOR: &str = "admin";
/// The principal agents register with.
pub const AGENT: &str = "agent";
/// The framework principal `mesos marathon` subscribes with.
pub const MARATHON: &str = "marathon";

pub const CA_FILE: &str = "ca.crt";
pub const CREDENTIALS_FILE: &str = "credentials.json";
pub const HTTP_CREDENTIALS_FILE: &str = "http_credentials.json";
pub const AGENT_CREDENTIAL_FILE: &str = "agent_credential.json";
pub const OPERATOR_SECRET_FILE: &str = "admin.secret";
pub const MARATHON_SECRET_FILE: &str = "marathon.secret";

/// What a secured cluster records in `cluster.json` (paths on this machine;
/// never a secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Security {
    /// The directory holding the files below (0700).
    pub dir: String,
    /// The CA certificate every daemon's certificate chains to.
    pub ca_file: String,
    /// The operator principal the profile uses.
    pub principal: String,
    /// File with the operator's secret (0600).
    pub secret_file: String,
}

/// One credential, as Mesos reads it.
#[derive(Clone, Serialize, Deserialize)]
pub struct Credential {
    pub principal: String,
    pub secret: String,
}

// Never print secrets, not even in debug output.
impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credential({}, <redacted>)", self.principal)
    }
}

#[derive(Serialize)]
struct Credentials<'a> {
    credentials: Vec<&'a Credential>,
}

/// A host's certificate and key (PEM).
#[derive(Clone)]
pub struct HostCert {
    pub cert_pem: String,
    pub key_pem: String,
}

impl std::fmt::Debug for HostCert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HostCert(<key redacted>)")
    }
}

/// Everything `up --secure` generates, in memory.
#[derive(Clone, Debug)]
pub struct Material {
    pub ca_pem: String,
    pub operator: Credential,
    pub agent: Credential,
    /// The framework credential of `mesos marathon`.
    pub marathon: Credential,
    /// By host name (as the cluster names it).
    pub hosts: BTreeMap<String, HostCert>,
}

/// The names a host's daemons are reached by: its name and its address
/// (both go into the certificate's subject alternative names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostNames {
    /// The host as the cluster names it (`127.0.0.1`, `node1`, ...).
    pub host: String,
    /// Every DNS name and IP address to put into the certificate.
    pub names: Vec<String>,
}

impl HostNames {
    /// A host known by `host` and reached at `ip` (duplicates dropped).
    pub fn new(host: &str, ip: &str, extra: &[&str]) -> HostNames {
        let mut names: Vec<String> = Vec::new();
        for n in [host, ip].into_iter().chain(extra.iter().copied()) {
            if !n.is_empty() && !names.iter().any(|x| x == n) {
                names.push(n.to_string());
            }
        }
        HostNames {
            host: host.to_string(),
            names,
        }
    }
}

fn random_bytes(n: usize) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; n];
    SystemRandom::new()
        .fill(&mut buf)
        .map_err(|_| SecureError::NoRandom)?;
    Ok(buf)
}

/// A fresh random secret: 32 bytes, base64url without padding (43 chars).
pub fn random_secret() -> Result<String> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(32)?))
}

fn serial() -> Result<SerialNumber> {
    let mut b = random_bytes(16)?;
    b[0] &= 0x7f; // positive
    Ok(SerialNumber::from_slice(&b))
}

fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> SecureError {
    SecureError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

fn cert_error(e: rcgen::Error) -> SecureError {
    SecureError::Certificate(e)
}

fn san(name: &str) -> Result<SanType> {
    match name.parse::<std::net::IpAddr>() {
        Ok(ip) => Ok(SanType::IpAddress(ip)),
        Err(_) => Ok(SanType::DnsName(name.try_into().map_err(|cause| {
            SecureError::BadCertName {
                name: name.to_string(),
                cause,
            }
        })?)),
    }
}

/// Generate the CA, one certificate per host and the credentials of
/// cluster `cluster`.
pub fn generate(cluster: &str, hosts: &[HostNames]) -> Result<Material> {
    let ca_key = KeyPair::generate().map_err(cert_error)?;
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca.distinguished_name = DistinguishedName::new();
    ca.distinguished_name
        .push(DnType::CommonName, format!("mesos cluster {cluster} CA"));
    ca.serial_number = Some(serial()?);
    let ca_cert = ca.self_signed(&ca_key).map_err(cert_error)?;
    let issuer = Issuer::new(ca, ca_key);

    let mut out = BTreeMap::new();
    for h in hosts {
        let key = KeyPair::generate().map_err(cert_error)?;
        let mut p = CertificateParams::default();
        p.subject_alt_names = h.names.iter().map(|n| san(n)).collect::<Result<_>>()?;
        p.distinguished_name = DistinguishedName::new();
        p.distinguished_name
            .push(DnType::CommonName, h.host.clone());
        p.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        // Daemons are servers and, towards each other, clients.
        p.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        p.serial_number = Some(serial()?);
        let cert = p.signed_by(&key, &issuer).map_err(cert_error)?;
        out.insert(
            h.host.clone(),
            HostCert {
                cert_pem: cert.pem(),
                key_pem: key.serialize_pem(),
            },
        );
    }
    Ok(Material {
        ca_pem: ca_cert.pem(),
        operator: Credential {
            principal: OPERATOR.into(),
            secret: random_secret()?,
        },
        agent: Credential {
            principal: AGENT.into(),
            secret: random_secret()?,
        },
        marathon: Credential {
            principal: MARATHON.into(),
            secret: random_secret()?,
        },
        hosts: out,
    })
}

/// File stem of a host's certificate and key: the host name with anything
/// but letters, digits, `.`, `-` and `_` replaced.
pub fn host_stem(host: &str) -> String {
    let s: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.starts_with('.') {
        format!("host{s}")
    } else {
        s
    }
}

pub fn cert_file_name(host: &str) -> String {
    format!("{}.crt", host_stem(host))
}

pub fn key_file_name(host: &str) -> String {
    format!("{}.key", host_stem(host))
}

/// Which daemons a host runs (they decide which files it gets).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HostRoles {
    pub master: bool,
    pub agent: bool,
    /// Runs `mesos marathon`.
    pub marathon: bool,
}

impl Material {
    /// The files a host needs (name in the security dir, content): the CA,
    /// its certificate and key, the masters' credentials and/or the agents'
    /// HTTP credentials and registration credential, `mesos marathon` the
    /// HTTP credentials and its framework secret. With `operator` also
    /// the operator's secret file (this machine only).
    pub fn files_for(
        &self,
        host: &str,
        roles: HostRoles,
        operator: bool,
    ) -> Result<Vec<(String, String)>> {
        let mut files = vec![(CA_FILE.to_string(), self.ca_pem.clone())];
        if roles.master || roles.agent || roles.marathon {
            let c = self
                .hosts
                .get(host)
                .ok_or_else(|| SecureError::NoCertificate(host.to_string()))?;
            files.push((cert_file_name(host), c.cert_pem.clone()));
            files.push((key_file_name(host), c.key_pem.clone()));
        }
        if roles.master {
            files.push((
                CREDENTIALS_FILE.into(),
                json(&Credentials {
                    credentials: vec![&self.operator, &self.agent, &self.marathon],
                }),
            ));
        }
        if roles.agent || roles.marathon {
            files.push((
                HTTP_CREDENTIALS_FILE.into(),
                json(&Credentials {
                    credentials: vec![&self.operator],
                }),
            ));
        }
        if roles.agent {
            files.push((AGENT_CREDENTIAL_FILE.into(), json(&self.agent)));
        }
        if roles.marathon {
            files.push((
                MARATHON_SECRET_FILE.into(),
                format!("{}\n", self.marathon.secret),
            ));
        }
        if operator {
            files.push((
                OPERATOR_SECRET_FILE.into(),
                format!("{}\n", self.operator.secret),
            ));
        }
        Ok(files)
    }
}

/// Pretty JSON with a trailing newline (plain structs: cannot fail).
fn json<T: Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// Create `dir` (and missing parents) and make it 0700.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Write `files` into `dir` (0700, files 0600), replacing what was there.
pub fn write_files(dir: &Path, files: &[(String, String)]) -> Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    private_dir(dir).map_err(|e| io_error("create", dir, e))?;
    for (name, content) in files {
        let p = dir.join(name);
        crate::fsutil::write_private(&p, content.as_bytes())
            .map_err(|e| io_error("write", &p, e))?;
    }
    Ok(())
}

/// The record of the files written into `dir` on this machine.
pub fn security_of(dir: &Path) -> Security {
    let s = |p: PathBuf| p.to_string_lossy().into_owned();
    Security {
        dir: s(dir.to_path_buf()),
        ca_file: s(dir.join(CA_FILE)),
        principal: OPERATOR.into(),
        secret_file: s(dir.join(OPERATOR_SECRET_FILE)),
    }
}

/// Generate the security files of a cluster on this machine, all of whose
/// daemons listen on `ip`, into `<dir>/secure` (the cluster directory
/// `dir` becomes 0700).
pub fn write_local(dir: &Path, name: &str, ip: &str) -> Result<Security> {
    private_dir(dir).map_err(|e| io_error("create", dir, e))?;
    let m = generate(name, &[HostNames::new(ip, ip, &["localhost"])])?;
    let all = HostRoles {
        master: true,
        agent: true,
        marathon: true,
    };
    let sdir = dir.join(SECURE_DIR);
    write_files(&sdir, &m.files_for(ip, all, true)?)?;
    Ok(security_of(&sdir))
}

/// The `LIBPROCESS_SSL_*` environment of a daemon of `host` whose security
/// files are in `dir` (on that host): TLS on, peers verified against the
/// cluster CA.
pub fn tls_env(dir: &str, host: &str) -> Vec<(String, String)> {
    let p = |f: String| format!("{}/{f}", dir.trim_end_matches('/'));
    vec![
        ("LIBPROCESS_SSL_ENABLED".into(), "true".into()),
        ("LIBPROCESS_SSL_CERT_FILE".into(), p(cert_file_name(host))),
        ("LIBPROCESS_SSL_KEY_FILE".into(), p(key_file_name(host))),
        ("LIBPROCESS_SSL_CA_FILE".into(), p(CA_FILE.into())),
        ("LIBPROCESS_SSL_VERIFY_CERT".into(), "true".into()),
    ]
}

/// Master flags of a secured cluster (credentials by file path only).
pub fn master_flags(dir: &str) -> Vec<String> {
    let dir = dir.trim_end_matches('/');
    vec![
        "--authenticate_http_readonly".into(),
        "--authenticate_http_readwrite".into(),
        "--authenticate_http_frameworks".into(),
        "--http_framework_authenticators=basic".into(),
        "--authenticate_agents".into(),
        format!("--credentials={dir}/{CREDENTIALS_FILE}"),
    ]
}

/// Agent flags of a secured cluster (credentials by file path only).
pub fn agent_flags(dir: &str) -> Vec<String> {
    let dir = dir.trim_end_matches('/');
    vec![
        "--authenticate_http_readonly".into(),
        "--authenticate_http_readwrite".into(),
        format!("--http_credentials={dir}/{HTTP_CREDENTIALS_FILE}"),
        format!("--credential={dir}/{AGENT_CREDENTIAL_FILE}"),
    ]
}

/// `mesos marathon` flags of a secured cluster: the framework principal and
/// its secret file towards the master, HTTP Basic authentication on its
/// REST API with the operator's credentials (file paths only).
pub fn marathon_flags(dir: &str) -> Vec<String> {
    let dir = dir.trim_end_matches('/');
    vec![
        format!("--mesos_authentication_principal={MARATHON}"),
        format!("--mesos_authentication_secret_file={dir}/{MARATHON_SECRET_FILE}"),
        format!("--http_credentials={dir}/{HTTP_CREDENTIALS_FILE}"),
    ]
}

/// The TLS variables of this process's environment (`LIBPROCESS_SSL_*`,
/// and the old-style switch `SSL_ENABLED`): never passed on to the daemons
/// `up` starts, which get [`tls_env`] or nothing, so a stray
/// `LIBPROCESS_SSL_ENABLED` in the user's shell changes no cluster. (Other
/// `SSL_*` variables such as OpenSSL's `SSL_CERT_FILE` are left to tasks.)
pub fn tls_env_names() -> impl Iterator<Item = String> {
    std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .filter(|k| k.starts_with("LIBPROCESS_SSL_") || k == "SSL_ENABLED")
}

/// Read the operator's credential of a secured cluster (for probes).
pub fn operator_credential(sec: &Security) -> Result<Credential> {
    let secret = std::fs::read_to_string(&sec.secret_file).map_err(|source| {
        SecureError::SecretUnreadable {
            file: sec.secret_file.clone(),
            source,
        }
    })?;
    let secret = secret.trim_end_matches(['\n', '\r']).to_string();
    if secret.is_empty() {
        return Err(SecureError::EmptySecret(sec.secret_file.clone()).into());
    }
    Ok(Credential {
        principal: sec.principal.clone(),
        secret,
    })
}

/// Files or directories under `dir` that others may read or write (mode
/// bits beyond 0600 for files, 0700 for directories), as `path (mode)`.
pub fn loose_modes(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&d) else {
            continue;
        };
        let mode = meta.permissions().mode() & 0o7777;
        if meta.is_dir() {
            if mode & 0o077 != 0 {
                out.push(format!("{} ({mode:o})", d.display()));
            }
            if let Ok(rd) = std::fs::read_dir(&d) {
                stack.extend(rd.flatten().map(|e| e.path()));
            }
        } else if mode & 0o177 != 0 {
            out.push(format!("{} ({mode:o})", d.display()));
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::client::danger::ServerCertVerifier;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

    fn local() -> Vec<HostNames> {
        vec![HostNames::new("127.0.0.1", "127.0.0.1", &["localhost"])]
    }

    /// The host certificate verifies against the CA for every name.
    fn verifies(m: &Material, host: &str, name: &str) -> bool {
        crate::http::install_crypto_provider();
        let ca = CertificateDer::from_pem_slice(m.ca_pem.as_bytes()).unwrap();
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca).unwrap();
        let verifier = rustls::client::WebPkiServerVerifier::builder(std::sync::Arc::new(roots))
            .build()
            .unwrap();
        let cert = CertificateDer::from_pem_slice(m.hosts[host].cert_pem.as_bytes()).unwrap();
        verifier
            .verify_server_cert(
                &cert,
                &[],
                &ServerName::try_from(name.to_string()).unwrap(),
                &[],
                UnixTime::now(),
            )
            .is_ok()
    }

    #[test]
    fn host_certificates_chain_to_the_ca_for_every_name() {
        let m = generate(
            "dev",
            &[
                HostNames::new("node1", "10.0.0.1", &[]),
                HostNames::new("127.0.0.1", "127.0.0.1", &["localhost"]),
            ],
        )
        .unwrap();
        assert!(verifies(&m, "node1", "node1"));
        assert!(verifies(&m, "node1", "10.0.0.1"));
        assert!(!verifies(&m, "node1", "10.0.0.2"));
        assert!(!verifies(&m, "node1", "node2"));
        assert!(verifies(&m, "127.0.0.1", "127.0.0.1"));
        assert!(verifies(&m, "127.0.0.1", "localhost"));
        // Another cluster's CA does not vouch for these certificates.
        let other = generate("dev", &local()).unwrap();
        let mixed = Material {
            ca_pem: other.ca_pem.clone(),
            ..m.clone()
        };
        assert!(!verifies(&mixed, "node1", "node1"));
        // The key parses as the daemons read it.
        rustls::pki_types::PrivateKeyDer::from_pem_slice(m.hosts["node1"].key_pem.as_bytes())
            .unwrap();
    }

    #[test]
    fn secrets_are_random_and_never_debug_printed() {
        let a = random_secret().unwrap();
        let b = random_secret().unwrap();
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        let m = generate("dev", &local()).unwrap();
        let dbg = format!("{m:?}");
        assert!(!dbg.contains(&m.operator.secret), "{dbg}");
        assert!(!dbg.contains(&m.agent.secret), "{dbg}");
        assert!(!dbg.contains(&m.marathon.secret), "{dbg}");
        assert!(!dbg.contains("PRIVATE KEY"), "{dbg}");
        assert_ne!(m.operator.secret, m.agent.secret);
    }

    #[test]
    fn files_are_private_and_in_the_mesos_formats() {
        let m = generate("dev", &local()).unwrap();
        let all = HostRoles {
            master: true,
            agent: true,
            marathon: true,
        };
        let files = m.files_for("127.0.0.1", all, true).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("c").join(SECURE_DIR);
        write_files(&dir, &files).unwrap();
        assert_eq!(loose_modes(&dir), Vec::<String>::new());
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        for name in [
            CA_FILE,
            "127.0.0.1.crt",
            "127.0.0.1.key",
            CREDENTIALS_FILE,
            HTTP_CREDENTIALS_FILE,
            AGENT_CREDENTIAL_FILE,
            OPERATOR_SECRET_FILE,
            MARATHON_SECRET_FILE,
        ] {
            assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
        }
        let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
        let creds: serde_json::Value = serde_json::from_str(&read(CREDENTIALS_FILE)).unwrap();
        let principals: Vec<&str> = creds["credentials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["principal"].as_str().unwrap())
            .collect();
        assert_eq!(principals, ["admin", "agent", "marathon"]);
        assert_eq!(
            creds["credentials"][2]["secret"],
            m.marathon.secret.as_str()
        );
        assert_eq!(read(MARATHON_SECRET_FILE).trim_end(), m.marathon.secret);
        assert_eq!(
            creds["credentials"][0]["secret"],
            m.operator.secret.as_str()
        );
        let http: serde_json::Value = serde_json::from_str(&read(HTTP_CREDENTIALS_FILE)).unwrap();
        assert_eq!(http["credentials"].as_array().unwrap().len(), 1);
        let one: serde_json::Value = serde_json::from_str(&read(AGENT_CREDENTIAL_FILE)).unwrap();
        assert_eq!(one["principal"], "agent");
        assert_eq!(one["secret"], m.agent.secret.as_str());
        assert_eq!(read(OPERATOR_SECRET_FILE).trim_end(), m.operator.secret);
        let sec = security_of(&dir);
        assert_eq!(operator_credential(&sec).unwrap().secret, m.operator.secret);

        // A loosened file is reported.
        std::fs::set_permissions(dir.join(CA_FILE), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        let loose = loose_modes(&dir);
        assert_eq!(loose.len(), 1, "{loose:?}");
        assert!(loose[0].ends_with("ca.crt (644)"), "{loose:?}");
    }

    #[test]
    fn hosts_get_only_the_files_their_daemons_need() {
        let m = generate(
            "dev",
            &[
                HostNames::new("m1", "10.0.0.1", &[]),
                HostNames::new("a1", "10.0.0.2", &[]),
            ],
        )
        .unwrap();
        let names = |host, roles| -> Vec<String> {
            m.files_for(host, roles, false)
                .unwrap()
                .into_iter()
                .map(|(n, _)| n)
                .collect()
        };
        let master = HostRoles {
            master: true,
            ..HostRoles::default()
        };
        let agent = HostRoles {
            agent: true,
            ..HostRoles::default()
        };
        let marathon = HostRoles {
            master: true,
            marathon: true,
            ..HostRoles::default()
        };
        assert_eq!(
            names("m1", master),
            ["ca.crt", "m1.crt", "m1.key", "credentials.json"]
        );
        assert_eq!(
            names("a1", agent),
            [
                "ca.crt",
                "a1.crt",
                "a1.key",
                "http_credentials.json",
                "agent_credential.json"
            ]
        );
        assert_eq!(
            names("m1", marathon),
            [
                "ca.crt",
                "m1.crt",
                "m1.key",
                "credentials.json",
                "http_credentials.json",
                "marathon.secret"
            ]
        );
        assert!(m.files_for("nope", agent, false).is_err());
        // Only this machine gets the operator's secret file.
        let here = m.files_for("m1", HostRoles::default(), true).unwrap();
        assert_eq!(here.len(), 2);
        assert_eq!(here[1].0, OPERATOR_SECRET_FILE);
    }

    #[test]
    fn daemons_get_paths_never_secrets() {
        let m = generate("dev", &local()).unwrap();
        let mut all: Vec<String> = master_flags("/s/");
        all.extend(agent_flags("/s"));
        all.extend(marathon_flags("/s/"));
        all.extend(
            tls_env("/s", "127.0.0.1")
                .into_iter()
                .map(|(k, v)| format!("{k}={v}")),
        );
        for a in &all {
            assert!(!a.contains(&m.operator.secret) && !a.contains(&m.agent.secret));
            assert!(!a.contains(&m.marathon.secret));
        }
        assert!(all.contains(&"--mesos_authentication_principal=marathon".to_string()));
        assert!(all.contains(&"--mesos_authentication_secret_file=/s/marathon.secret".to_string()));
        assert!(all.contains(&"--credentials=/s/credentials.json".to_string()));
        assert!(all.contains(&"--credential=/s/agent_credential.json".to_string()));
        assert!(all.contains(&"--http_credentials=/s/http_credentials.json".to_string()));
        assert!(all.contains(&"--authenticate_agents".to_string()));
        assert!(all.contains(&"LIBPROCESS_SSL_CERT_FILE=/s/127.0.0.1.crt".to_string()));
        assert!(all.contains(&"LIBPROCESS_SSL_KEY_FILE=/s/127.0.0.1.key".to_string()));
        assert!(all.contains(&"LIBPROCESS_SSL_CA_FILE=/s/ca.crt".to_string()));
        assert!(all.contains(&"LIBPROCESS_SSL_VERIFY_CERT=true".to_string()));
    }

    #[test]
    fn host_names_become_safe_file_names() {
        assert_eq!(host_stem("node-1.example.com"), "node-1.example.com");
        assert_eq!(host_stem("a/b"), "a_b");
        assert_eq!(host_stem(".."), "host..");
        assert_eq!(host_stem(""), "host");
        assert_eq!(
            HostNames::new("127.0.0.1", "127.0.0.1", &["localhost"]).names,
            ["127.0.0.1", "localhost"]
        );
    }
}
