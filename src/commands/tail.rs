//! `mesos tail [-f]`: the end of sandbox files, and following them.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use serde::Serialize;
use tokio::sync::mpsc;

use crate::commands::files_common::{self, header, item_error, path_of, Headers, Out};
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::http::HttpClient;
use crate::leader::Leader;
use crate::output::OutputFormat;
use crate::sandbox::follow::{self, Event, Handle, LineSplitter};
use crate::sandbox::Files;
use crate::tasks::{self, Located, SelectArgs, TaskFilter};

/// How often a follow asks the master for new or ended tasks.
const RESCAN: Duration = Duration::from_secs(2);

/// Print the end of sandbox files of tasks, or follow them
///
/// Prints the last N lines (default 10) of FILE (default `stdout`) of every
/// task matching TASK. The file is read backwards from its end in 64 KiB
/// blocks, so a long log costs one or two requests, not one per KiB.
///
/// With -f, keeps printing what is appended, for any number of files of any
/// number of tasks: new data shows within a few hundred milliseconds while
/// it flows, and polling backs off when a file is idle (at most 2 requests
/// per second per agent). A dead agent or a dropped connection is retried
/// with backoff and reading resumes at the last offset as soon as the file
/// is served again (an agent that recovers its executors after a restart
/// serves it again), so nothing is lost or repeated; problems and
/// recoveries are reported on stderr. Tasks that start later and match TASK
/// are picked up (their files from the beginning). --until-done exits once every
/// followed task has ended, after its last bytes are printed.
///
/// Headers (`==> task:file <==`) appear when more than one file is shown;
/// -q drops them. --ndjson (or --json, -o json|ndjson, MESOS_OUTPUT: the
/// output is a stream, so JSON is one object per line too) prints one JSON
/// object per line instead: {task, agent, host, file, offset, line}
/// (offset = byte offset of the line's start; line without its newline,
/// invalid UTF-8 replaced).
///
/// With -f a TASK that matches nothing yet is waited for (said on stderr):
/// the files of matching tasks are followed as they start.
#[derive(Clone, Debug, Args)]
#[command(after_help = "Examples:
  mesos tail my-task
  mesos tail -n 100 my-task stderr
  mesos tail -f my-task stdout stderr
  mesos tail -f --until-done batch-job-7
  mesos tail -f 'web.*' --ndjson | jq -r 'select(.line | test(\"ERROR\")) | .task'")]
pub struct TailArgs {
    /// Task id, id prefix, name, substring or glob
    #[arg(value_name = "TASK")]
    pub task: String,

    /// Files, relative to the sandbox [default: stdout]
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,

    /// Number of lines to print first
    #[arg(short = 'n', long, value_name = "N", default_value_t = 10)]
    pub lines: usize,

    /// Keep printing appended data (and files of new matching tasks)
    #[arg(short, long)]
    pub follow: bool,

    /// With -f: exit when every followed task has ended
    #[arg(long, requires = "follow")]
    pub until_done: bool,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Never print `==> task:file <==` headers
    #[arg(short, long)]
    pub quiet: bool,

    /// JSON lines instead of raw text (from the global output format)
    #[arg(skip)]
    pub ndjson: bool,

    /// Agents asked at once while locating sandboxes
    #[arg(long, value_name = "N", default_value_t = tasks::DEFAULT_PARALLEL, value_parser = tasks::parse_parallel)]
    pub parallel: usize,
}

/// One `--ndjson` line.
#[derive(Serialize)]
struct LineRecord<'a> {
    task: &'a str,
    agent: &'a str,
    host: &'a str,
    file: &'a str,
    offset: u64,
    line: String,
}

/// A followed (task, file).
struct Item {
    task: String,
    framework_id: String,
    agent_id: String,
    host: String,
    file: String,
    handle: Arc<Handle>,
    done: bool,
}

