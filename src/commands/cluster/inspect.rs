//! `cluster status|wait|list|logs|doctor|init`.

use super::*;

pub(super) struct StatusRow<'a>(&'a local::DaemonStatus);

impl Serialize for StatusRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl TableRow for StatusRow<'_> {
    fn headers() -> Vec<&'static str> {
        vec![
            "NAME",
            "ROLE",
            "ADDRESS",
            "PID",
            "ALIVE",
            "LEADER",
            "REGISTERED",
        ]
    }
    fn cells(&self) -> Vec<String> {
        let d = self.0;
        let yn = |b: bool| if b { "yes" } else { "no" }.to_string();
        vec![
            d.name.clone(),
            d.role.as_str().into(),
            d.address.clone(),
            d.pid.to_string(),
            yn(d.alive),
            d.leader.map(yn).unwrap_or_else(|| "-".into()),
            match d.role {
                Role::Master => d
                    .registered_agents
                    .map(|n| format!("{n} agent{}", if n == 1 { "" } else { "s" }))
                    .unwrap_or_else(|| "-".into()),
                Role::Agent => match (d.registered, d.active) {
                    (Some(true), Some(true)) => "active".into(),
                    (Some(true), _) => "inactive".into(),
                    _ => "no".into(),
                },
                Role::Marathon => match d.registered {
                    Some(true) => "serving".into(),
                    _ => "no".into(),
                },
                Role::Zookeeper => "-".into(),
            },
        ]
    }
}

pub(super) fn load_target(t: &Target, default: &str) -> Result<ClusterState> {
    let (name, _) = t.resolve(default)?;
    local::load(&name)
}

