//! The Cosmos package API on the wire (`GET /capabilities`, `POST
//! /package/<op>`): media types, request and response bodies, and the error
//! body. One model for the Cosmos-compatible server on the dev cluster, the
//! CLI's Cosmos client (DC/OS) and the CLI's local package manager, which
//! answers in the same shapes (docs/packages.md, "Cosmos API").
//!
//! Responses carry only keys real Cosmos 0.6 writes: optional fields are
//! omitted, not `null`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::model::{License, Package, Resource};

/// `GET /capabilities` response type (also its `Accept`).
pub const CAPABILITIES_TYPE: &str =
    "application/vnd.dcos.capabilities+json;charset=utf-8;version=v1";
/// Every error body.
pub const ERROR_TYPE: &str = "application/vnd.dcos.package.error+json;charset=utf-8;version=v1";
/// Repository documents, newest first (the `Accept` of a repository fetch).
pub const REPO_TYPES: [&str; 3] = [
    "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v5",
    "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4",
    "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v3",
];
/// The capabilities we serve (Cosmos 0.6 lists these five).
pub const CAPABILITY_NAMES: [&str; 5] = [
    "PACKAGE_MANAGEMENT",
    "SUPPORT_CLUSTER_REPORT",
    "METRONOME",
    "LOGGING",
    "LOGGING_V2",
];
/// The capability that says "this cluster has a package manager".
pub const PACKAGE_MANAGEMENT: &str = "PACKAGE_MANAGEMENT";

/// The RPC operations under `/package/`. The media-type name is the path
/// with `/` as `.` (`repository/add` → `repository.add`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Search,
    Describe,
    ListVersions,
    Render,
    Install,
    List,
    Uninstall,
    RepositoryList,
    RepositoryAdd,
    RepositoryDelete,
}

impl Op {
    pub const ALL: [Op; 10] = [
        Op::Search,
        Op::Describe,
        Op::ListVersions,
        Op::Render,
        Op::Install,
        Op::List,
        Op::Uninstall,
        Op::RepositoryList,
        Op::RepositoryAdd,
        Op::RepositoryDelete,
    ];

    /// The path after `/package/`.
    pub fn path(self) -> &'static str {
        match self {
            Op::Search => "search",
            Op::Describe => "describe",
            Op::ListVersions => "list-versions",
            Op::Render => "render",
            Op::Install => "install",
            Op::List => "list",
            Op::Uninstall => "uninstall",
            Op::RepositoryList => "repository/list",
            Op::RepositoryAdd => "repository/add",
            Op::RepositoryDelete => "repository/delete",
        }
    }

    /// The name inside the media types (`repository.add`).
    pub fn media_name(self) -> String {
        self.path().replace('/', ".")
    }

    /// `application/vnd.dcos.package.<op>-request+json;charset=utf-8;version=v1`.
    pub fn request_type(self) -> String {
        format!(
            "application/vnd.dcos.package.{}-request+json;charset=utf-8;version=v1",
            self.media_name()
        )
    }

    /// `application/vnd.dcos.package.<op>-response+json;charset=utf-8;version=<v>`.
    pub fn response_type(self, version: u8) -> String {
        format!(
            "application/vnd.dcos.package.{}-response+json;charset=utf-8;version=v{version}",
            self.media_name()
        )
    }

    /// The response versions served, preferred first: describe v3 and v2,
    /// install v2 and v1, the others v1.
    pub fn response_versions(self) -> &'static [u8] {
        match self {
            Op::Describe => &[3, 2],
            Op::Install => &[2, 1],
            _ => &[1],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Capabilities {
    pub capabilities: Vec<Capability>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Capability {
    pub name: String,
}

impl Capabilities {
    pub fn has(&self, name: &str) -> bool {
        self.capabilities.iter().any(|c| c.name == name)
    }
}

// ---------------------------------------------------------------- search

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    pub packages: Vec<SearchResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    pub name: String,
    /// The version of the highest releaseVersion.
    pub current_version: String,
    /// version → releaseVersion (a JSON number).
    pub versions: BTreeMap<String, u64>,
    pub description: String,
    pub framework: bool,
    pub selected: bool,
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<super::model::Images>,
}

// -------------------------------------------------------------- describe

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DescribeRequest {
    pub package_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_version: Option<String>,
}

/// describe v3: the package wrapped. (v2 is the bare [`Package`].)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DescribeResponse {
    pub package: Package,
}

// --------------------------------------------------------- list-versions

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListVersionsRequest {
    pub package_name: String,
    pub include_package_versions: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListVersionsResponse {
    /// version → releaseVersion as a string.
    pub results: BTreeMap<String, String>,
}

// ------------------------------------------------------- render, install

/// The body of `render` and `install`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstallRequest {
    pub package_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
}

pub type RenderRequest = InstallRequest;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderResponse {
    /// The rendered, labelled Marathon app.
    pub marathon_json: Map<String, Value>,
}

/// install v2 (v1 is the first three fields, `appId` required).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstallResponse {
    pub package_name: String,
    pub package_version: String,
    /// Absent for a package with no Marathon template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_install_notes: Option<String>,
    /// `resource.cli` of the package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cli: Option<super::model::Cli>,
}