/// Prints what the pollers send.
struct Printer {
    ndjson: bool,
    headers: Headers,
    quiet: bool,
    last: Option<usize>,
    splitters: HashMap<usize, LineSplitter>,
    out: Out,
}

impl Printer {
    fn data(&mut self, items: &[Item], key: usize, offset: u64, data: &[u8]) -> Result<()> {
        let it = &items[key];
        if self.ndjson {
            let lines = self.splitters.entry(key).or_default().push(offset, data);
            for (off, line) in lines {
                self.out.json_line(&LineRecord {
                    task: &it.task,
                    agent: &it.agent_id,
                    host: &it.host,
                    file: &it.file,
                    offset: off,
                    line: String::from_utf8_lossy(&line).into_owned(),
                })?;
            }
            return self.out.flush();
        }
        if self.last != Some(key) {
            if !self.quiet && (items.len() > 1 || self.headers.enabled) {
                self.headers.enabled = true;
                self.headers.print(&it.task, &it.file)?;
            }
            self.last = Some(key);
        }
        files_common::raw(data)?;
        files_common::flush()
    }

    fn finish(&mut self, items: &[Item], key: usize) -> Result<()> {
        if let Some(s) = self.splitters.get_mut(&key) {
            if let Some((off, line)) = s.flush() {
                let it = &items[key];
                self.out.json_line(&LineRecord {
                    task: &it.task,
                    agent: &it.agent_id,
                    host: &it.host,
                    file: &it.file,
                    offset: off,
                    line: String::from_utf8_lossy(&line).into_owned(),
                })?;
                self.out.flush()?;
            }
        }
        Ok(())
    }
}

pub async fn cmd_tail(ctx: &Context, args: &TailArgs) -> Result<()> {
    let filter = TaskFilter::new(Some(&args.task), &args.select)?;
    let mut args = args.clone();
    args.ndjson = matches!(ctx.output.format, OutputFormat::Json | OutputFormat::Ndjson);
    let args = &args;
    let http = ctx.http()?;
    let leader = ctx.leader(&http).await?;
    let cluster = tasks::fetch(&http, &leader, &filter).await?;
    let selected = filter.select(&cluster);
    if selected.is_empty() {
        if !args.follow {
            return Err(tasks::no_match(&filter, &cluster));
        }
        // Following: tasks that match may start later.
        crate::output::status(format!(
            "no task matches {} yet; waiting for one to start (Ctrl-C to stop)",
            filter.describe()
        ));
    }
    let found = tasks::locate(&http, &cluster, &selected, args.parallel).await;
    let files: Vec<String> = if args.files.is_empty() {
        vec!["stdout".into()]
    } else {
        args.files.clone()
    };
    if !args.follow {
        return tail_once(&http, &found, &files, args).await;
    }
    let mut f = Follower::new(ctx.clone(), http, leader, filter, files, args.clone());
    // Tasks that existed at start and have ended are not "new" later.
    f.initial = cluster
        .tasks
        .iter()
        .map(|t| (t.framework_id.clone(), t.id.clone()))
        .collect();
    f.run(found).await
}

