//! What an installed app's labels say about its package: an installation
//! is a Marathon app carrying `DCOS_PACKAGE_NAME`; its package is decoded
//! from `DCOS_PACKAGE_DEFINITION` (base64 of a storage envelope whose
//! `data` is base64 of the gzipped package JSON), else from
//! `DCOS_PACKAGE_METADATA` (base64 of the package details), as Cosmos
//! 0.4/0.5 read them — so apps installed by older DC/OS versions count.

use std::collections::BTreeMap;
use std::io::Read as _;

use base64::Engine as _;
use serde::Deserialize;

use super::LABEL_FRAMEWORK_NAME;
use crate::packages::cosmos::{PackageDetails, PackageInformation};
use crate::packages::model::{Images, Package, Resource};
use crate::packages::render::{LABEL_DEFINITION, LABEL_METADATA, LABEL_NAME, LABEL_VERSION};
use crate::wire::marathon::AppView;

/// An app as install, list and uninstall see it.
#[derive(Clone, Debug)]
pub struct InstalledApp<'a> {
    pub app: &'a AppView,
    /// `DCOS_PACKAGE_NAME`.
    pub name: &'a str,
    /// `DCOS_PACKAGE_VERSION`.
    pub version: Option<&'a str>,
    /// `DCOS_PACKAGE_FRAMEWORK_NAME`.
    pub framework: Option<&'a str>,
}

impl<'a> InstalledApp<'a> {
    /// `None` for an app no package manager installed.
    pub fn of(app: &'a AppView) -> Option<InstalledApp<'a>> {
        let labels = &app.app.labels;
        Some(InstalledApp {
            app,
            name: labels.get(LABEL_NAME)?.as_str(),
            version: labels.get(LABEL_VERSION).map(String::as_str),
            framework: labels
                .get(LABEL_FRAMEWORK_NAME)
                .map(String::as_str)
                .filter(|f| !f.is_empty()),
        })
    }

    pub fn id(&self) -> String {
        self.app.app.id.to_string()
    }

    /// The package information its labels carry; `None` when they cannot
    /// be decoded.
    pub fn information(&self) -> Option<PackageInformation> {
        information(&self.app.app.labels)
    }
}

/// Decode `DCOS_PACKAGE_DEFINITION`, else `DCOS_PACKAGE_METADATA`.
pub fn information(labels: &BTreeMap<String, String>) -> Option<PackageInformation> {
    if let Some(pkg) = labels.get(LABEL_DEFINITION).and_then(|d| definition(d)) {
        return Some(PackageInformation {
            package_definition: PackageDetails::of(&pkg),
            resource_definition: pkg.resource.clone(),
        });
    }
    let meta = labels.get(LABEL_METADATA)?;
    let bytes = b64(meta)?;
    let m: Metadata = serde_json::from_slice(&bytes).ok()?;
    let resource_definition = m.images.clone().map(|images| Resource {
        images: Some(images),
        ..Resource::default()
    });
    Some(PackageInformation {
        package_definition: m.details,
        resource_definition,
    })
}

/// The full package of a `DCOS_PACKAGE_DEFINITION` label.
pub fn definition(label: &str) -> Option<Package> {
    let envelope: Envelope = serde_json::from_slice(&b64(label)?).ok()?;
    let data = b64(&envelope.data)?;
    let json = match envelope.metadata.content_encoding.as_deref() {
        Some("gzip") => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(data.as_slice())
                .read_to_end(&mut out)
                .ok()?;
            out
        }
        None | Some("") | Some("identity") => data,
        Some(_) => return None,
    };
    serde_json::from_slice(&json).ok()
}

fn b64(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
}

#[derive(Deserialize)]
struct Envelope {
    metadata: EnvelopeMetadata,
    data: String,
}

#[derive(Deserialize)]
struct EnvelopeMetadata {
    #[serde(rename = "Content-Encoding", default)]
    content_encoding: Option<String>,
}

/// `DCOS_PACKAGE_METADATA`: the details plus `images`.
#[derive(Deserialize)]
struct Metadata {
    #[serde(flatten)]
    details: PackageDetails,
    #[serde(default)]
    images: Option<Images>,
}
