//! The clap definition of the whole command line: global flags shared by
//! every command, and the subcommand list (one module per subcommand in
//! `src/commands/`).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser};

use crate::commands::Command;
use crate::duration::parse_duration;
use crate::output::OutputFormat;

const LONG_ABOUT: &str = "\
One fast binary to run and debug Apache Mesos clusters.

`mesos` finds the leading master (ZooKeeper zk://, a list of masters, or
file://) and gives operators coreutils-style commands on the cluster. It
works against real Apache Mesos 1.x clusters and DC/OS.

Settings come from, in order of precedence: command-line flags, environment
variables (MESOS_MASTER, MESOS_PROFILE, MESOS_OUTPUT, MESOS_TIMEOUT,
MESOS_PRINCIPAL, MESOS_SECRET_FILE, MESOS_TOKEN, MESOS_CA_FILE, ...), the
active profile of the config file (MESOS_CONFIG, default
~/.config/mesos/config.toml), then defaults.";

/// Shown after the flags of `mesos --help`; ends with
/// the exit-code table of [`crate::error::EXIT_CODES_HELP`] (one macro).
const AFTER_HELP: &str = concat!(
    "\
Examples:
  eval \"$(mesos cluster up)\"                      # a local cluster, made the active profile
  mesos --master zk://zk1:2181,zk2:2181/mesos ps  # tasks with their live usage
  mesos tail -f web stderr                        # follow a task's sandbox file
  mesos execute --command 'echo hi' --follow      # run a one-off task
  mesos agents -o json | jq -r '.[].hostname'     # any command as JSON
  mesos help ps                                   # every command has examples
\n",
    crate::exit_codes_help!()
);

/// The `mesos` command line. `C` is [`Command`] except for rendering the
/// top-level help (see [`crate::commands::LazyCommand`]).
#[derive(Debug, Parser)]
#[command(
    name = "mesos",
    version,
    about = "Run and debug Apache Mesos clusters from one fast binary",
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli<C: clap::Subcommand = Command> {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: C,
}

/// Flags every command accepts.
#[derive(Clone, Debug, Default, Args)]
pub struct GlobalArgs {
    /// Master to talk to: host:port, http(s)://host:port[/prefix], a comma list, zk://[user:pass@]h1:2181,h2:2181/mesos or file:///path
    #[arg(
        long,
        global = true,
        env = "MESOS_MASTER",
        value_name = "MASTER",
        help_heading = "Global options"
    )]
    pub master: Option<String>,

    /// Config profile to use instead of the active one
    #[arg(
        long,
        global = true,
        env = "MESOS_PROFILE",
        value_name = "NAME",
        help_heading = "Global options"
    )]
    pub profile: Option<String>,

    /// Output format
    #[arg(
        short = 'o',
        long,
        global = true,
        env = "MESOS_OUTPUT",
        value_enum,
        value_name = "FORMAT",
        help_heading = "Global options"
    )]
    pub output: Option<OutputFormat>,

    /// Short for --output json
    #[arg(
        long,
        global = true,
        conflicts_with = "ndjson",
        help_heading = "Global options"
    )]
    pub json: bool,

    /// Short for --output ndjson (one JSON object per line)
    #[arg(long, global = true, help_heading = "Global options")]
    pub ndjson: bool,

    /// Give up on the cluster after this long (e.g. 5s, 500ms, 1m) [default: 5s]
    #[arg(long, global = true, env = "MESOS_TIMEOUT", value_parser = parse_duration, value_name = "DURATION", help_heading = "Global options")]
    pub timeout: Option<Duration>,

    /// HTTP basic-auth principal
    #[arg(
        long,
        global = true,
        env = "MESOS_PRINCIPAL",
        value_name = "PRINCIPAL",
        help_heading = "Global options"
    )]
    pub principal: Option<String>,

    /// Secret for --principal (visible in `ps`: prefer --secret-file or MESOS_SECRET)
    #[arg(
        long,
        global = true,
        env = "MESOS_SECRET",
        hide_env_values = true,
        value_name = "SECRET",
        help_heading = "Global options"
    )]
    pub secret: Option<String>,

    /// File holding the secret for --principal
    #[arg(
        long,
        global = true,
        env = "MESOS_SECRET_FILE",
        value_name = "FILE",
        help_heading = "Global options"
    )]
    pub secret_file: Option<PathBuf>,

    /// DC/OS-style auth token, sent as `Authorization: token=<TOKEN>`
    #[arg(
        long,
        global = true,
        env = "MESOS_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN",
        help_heading = "Global options"
    )]
    pub token: Option<String>,

    /// PEM file with CA certificates to trust for https masters and agents;
    /// also makes https the scheme for masters given without one and for
    /// leaders found in ZooKeeper (unless the profile sets `scheme`)
    #[arg(
        long,
        global = true,
        env = "MESOS_CA_FILE",
        value_name = "FILE",
        help_heading = "Global options"
    )]
    pub ca_file: Option<PathBuf>,

    /// Do not verify TLS certificates
    #[arg(long, global = true, env = "MESOS_INSECURE", value_parser = clap::builder::BoolishValueParser::new(), help_heading = "Global options")]
    pub insecure: bool,

    /// More detail on stderr (can be repeated)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = "Global options")]
    pub verbose: u8,

    /// Message encoding of the v1 API calls the CLI makes (the scheduler
    /// API of `mesos execute` and `mesos kill`, the operator API of `mesos
    /// events` and `mesos teardown`): json or protobuf [default: json]
    #[arg(
        long,
        global = true,
        env = "MESOS_WIRE",
        value_enum,
        value_name = "WIRE",
        help_heading = "Global options"
    )]
    pub wire: Option<WireFormat>,
}