pub(super) fn cmd_status(out: &Output, a: &StatusArgs, default: &str) -> Result<()> {
    let state = load_target(&a.target, default)?;
    let report: StatusReport = match state.mode {
        Mode::Local => local::status(&state)?,
        Mode::Ssh => remote::status(
            &state,
            &remote::Options {
                accept_new_host_keys: a.target.accept_new_host_keys,
                timeout: Duration::from_secs(10),
            },
        )?,
    };
    match out.format {
        OutputFormat::Table => {
            let rows: Vec<StatusRow> = report.daemons.iter().map(StatusRow).collect();
            out.rows(&rows)?;
        }
        OutputFormat::Json => out.json_value(&report)?,
        OutputFormat::Ndjson => {
            for d in &report.daemons {
                crate::output::write_ndjson_line(d)?;
            }
        }
    }
    let alive = report.alive_count();
    let total = report.daemons.len();
    let dead: Vec<&str> = report
        .daemons
        .iter()
        .filter(|d| !d.alive)
        .map(|d| d.name.as_str())
        .collect();
    if alive == 0 {
        return Err(Error::failed(format!(
            "cluster '{}' is not running (no daemon alive)",
            report.name
        ))
        .with_hint(format!(
            "start it with `mesos cluster up --name {}`",
            report.name
        )));
    }
    if alive < total {
        return Err(Error::partial(format!(
            "cluster '{}': {} not running",
            report.name,
            dead.join(", ")
        ))
        .with_hint(format!(
            "`mesos cluster logs {} --name {}` shows why",
            dead[0], report.name
        )));
    }
    if out.format == OutputFormat::Table {
        status(report.secure.describe());
        if let Some(m) = &report.marathon {
            status(format!("marathon: {m} (`mesos app list`)"));
        }
    }
    if report.ready {
        status(format!(
            "cluster '{}' is ready: leader {} at {}",
            report.name,
            report.leader.as_deref().unwrap_or("?"),
            report.leader_url.as_deref().unwrap_or("?")
        ));
        if let Some(ui) = &report.webui_url {
            status(format!("Web UI: {ui}"));
        }
    } else {
        status(format!(
            "cluster '{}' is running but not ready: waiting for {}",
            report.name,
            report.waiting_for.join(", ")
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// wait

pub(super) fn cmd_wait(timeout: Duration, a: &WaitArgs, default: &str) -> Result<()> {
    let state = load_target(&a.target, default)?;
    let progress = Progress::new(a.quiet);
    let started = std::time::Instant::now();
    let check = match state.mode {
        Mode::Local => local::wait(&state, timeout, &progress)?,
        Mode::Ssh => remote::wait(
            &state,
            &remote::Options {
                accept_new_host_keys: a.target.accept_new_host_keys,
                timeout,
            },
            &progress,
        )?,
    };
    drop(progress);
    if !a.quiet {
        status(format!(
            "cluster '{}' is ready (leader {}) after {}",
            state.name,
            check.leader.as_deref().unwrap_or("?"),
            cl::human(started.elapsed())
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// list

#[derive(Serialize)]
pub(super) struct ListRow(local::ListEntry);

impl TableRow for ListRow {
    fn headers() -> Vec<&'static str> {
        vec!["NAME", "MODE", "MASTERS", "AGENTS", "STATUS", "MASTER"]
    }
    fn cells(&self) -> Vec<String> {
        let e = &self.0;
        vec![
            e.name.clone(),
            e.mode.as_str().into(),
            e.masters.to_string(),
            e.agents.to_string(),
            e.status.clone(),
            e.master.clone(),
        ]
    }
}

pub(super) fn cmd_list(out: &Output) -> Result<()> {
    let rows: Vec<ListRow> = local::list()?.into_iter().map(ListRow).collect();
    if rows.is_empty() && out.format == OutputFormat::Table {
        status("no clusters (start one with `mesos cluster up`)");
        return Ok(());
    }
    match out.format {
        OutputFormat::Json => {
            let v: Vec<&local::ListEntry> = rows.iter().map(|r| &r.0).collect();
            out.json_value(&v)
        }
        _ => out.rows(&rows),
    }
}

// ---------------------------------------------------------------------------
// logs

pub(super) fn cmd_logs(a: &LogsArgs, default: &str) -> Result<()> {
    let name = a.name.as_deref().unwrap_or(default);
    cl::validate_name(name)?;
    let state = local::load(name)?;
    let daemons: Vec<_> = match &a.daemon {
        Some(d) => vec![state.find(d).cloned().ok_or_else(|| {
            let names: Vec<&str> = state.daemons.iter().map(|d| d.name.as_str()).collect();
            Error::not_found(format!(
                "cluster '{}' has no daemon '{d}' (daemons: {})",
                state.name,
                names.join(", ")
            ))
        })?],
        None => state.daemons.clone(),
    };
    if state.mode == Mode::Ssh {
        return remote::logs(&state, &daemons, a.follow, a.lines, false);
    }
    let prefix = daemons.len() > 1;
    let mut offsets = Vec::new();
    for d in &daemons {
        let path = PathBuf::from(&d.log_file);
        let text = std::fs::read(&path).unwrap_or_default();
        let mut lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
        if lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        if let Some(n) = a.lines {
            let skip = lines.len().saturating_sub(n);
            lines.drain(..skip);
        }
        emit(&d.name, prefix, &lines)?;
        offsets.push((d.name.clone(), path, text.len() as u64, Vec::<u8>::new()));
    }
    if !a.follow {
        return Ok(());
    }
    loop {
        std::thread::sleep(Duration::from_millis(200));
        for (name, path, off, partial) in offsets.iter_mut() {
            use std::io::{Read, Seek, SeekFrom};
            let Ok(mut f) = std::fs::File::open(&*path) else {
                continue;
            };
            let len = f.metadata().map(|m| m.len()).unwrap_or(0);
            if len < *off {
                *off = 0; // truncated or replaced
            }
            if len == *off {
                continue;
            }
            let _ = f.seek(SeekFrom::Start(*off));
            let mut buf = Vec::new();
            let _ = f.read_to_end(&mut buf);
            *off += buf.len() as u64;
            partial.extend_from_slice(&buf);
            if let Some(pos) = partial.iter().rposition(|b| *b == b'\n') {
                let complete: Vec<u8> = partial.drain(..=pos).collect();
                let lines: Vec<&[u8]> = complete[..complete.len() - 1]
                    .split(|b| *b == b'\n')
                    .collect();
                emit(name, prefix, &lines)?;
            }
        }
    }
}

pub(super) fn emit(name: &str, prefix: bool, lines: &[&[u8]]) -> Result<()> {
    let mut buf = Vec::new();
    for l in lines {
        if prefix {
            let _ = write!(buf, "{name:<12} | ");
        }
        buf.extend_from_slice(l);
        buf.push(b'\n');
    }
    write_stdout(&buf)
}

// ---------------------------------------------------------------------------
// doctor, init

pub(super) fn cmd_doctor(out: &Output, a: &DoctorArgs, default: &str) -> Result<()> {
    let (name, file) = a.target.resolve(default)?;
    let recorded = ClusterState::load(&cl::cluster_dir(&name)?)?;
    let mut rows = match &file {
        Some(spec) => remote::doctor(
            spec,
            &remote::Options {
                accept_new_host_keys: a.target.accept_new_host_keys,
                timeout: Duration::from_secs(10),
            },
        )?,
        None => Vec::new(),
    };
    // A cluster that was started: is it secured?
    match &recorded {
        Some(st) => {
            remote::accept_own_ports(&mut rows, st);
            rows.extend(secure_check::doctor_rows(st)?)
        }
        None if file.is_none() => {
            local::load(&name)?; // "no cluster named ..." (exit 4)
        }
        None => {}
    }
    match out.format {
        OutputFormat::Json => out.json_value(&rows)?,
        _ => out.rows(&rows)?,
    }
    // Host rows come first, then the security rows of the daemons.
    let mut failed: Vec<String> = Vec::new();
    for r in rows.iter().filter(|r| !r.ok) {
        let what = if is_security(&r.check) {
            format!("{} ({})", r.host, r.check)
        } else {
            r.host.clone()
        };
        if !failed.contains(&what) {
            failed.push(what);
        }
    }
    if failed.is_empty() {
        status(match &file {
            Some(spec) => format!("all {} host(s) passed", spec.host_order().len()),
            None => format!("cluster '{name}' passed every check"),
        });
        Ok(())
    } else if file.is_some() && rows.iter().all(|r| r.ok || !is_security(&r.check)) {
        Err(Error::partial(format!(
            "{} host(s) failed checks: {}",
            failed.len(),
            failed.join(", ")
        )))
    } else {
        Err(Error::partial(format!(
            "cluster '{name}' failed checks: {}",
            failed.join(", ")
        )))
    }
}

/// Rows of [`secure_check::doctor_rows`].
pub(super) fn is_security(check: &str) -> bool {
    matches!(check, "secured" | "files" | "tls" | "auth")
}

pub(super) fn cmd_init(a: &InitArgs) -> Result<()> {
    if a.file.as_os_str() == "-" {
        return write_stdout(spec::EXAMPLE.as_bytes());
    }
    if a.file.exists() && !a.force {
        return Err(Error::usage(format!("{} already exists", a.file.display()))
            .with_hint("pass --force to overwrite it, or give another file name"));
    }
    crate::fsutil::write_atomic(&a.file, spec::EXAMPLE.as_bytes())
        .map_err(|e| Error::failed(format!("cannot write {}: {e}", a.file.display())))?;
    status(format!(
        "wrote {}: edit the hosts, then `mesos cluster doctor -f {f}` and `mesos cluster up -f {f}`",
        a.file.display(),
        f = a.file.display()
    ));
    Ok(())
}
