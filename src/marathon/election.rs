//! Leader election among several `mesos marathon` instances, compatible
//! with Marathon's Curator `LeaderLatch` (docs/marathon.md, "Leader
//! election").
//!
//! Each participant creates an EPHEMERAL|SEQUENTIAL node
//! `<zk path>/leader-curator/_c_<uuid>-latch-<seq>` holding its id
//! (`host:port`); the node with the lowest sequence number leads, and its
//! data names the leader. Real Marathon instances on the same path take
//! part in the same election and read the same leader.
//!
//! The children of the latch are watched, so [`Leadership`] follows every
//! change. A participant steps down (`leading: false`, leader unknown) as
//! soon as its connection is suspended, and is back once it reconnects with
//! the same session (its node survived) or joins again with a new session
//! (at the back of the queue) after the old one expired. [`Election::abdicate`]
//! deletes its node and joins again at the back.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};
use zookeeper_client as zkc;

use crate::leader::spec::ZkUrl;
use crate::master::contender::describe;

/// Who leads, as seen by this participant.
#[derive(Clone, Debug, PartialEq)]
pub struct Leadership {
    /// This participant leads.
    pub leading: bool,
    /// `host:port` of the leader, when known.
    pub leader: Option<String>,
}

impl Leadership {
    fn unknown() -> Leadership {
        Leadership {
            leading: false,
            leader: None,
        }
    }
}

/// The latch directory under the `--zk` path, as Marathon names it.
pub const LATCH_DIR: &str = "leader-curator";
/// Marker between the protected-mode prefix and the sequence number.
const LATCH_MARK: &str = "-latch-";
const SESSION_TIMEOUT: Duration = Duration::from_secs(10);
const OP_TIMEOUT: Duration = Duration::from_secs(30);
const BACKOFF_MIN: Duration = Duration::from_millis(500);
const BACKOFF_MAX: Duration = Duration::from_secs(10);

enum Cmd {
    Abdicate(oneshot::Sender<Result<(), String>>),
    Stop(oneshot::Sender<()>),
}

/// A running election. Dropping the handle does not stop it.
pub struct Election {
    rx: watch::Receiver<Leadership>,
    cmd: mpsc::UnboundedSender<Cmd>,
}

/// Take part in the election and follow it; the receiver always holds the
/// current [`Leadership`]. With `zk` `None` (no `--zk`, or HA disabled)
/// this participant always leads. Must be called inside the tokio runtime.
pub fn spawn(zk: Option<String>, me: String) -> watch::Receiver<Leadership> {
    start(zk, me).subscribe()
}

/// [`spawn`], keeping a handle for [`Election::abdicate`] and
/// [`Election::stop`].
pub fn start(zk: Option<String>, me: String) -> Election {
    start_with(zk, me, SESSION_TIMEOUT)
}

/// [`start`] with an explicit ZooKeeper session timeout.
pub fn start_with(zk: Option<String>, me: String, session_timeout: Duration) -> Election {
    let (cmd, cmds) = mpsc::unbounded_channel();
    let Some(flag) = zk else {
        let (tx, rx) = watch::channel(Leadership {
            leading: true,
            leader: Some(me),
        });
        tokio::spawn(standalone(tx, cmds));
        return Election { rx, cmd };
    };
    let (tx, rx) = watch::channel(Leadership::unknown());
    match crate::master::contender::load_zk_url(&flag) {
        Ok(url) => {
            let p = Participant {
                url,
                me,
                tx,
                session_timeout,
            };
            tokio::spawn(p.run(cmds));
        }
        Err(e) => {
            crate::error!("Cannot take part in the leader election: {e}");
            tokio::spawn(standalone_follower(tx, cmds));
        }
    }
    Election { rx, cmd }
}

impl Election {
    /// A receiver of the current [`Leadership`].
    pub fn subscribe(&self) -> watch::Receiver<Leadership> {
        self.rx.clone()
    }

    /// The current [`Leadership`].
    pub fn current(&self) -> Leadership {
        self.rx.borrow().clone()
    }

    /// Give up leadership (`DELETE /v2/leader`): delete our node and join
    /// again at the back of the queue. Without ZooKeeper there is no one
    /// else to lead, so this changes nothing.
    pub async fn abdicate(&self) -> Result<(), String> {
        let (tx, rx) = oneshot::channel();
        self.cmd
            .send(Cmd::Abdicate(tx))
            .map_err(|_| "the leader election has stopped".to_string())?;
        rx.await
            .unwrap_or_else(|_| Err("the leader election has stopped".into()))
    }

