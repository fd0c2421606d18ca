//! `mesos config`: show and edit the config file and its profiles, and import
//! the older Python mesos-cli JSON config.
//!
//! These commands work on the file directly (not through `Context`), so they
//! keep working when the active profile is broken and needs fixing.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::GlobalArgs;
use crate::config::{
    canonical_key, config_path, parse_legacy, validate_profile_name, Config, LEGACY_CONFIG_NAME,
    PROFILE_KEY_HELP,
};
use crate::error::{Error, Result};
use crate::fsutil::expand_tilde;
use crate::leader::spec::redact_spec;
use crate::output::{
    status, warn, write_ndjson_line, write_stdout, Output, OutputFormat, TableRow,
};

/// Name of the profile `mesos config set` creates when there is none.
pub const FIRST_PROFILE: &str = "default";

/// The long help of `mesos config`, with the key list generated from the code.
fn config_long_about() -> String {
    let mut keys = String::new();
    for (k, what) in PROFILE_KEY_HELP {
        keys.push_str(&format!("  {k:<12} {what}\n"));
    }
    format!(
        "\
Show and edit settings and profiles

The config file is TOML holding named profiles ([profiles.NAME]) and the name
of the active one. It lives at $MESOS_CONFIG if set, else
~/.config/mesos/config.toml (`mesos config path` prints it). Every write
replaces the file atomically.

Settings are taken, in order of precedence, from command-line flags, then
environment variables (MESOS_MASTER, MESOS_TIMEOUT, MESOS_OUTPUT, ...), then
the profile (--profile / MESOS_PROFILE, else the active one), then defaults.
`get`, `set` and `unset` act on that profile.

Profile keys:
{keys}
Secrets are never stored in the file: put the secret in a file readable only
by you and set secret_file. `show` and `profiles` print ZooKeeper passwords in
master as ***; `mesos config get master` prints the stored value.

MESOS_CLI_CONFIG is deliberately not read: older tools used that variable for
different file formats. To bring settings over from the Python mesos-cli
(~/.mesos.json), use `mesos config import`."
    )
}

/// Show and edit settings and profiles
#[derive(Clone, Debug, Args)]
#[command(
    long_about = config_long_about(),
    after_help = "Examples:
  mesos config set master zk://zk1:2181,zk2:2181,zk3:2181/mesos
  mesos config get master
  mesos --profile prod config set principal ops
  mesos config use prod
  mesos config profiles --json
  mesos config import ~/.mesos.json --as old"
)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub command: ConfigCommand,
}

/// `mesos config` subcommands.
#[derive(Clone, Debug, Subcommand)]
pub enum ConfigCommand {
    Show(ShowArgs),
    Get(GetArgs),
    Set(SetArgs),
    Unset(UnsetArgs),
    Profiles(ProfilesArgs),
    Use(UseArgs),
    Delete(DeleteArgs),
    Path(PathArgs),
    Import(ImportArgs),
}

/// Print the whole config file
///
/// Prints the config as TOML (the table format), or as JSON with --json /
/// --output json. Profiles keep the file's shape. ZooKeeper passwords inside
/// master are shown as ***; secrets are never in the file (only secret_file).
/// A missing file prints nothing and says so on stderr.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos config show
  mesos config show --json | jq '.profiles | keys'")]
pub struct ShowArgs {}

/// Print one setting of the profile
///
/// Prints the value of KEY stored in the active profile, or in the profile
/// given with --profile. Flags and environment variables are not consulted:
/// this shows what the file says. An unset key exits 4; an unknown key exits 2
/// and lists the valid ones.
///
/// With --json prints {profile, key, value}.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos config get master
  mesos --profile prod config get timeout
  mesos config get ssh_port --json | jq .value")]
pub struct GetArgs {
    /// Setting to print (master, scheme, principal, secret_file, ca_file, insecure, timeout, output, ssh_user, ssh_key, ssh_port, marathon)
    #[arg(value_name = "KEY")]
    pub key: String,
}

