//! The repository stands alone: no source, script or document points at
//! files outside it, and every `docs/<name>.md[#section]` cited in the code
//! and docs exists, down to the section. (CI runs the whole suite in a fresh
//! clone with nothing beside it, `.ci/run`; this test catches what only a
//! reader would notice: comments citing documents that are not here.)

use std::path::{Path, PathBuf};

use regex_lite::Regex;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Text files of the repository worth reading: sources, scripts and docs.
/// `fuzz/` is left out of the citation check only (its PROVENANCE.md cites
/// upstream Apache Mesos documents by their upstream paths).
fn text_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("rs" | "sh" | "md" | "toml")
            ) {
                out.push(p);
            }
        }
    }
    let root = root();
    let mut out = vec![
        root.join("README.md"),
        root.join("Cargo.toml"),
        root.join(".ci/run"),
    ];
    for dir in [
        "src", "tests", "scripts", "bench", "examples", "docs", "fuzz",
    ] {
        walk(&root.join(dir), &mut out);
    }
    assert!(out.len() > 100, "only {} files found", out.len());
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap().display().to_string()
}

/// GitHub's anchor for a Markdown heading: lower case, spaces to `-`,
/// punctuation other than `-` and `_` dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Anchors of a Markdown document's headings (not of `#` lines in fenced
/// code blocks).
fn anchors(doc: &str) -> Vec<String> {
    let mut in_code = false;
    let mut out = Vec::new();
    for l in doc.lines() {
        if l.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && l.starts_with('#') {
            out.push(slug(l.trim_start_matches('#')));
        }
    }
    out
}

#[test]
fn nothing_refers_outside_the_repository() {
    // Built from parts so that this file does not match itself.
    let outside = [format!("{}/shared", ".."), format!("/work{}", "/shared")];
    let mut found = Vec::new();
    for p in text_files() {
        let text = std::fs::read_to_string(&p).unwrap();
        for (n, line) in text.lines().enumerate() {
            if outside.iter().any(|o| line.contains(o.as_str())) {
                found.push(format!("{}:{}: {}", rel(&p), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "outside references:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_cited_doc_and_section_exists() {
    let cite = Regex::new(r"(?:^|[^A-Za-z0-9_./-])docs/([A-Za-z0-9_-]+\.md)(?:#([A-Za-z0-9_-]+))?")
        .unwrap();
    let mut checked = 0;
    let mut broken = Vec::new();
    for p in text_files() {
        if rel(&p).starts_with("fuzz/") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for (n, line) in text.lines().enumerate() {
            for c in cite.captures_iter(line) {
                checked += 1;
                let doc = root().join("docs").join(&c[1]);
                let Ok(body) = std::fs::read_to_string(&doc) else {
                    broken.push(format!(
                        "{}:{}: docs/{} does not exist",
                        rel(&p),
                        n + 1,
                        &c[1]
                    ));
                    continue;
                };
                if let Some(anchor) = c.get(2) {
                    if !anchors(&body).iter().any(|a| a == anchor.as_str()) {
                        broken.push(format!(
                            "{}:{}: docs/{} has no section #{}",
                            rel(&p),
                            n + 1,
                            &c[1],
                            anchor.as_str()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "broken citations:\n{}",
        broken.join("\n")
    );
    // `grep -rhoE 'docs/[A-Za-z0-9_-]+\.md' src tests scripts bench examples docs
    // README.md .ci/run | wc -l` -> 80 (before this test was written).
    assert!(checked > 50, "only {checked} citations found");
}

#[test]
fn slugs_follow_github() {
    assert_eq!(slug(" HTTP conventions"), "http-conventions");
    assert_eq!(slug(" MasterInfo"), "masterinfo");
    assert_eq!(
        slug(" Resources and attributes"),
        "resources-and-attributes"
    );
    assert_eq!(
        slug(" `mesos cluster up --secure`"),
        "mesos-cluster-up---secure"
    );
    assert_eq!(
        anchors("# A\n## Files API\ntext # not a heading\n```sh\n# comment\n```\n"),
        vec!["a", "files-api"]
    );
}
