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
    read_package_files(dir, release_version, |name| {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    })
}

/// Read one package revision from its files, whatever holds them (a
/// directory, or texts built into the binary): `file(name)` returns the
/// text of `package.json`, `config.json`, ... or `None` when the revision
/// has no such file. Errors name the file as `<dir>/<name>`.
pub fn read_package_files(
    dir: &Path,
    release_version: u64,
    file: impl Fn(&str) -> Result<Option<String>, String>,
) -> Result<Package, String> {
    let package_file = dir.join("package.json");
    let mut pkg: Package = parse_json(&package_file, file("package.json")?)?
        .ok_or_else(|| format!("{}: missing", package_file.display()))?;
    pkg.release_version = release_version;
    let config_file = dir.join("config.json");
    if let Some(config) = parse_json::<serde_json::Value>(&config_file, file("config.json")?)? {
        if !config.is_object() {
            return Err(format!(
                "{}: the config schema is not a JSON object",
                config_file.display()
            ));
        }
        pkg.config = Some(config);
    }
    if let Some(resource) =
        parse_json::<Resource>(&dir.join("resource.json"), file("resource.json")?)?
    {
        pkg.resource = Some(resource);
    }
    if let Some(command) = parse_json::<Command>(&dir.join("command.json"), file("command.json")?)?
    {
        pkg.command = Some(command);
    }
    if let Some(text) = file("marathon.json.mustache")? {
        pkg.marathon = Some(MarathonTemplate::from_template(&text));
    }
    pkg.check()
        .map_err(|e| format!("{}: {e}", package_file.display()))?;
    Ok(pkg)
}

/// Parse a file's text into `T`; `Ok(None)` when there is no such file.
fn parse_json<T: DeserializeOwned>(path: &Path, text: Option<String>) -> Result<Option<T>, String> {
    let Some(text) = text else {
        return Ok(None);
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
