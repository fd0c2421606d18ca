//! One module per subcommand; this file holds only the list and the dispatch.

pub mod completions;
pub mod config;
pub mod generate_docs;
pub mod resolve;
pub mod state;
// Task and node inspection.
pub mod agents;
pub mod cat;
pub mod download;
pub mod events;
pub mod files_common;
pub mod find;
pub mod frameworks;
pub mod ls;
pub mod metrics;
pub mod node;
pub mod ps;
pub mod tail;
pub mod task;
pub mod top;
// Reaching nodes over SSH.
pub mod scp;
pub mod ssh;
// One-off tasks.
pub mod execute;
pub mod kill;
// Commands in running tasks' containers.
pub mod attach;
pub mod exec;
pub mod teardown;
// The bundled dev cluster.
pub mod cluster;
// Marathon apps and deployments.
pub mod app;
pub mod deployment;
pub mod package;
// The services of the built-in packages.
pub mod serve;
// Cluster health (Nagios plugin).
pub mod health;

use clap::Subcommand;

use crate::cli::GlobalArgs;
use crate::context::Context;
use crate::error::Result;

/// Declares [`Command`] and [`LazyCommand`] from one variant list.
macro_rules! subcommand_list {
    ($($variants:tt)*) => {
        /// Every `mesos` subcommand.
        #[derive(Debug, Subcommand)]
        pub enum Command {
            $($variants)*
        }

        /// The same list, with each subcommand's arguments built only when that
        /// subcommand is used (clap's `defer`). Only for rendering the top-level
        /// `mesos --help`, which shows no subcommand's arguments: building the
        /// whole tree for it was most of its start-up time (bench/startup.sh).
        /// Not for parsing subcommands: deferred subcommands list the global
        /// options before their own headings and lose the `help` completions.
        #[derive(Debug, Subcommand)]
        #[command(defer = true)]
        #[allow(dead_code)]
        pub enum LazyCommand {
            $($variants)*
        }
    };
}

