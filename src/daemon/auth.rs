//! HTTP Basic authentication of the bundled daemons, the real Mesos way
//! (docs/security.md "HTTP authentication"):
//!
//! * a credential store, [`Credentials`], read from `--credentials` (master)
//!   or `--http_credentials` (agent) in both real forms: JSON
//!   `{"credentials":[{"principal":"ops","secret":"s3cret"}]}` or text lines
//!   `principal secret`;
//! * realms named as in Mesos (`mesos-master-readonly`, ...), each enforced
//!   only when its `--authenticate_http_*` flag is on;
//! * a route layer ([`HttpAuth::protect`]) that answers `401 Unauthorized`
//!   with `WWW-Authenticate: Basic realm="<realm>"` and body
//!   `401 Unauthorized.` for a missing, malformed or wrong `Authorization`
//!   header, and otherwise passes the request on with the authenticated
//!   [`Principal`] in its extensions.
//!
//! Secrets never appear in logs or errors; failed attempts are logged at
//! WARNING with the principal (if any) and the peer address.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use base64::Engine as _;
use ring::hmac;
use serde_json::Value;

use super::flags::Flags;

/// Master realm of the read-only endpoints (`/state`, `/flags`, `/files/*`, ...).
pub const MASTER_READONLY: &str = "mesos-master-readonly";
/// Master realm of the read-write endpoints (`/api/v1`, `/teardown`).
pub const MASTER_READWRITE: &str = "mesos-master-readwrite";
/// Master realm of the v1 scheduler API (`--authenticate_http_frameworks`).
pub const MASTER_SCHEDULER: &str = "mesos-master-scheduler";
/// Agent realm of the read-only endpoints.
pub const AGENT_READONLY: &str = "mesos-agent-readonly";
/// Agent realm of the read-write endpoints.
pub const AGENT_READWRITE: &str = "mesos-agent-readwrite";

/// Realm of the bundled Marathon's REST API (Marathon's `--http_realm`
/// default).
pub const MARATHON: &str = "Mesosphere";

/// The only HTTP authenticator this implementation has.
pub const BASIC: &str = "basic";

/// Body of every 401, as libprocess writes it.
pub const UNAUTHORIZED_BODY: &str = "401 Unauthorized.";

/// The principal a request authenticated as (a request extension set by the
/// layer of [`HttpAuth::protect`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal(pub String);

/// A store of `principal -> secret`, kept only as keyed MACs so a check
/// costs the same whether or not the principal exists or the secret is
/// close (constant-time comparison by `ring`).
#[derive(Clone)]
pub struct Credentials {
    key: hmac::Key,
    tags: HashMap<String, hmac::Tag>,
    /// A tag no input produces in practice; compared against when the
    /// principal is unknown so that case takes as long as a wrong secret.
    decoy: hmac::Tag,
}

// Never print secrets, not even in debug output.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut p: Vec<&String> = self.tags.keys().collect();
        p.sort();
        write!(f, "Credentials({p:?}, secrets redacted)")
    }
}

impl Credentials {
    /// A store of the given `(principal, secret)` pairs (a later duplicate
    /// principal replaces an earlier one, as in Mesos).
    pub fn from_pairs<P, S>(pairs: impl IntoIterator<Item = (P, S)>) -> Credentials
    where
        P: Into<String>,
        S: AsRef<[u8]>,
    {
        let rng = ring::rand::SystemRandom::new();
        let key = hmac::Key::generate(hmac::HMAC_SHA256, &rng).unwrap_or_else(|_| {
            // No OS randomness: fall back to a per-process key; the MACs only
            // serve constant-time comparison, not secrecy at rest.
            let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
            hmac::Key::new(hmac::HMAC_SHA256, seed.as_bytes())
        });
        let decoy = hmac::sign(&key, b"\0decoy: no principal has this secret\0");
        let tags = pairs
            .into_iter()
            .map(|(p, s)| {
                let p = p.into();
                let tag = hmac::sign(&key, &material(&p, s.as_ref()));
                (p, tag)
            })
            .collect();
        Credentials { key, tags, decoy }
    }