async fn tail_once(
    http: &HttpClient,
    found: &[Located],
    files: &[String],
    args: &TailArgs,
) -> Result<()> {
    let pairs: Vec<(&Located, &String)> = found
        .iter()
        .flat_map(|l| files.iter().map(move |f| (l, f)))
        .collect();
    let mut clients = crate::commands::cat::Clients::new(http);
    let mut printer = Printer {
        ndjson: args.ndjson,
        headers: Headers::new(!args.quiet && pairs.len() > 1),
        quiet: args.quiet,
        last: None,
        splitters: HashMap::new(),
        out: Out::new(),
    };
    let mut failures = Vec::new();
    for (l, file) in &pairs {
        let r = async {
            let f = clients.for_task(l)?;
            let path = path_of(l, file)?;
            f.tail(&path, args.lines).await
        }
        .await;
        match r {
            Ok((data, end)) => {
                let start = end - data.len() as u64;
                if args.ndjson {
                    let mut s = LineSplitter::default();
                    let mut lines = s.push(start, &data);
                    lines.extend(s.flush());
                    for (off, line) in lines {
                        printer.out.json_line(&LineRecord {
                            task: &l.task.id,
                            agent: &l.task.slave_id,
                            host: l.hostname(),
                            file,
                            offset: off,
                            line: String::from_utf8_lossy(&line).into_owned(),
                        })?;
                    }
                } else {
                    printer.headers.print(&l.task.id, file)?;
                    files_common::raw(&data)?;
                }
            }
            Err(e) => failures.push(item_error(l, file, e, pairs.len())),
        }
    }
    printer.out.flush()?;
    files_common::flush()?;
    files_common::finish(pairs.len(), failures)
}

struct Follower {
    ctx: Context,
    http: HttpClient,
    leader: Leader,
    filter: TaskFilter,
    files: Vec<String>,
    args: TailArgs,
    items: Vec<Item>,
    /// (framework id, task id) already followed.
    known: HashSet<(String, String)>,
    /// Every task the master listed when following began.
    initial: HashSet<(String, String)>,
    /// One client and one idle cap per agent base URL.
    clients: HashMap<String, (Arc<Files>, Arc<AtomicU64>, usize)>,
    tx: mpsc::UnboundedSender<Event>,
    rx: mpsc::UnboundedReceiver<Event>,
    printer: Printer,
    master_failing: bool,
}

impl Follower {
    fn new(
        ctx: Context,
        http: HttpClient,
        leader: Leader,
        filter: TaskFilter,
        files: Vec<String>,
        args: TailArgs,
    ) -> Follower {
        let (tx, rx) = mpsc::unbounded_channel();
        let printer = Printer {
            ndjson: args.ndjson,
            headers: Headers::new(false),
            quiet: args.quiet,
            last: None,
            splitters: HashMap::new(),
            out: Out::new(),
        };
        Follower {
            ctx,
            http,
            leader,
            filter,
            files,
            args,
            items: Vec::new(),
            known: HashSet::new(),
            initial: HashSet::new(),
            clients: HashMap::new(),
            tx,
            rx,
            printer,
            master_failing: false,
        }
    }

    fn client(&mut self, l: &Located) -> Result<(Arc<Files>, Arc<AtomicU64>)> {
        let base = l.agent_base()?;
        let http = &self.http;
        let e = self.clients.entry(base.to_string()).or_insert_with(|| {
            (
                Arc::new(Files::agent(http, base)),
                Arc::new(AtomicU64::new(500)),
                0,
            )
        });
        // One more file read on this agent: stretch the idle cap so all of
        // them together stay within the per-agent budget.
        e.2 += self.files.len();
        e.1.store(follow::cap_for(e.2).as_millis() as u64, Ordering::Relaxed);
        Ok((e.0.clone(), e.1.clone()))
    }

