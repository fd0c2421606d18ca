//! Editing an ordered repository list the way Cosmos does
//! (`repository/add`, `repository/delete`), with Cosmos' errors and
//! messages. Pure: callers load and store the list.

// Every failure here is a Cosmos wire error (`CosmosError`, the package
// service's error type), returned as is: not worth boxing.
#![allow(clippy::result_large_err)]

use serde_json::{Map, Value};

use super::cosmos::{CosmosError, PackageRepository};

fn name_uri_data(name: Option<&str>, uri: Option<&str>) -> Map<String, Value> {
    let mut d = Map::new();
    if let Some(n) = name {
        d.insert("name".into(), Value::from(n));
    }
    if let Some(u) = uri {
        d.insert("uri".into(), Value::from(u));
    }
    d
}

/// `RepositoryAlreadyPresent`: the name, the URI or both are taken.
pub fn already_present(name: Option<&str>, uri: Option<&str>) -> CosmosError {
    let message = match (name, uri) {
        (Some(n), Some(u)) => {
            format!("Repository name [{n}] and URI [{u}] are both already present in the list")
        }
        (Some(n), None) => format!("Repository name [{n}] is already present in the list"),
        (None, Some(u)) => format!("Repository URI [{u}] is already present in the list"),
        (None, None) => "Repository is already present in the list".to_string(),
    };
    CosmosError::new("RepositoryAlreadyPresent", 400, message).with_data(name_uri_data(name, uri))
}

/// `RepositoryNotPresent`.
pub fn not_present(name: Option<&str>, uri: Option<&str>) -> CosmosError {
    let message = match (name, uri) {
        (Some(n), Some(u)) => {
            format!("Neither repository name [{n}] nor URI [{u}] are present in the list")
        }
        (Some(n), None) => format!("Repository name [{n}] is not present in the list"),
        (None, Some(u)) => format!("Repository URI [{u}] is not present in the list"),
        (None, None) => return name_or_uri_missing(),
    };
    CosmosError::new("RepositoryNotPresent", 400, message).with_data(name_uri_data(name, uri))
}

/// `RepoNameOrUriMissing`.
pub fn name_or_uri_missing() -> CosmosError {
    CosmosError::new(
        "RepoNameOrUriMissing",
        400,
        "Must specify either the name or URI of the repository",
    )
}

/// `RepositoryAddIndexOutOfBounds` with `data: {attempted, max}`.
pub fn index_out_of_bounds(attempted: u32, max: i64) -> CosmosError {
    let mut d = Map::new();
    d.insert("attempted".into(), Value::from(attempted));
    d.insert("max".into(), Value::from(max));
    CosmosError::new(
        "RepositoryAddIndexOutOfBounds",
        400,
        format!("Index out of range: {attempted}"),
    )
    .with_data(d)
}

/// `UnsupportedRepositoryUri` with `data: {uri}`.
pub fn unsupported_uri(uri: &str) -> CosmosError {
    let mut d = Map::new();
    d.insert("uri".into(), Value::from(uri));
    CosmosError::new(
        "UnsupportedRepositoryUri",
        400,
        format!(
            "Repository URI [{uri}] uses an unsupported scheme. Only http and https are supported"
        ),
    )
    .with_data(d)
}

/// The URIs a server-side list accepts: `http(s)://…` and the built-in
/// repository's [`super::builtin::URI`].
pub fn check_http_uri(uri: &str) -> Result<(), CosmosError> {
    if uri == super::builtin::URI {
        return Ok(());
    }
    match reqwest::Url::parse(uri) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(()),
        _ => Err(unsupported_uri(uri)),
    }
}

/// `list` with `repo` inserted at `index` (appended without one, or when
/// `index` is the length). Refuses a name or URI already there, and an
/// index past the end (`max` = the last valid position, length - 1, as
/// Cosmos reports it).
pub fn add(
    list: &[PackageRepository],
    repo: PackageRepository,
    index: Option<u32>,
) -> Result<Vec<PackageRepository>, CosmosError> {
    let name = list.iter().any(|r| r.name == repo.name);
    let uri = list.iter().any(|r| r.uri == repo.uri);
    if name || uri {
        return Err(already_present(
            name.then_some(repo.name.as_str()),
            uri.then_some(repo.uri.as_str()),
        ));
    }
    let mut out = list.to_vec();
    match index {
        None => out.push(repo),
        Some(i) if (i as usize) <= out.len() => out.insert(i as usize, repo),
        Some(i) => return Err(index_out_of_bounds(i, out.len() as i64 - 1)),
    }
    Ok(out)
}

