//! Media-type negotiation of the Cosmos API, as Cosmos (finch) does it:
//!
//! * `Content-Type` must be compatible with the op's request type: same
//!   type and subtype, and every parameter of the expected type (`charset`,
//!   `version`) present with the same value. Names and values compare
//!   case-insensitively, order does not matter, extra parameters are fine.
//! * `Accept` lists one or more types (with optional `q`); the answer is
//!   the first type we serve that is compatible with the most preferred
//!   accepted type (every parameter the client gave must match ours). The
//!   response `Content-Type` is then exactly that type's string.
//! * A missing header is `not_present`, one that does not parse
//!   `not_parsed`, one that matches nothing `not_valid`; a body that is
//!   missing is `not_present`, one that does not decode into the request
//!   `not_parsed`. Several failures at once are `multiple_errors` with each
//!   in `data.errors`. All are 400 with the Cosmos error body.

// Every failure here is a Cosmos wire error (`CosmosError`, the package
// service's error type), returned as is: not worth boxing.
#![allow(clippy::result_large_err)]

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::packages::cosmos::CosmosError;

/// A parsed media type: lower-cased `type/subtype`, parameters with
/// lower-cased names (values as given), and the `q` of an `Accept` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct MediaType {
    pub essence: String,
    pub params: Vec<(String, String)>,
    pub q: f32,
}

impl MediaType {
    pub fn parse(s: &str) -> Result<MediaType, String> {
        let mut parts = s.split(';');
        let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let valid_token = |t: &str| {
            !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+*".contains(&b))
        };
        match essence.split_once('/') {
            Some((t, st)) if valid_token(t) && valid_token(st) => {}
            _ => return Err(format!("'{}' is not a media type", s.trim())),
        }
        let mut params = Vec::new();
        let mut q = 1.0;
        for p in parts {
            let p = p.trim();
            if p.is_empty() {
                continue;
            }
            let Some((k, v)) = p.split_once('=') else {
                return Err(format!("parameter '{p}' has no value"));
            };
            let k = k.trim().to_ascii_lowercase();
            let v = v.trim().trim_matches('"').to_string();
            if k == "q" {
                q = v
                    .parse::<f32>()
                    .map_err(|_| format!("q value '{v}' is not a number"))?;
            } else {
                params.push((k, v));
            }
        }
        Ok(MediaType { essence, params, q })
    }

    /// Every parameter of `self` is in `other` with the same value (and
    /// the type and subtype are the same).
    pub fn params_within(&self, other: &MediaType) -> bool {
        self.essence == other.essence
            && self.params.iter().all(|(k, v)| {
                other
                    .params
                    .iter()
                    .any(|(k2, v2)| k == k2 && v.eq_ignore_ascii_case(v2))
            })
    }
}

fn err(kind: &str, message: String, data: Option<Map<String, Value>>) -> CosmosError {
    let e = CosmosError::new(kind, 400, message);
    match data {
        Some(d) => e.with_data(d),
        None => e,
    }
}

fn not_present(item: &str) -> CosmosError {
    err(
        "not_present",
        format!("Item '{item}' not present but required"),
        None,
    )
}

fn not_parsed(item: &str, why: &str) -> CosmosError {
    err(
        "not_parsed",
        format!("Item '{item}' unable to be parsed : '{why}'"),
        None,
    )
}

/// The header's value; several header lines are joined with `,`. `Err`
/// when it is not text.
fn header_value(
    headers: &axum::http::HeaderMap,
    name: &str,
) -> Result<Option<String>, CosmosError> {
    let values: Vec<&axum::http::HeaderValue> = headers.get_all(name).iter().collect();
    if values.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for v in values {
        match v.to_str() {
            Ok(s) => out.push(s.to_string()),
            Err(_) => {
                return Err(not_parsed(
                    &format!("header '{name}'"),
                    "the value is not visible ASCII",
                ))
            }
        }
    }
    Ok(Some(out.join(",")))
}

/// The type to answer with: one of `available` (preferred first), chosen
/// by the request's `Accept`.
pub fn choose_response_type(
    headers: &axum::http::HeaderMap,
    available: &[String],
) -> Result<String, CosmosError> {
    let item = "header 'Accept'";
    let Some(raw) = header_value(headers, "accept")? else {
        return Err(not_present(item));
    };
    let mut accepted = Vec::new();
    for part in raw.split(',').filter(|p| !p.trim().is_empty()) {
        accepted.push(MediaType::parse(part).map_err(|why| not_parsed(item, &why))?);
    }
    if accepted.is_empty() {
        return Err(not_parsed(item, "no media type given"));
    }
    // Stable: equal q keeps the client's order.
    accepted.sort_by(|a, b| b.q.partial_cmp(&a.q).unwrap_or(std::cmp::Ordering::Equal));
    let ours: Vec<MediaType> = available
        .iter()
        .map(|a| MediaType::parse(a).expect("our media types parse"))
        .collect();
    for a in accepted.iter().filter(|a| a.q > 0.0) {
        if let Some(i) = ours.iter().position(|o| a.params_within(o)) {
            return Ok(available[i].clone());
        }
    }
    let mut data = Map::new();
    let mut invalid = Map::new();
    invalid.insert("type".into(), Value::from("header"));
    invalid.insert("name".into(), Value::from("Accept"));
    data.insert("invalidItem".into(), Value::Object(invalid));
    data.insert(
        "specified".into(),
        Value::from(
            raw.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>(),
        ),
    );
    data.insert("available".into(), Value::from(available.to_vec()));
    Err(err(
        "not_valid",
        format!(
            "Item '{item}' deemed invalid by rule: 'should match one of: {}'",
            available.join(", ")
        ),
        Some(data),
    ))
}

