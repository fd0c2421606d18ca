//! A local directory in the Universe source layout,
//! `repo/packages/<L>/<name>/<N>/{package,config,resource,command}.json` +
//! `marathon.json.mustache`, read into the same [`Repository`] as a
//! repository document (release version = `<N>`, files inlined, template
//! base64-encoded). Errors name the file and what is wrong.

use super::model::{Command, MarathonTemplate, Package, Repository, Resource};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// Read the source layout under `root` (a Universe checkout with
/// `repo/packages`, or a directory holding `packages` directly).
pub fn read_source_dir(root: &Path) -> Result<Repository, String> {
    let packages_dir = [root.join("repo").join("packages"), root.join("packages")]
        .into_iter()
        .find(|p| p.is_dir())
        .ok_or_else(|| {
            format!(
                "{}: not a Universe source directory (no repo/packages or packages directory)",
                root.display()
            )
        })?;
    let mut packages = Vec::new();
    for letter in sorted_dirs(&packages_dir)? {
        for name_dir in sorted_dirs(&letter)? {
            for rev_dir in sorted_dirs(&name_dir)? {
                let rev = file_name(&rev_dir);
                let Ok(release) = rev.parse::<u64>() else {
                    return Err(format!(
                        "{}: revision directory name is not a number",
                        rev_dir.display()
                    ));
                };
                let pkg = read_package_dir(&rev_dir, release)?;
                let dir_name = file_name(&name_dir);
                if pkg.name != dir_name {
                    return Err(format!(
                        "{}: name {:?} does not match its directory {:?}",
                        rev_dir.join("package.json").display(),
                        pkg.name,
                        dir_name
                    ));
                }
                packages.push(pkg);
            }
        }
    }
    Ok(Repository { packages })
}

/// Read one package revision directory (`<N>/`).
pub fn read_package_dir(dir: &Path, release_version: u64) -> Result<Package, String> {
    let package_file = dir.join("package.json");
    if !package_file.is_file() {
        return Err(format!("{}: missing", package_file.display()));
    }
    let mut pkg: Package =
        read_json(&package_file)?.ok_or_else(|| format!("{}: missing", package_file.display()))?;
    pkg.release_version = release_version;
    if let Some(config) = read_json::<serde_json::Value>(&dir.join("config.json"))? {
        if !config.is_object() {
            return Err(format!(
                "{}: the config schema is not a JSON object",
                dir.join("config.json").display()
            ));
        }
        pkg.config = Some(config);
    }
    if let Some(resource) = read_json::<Resource>(&dir.join("resource.json"))? {
        pkg.resource = Some(resource);
    }
    if let Some(command) = read_json::<Command>(&dir.join("command.json"))? {
        pkg.command = Some(command);
    }
    let template_file = dir.join("marathon.json.mustache");
    if template_file.is_file() {
        let text = std::fs::read_to_string(&template_file)
            .map_err(|e| format!("{}: {e}", template_file.display()))?;
        pkg.marathon = Some(MarathonTemplate::from_template(&text));
    }
    pkg.check()
        .map_err(|e| format!("{}: {e}", package_file.display()))?;
    Ok(pkg)
}

/// Parse a JSON file into `T`; `Ok(None)` when it does not exist.
fn read_json<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn sorted_dirs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The real marathon-lb package as a one-package source layout
    /// (`repo/packages/M/marathon-lb/45/`) in a temp dir.
    pub(crate) fn marathon_lb_source() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("repo/packages/M/marathon-lb/45");
        std::fs::create_dir_all(&dir).unwrap();
        let fixtures = crate::test_fixtures::fixtures_dir().join("universe-example");
        for f in [
            "package.json",
            "config.json",
            "resource.json",
            "marathon.json.mustache",
        ] {
            std::fs::copy(fixtures.join(f), dir.join(f)).unwrap();
        }
        tmp
    }

    #[test]
    fn reads_the_marathon_lb_source_layout() {
        let tmp = marathon_lb_source();
        let repo = read_source_dir(tmp.path()).unwrap();
        assert_eq!(repo.packages.len(), 1);
        let pkg = &repo.packages[0];
        assert_eq!(
            (pkg.name.as_str(), pkg.release_version),
            ("marathon-lb", 45)
        );
        assert!(pkg.config.is_some() && pkg.resource.is_some());
        let template = pkg.template().unwrap().unwrap();
        assert!(template.contains("{{marathon-lb.name}}"));
        // The same in-memory repository as the repository document.
        let doc = serde_json::to_string(&repo).unwrap();
        assert_eq!(Repository::parse(&doc).unwrap(), repo);
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let tmp = marathon_lb_source();
        let dir = tmp.path().join("repo/packages/M/marathon-lb/45");
        std::fs::write(dir.join("config.json"), "{ not json").unwrap();
        let err = read_source_dir(tmp.path()).unwrap_err();
        assert!(err.contains("45/config.json: "), "{err}");

        std::fs::remove_file(dir.join("config.json")).unwrap();
        std::fs::write(dir.join("resource.json"), r#"{"icons":{}}"#).unwrap();
        let err = read_source_dir(tmp.path()).unwrap_err();
        assert!(
            err.contains("45/resource.json: unknown field `icons`"),
            "{err}"
        );

        std::fs::remove_file(dir.join("resource.json")).unwrap();
        std::fs::rename(&dir, tmp.path().join("repo/packages/M/marathon-lb/latest")).unwrap();
        let err = read_source_dir(tmp.path()).unwrap_err();
        assert!(
            err.contains("latest: revision directory name is not a number"),
            "{err}"
        );

        // Packaging-version rules: 4.0 forbids command.json.
        std::fs::rename(tmp.path().join("repo/packages/M/marathon-lb/latest"), &dir).unwrap();
        std::fs::write(dir.join("command.json"), r#"{"pip":["x"]}"#).unwrap();
        let err = read_source_dir(tmp.path()).unwrap_err();
        assert!(err.contains("45/package.json: package marathon-lb (packagingVersion 4.0) may not have a command"), "{err}");

        let empty = tempfile::tempdir().unwrap();
        let err = read_source_dir(empty.path()).unwrap_err();
        assert!(err.contains("not a Universe source directory"), "{err}");
    }
}
