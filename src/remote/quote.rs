//! POSIX shell quoting for the command lines `ssh`, `node ssh` and
//! `node exec` send to a remote shell.
//!
//! Rule for COMMAND (the words after `--`): exactly one word is a shell
//! command line and is sent as is (`-- 'ls | wc -l'`, like `ssh host CMD`);
//! several words are quoted one by one, so each arrives as one argument
//! (`-- echo 'a b'` prints `a b`, like `kubectl exec`).

/// Quote one word for a POSIX shell (shell-words): unchanged when it only
/// has characters no shell treats specially, else in single quotes (`'` as
/// `'\''`).
pub fn quote_word(s: &str) -> String {
    shell_words::quote(s).into_owned()
}

/// Quote and join words (each arrives as one argument).
pub fn join_words<S: AsRef<str>>(words: &[S]) -> String {
    shell_words::join(words.iter().map(AsRef::as_ref))
}

/// The remote command line for COMMAND words (see the module doc).
/// `None` when there are none.
pub fn command_line<S: AsRef<str>>(words: &[S]) -> Option<String> {
    match words {
        [] => None,
        [one] => Some(one.as_ref().to_string()),
        many => Some(join_words(many)),
    }
}

/// `cd` into `dir`, then run COMMAND (or an interactive login shell).
///
/// The `cd` is on its own line with `|| exit 1`, so a command line with
/// `;` or `&&` never runs outside the directory.
pub fn in_directory<S: AsRef<str>>(dir: &str, words: &[S]) -> String {
    let cd = format!("cd -- {} || exit 1", quote_word(dir));
    match command_line(words) {
        Some(cmd) => format!("{cd}\n{cmd}"),
        None => format!("{cd}\nexec \"${{SHELL:-/bin/sh}}\" -l"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run `sh -c 'printf "[%s]" WORDS'` locally and return what it printed.
    fn through_sh(line: &str) -> String {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(line)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn safe_words_stay_bare() {
        assert_eq!(quote_word("ls"), "ls");
        assert_eq!(
            quote_word("/var/lib/mesos/slaves/S0/frameworks/F-1/runs/latest"),
            "/var/lib/mesos/slaves/S0/frameworks/F-1/runs/latest"
        );
        assert_eq!(quote_word("user@host:22"), "user@host:22");
    }

    #[test]
    fn special_words_are_single_quoted() {
        assert_eq!(quote_word(""), "''");
        assert_eq!(quote_word("a b"), "'a b'");
        assert_eq!(quote_word("it's"), "'it'\\''s'");
        assert_eq!(quote_word("$HOME"), "'$HOME'");
        assert_eq!(quote_word("*"), "'*'");
        assert_eq!(quote_word("~"), "'~'");
        assert_eq!(quote_word("=x"), "'=x'");
        assert_eq!(quote_word("a\nb"), "'a\nb'");
    }

    #[test]
    fn words_survive_a_real_shell() {
        let words = [
            "printf",
            "[%s]",
            "plain",
            "two words",
            "it's",
            "$HOME",
            "`id`",
            "$(id)",
            "a\"b",
            "back\\slash",
            "*",
            "",
            "tab\there",
            "new\nline",
            "!bang",
            ";",
            "&&",
            "ünïcödé",
        ];
        let line = join_words(&words);
        let expected: String = words[2..].iter().map(|w| format!("[{w}]")).collect();
        assert_eq!(through_sh(&line), expected);
    }

    #[test]
    fn one_word_is_a_command_line_several_are_arguments() {
        assert_eq!(command_line::<&str>(&[]), None);
        assert_eq!(command_line(&["ls | wc -l"]).unwrap(), "ls | wc -l");
        assert_eq!(command_line(&["echo", "a b"]).unwrap(), "echo 'a b'");
        assert_eq!(
            through_sh(&command_line(&["echo a; echo b"]).unwrap()),
            "a\nb\n"
        );
        assert_eq!(
            through_sh(&command_line(&["echo", "a; echo b"]).unwrap()),
            "a; echo b\n"
        );
    }

    #[test]
    fn directory_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join("it's a dir");
        std::fs::create_dir(&odd).unwrap();
        let line = in_directory(odd.to_str().unwrap(), &["pwd"]);
        assert_eq!(through_sh(&line).trim_end(), odd.to_str().unwrap());
        // A failed cd stops there, even with `;` in the command.
        let line = in_directory("/nonexistent/dir", &["echo ran; echo again"]);
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&line)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(String::from_utf8_lossy(&out.stdout), "");
        assert!(in_directory::<&str>("/x", &[]).ends_with("exec \"${SHELL:-/bin/sh}\" -l"));
    }
}