    /// Leave the election: delete our node, close the session. Leadership
    /// becomes `{leading: false, leader: None}`.
    pub async fn stop(self) {
        let (tx, rx) = oneshot::channel();
        if self.cmd.send(Cmd::Stop(tx)).is_ok() {
            let _ = rx.await;
        }
    }
}

/// No ZooKeeper: always leading; abdication is a no-op.
async fn standalone(tx: watch::Sender<Leadership>, mut cmds: mpsc::UnboundedReceiver<Cmd>) {
    while let Some(cmd) = cmds.recv().await {
        match cmd {
            Cmd::Abdicate(reply) => {
                let _ = reply.send(Ok(()));
            }
            Cmd::Stop(reply) => {
                tx.send_replace(Leadership::unknown());
                let _ = reply.send(());
                return;
            }
        }
    }
    // Handle dropped: keep the sender (and so the leadership) alive.
    tx.closed().await;
}

/// A `--zk` that cannot be parsed: never leading, answer commands.
async fn standalone_follower(
    tx: watch::Sender<Leadership>,
    mut cmds: mpsc::UnboundedReceiver<Cmd>,
) {
    while let Some(cmd) = cmds.recv().await {
        match cmd {
            Cmd::Abdicate(reply) => {
                let _ = reply.send(Err("not taking part in the leader election".into()));
            }
            Cmd::Stop(reply) => {
                let _ = reply.send(());
                return;
            }
        }
    }
    tx.closed().await;
}

struct Participant {
    url: ZkUrl,
    me: String,
    tx: watch::Sender<Leadership>,
    session_timeout: Duration,
}

/// How a session ended.
enum Ended {
    /// `stop()` was called.
    Stopped,
    /// Could not set up, or lost the session: try again.
    Lost(String),
}

/// The next command, or never once the handle is gone.
async fn next_cmd(cmds: &mut Option<mpsc::UnboundedReceiver<Cmd>>) -> Cmd {
    if let Some(rx) = cmds.as_mut() {
        if let Some(c) = rx.recv().await {
            return c;
        }
        *cmds = None;
    }
    std::future::pending().await
}

impl Participant {
    fn latch_dir(&self) -> String {
        format!("{}/{LATCH_DIR}", self.url.path.trim_end_matches('/'))
    }

    fn publish(&self, l: Leadership) {
        self.tx.send_if_modified(|cur| {
            if *cur == l {
                return false;
            }
            if l.leading {
                crate::info!("Elected as the leading scheduler ({})", self.me);
            } else if cur.leading {
                crate::warning!("No longer the leading scheduler");
            }
            if !l.leading && l.leader != cur.leader {
                if let Some(leader) = &l.leader {
                    crate::info!("The leading scheduler is {leader}");
                }
            }
            *cur = l;
            true
        });
    }

    async fn run(self, cmds: mpsc::UnboundedReceiver<Cmd>) {
        crate::info!(
            "Taking part in the leader election at {}/{LATCH_DIR} as {}",
            self.url,
            self.me
        );
        let mut cmds = Some(cmds);
        let mut backoff = BACKOFF_MIN;
        loop {
            match self.session(&mut cmds).await {
                Ended::Stopped => {
                    self.publish(Leadership::unknown());
                    return;
                }
                Ended::Lost(why) => {
                    self.publish(Leadership::unknown());
                    crate::warning!(
                        "Leader election through ZooKeeper {}: {why}; joining again in {}ms",
                        self.url,
                        backoff.as_millis()
                    );
                }
            }
            // Wait out the backoff, still answering commands.
            let pause = tokio::time::sleep(backoff);
            tokio::pin!(pause);
            loop {
                tokio::select! {
                    _ = &mut pause => break,
                    cmd = next_cmd(&mut cmds) => match cmd {
                        Cmd::Abdicate(reply) => {
                            let _ = reply.send(Ok(()));
                        }
                        Cmd::Stop(reply) => {
                            self.publish(Leadership::unknown());
                            let _ = reply.send(());
                            return;
                        }
                    },
                }
            }
            backoff = (backoff * 2).min(BACKOFF_MAX);
        }
    }

