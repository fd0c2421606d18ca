//! Package-level failures as Cosmos errors, shared by the catalog (render)
//! and installs (install): lookups and rendering.

use serde_json::{Map, Value};

use crate::packages::cosmos::CosmosError;
use crate::packages::model::Package;
use crate::packages::options::OptionsError;
use crate::packages::render::RenderError;
use crate::packages::search::LookupError;

/// `PackageNotFound` / `VersionNotFound`.
pub fn lookup_error(e: LookupError) -> CosmosError {
    match e {
        LookupError::PackageNotFound(name) => CosmosError::package_not_found(&name),
        LookupError::VersionNotFound { name, version } => {
            CosmosError::version_not_found(&name, &version)
        }
    }
}

/// A render failure as Cosmos reports it:
///
/// * options for a package without a schema → `OptionsNotAllowed`;
/// * options that fail the schema → `JsonSchemaMismatch` (`data.errors`:
///   one `{"message"}` per failure);
/// * options that are not an object → `JsonSchemaMismatch`;
/// * no template → `ServiceMarathonTemplateNotFound`;
/// * rendered text that is not JSON, or not an object →
///   `MarathonTemplateMustBeJsonObject` (the message names the line;
///   `data.line`);
/// * labels that are not strings, or JSON that is not a Marathon app →
///   `JsonDecodingError`;
/// * a broken template (base64, mustache syntax) → `unhandled_exception`.
pub fn render_error(e: RenderError) -> CosmosError {
    let message = e.to_string();
    match e {
        RenderError::Options(OptionsError::NotAllowed) => CosmosError::options_not_allowed(),
        RenderError::Options(OptionsError::Mismatch(lines)) => CosmosError::json_schema_mismatch(
            lines
                .into_iter()
                .map(|l| {
                    let mut m = Map::new();
                    m.insert("message".into(), Value::String(l));
                    Value::Object(m)
                })
                .collect(),
        ),
        RenderError::Options(OptionsError::NotAnObject) => {
            let mut err = CosmosError::json_schema_mismatch(Vec::new());
            err.message =
                "Options JSON failed validation: the options must be a JSON object".into();
            err
        }
        RenderError::NoTemplate(name) => {
            let mut d = Map::new();
            d.insert("packageName".into(), Value::String(name.clone()));
            CosmosError::new(
                "ServiceMarathonTemplateNotFound",
                400,
                format!("Package [{name}] has no Marathon template"),
            )
            .with_data(d)
        }
        RenderError::NotJson { line, .. } => {
            let mut d = Map::new();
            d.insert("line".into(), Value::from(line));
            CosmosError::new("MarathonTemplateMustBeJsonObject", 400, message).with_data(d)
        }
        RenderError::NotObject => {
            CosmosError::new("MarathonTemplateMustBeJsonObject", 400, message)
        }
        RenderError::Labels(_) | RenderError::App(_) => {
            CosmosError::new("JsonDecodingError", 400, message)
        }
        RenderError::Template(_) => CosmosError::unhandled(message),
    }
}

/// [`render_error`] with the package named in the message (`package NAME
/// VERSION: …`), except for the schema errors whose message is Cosmos'
/// fixed text (their details are in `data`).
pub fn package_render_error(pkg: &Package, e: RenderError) -> CosmosError {
    let mut err = render_error(e);
    if !matches!(
        err.kind.as_str(),
        "JsonSchemaMismatch" | "OptionsNotAllowed"
    ) {
        err.message = format!("package {} {}: {}", pkg.name, pkg.version, err.message);
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(
            render_error(RenderError::Options(OptionsError::NotAllowed)).kind,
            "OptionsNotAllowed"
        );
        let e = render_error(RenderError::Options(OptionsError::Mismatch(vec![
            "port: expected integer".into(),
        ])));
        assert_eq!(e.kind, "JsonSchemaMismatch");
        assert_eq!(
            e.data.unwrap()["errors"][0]["message"],
            "port: expected integer"
        );
        let e = render_error(RenderError::NotJson {
            line: 3,
            text: "  \"cpus\": ,".into(),
            message: "expected value".into(),
        });
        assert_eq!(e.kind, "MarathonTemplateMustBeJsonObject");
        assert!(e.message.contains("line 3"), "{}", e.message);
        assert_eq!(
            render_error(RenderError::NoTemplate("x".into())).kind,
            "ServiceMarathonTemplateNotFound"
        );
        assert_eq!(
            lookup_error(LookupError::PackageNotFound("x".into())).kind,
            "PackageNotFound"
        );
    }
}
