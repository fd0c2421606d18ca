//! Executor authentication tokens, as Mesos' agent makes them with
//! `--authenticate_http_executors` and `--jwt_secret_key`: an HS256 JSON
//! Web Token per executor whose claims name its framework (`fid`),
//! executor (`eid`) and container (`cid`). The agent hands it to the
//! executor in `MESOS_EXECUTOR_AUTHENTICATION_TOKEN`; the executor sends it
//! as `Authorization: Bearer` to the executor API and to the operator API
//! (its nested-container calls). The key never appears in logs or `Debug`.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ring::hmac;

/// The variable the token travels in to the executor.
pub const TOKEN_VAR: &str = "MESOS_EXECUTOR_AUTHENTICATION_TOKEN";

/// The signing key (`--jwt_secret_key`'s file content).
#[derive(Clone)]
pub struct Key(Arc<hmac::Key>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

impl Key {
    pub fn new(secret: &[u8]) -> Key {
        Key(Arc::new(hmac::Key::new(hmac::HMAC_SHA256, secret)))
    }

    /// Read the key file (`file://` prefix allowed); errors are one line
    /// naming the file, never its content.
    pub fn load(path: &str) -> Result<Key, String> {
        let path = path.strip_prefix("file://").unwrap_or(path);
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read '{path}': {e}"))?;
        if bytes.is_empty() {
            return Err(format!("'{path}' is empty"));
        }
        Ok(Key::new(&bytes))
    }

    /// A signed token carrying `claims`.
    pub fn sign(&self, claims: &BTreeMap<String, String>) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
        let input = format!("{header}.{payload}");
        let tag = hmac::sign(&self.0, input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    }

    /// The string claims of a token this key signed (HS256 only); `Err`
    /// says what is wrong with it, without echoing it.
    pub fn verify(&self, token: &str) -> Result<BTreeMap<String, String>, String> {
        let mut parts = token.trim().split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("not a JSON Web Token (three dot-separated parts)".into());
        };
        let header: serde_json::Value = URL_SAFE_NO_PAD
            .decode(h)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or("the token header is not base64url JSON")?;
        if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
            return Err("the token is not signed with HS256".into());
        }
        let sig = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| "the token signature is not base64url")?;
        hmac::verify(&self.0, format!("{h}.{p}").as_bytes(), &sig)
            .map_err(|_| "the token signature does not match".to_string())?;
        let claims: serde_json::Map<String, serde_json::Value> = URL_SAFE_NO_PAD
            .decode(p)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or("the token payload is not base64url JSON")?;
        Ok(claims
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect())
    }
}

/// The bearer token of an `Authorization` header value.
pub fn bearer(value: &str) -> Option<&str> {
    let (scheme, rest) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(rest.trim())
        .filter(|t| !t.is_empty())
}

/// The claims of an executor's token.
pub fn executor_claims(fid: &str, eid: &str, cid: Option<&str>) -> BTreeMap<String, String> {
    let mut c = BTreeMap::new();
    c.insert("fid".to_string(), fid.to_string());
    c.insert("eid".to_string(), eid.to_string());
    if let Some(cid) = cid {
        c.insert("cid".to_string(), cid.to_string());
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_with_their_key_only() {
        let k = Key::new(b"s3cret");
        let t = k.sign(&executor_claims("f1", "e1", Some("c1")));
        let claims = k.verify(&t).unwrap();
        assert_eq!(claims["fid"], "f1");
        assert_eq!(claims["eid"], "e1");
        assert_eq!(claims["cid"], "c1");
        assert!(Key::new(b"other")
            .verify(&t)
            .unwrap_err()
            .contains("does not match"));
        let mut parts: Vec<&str> = t.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(br#"{"fid":"f2","eid":"e1"}"#);
        parts[1] = &forged;
        assert!(k.verify(&parts.join(".")).is_err());
        assert!(k.verify("abc").is_err());
        assert!(!format!("{k:?}").contains("s3cret"));
        assert_eq!(bearer("Bearer abc.d.e"), Some("abc.d.e"));
        assert_eq!(bearer("Basic abc"), None);
    }
}