    async fn connect(&self) -> Result<zkc::Client, String> {
        let mut connector = zkc::Client::connector().with_session_timeout(self.session_timeout);
        if let Some((user, pass)) = &self.url.credentials {
            connector = connector.with_auth("digest", format!("{user}:{pass}").as_bytes());
        }
        let limit = self.session_timeout * 2 + Duration::from_secs(5);
        match tokio::time::timeout(limit, connector.connect(&self.url.connect_string())).await {
            Ok(Ok(c)) => Ok(c),
            Ok(Err(zkc::Error::AuthFailed)) => Err(match &self.url.credentials {
                Some((user, _)) => format!("ZooKeeper refused the credentials of user '{user}'"),
                None => "ZooKeeper refused the session (authentication failed)".into(),
            }),
            Ok(Err(e)) => Err(format!("cannot connect: {}", describe(&e))),
            Err(_) => Err(format!("cannot connect within {}s", limit.as_secs())),
        }
    }

    /// Create our latch node; returns its name.
    async fn join(&self, client: &zkc::Client) -> Result<String, String> {
        let dir = self.latch_dir();
        let acls = crate::master::contender::master_acls(self.url.credentials.is_some());
        let parent = zkc::CreateMode::Persistent.with_acls(zkc::Acls::new(&acls));
        match tokio::time::timeout(OP_TIMEOUT, client.mkdir(&dir, &parent)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(format!("cannot create {dir}: {}", describe(&e))),
            Err(_) => return Err(format!("creating {dir} timed out")),
        }
        let prefix = format!("_c_{}{LATCH_MARK}", uuid::Uuid::new_v4().hyphenated());
        let path = format!("{dir}/{prefix}");
        let mode = zkc::CreateMode::EphemeralSequential.with_acls(zkc::Acls::new(&acls));
        // On a connection loss the node may exist without us knowing its
        // name: the caller starts over with a new session (closing this one
        // removes it).
        match tokio::time::timeout(OP_TIMEOUT, client.create(&path, self.me.as_bytes(), &mode))
            .await
        {
            Ok(Ok((_, seq))) => Ok(format!("{prefix}{seq}")),
            Ok(Err(e)) => Err(format!("cannot create {path}: {}", describe(&e))),
            Err(_) => Err(format!("creating {path} timed out")),
        }
    }

    async fn session(&self, cmds: &mut Option<mpsc::UnboundedReceiver<Cmd>>) -> Ended {
        let client = match self.connect().await {
            Ok(c) => c,
            Err(e) => return Ended::Lost(e),
        };
        let dir = self.latch_dir();
        let mut ours = match self.join(&client).await {
            Ok(n) => n,
            Err(e) => return Ended::Lost(e),
        };
        crate::info!("Joined the leader election as {dir}/{ours}");
        let mut state = client.state_watcher();
        loop {
            // Suspended: step down at once, wait for the session to come
            // back (or to end).
            let s = state.peek_state();
            if s.is_terminated() {
                return Ended::Lost(format!("ZooKeeper session {s}"));
            }
            if !is_connected(s) {
                self.publish(Leadership::unknown());
                tokio::select! {
                    _ = state.changed() => continue,
                    cmd = next_cmd(cmds) => match cmd {
                        Cmd::Abdicate(reply) => {
                            // Not leading now; the node goes with the session
                            // or is replaced once we are back.
                            let _ = reply.send(Err("not connected to ZooKeeper".into()));
                            continue;
                        }
                        Cmd::Stop(reply) => {
                            drop(client);
                            let _ = reply.send(());
                            return Ended::Stopped;
                        }
                    },
                }
            }
            let (children, watcher) = match client.list_and_watch_children(&dir).await {
                Ok(v) => v,
                Err(e) if transient(&e) => {
                    settle(&mut state).await;
                    continue;
                }
                Err(e) => return Ended::Lost(format!("cannot list {dir}: {}", describe(&e))),
            };
            let order = latch_order(&children);
            if !order.iter().any(|c| *c == ours) {
                // Someone deleted our node: join again at the back.
                crate::warning!("Our election node {dir}/{ours} disappeared; joining again");
                ours = match self.join(&client).await {
                    Ok(n) => n,
                    Err(e) => return Ended::Lost(e),
                };
                continue;
            }
            let first = order[0];
            if first == ours {
                self.publish(Leadership {
                    leading: true,
                    leader: Some(self.me.clone()),
                });
            } else {
                match client.get_data(&format!("{dir}/{first}")).await {
                    Ok((data, _)) => self.publish(Leadership {
                        leading: false,
                        leader: Some(String::from_utf8_lossy(&data).trim().to_string())
                            .filter(|s| !s.is_empty()),
                    }),
                    // Gone between the listing and the read: list again.
                    Err(zkc::Error::NoNode) => continue,
                    Err(e) if transient(&e) => {
                        settle(&mut state).await;
                        continue;
                    }
                    Err(e) => {
                        return Ended::Lost(format!("cannot read {dir}/{first}: {}", describe(&e)))
                    }
                }
            }
            tokio::select! {
                _ = watcher.changed() => {}
                _ = state.changed() => {}
                cmd = next_cmd(cmds) => match cmd {
                    Cmd::Abdicate(reply) => {
                        let result = self.abdicate(&client, &mut ours).await;
                        let lost = result.is_err();
                        let _ = reply.send(result.clone());
                        if lost {
                            return Ended::Lost(result.unwrap_err());
                        }
                    }
                    Cmd::Stop(reply) => {
                        let _ = tokio::time::timeout(
                            OP_TIMEOUT,
                            client.delete(&format!("{dir}/{ours}"), None),
                        )
                        .await;
                        drop(client);
                        let _ = reply.send(());
                        return Ended::Stopped;
                    }
                },
            }
        }
    }