/// Check `Content-Type` against the op's request type.
pub fn check_content_type(
    headers: &axum::http::HeaderMap,
    expected: &str,
) -> Result<(), CosmosError> {
    let item = "header 'Content-Type'";
    let Some(raw) = header_value(headers, "content-type")? else {
        return Err(not_present(item));
    };
    let given = MediaType::parse(&raw).map_err(|why| not_parsed(item, &why))?;
    let want = MediaType::parse(expected).expect("our media types parse");
    if want.params_within(&given) {
        Ok(())
    } else {
        Err(err(
            "not_valid",
            format!("Item '{item}' deemed invalid by rule: 'should match {expected}'"),
            None,
        ))
    }
}

/// Decode the body into the op's request.
pub fn decode_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, CosmosError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(not_present("body"));
    }
    serde_json::from_slice(body).map_err(|e| not_parsed("body", &e.to_string()))
}

/// One error as is; several as `multiple_errors` with each in
/// `data.errors`.
pub fn combine(mut errors: Vec<CosmosError>) -> Option<CosmosError> {
    match errors.len() {
        0 => None,
        1 => errors.pop(),
        _ => {
            let list: Vec<Value> = errors
                .iter()
                .map(|e| serde_json::to_value(e.body()).unwrap_or(Value::Null))
                .collect();
            let mut data = Map::new();
            data.insert("errors".into(), Value::Array(list));
            Some(err(
                "multiple_errors",
                "Multiple errors while processing request".into(),
                Some(data),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    const V3: &str = "application/vnd.dcos.package.describe-response+json;charset=utf-8;version=v3";
    const V2: &str = "application/vnd.dcos.package.describe-response+json;charset=utf-8;version=v2";

    #[test]
    fn accept_picks_the_most_preferred_compatible_type() {
        let ours = [V3.to_string(), V2.to_string()];
        let pick = |a: &str| choose_response_type(&headers(&[("accept", a)]), &ours);
        assert_eq!(pick(V2).unwrap(), V2);
        assert_eq!(pick(&format!("{V2},{V3}")).unwrap(), V2);
        assert_eq!(pick(&format!("{V2};q=0.5,{V3}")).unwrap(), V3);
        // Parameters in any order and case; a type without version takes
        // our preferred one.
        assert_eq!(
            pick("application/vnd.dcos.package.describe-response+json;version=V2;Charset=UTF-8")
                .unwrap(),
            V2
        );
        assert_eq!(
            pick("application/vnd.dcos.package.describe-response+json").unwrap(),
            V3
        );
        let e = pick("application/vnd.dcos.package.describe-response+json;version=v1").unwrap_err();
        assert_eq!((e.kind.as_str(), e.status), ("not_valid", 400));
        let d = e.data.unwrap();
        assert_eq!(d["invalidItem"]["name"], "Accept");
        assert_eq!(d["available"], serde_json::json!([V3, V2]));
        assert_eq!(pick("application/json").unwrap_err().kind, "not_valid");
        assert_eq!(pick("not a type").unwrap_err().kind, "not_parsed");
        let missing = choose_response_type(&HeaderMap::new(), &ours).unwrap_err();
        assert_eq!(missing.kind, "not_present");
        assert_eq!(
            missing.message,
            "Item 'header 'Accept'' not present but required"
        );
    }

    #[test]
    fn content_type_needs_charset_and_version() {
        let want = "application/vnd.dcos.package.search-request+json;charset=utf-8;version=v1";
        let check = |c: &str| check_content_type(&headers(&[("content-type", c)]), want);
        assert!(check(want).is_ok());
        assert!(check(
            "application/vnd.dcos.package.search-request+json; version=v1; charset=UTF-8"
        )
        .is_ok());
        assert_eq!(
            check("application/vnd.dcos.package.search-request+json;version=v1")
                .unwrap_err()
                .kind,
            "not_valid"
        );
        assert_eq!(check("application/json").unwrap_err().kind, "not_valid");
        assert_eq!(
            check_content_type(&HeaderMap::new(), want)
                .unwrap_err()
                .kind,
            "not_present"
        );
    }

    #[test]
    fn bodies_and_combined_errors() {
        use crate::packages::cosmos::SearchRequest;
        assert!(decode_body::<SearchRequest>(b"{}").is_ok());
        assert_eq!(
            decode_body::<SearchRequest>(b"").unwrap_err().kind,
            "not_present"
        );
        let e = decode_body::<SearchRequest>(br#"{"q":"x"}"#).unwrap_err();
        assert_eq!(e.kind, "not_parsed");
        assert!(e.message.starts_with("Item 'body' unable to be parsed"));
        let both = combine(vec![not_present("a"), not_present("b")]).unwrap();
        assert_eq!(both.kind, "multiple_errors");
        assert_eq!(both.data.unwrap()["errors"].as_array().unwrap().len(), 2);
        assert!(combine(Vec::new()).is_none());
    }
}
