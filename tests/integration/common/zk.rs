//! A real ZooKeeper server (Debian `zookeeper` package) for tests, and
//! helpers that write master znodes the way a real Mesos master does.
//!
//! The server runs under a tiny `sh` watchdog that holds the read end of a
//! pipe from the test process: when the test binary exits for any reason
//! (even SIGKILL) the pipe closes, and the watchdog kills java and removes
//! the data directory. `Drop` kills it too, so no java process outlives the
//! tests. Readiness is checked with the `ruok` four-letter word.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use zookeeper_client as zkc;

/// How long a JVM may take to start on a loaded machine.
const START_DEADLINE: Duration = Duration::from_secs(60);

const INSTALL_HINT: &str = "install it with `apt-get install -y zookeeper` (needs a Java runtime, e.g. default-jre-headless)";

/// A running standalone ZooKeeper on 127.0.0.1.
pub struct ZkServer {
    pub port: u16,
    /// The `sh` watchdog; java is its child.
    child: Child,
    /// Write end of the watchdog's stdin; closing it stops the server.
    stdin: Option<ChildStdin>,
    /// Pid of the java process.
    java_pid: u32,
    pub dir: tempfile::TempDir,
}

impl ZkServer {
    /// Start a server on a free port and wait until it answers `ruok`.
    pub fn start() -> ZkServer {
        let (java, classpath) = java_and_classpath();
        let mut last_log = String::new();
        // A port picked by `free_port` can be taken by someone else before
        // java binds it: retry with another one.
        for _ in 0..5 {
            match Self::try_start(&java, &classpath) {
                Ok(s) => return s,
                Err(log) => last_log = log,
            }
        }
        panic!("ZooKeeper did not start after 5 attempts; last log:\n{last_log}");
    }

    fn try_start(java: &Path, classpath: &str) -> Result<ZkServer, String> {
        Self::try_start_on(java, classpath, super::free_port())
    }

