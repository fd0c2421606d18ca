//! `mesos health` (alias `mesos doctor`): cluster health checks, Nagios style.

use std::time::Duration;

use clap::Args;
use serde::Serialize;

use crate::context::Context;
use crate::duration::parse_duration;
use crate::error::Result;
use crate::health::{self, nagios, Check, Status, Thresholds};
use crate::output::{write_stdout, OutputFormat};

/// Check the health of a running cluster, one line per check (Nagios plugin)
///
/// Checks: every master answers (masters), one leader elected and every
/// master agrees (leader), no recent re-election (leader-uptime), each
/// ZooKeeper member answers ruok/mntr (zookeeper, for zk:// masters),
/// agents active, none disconnected (agents), allocated cpus/mem/disk
/// (resources), tasks stuck STAGING/STARTING (stuck-tasks), failed and lost
/// tasks in a recent window (task-failures, task-losses), inactive or
/// disconnected frameworks (frameworks), clock skew between nodes
/// (clock-skew) and mixed Mesos versions (versions). docs/metrics.md
/// describes each check and its thresholds.
///
/// Exit codes follow the Nagios plugin convention, unlike every other
/// command: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, the worst state of all
/// checks (CRITICAL > UNKNOWN > WARNING > OK). Masters that cannot be
/// reached at all are CRITICAL; a bad --master value or a bad flag is
/// UNKNOWN (3).
///
/// --nagios prints one status line, `MESOS <STATE> - <text> | <perfdata>`;
/// --json prints every check with its name, status, summary, value and
/// perfdata.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos health                                   # one line per check
  mesos health --expect-agents 10 --nagios       # for Nagios/Icinga/Sensu
  mesos --master zk://zk1:2181,zk2:2181,zk3:2181/mesos health
  mesos health --json | jq '.checks[] | select(.status != \"OK\")'

Exit codes (Nagios plugin convention, for this command only):
  0  OK        every check passed
  1  WARNING   at least one warning, nothing worse
  2  CRITICAL  at least one critical check (e.g. no leader, agent disconnected)
  3  UNKNOWN   a check could not decide, or bad flags / --master value")]
pub struct HealthArgs {
    /// Print one Nagios status line with perfdata instead of a line per check (wins over --json)
    #[arg(long)]
    pub nagios: bool,

    /// Agents that should be active: fewer is CRITICAL
    #[arg(long, value_name = "N")]
    pub expect_agents: Option<usize>,

    /// Masters that should answer [default: the --master list, or 2×quorum−1 for zk://]
    #[arg(long, value_name = "N")]
    pub expect_masters: Option<usize>,

    /// Allocated cpus/mem/disk percent above which to warn
    #[arg(long, value_name = "PERCENT", default_value_t = 85.0)]
    pub usage_warn: f64,

    /// Allocated cpus/mem/disk percent above which it is critical
    #[arg(long, value_name = "PERCENT", default_value_t = 95.0)]
    pub usage_crit: f64,

    /// A task STAGING or STARTING this long is stuck (WARNING)
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = "5m")]
    pub stuck_after: Duration,

    /// ... and CRITICAL when stuck this long
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = "15m")]
    pub stuck_crit: Duration,

    /// Window for the failed and lost task counts
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = "15m")]
    pub window: Duration,

    /// Tasks FAILED/ERROR in the window at which to warn
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub failed_warn: u64,

    /// Tasks FAILED/ERROR in the window at which it is critical
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub failed_crit: u64,

    /// Tasks LOST/UNREACHABLE/GONE/DROPPED in the window at which to warn
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub lost_warn: u64,

    /// Tasks LOST/UNREACHABLE/GONE/DROPPED in the window at which it is critical
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub lost_crit: u64,

    /// A leader elected more recently than this is a warning (flapping)
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = "5m")]
    pub min_leader_uptime: Duration,

    /// Clock spread between masters and agents above which to warn
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = "5s")]
    pub skew_warn: Duration,

    /// Clock spread above which it is critical
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", default_value = "30s")]
    pub skew_crit: Duration,
}

impl HealthArgs {
    fn thresholds(&self) -> Thresholds {
        Thresholds {
            expect_agents: self.expect_agents,
            expect_masters: self.expect_masters,
            usage_warn: self.usage_warn,
            usage_crit: self.usage_crit,
            stuck_after: self.stuck_after,
            stuck_crit: self.stuck_crit.max(self.stuck_after),
            window: self.window,
            failed_warn: self.failed_warn.max(1),
            failed_crit: self.failed_crit.max(self.failed_warn).max(1),
            lost_warn: self.lost_warn.max(1),
            lost_crit: self.lost_crit.max(self.lost_warn).max(1),
            min_leader_uptime: self.min_leader_uptime,
            skew_warn: self.skew_warn,
            skew_crit: self.skew_crit.max(self.skew_warn),
        }
    }
}

/// `--json`: the overall state and every check.
#[derive(Serialize)]
struct Report<'a> {
    status: Status,
    exit_code: u8,
    checks: &'a [Check],
}

/// Runs the checks, prints them, and exits with the Nagios code.
pub async fn cmd_health(ctx: &Context, args: &HealthArgs) -> Result<()> {
    let checks = match run(ctx, args).await {
        Ok(c) => c,
        Err(e) => {
            crate::report(&e);
            std::process::exit(Status::Unknown.exit_code() as i32);
        }
    };
    let status = nagios::overall(&checks);
    let out = if args.nagios {
        format!("{}\n", nagios::status_line(&checks))
    } else {
        match ctx.output.format {
            OutputFormat::Json => {
                ctx.output.json_value(&Report {
                    status,
                    exit_code: status.exit_code(),
                    checks: &checks,
                })?;
                String::new()
            }
            OutputFormat::Ndjson => {
                for c in &checks {
                    crate::output::write_ndjson_line(c)?;
                }
                String::new()
            }
            OutputFormat::Table => table(&checks, ctx.output.color),
        }
    };
    write_stdout(out.as_bytes())?;
    std::process::exit(status.exit_code() as i32);
}

async fn run(ctx: &Context, args: &HealthArgs) -> Result<Vec<Check>> {
    let http = ctx.http()?;
    let mut facts = health::facts::gather(
        ctx.master_spec(),
        &http,
        &ctx.scheme,
        ctx.timeout,
        args.expect_masters,
    )
    .await?;
    if let Some(state) = &facts.state {
        let path = health::memory::default_path();
        facts.first_seen = health::memory::update(path.as_ref(), state, facts.now);
    }
    Ok(health::run_checks(&facts, &args.thresholds()))
}

/// One line per check: status, name, summary (status coloured on a TTY).
fn table(checks: &[Check], color: bool) -> String {
    let width = checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut s = String::new();
    for c in checks {
        let tag = format!("{:<5}", c.status.short());
        let tag = if color {
            let code = match c.status {
                Status::Ok => "32",
                Status::Warning => "33",
                Status::Critical => "31",
                Status::Unknown => "35",
            };
            format!("\x1b[{code}m{tag}\x1b[0m")
        } else {
            tag
        };
        s.push_str(&format!("{tag} {:<width$}  {}\n", c.name, c.summary));
    }
    s
}

/// Is `args` (the whole command line) a `mesos health` / `mesos doctor`
/// invocation? Used to give its usage errors the Nagios UNKNOWN code.
pub fn invoked(args: &[String]) -> bool {
    crate::cli::command()
        .ignore_errors(true)
        .try_get_matches_from(args)
        .ok()
        .and_then(|m| m.subcommand_name().map(|n| n == "health"))
        .unwrap_or(false)
}
