//! `mesos`: the operator toolkit for Apache Mesos clusters, as a library.
//!
//! The binary (`src/main.rs`) is a thin wrapper around [`run`]; tests and
//! benchmarks use the modules directly.

pub mod agent;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod config;
pub mod context;
pub mod daemon;
pub mod duration;
pub mod error;
pub mod execute;
pub mod fsutil;
pub mod http;
pub mod leader;
pub mod master;
pub mod output;
pub mod recordio;
pub mod remote;
pub mod resources;
pub mod sandbox;
pub mod scheduler_client;
pub mod tasks;
pub mod wire;

use clap::Parser;

/// Parse the command line, run the command, print any error, return the exit code.
pub fn run() -> u8 {
    http::install_crypto_provider();
    let args: Vec<String> = std::env::args().collect();
    // The daemons take real Mesos flags (`--master=...`, `--no-flag`), which
    // clap's global options would misread: hand them over before clap runs.
    // Also runnable as `mesos-master` / `mesos-agent` through argv[0].
    let argv0 = args
        .first()
        .map(|a| {
            std::path::Path::new(a)
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .unwrap_or_default();
    match argv0.as_str() {
        "mesos-master" => return master::main(args[1..].to_vec()),
        "mesos-agent" | "mesos-slave" => return agent::main(args[1..].to_vec()),
        _ => {}
    }
    match args.get(1).map(String::as_str) {
        Some("master") => return master::main(args[2..].to_vec()),
        Some("agent") => return agent::main(args[2..].to_vec()),
        _ => {}
    }
    // `mesos ssh ... -o KEY=VALUE`: an ssh option, not the global -o FORMAT.
    let args = remote::openssh::rewrite_ssh_option_flags(args);
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) => {
            // --help / --version print to stdout and exit 0; usage errors exit 2.
            let code = if e.use_stderr() {
                error::EXIT_USAGE
            } else {
                error::EXIT_OK
            };
            let _ = e.print();
            return code;
        }
    };
    match commands::run(&cli.global, &cli.command) {
        Ok(()) => error::EXIT_OK,
        Err(e) => {
            report(&e);
            e.exit_code()
        }
    }
}

/// Print an error (and hint) on stderr in the documented shape.
pub fn report(e: &error::Error) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {}", e.message);
    if let Some(h) = &e.hint {
        let _ = writeln!(err, "hint: {h}");
    }
}
