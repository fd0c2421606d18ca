//! `mesos`: the operator toolkit for Apache Mesos clusters, as a library.
//!
//! The binary (`src/main.rs`) is a thin wrapper around [`run`]; tests and
//! benchmarks use the modules directly.

pub mod agent;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod complete;
pub mod config;
pub mod containerio;
pub mod context;
pub mod daemon;
pub mod datetime;
pub mod duration;
pub mod error;
pub mod execute;
pub mod fsutil;
pub mod health;
pub mod http;
pub mod leader;
pub mod marathon;
pub mod marathon_client;
pub mod master;
pub mod metrics;
pub mod output;
pub mod package_client;
pub mod packages;
pub mod recordio;
pub mod remote;
pub mod resources;
pub mod sandbox;
pub mod scheduler_client;
pub mod serve;
pub mod tasks;
#[cfg(test)]
pub(crate) mod test_fixtures;
pub mod top;
pub mod wire;

use clap::Parser;

/// Parse the command line, run the command, print any error, return the exit code.
pub fn run() -> u8 {
    // `COMPLETE=<shell> mesos -- WORDS`: the shell's dynamic completion hook.
    complete::complete_if_asked();
    // `args_os`: `std::env::args` panics on an argument that is not UTF-8.
    let os_args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The daemons take real Mesos flags (`--master=...`, `--no-flag`), which
    // clap's global options would misread: hand them over before clap runs.
    // Also runnable as `mesos-master` / `mesos-agent` through argv[0].
    let argv0 = os_args
        .first()
        .map(|a| {
            std::path::Path::new(a)
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .unwrap_or_default();
    let daemon = |main: fn(Vec<String>) -> u8, skip: usize| match daemon::flags::utf8_args(
        os_args.get(skip..).unwrap_or_default(),
    ) {
        Ok(args) => {
            http::install_crypto_provider();
            main(args)
        }
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    match argv0.as_str() {
        "mesos-master" => return daemon(master::main, 1),
        "mesos-agent" | "mesos-slave" => return daemon(agent::main, 1),
        "mesos-marathon" => return daemon(marathon::main, 1),
        _ => {}
    }
    match os_args.get(1).and_then(|a| a.to_str()) {
        Some("master") => return daemon(master::main, 2),
        Some("agent") => return daemon(agent::main, 2),
        Some("marathon") => return daemon(marathon::main, 2),
        _ => {}
    }
    // `mesos --version` alone: the line clap would print, before any set-up.
    if let [_, flag] = os_args.as_slice() {
        if flag == "--version" || flag == "-V" {
            use std::io::Write;
            let _ = std::io::stdout().write_all(version_line().as_bytes());
            return error::EXIT_OK;
        }
    }
    let args: Vec<String> = match os_args
        .iter()
        .map(|a| a.to_str().map(str::to_string).ok_or(a))
        .collect()
    {
        Ok(a) => a,
        Err(bad) => {
            eprintln!(
                "error: argument '{}' is not valid UTF-8",
                bad.to_string_lossy()
            );
            return error::EXIT_USAGE;
        }
    };
    // `mesos ssh ... -o KEY=VALUE`: an ssh option, not the global -o FORMAT.
    let args = remote::openssh::rewrite_ssh_option_flags(args);
    // `mesos --help` / `-h` alone: the same text from a tree whose
    // subcommands are not built (see `cli::top_level_help_command`).
    if let [_, flag] = args.as_slice() {
        if flag == "--help" || flag == "-h" {
            if let Err(e) = cli::top_level_help_command_for_stdout().try_get_matches_from(&args) {
                return print_clap_error(&e);
            }
        }
    }
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) => {
            let code = print_clap_error(&e);
            // `mesos health` is a Nagios plugin: a usage error is UNKNOWN (3).
            return if code == error::EXIT_USAGE && commands::health::invoked(&args) {
                3
            } else {
                code
            };
        }
    };
    http::install_crypto_provider();
    if let Some(w) = cli.global.wire {
        wire::proto::set_client_media(match w {
            cli::WireFormat::Json => wire::proto::Media::Json,
            cli::WireFormat::Protobuf => wire::proto::Media::Protobuf,
        });
    }
    match commands::run(&cli.global, &cli.command) {
        Ok(()) => error::EXIT_OK,
        Err(e) => {
            report(&e);
            e.exit_code()
        }
    }
}

/// Print clap's help, version or usage error; the exit code to return:
/// --help / --version print to stdout and exit 0; usage errors exit 2.
fn print_clap_error(e: &clap::Error) -> u8 {
    let _ = e.print();
    if e.use_stderr() {
        error::EXIT_USAGE
    } else {
        error::EXIT_OK
    }
}

/// What `mesos --version` prints (clap's rendering of the top-level version).
pub fn version_line() -> String {
    format!("mesos {}\n", env!("CARGO_PKG_VERSION"))
}

/// Print an error (and hint) on stderr in the documented shape.
pub fn report(e: &error::Error) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {}", e.message);
    for d in &e.details {
        let _ = writeln!(err, "  {d}");
    }
    if let Some(h) = &e.hint {
        let _ = writeln!(err, "hint: {h}");
    }
}
