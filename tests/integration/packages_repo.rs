//! `mesos package repo|search|describe` with the local package manager: the
//! repository list kept in the profile, source-directory and HTTP
//! repositories (with the on-disk cache and its revalidation), and the
//! errors a broken repository or package gives. No cluster is involved.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::{json, Value};

use crate::common::http::{Answer, TestServer};
use crate::common::{fixtures_dir, free_port, TestEnv};

const REPO_V4: &str = "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4";

/// Write one package revision in the Universe source layout under `root`.
fn write_package(
    root: &Path,
    package: &Value,
    release: u32,
    template: &str,
    config: Option<&Value>,
) {
    let name = package["name"].as_str().unwrap();
    let letter = name[..1].to_uppercase();
    let dir = root
        .join("packages")
        .join(letter)
        .join(name)
        .join(release.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("package.json"), package.to_string()).unwrap();
    std::fs::write(dir.join("marathon.json.mustache"), template).unwrap();
    if let Some(c) = config {
        std::fs::write(dir.join("config.json"), c.to_string()).unwrap();
    }
}

const HELLO_TEMPLATE: &str = r#"{
  "id": "{{hello.name}}",
  "cmd": "echo hello; sleep 3600",
  "cpus": 0.1,
  "mem": {{hello.mem}},
  "instances": 1
}"#;

fn hello_config() -> Value {
    json!({"type": "object", "properties": {"hello": {"type": "object", "properties": {
        "name": {"type": "string", "default": "hello"},
        "mem": {"type": "integer", "default": 32, "minimum": 16}}}}})
}

fn pkg(name: &str, version: &str, description: &str, tags: &[&str], framework: bool) -> Value {
    json!({"packagingVersion": "4.0", "name": name, "version": version,
           "maintainer": "dev@example.com", "description": description, "tags": tags,
           "framework": framework, "website": format!("https://example.com/{name}"),
           "postInstallNotes": format!("{name} is installed")})
}

/// A source-layout repository with hello (two versions), kv (a framework)
/// and the real marathon-lb package.
fn source_repo(root: &Path) -> PathBuf {
    let cfg = hello_config();
    write_package(
        root,
        &pkg("hello", "1.0", "Says hello", &["demo", "http"], false),
        0,
        HELLO_TEMPLATE,
        Some(&cfg),
    );
    write_package(
        root,
        &pkg("hello", "1.1", "Says hello twice", &["demo", "http"], false),
        1,
        HELLO_TEMPLATE,
        Some(&cfg),
    );
    write_package(
        root,
        &pkg("kv", "2.0", "A key-value store", &["store"], true),
        0,
        r#"{"id": "/kv", "cmd": "sleep 3600", "cpus": 0.1, "mem": 32}"#,
        None,
    );
    let lb = root.join("packages/M/marathon-lb/0");
    std::fs::create_dir_all(&lb).unwrap();
    for f in [
        "package.json",
        "config.json",
        "resource.json",
        "marathon.json.mustache",
    ] {
        std::fs::copy(fixtures_dir().join("universe-example").join(f), lb.join(f)).unwrap();
    }
    root.to_path_buf()
}

