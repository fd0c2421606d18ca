//! Mustache rendering with the semantics Cosmos ≥0.6 gives package
//! templates: dotted names, sections over truthy values and arrays (`{{.}}`
//! for the element), inverted sections, `{{{x}}}`/`{{&x}}`, missing names
//! render empty, no HTML escaping, JSON strings pre-encoded without their
//! quotes (array elements keep them), whole numbers as integers, and the
//! `{{#asJson}}key{{/asJson}}` lambda.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Var(String),
    Section {
        name: String,
        inverted: bool,
        /// The body's template text (for the `asJson` lambda).
        raw: String,
        children: Vec<Node>,
    },
}

/// A template that failed to parse; the message names the line.
pub fn render(template: &str, context: &Value) -> Result<String, String> {
    let nodes = parse(template)?;
    let mut out = String::with_capacity(template.len());
    let mut stack = vec![Frame {
        value: context,
        element: false,
    }];
    render_nodes(&nodes, &mut stack, context, &mut out);
    Ok(out)
}

fn line_of(template: &str, offset: usize) -> usize {
    template[..offset].matches('\n').count() + 1
}

fn parse(template: &str) -> Result<Vec<Node>, String> {
    // (name, children so far, body start offset, inverted, line)
    let mut open: Vec<(String, Vec<Node>, usize, bool, usize)> = Vec::new();
    let mut current: Vec<Node> = Vec::new();
    let mut pos = 0;
    while let Some(found) = template[pos..].find("{{") {
        let start = pos + found;
        if start > pos {
            current.push(Node::Text(template[pos..start].to_string()));
        }
        let line = line_of(template, start);
        let (inner, end) = if template[start..].starts_with("{{{") {
            let close = template[start + 3..]
                .find("}}}")
                .ok_or_else(|| format!("line {line}: unclosed {{{{{{ tag"))?;
            let inner = format!("&{}", &template[start + 3..start + 3 + close]);
            (inner, start + 3 + close + 3)
        } else {
            let close = template[start + 2..]
                .find("}}")
                .ok_or_else(|| format!("line {line}: unclosed {{{{ tag"))?;
            (
                template[start + 2..start + 2 + close].to_string(),
                start + 2 + close + 2,
            )
        };
        let tag = inner.trim();
        let (sigil, name) = match tag.chars().next() {
            Some(c @ ('#' | '^' | '/' | '!' | '&' | '>' | '=')) => (Some(c), tag[1..].trim()),
            _ => (None, tag),
        };
        match sigil {
            Some('!') => {}
            Some('=') => return Err(format!("line {line}: changing delimiters is not supported")),
            Some('>') => {} // no partials in packages: renders empty
            Some('#') | Some('^') => {
                let children = std::mem::take(&mut current);
                open.push((name.to_string(), children, end, sigil == Some('^'), line));
            }
            Some('/') => {
                let Some((open_name, parent, body_start, inverted, _)) = open.pop() else {
                    return Err(format!("line {line}: {{{{/{name}}}}} closes no section"));
                };
                if open_name != name {
                    return Err(format!(
                        "line {line}: {{{{/{name}}}}} closes section {open_name:?}"
                    ));
                }
                let children = std::mem::replace(&mut current, parent);
                current.push(Node::Section {
                    name: name.to_string(),
                    inverted,
                    raw: template[body_start..start].to_string(),
                    children,
                });
            }
            _ => {
                if name.is_empty() {
                    return Err(format!("line {line}: empty tag"));
                }
                current.push(Node::Var(name.to_string()));
            }
        }
        pos = end;
    }
    if pos < template.len() {
        current.push(Node::Text(template[pos..].to_string()));
    }
    if let Some((name, _, _, _, line)) = open.pop() {
        return Err(format!("line {line}: section {name:?} is never closed"));
    }
    Ok(current)
}

#[derive(Clone, Copy)]
struct Frame<'a> {
    value: &'a Value,
    /// The value is an array element (strings then keep their quotes).
    element: bool,
}

fn lookup<'a>(name: &str, stack: &[Frame<'a>]) -> Option<Frame<'a>> {
    if name == "." {
        return stack.last().copied();
    }
    let mut parts = name.split('.');
    let first = parts.next()?;
    let mut found = stack
        .iter()
        .rev()
        .find_map(|f| f.value.as_object().and_then(|o| o.get(first)))
        .map(|value| Frame {
            value,
            element: false,
        })?;
    for part in parts {
        found = Frame {
            value: found.value.as_object()?.get(part)?,
            element: false,
        };
    }
    Some(found)
}

fn truthy(f: &Frame) -> bool {
    match f.value {
        Value::Null | Value::Bool(false) => false,
        Value::String(s) => f.element || !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

/// How a value prints: strings JSON-encoded (quotes kept only for array
/// elements), whole numbers as integers, `null` empty.
fn text(f: &Frame) -> String {
    match f.value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => {
            let quoted = Value::String(s.clone()).to_string();
            if f.element {
                quoted
            } else {
                quoted[1..quoted.len() - 1].to_string()
            }
        }
        other => other.to_string(),
    }
}

fn number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", f as i64),
        Some(f) => format!("{f}"),
        None => n.to_string(),
    }
}

fn render_nodes<'a>(nodes: &[Node], stack: &mut Vec<Frame<'a>>, root: &'a Value, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Var(name) => {
                let name = name.strip_prefix('&').map(str::trim).unwrap_or(name);
                if let Some(f) = lookup(name, stack) {
                    out.push_str(&text(&f));
                }
            }
            Node::Section {
                name,
                inverted,
                raw,
                children,
            } => {
                let found = lookup(name, stack);
                if found.is_none() && name == "asJson" && !inverted {
                    out.push_str(&as_json(raw.trim(), root));
                    continue;
                }
                let on = found.as_ref().is_some_and(truthy);
                if *inverted {
                    if !on {
                        render_nodes(children, stack, root, out);
                    }
                    continue;
                }
                let Some(f) = found.filter(|_| on) else {
                    continue;
                };
                if let Value::Array(items) = f.value {
                    for item in items {
                        stack.push(Frame {
                            value: item,
                            element: true,
                        });
                        render_nodes(children, stack, root, out);
                        stack.pop();
                    }
                } else {
                    stack.push(f);
                    render_nodes(children, stack, root, out);
                    stack.pop();
                }
            }
        }
    }
}

/// `{{#asJson}}key{{/asJson}}`: the top-level key's string value as a JSON
/// string, else `null`.
fn as_json(key: &str, root: &Value) -> String {
    match root.get(key) {
        Some(s @ Value::String(_)) => s.to_string(),
        _ => "null".to_string(),
    }
}

#[cfg(test)]
#[path = "mustache_tests.rs"]
mod tests;
