//! `mesos package ...`: Universe packages on Marathon (library code in
//! `crate::packages` and `crate::package_client`).

mod describe;
mod install;
mod list;
mod repo;
mod search;
mod uninstall;

use std::time::Duration;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::Result;
use crate::package_client::locate::{self, Choice};

/// Find, install and remove packages (DC/OS Universe format) on Marathon
///
/// Works on plain Mesos + Marathon (ours or real: this command reads the
/// repositories, renders the package and posts the app to Marathon itself)
/// and on DC/OS (through the cluster's package service, Cosmos, when `GET
/// /capabilities` lists PACKAGE_MANAGEMENT). --cosmos URL (or the profile's
/// `cosmos`) forces the Cosmos API, e.g. the one `mesos marathon` serves.
///
/// Repositories are Universe repository JSON over http(s) or file://, or a
/// local directory in the Universe source layout, in priority order; the
/// profile keeps the list (default: the built-in repository, `builtin`).
/// Fetched repositories are cached and revalidated (ETag/Last-Modified);
/// --refresh forces a revalidation. --repo NAME|URI uses one repository
/// without storing it.
///
/// Exit codes: 4 when a package, version, installation or repository does
/// not exist or an app id is ambiguous; 1 when options fail the package's
/// schema, rendering fails, or Marathon/Cosmos refuse; 124 when --timeout
/// runs out while following an install.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos package search
  mesos package describe hello --config
  mesos package install hello --yes
  mesos package install kv --options kv.json --app-id /team/kv --yes
  mesos package list --json
  mesos package uninstall hello --yes
  mesos package repo add my-universe https://universe.example.com/repo --index 0
  mesos package --repo ./my-packages describe my-app --render")]
pub struct PackageArgs {
    #[command(flatten)]
    pub choice: ChoiceFlags,

    #[command(subcommand)]
    pub command: PackageCommand,
}

/// Flags that choose where packages come from and go to.
#[derive(Clone, Debug, Default, Args)]
pub struct ChoiceFlags {
    /// Cosmos package API base URL (DC/OS cluster URL, or `mesos marathon`'s) [default: the profile's `cosmos`, else DC/OS /capabilities, else local]
    #[arg(long, global = true, env = "MESOS_COSMOS", value_name = "URL")]
    pub cosmos: Option<String>,
    /// Marathon base URL for the local package manager [default: as for `mesos app`]
    #[arg(long, global = true, env = "MESOS_MARATHON", value_name = "URL")]
    pub marathon: Option<String>,
    /// Use only this repository (a configured name, a URI, a directory, or `builtin`)
    #[arg(long, global = true, value_name = "NAME|URI")]
    pub repo: Option<String>,
    /// Revalidate cached repositories before use
    #[arg(long, global = true)]
    pub refresh: bool,
}

