//! ZooKeeper leader election for the master (`--zk`, docs/wire-notes.md#zookeeper).
//!
//! Each master creates an EPHEMERAL|SEQUENTIAL `<path>/json.info_` node
//! holding its MasterInfo JSON (the parent is created persistent when
//! missing); the contender with the lowest sequence leads, whatever its
//! label (same rules as the CLI's detector, [`crate::leader::zk`]). The
//! children of `<path>` are watched and re-read on every change.
//!
//! As in real Mesos, a leading master that loses its candidacy (session
//! expired, disconnected for longer than the session timeout, its node
//! deleted, or a different leader detected) exits with status 1; a
//! restarted master rejoins as a contender. A follower that loses its
//! session contends again with a fresh session, with backoff. Until a
//! leader is known the master answers leader-only endpoints with 503.

use std::time::Duration;

use tokio::time::Instant;
use zookeeper_client as zkc;

use super::registrar;
use super::state::{now_secs, Leadership, Shared};
use crate::leader::spec::{redact_spec, MasterSpec, ZkUrl};
use crate::leader::zk::{decode_master_info, parse_child, pick_leader};
use crate::wire::MasterInfo;

/// `--zk_session_timeout` default.
const DEFAULT_SESSION_TIMEOUT: Duration = Duration::from_secs(10);
/// First pause before contending again after a failed or lost session.
const BACKOFF_MIN: Duration = Duration::from_millis(500);
/// Longest pause between two attempts.
const BACKOFF_MAX: Duration = Duration::from_secs(10);
/// Node name prefix of a 1.x contender.
const LABEL: &str = "json.info";

/// Start contending in the background. Returns at once: the HTTP server
/// keeps serving (503 on leader-only endpoints) while ZooKeeper is slow or
/// unreachable. Must be called inside the tokio runtime.
pub fn spawn(master: Shared, zk: String) {
    tokio::spawn(async move {
        let url = match load_zk_url(&zk) {
            Ok(u) => u,
            Err(e) => abort(&format!("Failed to create a master contender: {e}")),
        };
        let session_timeout = master
            .flags
            .duration("zk_session_timeout")
            .filter(|d| !d.is_zero())
            .unwrap_or(DEFAULT_SESSION_TIMEOUT);
        let quorum = if master.registrar.persistent() {
            master.flags.int("quorum").unwrap_or(1).max(1) as usize
        } else {
            1
        };
        Contender {
            master,
            url,
            session_timeout,
            quorum,
        }
        .run()
        .await;
    });
}

/// Parse `--zk`: `zk://...`, or `file:///path` whose file holds one.
pub fn load_zk_url(flag: &str) -> Result<ZkUrl, String> {
    let mut spec = flag.trim().to_string();
    // One level of indirection, as in Mesos (a file naming a file is an error).
    if spec.to_ascii_lowercase().starts_with("file://") {
        let path = &spec["file://".len()..];
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read --zk file '{path}': {e}"))?;
        spec = text.trim().to_string();
    }
    match crate::leader::parse_master_spec(&spec, "http") {
        Ok(MasterSpec::Zk(z)) => Ok(z),
        Ok(_) => Err(format!(
            "--zk '{}' is not a zk:// URL (expected zk://host:2181/mesos)",
            redact_spec(&spec)
        )),
        Err(e) => Err(format!("invalid --zk: {}", e.message)),
    }
}

/// The ACL of our nodes: open without credentials; with credentials
/// `world:anyone` READ + `auth` ALL.
pub fn master_acls(authenticated: bool) -> Vec<zkc::Acl> {
    if authenticated {
        vec![
            zkc::Acl::new(zkc::Permission::READ, zkc::AuthId::anyone()),
            zkc::Acl::new(zkc::Permission::ALL, zkc::AuthId::authed()),
        ]
    } else {
        zkc::Acls::anyone_all().to_vec()
    }
}

/// Log and exit(1), as a Mesos master does when it cannot keep its role.
fn abort(why: &str) -> ! {
    crate::error!("{why}");
    std::process::exit(1);
}

struct Contender {
    master: Shared,
    url: ZkUrl,
    session_timeout: Duration,
    /// `--quorum` (1 with the in-memory registry): contenders that must be
    /// present before this master recovers the registry and leads.
    quorum: usize,
}

/// How one session ended (followers only: a leader exits instead).
enum Ended {
    /// Never got to contend (connect, mkdir or create failed).
    Setup(String),
    /// Contended, then lost the session or the node.
    Lost(String),
}

