//! Mesos-style daemon flags: `--name=value`, `--name value`, `--name` /
//! `--no-name` for booleans, each also read from `MESOS_<NAME>` (upper case).
//! Precedence: command line > environment > default. Unknown flags and bad
//! values are refused with a one-line error.

use std::collections::BTreeMap;
use std::time::Duration;

/// What a flag holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Bool,
    String,
    Int,
    Duration,
    Bytes,
}

/// One accepted flag.
#[derive(Clone, Debug)]
pub struct Spec {
    pub name: &'static str,
    pub kind: Kind,
    pub default: Option<&'static str>,
    pub help: &'static str,
}

impl Spec {
    pub const fn new(
        name: &'static str,
        kind: Kind,
        default: Option<&'static str>,
        help: &'static str,
    ) -> Self {
        Spec {
            name,
            kind,
            default,
            help,
        }
    }
}

/// Parsed flags, every value kept as the string Mesos would report in `/flags`.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    values: BTreeMap<String, String>,
}

/// Exit code of a daemon given a bad flag value (unparsable, out of range,
/// unreadable, unresolvable, not UTF-8).
pub const EXIT_BAD_VALUE: u8 = 1;
/// Exit code of a usage error (unknown flag, missing value or required flag).
pub const EXIT_USAGE: u8 = 2;

/// A flag the daemon cannot start with: one line naming the flag (or the
/// environment variable) and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagError {
    pub message: String,
    /// A usage error (exit 2) rather than a bad value (exit 1).
    pub usage: bool,
}

impl FlagError {
    pub fn usage(message: impl Into<String>) -> Self {
        FlagError {
            message: message.into(),
            usage: true,
        }
    }
    pub fn value(message: impl Into<String>) -> Self {
        FlagError {
            message: message.into(),
            usage: false,
        }
    }
    pub fn exit_code(&self) -> u8 {
        if self.usage {
            EXIT_USAGE
        } else {
            EXIT_BAD_VALUE
        }
    }
}

impl std::fmt::Display for FlagError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Bad values reported as plain strings.
impl From<String> for FlagError {
    fn from(message: String) -> Self {
        FlagError::value(message)
    }
}

impl From<&str> for FlagError {
    fn from(message: &str) -> Self {
        FlagError::value(message)
    }
}

/// The daemon's arguments as UTF-8, or the flag whose value is not (every
/// flag value is text in Mesos).
pub fn utf8_args(args: &[std::ffi::OsString]) -> Result<Vec<String>, FlagError> {
    let mut out = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        if let Some(s) = a.to_str() {
            out.push(s.to_string());
            continue;
        }
        let lossy = a.to_string_lossy();
        let previous = i
            .checked_sub(1)
            .and_then(|p| args[p].to_str())
            .filter(|p| p.starts_with("--") && !p.contains('='));
        let message = match (lossy.strip_prefix("--"), previous) {
            (Some(body), _) if body.contains('=') => {
                let (name, value) = body.split_once('=').unwrap_or((body, ""));
                format!("flag --{name}: the value '{value}' is not valid UTF-8")
            }
            (None, Some(p)) => format!("flag {p}: the value '{lossy}' is not valid UTF-8"),
            _ => format!("argument '{lossy}' is not valid UTF-8"),
        };
        return Err(FlagError::value(message));
    }
    Ok(out)
}

/// Outcome of parsing.
pub enum Parsed {
    Flags(Flags),
    /// `--help` was given: print this text and exit 0.
    Help(String),
}

impl Flags {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
    pub fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string).filter(|s| !s.is_empty())
    }
    pub fn bool(&self, name: &str) -> bool {
        self.get(name) == Some("true")
    }
    pub fn int(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(|v| v.parse().ok())
    }
    pub fn duration(&self, name: &str) -> Option<Duration> {
        self.get(name)
            .and_then(|v| crate::duration::parse_duration(v).ok())
    }
    pub fn bytes(&self, name: &str) -> Option<u64> {
        self.get(name).and_then(|v| parse_bytes(v).ok())
    }
    /// All flags with values, as `/flags` reports them.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.values
    }
    /// Set a value after parsing (e.g. a resolved default).
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.insert(name.to_string(), value.into());
    }
}