    /// Read a credentials file (`file://` prefix allowed). Errors are one
    /// line naming the file and the problem, never a secret.
    pub fn load(path: &str) -> Result<Credentials, String> {
        read_credentials_file(path, Self::parse)
    }

    /// Parse the JSON or the text form. At least one credential is required.
    pub fn parse(text: &str) -> Result<Credentials, String> {
        let pairs = if text.trim_start().starts_with('{') {
            parse_json(text)?
        } else {
            parse_text(text)?
        };
        if pairs.is_empty() {
            return Err("the file must contain at least one credential".into());
        }
        Ok(Self::from_pairs(pairs))
    }

    /// Whether `principal` with `secret` is in the store, in time that does
    /// not depend on how much of the secret matches.
    pub fn check(&self, principal: &str, secret: &str) -> bool {
        let m = material(principal, secret.as_bytes());
        match self.tags.get(principal) {
            Some(tag) => hmac::verify(&self.key, &m, tag.as_ref()).is_ok(),
            None => {
                let _ = hmac::verify(&self.key, &m, self.decoy.as_ref());
                false
            }
        }
    }

    /// The principals in the store (sorted).
    pub fn principals(&self) -> Vec<String> {
        let mut p: Vec<String> = self.tags.keys().cloned().collect();
        p.sort();
        p
    }

    pub fn len(&self) -> usize {
        self.tags.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }
}

fn material(principal: &str, secret: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(principal.len() + 1 + secret.len());
    m.extend_from_slice(principal.as_bytes());
    m.push(0);
    m.extend_from_slice(secret);
    m
}

fn parse_json(text: &str) -> Result<Vec<(String, String)>, String> {
    // Syntax errors name a line and column only, never the content.
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("not valid JSON (line {}, column {})", e.line(), e.column()))?;
    let list = v
        .get("credentials")
        .and_then(Value::as_array)
        .ok_or("expected {\"credentials\":[{\"principal\":..,\"secret\":..}]}")?;
    let mut out = Vec::with_capacity(list.len());
    for (i, c) in list.iter().enumerate() {
        let n = i + 1;
        let principal = c
            .get("principal")
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty())
            .ok_or_else(|| format!("credential #{n} has no \"principal\" string"))?;
        let secret = c
            .get("secret")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("credential #{n} ('{principal}') has no \"secret\" string"))?;
        out.push((principal.to_string(), secret.to_string()));
    }
    Ok(out)
}

fn parse_text(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            [p, s] => out.push((p.to_string(), s.to_string())),
            _ => {
                return Err(format!(
                    "line {} is not 'principal secret' (two words)",
                    i + 1
                ))
            }
        }
    }
    Ok(out)
}

/// The `(principal, secret)` of an `Authorization: Basic ...` header value.
pub fn parse_basic(value: &str) -> Option<(String, String)> {
    let (scheme, rest) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()?;
    let s = String::from_utf8(raw).ok()?;
    let (p, sec) = s.split_once(':')?;
    Some((p.to_string(), sec.to_string()))
}

/// A realm as enforced: its name and the store checked against.
#[derive(Clone, Debug)]
struct Gate {
    realm: &'static str,
    creds: Arc<Credentials>,
    /// Executor tokens accepted too (the agent's read-write realm with
    /// `--authenticate_http_executors`).
    executors: Option<super::jwt::Key>,
}

/// The HTTP authentication of one daemon: the credential store and the
/// realms its flags turned on.
#[derive(Clone, Debug, Default)]
pub struct HttpAuth {
    creds: Option<Arc<Credentials>>,
    enabled: Vec<&'static str>,
    /// `--authenticate_http_executors`: the key of executor tokens.
    executor_key: Option<super::jwt::Key>,
}

impl HttpAuth {
    /// No realm enforced.
    pub fn off() -> HttpAuth {
        HttpAuth::default()
    }

    /// The store loaded from the credentials flag, if one was given (the
    /// master reuses it to authenticate agents).
    pub fn credentials(&self) -> Option<Arc<Credentials>> {
        self.creds.clone()
    }

    /// Whether `realm` is enforced.
    pub fn is_enabled(&self, realm: &str) -> bool {
        self.enabled.contains(&realm)
    }