impl Contender {
    async fn run(self) {
        crate::info!(
            "Contending for leadership through ZooKeeper {} (session timeout {})",
            self.url,
            show(self.session_timeout)
        );
        let mut backoff = BACKOFF_MIN;
        loop {
            let ended = self.session().await;
            self.set_unknown();
            match ended {
                Ended::Setup(why) => {
                    crate::warning!(
                        "Cannot contend through ZooKeeper {}: {why}; retrying in {}",
                        self.url,
                        show(backoff)
                    );
                }
                Ended::Lost(why) => {
                    backoff = BACKOFF_MIN;
                    crate::info!(
                        "Lost candidacy as a follower ({why}); attempting to regain it in {}",
                        show(backoff)
                    );
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(BACKOFF_MAX);
        }
    }

    /// One ZooKeeper session: connect, create our node, follow the election
    /// until the session or the node is lost. Dropping the client at the end
    /// closes the session, which removes any node of ours.
    async fn session(&self) -> Ended {
        let client = match self.connect().await {
            Ok(c) => c,
            Err(e) => return Ended::Setup(e),
        };
        let acls = master_acls(self.url.credentials.is_some());
        let path = self.url.path.as_str();
        let op = Duration::from_secs(30).max(self.session_timeout * 2);

        // Only create what is missing: creating an existing node needs the
        // CREATE permission on its parent, which we may not have.
        let exists = match tokio::time::timeout(op, client.check_stat(path)).await {
            Ok(Ok(stat)) => stat.is_some(),
            Ok(Err(e)) => return Ended::Setup(format!("cannot read {path}: {}", describe(&e))),
            Err(_) => return Ended::Setup(format!("reading {path} timed out")),
        };
        let parent = zkc::CreateMode::Persistent.with_acls(zkc::Acls::new(&acls));
        let mkdir = async {
            if exists {
                Ok(())
            } else {
                client.mkdir(path, &parent).await
            }
        };
        match tokio::time::timeout(op, mkdir).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Ended::Setup(format!("cannot create {path}: {}", describe(&e))),
            Err(_) => return Ended::Setup(format!("creating {path} timed out")),
        }

        let data = {
            let st = self.master.lock();
            serde_json::to_vec(&st.info).unwrap_or_default()
        };
        let prefix = format!("{}/{LABEL}_", path.trim_end_matches('/'));
        let mode = zkc::CreateMode::EphemeralSequential.with_acls(zkc::Acls::new(&acls));
        let ours = match tokio::time::timeout(op, client.create(&prefix, &data, &mode)).await {
            Ok(Ok((_, seq))) => format!("{LABEL}_{seq}"),
            // On connection loss the node may exist without us knowing its
            // name: start over with a new session (the old one takes it away).
            Ok(Err(e)) => return Ended::Setup(format!("cannot create {prefix}: {}", describe(&e))),
            Err(_) => return Ended::Setup(format!("creating {prefix} timed out")),
        };
        crate::info!(
            "Created contender znode {}/{ours} in ZooKeeper {}",
            path.trim_end_matches('/'),
            self.url
        );
        Ended::Lost(self.follow(&client, &ours).await)
    }

    async fn connect(&self) -> Result<zkc::Client, String> {
        let mut connector = zkc::Client::connector().with_session_timeout(self.session_timeout);
        if let Some((user, pass)) = &self.url.credentials {
            connector = connector.with_auth("digest", format!("{user}:{pass}").as_bytes());
        }
        // The client gives up on its own after about a session timeout; the
        // outer bound only guards against a hang.
        let limit = self.session_timeout * 2 + Duration::from_secs(5);
        match tokio::time::timeout(limit, connector.connect(&self.url.connect_string())).await {
            Ok(Ok(c)) => {
                crate::info!(
                    "Connected to ZooKeeper {} (session {}, timeout {})",
                    self.url,
                    c.session_id(),
                    show(c.session_timeout())
                );
                Ok(c)
            }
            Ok(Err(zkc::Error::AuthFailed)) => Err(match &self.url.credentials {
                Some((user, _)) => format!("ZooKeeper refused the credentials of user '{user}'"),
                None => "ZooKeeper refused the session (authentication failed)".into(),
            }),
            Ok(Err(e)) => Err(format!("cannot connect: {}", describe(&e))),
            Err(_) => Err(format!("cannot connect within {}", show(limit))),
        }
    }

    /// Watch the children and keep `leadership` up to date. Returns why the
    /// candidacy ended (a leader aborts instead of returning).
    async fn follow(&self, client: &zkc::Client, ours: &str) -> String {
        let path = self.url.path.as_str();
        let mut state = client.state_watcher();
        let mut leading = false;
        // Elected but short of a quorum of contenders: recovery must be
        // done by then (as the replicated log's fetch must).
        let mut waiting: Option<Instant> = None;
        // The leader last logged, to log each change once.
        let mut last: Option<String> = None;
        loop {
            if !is_connected(state.peek_state()) {
                if let Err(why) = self.ride_out(client, &mut state, leading).await {
                    return why;
                }
                continue;
            }
            let (children, watcher) = match client.list_and_watch_children(path).await {
                Ok(v) => v,
                Err(e) if transient(&e) => {
                    self.settle(&mut state).await;
                    continue;
                }
                Err(e) => {
                    return self.lost(leading, &format!("cannot list {path}: {}", describe(&e)))
                }
            };
            if !children.iter().any(|c| c == ours) {
                return self.lost(leading, &format!("our znode {path}/{ours} disappeared"));
            }
            self.read_contenders(client, &children).await;
            // Our node is among them, so there is a leader.
            let Some(leader) = pick_leader(children.iter().map(String::as_str)) else {
                return self.lost(leading, "no contender found");
            };
            if leader.name == ours {
                if !leading {
                    let present = children.iter().filter(|c| parse_child(c).is_some()).count();
                    if present >= self.quorum {
                        self.recover(client).await;
                        leading = true;
                        waiting = None;
                        self.become_leader();
                    } else {
                        let fetch = self.master.registrar.fetch_timeout;
                        let deadline = *waiting.get_or_insert_with(|| {
                            crate::warning!(
                                "Elected, but only {present} of the quorum of {} masters are contending; waiting up to {} before recovering the registry",
                                self.quorum,
                                show(fetch)
                            );
                            self.set_unknown();
                            Instant::now() + fetch
                        });
                        if Instant::now() >= deadline {
                            abort(&format!(
                                "Recovery failed: Failed to recover registrar: no quorum of {} masters within {} ({present} contending)",
                                self.quorum,
                                show(fetch)
                            ));
                        }
                    }
                }
            } else {
                if leading {
                    abort("Lost leadership... committing suicide!");
                }
                let znode = format!("{}/{}", path.trim_end_matches('/'), leader.name);
                match client.get_data(&znode).await {
                    Ok((data, _)) => match decode_master_info(leader.label.as_deref(), &data) {
                        Ok(info) => self.set_following(info, &mut last),
                        Err(why) => {
                            crate::warning!("Failed to detect the leader from {znode}: {why}");
                            self.set_unknown();
                            last = None;
                        }
                    },
                    // Gone between the listing and the read: list again.
                    Err(zkc::Error::NoNode) => continue,
                    Err(e) if transient(&e) => {
                        self.settle(&mut state).await;
                        continue;
                    }
                    Err(e) => {
                        crate::warning!("Failed to read the leader from {znode}: {}", describe(&e));
                        self.set_unknown();
                        last = None;
                    }
                }
            }
            // Wait for the children to change or the session to falter
            // (or, short of a quorum, for the recovery deadline).
            let deadline = waiting.unwrap_or_else(|| Instant::now() + Duration::from_secs(86400));
            tokio::select! {
                _ = watcher.changed() => {}
                _ = state.changed() => {}
                _ = tokio::time::sleep_until(deadline) => {}
            }
        }
    }

    /// The session is not connected: wait up to the session timeout for it
    /// to come back. A leader that cannot get it back aborts (the ensemble
    /// will expire its node and elect someone else).
    async fn ride_out(
        &self,
        client: &zkc::Client,
        state: &mut zkc::StateWatcher,
        leading: bool,
    ) -> Result<(), String> {
        let limit = client.session_timeout().max(self.session_timeout);
        let deadline = Instant::now() + limit;
        let mut warned = false;
        loop {
            match state.peek_state() {
                s if is_connected(s) => {
                    if warned {
                        crate::info!("Reconnected to ZooKeeper {}", self.url);
                    }
                    return Ok(());
                }
                zkc::SessionState::Disconnected => {
                    if !warned {
                        warned = true;
                        crate::warning!(
                            "Disconnected from ZooKeeper {}; waiting up to {} to reconnect",
                            self.url,
                            show(limit)
                        );
                    }
                    if tokio::time::timeout_at(deadline, state.changed())
                        .await
                        .is_err()
                    {
                        return Err(self.lost(
                            leading,
                            &format!(
                                "no connection to ZooKeeper for {} (session timeout)",
                                show(limit)
                            ),
                        ));
                    }
                }
                s => return Err(self.lost(leading, &format!("ZooKeeper session {s}"))),
            }
        }
    }

    /// After a transient error: give the session a moment to report what
    /// happened, so that the next round does not spin.
    async fn settle(&self, state: &mut zkc::StateWatcher) {
        if is_connected(state.peek_state()) {
            let _ = tokio::time::timeout(Duration::from_millis(200), state.changed()).await;
        }
    }

    /// The candidacy is over: a leader aborts, a follower gets the reason.
    fn lost(&self, leading: bool, why: &str) -> String {
        if leading {
            abort(&format!("Lost leadership as the leading master: {why}"));
        }
        why.to_string()
    }

    /// Recover the registry before leading; a master that cannot read and
    /// write it must not lead: it aborts, as a Mesos master does.
    async fn recover(&self, client: &zkc::Client) {
        crate::info!("Elected; recovering the registry before leading");
        // Not the old leader's follower any more, not leading yet: 503.
        self.set_unknown();
        let authenticated = self.url.credentials.is_some();
        if let Err(e) =
            registrar::recover_zk(&self.master, client, &self.url.path, authenticated).await
        {
            abort(&format!(
                "Recovery failed: Failed to recover registrar: {e}"
            ));
        }
    }

    /// Read every contender's MasterInfo into `Master::contenders` (the web
    /// UI lists them: `webui::masters`). Nodes that vanish or do not decode
    /// are left out.
    async fn read_contenders(&self, client: &zkc::Client, children: &[String]) {
        let base = self.url.path.trim_end_matches('/');
        let mut infos = Vec::new();
        for child in children {
            let Some(c) = parse_child(child) else {
                continue;
            };
            if let Ok((data, _)) = client.get_data(&format!("{base}/{child}")).await {
                if let Ok(info) = decode_master_info(c.label.as_deref(), &data) {
                    infos.push(info);
                }
            }
        }
        *self
            .master
            .contenders
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = infos;
    }

    fn become_leader(&self) {
        {
            let mut st = self.master.lock();
            st.leadership = Leadership::Leading;
            st.elected_time = Some(now_secs());
        }
        crate::info!("Elected as the leading master!");
        self.master.allocate.notify_one();
    }

    fn set_following(&self, info: MasterInfo, last: &mut Option<String>) {
        let key = format!("{:?}|{:?}", info.id, info.pid);
        if last.as_deref() != Some(key.as_str()) {
            let pid = info.pid.clone().unwrap_or_else(|| {
                format!(
                    "master@{}:{}",
                    info.ip_string().unwrap_or_default(),
                    info.port_number().unwrap_or(5050)
                )
            });
            crate::info!(
                "The newly elected leader is {pid} with id {}",
                info.id.as_deref().unwrap_or("(unknown)")
            );
            *last = Some(key);
        }
        self.master.lock().leadership = Leadership::Following(Box::new(info));
    }

    fn set_unknown(&self) {
        let mut st = self.master.lock();
        if !matches!(st.leadership, Leadership::Unknown) {
            st.leadership = Leadership::Unknown;
            drop(st);
            crate::info!("No master is currently elected");
        }
    }
}

/// A duration as Mesos flags write it (`10secs`).
fn show(d: Duration) -> String {
    crate::duration::format_mesos_duration(d)
}

fn is_connected(s: zkc::SessionState) -> bool {
    matches!(
        s,
        zkc::SessionState::SyncConnected | zkc::SessionState::ConnectedReadOnly
    )
}

/// Errors that a reconnection of the same session may cure.
fn transient(e: &zkc::Error) -> bool {
    matches!(e, zkc::Error::ConnectionLoss | zkc::Error::Timeout)
}

/// A ZooKeeper error in words (shared with the Marathon election).
pub(crate) fn describe(e: &zkc::Error) -> String {
    match e {
        zkc::Error::NoAuth => "not authorized (check the credentials in the zk:// URL)".into(),
        zkc::Error::NoNode => "a parent znode does not exist".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zk_flag_forms() {
        let z = load_zk_url(" zk://u:p@h1:2181,h2:2182/a/mesos/ ").unwrap();
        assert_eq!(z.hosts, ["h1:2181", "h2:2182"]);
        assert_eq!(z.path, "/a/mesos");
        assert_eq!(z.credentials, Some(("u".into(), "p".into())));

        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("zk");
        std::fs::write(&f, "zk://h:2181/mesos\n").unwrap();
        let z = load_zk_url(&format!("file://{}", f.display())).unwrap();
        assert_eq!(z.path, "/mesos");

        let e = load_zk_url("h:5050").unwrap_err();
        assert!(e.contains("not a zk:// URL"), "{e}");
        let e = load_zk_url("file:///nonexistent/zk").unwrap_err();
        assert!(e.contains("cannot read"), "{e}");
        std::fs::write(&f, "zk://u:hunter2@/mesos").unwrap();
        let e = load_zk_url(&format!("file://{}", f.display())).unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn acls() {
        assert_eq!(master_acls(false), zkc::Acls::anyone_all().to_vec());
        let a = master_acls(true);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].permission(), zkc::Permission::READ);
        assert_eq!(a[1].permission(), zkc::Permission::ALL);
    }
}