    /// Start following the files of `l`: from the end (after printing the
    /// last lines) for tasks found at start, from 0 for tasks that started later.
    async fn add(&mut self, l: &Located, initial: bool) -> Result<()> {
        let key = (l.task.framework_id.clone(), l.task.id.clone());
        if !self.known.insert(key) {
            return Ok(());
        }
        let (files, cap) = match self.client(l) {
            Ok(x) => x,
            Err(e) => {
                crate::output::warn(format!("{}: {}", l.task.id, e.message));
                return Ok(());
            }
        };
        for file in self.files.clone() {
            let path = match path_of(l, &file) {
                Ok(p) => p,
                Err(e) => {
                    crate::output::warn(format!("{}:{file}: {}", l.task.id, e.message));
                    continue;
                }
            };
            let k = self.items.len();
            let handle = Handle::new(files.clone(), cap.clone());
            self.items.push(Item {
                task: l.task.id.clone(),
                framework_id: l.task.framework_id.clone(),
                agent_id: l.task.slave_id.clone(),
                host: l.hostname().to_string(),
                file: file.clone(),
                handle: handle.clone(),
                done: false,
            });
            let start = if initial {
                match files.tail(&path, self.args.lines).await {
                    Ok((data, end)) => {
                        if !data.is_empty() {
                            self.printer
                                .data(&self.items, k, end - data.len() as u64, &data)?;
                        } else if !self.args.quiet
                            && !self.args.ndjson
                            && (self.items.len() > 1 || self.printer.headers.enabled)
                        {
                            // Show the header of an empty file so the user knows it is followed.
                            self.printer.data(&self.items, k, end, &[])?;
                        }
                        Some(end)
                    }
                    Err(e) if e.kind == ErrorKind::NotFound => {
                        crate::output::warn(format!(
                            "{}:{file}: not there yet; waiting for it",
                            l.task.id
                        ));
                        Some(0)
                    }
                    Err(e) => {
                        crate::output::warn(format!(
                            "{}:{file}: {}; retrying",
                            l.task.id, e.message
                        ));
                        None
                    }
                }
            } else {
                Some(0)
            };
            let tx = self.tx.clone();
            let lines = self.args.lines;
            tokio::spawn(async move {
                let offset = match start {
                    Some(o) => o,
                    // The agent was unreachable: print the last lines once it answers.
                    None => loop {
                        if handle.abort.load(Ordering::Relaxed) {
                            let _ = tx.send(Event::Done { key: k });
                            return;
                        }
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        let f = handle.files.lock().unwrap().clone();
                        if let Ok((data, end)) = f.tail(&path, lines).await {
                            let _ = tx.send(Event::Back {
                                key: k,
                                offset: end,
                            });
                            if !data.is_empty() {
                                let _ = tx.send(Event::Data {
                                    key: k,
                                    offset: end - data.len() as u64,
                                    data,
                                });
                            }
                            break end;
                        }
                    },
                };
                follow::poll(k, path, offset, handle, tx).await;
            });
        }
        Ok(())
    }

    async fn run(mut self, found: Vec<Located>) -> Result<()> {
        let n_pairs = found.len() * self.files.len();
        self.printer.headers.enabled = !self.args.quiet && n_pairs > 1;
        for l in &found {
            self.add(l, true).await?;
        }
        if self.items.is_empty() && !found.is_empty() {
            return Err(Error::failed(
                "none of the matching tasks has a sandbox to follow",
            ));
        }
        // Tasks already ended: print what is left and stop following them.
        let ended: Vec<(String, String)> = found
            .iter()
            .filter(|l| l.task.state.is_terminal())
            .map(|l| (l.task.framework_id.clone(), l.task.id.clone()))
            .collect();
        self.finish_tasks(&ended);
        let mut rescan = tokio::time::interval(RESCAN);
        rescan.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        rescan.tick().await;
        loop {
            tokio::select! {
                ev = self.rx.recv() => {
                    let Some(ev) = ev else { break };
                    self.event(ev)?;
                    if self.args.until_done && self.items.iter().all(|i| i.done) {
                        break;
                    }
                }
                _ = rescan.tick() => {
                    self.rescan().await?;
                }
            }
        }
        self.printer.out.flush()?;
        files_common::flush()
    }

    fn event(&mut self, ev: Event) -> Result<()> {
        match ev {
            Event::Data { key, offset, data } => {
                self.printer.data(&self.items, key, offset, &data)?
            }
            Event::Lost { key, message } => {
                let it = &self.items[key];
                crate::output::warn(format!("{}:{}: {message}; retrying", it.task, it.file));
            }
            Event::Back { key, offset } => {
                let it = &self.items[key];
                crate::output::status(format!(
                    "{}:{}: reconnected, resuming at byte {offset}",
                    it.task, it.file
                ));
            }
            Event::Truncated { key } => {
                let it = &self.items[key];
                crate::output::warn(format!(
                    "{}:{}: file truncated; reading it from the start",
                    it.task, it.file
                ));
                if let Some(s) = self.printer.splitters.get_mut(&key) {
                    s.reset();
                }
            }
            Event::Done { key } => {
                self.printer.finish(&self.items, key)?;
                self.items[key].done = true;
            }
        }
        Ok(())
    }

