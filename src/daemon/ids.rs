//! Validation of the ids the daemons receive from the network (framework,
//! task, executor, agent and container ids). The rules are the ones real
//! Mesos applies to every id (`validateID` in its common validation): an id
//! is non-empty, at most `NAME_MAX` (255) bytes, not `.` or `..`, and holds
//! no `/`, `\` or control character. Ids become directory names under the
//! agent's `--work_dir`, so nothing else may ever join an id into a path:
//! [`join_id`] validates first.
//!
//! Messages name the kind of id, the (escaped, shortened) id and the rule,
//! e.g. `Task ID '../x' contains invalid characters ('/' is not allowed)`.

use std::path::{Path, PathBuf};

/// `NAME_MAX` on Linux: the longest file name, in bytes.
pub const NAME_MAX: usize = 255;

/// How much of an over-long id a message shows.
const SHOWN: usize = 64;

/// The id as a message shows it: control characters escaped (so a message
/// stays one line), at most [`SHOWN`] characters.
pub fn shown(id: &str) -> String {
    let mut out = String::new();
    for (n, c) in id.chars().enumerate() {
        if n == SHOWN {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Check one id. `kind` names it in the message ("Task ID", "Framework ID",
/// "Executor ID", "Agent ID", "Container ID").
pub fn validate_id(kind: &str, id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err(format!("{kind} must not be empty"));
    }
    if id.len() > NAME_MAX {
        return Err(format!(
            "{kind} '{}' must not be greater than {NAME_MAX} characters (it has {} bytes)",
            shown(id),
            id.len()
        ));
    }
    if id == "." || id == ".." {
        return Err(format!("{kind} '{id}' is disallowed"));
    }
    if let Some(c) = id
        .chars()
        .find(|&c| c == '/' || c == '\\' || c.is_control())
    {
        let what = match c {
            '/' => "'/' is not allowed".to_string(),
            '\\' => "'\\' is not allowed".to_string(),
            c => format!("control character '{}' is not allowed", c.escape_default()),
        };
        return Err(format!(
            "{kind} '{}' contains invalid characters ({what})",
            shown(id)
        ));
    }
    Ok(())
}

/// `base/id`, after checking `id` with [`validate_id`]: the only way the
/// daemons turn an id into a path.
pub fn join_id(base: &Path, kind: &str, id: &str) -> Result<PathBuf, String> {
    validate_id(kind, id)?;
    Ok(base.join(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_ids() {
        for id in [
            "t1",
            "my-task.1",
            "a b",
            "...",
            ".hidden",
            "é-ünïcode",
            "0123456789abcdef-S0",
            &"x".repeat(NAME_MAX),
        ] {
            assert_eq!(validate_id("Task ID", id), Ok(()), "{id}");
        }
    }

    #[test]
    fn empty() {
        assert_eq!(
            validate_id("Task ID", "").unwrap_err(),
            "Task ID must not be empty"
        );
    }

    #[test]
    fn too_long_counts_bytes() {
        let e = validate_id("Framework ID", &"x".repeat(NAME_MAX + 1)).unwrap_err();
        assert!(e.starts_with("Framework ID 'xxxx"), "{e}");
        assert!(e.contains("must not be greater than 255 characters"), "{e}");
        assert!(e.contains("256 bytes"), "{e}");
        assert!(e.len() < 200, "the message shows a shortened id: {e}");
        // 128 two-byte characters = 256 bytes.
        assert!(validate_id("Task ID", &"é".repeat(128)).is_err());
        assert!(validate_id("Task ID", &"é".repeat(127)).is_ok());
    }

    #[test]
    fn dot_and_dot_dot() {
        assert_eq!(
            validate_id("Task ID", ".").unwrap_err(),
            "Task ID '.' is disallowed"
        );
        assert_eq!(
            validate_id("Executor ID", "..").unwrap_err(),
            "Executor ID '..' is disallowed"
        );
    }

    #[test]
    fn separators_and_control_characters() {
        assert_eq!(
            validate_id("Task ID", "../../../../tmp/x").unwrap_err(),
            "Task ID '../../../../tmp/x' contains invalid characters ('/' is not allowed)"
        );
        assert_eq!(
            validate_id("Task ID", "a\\b").unwrap_err(),
            "Task ID 'a\\b' contains invalid characters ('\\' is not allowed)"
        );
        let e = validate_id("Agent ID", "a\nb").unwrap_err();
        assert_eq!(
            e,
            "Agent ID 'a\\nb' contains invalid characters (control character '\\n' is not allowed)"
        );
        assert!(!e.contains('\n'));
        assert!(validate_id("Task ID", "a\u{7f}").is_err());
        assert!(validate_id("Task ID", "a\u{0}").is_err());
        assert!(validate_id("Task ID", "a\u{85}").is_err());
    }

    #[test]
    fn join_validates_first() {
        let base = Path::new("/w");
        assert_eq!(
            join_id(base, "Task ID", "t1").unwrap(),
            PathBuf::from("/w/t1")
        );
        assert!(join_id(base, "Task ID", "..").is_err());
        assert!(join_id(base, "Task ID", "/etc").is_err());
    }
}