/// Set one setting of the profile
///
/// Sets KEY in the active profile, or in the profile given with --profile
/// (created if it does not exist). With no profiles at all, creates the
/// profile `default` and makes it active. Values are checked before anything
/// is written: master as --master is, scheme http|https, insecure true|false,
/// timeout a duration (5s, 500ms), output table|json|ndjson, ssh_port 1-65535,
/// marathon an http(s) URL (host:port means http://host:port).
/// A bad value exits 2.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos config set master m1:5050,m2:5050,m3:5050
  mesos config set master zk://zk1:2181,zk2:2181/mesos
  mesos config set timeout 10s
  mesos --profile prod config set secret_file ~/.mesos/prod.secret")]
pub struct SetArgs {
    /// Setting to change
    #[arg(value_name = "KEY")]
    pub key: String,
    /// New value
    #[arg(value_name = "VALUE", allow_hyphen_values = true)]
    pub value: String,
}

/// Remove one setting from the profile
///
/// Removes KEY from the active profile, or from the profile given with
/// --profile, so the default applies again. Removing a key that is not set
/// succeeds and says so on stderr.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos config unset timeout
  mesos --profile prod config unset insecure")]
pub struct UnsetArgs {
    /// Setting to remove
    #[arg(value_name = "KEY")]
    pub key: String,
}

/// List the profiles
///
/// Lists every profile with its master; the active one is marked with `*`.
/// ZooKeeper passwords in master are shown as ***.
///
/// With --json prints [{name, active, master}] (master is null when unset).
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos config profiles
  mesos config profiles --json | jq -r '.[] | select(.active) | .name'")]
pub struct ProfilesArgs {}

/// Make a profile the active one
///
/// Makes NAME the profile used when --profile / MESOS_PROFILE is not given.
/// NAME must exist (exit 4 otherwise, listing the known profiles) unless
/// --create is given, which creates it empty.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos config use prod
  mesos config use staging --create && mesos config set master stg-master:5050")]
pub struct UseArgs {
    /// Profile to make active
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Create the profile (empty) if it does not exist
    #[arg(long)]
    pub create: bool,
}

/// Delete a profile
///
/// Removes profile NAME from the config file (exit 4 if it does not exist).
/// Deleting the active profile leaves no profile active.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos config delete old-cluster")]
pub struct DeleteArgs {
    /// Profile to delete
    #[arg(value_name = "NAME")]
    pub name: String,
}

/// Print the config file path
///
/// Prints the path of the config file: $MESOS_CONFIG if set, else
/// ~/.config/mesos/config.toml. The file need not exist yet.
///
/// With --json prints {path, exists}.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos config path
  $EDITOR \"$(mesos config path)\"")]
pub struct PathArgs {}

/// Import the older Python mesos-cli JSON config
///
/// Reads FILE (default ~/.mesos.json) written for the Python mesos-cli and
/// adds its settings as profiles. The old tool also looked in ./.mesos.json
/// and /etc/.mesos.json: pass such a file explicitly. MESOS_CLI_CONFIG is not
/// read.
///
/// A flat file of settings becomes one profile named by --as (default
/// `imported`). A file with profiles ({"profile": "prod", "prod": {...},
/// "dev": {...}}: every top-level object is a profile) imports each under its
/// own name, or as AS-NAME when --as is given. master and scheme carry over,
/// response_timeout (seconds) becomes timeout; log_level, log_file, debug and
/// max_workers have no equivalent and are ignored with a note. Existing
/// profiles are not overwritten unless --force is given. When no profile is
/// active yet, the imported (or the file's selected) profile becomes active.
/// What was imported is printed on stderr.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos config import
  mesos config import /etc/.mesos.json --as site
  mesos config import ~/.mesos.json --force")]
pub struct ImportArgs {
    /// The old JSON config file [default: ~/.mesos.json]
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Profile name for a flat file, or the prefix (AS-NAME) for a file with profiles
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
    /// Replace profiles that already exist
    #[arg(long)]
    pub force: bool,
}

pub fn cmd_config(global: &GlobalArgs, args: &ConfigArgs) -> Result<()> {
    match &args.command {
        ConfigCommand::Show(a) => cmd_show(global, a),
        ConfigCommand::Get(a) => cmd_get(global, a),
        ConfigCommand::Set(a) => cmd_set(global, a),
        ConfigCommand::Unset(a) => cmd_unset(global, a),
        ConfigCommand::Profiles(a) => cmd_profiles(global, a),
        ConfigCommand::Use(a) => cmd_use(global, a),
        ConfigCommand::Delete(a) => cmd_delete(global, a),
        ConfigCommand::Path(a) => cmd_path(global, a),
        ConfigCommand::Import(a) => cmd_import(global, a),
    }
}