/// `--wire` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum WireFormat {
    Json,
    Protobuf,
}

impl GlobalArgs {
    /// The output format asked for on the command line or in the
    /// environment (`--json`, `--ndjson`, `-o`/`--output`, MESOS_OUTPUT);
    /// `None` leaves it to the profile.
    pub fn format_flag(&self) -> Option<OutputFormat> {
        if self.json {
            Some(OutputFormat::Json)
        } else if self.ndjson {
            Some(OutputFormat::Ndjson)
        } else {
            self.output
        }
    }
}

/// The clap command, for completions, man pages and tests.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// The top-level command with each subcommand's arguments left unbuilt:
/// renders the same `mesos --help` / `-h` as [`command`], at a fraction of
/// the start-up cost. Not for parsing subcommands.
pub fn top_level_help_command() -> clap::Command {
    // Not global here: the top-level help does not show the difference, and
    // clap would otherwise copy every global option into every subcommand.
    <Cli<crate::commands::LazyCommand> as clap::CommandFactory>::command()
        .mut_args(|a| a.global(false))
}

/// [`top_level_help_command`] for printing to stdout: where clap would strip
/// the styling again (not a colour terminal, NO_COLOR, ...), render it
/// without styling in the first place; the text is the same and clap then
/// writes it as it is instead of scanning every byte for escape codes.
pub fn top_level_help_command_for_stdout() -> clap::Command {
    let cmd = top_level_help_command();
    if anstream::AutoStream::choice(&std::io::stdout()) == anstream::ColorChoice::Never {
        cmd.styles(clap::builder::Styles::plain())
            .color(clap::ColorChoice::Always)
    } else {
        cmd
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_fast_path_prints_what_clap_would() {
        assert_eq!(crate::version_line(), super::command().render_version());
    }

    #[test]
    fn top_level_help_is_the_same_from_the_lazy_tree() {
        let (mut full, mut lazy) = (super::command(), super::top_level_help_command());
        assert_eq!(
            full.render_long_help().to_string(),
            lazy.render_long_help().to_string()
        );
        assert_eq!(
            full.render_help().to_string(),
            lazy.render_help().to_string()
        );
        assert!(full
            .render_long_help()
            .to_string()
            .contains("Global options"));
    }

    #[test]
    fn unstyled_top_level_help_is_the_stripped_styled_one() {
        let mut plain = super::top_level_help_command().styles(clap::builder::Styles::plain());
        let mut full = super::command();
        for (p, f) in [
            (plain.render_long_help(), full.render_long_help()),
            (plain.render_help(), full.render_help()),
        ] {
            assert_eq!(p.ansi().to_string(), f.to_string());
            assert_ne!(
                f.ansi().to_string(),
                f.to_string(),
                "styled help has escapes"
            );
        }
    }

    #[test]
    fn subcommand_summaries_match_their_argument_docs() {
        // Built in full, the lazy tree applies each argument struct's doc
        // after the variant's `about`: the two must agree.
        let mut lazy = super::top_level_help_command();
        lazy.build();
        let full = super::command();
        for sc in full.get_subcommands() {
            let name = sc.get_name();
            if ["master", "agent", "marathon", "help"].contains(&name) {
                continue; // their summaries are the variants' own docs
            }
            let from_docs = lazy.find_subcommand(name).unwrap().get_about();
            assert_eq!(
                sc.get_about().map(ToString::to_string),
                from_docs.map(ToString::to_string),
                "{name}"
            );
        }
    }
}