/// `list` without the repository named `name` and/or at `uri` (both given:
/// the entry must match both).
pub fn delete(
    list: &[PackageRepository],
    name: Option<&str>,
    uri: Option<&str>,
) -> Result<Vec<PackageRepository>, CosmosError> {
    if name.is_none() && uri.is_none() {
        return Err(name_or_uri_missing());
    }
    let hit =
        |r: &PackageRepository| name.is_none_or(|n| r.name == n) && uri.is_none_or(|u| r.uri == u);
    let out: Vec<PackageRepository> = list.iter().filter(|r| !hit(r)).cloned().collect();
    if out.len() == list.len() {
        return Err(not_present(name, uri));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(name: &str, uri: &str) -> PackageRepository {
        PackageRepository {
            name: name.into(),
            uri: uri.into(),
        }
    }

    #[test]
    fn add_places_and_refuses_like_cosmos() {
        let list = vec![r("a", "http://a"), r("b", "http://b")];
        let names = |l: &[PackageRepository]| l.iter().map(|x| x.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&add(&list, r("c", "http://c"), None).unwrap()),
            ["a", "b", "c"]
        );
        assert_eq!(
            names(&add(&list, r("c", "http://c"), Some(0)).unwrap()),
            ["c", "a", "b"]
        );
        assert_eq!(
            names(&add(&list, r("c", "http://c"), Some(2)).unwrap()),
            ["a", "b", "c"]
        );
        let e = add(&list, r("c", "http://c"), Some(3)).unwrap_err();
        assert_eq!(e.kind, "RepositoryAddIndexOutOfBounds");
        assert_eq!(e.message, "Index out of range: 3");
        assert_eq!(
            e.data.unwrap(),
            serde_json::json!({"attempted": 3, "max": 1})
                .as_object()
                .unwrap()
                .clone()
        );
        let e = add(&list, r("a", "http://b"), None).unwrap_err();
        assert_eq!(e.kind, "RepositoryAlreadyPresent");
        assert_eq!(
            e.message,
            "Repository name [a] and URI [http://b] are both already present in the list"
        );
        let e = add(&list, r("z", "http://a"), None).unwrap_err();
        assert_eq!(e.data.unwrap().keys().collect::<Vec<_>>(), ["uri"]);
    }

    #[test]
    fn delete_by_name_uri_or_both() {
        let list = vec![r("a", "http://a"), r("b", "http://b")];
        assert_eq!(
            delete(&list, Some("a"), None).unwrap(),
            vec![r("b", "http://b")]
        );
        assert_eq!(
            delete(&list, None, Some("http://b")).unwrap(),
            vec![r("a", "http://a")]
        );
        assert_eq!(
            delete(&list, Some("a"), Some("http://b")).unwrap_err().kind,
            "RepositoryNotPresent"
        );
        let e = delete(&list, Some("x"), None).unwrap_err();
        assert_eq!(e.message, "Repository name [x] is not present in the list");
        assert_eq!(
            delete(&list, None, None).unwrap_err().kind,
            "RepoNameOrUriMissing"
        );
    }

    #[test]
    fn only_http_and_builtin_uris() {
        assert!(check_http_uri("https://universe.mesosphere.com/repo").is_ok());
        assert!(check_http_uri("http://127.0.0.1:8085/repo").is_ok());
        assert!(check_http_uri("builtin").is_ok());
        for bad in ["file:///tmp/repo.json", "/tmp/repo", "ftp://x/y", "http//x"] {
            assert_eq!(
                check_http_uri(bad).unwrap_err().kind,
                "UnsupportedRepositoryUri",
                "{bad}"
            );
        }
    }
}