/// Output format: flag / env, else the selected profile's `output`, else table.
/// A broken profile value falls back to table: these commands are how it gets fixed.
fn output_for(global: &GlobalArgs, cfg: &Config) -> Output {
    let format = if let Some(f) = global.format_flag() {
        f
    } else {
        cfg.select(global.profile.as_deref())
            .ok()
            .flatten()
            .and_then(|(_, p)| p.output.as_deref())
            .and_then(|o| o.parse().ok())
            .unwrap_or(OutputFormat::Table)
    };
    Output::new(format)
}

/// The error for "there is no profile to act on".
fn no_active_profile(cfg: &Config) -> Error {
    if cfg.profiles.is_empty() {
        return Error::not_found("no profiles configured")
            .with_hint("create one with `mesos config set master HOST:PORT`");
    }
    let msg = match &cfg.active {
        Some(a) => format!(
            "the active profile '{a}' does not exist (known: {})",
            cfg.known_profiles()
        ),
        None => format!("no profile is active (known: {})", cfg.known_profiles()),
    };
    Error::not_found(msg).with_hint("pick one with `mesos config use NAME`, or pass --profile NAME")
}

/// The existing profile `get`/`unset` act on: --profile, else the active one.
fn target_existing(cfg: &Config, global: &GlobalArgs) -> Result<String> {
    match global.profile.as_deref() {
        Some(n) => cfg.existing(n).map(|_| n.to_string()),
        None => cfg
            .active_profile()
            .map(str::to_string)
            .ok_or_else(|| no_active_profile(cfg)),
    }
}

/// `--profile NAME ` for hints, when one was given.
fn profile_flag(global: &GlobalArgs) -> String {
    global
        .profile
        .as_deref()
        .map(|p| format!("--profile {p} "))
        .unwrap_or_default()
}

fn cmd_show(global: &GlobalArgs, _args: &ShowArgs) -> Result<()> {
    let (cfg, path) = Config::load()?;
    let out = output_for(global, &cfg);
    if !path.exists() {
        status(format!("no config file at {} yet", path.display()));
    }
    let shown = cfg.redacted();
    match out.format {
        OutputFormat::Table => write_stdout(shown.to_toml()?.as_bytes()),
        OutputFormat::Json => out.json_value(&shown),
        OutputFormat::Ndjson => write_ndjson_line(&shown),
    }
}

#[derive(Serialize)]
struct GetRecord<'a> {
    profile: &'a str,
    key: &'a str,
    value: serde_json::Value,
}

fn cmd_get(global: &GlobalArgs, args: &GetArgs) -> Result<()> {
    let key = canonical_key(&args.key)?;
    let (cfg, _path) = Config::load()?;
    let name = target_existing(&cfg, global)?;
    let value = cfg.profiles[&name].get_json(key)?.ok_or_else(|| {
        Error::not_found(format!("{key} is not set in profile '{name}'")).with_hint(format!(
            "set it with `mesos {}config set {key} VALUE`",
            profile_flag(global)
        ))
    })?;
    let out = output_for(global, &cfg);
    match out.format {
        OutputFormat::Table => {
            let text = match &value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            write_stdout(format!("{text}\n").as_bytes())
        }
        OutputFormat::Json => out.json_value(&GetRecord {
            profile: &name,
            key,
            value,
        }),
        OutputFormat::Ndjson => write_ndjson_line(&GetRecord {
            profile: &name,
            key,
            value,
        }),
    }
}

