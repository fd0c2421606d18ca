//! Search over repositories (name, tags, description; case-insensitive,
//! `*` as a wildcard) and version selection across an ordered list of
//! repositories (index 0 has the highest priority).

use super::model::{Package, Repository};
use std::fmt;

/// One search hit: the latest revision of a name plus all its versions.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit<'a> {
    pub package: &'a Package,
    /// `(version, releaseVersion)`, newest release first.
    pub versions: Vec<(&'a str, u64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LookupError {
    /// Cosmos `PackageNotFound`.
    PackageNotFound(String),
    /// Cosmos `VersionNotFound`.
    VersionNotFound { name: String, version: String },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::PackageNotFound(n) => write!(f, "Package [{n}] not found"),
            LookupError::VersionNotFound { name, version } => {
                write!(f, "Version [{version}] of package [{name}] not found")
            }
        }
    }
}

impl std::error::Error for LookupError {}

/// Does `query` match the package? Empty matches all; with `*` the query is
/// a wildcard pattern over the whole name or a whole tag; otherwise a
/// case-insensitive substring of the name, the description or a tag.
pub fn matches(pkg: &Package, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return true;
    }
    if q.contains('*') {
        return wildcard(&q, &pkg.name.to_lowercase())
            || pkg.tags.iter().any(|t| wildcard(&q, &t.to_lowercase()));
    }
    pkg.name.to_lowercase().contains(&q)
        || pkg.description.to_lowercase().contains(&q)
        || pkg.tags.iter().any(|t| t.to_lowercase().contains(&q))
}

fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// The packages with this name that count, highest priority first: for
/// each version the copy from the earliest repository.
fn candidates<'a>(repos: &'a [Repository], name: &str) -> Vec<&'a Package> {
    let mut out: Vec<&Package> = Vec::new();
    for repo in repos {
        for pkg in repo.packages.iter().filter(|p| p.name == name) {
            if !out.iter().any(|p| p.version == pkg.version) {
                out.push(pkg);
            }
        }
    }
    out
}

/// The package to use: the given `version` exactly, or the latest — the
/// highest releaseVersion in the first repository that has the name.
pub fn select<'a>(
    repos: &'a [Repository],
    name: &str,
    version: Option<&str>,
) -> Result<&'a Package, LookupError> {
    let found = candidates(repos, name);
    if found.is_empty() {
        return Err(LookupError::PackageNotFound(name.to_string()));
    }
    match version {
        Some(v) => {
            found
                .into_iter()
                .find(|p| p.version == v)
                .ok_or_else(|| LookupError::VersionNotFound {
                    name: name.to_string(),
                    version: v.to_string(),
                })
        }
        None => {
            let first_repo = repos
                .iter()
                .find(|r| r.packages.iter().any(|p| p.name == name))
                .map(|r| &r.packages);
            first_repo
                .and_then(|ps| {
                    ps.iter()
                        .filter(|p| p.name == name)
                        .max_by_key(|p| p.release_version)
                })
                .ok_or_else(|| LookupError::PackageNotFound(name.to_string()))
        }
    }
}

/// All versions of a name, `(version, releaseVersion)`, newest first.
pub fn versions<'a>(
    repos: &'a [Repository],
    name: &str,
) -> Result<Vec<(&'a str, u64)>, LookupError> {
    let mut found: Vec<(&str, u64)> = candidates(repos, name)
        .into_iter()
        .map(|p| (p.version.as_str(), p.release_version))
        .collect();
    if found.is_empty() {
        return Err(LookupError::PackageNotFound(name.to_string()));
    }
    found.sort_by_key(|v| std::cmp::Reverse(v.1));
    Ok(found)
}

/// Search all repositories: one hit per name (its latest revision),
/// `selected` packages first, then by name.
pub fn search<'a>(repos: &'a [Repository], query: &str) -> Vec<SearchHit<'a>> {
    let mut names: Vec<&str> = Vec::new();
    for pkg in repos.iter().flat_map(|r| &r.packages) {
        if !names.contains(&pkg.name.as_str()) {
            names.push(&pkg.name);
        }
    }
    let mut hits: Vec<SearchHit> = names
        .into_iter()
        .filter_map(|name| {
            let package = select(repos, name, None).ok()?;
            if !matches(package, query) {
                return None;
            }
            let versions = versions(repos, name).ok()?;
            Some(SearchHit { package, versions })
        })
        .collect();
    hits.sort_by(|a, b| {
        b.package
            .selected
            .cmp(&a.package.selected)
            .then_with(|| a.package.name.cmp(&b.package.name))
    });
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pkg(
        name: &str,
        version: &str,
        release: u64,
        selected: bool,
        tags: &[&str],
        desc: &str,
    ) -> Package {
        serde_json::from_value(json!({
            "packagingVersion": "3.0", "name": name, "version": version,
            "releaseVersion": release, "selected": selected, "tags": tags,
            "description": desc, "maintainer": "m"
        }))
        .unwrap()
    }

    fn repos() -> Vec<Repository> {
        vec![
            Repository {
                packages: vec![
                    pkg(
                        "web",
                        "1.0",
                        0,
                        false,
                        &["http", "static"],
                        "A Static web server",
                    ),
                    pkg("web", "1.1", 2, false, &["http"], "A static web server"),
                    pkg("web", "0.9-beta", 1, false, &[], "old"),
                    pkg("kv", "2", 0, false, &["store"], "Key-value store"),
                ],
            },
            Repository {
                packages: vec![
                    pkg("web", "9.0", 9, false, &[], "lower priority copy"),
                    pkg("web", "1.0", 5, false, &[], "shadowed"),
                    pkg("echo", "1", 0, true, &["HTTP"], "Echo service"),
                ],
            },
        ]
    }

    #[test]
    fn search_by_name_tag_description_selected_first() {
        let r = repos();
        let names = |q: &str| -> Vec<String> {
            search(&r, q)
                .iter()
                .map(|h| h.package.name.clone())
                .collect()
        };
        assert_eq!(names(""), ["echo", "kv", "web"]);
        assert_eq!(names("http"), ["echo", "web"]);
        assert_eq!(names("STATIC"), ["web"]);
        assert_eq!(names("key-VALUE"), ["kv"]);
        assert_eq!(names("w*b"), ["web"]);
        assert_eq!(names("st*"), ["kv"]);
        assert!(names("nothing").is_empty());
        let web = search(&r, "web").remove(0);
        assert_eq!(web.package.version, "1.1");
        assert_eq!(
            web.versions,
            [("9.0", 9), ("1.1", 2), ("0.9-beta", 1), ("1.0", 0)]
        );
    }

    #[test]
    fn version_selection() {
        let r = repos();
        // Latest: highest releaseVersion of the first repository with the name.
        assert_eq!(select(&r, "web", None).unwrap().version, "1.1");
        assert_eq!(select(&r, "echo", None).unwrap().version, "1");
        // An exact version; the earliest repository's copy wins.
        assert_eq!(
            select(&r, "web", Some("1.0")).unwrap().description,
            "A Static web server"
        );
        assert_eq!(select(&r, "web", Some("9.0")).unwrap().release_version, 9);
        assert_eq!(
            select(&r, "web", Some("2.0")).unwrap_err().to_string(),
            "Version [2.0] of package [web] not found"
        );
        assert_eq!(
            select(&r, "nope", None).unwrap_err(),
            LookupError::PackageNotFound("nope".into())
        );
        assert!(versions(&r, "nope").is_err());
    }
}