/// A repository document (what a Universe server serves) with `n` packages.
fn repo_document(n: usize) -> String {
    let packages: Vec<Value> = (0..n)
        .map(|i| {
            let mut p = pkg(&format!("pkg-{i:03}"), "1.0.0", &format!("Package number {i}"), &["bench"], false);
            p["releaseVersion"] = json!(0);
            p["marathon"] = json!({"v2AppMustacheTemplate":
                base64::engine::general_purpose::STANDARD.encode(format!(r#"{{"id":"/pkg-{i:03}","cmd":"sleep 1","cpus":0.1,"mem":32}}"#))});
            p
        })
        .collect();
    json!({ "packages": packages }).to_string()
}

fn json_out(run: &crate::common::Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", run.stdout, run.stderr))
}

#[test]
fn repo_add_list_remove_round_trip_in_the_profile() {
    let env = TestEnv::new();
    let dir = tempfile::tempdir().unwrap();
    let a = source_repo(&dir.path().join("a"));
    let b = source_repo(&dir.path().join("b"));

    // No profile: the built-in repository.
    let r = env.run(&["package", "repo", "list", "--json"]);
    r.assert_ok();
    assert_eq!(
        json_out(&r),
        json!({"repositories": [{"name": "builtin", "uri": "builtin"}]})
    );

    // Adding creates (and activates) a profile holding the list.
    let r = env.run(&["package", "repo", "add", "local", a.to_str().unwrap()]);
    r.assert_ok();
    assert!(
        r.stderr.contains("created profile 'default'"),
        "{}",
        r.stderr
    );
    let r = env.run(&[
        "package",
        "repo",
        "add",
        "first",
        &format!("file://{}", b.display()),
        "--index",
        "0",
    ]);
    r.assert_ok();
    let r = env.run(&["package", "repo", "list"]);
    r.assert_ok();
    let names: Vec<&str> = r
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(names, ["first", "builtin", "local"], "{}", r.stdout);
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("active = \"default\""), "{config}");
    assert!(config.contains(&a.display().to_string()), "{config}");

    // A relative path is stored absolute (so it clashes with `local`).
    let r = env
        .command(&["package", "repo", "add", "rel", "a"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(
        stderr.contains(&format!(
            "Repository URI [{}] is already present (name local)",
            a.canonicalize().unwrap().display()
        )),
        "{stderr}"
    );
    let r = env
        .command(&["package", "repo", "add", "rel", "b/packages/.."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let r = env.run(&["package", "repo", "list", "--json"]);
    assert_eq!(
        json_out(&r)["repositories"][3]["uri"],
        b.canonicalize().unwrap().display().to_string()
    );
    env.run(&["package", "repo", "remove", "rel"]).assert_ok();

    // Clashes, bad indexes, unknown schemes: one clear line, exit 1.
    let r = env.run(&[
        "package",
        "repo",
        "add",
        "local",
        "https://other.example/repo",
    ]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr
            .contains("Repository name [local] is already present"),
        "{}",
        r.stderr
    );
    let r = env.run(&["package", "repo", "add", "again", a.to_str().unwrap()]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("already present (name local)"),
        "{}",
        r.stderr
    );
    let r = env.run(&[
        "package",
        "repo",
        "add",
        "far",
        "https://far.example/repo",
        "--index",
        "9",
    ]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("Index [9] is out of bounds"),
        "{}",
        r.stderr
    );
    let r = env.run(&["package", "repo", "add", "ftp", "ftp://x.example/repo"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("ftp://x.example/repo") && r.stderr.contains("'ftp'"),
        "{}",
        r.stderr
    );

    // Search sees both repositories' packages; remove one, then unknown.
    let r = env.run(&["package", "search", "--json"]);
    r.assert_ok();
    let found: Vec<String> = json_out(&r)["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    for name in ["hello", "kv", "marathon-lb"] {
        assert_eq!(found.iter().filter(|n| *n == name).count(), 1, "{found:?}");
    }
    env.run(&["package", "repo", "remove", "local"]).assert_ok();
    let r = env.run(&["package", "repo", "list", "--json"]);
    let uris: Vec<String> = json_out(&r)["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(uris, ["first", "builtin"]);
    let r = env.run(&["package", "repo", "remove", "local"]);
    r.assert_code(4).assert_clean_error();
    assert!(
        r.stderr.contains("name [local]") && r.stderr.contains("first, builtin"),
        "{}",
        r.stderr
    );
}

#[test]
fn search_and_describe_a_source_directory() {
    let env = TestEnv::new();
    let dir = tempfile::tempdir().unwrap();
    let root = source_repo(dir.path());
    let repo = root.to_str().unwrap();

    let r = env.run(&["package", "--repo", repo, "search"]);
    r.assert_ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("NAME")
            && lines[0].contains("FRAMEWORK")
            && lines[0].ends_with("DESCRIPTION"),
        "{}",
        r.stdout
    );
    assert!(
        lines[1].starts_with("hello ")
            && lines[1].contains("1.1")
            && lines[1].contains("Says hello twice"),
        "{}",
        r.stdout
    );
    assert!(
        lines[2].starts_with("kv ") && lines[2].contains("true"),
        "{}",
        r.stdout
    );
    assert!(lines[3].starts_with("marathon-lb "), "{}", r.stdout);

    // The Cosmos search response.
    let r = env.run(&["package", "--repo", repo, "search", "http", "--json"]);
    r.assert_ok();
    let v = json_out(&r);
    assert_eq!(v["packages"].as_array().unwrap().len(), 1, "{v}");
    let hello = &v["packages"][0];
    assert_eq!(hello["name"], "hello");
    assert_eq!(hello["currentVersion"], "1.1");
    assert_eq!(hello["versions"], json!({"1.0": 0, "1.1": 1}));
    assert_eq!(hello["framework"], false);
    assert_eq!(hello["tags"], json!(["demo", "http"]));
    let r = env.run(&["package", "--repo", repo, "search", "nothing-like-this"]);
    r.assert_ok();
    assert_eq!(r.stdout, "");

    // describe: the v3 shape, versions newest first, the config schema.
    let r = env.run(&["package", "--repo", repo, "describe", "hello", "--json"]);
    r.assert_ok();
    let v = json_out(&r);
    assert_eq!(v["package"]["version"], "1.1");
    assert_eq!(v["package"]["releaseVersion"], 1);
    assert!(v["package"]["marathon"]["v2AppMustacheTemplate"].is_string());
    let r = env.run(&[
        "package",
        "--repo",
        repo,
        "describe",
        "hello",
        "--package-version",
        "1.0",
        "--json",
    ]);
    assert_eq!(json_out(&r)["package"]["description"], "Says hello");
    let r = env.run(&[
        "package",
        "--repo",
        repo,
        "describe",
        "hello",
        "--package-versions",
        "--json",
    ]);
    assert_eq!(json_out(&r), json!(["1.1", "1.0"]));
    let r = env.run(&[
        "package", "--repo", repo, "describe", "hello", "--config", "--json",
    ]);
    assert_eq!(json_out(&r), hello_config());
    let r = env.run(&["package", "--repo", repo, "describe", "hello"]);
    r.assert_ok();
    for want in [
        "name:",
        "hello",
        "maintainer:",
        "dev@example.com",
        "tags:",
        "demo, http",
        "website:",
        "https://example.com/hello",
        "post-install notes:",
        "versions:",
        "1.1, 1.0",
    ] {
        assert!(r.stdout.contains(want), "{want} in {}", r.stdout);
    }

    // Not found: exit 4, one line naming the package or version.
    let r = env.run(&["package", "--repo", repo, "describe", "nope"]);
    r.assert_code(4).assert_clean_error();
    assert!(
        r.stderr.contains("Package [nope] not found"),
        "{}",
        r.stderr
    );
    let r = env.run(&[
        "package",
        "--repo",
        repo,
        "describe",
        "hello",
        "--package-version",
        "9",
    ]);
    r.assert_code(4).assert_clean_error();
    assert!(
        r.stderr
            .contains("Version [9] of package [hello] not found"),
        "{}",
        r.stderr
    );
}

#[test]
fn describe_render_gives_the_labelled_marathon_app() {
    let env = TestEnv::new();
    let dir = tempfile::tempdir().unwrap();
    let root = source_repo(dir.path());
    let repo = root.to_str().unwrap();

    let r = env.run(&[
        "package",
        "--repo",
        repo,
        "describe",
        "marathon-lb",
        "--render",
        "--json",
    ]);
    r.assert_ok();
    let app = json_out(&r);
    assert_eq!(app["id"], "marathon-lb");
    assert_eq!(app["instances"], 1);
    assert_eq!(app["cpus"], 2);
    assert_eq!(
        app["container"]["docker"]["image"],
        "mesosphere/marathon-lb:v1.15.0"
    );
    let labels = app["labels"].as_object().unwrap();
    assert_eq!(labels["DCOS_PACKAGE_NAME"], "marathon-lb");
    assert_eq!(labels["DCOS_PACKAGE_VERSION"], "1.15.0");
    assert_eq!(labels["DCOS_PACKAGE_SOURCE"], repo);
    assert_eq!(labels["DCOS_PACKAGE_OPTIONS"], "e30=");
    for k in ["DCOS_PACKAGE_METADATA", "DCOS_PACKAGE_DEFINITION"] {
        assert!(labels[k].as_str().is_some_and(|s| !s.is_empty()), "{k}");
    }

    // Options over the defaults, and an app id.
    let opts = dir.path().join("opts.json");
    std::fs::write(&opts, r#"{"marathon-lb": {"instances": 3}}"#).unwrap();
    let r = env.run(&[
        "package",
        "--repo",
        repo,
        "describe",
        "marathon-lb",
        "--render",
        "--options",
        opts.to_str().unwrap(),
        "--app-id",
        "/edge/lb",
        "--json",
    ]);
    r.assert_ok();
    let app = json_out(&r);
    assert_eq!(app["instances"], 3);
    assert_eq!(app["id"], "/edge/lb");
    assert_eq!(app["cpus"], 2);

    // Options the schema refuses: exit 1 with the failing field.
    std::fs::write(&opts, r#"{"hello": {"mem": 1}}"#).unwrap();
    let r = env.run(&[
        "package",
        "--repo",
        repo,
        "describe",
        "hello",
        "--render",
        "--options",
        opts.to_str().unwrap(),
    ]);
    r.assert_code(1);
    assert!(
        r.stderr
            .starts_with("error: Options JSON failed validation"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("mem"), "{}", r.stderr);
}

#[test]
fn a_template_rendering_to_invalid_json_is_refused_naming_the_line() {
    let env = TestEnv::new();
    let dir = tempfile::tempdir().unwrap();
    write_package(
        dir.path(),
        &pkg("broken", "1.0", "Renders badly", &[], false),
        0,
        "{\n  \"id\": \"/broken\",\n  \"cpus\": {{cpus}},\n  \"mem\": 32\n}",
        Some(
            &json!({"type": "object", "properties": {"cpus": {"type": "string", "default": "one"}}}),
        ),
    );
    let r = env.run(&[
        "package",
        "--repo",
        dir.path().to_str().unwrap(),
        "describe",
        "broken",
        "--render",
    ]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("package [broken] version [1.0]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("not valid JSON at line 3"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("\"cpus\": one,"), "{}", r.stderr);
}

#[test]
fn an_http_repository_is_cached_and_revalidated() {
    let env = TestEnv::new();
    let server = TestServer::start();
    let doc = repo_document(3);
    server.route(
        "/repo",
        Answer {
            status: 200,
            headers: vec![("content-type".into(), REPO_V4.into())],
            body: doc.clone().into_bytes(),
        }
        .header("etag", "\"v1\""),
    );
    let uri = format!("{}/repo", server.url());
    env.run(&["package", "repo", "add", "web", &uri])
        .assert_ok();
    // Only this repository (the built-in one has packages of its own).
    env.run(&["package", "repo", "remove", "builtin"])
        .assert_ok();

    let r = env.run(&["package", "search", "--json"]);
    r.assert_ok();
    assert_eq!(json_out(&r)["packages"].as_array().unwrap().len(), 3);
    let reqs = server.requests_to("/repo");
    assert_eq!(reqs.len(), 1);
    let h = |name: &str| {
        reqs[0]
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert!(
        h("accept").starts_with("application/vnd.dcos.universe.repo+json;charset=utf-8;version=v5"),
        "{}",
        h("accept")
    );
    assert!(
        h("accept").contains("version=v3") && h("accept").ends_with("application/json;q=0.9"),
        "{}",
        h("accept")
    );
    assert!(h("user-agent").starts_with("mesos/"), "{}", h("user-agent"));
    assert!(
        h("accept-encoding").contains("gzip"),
        "{}",
        h("accept-encoding")
    );
    assert!(reqs[0].headers.get("if-none-match").is_none());

    // Within the freshness window: no request at all.
    let r = env.run(&["package", "describe", "pkg-001", "--json"]);
    r.assert_ok();
    assert_eq!(server.requests_to("/repo").len(), 1);

    // --refresh revalidates; a 304 keeps the cached copy.
    server.route(
        "/repo",
        Answer {
            status: 304,
            headers: vec![],
            body: vec![],
        },
    );
    let r = env.run(&["package", "--refresh", "search", "pkg-002", "--json"]);
    r.assert_ok();
    assert_eq!(json_out(&r)["packages"][0]["name"], "pkg-002");
    let reqs = server.requests_to("/repo");
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].headers.get("if-none-match").unwrap(), "\"v1\"");

    // A failed revalidation uses the stale copy, with a warning.
    server.route("/repo", Answer::status(503, "down for maintenance"));
    let r = env.run(&["package", "--refresh", "search", "--json"]);
    r.assert_ok();
    assert_eq!(json_out(&r)["packages"].as_array().unwrap().len(), 3);
    assert!(
        r.stderr.starts_with("warning: repository 'web'"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("HTTP 503") && r.stderr.contains("using the copy cached"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unreachable_repository_fails_naming_it() {
    let env = TestEnv::new();
    let uri = format!("http://127.0.0.1:{}/repo", free_port());
    env.run(&["package", "repo", "add", "gone", &uri])
        .assert_ok();
    let r = env.run(&["package", "search"]);
    r.assert_code(1).assert_clean_error();
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("repository 'gone'") && r.stderr.contains(&uri),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("connection refused"), "{}", r.stderr);
    // --repo with a URI names the URI too.
    let r = env.run(&["package", "--repo", &uri, "describe", "x"]);
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains(&uri), "{}", r.stderr);
}

#[test]
fn malformed_repositories_give_clear_errors() {
    let env = TestEnv::new();
    let server = TestServer::start();
    server.route(
        "/html",
        Answer {
            status: 200,
            headers: vec![("content-type".into(), "text/html".into())],
            body: b"<html></html>".to_vec(),
        },
    );
    server.route(
        "/garbage",
        Answer {
            status: 200,
            headers: vec![("content-type".into(), REPO_V4.into())],
            body: b"{\"packages\": [".to_vec(),
        },
    );
    server.route(
        "/bad-package",
        Answer::json(r#"{"packages":[{"name":"x"}]}"#),
    );
    server.route("/missing", Answer::status(404, "no such repo"));

    let run = |path: &str| {
        env.run(&[
            "package",
            "--repo",
            &format!("{}{path}", server.url()),
            "search",
        ])
    };
    let r = run("/html");
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("Content-Type 'text/html'") && r.stderr.contains("/html"),
        "{}",
        r.stderr
    );
    let r = run("/garbage");
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("/garbage") && r.stderr.contains("not a Universe repository document"),
        "{}",
        r.stderr
    );
    let r = run("/bad-package");
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains("packages[0]"), "{}", r.stderr);
    let r = run("/missing");
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("/missing answered HTTP 404"),
        "{}",
        r.stderr
    );

    // A local path that is not a repository.
    let dir = tempfile::tempdir().unwrap();
    let r = env.run(&["package", "--repo", dir.path().to_str().unwrap(), "search"]);
    r.assert_code(1).assert_clean_error();
    assert!(
        r.stderr.contains("not a Universe source directory"),
        "{}",
        r.stderr
    );
    let r = env.run(&["package", "--repo", "no/such/dir", "search"]);
    r.assert_code(2).assert_clean_error();
    assert!(r.stderr.contains("--repo no/such/dir"), "{}", r.stderr);
}

#[test]
fn a_dcos_master_without_package_management_uses_the_local_manager() {
    let env = TestEnv::new();
    let server = TestServer::start();
    server.route("/capabilities", Answer::status(404, "not found"));
    let master = format!("{}/mesos", server.url());
    let r = env.run(&["--master", &master, "-v", "package", "search", "--json"]);
    r.assert_ok();
    assert!(
        r.stderr.contains("using the local package manager")
            && r.stderr.contains("has no /capabilities"),
        "{}",
        r.stderr
    );
    let caps = server.requests_to("/capabilities");
    assert_eq!(caps.len(), 1);
    assert_eq!(
        caps[0].headers.get("accept").unwrap(),
        "application/vnd.dcos.capabilities+json;charset=utf-8;version=v1"
    );
    // A plain master is never contacted for search.
    let r = env.run(&["--master", &server.addr(), "package", "search", "--json"]);
    r.assert_ok();
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn search_and_describe_the_builtin_repository_with_no_cluster() {
    let env = TestEnv::new();
    let r = env.run(&["package", "search", "--json"]);
    r.assert_ok();
    let v = json_out(&r);
    let packages = v["packages"].as_array().unwrap();
    assert!(!packages.is_empty(), "{v}");
    // Selected packages first, then by name.
    let keys: Vec<(bool, String)> = packages
        .iter()
        .map(|p| {
            (
                !p["selected"].as_bool().unwrap(),
                p["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let name = packages[0]["name"].as_str().unwrap();
    let r = env.run(&["package", "describe", name, "--json"]);
    r.assert_ok();
    assert_eq!(json_out(&r)["package"]["name"], name);
    let r = env.run(&["package", "describe", name, "--render", "--json"]);
    r.assert_ok();
    let app = json_out(&r);
    assert_eq!(app["labels"]["DCOS_PACKAGE_SOURCE"], "builtin");
    assert_eq!(app["labels"]["DCOS_PACKAGE_NAME"], name);
    // Nothing was written: no profile, no cache.
    assert!(!env.config_path().exists());
    assert!(!env.home().join("cache").exists());
}
