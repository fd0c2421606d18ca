//! The internal master <-> agent protocol of the bundled daemons: plain
//! HTTP/JSON, documented in docs/internal-protocol.md. Public Mesos APIs
//! (v0, v1 operator, scheduler, executor) are NOT here: they follow
//! docs/wire-notes.md. The bodies are typed once, in
//! [`crate::wire::internal`] (re-exported here); this module adds the
//! session token.
//!
//! Every call except `register` is authenticated with the agent's session
//! token (see [`session`]): the master hands a fresh random token to an
//! agent in its [`RegisterResponse`]; both sides then carry it as
//! `Authorization: Bearer <token>` and refuse calls without it.

pub use crate::wire::internal::{
    paths, Acknowledge, KillTask, Ping, RegisterRequest, RegisterResponse, RunTask,
    ShutdownFramework, StatusUpdate, ToAgent,
};

/// The session token of the internal protocol.
pub mod session {
    use axum::http::{header, HeaderMap, HeaderValue};

    /// A session token held in memory; its `Debug` form never shows it.
    #[derive(Clone, PartialEq, Eq, Default)]
    pub struct Token(String);

    impl Token {
        /// A fresh random token ([`new_token`]).
        pub fn generate() -> Result<Token, String> {
            new_token().map(Token)
        }
        /// Wrap a token received on the wire.
        pub fn from_wire(s: String) -> Token {
            Token(s)
        }
        pub fn as_str(&self) -> &str {
            &self.0
        }
        /// Whether the request headers carry this token.
        pub fn presented_in(&self, headers: &HeaderMap) -> bool {
            matches(from_headers(headers), &self.0)
        }
        /// The `Authorization` header value carrying it.
        pub fn header_value(&self) -> HeaderValue {
            header_value(&self.0)
        }
    }

    impl std::fmt::Debug for Token {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Token(<redacted>)")
        }
    }

    /// A new random token: 32 bytes from the system's secure random source, hex.
    /// Without secure randomness there is no token (never a guessable one).
    pub fn new_token() -> Result<String, String> {
        use ring::rand::SecureRandom;
        let mut b = [0u8; 32];
        ring::rand::SystemRandom::new()
            .fill(&mut b)
            .map_err(|_| "the system's secure random source failed".to_string())?;
        Ok(b.iter().map(|x| format!("{x:02x}")).collect())
    }

    /// The `Authorization` header value carrying `token`, marked sensitive
    /// so that it never shows up in debug output.
    pub fn header_value(token: &str) -> HeaderValue {
        let mut v = HeaderValue::from_str(&format!("Bearer {token}"))
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer -"));
        v.set_sensitive(true);
        v
    }

    /// The bearer token of a request, if any.
    pub fn from_headers(headers: &HeaderMap) -> Option<&str> {
        headers
            .get(header::AUTHORIZATION)?
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")
            .map(str::trim)
    }

    /// Whether `presented` is `expected`, in time independent of where
    /// they differ.
    pub fn matches(presented: Option<&str>, expected: &str) -> bool {
        let Some(p) = presented else {
            return false;
        };
        let (a, b) = (p.as_bytes(), expected.as_bytes());
        if a.len() != b.len() || b.is_empty() {
            return false;
        }
        a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn tokens_are_random_and_compared_exactly() {
            let t = new_token().unwrap();
            assert_eq!(t.len(), 64);
            assert_ne!(t, new_token().unwrap());
            let mut h = HeaderMap::new();
            assert!(!matches(from_headers(&h), &t));
            h.insert(header::AUTHORIZATION, header_value(&t));
            assert!(matches(from_headers(&h), &t));
            let mut wrong = t.clone();
            wrong.replace_range(63..64, if t.ends_with('0') { "1" } else { "0" });
            assert!(!matches(Some(&wrong), &t));
            assert!(!matches(Some(""), ""));
            assert!(!matches(Some(&t[..10]), &t));
            let tok = Token::from_wire(t.clone());
            assert!(tok.presented_in(&h));
            assert!(!format!("{tok:?}").contains(&t));
        }
    }
}