fn cmd_set(global: &GlobalArgs, args: &SetArgs) -> Result<()> {
    let key = canonical_key(&args.key)?;
    let (mut cfg, path) = Config::load()?;
    let (name, created) = match global.profile.as_deref() {
        Some(n) if cfg.profiles.contains_key(n) => (n.to_string(), false),
        Some(n) => {
            validate_profile_name(n)?;
            (n.to_string(), true)
        }
        None => match cfg.active_profile() {
            Some(a) => (a.to_string(), false),
            None if cfg.profiles.is_empty() => (FIRST_PROFILE.to_string(), true),
            None => return Err(no_active_profile(&cfg)),
        },
    };
    // Validate before touching the file.
    let mut profile = cfg.profiles.get(&name).cloned().unwrap_or_default();
    profile.set(key, &args.value)?;
    let stored = profile.get(key)?.unwrap_or_default();
    cfg.profiles.insert(name.clone(), profile);
    let activated = cfg.active_profile().is_none();
    if activated {
        cfg.active = Some(name.clone());
    }
    cfg.save_to(&path)?;

    if created {
        status(format!(
            "created profile '{name}'{}",
            if activated { " (now active)" } else { "" }
        ));
    } else if activated {
        status(format!("profile '{name}' is now active"));
    }
    let shown = if key == "master" {
        redact_spec(&stored)
    } else {
        stored.clone()
    };
    status(format!("{name}: {key} = {shown}"));
    if matches!(key, "secret_file" | "ca_file" | "ssh_key") && !expand_tilde(&stored).exists() {
        warn(format!("{key} {stored} does not exist (yet)"));
    }
    Ok(())
}

fn cmd_unset(global: &GlobalArgs, args: &UnsetArgs) -> Result<()> {
    let key = canonical_key(&args.key)?;
    let (mut cfg, path) = Config::load()?;
    let name = target_existing(&cfg, global)?;
    let profile = cfg
        .profiles
        .get_mut(&name)
        .expect("target_existing checked it");
    if profile.unset(key)? {
        cfg.save_to(&path)?;
        status(format!("{name}: {key} unset"));
    } else {
        status(format!("{name}: {key} was not set"));
    }
    Ok(())
}

/// One line of `mesos config profiles`.
#[derive(Debug, Serialize)]
pub struct ProfileRow {
    pub name: String,
    pub active: bool,
    pub master: Option<String>,
}

impl TableRow for ProfileRow {
    fn headers() -> Vec<&'static str> {
        vec!["ACTIVE", "NAME", "MASTER"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            if self.active {
                "*".into()
            } else {
                String::new()
            },
            self.name.clone(),
            self.master.clone().unwrap_or_else(|| "-".into()),
        ]
    }
}

fn cmd_profiles(global: &GlobalArgs, _args: &ProfilesArgs) -> Result<()> {
    let (cfg, _path) = Config::load()?;
    let active = cfg.active_profile();
    let rows: Vec<ProfileRow> = cfg
        .profiles
        .iter()
        .map(|(name, p)| ProfileRow {
            name: name.clone(),
            active: Some(name.as_str()) == active,
            master: p.master.as_deref().map(redact_spec),
        })
        .collect();
    output_for(global, &cfg).rows(&rows)?;
    if rows.is_empty() {
        status("no profiles yet: `mesos config set master HOST:PORT` creates one");
    }
    Ok(())
}

fn cmd_use(_global: &GlobalArgs, args: &UseArgs) -> Result<()> {
    let UseArgs { name, create } = args;
    let (mut cfg, path) = Config::load()?;
    let mut created = false;
    if !cfg.profiles.contains_key(name) {
        if !*create {
            return Err(cfg
                .existing(name)
                .unwrap_err()
                .with_hint(format!("create it with `mesos config use {name} --create`")));
        }
        validate_profile_name(name)?;
        cfg.profiles.insert(name.clone(), Default::default());
        created = true;
    }
    if cfg.active.as_deref() == Some(name.as_str()) && !created {
        status(format!("profile '{name}' is already active"));
        return Ok(());
    }
    cfg.active = Some(name.clone());
    cfg.save_to(&path)?;
    if created {
        status(format!(
            "created profile '{name}' (empty); set its master with `mesos config set master HOST:PORT`"
        ));
    }
    status(format!("active profile: {name}"));
    Ok(())
}

fn cmd_delete(_global: &GlobalArgs, args: &DeleteArgs) -> Result<()> {
    let name = &args.name;
    let (mut cfg, path) = Config::load()?;
    cfg.existing(name)?;
    cfg.profiles.remove(name);
    let was_active = cfg.active.as_deref() == Some(name.as_str());
    if was_active {
        cfg.active = None;
    }
    cfg.save_to(&path)?;
    status(format!("deleted profile '{name}'"));
    if was_active {
        status("it was the active profile: none is active now (`mesos config use NAME`)");
    }
    Ok(())
}

