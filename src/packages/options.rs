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

/// One schema failure, structured: what the line format says, plus what
/// the JSON Schema validator Cosmos uses (fge) reports, for
/// `JsonSchemaMismatch`'s `data.errors`.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaError {
    /// The field the failure is about (`/marathon-lb/cpus`; for a missing or
    /// unwanted property, that property's own path); `""` is the root.
    pub pointer: String,
    /// The instance the validator names: the object itself for `required`
    /// and `additionalProperties` (as fge reports), else [`Self::pointer`].
    pub instance: String,
    /// Where the failed rule is in the schema (`/properties/cpus`).
    pub schema: String,
    /// The rule: `type`, `enum`, `minimum`, `required`, ...
    pub keyword: &'static str,
    /// What is wrong, in words.
    pub message: String,
    /// The rule's particulars as fge names them (`found`, `expected`,
    /// `minimum`, `missing`, `unwanted`, ...).
    pub extra: Map<String, Value>,
}

impl SchemaError {
    /// `<field path>: <rule>`, the form of [`OptionsError::Mismatch`].
    pub fn line(&self) -> String {
        format!("{}: {}", shown(&self.pointer), self.message)
    }

    /// The object Cosmos puts in `data.errors`: `level`, `schema`,
    /// `instance`, `domain`, `keyword`, `message` and the particulars.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("level".into(), Value::from("error"));
        let mut schema = Map::new();
        schema.insert("loadingURI".into(), Value::from("#"));
        schema.insert("pointer".into(), Value::from(self.schema.clone()));
        m.insert("schema".into(), Value::Object(schema));
        let mut instance = Map::new();
        instance.insert("pointer".into(), Value::from(self.instance.clone()));
        m.insert("instance".into(), Value::Object(instance));
        m.insert("domain".into(), Value::from("validation"));
        m.insert("keyword".into(), Value::from(self.keyword));
        m.insert("message".into(), Value::from(self.message.clone()));
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        Value::Object(m)
    }
}

/// Validate `value` against `schema`; one line per failure.
pub fn validate(schema: &Value, value: &Value) -> Vec<String> {
    schema_errors(schema, value)
        .iter()
        .map(SchemaError::line)
        .collect()
}

/// Validate `value` against `schema`; the failures, structured.
pub fn schema_errors(schema: &Value, value: &Value) -> Vec<SchemaError> {
    let mut errors = Vec::new();
    check(schema, value, &At::root(), &mut errors);
    errors
}

/// The structured failures of the user's options against a package's
/// config schema (defaults ⊕ user, as [`resolve`] validates); empty when
/// they pass or cannot be validated.
pub fn mismatches(schema: Option<&Value>, user: &Value) -> Vec<SchemaError> {
    let Some(schema) = schema else {
        return Vec::new();
    };
    let user = match user {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        _ => return Vec::new(),
    };
    let merged = merge(&defaults(schema), &user);
    schema_errors(schema, &Value::Object(merged))
}

/// Where the check is: the instance path and the schema path.
struct At {
    path: String,
    schema: String,
}

impl At {
    fn root() -> At {
        At {
            path: String::new(),
            schema: String::new(),
        }
    }
    fn child(&self, instance: &str, schema: &str) -> At {
        At {
            path: format!("{}/{instance}", self.path),
            schema: format!("{}/{schema}", self.schema),
        }
    }
    fn rule(&self, keyword: &'static str, message: String) -> SchemaError {
        SchemaError {
            pointer: self.path.clone(),
            instance: self.path.clone(),
            schema: self.schema.clone(),
            keyword,
            message,
            extra: Map::new(),
        }
    }
}

