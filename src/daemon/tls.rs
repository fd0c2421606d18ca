//! TLS for the bundled daemons, configured the way libprocess configures
//! real Mesos: environment variables only, read once at start-up.
//!
//! | variable (`LIBPROCESS_SSL_*`, or the pre-1.0 `SSL_*`) | meaning |
//! |---|---|
//! | `ENABLED` | serve TLS, and speak TLS to other daemons |
//! | `SUPPORT_DOWNGRADE` | also accept plain HTTP on the same port |
//! | `CERT_FILE`, `KEY_FILE` | PEM certificate (chain) and private key; required when enabled |
//! | `CA_FILE`, `CA_DIR` | PEM CA certificate(s) trusted for peers |
//! | `VERIFY_SERVER_CERT` (older name `VERIFY_CERT`) | verify the certificate of daemons we call |
//! | `REQUIRE_CLIENT_CERT` (older name `REQUIRE_CERT`) | require and verify client certificates; implies verifying server certificates |
//!
//! Booleans are `true`/`1` or `false`/`0` exactly, as libprocess parses
//! them. `LIBPROCESS_SSL_*` wins over `SSL_*` (a warning names a
//! disagreement). Any problem is one line naming the variable.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The prefixes libprocess reads, the current one first.
const PREFIX: &str = "LIBPROCESS_SSL_";
const OLD_PREFIX: &str = "SSL_";

/// Variables libprocess knows that we accept but do not act on (rustls
/// picks protocol versions and cipher suites itself: TLS 1.2 and 1.3 with
/// modern AEAD suites only).
const IGNORED: &[&str] = &[
    "VERIFY_DEPTH",
    "VERIFY_IPADD",
    "CIPHERS",
    "ECDH_CURVES",
    "HOSTNAME_VALIDATION_SCHEME",
    "ENABLE_SSL_V3",
    "ENABLE_TLS_V1_0",
    "ENABLE_TLS_V1_1",
    "ENABLE_TLS_V1_2",
    "ENABLE_TLS_V1_3",
    "ENABLE_DOWNGRADE",
];

/// The typed configuration, before any file is read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsConfig {
    pub enabled: bool,
    pub support_downgrade: bool,
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    pub ca_file: Option<PathBuf>,
    pub ca_dir: Option<PathBuf>,
    /// Verify the certificates of servers we connect to.
    pub verify_server_cert: bool,
    /// Require (and verify) client certificates on our port.
    pub require_client_cert: bool,
}

