use super::*;
use crate::packages::model::{MarathonTemplate, Repository};
use crate::packages::source::{read_source_dir, tests::marathon_lb_source};
use serde_json::json;
use std::io::Read as _;

const SOURCE: &str = "file:///tmp/universe";

fn marathon_lb() -> Package {
    let tmp = marathon_lb_source();
    let Repository { mut packages } = read_source_dir(tmp.path()).unwrap();
    packages.remove(0)
}

fn req<'a>(pkg: &'a Package, options: &'a Value) -> RenderRequest<'a> {
    RenderRequest {
        package: pkg,
        source: SOURCE,
        options,
        app_id: None,
    }
}

fn unb64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

#[test]
fn marathon_lb_renders_with_defaults() {
    let pkg = marathon_lb();
    let r = render(req(&pkg, &json!({}))).unwrap();
    let app = &r.app;
    assert_eq!(app.id.to_string(), "/marathon-lb");
    assert_eq!(app.instances, 1);
    assert_eq!(app.cpus, 2.0);
    assert_eq!(app.mem, 1024.0);
    assert_eq!(r.json["acceptedResourceRoles"], json!(["slave_public"]));
    assert_eq!(
        r.json["container"]["docker"]["image"],
        json!("mesosphere/marathon-lb:v1.15.0")
    );
    assert_eq!(r.json["healthChecks"][0]["portIndex"], json!(2));
    assert_eq!(r.json["ports"].as_array().unwrap().len(), 2 + 2 + 101);
    assert!(!r.json.contains_key("uris") && !r.json.contains_key("secrets"));
    let args: Vec<&str> = r.json["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(args.contains(&"--haproxy-map") && !args.contains(&"--dont-bind-http-https"));
    // No HTML escaping: the comma list and the `=` in sysctl params pass through.
    assert_eq!(
        r.json["env"]["HAPROXY_GLOBAL_DEFAULT_OPTIONS"],
        json!("redispatch,http-server-close,dontlognull")
    );
    assert!(app.env["HAPROXY_SYSCTL_PARAMS"]
        .as_str()
        .unwrap()
        .starts_with("net.ipv4.tcp_tw_reuse=1 "));

    let labels = &app.labels;
    assert_eq!(labels[LABEL_NAME], "marathon-lb");
    assert_eq!(labels[LABEL_VERSION], "1.15.0");
    assert_eq!(labels[LABEL_SOURCE], SOURCE);
    assert_eq!(labels[LABEL_OPTIONS], "e30=");
    let meta: Value = serde_json::from_slice(&unb64(&labels[LABEL_METADATA])).unwrap();
    assert_eq!(meta["name"], json!("marathon-lb"));
    assert_eq!(meta["packagingVersion"], json!("4.0"));
    assert_eq!(meta["framework"], json!(false));
    assert_eq!(
        meta["images"]["icon-small"],
        json!("https://downloads.mesosphere.com/assets/universe/000/marathon-lb-icon-small.png")
    );
    let envelope: Value = serde_json::from_slice(&unb64(&labels[LABEL_DEFINITION])).unwrap();
    assert_eq!(
        envelope["metadata"]["Content-Type"],
        json!("application/vnd.dcos.universe.package+json;charset=utf-8;version=v4")
    );
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&unb64(envelope["data"].as_str().unwrap())[..])
        .read_to_string(&mut unzipped)
        .unwrap();
    let back: Package = serde_json::from_str(&unzipped).unwrap();
    assert_eq!(back, pkg);
}

#[test]
fn custom_options_change_the_render() {
    let pkg = marathon_lb();
    let options = json!({"marathon-lb": {
        "instances": 3, "bind-http-https": false, "role": "", "name": "lb/edge",
        "haproxy_global_default_options": "a \"quoted\" <opt>",
        "parameters": [{"key": "ulimit", "value": "nofile=1024"}]
    }});
    let r = render(RenderRequest {
        app_id: Some("/infra/lb"),
        ..req(&pkg, &options)
    })
    .unwrap();
    assert_eq!(r.app.id.to_string(), "/infra/lb");
    assert_eq!(r.app.instances, 3);
    assert!(!r.json.contains_key("acceptedResourceRoles"));
    assert_eq!(r.json["healthChecks"][0]["portIndex"], json!(0));
    assert_eq!(r.json["ports"][0], json!(9090));
    assert!(r.json["args"]
        .as_array()
        .unwrap()
        .contains(&json!("--dont-bind-http-https")));
    assert_eq!(
        r.json["env"]["HAPROXY_GLOBAL_DEFAULT_OPTIONS"],
        json!("a \"quoted\" <opt>")
    );
    assert_eq!(
        r.json["container"]["docker"]["parameters"][0],
        json!({"key": "ulimit", "value": "nofile=1024"})
    );
    let user: Value = serde_json::from_slice(&unb64(&r.app.labels[LABEL_OPTIONS])).unwrap();
    assert_eq!(user, options);
}

#[test]
fn invalid_options_give_schema_errors_and_nothing_is_rendered() {
    let pkg = marathon_lb();
    let err = render(req(
        &pkg,
        &json!({"marathon-lb": {"cpus": 0, "bogus": 1, "instances": "2"}}),
    ))
    .unwrap_err();
    let RenderError::Options(OptionsError::Mismatch(lines)) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        lines,
        &vec![
            "/marathon-lb/cpus: 0 is less than the minimum 1".to_string(),
            "/marathon-lb/instances: \"2\" is of type string, expected integer".to_string(),
        ]
    );
    assert!(err
        .to_string()
        .contains("/marathon-lb/cpus: 0 is less than the minimum 1"));
}

fn with_template(text: &str) -> Package {
    let mut pkg = marathon_lb();
    pkg.config = None;
    pkg.marathon = Some(MarathonTemplate::from_template(text));
    pkg
}

#[test]
fn a_template_rendering_invalid_json_names_the_line() {
    let pkg = with_template("{\n  \"id\": \"/x\",\n  \"cpus\": {{missing}},\n  \"mem\": 32\n}\n");
    let err = render(req(&pkg, &json!({}))).unwrap_err();
    let RenderError::NotJson { line, text, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((*line, text.as_str()), (3, "  \"cpus\": ,"));
    assert!(err.to_string().contains("line 3"), "{err}");

    let pkg = with_template("[1]");
    assert_eq!(
        render(req(&pkg, &json!({}))).unwrap_err(),
        RenderError::NotObject
    );
}

#[test]
fn labels_must_be_strings_and_cosmos_labels_win() {
    let pkg = with_template(r#"{"id":"/x","labels":{"DCOS_PACKAGE_NAME":"fake","MINE":"kept"}}"#);
    let r = render(req(&pkg, &json!(null))).unwrap();
    assert_eq!(r.app.labels["DCOS_PACKAGE_NAME"], "marathon-lb");
    assert_eq!(r.app.labels["MINE"], "kept");

    let pkg = with_template(r#"{"id":"/x","labels":{"N":1}}"#);
    let err = render(req(&pkg, &json!({}))).unwrap_err();
    assert_eq!(
        err,
        RenderError::Labels("label \"N\" is 1, not a string".into())
    );

    // Options for a package without a schema are refused.
    let err = render(req(&pkg, &json!({"a": 1}))).unwrap_err();
    assert_eq!(err, RenderError::Options(OptionsError::NotAllowed));
}