    /// The realms enforced.
    pub fn enabled(&self) -> &[&'static str] {
        &self.enabled
    }

    /// Put every route of `router` in `realm`: when the realm is enforced,
    /// a request needs valid Basic credentials (else `401`); when it is not,
    /// the router is returned as is and credentials are ignored.
    pub fn protect<S>(&self, realm: &'static str, router: Router<S>) -> Router<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        match (&self.creds, self.is_enabled(realm)) {
            (Some(creds), true) => {
                let gate = Arc::new(Gate {
                    realm,
                    creds: creds.clone(),
                    executors: (realm == AGENT_READWRITE)
                        .then(|| self.executor_key.clone())
                        .flatten(),
                });
                router.route_layer(axum::middleware::from_fn_with_state(gate, require))
            }
            _ => router,
        }
    }

    /// The master's realms from its flags: `--credentials`,
    /// `--authenticate_http_readonly`, `--authenticate_http_readwrite`,
    /// `--authenticate_http_frameworks`, `--http_authenticators`,
    /// `--http_framework_authenticators`. Errors are one line.
    pub fn for_master(flags: &Flags) -> Result<HttpAuth, String> {
        let creds = load_flag(flags, "credentials")?;
        let mut auth = HttpAuth {
            creds,
            enabled: Vec::new(),
            executor_key: None,
        };
        check_authenticators(flags, "http_authenticators")?;
        if flags.bool("authenticate_http_frameworks")
            && flags.string("http_framework_authenticators").is_none()
        {
            return Err("Missing `--http_framework_authenticators` flag. This must be used in conjunction with `--authenticate_http_frameworks` (the only authenticator is 'basic')".into());
        }
        if flags.string("http_framework_authenticators").is_some() {
            check_authenticators(flags, "http_framework_authenticators")?;
        }
        for (flag, realm) in [
            ("authenticate_http_readonly", MASTER_READONLY),
            ("authenticate_http_readwrite", MASTER_READWRITE),
            ("authenticate_http_frameworks", MASTER_SCHEDULER),
        ] {
            auth.enable_if(flags, flag, realm, "credentials")?;
        }
        Ok(auth)
    }

    /// The agent's realms from its flags: `--http_credentials`,
    /// `--authenticate_http_readonly`, `--authenticate_http_readwrite`,
    /// `--http_authenticators`.
    pub fn for_agent(flags: &Flags) -> Result<HttpAuth, String> {
        let creds = load_flag(flags, "http_credentials")?;
        let mut auth = HttpAuth {
            creds,
            enabled: Vec::new(),
            executor_key: executor_key(flags)?,
        };
        check_authenticators(flags, "http_authenticators")?;
        for (flag, realm) in [
            ("authenticate_http_readonly", AGENT_READONLY),
            ("authenticate_http_readwrite", AGENT_READWRITE),
        ] {
            auth.enable_if(flags, flag, realm, "http_credentials")?;
        }
        Ok(auth)
    }

    /// The bundled Marathon's authentication: `--http_credentials` names a
    /// credentials file (the daemons' JSON or text form); when given, the
    /// whole REST API but `/ping` needs Basic credentials (realm
    /// [`MARATHON`]).
    pub fn for_marathon(flags: &Flags) -> Result<HttpAuth, String> {
        let creds = load_flag(flags, "http_credentials")?;
        let enabled = if creds.is_some() {
            vec![MARATHON]
        } else {
            Vec::new()
        };
        Ok(HttpAuth {
            creds,
            enabled,
            executor_key: None,
        })
    }

    /// With `--authenticate_http_executors`, the executor API needs a
    /// valid executor token (`Authorization: Bearer`, else `401`).
    pub fn protect_executor_api<S>(&self, router: Router<S>) -> Router<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        match &self.executor_key {
            Some(key) => router.route_layer(axum::middleware::from_fn_with_state(
                key.clone(),
                require_executor,
            )),
            None => router,
        }
    }

    fn enable_if(
        &mut self,
        flags: &Flags,
        flag: &str,
        realm: &'static str,
        creds_flag: &str,
    ) -> Result<(), String> {
        if !flags.bool(flag) {
            return Ok(());
        }
        if self.creds.is_none() {
            return Err(format!(
                "No credentials provided for the default '{BASIC}' HTTP authenticator for realm '{realm}': --{flag} needs --{creds_flag}"
            ));
        }
        self.enabled.push(realm);
        Ok(())
    }
}