impl TlsConfig {
    /// Read the configuration from `var` (the process environment in
    /// production). Returns the configuration and warnings to log.
    pub fn from_vars(
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<(TlsConfig, Vec<String>), String> {
        let mut warnings = Vec::new();
        // (name actually set, value) with LIBPROCESS_SSL_ taking precedence.
        let get = |key: &str, warnings: &mut Vec<String>| -> Option<(String, String)> {
            let new = var(&format!("{PREFIX}{key}"));
            let old = var(&format!("{OLD_PREFIX}{key}"));
            match (new, old) {
                (Some(n), Some(o)) => {
                    if n != o {
                        warnings.push(format!(
                            "Mismatched values for SSL environment variables {OLD_PREFIX}{key} and {PREFIX}{key}; using {PREFIX}{key}"
                        ));
                    }
                    Some((format!("{PREFIX}{key}"), n))
                }
                (Some(n), None) => Some((format!("{PREFIX}{key}"), n)),
                (None, Some(o)) => Some((format!("{OLD_PREFIX}{key}"), o)),
                (None, None) => None,
            }
        };
        let boolean = |key: &str, warnings: &mut Vec<String>| -> Result<bool, String> {
            match get(key, warnings) {
                None => Ok(false),
                Some((name, v)) => parse_bool(&v).ok_or_else(|| {
                    format!("{name}='{v}' is not a boolean (use true/1 or false/0)")
                }),
            }
        };
        let path = |key: &str, warnings: &mut Vec<String>| -> Result<Option<PathBuf>, String> {
            match get(key, warnings) {
                None => Ok(None),
                Some((name, v)) if v.is_empty() => Err(format!("{name} is set but empty")),
                Some((_, v)) => Ok(Some(PathBuf::from(v))),
            }
        };
        let enabled = boolean("ENABLED", &mut warnings)?;
        let support_downgrade = boolean("SUPPORT_DOWNGRADE", &mut warnings)?;
        let verify_server_cert =
            boolean("VERIFY_SERVER_CERT", &mut warnings)? | boolean("VERIFY_CERT", &mut warnings)?;
        let require_client_cert = boolean("REQUIRE_CLIENT_CERT", &mut warnings)?
            | boolean("REQUIRE_CERT", &mut warnings)?;
        let cfg = TlsConfig {
            enabled,
            support_downgrade,
            cert_file: path("CERT_FILE", &mut warnings)?,
            key_file: path("KEY_FILE", &mut warnings)?,
            ca_file: path("CA_FILE", &mut warnings)?,
            ca_dir: path("CA_DIR", &mut warnings)?,
            // As in libprocess: requiring client certificates implies
            // verifying server certificates.
            verify_server_cert: verify_server_cert || require_client_cert,
            require_client_cert,
        };
        if cfg.enabled {
            for key in IGNORED {
                if let Some((name, _)) = get(key, &mut warnings) {
                    warnings.push(format!(
                        "{name} is not supported by this build and is ignored (rustls negotiates TLS 1.2/1.3 with its default cipher suites)"
                    ));
                }
            }
        }
        Ok((cfg, warnings))
    }

    /// Load and check the files: the certificate and key (which must
    /// match), the CA certificates. `None` when TLS is off.
    pub fn load(&self) -> Result<Option<Tls>, String> {
        if !self.enabled {
            return Ok(None);
        }
        crate::http::install_crypto_provider();
        let cert_file = self.cert_file.as_ref().ok_or(
            "LIBPROCESS_SSL_ENABLED=true requires a certificate: set LIBPROCESS_SSL_CERT_FILE",
        )?;
        let key_file = self.key_file.as_ref().ok_or(
            "LIBPROCESS_SSL_ENABLED=true requires a private key: set LIBPROCESS_SSL_KEY_FILE",
        )?;
        let cert_pem = read("LIBPROCESS_SSL_CERT_FILE", cert_file)?;
        let chain = pem_certs(&cert_pem)
            .map_err(|e| format!("LIBPROCESS_SSL_CERT_FILE {}: {e}", cert_file.display()))?;
        let key_pem = read("LIBPROCESS_SSL_KEY_FILE", key_file)?;
        let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
            format!(
                "LIBPROCESS_SSL_KEY_FILE {} holds no PEM private key ({e})",
                key_file.display()
            )
        })?;
        let mut ca = Vec::new();
        if let Some(f) = &self.ca_file {
            let pem = read("LIBPROCESS_SSL_CA_FILE", f)?;
            ca.extend(
                pem_certs(&pem)
                    .map_err(|e| format!("LIBPROCESS_SSL_CA_FILE {}: {e}", f.display()))?,
            );
        }
        if let Some(d) = &self.ca_dir {
            ca.extend(ca_dir_certs(d)?);
        }
        if self.require_client_cert && ca.is_empty() {
            return Err("LIBPROCESS_SSL_REQUIRE_CERT=true needs the CA that signs client certificates: set LIBPROCESS_SSL_CA_FILE or LIBPROCESS_SSL_CA_DIR".into());
        }
        let server = server_config(self, chain, key, &ca)?;
        let mut identity_pem = cert_pem.clone();
        identity_pem.push(b'\n');
        identity_pem.extend_from_slice(&key_pem);
        let identity = reqwest::Identity::from_pem(&identity_pem).map_err(|e| {
            format!(
                "LIBPROCESS_SSL_KEY_FILE {}: cannot be used as a client identity: {e}",
                key_file.display()
            )
        })?;
        let roots = ca
            .iter()
            .map(|c| reqwest::Certificate::from_der(c.as_ref()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("LIBPROCESS_SSL_CA_FILE/CA_DIR: unusable certificate: {e}"))?;
        Ok(Some(Tls {
            config: self.clone(),
            acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(server)),
            client: crate::http::ClientTls {
                roots,
                identity: Some(identity),
                verify: self.verify_server_cert,
            },
        }))
    }
}

