use super::*;
use crate::packages::model::Package;
use crate::packages::options::OptionsError;
use crate::packages::render::{render, RenderError, RenderRequest, Rendered};
use crate::packages::source::read_source_dir;
use crate::wire::marathon::HealthProtocol;
use serde_json::{json, Value};

const KINDS: [&str; 4] = ["cron", "hello", "kv", "static"];

fn package(name: &str) -> Package {
    repository()
        .packages
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no built-in package {name}"))
}

fn render_with(pkg: &Package, options: &Value) -> Result<Rendered, RenderError> {
    render(RenderRequest {
        package: pkg,
        source: URI,
        options,
        app_id: None,
    })
}

/// The options a package needs at least (the marathon package's master).
fn minimal_options(name: &str) -> Value {
    if name == "marathon" {
        json!({"marathon": {"master": "127.0.0.1:5050"}})
    } else {
        json!({})
    }
}

#[test]
fn the_embedded_list_is_the_checked_in_source_layout() {
    let on_disk = read_source_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/packages/builtin"),
    )
    .unwrap();
    assert_eq!(read().unwrap(), on_disk);
    let names: Vec<&str> = on_disk.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["cron", "hello", "kv", "marathon", "static"]);
}

#[test]
fn every_package_is_complete() {
    for pkg in repository().packages {
        let n = &pkg.name;
        assert_eq!(pkg.packaging_version, "4.0", "{n}");
        assert_eq!(pkg.release_version, 0, "{n}");
        assert!(
            !pkg.maintainer.is_empty() && !pkg.description.is_empty(),
            "{n}"
        );
        assert!(!pkg.tags.is_empty(), "{n}");
        let notes = pkg.post_install_notes.as_deref().unwrap_or_default();
        assert!(notes.contains("mesos app tasks /"), "{n}: {notes}");
        assert!(notes.contains("curl http://HOST:PORT/"), "{n}: {notes}");
        assert!(pkg.pre_install_notes.is_some(), "{n}");
        let schema = pkg.config.as_ref().unwrap();
        let service = &schema["properties"]["service"]["properties"];
        for key in ["name", "cpus", "mem", "port"] {
            assert!(service[key].is_object(), "{n}: service.{key}");
        }
        assert_eq!(pkg.framework, n == "marathon", "{n}");
    }
}

#[test]
fn every_package_renders_with_defaults_to_a_healthy_app() {
    for pkg in repository().packages {
        let n = pkg.name.as_str();
        let r = render_with(&pkg, &minimal_options(n)).unwrap_or_else(|e| panic!("{n}: {e}"));
        let app = &r.app;
        let default_id = if n == "marathon" { "marathon-user" } else { n };
        assert_eq!(app.id.to_string(), format!("/{default_id}"), "{n}");
        let cmd = app.cmd.as_deref().unwrap();
        let want = if n == "marathon" {
            "mesos marathon ".to_string()
        } else {
            format!("mesos serve {n} ")
        };
        assert!(cmd.starts_with(&want), "{n}: {cmd}");
        assert!(cmd.contains("--port \"$PORT0\"") || cmd.contains("--http_port \"$PORT0\""));
        assert_eq!(app.port_definitions.as_ref().map(Vec::len), Some(1), "{n}");
        assert_eq!(app.health_checks.len(), 1, "{n}");
        let hc = &app.health_checks[0];
        assert_eq!(hc.protocol, HealthProtocol::Http, "{n}");
        let path = if n == "marathon" { "/ping" } else { "/health" };
        assert_eq!(hc.path.as_deref(), Some(path), "{n}");
        assert_eq!(hc.port_index, Some(0), "{n}");
        assert_eq!(
            (
                hc.interval_seconds,
                hc.grace_period_seconds,
                hc.max_consecutive_failures
            ),
            (2, 30, 3),
            "{n}"
        );
        // Our Marathon accepts it as it is.
        let problems = crate::marathon::validate::app(app);
        assert!(problems.is_empty(), "{n}: {problems:?}");
        assert_eq!(app.labels[crate::packages::render::LABEL_NAME], n);
    }
}

#[test]
fn options_reach_the_app() {
    let hello = package("hello");
    let opts = json!({"service": {"name": "greeter", "instances": 3, "port": 10101},
                      "hello": {"message": "Hi \"there\" $HOME"}});
    let app = render_with(&hello, &opts).unwrap().app;
    assert_eq!(app.id.to_string(), "/greeter");
    assert_eq!(app.instances, 3);
    assert_eq!(app.port_definitions.unwrap()[0].port, 10101);
    // Passed through the environment: the shell never parses it.
    assert_eq!(
        app.env["HELLO_MESSAGE"].as_str(),
        Some("Hi \"there\" $HOME")
    );
    let cron = package("cron");
    let opts = json!({"cron": {"command": "touch x", "every": "", "schedule": "*/5 * * * *"}});
    let app = render_with(&cron, &opts).unwrap().app;
    assert_eq!(app.env["CRON_SCHEDULE"].as_str(), Some("*/5 * * * *"));
    assert_eq!(app.env["CRON_EVERY"].as_str(), Some(""));
    let marathon = package("marathon");
    let opts = json!({"service": {"name": "mom"}, "marathon": {"master": "zk://z:2181/mesos"}});
    let app = render_with(&marathon, &opts).unwrap().app;
    assert_eq!(app.labels["DCOS_PACKAGE_FRAMEWORK_NAME"], "mom");
    assert_eq!(app.env["MARATHON_FRAMEWORK_NAME"].as_str(), Some("mom"));
    assert_eq!(
        app.env["MARATHON_MASTER"].as_str(),
        Some("zk://z:2181/mesos")
    );
}

fn mismatch(pkg: &Package, options: Value) -> Vec<String> {
    match render_with(pkg, &options) {
        Err(RenderError::Options(OptionsError::Mismatch(errors))) => errors,
        other => panic!("{}: expected a schema error, got {other:?}", pkg.name),
    }
}

#[test]
fn bad_options_are_schema_errors() {
    for pkg in repository().packages {
        let n = pkg.name.as_str();
        let mut opts = minimal_options(n);
        opts["service"] = json!({"cpus": "lots"});
        let errors = mismatch(&pkg, opts);
        assert!(
            errors.iter().any(|e| e.starts_with("/service/cpus: ")),
            "{n}: {errors:?}"
        );
        let mut opts = minimal_options(n);
        opts["service"] = json!({"name": "Not An Id"});
        let errors = mismatch(&pkg, opts);
        assert!(
            errors.iter().any(|e| e.starts_with("/service/name: ")),
            "{n}: {errors:?}"
        );
        let mut opts = minimal_options(n);
        opts["nonsense"] = json!(1);
        assert!(!mismatch(&pkg, opts).is_empty(), "{n}");
    }
    for kind in KINDS {
        let errors = mismatch(&package(kind), json!({kind: {"no_such_option": 1}}));
        assert!(
            errors.iter().any(|e| e.contains("no_such_option")),
            "{kind}: {errors:?}"
        );
    }
    // Tasks are not told where the master is: the marathon package needs it.
    let errors = mismatch(&package("marathon"), json!({}));
    assert_eq!(errors, ["/marathon/master: required property is missing"]);
}
