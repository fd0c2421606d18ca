//! The managed ZooKeeper: found in the system installation (Debian's
//! `zookeeper` package, or a tarball under `ZOOKEEPER_HOME`), configured
//! with a generated `zoo.cfg` (and `myid` for ensembles), and run as
//! `java ... org.apache.zookeeper.server.quorum.QuorumPeerMain zoo.cfg`.

use std::path::{Path, PathBuf};

use super::LocalError;
use crate::error::Result;

/// How to get ZooKeeper when it is missing.
pub const INSTALL_HINT: &str = "install it with `sudo apt-get install -y zookeeper` (Debian/Ubuntu; brings a Java runtime), or unpack an Apache ZooKeeper release and set ZOOKEEPER_HOME; or pass --zk zk://HOST:2181/mesos to use a running one";

/// Main class: runs standalone when zoo.cfg has no `server.N` lines.
pub const MAIN_CLASS: &str = "org.apache.zookeeper.server.quorum.QuorumPeerMain";

/// Default ports of an ensemble member: client, peer, leader election.
pub const DEFAULT_CLIENT_PORT: u16 = 2181;
pub const DEFAULT_PEER_PORT: u16 = 2888;
pub const DEFAULT_ELECTION_PORT: u16 = 3888;

/// A usable ZooKeeper installation on this machine.
#[derive(Clone, Debug)]
pub struct Install {
    pub java: PathBuf,
    pub classpath: String,
    /// Where it was found (for messages).
    pub source: String,
}

/// Find `java` and the ZooKeeper classpath on this machine.
///
/// Order: `ZOOKEEPER_CLASSPATH` (used as is), `ZOOKEEPER_HOME` (`lib/*` and
/// the top-level jars of a release), then Debian's `/usr/share/java/zookeeper.jar`
/// whose manifest pulls in its dependencies (plus the CLASSPATH of
/// `/etc/zookeeper/conf/environment`).
pub fn find_install() -> Result<Install> {
    let java = find_java().ok_or(LocalError::NoJava)?;
    if let Ok(cp) = std::env::var("ZOOKEEPER_CLASSPATH") {
        if !cp.trim().is_empty() {
            return Ok(Install {
                java,
                classpath: cp,
                source: "ZOOKEEPER_CLASSPATH".into(),
            });
        }
    }
    if let Some(home) = std::env::var_os("ZOOKEEPER_HOME").filter(|h| !h.is_empty()) {
        let home = PathBuf::from(home);
        let lib = home.join("lib");
        let has_jars = |d: &Path| {
            std::fs::read_dir(d).is_ok_and(|rd| {
                rd.filter_map(|e| e.ok())
                    .any(|e| e.file_name().to_string_lossy().ends_with(".jar"))
            })
        };
        if !has_jars(&lib) && !has_jars(&home) {
            return Err(LocalError::NoZkJars(home).into());
        }
        return Ok(Install {
            java,
            classpath: format!("{}/*:{}/*", lib.display(), home.display()),
            source: format!("ZOOKEEPER_HOME={}", home.display()),
        });
    }
    let jar = [
        "/usr/share/java/zookeeper.jar",
        "/usr/share/zookeeper/zookeeper.jar",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
    .ok_or(LocalError::ZkNotInstalled)?;
    let mut cp = vec![jar.display().to_string()];
    if let Ok(env) = std::fs::read_to_string("/etc/zookeeper/conf/environment") {
        for line in env.lines() {
            if let Some(v) = line.trim().strip_prefix("CLASSPATH=") {
                for part in v.trim_matches('"').split(':') {
                    if part.ends_with(".jar")
                        && Path::new(part).is_file()
                        && !cp.iter().any(|c| c == part)
                    {
                        cp.push(part.to_string());
                    }
                }
            }
        }
    }
    // For packagings without a manifest Class-Path.
    for dep in [
        "zookeeper-jute.jar",
        "slf4j-api.jar",
        "netty-buffer.jar",
        "netty-common.jar",
        "netty-handler.jar",
        "netty-transport.jar",
        "netty-transport-native-epoll.jar",
        "netty-transport-native-unix-common.jar",
        "netty-resolver.jar",
        "netty-codec.jar",
        "metrics-core.jar",
        "commons-cli.jar",
        "commons-io.jar",
        "jline.jar",
    ] {
        let p = format!("/usr/share/java/{dep}");
        if Path::new(&p).is_file() && !cp.contains(&p) {
            cp.push(p);
        }
    }
    Ok(Install {
        java,
        classpath: cp.join(":"),
        source: jar.display().to_string(),
    })
}

fn find_java() -> Option<PathBuf> {
    if let Some(h) = std::env::var_os("JAVA_HOME").filter(|h| !h.is_empty()) {
        let p = PathBuf::from(h).join("bin/java");
        if p.is_file() {
            return Some(p);
        }
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("java"))
        .find(|p| p.is_file())
}

/// One member of an ensemble: `server.<id>=<host>:<peer>:<election>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub id: u32,
    pub host: String,
    pub peer_port: u16,
    pub election_port: u16,
}

