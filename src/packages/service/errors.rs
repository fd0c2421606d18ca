//! The Cosmos errors of install, list and uninstall (type names and
//! statuses as Cosmos serves them), and the mapping of package lookup and
//! render failures to them.

use serde_json::{Map, Value};

use crate::packages::cosmos::CosmosError;
use crate::packages::model::Package;
use crate::packages::options::{self, OptionsError};
use crate::packages::render::RenderError;
use crate::packages::search::LookupError;

pub(super) fn data(pairs: Vec<(&str, Value)>) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

impl CosmosError {
    /// The rendered template is not a JSON object (or not JSON at all; the
    /// message names the line that broke).
    pub fn marathon_template_must_be_json_object(message: impl Into<String>) -> CosmosError {
        Self::new("MarathonTemplateMustBeJsonObject", 400, message)
    }

    /// `render` of a package with no Marathon template.
    pub fn service_marathon_template_not_found(name: &str, version: &str) -> CosmosError {
        Self::new(
            "ServiceMarathonTemplateNotFound",
            400,
            format!("Package: [{name}] version: [{version}] does not have a Marathon template defined and can not be rendered"),
        )
        .with_data(data(vec![
            ("packageName", Value::from(name)),
            ("packageVersion", Value::from(version)),
        ]))
    }

    /// A value of the wrong shape (the template's labels, the rendered app).
    pub fn json_decoding_error(message: impl Into<String>) -> CosmosError {
        Self::new("JsonDecodingError", 400, message)
    }

    /// Marathon refused the call with a 4xx; `details` are Marathon's
    /// `details` objects (`{path, errors}`), kept as `data.errors`.
    pub fn marathon_bad_response(message: impl Into<String>, details: Vec<Value>) -> CosmosError {
        Self::new("MarathonBadResponse", 400, message)
            .with_data(data(vec![("errors", Value::Array(details))]))
    }

    /// Marathon answered with a 5xx (or a body that is not Marathon's).
    pub fn marathon_bad_gateway(message: impl Into<String>) -> CosmosError {
        Self::new("MarathonBadGateway", 502, message)
    }

    /// Marathon or Mesos cannot be reached.
    pub fn service_unavailable(message: impl Into<String>) -> CosmosError {
        Self::new("ServiceUnavailable", 503, message)
    }

    /// `DELETE /v2/apps/{id}` of an app Marathon does not have.
    pub fn marathon_app_not_found(app_id: &str) -> CosmosError {
        Self::new(
            "MarathonAppNotFound",
            400,
            format!("Unable to locate service with marathon appId: [{app_id}]"),
        )
        .with_data(data(vec![("appId", Value::from(app_id))]))
    }

    /// Another failure of `DELETE /v2/apps/{id}`.
    pub fn marathon_app_delete_error(app_id: &str, message: &str) -> CosmosError {
        Self::new(
            "MarathonAppDeleteError",
            400,
            format!("Error while deleting marathon app '{app_id}': {message}"),
        )
        .with_data(data(vec![("appId", Value::from(app_id))]))
    }

    /// The Mesos master could not be asked to tear a framework down.
    pub fn incomplete_uninstall(package: &str, message: &str) -> CosmosError {
        Self::new(
            "IncompleteUninstall",
            503,
            format!("Incomplete uninstall of package [{package}] due to Mesos unavailability: {message}"),
        )
        .with_data(data(vec![("packageName", Value::from(package))]))
    }

    /// More than one active framework has the name the app's
    /// `DCOS_PACKAGE_FRAMEWORK_NAME` label gives.
    pub fn multiple_framework_ids(
        package: &str,
        version: Option<&str>,
        framework: &str,
        ids: &[String],
    ) -> CosmosError {
        let mut pairs = vec![
            ("packageName", Value::from(package)),
            ("frameworkName", Value::from(framework)),
            ("frameworkIds", Value::from(ids.to_vec())),
        ];
        if let Some(v) = version {
            pairs.push(("packageVersion", Value::from(v)));
        }
        Self::new(
            "MultipleFrameworkIds",
            400,
            format!(
                "Uninstalled package [{package}] version [{}]; unable to shut down its framework [{framework}] because there are multiple framework ids matching this name: [{}]",
                version.unwrap_or("?"),
                ids.join(", ")
            ),
        )
        .with_data(data(pairs))
    }

    /// A packagingVersion 5.0 package installed through its `manager`
    /// service, which this package manager does not run.
    pub fn manager_not_supported(pkg: &Package, manager: &str) -> CosmosError {
        Self::new(
            "NotImplemented",
            501,
            format!(
                "package [{}] version [{}] is installed through its manager service [{manager}] (packagingVersion {}), which is not supported here",
                pkg.name, pkg.version, pkg.packaging_version
            ),
        )
        .with_data(data(vec![
            ("packageName", Value::from(pkg.name.as_str())),
            ("packageVersion", Value::from(pkg.version.as_str())),
            ("manager", Value::from(manager)),
        ]))
    }
}

/// `PackageNotFound` / `VersionNotFound`.
pub fn lookup_error(e: LookupError) -> CosmosError {
    match e {
        LookupError::PackageNotFound(name) => CosmosError::package_not_found(&name),
        LookupError::VersionNotFound { name, version } => {
            CosmosError::version_not_found(&name, &version)
        }
    }
}

/// A render failure as Cosmos reports it. `user_options` are the request's
/// options (for the structured schema failures). A missing template is
/// `ServiceMarathonTemplateNotFound` (what `render` answers; install
/// handles it before calling this).
pub fn render_error(pkg: &Package, user_options: &Value, e: RenderError) -> CosmosError {
    let which = format!("package [{}] version [{}]", pkg.name, pkg.version);
    match e {
        RenderError::Options(OptionsError::NotAllowed | OptionsError::NotAnObject) => {
            CosmosError::options_not_allowed()
        }
        RenderError::Options(OptionsError::Mismatch(lines)) => {
            let mut errors: Vec<Value> = options::mismatches(pkg.config.as_ref(), user_options)
                .iter()
                .map(options::SchemaError::to_json)
                .collect();
            if errors.is_empty() {
                // Not expected: the same validation failed in render.
                errors = lines.into_iter().map(Value::from).collect();
            }
            CosmosError::json_schema_mismatch(errors)
        }
        RenderError::NoTemplate(_) => {
            CosmosError::service_marathon_template_not_found(&pkg.name, &pkg.version)
        }
        RenderError::NotJson { line, .. } => CosmosError::marathon_template_must_be_json_object(
            format!("{which}: {e}"),
        )
        .with_data(data(vec![
            ("packageName", Value::from(pkg.name.as_str())),
            ("packageVersion", Value::from(pkg.version.as_str())),
            ("line", Value::from(line)),
        ])),
        e @ (RenderError::Template(_) | RenderError::NotObject) => {
            CosmosError::marathon_template_must_be_json_object(format!("{which}: {e}"))
        }
        e @ (RenderError::Labels(_) | RenderError::App(_)) => {
            CosmosError::json_decoding_error(format!("{which}: {e}"))
        }
    }
}