    /// Kill the server and start a fresh one (empty data: every session and
    /// znode is gone) on the same port, as after losing the whole ensemble.
    /// Clients see a connection loss, then their session expire.
    pub fn restart(&mut self) {
        self.stop();
        let (java, classpath) = java_and_classpath();
        let end = Instant::now() + START_DEADLINE;
        loop {
            match Self::try_start_on(&java, &classpath, self.port) {
                Ok(s) => {
                    *self = s;
                    return;
                }
                // The port may linger for a moment after the kill.
                Err(log) if Instant::now() > end => {
                    panic!(
                        "ZooKeeper did not restart on port {}; log:\n{log}",
                        self.port
                    )
                }
                Err(_) => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }

    // The child is waited for in `stop` (Drop) or on every early return.
    #[allow(clippy::zombie_processes)]
    fn try_start_on(java: &Path, classpath: &str, port: u16) -> Result<ZkServer, String> {
        let dir = tempfile::Builder::new()
            .prefix("mesos-test-zk-")
            .tempdir()
            .expect("tempdir");
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let cfg = dir.path().join("zoo.cfg");
        std::fs::write(
            &cfg,
            format!(
                "tickTime=500\n\
                 initLimit=10\n\
                 syncLimit=5\n\
                 dataDir={}\n\
                 clientPort={port}\n\
                 clientPortAddress=127.0.0.1\n\
                 maxClientCnxns=0\n\
                 admin.enableServer=false\n\
                 4lw.commands.whitelist=*\n\
                 minSessionTimeout=1000\n\
                 maxSessionTimeout=20000\n",
                data.display()
            ),
        )
        .unwrap();
        let log = dir.path().join("zookeeper.log");
        let pidfile = dir.path().join("java.pid");
        // The watchdog: start java, record its pid, wait for EOF on stdin
        // (our end closes on Drop or when the test process dies), then kill
        // java and clean up.
        let script = r#"
            "$ZK_JAVA" -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
                -Dzookeeper.admin.enableServer=false \
                -cp "$ZK_CP" org.apache.zookeeper.server.ZooKeeperServerMain "$ZK_CFG" \
                >"$ZK_LOG" 2>&1 </dev/null &
            jp=$!
            echo "$jp" >"$ZK_PIDFILE"
            trap 'kill -9 "$jp" 2>/dev/null; exit 0' TERM INT HUP
            while read -r _; do :; done
            kill -9 "$jp" 2>/dev/null
            wait "$jp" 2>/dev/null
            rm -rf "$ZK_DIR"
        "#;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .env("ZK_JAVA", java)
            .env("ZK_CP", classpath)
            .env("ZK_CFG", &cfg)
            .env("ZK_LOG", &log)
            .env("ZK_PIDFILE", &pidfile)
            .env("ZK_DIR", dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn sh for ZooKeeper");
        let stdin = child.stdin.take();

        let read_log = || std::fs::read_to_string(&log).unwrap_or_default();
        let end = Instant::now() + START_DEADLINE;
        let mut java_pid = None;
        loop {
            if java_pid.is_none() {
                java_pid = std::fs::read_to_string(&pidfile)
                    .ok()
                    .and_then(|s| s.trim().parse::<u32>().ok());
            }
            if let Some(pid) = java_pid {
                if ruok(port) {
                    return Ok(ZkServer {
                        port,
                        child,
                        stdin,
                        java_pid: pid,
                        dir,
                    });
                }
                if !process_alive(pid) {
                    let text = read_log();
                    drop(stdin);
                    let _ = child.wait();
                    return Err(text);
                }
            }
            if Instant::now() > end {
                drop(stdin);
                let _ = child.wait();
                panic!(
                    "ZooKeeper on 127.0.0.1:{port} did not answer `ruok` within {START_DEADLINE:?}; log:\n{}",
                    read_log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn connect_string(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `zk://127.0.0.1:PORT<path>`.
    pub fn url(&self, path: &str) -> String {
        format!("zk://{}{path}", self.connect_string())
    }

    /// Pid of the java process.
    pub fn pid(&self) -> u32 {
        self.java_pid
    }

    /// Kill the server now (SIGKILL) and wait for it. Idempotent.
    pub fn stop(&mut self) {
        if self.stdin.is_none() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-9", &self.java_pid.to_string()])
            .stderr(Stdio::null())
            .status();
        // EOF makes the watchdog reap java and exit.
        drop(self.stdin.take());
        let _ = self.child.wait();
        let end = Instant::now() + Duration::from_secs(30);
        while process_alive(self.java_pid) && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ZkServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One server shared by every test of this binary. Tests must use their own
/// znode paths (see [`unique_path`]). It is never dropped: the watchdog
/// kills it when the test process exits.
pub fn shared() -> &'static ZkServer {
    static SERVER: OnceLock<ZkServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let server = ZkServer::start();
        // The parent of every unique_path, open to all, so that a test
        // creating its path with credentials does not lock the others out.
        ZkSession::connect(&server.connect_string(), None).ensure_path("/t");
        server
    })
}

/// A fresh znode path for one test, e.g. `/t/leader-change-1234-7`.
pub fn unique_path(name: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "/t/{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// `imok` to `ruok`?
pub fn ruok(port: u16) -> bool {
    let addr = std::net::SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = s.set_write_timeout(Some(Duration::from_secs(5)));
    if s.write_all(b"ruok").is_err() {
        return false;
    }
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.trim() == "imok"
}

/// Alive and not a zombie.
fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // Format: `pid (comm) state ...`; comm may contain spaces.
        Ok(stat) => stat
            .rsplit_once(')')
            .map(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X']))
            .unwrap_or(false),
        Err(_) => false,
    }
}

/// The java binary and the ZooKeeper classpath: the same lookup the
/// managed ZooKeeper of `mesos cluster up` uses (`ZOOKEEPER_CLASSPATH`,
/// `ZOOKEEPER_HOME`, Debian's `/usr/share/java/zookeeper.jar`).
fn java_and_classpath() -> (PathBuf, String) {
    static FOUND: OnceLock<(PathBuf, String)> = OnceLock::new();
    FOUND
        .get_or_init(|| match mesos::cluster::zk::find_install() {
            Ok(i) => (PathBuf::from(&i.java), i.classpath),
            Err(e) => panic!("{} ({INSTALL_HINT})", e.message),
        })
        .clone()
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

// ---------------------------------------------------------------------------
// Writing znodes like a master.

/// A ZooKeeper session (one per simulated master). Ephemeral nodes created
/// through it live as long as it does: [`ZkSession::close`] (or drop) ends
/// the session and ZooKeeper deletes them.
pub struct ZkSession {
    rt: tokio::runtime::Runtime,
    client: Option<zkc::Client>,
    credentials: Option<(String, String)>,
}

impl ZkSession {
    /// Open a session, with digest credentials when given.
    pub fn connect(connect_string: &str, credentials: Option<(&str, &str)>) -> ZkSession {
        // A worker thread keeps the session alive (pings) between calls.
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let client = rt.block_on(async {
            let mut c = zkc::Client::connector().with_session_timeout(Duration::from_secs(20));
            if let Some((u, p)) = credentials {
                c = c.with_auth("digest", format!("{u}:{p}").as_bytes());
            }
            tokio::time::timeout(Duration::from_secs(60), c.connect(connect_string))
                .await
                .expect("timed out connecting to the test ZooKeeper")
                .expect("connect to the test ZooKeeper")
        });
        ZkSession {
            rt,
            client: Some(client),
            credentials: credentials.map(|(u, p)| (u.to_string(), p.to_string())),
        }
    }

    fn client(&self) -> &zkc::Client {
        self.client.as_ref().expect("session already closed")
    }

    /// The ACL a master uses: open without credentials; with credentials
    /// `world:anyone` READ + `auth` ALL.
    fn master_acls(&self) -> Vec<zkc::Acl> {
        if self.credentials.is_some() {
            vec![
                zkc::Acl::new(zkc::Permission::READ, zkc::AuthId::anyone()),
                zkc::Acl::new(zkc::Permission::ALL, zkc::AuthId::authed()),
            ]
        } else {
            zkc::Acls::anyone_all().to_vec()
        }
    }

    /// `mkdir -p` with the master ACL.
    pub fn ensure_path(&self, path: &str) {
        let acls = self.master_acls();
        self.ensure_path_with(path, &acls);
    }

    /// `mkdir -p` with explicit ACLs (e.g. creator-only to test NoAuth).
    pub fn ensure_path_with(&self, path: &str, acls: &[zkc::Acl]) {
        let opts = zkc::CreateMode::Persistent.with_acls(zkc::Acls::new(acls));
        self.block(self.client().mkdir(path, &opts)).expect("mkdir");
    }

    /// Create `<path>/json.info_` EPHEMERAL|SEQUENTIAL holding `info` (the
    /// parent is created first). Returns the full znode path.
    pub fn register_master(&self, path: &str, info: &serde_json::Value) -> String {
        self.ensure_path(path);
        self.create(
            &format!("{path}/json.info_"),
            info.to_string().as_bytes(),
            zkc::CreateMode::EphemeralSequential,
        )
    }

    /// Create any node with the master ACL. For sequential modes `path` is
    /// the prefix (may end with `/`). Returns the full znode path.
    pub fn create(&self, path: &str, data: &[u8], mode: zkc::CreateMode) -> String {
        let acls = self.master_acls();
        self.create_with(path, data, mode, &acls)
    }

    /// Create any node with explicit ACLs. Returns the full znode path.
    pub fn create_with(
        &self,
        path: &str,
        data: &[u8],
        mode: zkc::CreateMode,
        acls: &[zkc::Acl],
    ) -> String {
        let opts = mode.with_acls(zkc::Acls::new(acls));
        let (_, seq) = self
            .block(self.client().create(path, data, &opts))
            .unwrap_or_else(|e| panic!("create {path}: {e}"));
        if matches!(
            mode,
            zkc::CreateMode::EphemeralSequential | zkc::CreateMode::PersistentSequential
        ) {
            format!("{path}{seq}")
        } else {
            path.to_string()
        }
    }

    /// Does `path` exist?
    pub fn exists(&self, path: &str) -> bool {
        self.block(self.client().check_stat(path))
            .expect("check_stat")
            .is_some()
    }

    /// Data of `path` (None when it does not exist).
    pub fn data(&self, path: &str) -> Option<Vec<u8>> {
        match self.block(self.client().get_data(path)) {
            Ok((d, _)) => Some(d),
            Err(zkc::Error::NoNode) => None,
            Err(e) => panic!("get_data {path}: {e}"),
        }
    }

    /// Replace the data of `path` (any version).
    pub fn set_data(&self, path: &str, data: &[u8]) {
        self.block(self.client().set_data(path, data, None))
            .unwrap_or_else(|e| panic!("set_data {path}: {e}"));
    }

    /// Children of `path`.
    pub fn children(&self, path: &str) -> Vec<String> {
        self.block(self.client().list_children(path))
            .expect("list_children")
    }

    fn block<T>(
        &self,
        f: impl std::future::Future<Output = Result<T, zkc::Error>>,
    ) -> Result<T, zkc::Error> {
        self.rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(30), f)
                .await
                .unwrap_or(Err(zkc::Error::Timeout))
        })
    }

    /// End the session (as when a master dies) and wait until the server has
    /// acknowledged it, i.e. its ephemeral nodes are gone.
    pub fn close(mut self) {
        self.close_inner();
    }

    fn close_inner(&mut self) {
        let Some(client) = self.client.take() else {
            return;
        };
        let mut state = client.state_watcher();
        drop(client);
        self.rt.block_on(async {
            let _ = tokio::time::timeout(Duration::from_secs(30), async {
                loop {
                    if matches!(
                        state.changed().await,
                        zkc::SessionState::Closed
                            | zkc::SessionState::Expired
                            | zkc::SessionState::AuthFailed
                    ) {
                        break;
                    }
                }
            })
            .await;
        });
    }
}

impl Drop for ZkSession {
    fn drop(&mut self) {
        self.close_inner();
    }
}

/// MasterInfo JSON as a 1.x master writes it to `json.info_*`.
pub fn master_info_json(id: &str, ip: Ipv4Addr, port: u16, hostname: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "ip": u32::from_le_bytes(ip.octets()),
        "port": port,
        "pid": format!("master@{ip}:{port}"),
        "hostname": hostname,
        "version": "1.11.0",
        "address": {"hostname": hostname, "ip": ip.to_string(), "port": port},
        "capabilities": [{"type": "AGENT_UPDATE"}, {"type": "AGENT_DRAINING"}, {"type": "QUOTA_V2"}],
    })
}

/// Binary protobuf MasterInfo as a 0.23-era master writes it to `info_*`
/// (id=1, ip=2, port=3, pid=4, hostname=5, version=6).
pub fn master_info_protobuf(
    id: &str,
    ip: Ipv4Addr,
    port: u16,
    hostname: &str,
    version: &str,
) -> Vec<u8> {
    fn varint(mut v: u64, out: &mut Vec<u8>) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }
    fn bytes(n: u64, s: &[u8], out: &mut Vec<u8>) {
        varint(n << 3 | 2, out);
        varint(s.len() as u64, out);
        out.extend_from_slice(s);
    }
    let mut out = Vec::new();
    bytes(1, id.as_bytes(), &mut out);
    varint(2 << 3, &mut out);
    varint(u64::from(u32::from_le_bytes(ip.octets())), &mut out);
    varint(3 << 3, &mut out);
    varint(u64::from(port), &mut out);
    bytes(4, format!("master@{ip}:{port}").as_bytes(), &mut out);
    bytes(5, hostname.as_bytes(), &mut out);
    bytes(6, version.as_bytes(), &mut out);
    out
}