impl SchemaError {
    fn with(mut self, key: &str, value: Value) -> SchemaError {
        self.extra.insert(key.to_string(), value);
        self
    }
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

fn check(schema: &Value, value: &Value, at: &At, errors: &mut Vec<SchemaError>) {
    let Some(s) = schema.as_object() else { return };
    if let Some(t) = s.get("type") {
        let wanted: Vec<&str> = match t {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !wanted.is_empty() && !wanted.iter().any(|w| type_matches(w, value)) {
            errors.push(
                at.rule(
                    "type",
                    format!(
                        "{} is of type {}, expected {}",
                        value,
                        type_name(value),
                        wanted.join(" or ")
                    ),
                )
                .with("found", Value::from(type_name(value)))
                .with("expected", Value::from(wanted.clone())),
            );
            return;
        }
    }
    if let Some(Value::Array(allowed)) = s.get("enum") {
        if !allowed.contains(value) {
            let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
            errors.push(
                at.rule(
                    "enum",
                    format!("{value} is not one of [{}]", list.join(", ")),
                )
                .with("value", value.clone())
                .with("enum", Value::Array(allowed.clone())),
            );
        }
    }
    match value {
        Value::Number(n) => check_number(s, n, at, errors),
        Value::String(text) => check_string(s, text, at, errors),
        Value::Array(items) => check_array(s, items, at, errors),
        Value::Object(obj) => check_object(s, obj, at, errors),
        _ => {}
    }
}

fn flag(s: &Map<String, Value>, key: &str) -> bool {
    s.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn check_number(
    s: &Map<String, Value>,
    n: &serde_json::Number,
    at: &At,
    errors: &mut Vec<SchemaError>,
) {
    let x = n.as_f64().unwrap_or(f64::NAN);
    let found = Value::Number(n.clone());
    if let Some(min) = s.get("minimum").filter(|m| m.is_number()) {
        let m = min.as_f64().unwrap_or(f64::NAN);
        let message = if flag(s, "exclusiveMinimum") && x <= m {
            Some(format!(
                "{n} is not greater than the exclusive minimum {min}"
            ))
        } else if x < m {
            Some(format!("{n} is less than the minimum {min}"))
        } else {
            None
        };
        if let Some(message) = message {
            errors.push(
                at.rule("minimum", message)
                    .with("minimum", min.clone())
                    .with("found", found.clone()),
            );
        }
    }
    if let Some(max) = s.get("maximum").filter(|m| m.is_number()) {
        let m = max.as_f64().unwrap_or(f64::NAN);
        let message = if flag(s, "exclusiveMaximum") && x >= m {
            Some(format!("{n} is not less than the exclusive maximum {max}"))
        } else if x > m {
            Some(format!("{n} is greater than the maximum {max}"))
        } else {
            None
        };
        if let Some(message) = message {
            errors.push(
                at.rule("maximum", message)
                    .with("maximum", max.clone())
                    .with("found", found),
            );
        }
    }
}

fn check_string(s: &Map<String, Value>, text: &str, at: &At, errors: &mut Vec<SchemaError>) {
    let len = text.chars().count() as u64;
    if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
        if len < min {
            errors.push(
                at.rule(
                    "minLength",
                    format!("string is {len} characters, shorter than minLength {min}"),
                )
                .with("minLength", Value::from(min))
                .with("found", Value::from(len)),
            );
        }
    }
    if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
        if len > max {
            errors.push(
                at.rule(
                    "maxLength",
                    format!("string is {len} characters, longer than maxLength {max}"),
                )
                .with("maxLength", Value::from(max))
                .with("found", Value::from(len)),
            );
        }
    }
    if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
        let message = match regex_lite::Regex::new(pattern) {
            Ok(re) if re.is_match(text) => None,
            Ok(_) => Some(format!(
                "{} does not match the pattern {pattern:?}",
                Value::String(text.to_string())
            )),
            Err(_) => Some(format!(
                "the schema's pattern {pattern:?} is not a valid regex"
            )),
        };
        if let Some(message) = message {
            errors.push(
                at.rule("pattern", message)
                    .with("regex", Value::from(pattern))
                    .with("string", Value::from(text)),
            );
        }
    }
}

fn check_array(s: &Map<String, Value>, items: &[Value], at: &At, errors: &mut Vec<SchemaError>) {
    let n = items.len() as u64;
    if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
        if n < min {
            errors.push(
                at.rule(
                    "minItems",
                    format!("array has {n} items, fewer than minItems {min}"),
                )
                .with("minItems", Value::from(min))
                .with("found", Value::from(n)),
            );
        }
    }
    if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
        if n > max {
            errors.push(
                at.rule(
                    "maxItems",
                    format!("array has {n} items, more than maxItems {max}"),
                )
                .with("maxItems", Value::from(max))
                .with("found", Value::from(n)),
            );
        }
    }
    if flag(s, "uniqueItems") {
        for (i, item) in items.iter().enumerate() {
            if items[..i].contains(item) {
                errors.push(at.rule(
                    "uniqueItems",
                    format!("items are not unique ({item} repeats)"),
                ));
                break;
            }
        }
    }
    match s.get("items") {
        Some(Value::Array(tuple)) => {
            for (i, (item, schema)) in items.iter().zip(tuple).enumerate() {
                let idx = i.to_string();
                check(
                    schema,
                    item,
                    &at.child(&idx, &format!("items/{idx}")),
                    errors,
                );
            }
        }
        Some(schema @ Value::Object(_)) => {
            for (i, item) in items.iter().enumerate() {
                check(schema, item, &at.child(&i.to_string(), "items"), errors);
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
    at: &At,
    errors: &mut Vec<SchemaError>,
) {
    let props = s.get("properties").and_then(Value::as_object);
    if let Some(Value::Array(required)) = s.get("required") {
        for name in required.iter().filter_map(Value::as_str) {
            if !obj.contains_key(name) {
                let mut e = at
                    .rule("required", "required property is missing".to_string())
                    .with("required", Value::Array(required.clone()))
                    .with("missing", Value::from(vec![name]));
                e.pointer = format!("{}/{}", at.path, token(name));
                errors.push(e);
            }
        }
    }
    for (key, value) in obj {
        let tok = token(key);
        if let Some(schema) = props.and_then(|p| p.get(key)) {
            check(
                schema,
                value,
                &at.child(&tok, &format!("properties/{tok}")),
                errors,
            );
            continue;
        }
        match s.get("additionalProperties") {
            Some(Value::Bool(false)) => {
                let mut e = at
                    .rule(
                        "additionalProperties",
                        "additional property is not allowed".to_string(),
                    )
                    .with("unwanted", Value::from(vec![key.as_str()]));
                e.pointer = format!("{}/{tok}", at.path);
                errors.push(e);
            }
            Some(schema @ Value::Object(_)) => check(
                schema,
                value,
                &at.child(&tok, "additionalProperties"),
                errors,
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;
