//! `cluster up` and `cluster down`.

use super::*;

#[derive(Serialize)]
pub(super) struct UpJson<'a> {
    name: &'a str,
    mode: Mode,
    already_running: bool,
    master: &'a str,
    master_url: String,
    /// The web UI: the leading master's `/`.
    webui_url: String,
    leader: Option<&'a str>,
    profile: &'a str,
    secure: Secured,
    /// Base URL of the cluster's `mesos marathon`, if it runs one.
    marathon: Option<&'a str>,
    elapsed_ms: u128,
    daemons: Vec<DaemonJson<'a>>,
}

#[derive(Serialize)]
pub(super) struct DaemonJson<'a> {
    name: &'a str,
    role: Role,
    host: &'a str,
    address: String,
    pid: u32,
    log_file: &'a str,
}

pub(super) fn cmd_up(out: &Output, timeout: Duration, a: &UpArgs) -> Result<()> {
    let (name, file) = a.target.resolve(cl::DEFAULT_NAME)?;
    let progress = Progress::new(a.quiet);
    let outcome = match file {
        Some(spec) => {
            if a.masters != 1
                || a.agents != 2
                || a.zk.is_some()
                || a.agent_resources.is_some()
                || a.agent_attributes.is_some()
            {
                return Err(Error::usage(
                    "--masters, --agents, --zk and --agent-* do not apply with -f: the file describes the cluster",
                ));
            }
            remote::up(
                &spec,
                &remote::Options {
                    accept_new_host_keys: a.target.accept_new_host_keys,
                    timeout,
                },
                a.secure,
                !a.no_marathon,
                &progress,
            )?
        }
        None => {
            let opts = UpOptions {
                name,
                masters: a.masters,
                agents: a.agents,
                zk: a.zk.clone(),
                agent_resources: a.agent_resources.clone(),
                agent_attributes: a.agent_attributes.clone(),
                master_flags: a.master_flags.clone(),
                agent_flags: a.agent_flags.clone(),
                timeout,
                secure: a.secure,
                marathon: !a.no_marathon,
            };
            local::up(&opts, &progress)?
        }
    };
    drop(progress);
    print_up(out, &outcome, a.quiet)?;
    if !outcome.failed.is_empty() {
        return Err(Error::partial(format!(
            "cluster '{}' is up without: {}",
            outcome.state.name,
            outcome.failed.join("; ")
        ))
        .with_hint(format!(
            "`mesos cluster status --name {}` shows what runs; fix the host and run `up` again after `down`",
            outcome.state.name
        )));
    }
    Ok(())
}

pub(super) fn print_up(out: &Output, o: &UpOutcome, quiet: bool) -> Result<()> {
    let st = &o.state;
    let url = o.leader_url();
    if !quiet {
        if o.already_running {
            status(format!(
                "cluster '{}' is already running ({}); nothing changed",
                st.name,
                st.shape()
            ));
        } else if !o.failed.is_empty() {
            status(format!(
                "cluster '{}' is partly up after {}: {} failed",
                st.name,
                cl::human(o.elapsed),
                o.failed.len()
            ));
        } else {
            status(format!(
                "cluster '{}' is ready ({}) in {}",
                st.name,
                st.shape(),
                cl::human(o.elapsed)
            ));
        }
        status(format!("Web UI: {url}/"));
    }
    if out.format != OutputFormat::Table {
        let j = UpJson {
            name: &st.name,
            mode: st.mode,
            already_running: o.already_running,
            master: &st.master,
            webui_url: format!("{url}/"),
            master_url: url,
            leader: o.leader.as_deref(),
            profile: &st.profile,
            secure: Secured::of(st),
            marathon: st.marathon.as_deref(),
            elapsed_ms: o.elapsed.as_millis(),
            daemons: st
                .daemons
                .iter()
                .map(|d| DaemonJson {
                    name: &d.name,
                    role: d.role,
                    host: &d.host,
                    address: d.address(),
                    pid: d.pid,
                    log_file: &d.log_file,
                })
                .collect(),
        };
        return if out.format == OutputFormat::Json {
            out.json_value(&j)
        } else {
            crate::output::write_ndjson_line(&j)
        };
    }
    let mut text = format!("# master: {url}\n");
    if let Some(m) = &st.marathon {
        text.push_str(&format!("# marathon: {m}\n"));
    }
    text.push_str(&format!("# profile: {} (active)\n", st.profile));
    if let Some(sec) = &st.secure {
        text.push_str(&format!(
            "# secured: TLS (CA {}), HTTP authentication as {} (secret in {})\n",
            sec.ca_file, sec.principal, sec.secret_file
        ));
    }
    text.push_str(&format!(
        "export MESOS_MASTER={}\n",
        crate::remote::quote::quote_word(&st.master)
    ));
    write_stdout(text.as_bytes())
}

// ---------------------------------------------------------------------------
// down

pub(super) fn cmd_down(out: &Output, a: &DownArgs, default: &str) -> Result<()> {
    let (name, file) = a.target.resolve(default)?;
    let progress = Progress::new(a.quiet);
    let dir = cl::cluster_dir(&name)?;
    let state = ClusterState::load(&dir)?;
    let o: DownOutcome = match (&state, &file) {
        (Some(st), _) if st.mode == Mode::Ssh => remote::down(
            st,
            file.as_ref(),
            a.purge,
            a.grace,
            &remote::Options {
                accept_new_host_keys: a.target.accept_new_host_keys,
                timeout: a.grace,
            },
            &progress,
        )?,
        (None, Some(spec)) => remote::down_from_spec(
            spec,
            a.purge,
            a.grace,
            &remote::Options {
                accept_new_host_keys: a.target.accept_new_host_keys,
                timeout: a.grace,
            },
            &progress,
        )?,
        _ => local::down(&name, a.purge, a.grace, &progress)?,
    };
    drop(progress);
    if !a.quiet {
        let mut msg = format!(
            "cluster '{}' is down: {} daemon(s) stopped",
            o.name,
            o.stopped.len()
        );
        if !o.killed.is_empty() {
            msg.push_str(&format!(" ({} with SIGKILL)", o.killed.len()));
        }
        if o.tasks_killed > 0 {
            msg.push_str(&format!(", {} task(s) killed", o.tasks_killed));
        }
        if !o.already_stopped.is_empty() {
            msg.push_str(&format!(
                ", already stopped: {}",
                o.already_stopped.join(", ")
            ));
        }
        if o.purged {
            msg.push_str(", work dirs and logs deleted");
        }
        if o.profile_removed {
            msg.push_str(&format!(", profile '{}' removed", o.name));
        }
        status(msg);
    }
    if out.format != OutputFormat::Table {
        return out.record(&o, &[]);
    }
    Ok(())
}