/// `--jwt_secret_key` when `--authenticate_http_executors` is on.
pub fn executor_key(flags: &Flags) -> Result<Option<super::jwt::Key>, String> {
    if !flags.bool("authenticate_http_executors") {
        return Ok(None);
    }
    let Some(path) = flags.string("jwt_secret_key") else {
        return Err("--authenticate_http_executors needs --jwt_secret_key (the file holding the key that signs executor tokens)".into());
    };
    let key = super::jwt::Key::load(&path).map_err(|e| format!("--jwt_secret_key: {e}"))?;
    warn_if_open(&path, "jwt_secret_key");
    Ok(Some(key))
}

fn load_flag(flags: &Flags, name: &str) -> Result<Option<Arc<Credentials>>, String> {
    let Some(path) = flags.string(name) else {
        return Ok(None);
    };
    let creds = Credentials::load(&path).map_err(|e| format!("--{name}: {e}"))?;
    warn_if_open(&path, name);
    Ok(Some(Arc::new(creds)))
}

/// Mesos warns when others may read the credentials file.
fn warn_if_open(path: &str, flag: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = path.strip_prefix("file://").unwrap_or(path);
    if let Ok(md) = std::fs::metadata(path) {
        if md.permissions().mode() & 0o007 != 0 {
            crate::warning!(
                "Permissions on the --{flag} file '{path}' are too open; it is recommended that it is NOT accessible by others"
            );
        }
    }
}

fn check_authenticators(flags: &Flags, name: &str) -> Result<(), String> {
    let value = flags.get(name).unwrap_or(BASIC);
    let names: Vec<&str> = value.split(',').map(str::trim).collect();
    if names.iter().all(|n| n.is_empty()) {
        return Err(format!(
            "--{name}: no HTTP authenticator given (use '{BASIC}')"
        ));
    }
    if let Some(bad) = names.iter().find(|n| **n != BASIC) {
        return Err(format!(
            "--{name}: HTTP authenticator '{bad}' not found; the only one available is '{BASIC}'"
        ));
    }
    Ok(())
}

/// Read a credentials file (`file://` prefix allowed) and parse it with
/// `parse`; errors are one line naming the file, never its content.
fn read_credentials_file<T>(
    path: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, String> {
    let path = path.strip_prefix("file://").unwrap_or(path);
    let text = std::fs::read(path).map_err(|e| format!("cannot read '{path}': {e}"))?;
    let text = String::from_utf8(text).map_err(|_| format!("'{path}' is not UTF-8 text"))?;
    parse(&text).map_err(|e| format!("'{path}': {e}"))
}

/// An agent's own credential (`--credential`), defined with the
/// registration body it travels in.
pub use crate::wire::internal::AgentCredential;

impl AgentCredential {
    /// Read a credential file (`file://` prefix allowed): JSON
    /// `{"principal":"..","secret":".."}`, a credentials file with exactly
    /// one entry, or the text form `principal secret`. Errors are one line
    /// naming the file, never the secret.
    pub fn load(path: &str) -> Result<AgentCredential, String> {
        read_credentials_file(path, Self::parse)
    }

    /// Parse the forms [`AgentCredential::load`] accepts.
    pub fn parse(text: &str) -> Result<AgentCredential, String> {
        let mut pairs = if text.trim_start().starts_with('{') {
            match serde_json::from_str::<AgentCredential>(text) {
                Ok(c) => vec![(c.principal.clone(), c.secret().to_string())],
                Err(_) => parse_json(text)?,
            }
        } else {
            parse_text(text)?
        };
        if pairs.len() != 1 {
            return Err(format!(
                "expected exactly one credential, found {}",
                pairs.len()
            ));
        }
        let (principal, secret) = pairs.remove(0);
        if principal.is_empty() {
            return Err("the credential has an empty principal".into());
        }
        Ok(AgentCredential::new(principal, secret))
    }

    /// Whether `store` holds this credential.
    pub fn is_in(&self, store: &Credentials) -> bool {
        store.check(&self.principal, self.secret())
    }
}

/// The 401 of `realm`.
pub fn unauthorized(realm: &str) -> Response {
    Response::builder()
        .status(StatusCode::UNAUTHORIZED)
        .header(header::WWW_AUTHENTICATE, format!("Basic realm=\"{realm}\""))
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(UNAUTHORIZED_BODY))
        .unwrap_or_default()
}

