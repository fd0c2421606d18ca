//! One module per subcommand; this file holds only the list and the dispatch.

pub mod completions;
pub mod config;
pub mod generate_docs;
pub mod resolve;
pub mod state;

use clap::Subcommand;

use crate::cli::GlobalArgs;
use crate::error::Result;

/// Every `mesos` subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    Resolve(resolve::ResolveArgs),
    State(state::StateArgs),
    Config(config::ConfigArgs),
    Completions(completions::CompletionsArgs),
    #[command(hide = true)]
    GenerateDocs(generate_docs::GenerateDocsArgs),
}

/// Run one command on a runtime suited to a short-lived CLI.
pub fn run(global: &GlobalArgs, command: &Command) -> Result<()> {
    match command {
        // Commands that need no cluster and no runtime.
        Command::Completions(args) => completions::cmd_completions(args),
        Command::GenerateDocs(args) => generate_docs::cmd_generate_docs(args),
        Command::Config(args) => config::cmd_config(global, args),
        Command::Resolve(args) => block_on(resolve::cmd_resolve(global, args)),
        Command::State(args) => block_on(state::cmd_state(global, args)),
    }
}

/// A current-thread tokio runtime: starts in microseconds, enough for the CLI.
pub fn block_on<F: std::future::Future<Output = Result<()>>>(f: F) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::error::Error::failed(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(f)
}
