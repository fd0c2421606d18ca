use super::*;
use serde_json::json;

fn marathon_lb_schema() -> Value {
    serde_json::from_slice(&crate::test_fixtures::read_fixture(
        "universe-example/config.json",
    ))
    .unwrap()
}

#[test]
fn defaults_keep_nesting_and_skip_properties_without_default() {
    let d = defaults(&marathon_lb_schema());
    let lb = d["marathon-lb"].as_object().unwrap();
    assert_eq!(lb["cpus"], json!(2));
    assert_eq!(lb["instances"], json!(1));
    assert_eq!(lb["name"], json!("marathon-lb"));
    assert_eq!(lb["parameters"], json!([]));
    assert!(!lb.contains_key("ssl-cert"));
    // An empty sub-object is dropped.
    let s = json!({"properties":{"a":{"properties":{"b":{"type":"string"}}}}});
    assert!(defaults(&s).is_empty());
}

#[test]
fn merge_is_deep_and_the_user_wins_at_leaves() {
    let base = json!({"a":{"x":1,"y":2},"b":[1,2],"c":"k"});
    let over = json!({"a":{"y":3,"z":4},"b":[9]});
    let m = merge(base.as_object().unwrap(), over.as_object().unwrap());
    assert_eq!(
        Value::Object(m),
        json!({"a":{"x":1,"y":3,"z":4},"b":[9],"c":"k"})
    );
}

#[test]
fn resolve_merges_and_validates_the_real_schema() {
    let schema = marathon_lb_schema();
    let merged = resolve(Some(&schema), &json!({"marathon-lb":{"instances":3}})).unwrap();
    assert_eq!(merged["marathon-lb"]["instances"], json!(3));
    assert_eq!(merged["marathon-lb"]["cpus"], json!(2));

    let err = resolve(
        Some(&schema),
        &json!({"marathon-lb":{"cpus":0,"instances":1.5,"name":7}}),
    )
    .unwrap_err();
    let OptionsError::Mismatch(lines) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        lines,
        vec![
            "/marathon-lb/cpus: 0 is less than the minimum 1",
            "/marathon-lb/instances: 1.5 is of type number, expected integer",
            "/marathon-lb/name: 7 is of type integer, expected string",
        ]
    );
}

#[test]
fn options_without_a_schema_or_not_an_object_are_refused() {
    assert_eq!(
        resolve(None, &json!({"a":1})),
        Err(OptionsError::NotAllowed)
    );
    assert_eq!(resolve(None, &json!({})), Ok(Map::new()));
    assert_eq!(
        resolve(Some(&json!({})), &json!([1])),
        Err(OptionsError::NotAnObject)
    );
}

#[test]
fn each_rule_names_the_field_and_the_rule() {
    let schema = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["must"],
        "properties": {
            "must": {"type": "string"},
            "cpus": {"type": "number", "minimum": 0.01, "maximum": 4, "exclusiveMaximum": true},
            "mode": {"enum": ["a", "b"]},
            "name": {"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-z]+$"},
            "either": {"type": ["string", "null"]},
            "list": {"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": true,
                     "items": {"type": "integer"}},
            "sub": {"type": "object", "properties": {"x/y": {"type": "boolean"}}}
        }
    });
    let v = json!({
        "cpus": 0, "mode": "c", "name": "ABCD", "either": 3,
        "list": [1, 1, "x"], "sub": {"x/y": 1}, "extra": true
    });
    assert_eq!(
        validate(&schema, &v),
        vec![
            "/must: required property is missing",
            "/cpus: 0 is less than the minimum 0.01",
            "/mode: \"c\" is not one of [\"a\", \"b\"]",
            "/name: string is 4 characters, longer than maxLength 3",
            "/name: \"ABCD\" does not match the pattern \"^[a-z]+$\"",
            "/either: 3 is of type integer, expected string or null",
            "/list: array has 3 items, more than maxItems 2",
            "/list: items are not unique (1 repeats)",
            "/list/2: \"x\" is of type string, expected integer",
            "/sub/x~1y: 1 is of type integer, expected boolean",
            "/extra: additional property is not allowed",
        ]
    );
    let ok = json!({"must": "m", "cpus": 3.5, "mode": "a", "name": "ab", "either": null,
                    "list": [2], "sub": {"x/y": true}});
    assert!(validate(&schema, &ok).is_empty());
    assert_eq!(
        validate(&schema["properties"]["cpus"], &json!(4)),
        vec!["/: 4 is not less than the exclusive maximum 4"]
    );
    assert_eq!(
        validate(&json!({"minItems": 1}), &json!([])),
        vec!["/: array has 0 items, fewer than minItems 1"]
    );
    assert_eq!(
        validate(&json!({"minLength": 1}), &json!("")),
        vec!["/: string is 0 characters, shorter than minLength 1"]
    );
    // Integer accepts whole numbers written with a fraction; number takes integers.
    assert!(validate(&json!({"type":"integer"}), &json!(2.0)).is_empty());
    assert!(validate(&json!({"type":"number"}), &json!(2)).is_empty());
}

#[test]
fn failures_are_also_structured_as_the_validator_cosmos_uses_reports_them() {
    let schema = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["must"],
        "properties": {
            "must": {"type": "integer"},
            "app": {"type": "object", "properties": {
                "cpus": {"type": "number", "minimum": 0.1},
                "name": {"type": "string"}
            }}
        }
    });
    let errors = mismatches(
        Some(&schema),
        &json!({"app": {"cpus": 0, "name": 7}, "extra": 1}),
    );
    let lines: Vec<String> = errors.iter().map(SchemaError::line).collect();
    assert_eq!(
        lines,
        validate(&schema, &json!({"app": {"cpus": 0, "name": 7}, "extra": 1}))
    );
    let by_kw = |k: &str| errors.iter().find(|e| e.keyword == k).unwrap().to_json();
    let req = by_kw("required");
    assert_eq!(req["instance"]["pointer"], "");
    assert_eq!(req["missing"], json!(["must"]));
    let min = by_kw("minimum");
    assert_eq!(min["instance"]["pointer"], "/app/cpus");
    assert_eq!(min["schema"]["pointer"], "/properties/app/properties/cpus");
    assert_eq!(min["minimum"], json!(0.1));
    assert_eq!(min["found"], json!(0));
    assert_eq!(min["message"], "0 is less than the minimum 0.1");
    let ty = by_kw("type");
    assert_eq!(ty["instance"]["pointer"], "/app/name");
    assert_eq!(ty["found"], "integer");
    assert_eq!(ty["expected"], json!(["string"]));
    let extra = by_kw("additionalProperties");
    assert_eq!(extra["instance"]["pointer"], "");
    assert_eq!(extra["unwanted"], json!(["extra"]));
    assert_eq!(extra["level"], "error");
    // Nothing to report without a schema, or when the options pass.
    assert!(mismatches(None, &json!({"x": 1})).is_empty());
    assert!(mismatches(Some(&schema), &json!({"must": 1})).is_empty());
}