async fn require(State(gate): State<Arc<Gate>>, mut req: Request, next: Next) -> Response {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().ok().and_then(parse_basic));
    if let Some(key) = &gate.executors {
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(super::jwt::bearer);
        if let Some(claims) = token.and_then(|t| key.verify(t).ok()) {
            let who = claims.get("eid").cloned().unwrap_or_default();
            req.extensions_mut()
                .insert(Principal(format!("executor:{who}")));
            return next.run(req).await;
        }
    }
    if let Some(Some((principal, secret))) = &given {
        if gate.creds.check(principal, secret) {
            let principal = Principal(principal.clone());
            req.extensions_mut().insert(principal);
            return next.run(req).await;
        }
    }
    // Refused: say who and from where (never the secret).
    let peer = super::peer_addr(req.extensions());
    let path = req.uri().path();
    let realm = gate.realm;
    match given {
        Some(Some((principal, _))) => crate::warning!(
            "Failed to authenticate principal '{}' from {peer} for {path} (realm '{realm}'): wrong principal or secret",
            printable(&principal)
        ),
        Some(None) => crate::warning!(
            "Failed to authenticate a request from {peer} for {path} (realm '{realm}'): malformed Authorization header (expecting Basic)"
        ),
        None => crate::warning!(
            "Refused a request without credentials from {peer} for {path} (realm '{realm}')"
        ),
    }
    unauthorized(realm)
}

/// The executor API with `--authenticate_http_executors`: a token this
/// agent signed, else `401` (the token is never logged).
async fn require_executor(
    State(key): State<super::jwt::Key>,
    req: Request,
    next: Next,
) -> Response {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(super::jwt::bearer);
    let why = match token.map(|t| key.verify(t)) {
        Some(Ok(_)) => return next.run(req).await,
        Some(Err(e)) => e,
        None => "no 'Authorization: Bearer' token".to_string(),
    };
    let peer = super::peer_addr(req.extensions());
    crate::warning!(
        "Refused an executor API request from {peer} for {}: {why}",
        req.uri().path()
    );
    Response::builder()
        .status(StatusCode::UNAUTHORIZED)
        .header(
            header::WWW_AUTHENTICATE,
            "Bearer realm=\"mesos-agent-executor\"",
        )
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(UNAUTHORIZED_BODY))
        .unwrap_or_default()
}

/// A principal as logged: control characters escaped, long names cut.
fn printable(p: &str) -> String {
    let mut s: String = p.chars().take(128).flat_map(char::escape_default).collect();
    if p.chars().count() > 128 {
        s.push_str("...");
    }
    s
}

#[cfg(test)]
mod tests {

