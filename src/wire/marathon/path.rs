//! Marathon path ids (`/group/app`): parsing, validation and the derived
//! forms (the "safe" id of task ids, the Mesos task name).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An absolute Marathon path id. Parsing drops empty segments, so `//a/b/`
/// is `/a/b` (marathon-python's `scale_app` sends `PUT /v2/apps//ID`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PathId(Vec<String>);

impl PathId {
    /// The root group `/`.
    pub fn root() -> PathId {
        PathId(Vec::new())
    }

    /// Parse `s` as an absolute id (`foo` is `/foo`); no validation.
    pub fn parse(s: &str) -> PathId {
        PathId(
            s.split('/')
                .filter(|seg| !seg.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    /// Parse `s` relative to `base` (group bodies): an id starting with `/`
    /// is absolute, `..` goes up a level, anything else is below `base`.
    pub fn resolve(base: &PathId, s: &str) -> PathId {
        if s.starts_with('/') {
            return PathId::parse(s);
        }
        let mut out = base.0.clone();
        for seg in s.split('/').filter(|seg| !seg.is_empty()) {
            match seg {
                "." => {}
                ".." => {
                    out.pop();
                }
                _ => out.push(seg.to_string()),
            }
        }
        PathId(out)
    }

    pub fn segments(&self) -> &[String] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The enclosing group (`/a/b` -> `/a`; the root's parent is the root).
    pub fn parent(&self) -> PathId {
        let mut v = self.0.clone();
        v.pop();
        PathId(v)
    }

    /// Whether `self` is `other` or below it.
    pub fn is_under(&self, other: &PathId) -> bool {
        self.0.starts_with(&other.0)
    }

    /// Segments joined by `_`: the prefix of task ids (`/a/b` -> `a_b`).
    pub fn safe(&self) -> String {
        self.0.join("_")
    }

    /// The Mesos task name: segments reversed, joined by `.` (`/a/b` -> `b.a`).
    pub fn task_name(&self) -> String {
        let mut v = self.0.clone();
        v.reverse();
        v.join(".")
    }

    /// The first segment that is not a valid Marathon id segment (lower-case
    /// letters, digits and `-`, `.`-separated labels, no label starting or
    /// ending with `-`), if any.
    pub fn invalid_segment(&self) -> Option<&str> {
        self.0
            .iter()
            .find(|seg| !valid_segment(seg))
            .map(String::as_str)
    }
}

fn valid_segment(seg: &str) -> bool {
    !seg.is_empty()
        && seg.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

impl fmt::Display for PathId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.0.join("/"))
    }
}

impl Serialize for PathId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PathId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(PathId::parse(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_forms() {
        let p = PathId::parse("//tools/docker/registry/");
        assert_eq!(p.to_string(), "/tools/docker/registry");
        assert_eq!(p.safe(), "tools_docker_registry");
        assert_eq!(p.task_name(), "registry.docker.tools");
        assert_eq!(p.parent().to_string(), "/tools/docker");
        assert_eq!(PathId::parse("foo").to_string(), "/foo");
        assert_eq!(PathId::root().to_string(), "/");
        assert!(p.is_under(&PathId::parse("/tools")));
        assert!(!PathId::parse("/toolsx").is_under(&PathId::parse("/tools")));
    }

    #[test]
    fn relative_ids_resolve_against_the_group() {
        let g = PathId::parse("/prod/db");
        assert_eq!(PathId::resolve(&g, "mysql").to_string(), "/prod/db/mysql");
        assert_eq!(PathId::resolve(&g, "../web").to_string(), "/prod/web");
        assert_eq!(PathId::resolve(&g, "/x").to_string(), "/x");
    }

    #[test]
    fn segment_rules() {
        assert_eq!(PathId::parse("/a-b/c.d/x1").invalid_segment(), None);
        assert_eq!(PathId::parse("/Foo").invalid_segment(), Some("Foo"));
        assert_eq!(PathId::parse("/a/-b").invalid_segment(), Some("-b"));
        assert_eq!(PathId::parse("/a/b-").invalid_segment(), Some("b-"));
        assert_eq!(PathId::parse("/a_b").invalid_segment(), Some("a_b"));
        assert_eq!(PathId::parse("/a..b").invalid_segment(), Some("a..b"));
    }
}