/// `512MB`, `1GB`, `100B`, bare number = bytes.
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (n, unit) = t.split_at(split);
    let n: f64 = n.parse().map_err(|_| format!("'{s}' is not a byte size"))?;
    let mult = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1.0,
        "KB" => 1024.0,
        "MB" => 1024.0 * 1024.0,
        "GB" => 1024.0 * 1024.0 * 1024.0,
        "TB" => 1024.0f64.powi(4),
        u => {
            return Err(format!(
                "'{s}' has an unknown size unit '{u}' (B, KB, MB, GB, TB)"
            ))
        }
    };
    let bytes = n * mult;
    // 2^64 is the first value a u64 cannot hold.
    if !bytes.is_finite() || bytes >= 18_446_744_073_709_551_616.0 {
        return Err(format!("'{s}' is too large a byte size"));
    }
    Ok(bytes as u64)
}

fn validate(spec: &Spec, value: &str) -> Result<String, String> {
    match spec.kind {
        Kind::Bool => match value {
            "true" | "1" | "yes" => Ok("true".into()),
            "false" | "0" | "no" => Ok("false".into()),
            _ => Err(format!(
                "flag --{} expects true or false, got '{value}'",
                spec.name
            )),
        },
        Kind::Int => value
            .parse::<i64>()
            .map(|_| value.to_string())
            .map_err(|_| format!("flag --{} expects a whole number, got '{value}'", spec.name)),
        Kind::Duration => crate::duration::parse_duration(value)
            .map(|_| value.to_string())
            .map_err(|e| format!("flag --{}: {e}", spec.name)),
        Kind::Bytes => parse_bytes(value)
            .map(|_| value.to_string())
            .map_err(|e| format!("flag --{}: {e}", spec.name)),
        Kind::String => Ok(value.to_string()),
    }
}

/// [`parse`] with the process environment, for a daemon's `main`: `--help`
/// is printed and a bad flag reported on stderr; `Err` carries the exit code
/// (0 after help, [`EXIT_BAD_VALUE`] for a bad value, [`EXIT_USAGE`] for a
/// usage error).
pub fn parse_or_exit_code(program: &str, specs: &[Spec], args: &[String]) -> Result<Flags, u8> {
    parse_or_exit_code_with_prefix(program, specs, args, ENV_PREFIX)
}

/// The environment prefix of the Mesos daemons' flags (`MESOS_<FLAG>`).
pub const ENV_PREFIX: &str = "MESOS_";

/// [`parse_or_exit_code`] with another environment prefix (`MARATHON_`
/// for `mesos marathon`).
pub fn parse_or_exit_code_with_prefix(
    program: &str,
    specs: &[Spec],
    args: &[String],
    prefix: &str,
) -> Result<Flags, u8> {
    let parsed = env_utf8(specs, prefix)
        .and_then(|_| parse_with_prefix(program, specs, args, |k| std::env::var(k).ok(), prefix));
    match parsed {
        Ok(Parsed::Flags(f)) => Ok(f),
        Ok(Parsed::Help(h)) => {
            print!("{h}");
            Err(0)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(e.exit_code())
        }
    }
}

/// `<PREFIX><FLAG>` variables that are set but not UTF-8 are refused (rather
/// than silently ignored, as `std::env::var(..).ok()` would).
fn env_utf8(specs: &[Spec], prefix: &str) -> Result<(), FlagError> {
    for s in specs {
        let key = format!("{prefix}{}", s.name.to_ascii_uppercase());
        if let Err(std::env::VarError::NotUnicode(v)) = std::env::var(&key) {
            return Err(FlagError::value(format!(
                "flag --{}: the value '{}' is not valid UTF-8 (from {key})",
                s.name,
                v.to_string_lossy()
            )));
        }
    }
    Ok(())
}

/// Parse `args` (without the program/subcommand name). `env` looks up
/// environment variables (pass `|k| std::env::var(k).ok()`).
pub fn parse(
    program: &str,
    specs: &[Spec],
    args: &[String],
    env: impl Fn(&str) -> Option<String>,
) -> Result<Parsed, FlagError> {
    parse_with_prefix(program, specs, args, env, ENV_PREFIX)
}

