//! Hidden `mesos generate-docs`: regenerate the checked-in `man/` and
//! `completions/` directories from the clap definitions.

use std::path::{Path, PathBuf};

use clap::Args;
use clap_complete::Shell;

use crate::error::{Error, Result};

/// Regenerate man pages and completion scripts
#[derive(Clone, Debug, Args)]
pub struct GenerateDocsArgs {
    /// Repository root to write man/ and completions/ into
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
}

pub fn cmd_generate_docs(args: &GenerateDocsArgs) -> Result<()> {
    let GenerateDocsArgs { out } = args;
    for (path, bytes) in generated_files()? {
        let dest = out.join(&path);
        crate::fsutil::write_atomic(&dest, &bytes)
            .map_err(|e| Error::failed(format!("cannot write {}: {e}", dest.display())))?;
    }
    Ok(())
}

/// Shells whose scripts are checked in under `completions/`.
pub const CHECKED_IN_SHELLS: [(Shell, &str); 3] = [
    (Shell::Bash, "completions/mesos.bash"),
    (Shell::Zsh, "completions/_mesos"),
    (Shell::Fish, "completions/mesos.fish"),
];

/// Every generated file, as (relative path, contents).
pub fn generated_files() -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for (shell, path) in CHECKED_IN_SHELLS {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut crate::cli::command(), "mesos", &mut buf);
        files.push((PathBuf::from(path), buf));
    }
    let mut cmd = crate::cli::command();
    cmd.build();
    man_pages(&cmd, "mesos", Path::new("man"), &mut files)?;
    Ok(files)
}

fn man_pages(
    cmd: &clap::Command,
    name: &str,
    dir: &Path,
    files: &mut Vec<(PathBuf, Vec<u8>)>,
) -> Result<()> {
    let buf = man_page(cmd, name)
        .map_err(|e| Error::failed(format!("cannot render man page {name}: {e}")))?;
    files.push((dir.join(format!("{name}.1")), buf));
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let sub_name = format!("{name}-{}", sub.get_name());
        man_pages(sub, &sub_name, dir, files)?;
    }
    Ok(())
}

/// One page: clap_mangen's sections, with the `Examples:` block of the
/// after-help under EXAMPLES (clap_mangen would put all of it under EXTRA)
/// and, for the top page, the exit codes under EXIT STATUS.
fn man_page(cmd: &clap::Command, name: &str) -> std::io::Result<Vec<u8>> {
    let after = cmd.get_after_help().map(|s| s.to_string());
    let examples = after.as_deref().and_then(examples_block);
    let page = cmd.clone().name(name.to_string()).after_help(None::<&str>);
    let man = clap_mangen::Man::new(page.clone());
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    if page.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut buf)?;
    }
    if page.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut buf)?;
    }
    if name == "mesos" {
        buf.extend_from_slice(EXIT_STATUS_SECTION.as_bytes());
    }
    if let Some(examples) = examples {
        // clap_mangen escapes the text; only the heading is ours.
        let mut extra = Vec::new();
        clap_mangen::Man::new(clap::Command::new(name.to_string()).after_help(examples))
            .render_extra_section(&mut extra)?;
        let extra = String::from_utf8_lossy(&extra).replacen(".SH EXTRA", ".SH EXAMPLES", 1);
        buf.extend_from_slice(extra.as_bytes());
    }
    if page.get_version().is_some() {
        man.render_version_section(&mut buf)?;
    }
    Ok(one_preamble(&buf))
}

/// Each section rendered on its own starts with roff's two-line preamble
/// (the `Aq` string); keep only the first.
fn one_preamble(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let preamble = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    match text.split_once(preamble) {
        Some((before, after)) => {
            format!("{before}{preamble}{}", after.replace(preamble, "")).into_bytes()
        }
        None => text.into_owned().into_bytes(),
    }
}

/// The lines under `Examples:` in an after-help text, up to the next blank
/// line (the top-level help goes on with the exit codes).
fn examples_block(after_help: &str) -> Option<String> {
    let rest = after_help.split_once("Examples:\n")?.1;
    let block = rest.split("\n\n").next().unwrap_or(rest).trim_end();
    (!block.is_empty()).then(|| block.to_string())
}

const EXIT_STATUS_SECTION: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
success
.TP
\fB1\fR
error (unreachable master, bad response, credentials refused (401), I/O failure)
.TP
\fB2\fR
usage error (bad flag or value, malformed \-\-master)
.TP
\fB3\fR
partial failure (some hosts, agents or tasks failed)
.TP
\fB4\fR
not found, or ambiguous match
.TP
\fB124\fR
timed out
"#;
