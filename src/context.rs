//! Turns global flags, environment and the config profile into the settings
//! a command runs with (flag > env > profile > default). Commands never read
//! the environment or the config file themselves.

use std::path::PathBuf;
use std::time::Duration;

use crate::cli::GlobalArgs;
use crate::config::{Config, Profile};
use crate::error::{Error, Result};
use crate::fsutil::expand_tilde;
use crate::http::{Auth, HttpClient, HttpOptions};
use crate::leader::{self, Leader, ResolveOptions};
use crate::output::{Output, OutputFormat};

/// Used when no master is given anywhere (like the older CLIs).
pub const DEFAULT_MASTER: &str = "127.0.0.1:5050";
/// Default `--timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Resolved settings for one invocation.
#[derive(Clone, Debug)]
pub struct Context {
    /// The master spec and where it came from (`--master`, `profile prod`, `default`).
    pub master: Option<String>,
    pub master_source: &'static str,
    pub profile_name: Option<String>,
    pub profile: Profile,
    pub output: Output,
    /// The format was asked for by a flag or MESOS_OUTPUT (not a profile default).
    pub output_asked: bool,
    pub timeout: Duration,
    pub scheme: String,
    pub http_options: HttpOptions,
    pub verbose: u8,
}

impl Context {
    /// Build from global flags, loading the config file.
    pub fn new(g: &GlobalArgs) -> Result<Context> {
        let (config, _path) = Config::load()?;
        Self::with_config(g, &config)
    }

    /// Build from global flags and an already loaded config.
    pub fn with_config(g: &GlobalArgs, config: &Config) -> Result<Context> {
        let selected = config.select(g.profile.as_deref())?;
        let profile_name = selected.map(|(n, _)| n.to_string());
        let profile = selected.map(|(_, p)| p.clone()).unwrap_or_default();
        let pname = profile_name.as_deref().unwrap_or("?");

        let (master, master_source) = match (&g.master, &profile.master) {
            (Some(m), _) => (Some(m.clone()), "--master / MESOS_MASTER"),
            (None, Some(m)) => (Some(m.clone()), "profile"),
            (None, None) => (None, "default"),
        };

        let format = if let Some(f) = g.format_flag() {
            f
        } else if let Some(f) = &profile.output {
            f.parse()
                .map_err(|e: String| Error::usage(format!("profile '{pname}': output: {e}")))?
        } else {
            OutputFormat::Table
        };

        let timeout = match (g.timeout, &profile.timeout) {
            (Some(t), _) => t,
            (None, Some(t)) => crate::duration::parse_duration(t)
                .map_err(|e| Error::usage(format!("profile '{pname}': timeout: {e}")))?,
            (None, None) => DEFAULT_TIMEOUT,
        };
        if timeout.is_zero() {
            return Err(Error::usage("--timeout must be greater than zero"));
        }

        let ca_file = g
            .ca_file
            .clone()
            .or_else(|| profile.ca_file.as_deref().map(expand_tilde));
        // Masters given without a scheme and leaders found in ZooKeeper
        // (which does not record whether a master speaks TLS): the profile's
        // `scheme`, else https when a CA file is configured, else http.
        let scheme = profile.scheme.clone().unwrap_or_else(|| {
            if ca_file.is_some() {
                "https".into()
            } else {
                "http".into()
            }
        });
        if scheme != "http" && scheme != "https" {
            return Err(Error::usage(format!(
                "profile '{pname}': scheme must be http or https, not '{scheme}'"
            )));
        }

        let auth = resolve_auth(g, &profile)?;
        let insecure = g.insecure || profile.insecure.unwrap_or(false);

        Ok(Context {
            master,
            master_source,
            profile_name,
            profile,
            output: Output::new(format),
            output_asked: g.format_flag().is_some(),
            timeout,
            scheme,
            http_options: HttpOptions {
                timeout,
                auth,
                ca_file,
                insecure,
                client_tls: None,
            },
            verbose: g.verbose,
        })
    }