/// [`parse`] reading `<prefix><FLAG>` from the environment.
pub fn parse_with_prefix(
    program: &str,
    specs: &[Spec],
    args: &[String],
    env: impl Fn(&str) -> Option<String>,
    prefix: &str,
) -> Result<Parsed, FlagError> {
    let find = |name: &str| specs.iter().find(|s| s.name == name);
    let mut values = BTreeMap::new();
    for s in specs {
        if let Some(d) = s.default {
            values.insert(s.name.to_string(), d.to_string());
        }
    }
    for s in specs {
        let key = format!("{prefix}{}", s.name.to_ascii_uppercase());
        if let Some(v) = env(&key) {
            let v = validate(s, &v).map_err(|e| format!("{e} (from {key})"))?;
            values.insert(s.name.to_string(), v);
        }
    }
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--help" || arg == "-h" {
            return Ok(Parsed::Help(help_text(program, specs, prefix)));
        }
        let Some(body) = arg.strip_prefix("--") else {
            return Err(FlagError::usage(format!(
                "unexpected argument '{arg}' (flags look like --name=value; see {program} --help)"
            )));
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let name_us = name.replace('-', "_");
        if let Some(spec) = find(&name_us) {
            let value = match (spec.kind, inline) {
                (_, Some(v)) => v,
                (Kind::Bool, None) => "true".to_string(),
                (_, None) => {
                    let v = args.get(i).cloned().ok_or_else(|| {
                        FlagError::usage(format!("flag --{name} needs a value (--{name}=VALUE)"))
                    })?;
                    i += 1;
                    v
                }
            };
            values.insert(spec.name.to_string(), validate(spec, &value)?);
            continue;
        }
        if let Some(neg) = name_us.strip_prefix("no_") {
            if let Some(spec) = find(neg).filter(|s| s.kind == Kind::Bool) {
                values.insert(spec.name.to_string(), "false".into());
                continue;
            }
        }
        return Err(FlagError::usage(format!(
            "unknown flag '--{name}' (see {program} --help)"
        )));
    }
    Ok(Parsed::Flags(Flags { values }))
}

fn help_text(program: &str, specs: &[Spec], prefix: &str) -> String {
    let mut out = format!(
        "Usage: {program} [--flag=value ...]\n\nEvery flag can also be set with the environment variable {prefix}<FLAG>.\nExit codes: 0 after a clean shutdown (or --help/--version); 1 when a flag\nvalue is bad (not UTF-8, unparsable, out of range, unreadable file,\nunresolvable host: one line on stderr names the flag) or the daemon fails;\n2 for a usage error (unknown flag, missing value or required flag).\n\n"
    );
    for s in specs {
        let arg = match s.kind {
            Kind::Bool => format!("--[no-]{}", s.name),
            _ => format!("--{}=VALUE", s.name),
        };
        out.push_str(&format!("  {arg}\n      {}", s.help));
        if let Some(d) = s.default {
            out.push_str(&format!(" (default: {d})"));
        }
        out.push('\n');
    }
    out.push_str(examples(program));
    out
}