/// libprocess (stout) booleans.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

fn read(var: &str, path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{var} {}: cannot read: {e}", path.display()))
}

fn pem_certs(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("not a PEM certificate file ({e})"))?;
    if certs.is_empty() {
        return Err("holds no PEM certificate".into());
    }
    Ok(certs)
}

/// Every PEM certificate in the files of `dir` (OpenSSL-style hashed
/// directories hold one per file; other files are skipped).
fn ca_dir_certs(dir: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "LIBPROCESS_SSL_CA_DIR {}: cannot read the directory: {e}",
            dir.display()
        )
    })?;
    let mut certs = Vec::new();
    for entry in rd.flatten() {
        let p = entry.path();
        if !p.is_file() {
            continue;
        }
        if let Ok(pem) = std::fs::read(&p) {
            if let Ok(c) = pem_certs(&pem) {
                certs.extend(c);
            }
        }
    }
    if certs.is_empty() {
        return Err(format!(
            "LIBPROCESS_SSL_CA_DIR {} holds no PEM certificate",
            dir.display()
        ));
    }
    Ok(certs)
}

fn server_config(
    cfg: &TlsConfig,
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    ca: &[CertificateDer<'static>],
) -> Result<rustls::ServerConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up failed: {e}"))?;
    let builder = if cfg.require_client_cert {
        let mut roots = rustls::RootCertStore::empty();
        for c in ca {
            roots.add(c.clone()).map_err(|e| {
                format!("LIBPROCESS_SSL_CA_FILE/CA_DIR: unusable CA certificate: {e}")
            })?;
        }
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| format!("LIBPROCESS_SSL_REQUIRE_CERT: {e}"))?;
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let mut server = builder.with_single_cert(chain, key).map_err(|e| {
        let what = match &e {
            rustls::Error::InconsistentKeys(_) => {
                "does not match the certificate in LIBPROCESS_SSL_CERT_FILE".to_string()
            }
            other => format!("cannot be used with the certificate ({other})"),
        };
        format!(
            "LIBPROCESS_SSL_KEY_FILE {} {what}",
            cfg.key_file.as_deref().unwrap_or(Path::new("")).display()
        )
    })?;
    server.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(server)
}

/// Loaded TLS material: what the server presents and accepts, and what our
/// clients (daemon to daemon) trust and present.
#[derive(Clone)]
pub struct Tls {
    pub config: TlsConfig,
    pub acceptor: tokio_rustls::TlsAcceptor,
    pub client: crate::http::ClientTls,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls").field("config", &self.config).finish()
    }
}

impl Tls {
    /// Apply the client side to a reqwest builder (daemon-to-daemon calls).
    pub fn client_builder(&self, b: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        self.client.apply(b)
    }
}

static GLOBAL: OnceLock<Option<Tls>> = OnceLock::new();

/// Read the environment and load the files once at start-up, logging
/// warnings to stderr. Errors are one line naming the variable (exit 1).
pub fn init_from_env() -> Result<Option<&'static Tls>, String> {
    let (cfg, warnings) = TlsConfig::from_vars(|k| std::env::var(k).ok())?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let tls = cfg.load()?;
    let _ = GLOBAL.set(tls);
    Ok(current())
}

/// The daemon's TLS settings (`None`: plain HTTP).
pub fn current() -> Option<&'static Tls> {
    GLOBAL.get().and_then(Option::as_ref)
}

/// `https` when this daemon speaks TLS, else `http`: the scheme of the URLs
/// it calls other daemons at and advertises to clients.
pub fn scheme() -> &'static str {
    if current().is_some() {
        "https"
    } else {
        "http"
    }
}

