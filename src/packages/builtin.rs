//! The built-in repository, embedded in the binary: packages that run on a
//! `mesos cluster up` cluster with nothing to download (see
//! docs/packages.md, "The built-in repository").
//!
//! The packages are checked in as a Universe source layout under
//! `src/packages/builtin/packages/<L>/<name>/<N>/` and read through the
//! same code as a source directory ([`super::source::read_package_files`]).
//! Each runs `mesos serve <kind>` (or `mesos marathon`) as a Marathon app
//! with one port and an HTTP health check.

use std::path::Path;
use std::sync::OnceLock;

use super::model::Repository;
use super::source::read_package_files;

/// The name and URI of the built-in repository (`--repo builtin`, the
/// default repository of `mesos cluster up` profiles).
pub const NAME: &str = "builtin";
pub const URI: &str = "builtin";

/// One package revision's files as built into the binary.
struct Embedded {
    /// `<L>/<name>/<N>`.
    dir: &'static str,
    files: &'static [(&'static str, &'static str)],
}

macro_rules! embedded {
    ($dir:literal: $($file:literal),+) => {
        Embedded {
            dir: $dir,
            files: &[$(($file, include_str!(concat!("builtin/packages/", $dir, "/", $file)))),+],
        }
    };
}

const PACKAGES: &[Embedded] = &[
    embedded!("C/cron/0": "package.json", "config.json", "marathon.json.mustache"),
    embedded!("H/hello/0": "package.json", "config.json", "marathon.json.mustache"),
    embedded!("K/kv/0": "package.json", "config.json", "marathon.json.mustache"),
    embedded!("M/marathon/0": "package.json", "config.json", "marathon.json.mustache"),
    embedded!("S/static/0": "package.json", "config.json", "marathon.json.mustache"),
];

/// Read the embedded packages; the error names the package file.
fn read() -> Result<Repository, String> {
    let mut packages = Vec::with_capacity(PACKAGES.len());
    for p in PACKAGES {
        let dir = Path::new("builtin/packages").join(p.dir);
        let release = p
            .dir
            .rsplit('/')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .ok_or_else(|| format!("{}: revision directory name is not a number", p.dir))?;
        let pkg = read_package_files(&dir, release, |name| {
            Ok(p.files
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| text.to_string()))
        })?;
        packages.push(pkg);
    }
    Ok(Repository { packages })
}

/// The built-in repository's packages.
pub fn repository() -> Repository {
    static REPO: OnceLock<Repository> = OnceLock::new();
    REPO.get_or_init(|| match read() {
        Ok(r) => r,
        Err(e) => {
            // Unreachable in a tested build (see the tests below).
            eprintln!("warning: the built-in package repository is broken: {e}");
            Repository::default()
        }
    })
    .clone()
}

#[cfg(test)]
#[path = "builtin_tests.rs"]
mod tests;