// Each variant states its one-line summary (`about`) although the summary is
// also the first line of its argument struct's doc: `LazyCommand` lists the
// subcommands without building those structs. The test
// `cli::tests::subcommand_summaries_match_their_argument_docs` keeps the two equal.
subcommand_list! {
    #[command(about = "Print the leading master as host:port")]
    Resolve(resolve::ResolveArgs),
    #[command(about = "Print the state of the leading master or of one agent as JSON")]
    State(state::StateArgs),
    #[command(about = "Show and edit settings and profiles")]
    Config(config::ConfigArgs),
    #[command(about = "Print a shell completion script")]
    Completions(completions::CompletionsArgs),
    #[command(about = "List tasks with their resources and live CPU and memory usage")]
    Ps(ps::PsArgs),
    #[command(about = "List frameworks with their resources and task counts")]
    Frameworks(frameworks::FrameworksArgs),
    #[command(about = "List agents with their resources, attributes and task counts")]
    Agents(agents::AgentsArgs),
    #[command(about = "A live, full-screen view of the cluster: agents, busiest tasks, task counts")]
    Top(top::TopArgs),
    #[command(about = "Work with cluster nodes (agents)")]
    Node(node::NodeArgs),
    #[command(about = "Work with tasks (metrics)")]
    Task(task::TaskArgs),
    #[command(about = "Print the raw metrics snapshot of the leading master or of one agent")]
    Metrics(metrics::MetricsArgs),
    #[command(about = "Print sandbox files of tasks, byte for byte")]
    Cat(cat::CatArgs),
    #[command(about = "Print the first lines of sandbox files of tasks")]
    Head(cat::HeadArgs),
    #[command(about = "Print the end of sandbox files of tasks, or follow them")]
    Tail(tail::TailArgs),
    #[command(about = "List files in a task's sandbox")]
    Ls(ls::LsArgs),
    #[command(about = "List a task's sandbox recursively")]
    Find(find::FindArgs),
    #[command(about = "Copy files or whole directories out of a task's sandbox")]
    Download(download::DownloadArgs),
    #[command(about = "Open a shell in a task's sandbox on its agent (over ssh)")]
    Ssh(ssh::SshArgs),
    #[command(about = "Copy local files to a directory on every agent, in parallel")]
    Scp(scp::ScpArgs),
    #[command(about = "Follow cluster events: tasks, frameworks and agents as they change")]
    Events(events::EventsArgs),
    #[command(about = "Run a one-off task on the cluster and exit with its outcome")]
    Execute(execute::ExecuteArgs),
    #[command(about = "Run a command inside a running task's container")]
    Exec(exec::ExecArgs),
    #[command(about = "Attach to the terminal of a task launched with a TTY")]
    Attach(attach::AttachArgs),
    #[command(about = "Kill tasks started by `mesos execute --detach`")]
    Kill(kill::KillArgs),
    #[command(about = "Tear down frameworks, killing all their tasks (operators)")]
    Teardown(teardown::TeardownArgs),
    #[command(
        about = "Check the health of a running cluster, one line per check (Nagios plugin)",
        visible_alias = "doctor"
    )]
    Health(health::HealthArgs),
    #[command(about = "Start, check and stop a real Mesos cluster (locally or over SSH)")]
    Cluster(cluster::ClusterArgs),
    #[command(about = "Run and change long-running services on Marathon")]
    App(app::AppArgs),
    #[command(about = "List and roll back Marathon deployments")]
    Deployment(deployment::DeploymentArgs),
    #[command(about = "Find, install and remove packages (DC/OS Universe format) on Marathon")]
    Package(package::PackageArgs),
    #[command(about = "Run a small built-in service (the programs of the built-in packages)")]
    Serve(serve::ServeArgs),
    /// Run the bundled Mesos master daemon (real Mesos flags and HTTP APIs)
    #[command(
        long_about = "Run the bundled Mesos master daemon.\n\nIt speaks the Mesos 1.x HTTP APIs (v0 endpoints, v1 operator and scheduler APIs), elects a leader through ZooKeeper with --zk, and takes the real mesos-master flags (--name=value, also MESOS_<NAME>). Run `mesos master --help` for the flag list."
    )]
    Master(DaemonArgs),
    /// Run the bundled Mesos agent daemon (runs real tasks in real sandboxes)
    #[command(
        long_about = "Run the bundled Mesos agent daemon.\n\nIt registers with the master given by --master (host:port or zk://), runs command tasks in sandboxes under --work_dir like the Mesos command executor, and serves the agent HTTP APIs (state, files, monitor, v1). Takes the real mesos-agent flags (--name=value, also MESOS_<NAME>). Run `mesos agent --help` for the flag list."
    )]
    Agent(DaemonArgs),
    /// Run the bundled Marathon-compatible service scheduler (Marathon 1.5 REST API)
    #[command(
        long_about = "Run the bundled Marathon-compatible service scheduler.\n\nA framework over the v1 scheduler API (against the bundled master or a real Mesos 1.x master, found through --master host:port, a list or zk://) that keeps apps running, health-checks them and rolls out new versions as deployments, and serves the Marathon 1.5 REST API (/v2/apps, /v2/deployments, /v2/groups, /v2/events, ...) on --http_port. State lives in --work_dir, or in ZooKeeper with --zk (with leader election among several instances). Takes Marathon's own flags (--name value or --name=value, also MARATHON_<NAME>). Run `mesos marathon --help` for the flag list; see docs/marathon.md."
    )]
    Marathon(DaemonArgs),
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
        Command::Cluster(args) => cluster::cmd_cluster(global, args),
        Command::Serve(args) => serve::cmd_serve(args),
        // Marathon commands: `--timeout` also bounds the deployment wait.
        Command::App(args) => block_on(app::cmd_app(&Context::new(global)?, global.timeout, args)),
        Command::Deployment(args) => block_on(deployment::cmd_deployment(
            &Context::new(global)?,
            global.timeout,
            args,
        )),
        Command::Package(args) => block_on(package::cmd_package(
            &Context::new(global)?,
            global.timeout,
            args,
        )),
        // Normally dispatched before clap parses (see `crate::run`).
        Command::Master(a) => daemon_exit(crate::master::main(a.flags.clone())),
        Command::Agent(a) => daemon_exit(crate::agent::main(a.flags.clone())),
        Command::Marathon(a) => daemon_exit(crate::marathon::main(a.flags.clone())),
        // Commands on a cluster: one context (flags > env > profile), built
        // here once and passed in.
        cluster_command => on_cluster(&Context::new(global)?, cluster_command),
    }
}