/// Log what TLS does (after the log is set up).
pub fn log_summary() {
    let Some(t) = current() else { return };
    let c = &t.config;
    crate::info!(
        "TLS enabled (certificate {}){}",
        c.cert_file.as_deref().unwrap_or(Path::new("")).display(),
        if c.support_downgrade {
            "; plain HTTP is accepted on the same port (LIBPROCESS_SSL_SUPPORT_DOWNGRADE)"
        } else {
            ""
        }
    );
    if c.require_client_cert {
        crate::info!("Will require client certificates for incoming TLS connections");
    }
    if c.verify_server_cert {
        crate::info!("Will verify server certificates for outgoing TLS connections");
    } else {
        crate::warning!(
            "Will not verify server certificates! Set LIBPROCESS_SSL_VERIFY_CERT=true to verify them"
        );
    }
    if c.support_downgrade && (c.require_client_cert || c.verify_server_cert) {
        crate::warning!(
            "Certificate verification is on but can be bypassed because TLS downgrades are enabled"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(vars: &[(&str, &str)]) -> Result<(TlsConfig, Vec<String>), String> {
        let m: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        TlsConfig::from_vars(|k| m.get(k).cloned())
    }

    #[test]
    fn booleans_are_libprocess_spellings() {
        for (v, want) in [("true", true), ("1", true), ("false", false), ("0", false)] {
            let (c, _) = cfg(&[("LIBPROCESS_SSL_ENABLED", v)]).unwrap();
            assert_eq!(c.enabled, want, "{v}");
        }
        for bad in ["yes", "TRUE", "", "on", "2"] {
            let e = cfg(&[("LIBPROCESS_SSL_ENABLED", bad)]).unwrap_err();
            assert!(e.starts_with("LIBPROCESS_SSL_ENABLED="), "{e}");
            assert!(e.contains("not a boolean"), "{e}");
        }
    }

    #[test]
    fn old_prefix_is_read_and_the_new_one_wins() {
        let (c, w) = cfg(&[("SSL_ENABLED", "true"), ("SSL_CERT_FILE", "/c")]).unwrap();
        assert!(c.enabled);
        assert_eq!(c.cert_file.as_deref(), Some(Path::new("/c")));
        assert!(w.is_empty());
        let (c, w) = cfg(&[
            ("SSL_SUPPORT_DOWNGRADE", "true"),
            ("LIBPROCESS_SSL_SUPPORT_DOWNGRADE", "false"),
        ])
        .unwrap();
        assert!(!c.support_downgrade);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("Mismatched"), "{w:?}");
        let e = cfg(&[("SSL_VERIFY_CERT", "maybe")]).unwrap_err();
        assert!(e.starts_with("SSL_VERIFY_CERT="), "{e}");
    }

    #[test]
    fn require_implies_verify_and_old_names_alias_new_ones() {
        let (c, _) = cfg(&[("LIBPROCESS_SSL_REQUIRE_CERT", "1")]).unwrap();
        assert!(c.require_client_cert && c.verify_server_cert);
        let (c, _) = cfg(&[("LIBPROCESS_SSL_VERIFY_SERVER_CERT", "true")]).unwrap();
        assert!(c.verify_server_cert && !c.require_client_cert);
        let (c, _) = cfg(&[("LIBPROCESS_SSL_REQUIRE_CLIENT_CERT", "true")]).unwrap();
        assert!(c.require_client_cert);
        let (c, _) = cfg(&[]).unwrap();
        assert_eq!(c, TlsConfig::default());
    }

    #[test]
    fn missing_files_name_the_variable() {
        let base = TlsConfig {
            enabled: true,
            ..TlsConfig::default()
        };
        let e = base.load().unwrap_err();
        assert!(e.contains("LIBPROCESS_SSL_CERT_FILE"), "{e}");
        let c = TlsConfig {
            cert_file: Some("/nonexistent/cert.pem".into()),
            ..base.clone()
        };
        let e = c.load().unwrap_err();
        assert!(e.contains("LIBPROCESS_SSL_KEY_FILE"), "{e}");
        let c = TlsConfig {
            key_file: Some("/nonexistent/key.pem".into()),
            ..c
        };
        let e = c.load().unwrap_err();
        assert!(
            e.starts_with("LIBPROCESS_SSL_CERT_FILE /nonexistent/cert.pem: cannot read"),
            "{e}"
        );
        assert!(!e.contains('\n'));
        // Disabled: nothing is read.
        assert!(TlsConfig::default().load().unwrap().is_none());
    }
}