    /// Delete our node and create a new one, at the back of the queue.
    async fn abdicate(&self, client: &zkc::Client, ours: &mut String) -> Result<(), String> {
        let node = format!("{}/{ours}", self.latch_dir());
        let was_leading = self.tx.borrow().leading;
        self.publish(Leadership::unknown());
        match tokio::time::timeout(OP_TIMEOUT, client.delete(&node, None)).await {
            Ok(Ok(())) | Ok(Err(zkc::Error::NoNode)) => {}
            Ok(Err(e)) => return Err(format!("cannot delete {node}: {}", describe(&e))),
            Err(_) => return Err(format!("deleting {node} timed out")),
        }
        if was_leading {
            crate::info!("Abdicated leadership; joining the election again");
        }
        *ours = self.join(client).await?;
        Ok(())
    }
}

/// Latch node names in election order (lowest sequence number first);
/// other children are ignored.
pub fn latch_order(children: &[String]) -> Vec<&str> {
    let mut nodes: Vec<(i64, &str)> = children
        .iter()
        .filter_map(|c| {
            let (_, seq) = c.rsplit_once(LATCH_MARK)?;
            Some((seq.parse::<i64>().ok()?, c.as_str()))
        })
        .collect();
    nodes.sort();
    nodes.into_iter().map(|(_, n)| n).collect()
}

fn is_connected(s: zkc::SessionState) -> bool {
    matches!(
        s,
        zkc::SessionState::SyncConnected | zkc::SessionState::ConnectedReadOnly
    )
}

fn transient(e: &zkc::Error) -> bool {
    matches!(e, zkc::Error::ConnectionLoss | zkc::Error::Timeout)
}

/// After a transient error: give the session a moment to report what
/// happened, so that the next round does not spin.
async fn settle(state: &mut zkc::StateWatcher) {
    let _ = tokio::time::timeout(Duration::from_millis(200), state.changed()).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latch_order_follows_the_sequence_number_not_the_prefix() {
        let children: Vec<String> = [
            "_c_ffff-latch-0000000003",
            "_c_0000-latch-0000000010",
            "_c_aaaa-latch-0000000001",
            "member_-0000000000",
            "_c_bbbb-latch-junk",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            latch_order(&children),
            [
                "_c_aaaa-latch-0000000001",
                "_c_ffff-latch-0000000003",
                "_c_0000-latch-0000000010"
            ]
        );
        assert!(latch_order(&[]).is_empty());
    }

    #[tokio::test]
    async fn without_zookeeper_always_leading() {
        let e = start(None, "h:8080".into());
        let want = Leadership {
            leading: true,
            leader: Some("h:8080".into()),
        };
        assert_eq!(e.current(), want);
        e.abdicate().await.unwrap();
        assert_eq!(e.current(), want);
        let rx = e.subscribe();
        e.stop().await;
        assert_eq!(*rx.borrow(), Leadership::unknown());
        // spawn() keeps leading after its handle is gone.
        let rx = spawn(None, "h:1".into());
        tokio::task::yield_now().await;
        assert!(rx.borrow().leading);
    }

    #[tokio::test]
    async fn a_bad_zk_url_never_leads() {
        let e = start(Some("h:2181".into()), "h:8080".into());
        assert_eq!(e.current(), Leadership::unknown());
        assert!(e.abdicate().await.is_err());
    }
}
