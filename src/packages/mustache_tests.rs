use super::*;
use serde_json::json;

fn r(template: &str, ctx: Value) -> String {
    render(template, &ctx).unwrap()
}

#[test]
fn semantics_table() {
    let ctx = json!({
        "a": {"b-c": {"d": "deep"}},
        "s": "say \"hi\"\\ \n<b>&",
        "empty": "",
        "n": 3, "f": 0.5, "w": 1024.0, "neg": -2.0, "zero": 0,
        "t": true, "no": false, "nul": null,
        "list": ["x", "y"],
        "objs": [{"k": "1"}, {"k": "2"}],
        "nums": [1, 2.0],
        "none": [],
        "obj": {"x": 1}
    });
    let cases: &[(&str, &str)] = &[
        ("{{a.b-c.d}}", "deep"),
        ("{{s}}", r#"say \"hi\"\\ \n<b>&"#),
        ("{{{s}}}", r#"say \"hi\"\\ \n<b>&"#),
        ("{{& s}}", r#"say \"hi\"\\ \n<b>&"#),
        ("[{{missing}}][{{a.nope.d}}][{{nul}}]", "[][][]"),
        ("{{n}} {{f}} {{w}} {{neg}} {{zero}}", "3 0.5 1024 -2 0"),
        ("{{t}} {{no}}", "true false"),
        ("{{#list}}{{.}},{{/list}}", r#""x","y","#),
        ("{{#objs}}{{k}};{{/objs}}", "1;2;"),
        ("{{#nums}}{{.}} {{/nums}}", "1 2 "),
        ("{{#none}}x{{/none}}{{^none}}empty{{/none}}", "empty"),
        ("{{#t}}on{{/t}}{{#no}}off{{/no}}{{^no}}not{{/no}}", "onnot"),
        ("{{#empty}}x{{/empty}}{{^empty}}blank{{/empty}}", "blank"),
        (
            "{{#missing}}x{{/missing}}{{^missing}}gone{{/missing}}",
            "gone",
        ),
        ("{{#zero}}z{{/zero}}", "z"),
        ("{{#s}}{{.}}{{/s}}", r#"say \"hi\"\\ \n<b>&"#),
        ("{{#obj}}{{x}}{{n}}{{/obj}}", "13"),
        ("{{! a comment }}c", "c"),
        ("{{obj}}", r#"{"x":1}"#),
        (
            "{{#asJson}}s{{/asJson}} {{#asJson}}n{{/asJson}}",
            r#""say \"hi\"\\ \n<b>&" null"#,
        ),
    ];
    for (template, want) in cases {
        assert_eq!(&r(template, ctx.clone()), want, "template {template}");
    }
}

#[test]
fn syntax_errors_name_the_line() {
    let ctx = json!({});
    assert_eq!(
        render("a\n{{#x}}\nb", &ctx).unwrap_err(),
        "line 2: section \"x\" is never closed"
    );
    assert_eq!(
        render("{{#x}}\n{{/y}}", &ctx).unwrap_err(),
        "line 2: {{/y}} closes section \"x\""
    );
    assert_eq!(
        render("\n\n{{x", &ctx).unwrap_err(),
        "line 3: unclosed {{ tag"
    );
    assert_eq!(
        render("{{/x}}", &ctx).unwrap_err(),
        "line 1: {{/x}} closes no section"
    );
}