fn on_cluster(ctx: &Context, command: &Command) -> Result<()> {
    match command {
        Command::Resolve(args) => block_on(resolve::cmd_resolve(ctx, args)),
        Command::State(args) => block_on(state::cmd_state(ctx, args)),
        Command::Ps(args) => block_on(ps::cmd_ps(ctx, args)),
        Command::Frameworks(args) => block_on(frameworks::cmd_frameworks(ctx, args)),
        Command::Agents(args) => block_on(agents::cmd_agents(ctx, args)),
        Command::Node(args) => block_on(node::cmd_node(ctx, args)),
        Command::Task(args) => block_on(task::cmd_task(ctx, args)),
        Command::Metrics(args) => block_on(metrics::cmd_metrics(ctx, args)),
        Command::Top(args) => block_on(top::cmd_top(ctx, args)),
        Command::Cat(args) => block_on(cat::cmd_cat(ctx, args)),
        Command::Head(args) => block_on(cat::cmd_head(ctx, args)),
        Command::Tail(args) => block_on(tail::cmd_tail(ctx, args)),
        Command::Ls(args) => block_on(ls::cmd_ls(ctx, args)),
        Command::Find(args) => block_on(find::cmd_find(ctx, args)),
        Command::Download(args) => block_on(download::cmd_download(ctx, args)),
        Command::Ssh(args) => block_on(ssh::cmd_ssh(ctx, args)),
        Command::Scp(args) => block_on(scp::cmd_scp(ctx, args)),
        Command::Events(args) => block_on(events::cmd_events(ctx, args)),
        Command::Execute(args) => execute::run(ctx, args),
        Command::Exec(args) => exec::run(ctx, args),
        Command::Attach(args) => attach::run(ctx, args),
        Command::Kill(args) => block_on(kill::cmd_kill(ctx, args)),
        Command::Teardown(args) => block_on(teardown::cmd_teardown(ctx, args)),
        Command::Health(args) => block_on(health::cmd_health(ctx, args)),
        Command::Completions(_)
        | Command::GenerateDocs(_)
        | Command::Config(_)
        | Command::Cluster(_)
        | Command::App(_)
        | Command::Deployment(_)
        | Command::Package(_)
        | Command::Serve(_)
        | Command::Master(_)
        | Command::Agent(_)
        | Command::Marathon(_) => unreachable!("dispatched by `run`"),
    }
}

/// Flags of a bundled daemon, in real Mesos syntax.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  mesos master --ip=127.0.0.1 --port=5050 --work_dir=/tmp/mesos-master
  mesos master --zk=zk://127.0.0.1:2181/mesos --quorum=1 --work_dir=/var/lib/mesos
  mesos agent --master=127.0.0.1:5050 --work_dir=/tmp/mesos-agent --resources='cpus:2;mem:1024'
  mesos marathon --master 127.0.0.1:5050 --http_port 8080 --work_dir /tmp/marathon")]
pub struct DaemonArgs {
    /// Daemon flags (--name=value)
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "FLAGS"
    )]
    pub flags: Vec<String>,
}

fn daemon_exit(code: u8) -> Result<()> {
    if code == 0 {
        Ok(())
    } else {
        std::process::exit(code as i32)
    }
}

/// [`block_on`] for commands that exit with a code of their own.
pub fn block_on_code<F: std::future::Future<Output = Result<u8>>>(f: F) -> Result<u8> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::error::Error::failed(format!("cannot start the async runtime: {e}")))?;
    let code = rt.block_on(f);
    // Dropped before exiting: its tasks end, nothing waits on stdin.
    drop(rt);
    code
}

/// Exit with a command's own exit code (0 returns normally).
pub fn exit_with(code: Result<u8>) -> Result<()> {
    match code? {
        0 => Ok(()),
        c => std::process::exit(c as i32),
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
