//! Asking for the options `install` cannot do without: the config schema's
//! `required` properties that have no `default` and that the user's options
//! do not set (nested objects included), each read from the terminal as its
//! schema type says.
//!
//! Config schemas and options are free-form JSON by nature, so this module
//! works over `serde_json::Value`.

use serde_json::{Map, Number, Value};

use crate::error::{Error, Result};
use crate::packages::options;

/// One option to ask for.
#[derive(Clone, Debug, PartialEq)]
pub struct Missing {
    /// Keys from the top of the options (`["service", "name"]`).
    pub path: Vec<String>,
    /// The schema's `type` (`string` when it does not say).
    pub kind: String,
    pub description: Option<String>,
    /// The schema's `enum`, if any.
    pub choices: Vec<Value>,
}

impl Missing {
    /// `service.name`.
    pub fn dotted(&self) -> String {
        self.path.join(".")
    }

    /// The prompt: `service.level (string, one of "a", "b")` (short: a
    /// prompt that wraps is redrawn badly; the description goes above it).
    pub fn prompt(&self) -> String {
        let mut s = format!("{} ({}", self.dotted(), self.kind);
        if !self.choices.is_empty() {
            let list: Vec<String> = self.choices.iter().map(Value::to_string).collect();
            s.push_str(&format!(", one of {}", list.join(", ")));
        }
        s.push(')');
        s
    }
}

/// The required options without a default that `user` leaves unset, in
/// schema order.
pub fn missing_required(schema: &Value, user: &Map<String, Value>) -> Vec<Missing> {
    let merged = options::merge(&options::defaults(schema), user);
    let mut out = Vec::new();
    walk(schema, Some(&merged), &mut Vec::new(), &mut out);
    out
}

fn kind_of(s: &Value) -> String {
    match s.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("string")
            .to_string(),
        _ if s.get("properties").is_some() => "object".to_string(),
        _ => "string".to_string(),
    }
}

fn walk(
    schema: &Value,
    present: Option<&Map<String, Value>>,
    path: &mut Vec<String>,
    out: &mut Vec<Missing>,
) {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (key, prop) in props {
        path.push(key.clone());
        match present.and_then(|p| p.get(key)) {
            Some(Value::Object(inner)) => walk(prop, Some(inner), path, out),
            Some(_) => {}
            None if required.contains(&key.as_str()) && prop.get("default").is_none() => {
                let before = out.len();
                if prop.get("properties").is_some() {
                    walk(prop, None, path, out);
                }
                if out.len() == before {
                    out.push(Missing {
                        path: path.clone(),
                        kind: kind_of(prop),
                        description: prop
                            .get("description")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        choices: prop
                            .get("enum")
                            .and_then(Value::as_array)
                            .cloned()
                            .unwrap_or_default(),
                    });
                }
            }
            None => {}
        }
        path.pop();
    }
}

/// Read a typed answer: strings as typed, numbers and booleans parsed,
/// arrays and objects as JSON. The error says what was expected.
pub fn parse_answer(kind: &str, text: &str) -> std::result::Result<Value, String> {
    let t = text.trim();
    match kind {
        "string" => Ok(Value::String(text.to_string())),
        "integer" => t
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("'{t}' is not an integer")),
        "number" => t
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("'{t}' is not a number")),
        "boolean" => match t.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" => Ok(Value::Bool(true)),
            "false" | "no" | "n" => Ok(Value::Bool(false)),
            _ => Err(format!("'{t}' is not a boolean (true or false)")),
        },
        "array" | "object" => {
            let v: Value = serde_json::from_str(t).map_err(|e| format!("not valid JSON ({e})"))?;
            let ok = if kind == "array" {
                v.is_array()
            } else {
                v.is_object()
            };
            if ok {
                Ok(v)
            } else {
                Err(format!("expected a JSON {kind}"))
            }
        }
        // `null`, `any` or a type we do not know: JSON if it parses, else text.
        _ => Ok(serde_json::from_str(t).unwrap_or_else(|_| Value::String(text.to_string()))),
    }
}

