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
    let mut buf = Vec::new();
    let page = cmd.clone().name(name.to_string());
    clap_mangen::Man::new(page)
        .render(&mut buf)
        .map_err(|e| Error::failed(format!("cannot render man page {name}: {e}")))?;
    if name == "mesos" {
        buf.extend_from_slice(EXIT_STATUS_SECTION.as_bytes());
    }
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
