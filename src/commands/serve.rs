//! `mesos serve <kind>`: the small services of the built-in package
//! repository (the servers are in `crate::serve`).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use crate::error::{Error, Result};
use crate::serve::{self, Listen};

/// Run a small built-in service (the programs of the built-in packages)
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  mesos serve hello --port 8000 --message 'Hi!'
  mesos serve static --port 8001 --dir ./public
  mesos serve kv --port 8002 --data /var/tmp/kv.json
  mesos serve cron --port 8003 --every 30s --command 'date >> ticks.txt'
  mesos serve cron --port 8003 --schedule '*/5 * * * *' --command ./backup.sh

As Marathon tasks, --port defaults to $PORT0. All stop cleanly on SIGTERM and answer GET /health.")]
pub struct ServeArgs {
    #[command(subcommand)]
    pub kind: Kind,
}

/// The service kinds.
#[derive(Debug, Subcommand)]
pub enum Kind {
    /// HTTP hello service: GET / greets, /echo echoes the request as JSON
    Hello(HelloArgs),
    /// Serve a directory over HTTP (files, listings; never outside it)
    Static(StaticArgs),
    /// Key-value store over HTTP (PUT/GET/DELETE /v1/kv/KEY), persisted to a file
    Kv(KvArgs),
    /// Run a shell command on a schedule; GET /runs shows the last runs
    Cron(CronArgs),
}

/// Where to listen (every kind).
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Port to listen on (default: $PORT0, as Marathon sets it)
    #[arg(long, env = "PORT0", hide_env_values = true, value_name = "PORT")]
    pub port: u16,
    /// Address to listen on
    #[arg(long, default_value = "0.0.0.0", value_name = "HOST")]
    pub host: String,
}

#[derive(Debug, Args)]
pub struct HelloArgs {
    #[command(flatten)]
    pub listen: ListenArgs,
    /// The greeting GET / answers
    #[arg(long, default_value = serve::hello::DEFAULT_MESSAGE, value_name = "TEXT")]
    pub message: String,
}

#[derive(Debug, Args)]
pub struct StaticArgs {
    #[command(flatten)]
    pub listen: ListenArgs,
    /// Directory to serve (created if missing; default: the current directory, a task's sandbox)
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// Write an index.html with this text (default: only into an empty directory)
    #[arg(long, value_name = "TEXT")]
    pub index_text: Option<String>,
}

#[derive(Debug, Args)]
pub struct KvArgs {
    #[command(flatten)]
    pub listen: ListenArgs,
    /// File the store is kept in (JSON; relative to the current directory)
    #[arg(long, default_value = serve::kv::DEFAULT_DATA, value_name = "FILE")]
    pub data: PathBuf,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("when").required(true).multiple(true).args(["every", "schedule"]))]
pub struct CronArgs {
    #[command(flatten)]
    pub listen: ListenArgs,
    /// Shell command to run (with sh -c)
    #[arg(long, short = 'c', value_name = "CMD")]
    pub command: String,
    /// Run every DURATION (e.g. 30s, 5m), the first run one interval after start
    #[arg(long, value_parser = crate::duration::parse_duration, value_name = "DURATION")]
    pub every: Option<Duration>,
    /// Run at the minutes of a 5-field cron expression (UTC), e.g. "*/5 * * * *"
    #[arg(long, value_name = "CRON")]
    pub schedule: Option<String>,
    /// How many runs GET /runs keeps
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub keep: usize,
}

fn listen(a: &ListenArgs) -> Listen {
    Listen {
        host: a.host.clone(),
        port: a.port,
    }
}

/// Run the chosen service until SIGTERM.
pub fn cmd_serve(args: &ServeArgs) -> Result<()> {
    let never = std::future::pending::<()>();
    match &args.kind {
        Kind::Hello(a) => run("hello", &a.listen, async {
            Ok((serve::hello::router(&a.message), never))
        }),
        Kind::Static(a) => {
            serve::static_dir::prepare(&a.dir, a.index_text.as_deref()).map_err(Error::failed)?;
            let dir = a
                .dir
                .canonicalize()
                .map_err(|e| Error::failed(format!("cannot serve {}: {e}", a.dir.display())))?;
            crate::info!("Serving {}", dir.display());
            run("static", &a.listen, async {
                Ok((serve::static_dir::router(dir), never))
            })
        }
        Kind::Kv(a) => run("kv", &a.listen, async {
            Ok((serve::kv::router(a.data.clone())?, never))
        }),
        Kind::Cron(a) => {
            let schedule = match &a.schedule {
                Some(text) => Some((
                    text.clone(),
                    serve::schedule::CronExpr::parse(text).map_err(Error::usage)?,
                )),
                None => None,
            };
            if a.every.is_some_and(|d| d.is_zero()) {
                return Err(Error::usage("--every must be longer than 0s"));
            }
            let opts = serve::cron::CronOptions {
                command: a.command.clone(),
                every: a.every,
                schedule,
                keep: a.keep,
            };
            run("cron", &a.listen, async move {
                let (router, scheduler) = serve::cron::start(opts);
                Ok((router, scheduler))
            })
        }
    }
}

/// Build the service on a runtime and serve it.
fn run<F, S>(what: &str, l: &ListenArgs, build: F) -> Result<()>
where
    F: std::future::Future<Output = std::result::Result<(axum::Router, S), String>>,
    S: std::future::Future<Output = ()>,
{
    let listen = listen(l);
    crate::commands::block_on(async move {
        let (router, background) = build.await.map_err(Error::failed)?;
        let stopped = async {
            background.await;
        };
        // The background work (the cron scheduler) runs beside the server.
        let bg = std::pin::pin!(stopped);
        serve::run(what, &listen, router, bg)
            .await
            .map_err(Error::failed)
    })
}
