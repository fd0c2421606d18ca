//! Typed Universe packages (`package.json` across packagingVersion 2.0–5.0),
//! `resource.json`, and the repository document `{"packages":[…]}` in which
//! each package carries its config, resource, command and base64 template
//! inline.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One package revision as it appears in a repository document (the
/// `package.json` fields plus the inlined files).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Package {
    pub packaging_version: String,
    pub name: String,
    pub version: String,
    /// The directory index `<N>`; "latest" is the highest. Source-layout
    /// packages get it from their directory name.
    #[serde(default)]
    pub release_version: u64,
    #[serde(default)]
    pub maintainer: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub selected: bool,
    #[serde(default)]
    pub framework: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_install_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_install_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_uninstall_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licenses: Option<Vec<License>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_dcos_release_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrades_from: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub downgrades_to: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<Manager>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_known_issues: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marathon: Option<MarathonTemplate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    /// The config JSON Schema (free-form by nature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct License {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manager {
    pub package_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_package_version: Option<String>,
}

/// `marathon.v2AppMustacheTemplate`: standard base64 of the template bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarathonTemplate {
    pub v2_app_mustache_template: String,
}

impl MarathonTemplate {
    pub fn from_template(text: &str) -> Self {
        MarathonTemplate {
            v2_app_mustache_template: base64::engine::general_purpose::STANDARD.encode(text),
        }
    }

    /// The decoded template text.
    pub fn template(&self) -> Result<String, String> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(self.v2_app_mustache_template.trim())
            .map_err(|e| format!("marathon.v2AppMustacheTemplate is not base64: {e}"))?;
        String::from_utf8(bytes)
            .map_err(|_| "marathon.v2AppMustacheTemplate is not UTF-8 text".to_string())
    }
}

/// `command.json`: pip requirement lines (packagingVersion 2.0/3.0 only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Command {
    pub pip: Vec<String>,
}

/// `resource.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Images>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assets: Option<Assets>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cli: Option<Cli>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Images {
    #[serde(
        rename = "icon-small",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub icon_small: Option<String>,
    #[serde(
        rename = "icon-medium",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub icon_medium: Option<String>,
    #[serde(
        rename = "icon-large",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub icon_large: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screenshots: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Assets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uris: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<AssetContainer>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AssetContainer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker: Option<BTreeMap<String, String>>,
}

/// `cli.binaries.<os>.<arch>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cli {
    pub binaries: BTreeMap<String, BTreeMap<String, CliBinary>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CliBinary {
    pub kind: String,
    pub url: String,
    #[serde(default)]
    pub content_hash: Vec<ContentHash>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentHash {
    pub algo: String,
    pub value: String,
}

/// A repository document: `{"packages":[…]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Repository {
    pub packages: Vec<Package>,
}

impl Repository {
    /// Parse a repository document; the error names the package index.
    pub fn parse(text: &str) -> Result<Repository, String> {
        let raw: RawRepository = serde_json::from_str(text)
            .map_err(|e| format!("not a Universe repository document: {e}"))?;
        let mut packages = Vec::with_capacity(raw.packages.len());
        for (i, p) in raw.packages.into_iter().enumerate() {
            let pkg: Package = serde_json::from_value(Value::Object(p))
                .map_err(|e| format!("packages[{i}]: {e}"))?;
            pkg.check().map_err(|e| format!("packages[{i}]: {e}"))?;
            packages.push(pkg);
        }
        Ok(Repository { packages })
    }
}

#[derive(Deserialize)]
struct RawRepository {
    packages: Vec<Map<String, Value>>,
}

const PACKAGING_VERSIONS: [&str; 4] = ["2.0", "3.0", "4.0", "5.0"];

impl Package {
    /// The checks on the fields that the packaging version rules (§1.1).
    pub fn check(&self) -> Result<(), String> {
        if !PACKAGING_VERSIONS.contains(&self.packaging_version.as_str()) {
            return Err(format!(
                "packagingVersion {:?} is not one of 2.0, 3.0, 4.0, 5.0",
                self.packaging_version
            ));
        }
        if self.name.is_empty() {
            return Err("name is empty".into());
        }
        if self.packaging_version == "2.0" && self.marathon.is_none() {
            return Err(format!(
                "package {} (packagingVersion 2.0) has no Marathon template",
                self.name
            ));
        }
        if matches!(self.packaging_version.as_str(), "4.0" | "5.0") && self.command.is_some() {
            return Err(format!(
                "package {} (packagingVersion {}) may not have a command",
                self.name, self.packaging_version
            ));
        }
        if let Some(config) = &self.config {
            if !config.is_object() {
                return Err(format!(
                    "package {}: config is not a JSON object",
                    self.name
                ));
            }
        }
        Ok(())
    }

    /// The decoded Marathon template, if the package has one.
    pub fn template(&self) -> Result<Option<String>, String> {
        self.marathon.as_ref().map(|m| m.template()).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn fixture(name: &str) -> String {
        crate::test_fixtures::read_fixture_text(&format!("universe-example/{name}"))
    }

    #[test]
    fn parses_the_marathon_lb_package_and_resource() {
        let pkg: Package = serde_json::from_str(&fixture("package.json")).unwrap();
        assert_eq!(pkg.name, "marathon-lb");
        assert_eq!(pkg.version, "1.15.0");
        assert_eq!(pkg.packaging_version, "4.0");
        assert_eq!(pkg.min_dcos_release_version.as_deref(), Some("1.9"));
        assert_eq!(pkg.licenses.as_ref().unwrap().len(), 2);
        assert!(!pkg.selected && !pkg.framework);
        assert!(pkg.tags.contains(&"haproxy".to_string()));
        let res: Resource = serde_json::from_str(&fixture("resource.json")).unwrap();
        let docker = res.assets.unwrap().container.unwrap().docker.unwrap();
        assert_eq!(
            docker["marathon-lb-docker"],
            "mesosphere/marathon-lb:v1.15.0"
        );
    }

    #[test]
    fn repository_document_round_trips_the_template() {
        let mut pkg: Package = serde_json::from_str(&fixture("package.json")).unwrap();
        pkg.marathon = Some(MarathonTemplate::from_template("{\"id\":\"{{x}}\"}"));
        let doc = serde_json::to_string(&Repository {
            packages: vec![pkg],
        })
        .unwrap();
        let repo = Repository::parse(&doc).unwrap();
        assert_eq!(
            repo.packages[0].template().unwrap().as_deref(),
            Some("{\"id\":\"{{x}}\"}")
        );
    }

    #[test]
    fn bad_repository_documents_name_the_package() {
        let err = Repository::parse(r#"{"packages":[{"name":"x"}]}"#).unwrap_err();
        assert!(err.starts_with("packages[0]: "), "{err}");
        let err = Repository::parse(
            r#"{"packages":[{"packagingVersion":"9.0","name":"x","version":"1"}]}"#,
        )
        .unwrap_err();
        assert!(err.contains("packagingVersion \"9.0\""), "{err}");
        assert!(Repository::parse("[]").is_err());
    }
}
