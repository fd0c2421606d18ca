//! Shell-style globs (`*`, `?`, `[abc]`, `[a-z]`, `[!x]`) for task ids,
//! names and sandbox file names, through the `glob` crate's [`Pattern`].
//! Matching is on whole strings, and `*` also matches `/`.

use glob::Pattern;

/// True when `pattern` has a glob metacharacter.
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// Whether the whole of `text` matches `pattern`. A pattern the matcher
/// cannot compile (an unclosed `[`) is matched literally.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    compile(pattern).map_or(pattern == text, |p| p.matches(text))
}

/// Compile `pattern`; `**` means the same as `*` here (there are no path
/// components in an id or a file name), so runs of `*` are folded first.
fn compile(pattern: &str) -> Option<Pattern> {
    let mut folded = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        if !(c == '*' && folded.ends_with('*')) {
            folded.push(c);
        }
    }
    Pattern::new(&folded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("web*", "web.1234"));
        assert!(glob_match("*1234", "web.1234"));
        assert!(glob_match("w?b.*", "web.1"));
        assert!(!glob_match("web", "web.1"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(glob_match("a**c", "abbc"));
        assert!(glob_match("[ab]x", "bx"));
        assert!(!glob_match("[!ab]x", "bx"));
        assert!(glob_match("[a-c]*", "cat"));
        assert!(glob_match("[]]", "]"));
        assert!(glob_match("a[", "a["));
        assert!(!glob_match("a[", "ab"));
        assert!(glob_match("*.log", "mesos.log"));
        assert!(glob_match("*/x", "a/b/x"));
        assert!(glob_match("é*", "été"));
        assert!(is_glob("a*") && is_glob("a?") && is_glob("[x]") && !is_glob("plain"));
    }
}