    #[test]
    fn agent_credential_forms() {
        let c = AgentCredential::parse(r#"{"principal":"agent","secret":"pw"}"#).unwrap();
        assert_eq!(c.principal, "agent");
        let store = Credentials::from_pairs([("agent", "pw")]);
        assert!(c.is_in(&store));
        assert!(!AgentCredential::new("agent", "nope").is_in(&store));
        let c = AgentCredential::parse("agent pw\n").unwrap();
        assert!(c.is_in(&store));
        let c = AgentCredential::parse(r#"{"credentials":[{"principal":"agent","secret":"pw"}]}"#)
            .unwrap();
        assert!(c.is_in(&store));
        assert!(!format!("{c:?}").contains("pw"));
        let e = AgentCredential::parse("a x\nb y\n").unwrap_err();
        assert!(e.contains("exactly one"), "{e}");
        assert!(!e.contains("a x") && !e.contains("b y"), "{e}");
    }

    use super::*;

    #[test]
    fn both_file_forms_and_check() {
        let j = Credentials::parse(
            r#"{"credentials":[{"principal":"ops","secret":"s3cret"},{"principal":"fw","secret":"x y"}]}"#,
        )
        .unwrap();
        assert!(j.check("ops", "s3cret"));
        assert!(j.check("fw", "x y"));
        assert!(!j.check("ops", "s3cre"));
        assert!(!j.check("ops", "s3cret "));
        assert!(!j.check("nobody", "s3cret"));
        assert_eq!(j.principals(), vec!["fw", "ops"]);
        let t = Credentials::parse("ops s3cret\n\n  fw\tother  \n").unwrap();
        assert!(t.check("ops", "s3cret"));
        assert!(t.check("fw", "other"));
        assert!(!t.check("fw", "s3cret"));
    }

    #[test]
    fn bad_files_are_one_line_without_secrets() {
        let e = Credentials::parse("ops s3cret extra\n").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
        assert!(!e.contains("s3cret"), "{e}");
        let e =
            Credentials::parse(r#"{"credentials":[{"principal":"ops","secret":42}]}"#).unwrap_err();
        assert!(e.contains("ops") && e.contains("secret"), "{e}");
        assert!(!e.contains("42"), "{e}");
        let e = Credentials::parse(r#"{"credentials":[{"principal":"ops","secret":"s3cret"#)
            .unwrap_err();
        assert!(e.contains("not valid JSON"), "{e}");
        assert!(!e.contains("s3cret"), "{e}");
        assert!(Credentials::parse("").unwrap_err().contains("at least one"));
        assert!(Credentials::parse(r#"{"credentials":[]}"#)
            .unwrap_err()
            .contains("at least one"));
        assert!(Credentials::load("/nonexistent/creds")
            .unwrap_err()
            .contains("cannot read '/nonexistent/creds'"));
        assert!(!format!("{:?}", Credentials::parse("ops s3cret").unwrap()).contains("s3cret"));
    }

    #[test]
    fn basic_header() {
        let h = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("ops:s3:cret")
        );
        assert_eq!(parse_basic(&h), Some(("ops".into(), "s3:cret".into())));
        assert_eq!(parse_basic("Bearer abc"), None);
        assert_eq!(parse_basic("Basic !!!"), None);
        let no_colon = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("ops")
        );
        assert_eq!(parse_basic(&no_colon), None);
    }

    fn flags(args: &[&str]) -> Flags {
        let specs = crate::master::flags::SPECS;
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        match crate::daemon::flags::parse("mesos master", specs, &args, |_| None).unwrap() {
            crate::daemon::flags::Parsed::Flags(f) => f,
            _ => unreachable!(),
        }
    }

    #[test]
    fn master_flags() {
        let dir = std::env::temp_dir().join(format!("mesos-auth-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let c = dir.join("creds");
        std::fs::write(&c, "ops s3cret\n").unwrap();
        std::fs::set_permissions(&c, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        let cflag = format!("--credentials={}", c.display());
        let e = HttpAuth::for_master(&flags(&["--authenticate_http_readonly"])).unwrap_err();
        assert!(
            e.contains("mesos-master-readonly") && e.contains("--credentials"),
            "{e}"
        );
        let a = HttpAuth::for_master(&flags(&["--authenticate_http_readonly", &cflag])).unwrap();
        assert!(a.is_enabled(MASTER_READONLY) && !a.is_enabled(MASTER_READWRITE));
        let e =
            HttpAuth::for_master(&flags(&["--authenticate_http_frameworks", &cflag])).unwrap_err();
        assert!(e.contains("--http_framework_authenticators"), "{e}");
        let a = HttpAuth::for_master(&flags(&[
            "--authenticate_http_frameworks",
            "--http_framework_authenticators=basic",
            &cflag,
        ]))
        .unwrap();
        assert!(a.is_enabled(MASTER_SCHEDULER));
        let e =
            HttpAuth::for_master(&flags(&["--http_authenticators=kerberos", &cflag])).unwrap_err();
        assert!(e.contains("'kerberos'"), "{e}");
        let e = HttpAuth::for_master(&flags(&["--credentials=/nonexistent"])).unwrap_err();
        assert!(
            e.starts_with("--credentials: cannot read '/nonexistent'"),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
