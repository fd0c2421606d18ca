//! The `label=` selector of `GET /v2/apps` (docs/marathon.md, "Scheduling
//! rules"): `key` (exists), `key==v`, `key!=v`, `key in (a, b)`,
//! `key notin (a, b)`, joined by `,` (AND). Terms are letters, digits,
//! `-`, `_`, `.`, or any character escaped with `\`; whitespace between
//! tokens is ignored. As in Marathon, every form needs the label to exist
//! (`key!=v` and `notin` do not match apps without the label).

use std::collections::BTreeMap;

/// One requirement on one label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    Exists(String),
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
}

/// A parsed selector: all requirements must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector(pub Vec<Requirement>);

impl Selector {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|r| match r {
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k).is_some_and(|x| x != v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|x| vs.contains(x)),
            Requirement::NotIn(k, vs) => labels.get(k).is_some_and(|x| !vs.contains(x)),
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Term(String),
    Eq,
    Ne,
    Open,
    Close,
    Comma,
}

fn is_term_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

fn tokens(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut it = s.chars().peekable();
    while let Some(&c) = it.peek() {
        match c {
            c if c.is_whitespace() => {
                it.next();
            }
            '(' | ')' | ',' => {
                it.next();
                out.push(match c {
                    '(' => Tok::Open,
                    ')' => Tok::Close,
                    _ => Tok::Comma,
                });
            }
            '=' | '!' => {
                it.next();
                if it.next() != Some('=') {
                    return Err(format!("expected '{c}=' in label selector '{s}'"));
                }
                out.push(if c == '=' { Tok::Eq } else { Tok::Ne });
            }
            c if is_term_char(c) || c == '\\' => {
                let mut term = String::new();
                while let Some(&c) = it.peek() {
                    if c == '\\' {
                        it.next();
                        match it.next() {
                            Some(e) => term.push(e),
                            None => return Err(format!("dangling '\\' in label selector '{s}'")),
                        }
                    } else if is_term_char(c) {
                        term.push(c);
                        it.next();
                    } else {
                        break;
                    }
                }
                out.push(Tok::Term(term));
            }
            other => {
                return Err(format!(
                    "unexpected '{other}' in label selector '{s}' (escape it with '\\')"
                ))
            }
        }
    }
    Ok(out)
}

/// Parse a selector; an empty one matches every app.
pub fn parse_selector(s: &str) -> Result<Selector, String> {
    let toks = tokens(s)?;
    let mut reqs = Vec::new();
    let mut i = 0;
    let bad = |what: &str| Err(format!("invalid label selector '{s}': {what}"));
    while i < toks.len() {
        let Tok::Term(key) = &toks[i] else {
            return bad("expected a label name");
        };
        i += 1;
        let req = match toks.get(i) {
            None | Some(Tok::Comma) => Requirement::Exists(key.clone()),
            Some(Tok::Eq) | Some(Tok::Ne) => {
                let ne = toks[i] == Tok::Ne;
                let Some(Tok::Term(v)) = toks.get(i + 1) else {
                    return bad("expected a value after '==' or '!='");
                };
                i += 2;
                if ne {
                    Requirement::NotEquals(key.clone(), v.clone())
                } else {
                    Requirement::Equals(key.clone(), v.clone())
                }
            }
            Some(Tok::Term(word)) if word == "in" || word == "notin" => {
                let notin = word == "notin";
                if toks.get(i + 1) != Some(&Tok::Open) {
                    return bad("expected '(' after 'in' or 'notin'");
                }
                i += 2;
                let mut values = Vec::new();
                loop {
                    match toks.get(i) {
                        Some(Tok::Close) if values.is_empty() => {
                            i += 1;
                            break;
                        }
                        Some(Tok::Term(v)) => {
                            values.push(v.clone());
                            i += 1;
                            match toks.get(i) {
                                Some(Tok::Comma) => i += 1,
                                Some(Tok::Close) => {
                                    i += 1;
                                    break;
                                }
                                _ => return bad("expected ',' or ')' in a value list"),
                            }
                        }
                        _ => return bad("expected a value or ')'"),
                    }
                }
                if notin {
                    Requirement::NotIn(key.clone(), values)
                } else {
                    Requirement::In(key.clone(), values)
                }
            }
            Some(_) => return bad("expected '==', '!=', 'in', 'notin' or ','"),
        };
        reqs.push(req);
        match toks.get(i) {
            None => {}
            Some(Tok::Comma) => {
                i += 1;
                if i == toks.len() {
                    return bad("trailing ','");
                }
            }
            Some(_) => return bad("expected ','"),
        }
    }
    Ok(Selector(reqs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_form_parses() {
        let s = parse_selector("a, b==1 ,c!=2,d in (x, y),e notin(z)").unwrap();
        assert_eq!(
            s.0,
            vec![
                Requirement::Exists("a".into()),
                Requirement::Equals("b".into(), "1".into()),
                Requirement::NotEquals("c".into(), "2".into()),
                Requirement::In("d".into(), vec!["x".into(), "y".into()]),
                Requirement::NotIn("e".into(), vec!["z".into()]),
            ]
        );
    }

    #[test]
    fn matching_is_an_and_and_needs_the_label() {
        let l = labels(&[("env", "prod"), ("tier", "web")]);
        assert!(parse_selector("env").unwrap().matches(&l));
        assert!(parse_selector("env==prod,tier in (web,db)")
            .unwrap()
            .matches(&l));
        assert!(!parse_selector("env==prod,tier notin (web)")
            .unwrap()
            .matches(&l));
        assert!(parse_selector("env!=dev").unwrap().matches(&l));
        assert!(!parse_selector("owner!=x").unwrap().matches(&l));
        assert!(!parse_selector("owner notin (x)").unwrap().matches(&l));
        assert!(!parse_selector("owner").unwrap().matches(&l));
        assert!(parse_selector("").unwrap().matches(&l));
    }

    #[test]
    fn escapes_allow_any_character() {
        let l = labels(&[("a b", "x,y"), ("k", "v(1)")]);
        assert!(parse_selector(r"a\ b==x\,y").unwrap().matches(&l));
        assert!(parse_selector(r"k in (v\(1\), w)").unwrap().matches(&l));
    }

    #[test]
    fn bad_selectors_say_what_is_wrong() {
        for bad in [
            "a=b", "a==", "a in x", "a in (x", "a b", "a,", "==b", "a\\", "a:b",
        ] {
            let err = parse_selector(bad).unwrap_err();
            assert!(
                err.contains(bad.trim_end_matches('\\')) || err.contains("label selector"),
                "{bad}: {err}"
            );
        }
    }
}