// ----------------------------------------------------------------- list

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListResponse {
    /// Sorted by (name, appId).
    pub packages: Vec<Installation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Installation {
    pub app_id: String,
    pub package_information: PackageInformation,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageInformation {
    pub package_definition: PackageDetails,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_definition: Option<Resource>,
}

/// The package's details (no config, template or resource).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageDetails {
    pub packaging_version: String,
    pub name: String,
    pub version: String,
    pub maintainer: String,
    pub description: String,
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_install_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_install_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_uninstall_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licenses: Option<Vec<License>>,
}

impl PackageDetails {
    pub fn of(p: &Package) -> PackageDetails {
        PackageDetails {
            packaging_version: p.packaging_version.clone(),
            name: p.name.clone(),
            version: p.version.clone(),
            maintainer: p.maintainer.clone(),
            description: p.description.clone(),
            tags: p.tags.clone(),
            selected: Some(p.selected),
            scm: p.scm.clone(),
            website: p.website.clone(),
            framework: Some(p.framework),
            pre_install_notes: p.pre_install_notes.clone(),
            post_install_notes: p.post_install_notes.clone(),
            post_uninstall_notes: p.post_uninstall_notes.clone(),
            licenses: p.licenses.clone(),
        }
    }
}

// ------------------------------------------------------------ uninstall

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UninstallRequest {
    pub package_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UninstallResponse {
    pub results: Vec<UninstallResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UninstallResult {
    pub package_name: String,
    pub app_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_uninstall_notes: Option<String>,
}

// --------------------------------------------------------- repositories

/// `repository/list` takes exactly `{}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepositoryListRequest {}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepositoryListResponse {
    /// In priority order (index 0 first).
    pub repositories: Vec<PackageRepository>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageRepository {
    pub name: String,
    pub uri: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepositoryAddRequest {
    pub name: String,
    pub uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepositoryDeleteRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

// ---------------------------------------------------------------- errors

/// The error body: `{type, message, data?}` with [`ERROR_TYPE`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorResponse {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Map<String, Value>>,
}

/// A Cosmos error: the type name (Cosmos' class name), the HTTP status it
/// is served with, the message and the optional data. The package service
/// returns these; the server writes them as [`ErrorResponse`]; the CLI's
/// Cosmos client reads them back (status from the response).
#[derive(Clone, Debug, PartialEq)]
pub struct CosmosError {
    pub kind: String,
    pub status: u16,
    pub message: String,
    pub data: Option<Map<String, Value>>,
}

impl fmt::Display for CosmosError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CosmosError {}

fn data(pairs: &[(&str, Value)]) -> Option<Map<String, Value>> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

impl CosmosError {
    pub fn new(kind: &str, status: u16, message: impl Into<String>) -> CosmosError {
        CosmosError {
            kind: kind.to_string(),
            status,
            message: message.into(),
            data: None,
        }
    }

    pub fn with_data(mut self, d: Map<String, Value>) -> CosmosError {
        self.data = Some(d);
        self
    }

    pub fn body(&self) -> ErrorResponse {
        ErrorResponse {
            kind: self.kind.clone(),
            message: self.message.clone(),
            data: self.data.clone(),
        }
    }

    pub fn from_body(status: u16, b: ErrorResponse) -> CosmosError {
        CosmosError {
            kind: b.kind,
            status,
            message: b.message,
            data: b.data,
        }
    }

    pub fn package_not_found(name: &str) -> CosmosError {
        let mut e = Self::new(
            "PackageNotFound",
            400,
            format!("Package [{name}] not found"),
        );
        e.data = data(&[("packageName", Value::from(name))]);
        e
    }

    pub fn version_not_found(name: &str, version: &str) -> CosmosError {
        let mut e = Self::new(
            "VersionNotFound",
            400,
            format!("Version [{version}] of package [{name}] not found"),
        );
        e.data = data(&[
            ("packageName", Value::from(name)),
            ("packageVersion", Value::from(version)),
        ]);
        e
    }

    pub fn package_not_installed(name: &str) -> CosmosError {
        let mut e = Self::new(
            "PackageNotInstalled",
            400,
            format!("Package [{name}] is not installed"),
        );
        e.data = data(&[("packageName", Value::from(name))]);
        e
    }

    pub fn uninstall_non_existent_app(name: &str, app_id: &str) -> CosmosError {
        let mut e = Self::new(
            "UninstallNonExistentAppForPackage",
            400,
            format!("Package [{name}] with id [{app_id}] is not installed"),
        );
        e.data = data(&[
            ("packageName", Value::from(name)),
            ("appId", Value::from(app_id)),
        ]);
        e
    }

    pub fn ambiguous_app_id(name: &str, app_ids: &[String]) -> CosmosError {
        let mut e = Self::new(
            "AmbiguousAppId",
            400,
            format!(
                "Multiple apps named [{name}] are installed: [{}]",
                app_ids.join(", ")
            ),
        );
        e.data = data(&[
            ("packageName", Value::from(name)),
            ("appIds", Value::from(app_ids.to_vec())),
        ]);
        e
    }

    pub fn package_already_installed() -> CosmosError {
        Self::new(
            "PackageAlreadyInstalled",
            409,
            "Package is already installed",
        )
    }

    pub fn options_not_allowed() -> CosmosError {
        Self::new(
            "OptionsNotAllowed",
            400,
            "No schema available to validate the provided options",
        )
    }

    /// `data.errors`: one object per failure (`message`, `instance.pointer`,
    /// `keyword`, as fge's validator reports).
    pub fn json_schema_mismatch(errors: Vec<Value>) -> CosmosError {
        let mut e = Self::new("JsonSchemaMismatch", 400, "Options JSON failed validation");
        e.data = data(&[("errors", Value::Array(errors))]);
        e
    }

    /// An unexpected failure (500).
    pub fn unhandled(message: impl Into<String>) -> CosmosError {
        Self::new("unhandled_exception", 500, message)
    }

    /// The exit code the CLI uses for this error (see `mesos --help`):
    /// 4 for not found / not installed / ambiguous, else 1.
    pub fn exit_kind_not_found(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "PackageNotFound"
                | "VersionNotFound"
                | "PackageNotInstalled"
                | "UninstallNonExistentAppForPackage"
                | "AmbiguousAppId"
                | "RepositoryNotPresent"
        )
    }
}
