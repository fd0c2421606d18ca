//! Package-manager errors as the CLI reports them: one line, the detail
//! lines Cosmos carries in `data.errors` (one per schema failure, naming
//! the field and the rule; Marathon's per-field complaints), a hint where
//! there is an obvious next step, and the exit code (4 for not found /
//! ambiguous, else 1).

use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::packages::cosmos::CosmosError;

/// One entry of `data.errors` as a line: `<field>: <rule> [<keyword>]`.
/// Cosmos' schema failures name the object for `required` and
/// `additionalProperties`; the field is then the object's pointer plus the
/// `missing` / `unwanted` property. Marathon's `{path, errors}` entries
/// read `<path>: <errors>`.
pub fn detail_line(v: &Value) -> String {
    let Value::Object(o) = v else {
        return v
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string());
    };
    let mut field = o
        .get("instance")
        .and_then(|i| i.get("pointer"))
        .or_else(|| o.get("path"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let named = ["missing", "unwanted"]
        .iter()
        .filter_map(|k| o.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .map(|n| n.replace('~', "~0").replace('/', "~1"))
        .collect::<Vec<_>>();
    if named.len() == 1 {
        field = format!("{field}/{}", named[0]);
    } else if field.is_empty() && o.contains_key("instance") {
        field = "/".to_string();
    }
    let mut rule = match (o.get("message"), o.get("errors")) {
        (Some(Value::String(m)), _) => m.clone(),
        (_, Some(Value::Array(es))) => es
            .iter()
            .map(|e| {
                e.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| e.to_string())
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => return v.to_string(),
    };
    if named.len() > 1 {
        rule = format!("{rule}: {}", named.join(", "));
    }
    if let Some(k) = o.get("keyword").and_then(Value::as_str) {
        rule = format!("{rule} [{k}]");
    }
    if field.is_empty() || rule.starts_with(&field) {
        rule
    } else {
        format!("{field}: {rule}")
    }
}

/// The detail lines of an error (`data.errors`).
pub fn details(e: &CosmosError) -> Vec<String> {
    e.data
        .as_ref()
        .and_then(|d| d.get("errors"))
        .and_then(Value::as_array)
        .map(|es| es.iter().map(detail_line).collect())
        .unwrap_or_default()
}

/// The user-facing error (also `From<CosmosError> for Error`).
pub fn to_error(e: CosmosError) -> Error {
    let kind = if e.exit_kind_not_found() {
        ErrorKind::NotFound
    } else {
        ErrorKind::Failed
    };
    let lines = details(&e);
    // Cosmos' own message ("Options JSON failed validation", ...); the
    // details carry the failures.
    let message = e.message.clone();
    let mut out = Error::new(kind, message).with_details(lines);
    let hint = match e.kind.as_str() {
        "JsonSchemaMismatch" => {
            Some("`mesos package describe PKG --config` shows the schema".to_string())
        }
        "PackageAlreadyInstalled" => Some(
            "an app with this id exists: pass another --app-id, or uninstall it first".to_string(),
        ),
        "OptionsNotAllowed" => Some("this package takes no options: drop --options".to_string()),
        "PackageNotFound" => Some("`mesos package search` lists the packages".to_string()),
        "VersionNotFound" => {
            Some("`mesos package describe NAME --package-versions` lists the versions".to_string())
        }
        "AmbiguousAppId" => Some("pass --app-id ID, or --all".to_string()),
        "RepositoryNotPresent" | "RepositoryAlreadyPresent" => {
            Some("`mesos package repo list` shows the repositories".to_string())
        }
        _ => None,
    };
    if let Some(h) = hint {
        out = out.with_hint(h);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schema_errors_name_the_field_and_the_rule() {
        let e = CosmosError::json_schema_mismatch(vec![
            json!({"message": "is of type string, expected number", "instance": {"pointer": "/cpus"}, "keyword": "type"}),
            json!("/mem: -1 is less than the minimum 0"),
            json!({"message": "/port: missing", "instance": {"pointer": "/port"}}),
            json!({"message": "required property is missing", "instance": {"pointer": "/marathon"},
                   "keyword": "required", "missing": ["master"]}),
        ]);
        let err = to_error(e);
        assert_eq!(err.exit_code(), 1);
        assert_eq!(err.message, "Options JSON failed validation");
        assert_eq!(
            err.details,
            vec![
                "/cpus: is of type string, expected number [type]",
                "/mem: -1 is less than the minimum 0",
                "/port: missing",
                "/marathon/master: required property is missing [required]",
            ]
        );
    }

    #[test]
    fn marathon_details_and_exit_codes() {
        let mut d = serde_json::Map::new();
        d.insert(
            "errors".into(),
            json!([{"path": "/cpus", "errors": ["error.min", "too small"]}]),
        );
        let e = CosmosError::new("MarathonBadResponse", 400, "Marathon refused").with_data(d);
        let err = to_error(e);
        assert_eq!(err.details, vec!["/cpus: error.min; too small"]);
        assert_eq!(err.exit_code(), 1);
        assert_eq!(to_error(CosmosError::package_not_found("x")).exit_code(), 4);
        let amb = to_error(CosmosError::ambiguous_app_id(
            "x",
            &["/a".into(), "/b".into()],
        ));
        assert_eq!(amb.exit_code(), 4);
    }
}