/// `zoo.cfg` text. With one member or none it is a standalone server; with
/// more, every member gets a `server.N` line and needs `myid` = N in `data_dir`.
pub fn zoo_cfg(data_dir: &str, client_addr: &str, client_port: u16, members: &[Member]) -> String {
    let mut s = format!(
        "# Generated by `mesos cluster up`.\n\
         tickTime=500\n\
         initLimit=20\n\
         syncLimit=10\n\
         dataDir={data_dir}\n\
         clientPort={client_port}\n\
         clientPortAddress={client_addr}\n\
         maxClientCnxns=0\n\
         admin.enableServer=false\n\
         4lw.commands.whitelist=ruok,srvr,stat,mntr\n\
         minSessionTimeout=1000\n\
         maxSessionTimeout=30000\n\
         autopurge.snapRetainCount=3\n\
         autopurge.purgeInterval=1\n"
    );
    if members.len() > 1 {
        for m in members {
            s.push_str(&format!(
                "server.{}={}:{}:{}\n",
                m.id, m.host, m.peer_port, m.election_port
            ));
        }
    }
    s
}

/// JVM options for a small, fast-starting server.
pub fn jvm_args(classpath: &str, cfg: &str) -> Vec<String> {
    vec![
        "-Xms32m".into(),
        "-Xmx256m".into(),
        "-XX:+UseSerialGC".into(),
        "-XX:TieredStopAtLevel=1".into(),
        "-Dzookeeper.admin.enableServer=false".into(),
        "-Dzookeeper.4lw.commands.whitelist=ruok,srvr,stat,mntr".into(),
        "-cp".into(),
        classpath.into(),
        MAIN_CLASS.into(),
        cfg.into(),
    ]
}

/// POSIX shell that prints `JAVA\tCLASSPATH` for the ZooKeeper installation
/// of a remote host (same search as [`find_install`]), or fails with a
/// message on stderr.
pub const REMOTE_FIND_SCRIPT: &str = r#"
java=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; fi
[ -n "$java" ] || java=$(command -v java 2>/dev/null || true)
if [ -z "$java" ]; then echo "no java found (JAVA_HOME or PATH)" >&2; exit 3; fi
if [ -n "${ZOOKEEPER_CLASSPATH:-}" ]; then cp="$ZOOKEEPER_CLASSPATH"
elif [ -n "${ZOOKEEPER_HOME:-}" ]; then cp="$ZOOKEEPER_HOME/lib/*:$ZOOKEEPER_HOME/*"
elif [ -f /usr/share/java/zookeeper.jar ]; then
  cp=/usr/share/java/zookeeper.jar
  for j in zookeeper-jute slf4j-api netty-buffer netty-common netty-handler netty-transport netty-transport-native-epoll netty-transport-native-unix-common netty-resolver netty-codec metrics-core commons-cli commons-io jline; do
    [ -f "/usr/share/java/$j.jar" ] && cp="$cp:/usr/share/java/$j.jar"
  done
else echo "ZooKeeper is not installed (no /usr/share/java/zookeeper.jar, no ZOOKEEPER_HOME)" >&2; exit 4; fi
printf '%s\t%s\n' "$java" "$cp"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standalone_cfg_has_no_server_lines() {
        let c = zoo_cfg("/d", "127.0.0.1", 2181, &[]);
        assert!(c.contains("dataDir=/d\n"));
        assert!(c.contains("clientPort=2181\n"));
        assert!(c.contains("ruok"));
        assert!(!c.contains("server."));
    }

    #[test]
    fn ensembles_list_every_member() {
        let m = |id, h: &str| Member {
            id,
            host: h.into(),
            peer_port: 2888,
            election_port: 3888,
        };
        let c = zoo_cfg("/d", "0.0.0.0", 2181, &[m(1, "a"), m(2, "b"), m(3, "c")]);
        assert!(
            c.contains("server.1=a:2888:3888\nserver.2=b:2888:3888\nserver.3=c:2888:3888\n"),
            "{c}"
        );
    }

    #[test]
    fn jvm_args_end_with_the_main_class_and_config() {
        let a = jvm_args("cp", "/z/zoo.cfg");
        assert_eq!(&a[a.len() - 2..], [MAIN_CLASS, "/z/zoo.cfg"]);
    }
}