#[derive(Serialize)]
struct PathRecord {
    path: PathBuf,
    exists: bool,
}

fn cmd_path(global: &GlobalArgs, _args: &PathArgs) -> Result<()> {
    // Do not parse the file: `path` must work when the file is broken.
    let path = config_path()?;
    let rec = PathRecord {
        exists: path.exists(),
        path,
    };
    let format = global.format_flag().unwrap_or(OutputFormat::Table);
    let out = Output::new(format);
    match format {
        OutputFormat::Table => write_stdout(format!("{}\n", rec.path.display()).as_bytes()),
        OutputFormat::Json => out.json_value(&rec),
        OutputFormat::Ndjson => write_ndjson_line(&rec),
    }
}

fn cmd_import(_global: &GlobalArgs, args: &ImportArgs) -> Result<()> {
    let ImportArgs {
        file,
        as_name,
        force,
    } = args;
    let file = match file {
        Some(f) => f.clone(),
        None => dirs::home_dir()
            .ok_or_else(|| {
                Error::failed("cannot find the home directory; pass the file to import")
            })?
            .join(LEGACY_CONFIG_NAME),
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::failed(format!("no such file: {}", file.display())).with_hint(
                "the older mesos-cli also read ./.mesos.json and /etc/.mesos.json: pass the file to import",
            ))
        }
        Err(e) => return Err(Error::failed(format!("cannot read {}: {e}", file.display()))),
    };
    let imported = parse_legacy(&text, &file, as_name.as_deref())?;
    let (mut cfg, path) = Config::load()?;

    let existing: Vec<&str> = imported
        .profiles
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| cfg.profiles.contains_key(*n))
        .collect();
    if !existing.is_empty() && !force {
        return Err(Error::failed(format!(
            "not importing {}: profile{} {} already exist{} in {}",
            file.display(),
            if existing.len() == 1 { "" } else { "s" },
            existing
                .iter()
                .map(|n| format!("'{n}'"))
                .collect::<Vec<_>>()
                .join(", "),
            if existing.len() == 1 { "s" } else { "" },
            path.display()
        ))
        .with_hint("pass --force to replace, or --as NAME to import under another name"));
    }
    let replaced: Vec<String> = existing.iter().map(|s| s.to_string()).collect();

    for (name, p) in &imported.profiles {
        cfg.profiles.insert(name.clone(), p.clone());
    }
    let activate = match (&imported.selected, cfg.active_profile()) {
        (Some(sel), None) => Some(sel.clone()),
        _ => None,
    };
    if let Some(a) = &activate {
        cfg.active = Some(a.clone());
    }
    cfg.save_to(&path)?;

    for note in &imported.notes {
        status(format!("note: {note}"));
    }
    for (name, p) in &imported.profiles {
        let settings: Vec<String> = p
            .redacted()
            .entries()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        status(format!(
            "imported profile '{name}'{}: {}",
            if replaced.contains(name) {
                " (replaced)"
            } else {
                ""
            },
            if settings.is_empty() {
                "no settings".to_string()
            } else {
                settings.join(", ")
            }
        ));
    }
    match (&activate, &imported.selected) {
        (Some(a), _) => status(format!("active profile: {a}")),
        (None, Some(sel)) if cfg.active.as_deref() != Some(sel.as_str()) => status(format!(
            "the active profile is still '{}'; switch with `mesos config use {sel}`",
            cfg.active.as_deref().unwrap_or("")
        )),
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_help_lists_every_key_and_mentions_mesos_cli_config() {
        let text = config_long_about();
        for k in crate::config::PROFILE_KEYS {
            assert!(text.contains(k), "{k} missing from the help");
        }
        assert!(text.contains("MESOS_CLI_CONFIG"));
    }

    #[test]
    fn key_help_matches_profile_keys() {
        let help: Vec<&str> = PROFILE_KEY_HELP.iter().map(|(k, _)| *k).collect();
        assert_eq!(help, crate::config::PROFILE_KEYS);
    }
}