/// Set `path` in `options`, creating the objects on the way.
pub fn set_at(options: &mut Map<String, Value>, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = options;
    for p in parents {
        let slot = at
            .entry(p.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(next) = slot else { return };
        at = next;
    }
    at.insert(last.clone(), value);
}

/// Ask on the terminal (stderr) for each missing option and set the answers
/// in `user`. Re-asks until an answer parses as the schema's type.
pub fn ask(missing: &[Missing], user: &mut Map<String, Value>) -> Result<()> {
    for m in missing {
        if let Some(d) = &m.description {
            crate::output::status(format!("{}: {}", m.dotted(), crate::error::one_line(d)));
        }
        let kind = m.kind.clone();
        let answer: String = dialoguer::Input::new()
            .with_prompt(m.prompt())
            .validate_with(move |s: &String| parse_answer(&kind, s).map(|_| ()))
            .interact_text()
            .map_err(|e| Error::failed(format!("cannot read option {}: {e}", m.dotted())))?;
        let value = parse_answer(&m.kind, &answer).map_err(Error::usage)?;
        set_at(user, &m.path, value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn finds_required_options_without_defaults_nested_too() {
        let schema = json!({
            "type": "object",
            "properties": {
                "service": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "default": "hello"},
                        "token": {"type": "string", "description": "API token"},
                        "level": {"type": "string", "enum": ["a", "b"]}
                    },
                    "required": ["name", "token", "level"]
                },
                "port": {"type": "integer"},
                "count": {"type": "integer", "default": 1}
            },
            "required": ["service", "port", "count"]
        });
        let m = missing_required(&schema, &Map::new());
        let paths: Vec<String> = m.iter().map(Missing::dotted).collect();
        assert_eq!(paths, vec!["service.token", "service.level", "port"]);
        assert_eq!(m[0].prompt(), "service.token (string)");
        assert_eq!(m[0].description.as_deref(), Some("API token"));
        assert_eq!(m[1].prompt(), "service.level (string, one of \"a\", \"b\")");
        assert_eq!(m[2].kind, "integer");

        let user = obj(json!({"port": 80, "service": {"token": "t", "level": "a"}}));
        assert!(missing_required(&schema, &user).is_empty());
    }

    #[test]
    fn a_required_object_without_required_leaves_is_asked_whole() {
        let schema = json!({
            "properties": {"env": {"type": "object", "properties": {"A": {"type": "string"}}}},
            "required": ["env"]
        });
        let m = missing_required(&schema, &Map::new());
        assert_eq!(m.len(), 1);
        assert_eq!(
            (m[0].dotted().as_str(), m[0].kind.as_str()),
            ("env", "object")
        );
    }

    #[test]
    fn answers_are_typed() {
        assert_eq!(parse_answer("integer", " 42 "), Ok(json!(42)));
        assert!(parse_answer("integer", "4.5")
            .unwrap_err()
            .contains("not an integer"));
        assert_eq!(parse_answer("number", "0.5"), Ok(json!(0.5)));
        assert!(parse_answer("number", "lots").is_err());
        assert_eq!(parse_answer("boolean", "yes"), Ok(json!(true)));
        assert!(parse_answer("boolean", "maybe").is_err());
        assert_eq!(parse_answer("string", "a b"), Ok(json!("a b")));
        assert_eq!(parse_answer("array", "[1, 2]"), Ok(json!([1, 2])));
        assert!(parse_answer("array", "{}")
            .unwrap_err()
            .contains("JSON array"));
        assert!(parse_answer("object", "{")
            .unwrap_err()
            .contains("not valid JSON"));
    }

    #[test]
    fn set_at_creates_the_objects_on_the_way() {
        let mut m = obj(json!({"service": {"name": "x"}, "flat": 1}));
        set_at(&mut m, &["service".into(), "token".into()], json!("t"));
        set_at(&mut m, &["flat".into(), "deep".into()], json!(true));
        set_at(&mut m, &["new".into()], json!(2));
        assert_eq!(
            Value::Object(m),
            json!({"service": {"name": "x", "token": "t"}, "flat": {"deep": true}, "new": 2})
        );
    }
}