    /// For commands whose output is the raw bytes of files (`cat`, `head`,
    /// `tail`): say on stderr that a JSON format asked for by a flag or
    /// MESOS_OUTPUT does not apply. A profile's default format is for the
    /// commands that have structured output and is not mentioned.
    pub fn raw_output_only(&self, command: &str) {
        if self.output_asked && self.output.format != OutputFormat::Table {
            crate::output::warn(format!(
                "`mesos {command}` prints the files' bytes as they are; it has no {} output (`mesos ls --json` lists files as JSON)",
                match self.output.format {
                    OutputFormat::Ndjson => "ndjson",
                    _ => "json",
                }
            ));
        }
    }

    /// The same settings with another master (an argument naming the master).
    pub fn with_master(&self, master: &str) -> Context {
        Context {
            master: Some(master.to_string()),
            master_source: "argument",
            ..self.clone()
        }
    }

    /// An HTTP client with these settings.
    pub fn http(&self) -> Result<HttpClient> {
        HttpClient::new(&self.http_options)
    }

    /// The master spec to resolve (the default when none is configured).
    pub fn master_spec(&self) -> &str {
        self.master.as_deref().unwrap_or(DEFAULT_MASTER)
    }

    /// Resolve the leading master.
    pub async fn leader(&self, http: &HttpClient) -> Result<Leader> {
        let opts = ResolveOptions {
            timeout: self.timeout,
            scheme: self.scheme.clone(),
        };
        let spec = self.master_spec();
        if self.verbose > 0 {
            crate::output::status(format!(
                "resolving leader from {} ({})",
                leader::spec::redact_spec(spec),
                self.master_source
            ));
        }
        let r = leader::resolve(spec, http, &opts).await;
        match r {
            Err(e) if self.master.is_none() => Err(e.with_hint(format!(
                "no master configured, so the default {DEFAULT_MASTER} was tried: pass --master, set MESOS_MASTER, or `mesos config set master HOST:PORT`"
            ))),
            Err(e) if self.master_source == "profile" => {
                let p = self.profile_name.as_deref().unwrap_or("?");
                let hint = if crate::cluster::local::is_stopped(p) {
                    format!(
                        "the master came from profile '{p}', whose cluster '{p}' (started by `mesos cluster up`) is down: `mesos cluster up --name {p}` starts it again, or `mesos config use NAME` picks another profile"
                    )
                } else {
                    format!(
                        "the master came from profile '{p}': is it running? (`mesos config show` lists the profiles, --master overrides)"
                    )
                };
                Err(e.with_hint(hint))
            }
            other => other,
        }
    }
}

fn resolve_auth(g: &GlobalArgs, p: &Profile) -> Result<Auth> {
    if let Some(t) = g.token.as_ref().filter(|t| !t.is_empty()) {
        return Ok(Auth::Token(t.clone()));
    }
    let principal = g.principal.clone().or_else(|| p.principal.clone());
    let secret = match (&g.secret, &g.secret_file) {
        (Some(s), _) => Some(s.clone()),
        (None, Some(f)) => Some(read_secret_file(f, "--secret-file")?),
        (None, None) => match &p.secret_file {
            Some(f) => Some(read_secret_file(&expand_tilde(f), "profile secret_file")?),
            None => None,
        },
    };
    match (principal, secret) {
        (Some(principal), Some(secret)) => Ok(Auth::Basic { principal, secret }),
        (Some(principal), None) => Err(Error::usage(format!(
            "--principal '{principal}' needs a secret: pass --secret-file FILE (or --secret, MESOS_SECRET)"
        ))),
        (None, Some(_)) => Err(Error::usage(
            "a secret was given without --principal (or MESOS_PRINCIPAL / profile principal)",
        )),
        (None, None) => Ok(Auth::None),
    }
}

fn read_secret_file(path: &PathBuf, what: &str) -> Result<String> {
    let s = std::fs::read_to_string(path)
        .map_err(|e| Error::usage(format!("cannot read {what} {}: {e}", path.display())))?;
    let s = s.trim_end_matches(['\n', '\r']).to_string();
    if s.is_empty() {
        return Err(Error::usage(format!("{what} {} is empty", path.display())));
    }
    Ok(s)
}
