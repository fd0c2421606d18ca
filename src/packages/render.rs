//! Render a package into a Marathon app as Cosmos does: options resolved
//! (defaults ⊕ user, validated), context `options ⊕ {"resource": …}`,
//! mustache, the output checked to be a JSON object with string labels,
//! then decorated: `appId` replaces `id` and the Cosmos labels overwrite
//! same-named template labels.

use super::model::{Images, License, Package};
use super::mustache;
use super::options::{self, OptionsError};
use crate::wire::marathon::AppDefinition;
use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;
use std::io::Write as _;

/// Labels Cosmos writes on the apps it installs.
pub const LABEL_NAME: &str = "DCOS_PACKAGE_NAME";
pub const LABEL_VERSION: &str = "DCOS_PACKAGE_VERSION";
pub const LABEL_SOURCE: &str = "DCOS_PACKAGE_SOURCE";
pub const LABEL_METADATA: &str = "DCOS_PACKAGE_METADATA";
pub const LABEL_OPTIONS: &str = "DCOS_PACKAGE_OPTIONS";
pub const LABEL_DEFINITION: &str = "DCOS_PACKAGE_DEFINITION";

/// What to render.
#[derive(Debug, Clone, Copy)]
pub struct RenderRequest<'a> {
    pub package: &'a Package,
    /// The URI of the repository the package came from (`DCOS_PACKAGE_SOURCE`).
    pub source: &'a str,
    /// The user's options (`{}` or `null` for none).
    pub options: &'a Value,
    /// Replaces the template's `id`.
    pub app_id: Option<&'a str>,
}

/// A rendered app: the decorated JSON and the typed app parsed from it.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub json: Map<String, Value>,
    pub app: AppDefinition,
    /// The resolved options (defaults ⊕ user).
    pub resolved_options: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RenderError {
    Options(OptionsError),
    /// The package has no Marathon template.
    NoTemplate(String),
    /// The template is broken (base64, or mustache syntax).
    Template(String),
    /// The rendered text is not JSON; names the line that broke.
    NotJson {
        line: usize,
        text: String,
        message: String,
    },
    /// Valid JSON but not an object (Cosmos `MarathonTemplateMustBeJsonObject`).
    NotObject,
    /// `labels` is not an object of strings.
    Labels(String),
    /// The JSON is not a Marathon app definition.
    App(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Options(e) => e.fmt(f),
            RenderError::NoTemplate(name) => {
                write!(f, "package {name} has no Marathon template")
            }
            RenderError::Template(e) => write!(f, "the Marathon template is broken: {e}"),
            RenderError::NotJson {
                line,
                text,
                message,
            } => write!(
                f,
                "the rendered Marathon template is not valid JSON at line {line} ({message}): {}",
                text.trim()
            ),
            RenderError::NotObject => {
                f.write_str("the rendered Marathon template is not a JSON object")
            }
            RenderError::Labels(e) => write!(f, "the rendered app's labels: {e}"),
            RenderError::App(e) => write!(f, "the rendered app is not a Marathon app: {e}"),
        }
    }
}

impl std::error::Error for RenderError {}

/// Render the package's template with the request's options.
pub fn render(req: RenderRequest<'_>) -> Result<Rendered, RenderError> {
    let pkg = req.package;
    let resolved =
        options::resolve(pkg.config.as_ref(), req.options).map_err(RenderError::Options)?;
    let template = pkg
        .template()
        .map_err(RenderError::Template)?
        .ok_or_else(|| RenderError::NoTemplate(pkg.name.clone()))?;
    let mut context = resolved.clone();
    let resource = serde_json::to_value(pkg.resource.clone().unwrap_or_default())
        .unwrap_or(Value::Object(Map::new()));
    context.insert("resource".into(), resource);
    let text =
        mustache::render(&template, &Value::Object(context)).map_err(RenderError::Template)?;
    let mut json = parse_object(&text)?;
    let template_labels = match json.remove("labels") {
        None => Map::new(),
        Some(Value::Object(m)) => {
            for (k, v) in &m {
                if !v.is_string() {
                    return Err(RenderError::Labels(format!(
                        "label {k:?} is {v}, not a string"
                    )));
                }
            }
            m
        }
        Some(other) => return Err(RenderError::Labels(format!("{other} is not an object"))),
    };
    if let Some(id) = req.app_id {
        json.insert("id".into(), Value::String(id.to_string()));
    }
    let mut labels = template_labels;
    for (k, v) in cosmos_labels(pkg, req.source, req.options) {
        labels.insert(k.to_string(), Value::String(v));
    }
    json.insert("labels".into(), Value::Object(labels));
    let app: AppDefinition = serde_json::from_value(Value::Object(json.clone()))
        .map_err(|e| RenderError::App(e.to_string()))?;
    Ok(Rendered {
        json,
        app,
        resolved_options: resolved,
    })
}