#[derive(Clone, Debug, Subcommand)]
pub enum PackageCommand {
    /// Search packages by name, tag or description: NAME, VERSION, SELECTED, FRAMEWORK, DESCRIPTION
    Search {
        /// Text to look for (`*` is a wildcard over a whole name or tag); all packages without
        query: Option<String>,
    },
    /// Show a package (with --json: the package as in the repository)
    Describe {
        /// Package name
        package: String,
        /// A version (as listed by --package-versions) [default: the latest]
        #[arg(long, value_name = "V")]
        package_version: Option<String>,
        /// Print the package's config schema (JSON Schema)
        #[arg(long, conflicts_with_all = ["render", "package_versions"])]
        config: bool,
        /// Print the Marathon app the package renders to (with --options)
        #[arg(long, conflicts_with = "package_versions")]
        render: bool,
        /// Options file for --render (JSON object), - for stdin
        #[arg(long, value_name = "FILE", requires = "render")]
        options: Option<String>,
        /// App id for --render [default: the package's]
        #[arg(long, value_name = "ID", requires = "render")]
        app_id: Option<String>,
        /// List the package's versions, newest first
        #[arg(long)]
        package_versions: bool,
    },
    /// Install a package as a Marathon app and wait until it is healthy
    Install {
        /// Package name
        package: String,
        /// A version [default: the latest]
        #[arg(long, value_name = "V")]
        package_version: Option<String>,
        /// Options (JSON object, merged over the schema's defaults), - for stdin
        #[arg(long, value_name = "FILE")]
        options: Option<String>,
        /// App id [default: the package's]
        #[arg(long, value_name = "ID")]
        app_id: Option<String>,
        /// Answer yes: install without asking (needed when not on a terminal)
        #[arg(long, short = 'y')]
        yes: bool,
        /// Return once Marathon accepted the app, without waiting for it to be healthy
        #[arg(long)]
        no_wait: bool,
    },
    /// List installed packages (Marathon apps with package labels): NAME, VERSION, APP, STATUS
    List {
        /// Only this package
        package: Option<String>,
        /// Only this app id
        #[arg(long, value_name = "ID")]
        app_id: Option<String>,
    },
    /// Remove an installed package's app (and tear down the framework it registered)
    Uninstall {
        /// Package name
        package: String,
        /// The app to remove when several are installed
        #[arg(long, value_name = "ID", conflicts_with = "all")]
        app_id: Option<String>,
        /// Remove every app of the package
        #[arg(long)]
        all: bool,
        /// Answer yes: uninstall without asking (needed when not on a terminal)
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Manage the package repositories (stored in the profile)
    Repo {
        #[command(subcommand)]
        command: RepoCommand,
    },
}

#[derive(Clone, Debug, Subcommand)]
pub enum RepoCommand {
    /// Add a repository (http(s)/file:// URI of a Universe repository JSON, or a source directory)
    Add {
        /// Name to refer to it by
        name: String,
        /// URI or directory
        uri: String,
        /// Position in the priority order (0 = first) [default: last]
        #[arg(long, value_name = "N")]
        index: Option<u32>,
    },
    /// List the repositories in priority order: NAME, URI
    List,
    /// Remove a repository by name
    #[command(visible_alias = "rm")]
    Remove {
        /// Repository name
        name: String,
    },
}

pub async fn cmd_package(ctx: &Context, wait: Option<Duration>, args: &PackageArgs) -> Result<()> {
    let choice = Choice {
        cosmos: args.choice.cosmos.clone(),
        marathon: args.choice.marathon.clone(),
        repo: args.choice.repo.clone(),
        refresh: args.choice.refresh,
    };
    let manager = locate::manager(ctx, &choice).await?;
    match &args.command {
        PackageCommand::Search { query } => search::run(ctx, &manager, query.as_deref()).await,
        PackageCommand::Describe {
            package,
            package_version,
            config,
            render,
            options,
            app_id,
            package_versions,
        } => {
            let what = if *config {
                describe::What::Config
            } else if *render {
                describe::What::Render {
                    options: options.clone(),
                    app_id: app_id.clone(),
                }
            } else if *package_versions {
                describe::What::Versions
            } else {
                describe::What::Package
            };
            describe::run(ctx, &manager, package, package_version.as_deref(), what).await
        }
        PackageCommand::Install {
            package,
            package_version,
            options,
            app_id,
            yes,
            no_wait,
        } => {
            let req = install::Install {
                package: package.clone(),
                package_version: package_version.clone(),
                options: options.clone(),
                app_id: app_id.clone(),
                yes: *yes,
                no_wait: *no_wait,
                wait,
                marathon: args.choice.marathon.clone(),
            };
            install::run(ctx, &manager, &req).await
        }
        PackageCommand::List { package, app_id } => {
            list::run(
                ctx,
                &manager,
                args.choice.marathon.as_deref(),
                package.as_deref(),
                app_id.as_deref(),
            )
            .await
        }
        PackageCommand::Uninstall {
            package,
            app_id,
            all,
            yes,
        } => uninstall::run(ctx, &manager, package, app_id.as_deref(), *all, *yes).await,
        PackageCommand::Repo { command } => repo::run(ctx, &manager, command).await,
    }
}