/// Examples shown at the end of `--help`.
fn examples(program: &str) -> &'static str {
    if program.ends_with("agent") {
        "\nExamples:\n  mesos agent --master=127.0.0.1:5050 --work_dir=/tmp/mesos-agent\n  mesos agent --master=zk://zk1:2181/mesos --work_dir=/var/lib/mesos/agent --resources='cpus:4;mem:8192;ports:[31000-32000]' --attributes='rack:r1'\n"
    } else if program.ends_with("marathon") {
        "\nExamples:\n  mesos marathon --master=127.0.0.1:5050 --work_dir=/var/lib/mesos/marathon\n  mesos marathon --master=zk://zk1:2181/mesos --zk=zk://zk1:2181/marathon --http_port=8080\n"
    } else if program.ends_with("master") {
        "\nExamples:\n  mesos master --ip=127.0.0.1 --port=5050 --registry=in_memory\n  mesos master --zk=zk://zk1:2181,zk2:2181,zk3:2181/mesos --quorum=2 --work_dir=/var/lib/mesos/master\n"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[Spec] = &[
        Spec::new("port", Kind::Int, Some("5050"), "port"),
        Spec::new("work_dir", Kind::String, None, "dir"),
        Spec::new("hostname_lookup", Kind::Bool, Some("true"), "lookup"),
        Spec::new("offer_timeout", Kind::Duration, None, "timeout"),
    ];

    fn parse_ok(args: &[&str], env: &[(&str, &str)]) -> Flags {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match parse("mesos master", SPECS, &args, |k| {
            env.iter().find(|(ek, _)| ek == k).map(|(_, v)| v.clone())
        })
        .unwrap()
        {
            Parsed::Flags(f) => f,
            Parsed::Help(_) => panic!("help"),
        }
    }

    #[test]
    fn forms_and_precedence() {
        let f = parse_ok(
            &[
                "--port=6000",
                "--work_dir",
                "/tmp/x",
                "--no-hostname_lookup",
            ],
            &[],
        );
        assert_eq!(f.int("port"), Some(6000));
        assert_eq!(f.get("work_dir"), Some("/tmp/x"));
        assert!(!f.bool("hostname_lookup"));
        let f = parse_ok(&[], &[("MESOS_PORT", "7000")]);
        assert_eq!(f.int("port"), Some(7000));
        let f = parse_ok(&["--port=8000"], &[("MESOS_PORT", "7000")]);
        assert_eq!(f.int("port"), Some(8000));
        let f = parse_ok(&["--offer-timeout=10secs"], &[]);
        assert_eq!(f.duration("offer_timeout"), Some(Duration::from_secs(10)));
    }

    #[test]
    fn refuses_unknown_and_bad_values() {
        let p = |a: &[&str]| {
            let a: Vec<String> = a.iter().map(|s| s.to_string()).collect();
            parse("mesos master", SPECS, &a, |_| None)
                .err()
                .unwrap()
                .to_string()
        };
        assert!(p(&["--bogus=1"]).contains("unknown flag '--bogus'"));
        assert!(p(&["--port=abc"]).contains("--port expects a whole number"));
        assert!(p(&["--offer_timeout=soon"]).contains("--offer_timeout"));
        assert!(p(&["--port"]).contains("needs a value"));
        assert!(p(&["positional"]).contains("unexpected argument"));
        let e = parse("m", SPECS, &[], |k| (k == "MESOS_PORT").then(|| "x".into()))
            .err()
            .unwrap();
        assert!(e.message.contains("MESOS_PORT"), "{e}");
        assert_eq!(e.exit_code(), EXIT_BAD_VALUE);
        let e = parse("m", SPECS, &["--bogus".into()], |_| None)
            .err()
            .unwrap();
        assert_eq!(e.exit_code(), EXIT_USAGE);
    }

    #[test]
    fn non_utf8_arguments_name_the_flag() {
        use std::ffi::OsString;
        use std::os::unix::ffi::OsStringExt;
        let bad = |b: &[u8]| OsString::from_vec(b.to_vec());
        let e = utf8_args(&[bad(b"--work_dir=/tmp/\xff")]).unwrap_err();
        assert!(
            e.message.starts_with("flag --work_dir: the value '/tmp/"),
            "{e}"
        );
        assert!(e.message.ends_with("is not valid UTF-8"), "{e}");
        let e = utf8_args(&["--attributes".into(), bad(b"rack:\xfe")]).unwrap_err();
        assert!(e.message.starts_with("flag --attributes: "), "{e}");
        assert_eq!(e.exit_code(), EXIT_BAD_VALUE);
        let ok = utf8_args(&["--port=1".into()]).unwrap();
        assert_eq!(ok, vec!["--port=1".to_string()]);
    }

    #[test]
    fn byte_sizes() {
        assert_eq!(parse_bytes("512MB").unwrap(), 512 * 1024 * 1024);
        assert_eq!(parse_bytes("100").unwrap(), 100);
        assert!(parse_bytes("1XB").is_err());
        assert!(parse_bytes("99999999999TB")
            .unwrap_err()
            .contains("too large"));
        assert!(parse_bytes("1e400").is_err());
    }
}