fn parse_object(text: &str) -> Result<Map<String, Value>, RenderError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(RenderError::NotObject),
        Err(e) => {
            let line = e.line().max(1);
            Err(RenderError::NotJson {
                line,
                text: text.lines().nth(line - 1).unwrap_or_default().to_string(),
                message: e.to_string(),
            })
        }
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `DCOS_PACKAGE_METADATA`: the package's descriptive fields.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata<'a> {
    packaging_version: &'a str,
    name: &'a str,
    version: &'a str,
    maintainer: &'a str,
    description: &'a str,
    tags: &'a [String],
    selected: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    scm: Option<&'a String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    website: Option<&'a String>,
    framework: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pre_install_notes: Option<&'a String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    post_install_notes: Option<&'a String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    post_uninstall_notes: Option<&'a String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    licenses: Option<&'a Vec<License>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    images: Option<&'a Images>,
}

/// The `DCOS_PACKAGE_DEFINITION` storage envelope.
#[derive(Serialize)]
struct Envelope {
    metadata: EnvelopeMetadata,
    data: String,
}

#[derive(Serialize)]
struct EnvelopeMetadata {
    #[serde(rename = "Content-Type")]
    content_type: String,
    #[serde(rename = "Content-Encoding")]
    content_encoding: &'static str,
}

/// A JSON value with `null` object members dropped (recursively).
fn drop_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), drop_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(drop_nulls).collect()),
        other => other.clone(),
    }
}

/// The labels Cosmos 0.4–0.6.1 writes (plus `DCOS_PACKAGE_METADATA`, which
/// DC/OS ≤1.11 tools read), in a fixed order.
pub fn cosmos_labels(
    pkg: &Package,
    source: &str,
    user_options: &Value,
) -> Vec<(&'static str, String)> {
    let metadata = Metadata {
        packaging_version: &pkg.packaging_version,
        name: &pkg.name,
        version: &pkg.version,
        maintainer: &pkg.maintainer,
        description: &pkg.description,
        tags: &pkg.tags,
        selected: pkg.selected,
        scm: pkg.scm.as_ref(),
        website: pkg.website.as_ref(),
        framework: pkg.framework,
        pre_install_notes: pkg.pre_install_notes.as_ref(),
        post_install_notes: pkg.post_install_notes.as_ref(),
        post_uninstall_notes: pkg.post_uninstall_notes.as_ref(),
        licenses: pkg.licenses.as_ref(),
        images: pkg.resource.as_ref().and_then(|r| r.images.as_ref()),
    };
    let options = match user_options {
        Value::Null => Value::Object(Map::new()),
        other => drop_nulls(other),
    };
    let major = pkg.packaging_version.split('.').next().unwrap_or("3");
    let package_json = serde_json::to_vec(pkg).unwrap_or_default();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let gzipped = gz
        .write_all(&package_json)
        .and_then(|_| gz.finish())
        .unwrap_or_default();
    let envelope = Envelope {
        metadata: EnvelopeMetadata {
            content_type: format!(
                "application/vnd.dcos.universe.package+json;charset=utf-8;version=v{major}"
            ),
            content_encoding: "gzip",
        },
        data: b64(&gzipped),
    };
    vec![
        (LABEL_NAME, pkg.name.clone()),
        (LABEL_VERSION, pkg.version.clone()),
        (LABEL_SOURCE, source.to_string()),
        (
            LABEL_METADATA,
            b64(&serde_json::to_vec(&metadata).unwrap_or_default()),
        ),
        (
            LABEL_OPTIONS,
            b64(&serde_json::to_vec(&options).unwrap_or_default()),
        ),
        (
            LABEL_DEFINITION,
            b64(&serde_json::to_vec(&envelope).unwrap_or_default()),
        ),
    ]
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
