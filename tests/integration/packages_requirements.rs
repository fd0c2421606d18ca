//! `mesos package install` checks a package's downloads from where the
//! package manager runs before anything is posted to Marathon: a URL that
//! does not answer refuses the install naming it; one that answers lets the
//! install go on to Marathon. (The Docker check runs on a `cluster up`
//! cluster in packages_e2e.rs.)

use serde_json::json;

use crate::common::http::{Answer, TestServer};
use crate::common::TestEnv;

fn write_package(root: &std::path::Path, name: &str, fetch: &str) {
    let dir = root.join("packages").join("D").join(name).join("0");
    std::fs::create_dir_all(&dir).unwrap();
    let package = json!({"packagingVersion": "4.0", "name": name, "version": "1.0",
        "maintainer": "dev@example.com", "description": "downloads a file", "tags": []});
    std::fs::write(dir.join("package.json"), package.to_string()).unwrap();
    let app = json!({"id": format!("/{name}"), "cmd": "ls", "cpus": 0.1, "mem": 32,
        "fetch": [{"uri": fetch}, {"uri": "file:///etc/hosts"}]});
    std::fs::write(dir.join("marathon.json.mustache"), app.to_string()).unwrap();
}

#[test]
fn a_download_that_does_not_answer_refuses_the_install_before_marathon() {
    let env = TestEnv::new();
    let files = TestServer::start();
    files.route("/ok.tgz", Answer::status(200, "x"));
    // Plays Marathon: records whether anything reached it.
    let marathon = TestServer::start();
    let repo = env.home().join("universe");
    let missing = format!("{}/missing.tgz", files.url().trim_end_matches('/'));
    let ok = format!("{}/ok.tgz", files.url().trim_end_matches('/'));
    write_package(&repo, "dl-missing", &missing);
    write_package(&repo, "dl-ok", &ok);
    let repo = repo.to_str().unwrap();
    let marathon_url = marathon.url();

    let r = env.run(&[
        "package",
        "--repo",
        repo,
        "--marathon",
        &marathon_url,
        "install",
        "dl-missing",
        "--yes",
    ]);
    r.assert_code(1);
    assert!(
        r.stderr.contains(&format!(
            "package [dl-missing] version [1.0] cannot run on this cluster: it needs the download {missing}, but it cannot be fetched from where the package manager runs (HTTP 404 Not Found); nothing was installed"
        )),
        "{}",
        r.stderr
    );
    let asked = files.requests_to("/missing.tgz");
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].method, "HEAD");
    assert!(marathon.requests().is_empty(), "{:?}", marathon.paths());

    // A download that answers: the install goes on to Marathon (here a
    // server that knows no Marathon route, so it fails there instead).
    let r = env.run(&[
        "package",
        "--repo",
        repo,
        "--marathon",
        &marathon_url,
        "install",
        "dl-ok",
        "--yes",
    ]);
    assert!(
        !r.stderr.contains("cannot run on this cluster"),
        "{}",
        r.stderr
    );
    assert_eq!(files.requests_to("/ok.tgz")[0].method, "HEAD");
    assert!(
        marathon.paths().iter().any(|p| p.starts_with("/v2/")),
        "{:?}",
        marathon.paths()
    );
}
