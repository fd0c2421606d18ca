//! `mesos completions SHELL`: print a shell completion script.

use clap::Args;
use clap_complete::Shell;

use crate::error::{Error, Result};

/// Print a shell completion script
///
/// Writes the completion script for SHELL to stdout. Load it from your
/// shell's startup file, or install the pre-generated files in completions/.
/// It completes commands and flags.
///
/// Dynamic completion also completes task, framework and agent ids (asked
/// of the master the command line would use, 1s timeout, nothing on
/// failure) and profile names: source `COMPLETE=SHELL mesos` instead (bash,
/// zsh, fish, elvish, powershell); see the examples.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos completions bash > ~/.local/share/bash-completion/completions/mesos
  mesos completions zsh > ~/.zfunc/_mesos
  mesos completions fish > ~/.config/fish/completions/mesos.fish
  echo 'source <(COMPLETE=bash mesos)' >> ~/.bashrc     # dynamic: ids and profiles too
  echo 'source <(COMPLETE=zsh mesos)' >> ~/.zshrc
  echo 'COMPLETE=fish mesos | source' >> ~/.config/fish/config.fish")]
pub struct CompletionsArgs {
    /// Shell to generate for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn cmd_completions(args: &CompletionsArgs) -> Result<()> {
    let CompletionsArgs { shell } = args;
    let mut buf = Vec::new();
    clap_complete::generate(*shell, &mut crate::cli::command(), "mesos", &mut buf);
    crate::output::write_stdout(&buf).map_err(|e| Error::failed(e.to_string()))
}