    /// Tell the pollers of these tasks to read what is left and stop.
    fn finish_tasks(&mut self, ended: &[(String, String)]) {
        for it in &self.items {
            if ended
                .iter()
                .any(|(f, t)| *f == it.framework_id && *t == it.task)
            {
                it.handle.finish.store(true, Ordering::Relaxed);
            }
        }
    }

    /// Ask the master for new matching tasks and for tasks that ended.
    async fn rescan(&mut self) -> Result<()> {
        if self.master_failing {
            // The leader may have moved: resolve it again.
            match self.ctx.leader(&self.http).await {
                Ok(l) => self.leader = l,
                Err(_) => return Ok(()),
            }
        }
        let cluster = match tasks::fetch(&self.http, &self.leader, &self.filter).await {
            Ok(c) => {
                if self.master_failing {
                    crate::output::status("master reachable again");
                }
                self.master_failing = false;
                c
            }
            Err(e) => {
                if !self.master_failing {
                    crate::output::warn(format!(
                        "cannot ask the master for tasks: {}; still following",
                        e.message
                    ));
                }
                self.master_failing = true;
                return Ok(());
            }
        };
        // Ended (or forgotten) tasks.
        let states: HashMap<(&str, &str), bool> = cluster
            .tasks
            .iter()
            .map(|t| {
                (
                    (t.framework_id.as_str(), t.id.as_str()),
                    t.state.is_terminal(),
                )
            })
            .collect();
        let ended: Vec<(String, String)> = self
            .items
            .iter()
            .filter(|i| !i.done && !i.handle.finish.load(Ordering::Relaxed))
            .filter(|i| {
                states
                    .get(&(i.framework_id.as_str(), i.task.as_str()))
                    .copied()
                    .unwrap_or(true)
            })
            .map(|i| (i.framework_id.clone(), i.task.clone()))
            .collect();
        self.finish_tasks(&ended);
        // Agents that moved (restarted on another address).
        for it in &self.items {
            if let Some(a) = cluster.agents.get(&it.agent_id) {
                if let Some(base) = &a.base {
                    let cur = it.handle.files.lock().unwrap().base.clone();
                    if cur != *base {
                        *it.handle.files.lock().unwrap() =
                            Arc::new(Files::agent(&self.http, base.clone()));
                    }
                }
            }
        }
        // New matching tasks, including ones that started and ended
        // between two scans (but not tasks that had ended before we began).
        let mut wide = self.filter.clone();
        wide.include_completed = true;
        let fresh: Vec<&crate::wire::Task> = wide
            .select(&cluster)
            .into_iter()
            .filter(|t| {
                let key = (t.framework_id.clone(), t.id.clone());
                !self.known.contains(&key)
                    && (!t.state.is_terminal() || !self.initial.contains(&key))
            })
            .collect();
        if fresh.is_empty() {
            return Ok(());
        }
        let located = tasks::locate(&self.http, &cluster, &fresh, self.args.parallel).await;
        for l in &located {
            if !self.args.quiet {
                crate::output::status(format!("following new task {}", l.label()));
            }
            self.add(l, false).await?;
            if l.task.state.is_terminal() {
                self.finish_tasks(&[(l.task.framework_id.clone(), l.task.id.clone())]);
            }
        }
        Ok(())
    }
}

/// The header text for one item (for tests of the format).
pub fn item_header(task: &str, file: &str) -> String {
    header(task, file)
}
