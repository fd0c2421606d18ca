//! Package options: the config schema's defaults merged with the user's
//! options (Cosmos rules), and validation of the result against the
//! package's JSON Schema (the draft-4 subset Universe packages use).
//!
//! Config schemas and options are free-form JSON by nature, so this module
//! works over `serde_json::Value`.

use serde_json::{Map, Value};
use std::fmt;

/// Why options were refused.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionsError {
    /// Options were given for a package without a config schema
    /// (Cosmos `OptionsNotAllowed`).
    NotAllowed,
    /// The options document is not a JSON object.
    NotAnObject,
    /// The merged options fail the schema (Cosmos `JsonSchemaMismatch`):
    /// one line per failure, `<field path>: <rule>`.
    Mismatch(Vec<String>),
}

impl fmt::Display for OptionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionsError::NotAllowed => {
                f.write_str("no schema available to validate the provided options")
            }
            OptionsError::NotAnObject => f.write_str("the options must be a JSON object"),
            OptionsError::Mismatch(errors) => {
                write!(f, "options JSON failed validation:")?;
                for e in errors {
                    write!(f, "\n  {e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for OptionsError {}

/// The defaults of a config schema: a property's own `default` wins, else a
/// property with `properties` contributes its non-empty sub-object.
pub fn defaults(schema: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (key, prop) in props {
            if let Some(d) = prop.get("default") {
                out.insert(key.clone(), d.clone());
            } else if prop.get("properties").is_some() {
                let sub = defaults(prop);
                if !sub.is_empty() {
                    out.insert(key.clone(), Value::Object(sub));
                }
            }
        }
    }
    out
}

/// `base ⊕ over`: objects merge key by key, anything else in `over` wins.
pub fn merge(base: &Map<String, Value>, over: &Map<String, Value>) -> Map<String, Value> {
    let mut out = base.clone();
    for (key, value) in over {
        let merged = match (out.get(key), value) {
            (Some(Value::Object(b)), Value::Object(o)) => Value::Object(merge(b, o)),
            _ => value.clone(),
        };
        out.insert(key.clone(), merged);
    }
    out
}

/// Defaults ⊕ user options, validated against the schema when the package
/// has one (always, so missing required options without a default are
/// caught before rendering).
pub fn resolve(schema: Option<&Value>, user: &Value) -> Result<Map<String, Value>, OptionsError> {
    let user = match user {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        _ => return Err(OptionsError::NotAnObject),
    };
    let Some(schema) = schema else {
        return if user.is_empty() {
            Ok(Map::new())
        } else {
            Err(OptionsError::NotAllowed)
        };
    };
    let merged = merge(&defaults(schema), &user);
    let errors = validate(schema, &Value::Object(merged.clone()));
    if errors.is_empty() {
        Ok(merged)
    } else {
        Err(OptionsError::Mismatch(errors))
    }
}

/// Validate `value` against `schema`; one line per failure.
pub fn validate(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, value, "", &mut errors);
    errors
}

fn shown(path: &str) -> &str {
    if path.is_empty() {
        "/"
    } else {
        path
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if is_integer(n) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_integer(n: &serde_json::Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

fn type_matches(want: &str, v: &Value) -> bool {
    match want {
        "number" => v.is_number(),
        "integer" => v.as_number().is_some_and(is_integer),
        "any" => true,
        other => type_name(v) == other || (other == "number" && v.is_number()),
    }
}

fn check(schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(s) = schema.as_object() else { return };
    let at = shown(path);
    if let Some(t) = s.get("type") {
        let wanted: Vec<&str> = match t {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !wanted.is_empty() && !wanted.iter().any(|w| type_matches(w, value)) {
            errors.push(format!(
                "{at}: {} is of type {}, expected {}",
                value,
                type_name(value),
                wanted.join(" or ")
            ));
            return;
        }
    }
    if let Some(Value::Array(allowed)) = s.get("enum") {
        if !allowed.contains(value) {
            let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
            errors.push(format!("{at}: {value} is not one of [{}]", list.join(", ")));
        }
    }
    match value {
        Value::Number(n) => check_number(s, n, at, errors),
        Value::String(text) => check_string(s, text, at, errors),
        Value::Array(items) => check_array(s, items, path, errors),
        Value::Object(obj) => check_object(s, obj, path, errors),
        _ => {}
    }
}

fn flag(s: &Map<String, Value>, key: &str) -> bool {
    s.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn check_number(
    s: &Map<String, Value>,
    n: &serde_json::Number,
    at: &str,
    errors: &mut Vec<String>,
) {
    let x = n.as_f64().unwrap_or(f64::NAN);
    if let Some(min) = s.get("minimum").filter(|m| m.is_number()) {
        let m = min.as_f64().unwrap_or(f64::NAN);
        if flag(s, "exclusiveMinimum") && x <= m {
            errors.push(format!(
                "{at}: {n} is not greater than the exclusive minimum {min}"
            ));
        } else if x < m {
            errors.push(format!("{at}: {n} is less than the minimum {min}"));
        }
    }
    if let Some(max) = s.get("maximum").filter(|m| m.is_number()) {
        let m = max.as_f64().unwrap_or(f64::NAN);
        if flag(s, "exclusiveMaximum") && x >= m {
            errors.push(format!(
                "{at}: {n} is not less than the exclusive maximum {max}"
            ));
        } else if x > m {
            errors.push(format!("{at}: {n} is greater than the maximum {max}"));
        }
    }
}

fn check_string(s: &Map<String, Value>, text: &str, at: &str, errors: &mut Vec<String>) {
    let len = text.chars().count() as u64;
    if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
        if len < min {
            errors.push(format!(
                "{at}: string is {len} characters, shorter than minLength {min}"
            ));
        }
    }
    if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
        if len > max {
            errors.push(format!(
                "{at}: string is {len} characters, longer than maxLength {max}"
            ));
        }
    }
    if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
        match regex_lite::Regex::new(pattern) {
            Ok(re) if re.is_match(text) => {}
            Ok(_) => errors.push(format!(
                "{at}: {} does not match the pattern {pattern:?}",
                Value::String(text.to_string())
            )),
            Err(_) => errors.push(format!(
                "{at}: the schema's pattern {pattern:?} is not a valid regex"
            )),
        }
    }
}

fn check_array(s: &Map<String, Value>, items: &[Value], path: &str, errors: &mut Vec<String>) {
    let at = shown(path);
    let n = items.len() as u64;
    if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
        if n < min {
            errors.push(format!(
                "{at}: array has {n} items, fewer than minItems {min}"
            ));
        }
    }
    if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
        if n > max {
            errors.push(format!(
                "{at}: array has {n} items, more than maxItems {max}"
            ));
        }
    }
    if flag(s, "uniqueItems") {
        for (i, item) in items.iter().enumerate() {
            if items[..i].contains(item) {
                errors.push(format!("{at}: items are not unique ({item} repeats)"));
                break;
            }
        }
    }
    match s.get("items") {
        Some(Value::Array(tuple)) => {
            for (i, (item, schema)) in items.iter().zip(tuple).enumerate() {
                check(schema, item, &format!("{path}/{i}"), errors);
            }
        }
        Some(schema @ Value::Object(_)) => {
            for (i, item) in items.iter().enumerate() {
                check(schema, item, &format!("{path}/{i}"), errors);
            }
        }
        _ => {}
    }
}

/// A JSON Pointer token (`~` → `~0`, `/` → `~1`).
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn check_object(
    s: &Map<String, Value>,
    obj: &Map<String, Value>,
    path: &str,
    errors: &mut Vec<String>,
) {
    let props = s.get("properties").and_then(Value::as_object);
    if let Some(Value::Array(required)) = s.get("required") {
        for name in required.iter().filter_map(Value::as_str) {
            if !obj.contains_key(name) {
                errors.push(format!(
                    "{path}/{}: required property is missing",
                    token(name)
                ));
            }
        }
    }
    for (key, value) in obj {
        let child = format!("{path}/{}", token(key));
        if let Some(schema) = props.and_then(|p| p.get(key)) {
            check(schema, value, &child, errors);
            continue;
        }
        match s.get("additionalProperties") {
            Some(Value::Bool(false)) => {
                errors.push(format!("{child}: additional property is not allowed"))
            }
            Some(schema @ Value::Object(_)) => check(schema, value, &child, errors),
            _ => {}
        }
    }
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;
