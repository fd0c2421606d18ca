//! Unit tests of `error.rs`: the exit code of every typed module error.

use super::*;

#[test]
fn exit_codes_follow_the_convention() {
    assert_eq!(Error::failed("x").exit_code(), 1);
    assert_eq!(Error::usage("x").exit_code(), 2);
    assert_eq!(Error::partial("x").exit_code(), 3);
    assert_eq!(Error::not_found("x").exit_code(), 4);
    assert_eq!(Error::timeout("x").exit_code(), 124);
}

/// Each typed module error gets its exit code here; the messages are
/// the ones users saw before the errors were typed.
#[test]
fn typed_module_errors_map_to_exit_codes() {
    use crate::http::HttpError;
    use reqwest::{StatusCode, Url};
    let url = Url::parse("http://m:5050/master/state").unwrap();
    let e: Error = HttpError::Timeout {
        url: url.clone(),
        timeout: std::time::Duration::from_secs(5),
    }
    .into();
    assert_eq!(
        (e.exit_code(), e.message.as_str()),
        (124, "http://m:5050/master/state: no answer within 5s")
    );
    let status = |s: u16, body: &[u8]| {
        crate::http::status_error(&url, StatusCode::from_u16(s).unwrap(), body)
    };
    let e = status(404, b"");
    assert_eq!(
        (e.exit_code(), e.message.as_str(), e.hint.as_deref()),
        (
            4,
            "http://m:5050/master/state answered HTTP 404 Not Found",
            None
        )
    );
    let e = status(401, b"no\n");
    assert_eq!(e.exit_code(), 1);
    assert_eq!(
        e.message,
        "http://m:5050/master/state answered HTTP 401 Unauthorized: no"
    );
    assert!(e.hint.unwrap().starts_with("pass --principal"));
    assert_eq!(
        status(403, b"").hint.as_deref(),
        Some("the principal is not authorized for this endpoint")
    );
    let e = status(500, b"boom");
    assert_eq!(e.exit_code(), 1);
    let e = crate::http::decode_json::<u8>(&url, StatusCode::OK, b"").unwrap_err();
    assert_eq!(
        (e.exit_code(), e.message.as_str()),
        (
            1,
            "http://m:5050/master/state answered HTTP 200 OK with an empty body:"
        )
    );
    let e: Error = crate::remote::ssh_config::SshConfigError::SshMissing {
        path: "/h/.ssh/config".into(),
        host: "a".into(),
        ssh: "ssh".into(),
    }
    .into();
    assert_eq!(e.exit_code(), 1);
    assert!(e.hint.is_some());
}

/// `LeaderError`: not found -> 4, all timed out -> 124, malformed
/// file:// master -> 2, unreachable/refused -> 1; wording unchanged.
#[test]
fn leader_errors_map_to_exit_codes() {
    use crate::leader::{LeaderError as L, MasterSpec};
    let MasterSpec::Zk(zk) =
        crate::leader::parse_master_spec("zk://u:pw@z1:2181/mesos", "http").unwrap()
    else {
        panic!("not zk")
    };
    let code = |e: L| {
        let e: Error = e.into();
        (e.exit_code(), e.message, e.hint)
    };
    let (c, m, _) = code(L::NoContender {
        path: "/mesos".into(),
        zk: zk.to_string(),
        detail: "it has no children".into(),
    });
    assert_eq!(c, 4);
    assert_eq!(
        m,
        "no master is registered under /mesos in zk://u:***@z1:2181/mesos (it has no children)"
    );
    assert!(!m.contains("pw"));
    let (c, m, h) = code(L::AllTimedOut {
        masters: 2,
        detail: "a: x; b: y".into(),
    });
    assert_eq!(
        (c, m.as_str()),
        (124, "no leading master found among 2 masters: a: x; b: y")
    );
    assert!(h.unwrap().starts_with("check --master"));
    let (c, m, _) = code(L::NoLeadingMaster {
        masters: 1,
        detail: "m:5050: standby".into(),
    });
    assert_eq!(
        (c, m.as_str()),
        (1, "no leading master found: m:5050: standby")
    );
    let (c, m, _) = code(L::NoAnswerWithin(std::time::Duration::from_secs(2)));
    assert_eq!((c, m.as_str()), (124, "no answer within 2s"));
    let (c, m, _) = code(L::SpecFileChain(16));
    assert_eq!(
        (c, m.as_str()),
        (2, "--master file:// chain is deeper than 16 files")
    );
    let (c, m, _) = code(L::SpecFileEmpty("/tmp/m".into()));
    assert_eq!(
        (c, m.as_str()),
        (
            2,
            "--master file:///tmp/m is empty (it should hold host:port, a URL or zk://...)"
        )
    );
    let (c, m, h) = code(L::LeaderDown {
        zk: zk.to_string(),
        report: "tried m1:5050 (connection refused)".into(),
    });
    assert_eq!(c, 1);
    assert!(m.ends_with("names a leader that is down: tried m1:5050 (connection refused)"));
    assert!(h.unwrap().contains("session expires"));
    let (c, _, _) = code(L::ZkUnreachable {
        zk: zk.to_string(),
        within: "2s".into(),
        tried: "z1:2181 (connection refused)".into(),
    });
    assert_eq!(c, 1);
    let (c, m, h) = code(L::ZkNeedsCredentials {
        zk: zk.to_string(),
        znode: "/mesos".into(),
    });
    assert_eq!(c, 1);
    assert!(m.ends_with("does not allow reading /mesos without credentials"));
    assert!(h.is_some());
}

/// `TasksError`: bad selection flags -> 2, nothing or several match
/// -> 4, the rest -> 1; wording and hints unchanged.
#[test]
fn tasks_errors_map_to_exit_codes() {
    use crate::tasks::TasksError as T;
    let code = |e: T| {
        let e: Error = e.into();
        (e.exit_code(), e.message, e.hint)
    };
    assert_eq!(
        code(T::RegexWithoutPattern),
        (2, "--regex needs a TASK pattern".into(), None)
    );
    let (c, m, _) = code(T::BadState("runing".into()));
    assert_eq!(c, 2);
    assert!(m.starts_with("--state 'runing' is not a task state (running, staging,"));
    assert_eq!(
        code(T::LabelWithoutKey("=v".into())),
        (2, "--label '=v' has no key (use KEY=VALUE)".into(), None)
    );
    assert_eq!(
        code(T::NoMatch {
            filter: "'web'".into(),
            completed_hidden: true
        }),
        (
            4,
            "no task matches 'web'".into(),
            Some("add -i to include completed tasks".into())
        )
    );
    assert_eq!(
        code(T::NoMatch {
            filter: "'web'".into(),
            completed_hidden: false
        })
        .2,
        None
    );
    let (c, m, h) = code(T::Ambiguous {
        count: 2,
        what: "cat".into(),
        candidates: "a  web  h1  R; b  web  h2  R".into(),
    });
    assert_eq!(
        (c, m.as_str()),
        (
            4,
            "2 tasks match, cat needs one: a  web  h1  R; b  web  h2  R"
        )
    );
    assert!(h.unwrap().starts_with("give the full task id"));
    assert_eq!(code(T::NoneChosen).0, 1);
    assert_eq!(
        code(T::NoSandbox {
            task: "t1".into(),
            problem: Some("agent gone".into())
        }),
        (1, "task t1: no sandbox found (agent gone)".into(), None)
    );
    assert_eq!(
        code(T::NoSandbox {
            task: "t1".into(),
            problem: None
        })
        .1,
        "task t1: no sandbox found"
    );
    assert_eq!(
        code(T::AgentUnknown {
            task: "t1".into(),
            agent: "S0".into()
        }),
        (
            1,
            "task t1: its agent S0 is not known to the master".into(),
            None
        )
    );
}

/// `RemoteError`: bad flags -> 2, agent selection -> 4, some hosts
/// failed -> 3, the rest -> 1; wording and hints unchanged.
#[test]
fn remote_errors_map_to_exit_codes() {
    use crate::remote::RemoteError as R;
    let code = |e: R| {
        let e: Error = e.into();
        (e.exit_code(), e.message, e.hint)
    };
    assert_eq!(
        code(R::AttributeWithoutName(":x".into())),
        (
            2,
            "--attribute ':x' has no name (use NAME:VALUE)".into(),
            None
        )
    );
    assert_eq!(
        code(R::BadName {
            what: "--user".into(),
            value: "-l\n".into()
        })
        .0,
        2
    );
    assert_eq!(code(R::BadJump("-x".into())).1, "--jump '-x' is not a host");
    assert_eq!(
        code(R::NoAgentMatches("h9".into())),
        (
            4,
            "no agent matches 'h9'".into(),
            Some("list them with `mesos agents`".into())
        )
    );
    assert_eq!(
        code(R::NoAgents {
            by_attribute: false
        })
        .2,
        None
    );
    assert_eq!(
        code(R::NoneSelected { by_attribute: true }),
        (
            4,
            "no agent matches the selection".into(),
            Some("see the agents' attributes with `mesos agents`".into())
        )
    );
    let (c, m, h) = code(R::AmbiguousAgent {
        count: 2,
        query: "h".into(),
        candidates: "S0  h1  -; S1  h2  -".into(),
    });
    assert_eq!(
        (c, m.as_str()),
        (4, "2 agents match 'h', one is needed: S0  h1  -; S1  h2  -")
    );
    assert!(h.is_some());
    assert_eq!(
        code(R::SomeHostsFailed {
            what: "scp".into(),
            failed: 1,
            total: 2,
            hosts: "h2 (host key)".into(),
            hint: Some("check known_hosts".into()),
        }),
        (
            3,
            "scp failed on 1 of 2 hosts: h2 (host key)".into(),
            Some("check known_hosts".into())
        )
    );
    assert_eq!(
        code(R::HostileHost("-oProxyCommand=x".into())).1,
        "refusing the host name '-oProxyCommand=x': not a valid host name"
    );
    assert_eq!(code(R::SshNotInstalled).0, 1);
}

/// `SchedulerError`: every variant is a failure (exit 1).
#[test]
fn scheduler_errors_map_to_exit_codes() {
    use crate::scheduler_client::SchedulerError as S;
    use reqwest::Url;
    let url = Url::parse("http://m:5050/api/v1/scheduler").unwrap();
    let e: Error = S::ClosedBeforeSubscribed(url.clone()).into();
    assert_eq!(
        (e.exit_code(), e.message.as_str()),
        (
            1,
            "http://m:5050/api/v1/scheduler closed the subscription before SUBSCRIBED"
        )
    );
    let e: Error = S::Refused("bad role".into()).into();
    assert_eq!(
        (e.exit_code(), e.message.as_str()),
        (1, "the master refused the subscription: bad role")
    );
    let e: Error = S::UnexpectedFirstEvent {
        url,
        got: "HEARTBEAT".into(),
    }
    .into();
    assert_eq!(
        e.message,
        "http://m:5050/api/v1/scheduler: expected SUBSCRIBED, got HEARTBEAT"
    );
}

/// `cluster::StateError`: bad name or master count -> 2, the state
/// file and data dir -> 1; wording and hints unchanged.
#[test]
fn cluster_state_errors_map_to_exit_codes() {
    use crate::cluster::StateError as S;
    let code = |e: S| {
        let e: Error = e.into();
        (e.exit_code(), e.message, e.hint)
    };
    assert_eq!(
        code(S::NoMasters),
        (2, "--masters must be at least 1".into(), None)
    );
    let (c, m, h) = code(S::EvenMasters { n: 4 });
    assert_eq!(
        (c, m.as_str()),
        (
            2,
            "--masters 4 is even: use an odd number of masters (3 or 5)"
        )
    );
    assert_eq!(
        h.as_deref(),
        Some("the quorum of 4 masters is 3, so 4 masters survive only 1 failure(s), like 3; an odd count avoids split votes")
    );
    assert_eq!(code(S::BadName("-x".into())).0, 2);
    let (c, m, h) = code(S::NewerFormat {
        path: "/d/cluster.json".into(),
        found: 9,
        known: 1,
    });
    assert_eq!(
        (c, m.as_str()),
        (
            1,
            "cluster state /d/cluster.json has format version 9 (this mesos knows 1)"
        )
    );
    assert_eq!(
        h.as_deref(),
        Some("use the newer mesos binary that created it")
    );
    assert_eq!(code(S::NoDataDir).0, 1);
}

/// `cluster::LocalError`: bad flags -> 2, no such cluster -> 4, not
/// ready in time -> 124, the rest -> 1; wording and hints unchanged.
#[test]
fn cluster_local_errors_map_to_exit_codes() {
    use crate::cluster::LocalError as L;
    let code = |e: L| {
        let e: Error = e.into();
        (e.exit_code(), e.message, e.hint)
    };
    assert_eq!(
        code(L::TooManyAgents(300)),
        (2, "--agents 300 is more than 200".into(), None)
    );
    assert_eq!(
        code(L::DownRunsOnSsh("prod".into())),
        (
            2,
            "cluster 'prod' runs on SSH hosts".into(),
            Some("stop it with `mesos cluster down -f FILE`".into())
        )
    );
    assert_eq!(
        code(L::NoSuchCluster {
            name: "x".into(),
            known: vec![]
        }),
        (
            4,
            "no cluster named 'x'".into(),
            Some("start one with `mesos cluster up`".into())
        )
    );
    assert_eq!(
        code(L::NoSuchCluster {
            name: "x".into(),
            known: vec!["a".into(), "b".into()]
        })
        .2
        .as_deref(),
        Some("known clusters: a, b; start one with `mesos cluster up --name x`")
    );
    assert_eq!(
        code(L::ClusterDown("dev".into())),
        (
            4,
            "cluster 'dev' is down (`mesos cluster down` stopped it)".into(),
            Some("`mesos cluster up --name dev` starts it again with its data".into())
        )
    );
    assert_eq!(
        code(L::GateTimeout("ZooKeeper to answer ruok")),
        (
            124,
            "timed out waiting for ZooKeeper to answer ruok".into(),
            None
        )
    );
    let (c, m, h) = code(L::NotReady {
        name: "dev".into(),
        after: "30s".into(),
        waiting_for: vec!["agent-1".into(), "agent-2".into()],
    });
    assert_eq!(
        (c, m.as_str()),
        (
            124,
            "cluster 'dev' not ready after 30s: waiting for agent-1, agent-2"
        )
    );
    assert!(h.unwrap().starts_with("the daemons were left running"));
    let (c, m, h) = code(L::PartlyRunning {
        name: "dev".into(),
        dead: vec!["agent-2".into()],
    });
    assert_eq!(
        (c, m.as_str()),
        (
            1,
            "cluster 'dev' is only partly running: agent-2 not running"
        )
    );
    assert_eq!(
        h.as_deref(),
        Some("see why with `mesos cluster logs agent-2 --name dev`; restart with `mesos cluster down --name dev` then `mesos cluster up --name dev`")
    );
    assert_eq!(
        code(L::Io {
            action: "remove",
            path: "/d".into(),
            source: std::io::Error::other("busy")
        }),
        (1, "cannot remove /d: busy".into(), None)
    );
}

/// `cluster::ClusterSpecError`: an invalid file -> 2, a missing one
/// -> 4, an unreadable one -> 1; ZooKeeper install errors keep their hint.
#[test]
fn cluster_spec_errors_map_to_exit_codes() {
    use crate::cluster::{ClusterSpecError as S, LocalError};
    let code = |e: S| {
        let e: Error = e.into();
        (e.exit_code(), e.message, e.hint)
    };
    assert_eq!(
        code(S::Invalid {
            at: "/c.toml:3".into(),
            msg: "masters: must be odd".into()
        }),
        (2, "/c.toml:3: masters: must be odd".into(), None)
    );
    let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
    let (c, m, h) = code(S::Unreadable {
        path: "/c.toml".into(),
        source: missing,
    });
    assert_eq!(c, 4);
    assert!(m.starts_with("cannot read cluster file /c.toml: "));
    assert_eq!(
        h.as_deref(),
        Some("`mesos cluster init` writes a commented example")
    );
    let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    assert_eq!(
        code(S::Unreadable {
            path: "/c.toml".into(),
            source: denied
        })
        .0,
        1
    );
    let e: Error = LocalError::NoJava.into();
    assert_eq!(e.exit_code(), 1);
    assert_eq!(e.hint.as_deref(), Some(crate::cluster::zk::INSTALL_HINT));
}

/// `cluster::SecureError`: a host name unfit for a certificate -> 2,
/// the rest -> 1.
#[test]
fn cluster_secure_errors_map_to_exit_codes() {
    use crate::cluster::SecureError as S;
    let e: Error = S::EmptySecret("/d/secret".into()).into();
    assert_eq!(
        (e.exit_code(), e.message.as_str()),
        (1, "the cluster's secret file /d/secret is empty")
    );
    let e: Error = S::Io {
        action: "create",
        path: "/d/secure".into(),
        source: std::io::Error::other("denied"),
    }
    .into();
    assert_eq!(
        (e.exit_code(), e.message.as_str()),
        (1, "cannot create /d/secure: denied")
    );
    let e: Error = S::NoCertificate("h1".into()).into();
    assert_eq!(e.message, "no certificate was generated for host h1");
    let e: Error = S::BadCertName {
        name: "bad name".into(),
        cause: rcgen::Error::CouldNotParseCertificate,
    }
    .into();
    assert_eq!(e.exit_code(), 2);
    assert!(e
        .message
        .starts_with("host name 'bad name' cannot go into a certificate: "));
}

/// `cluster::SshError`: every variant is a failure (exit 1); the
/// host-key and authentication variants keep their hints.
#[test]
fn cluster_ssh_errors_map_to_exit_codes() {
    use crate::cluster::SshError as S;
    let code = |e: S| {
        let e: Error = e.into();
        (e.exit_code(), e.message, e.hint)
    };
    assert_eq!(
        code(S::Step {
            target: "core@h1".into(),
            what: "connect".into(),
            cause: "refused".into()
        }),
        (1, "core@h1: connect: refused".into(), None)
    );
    let (c, m, h) = code(S::AuthFailed {
        target: "core@h1".into(),
        tried: vec![],
    });
    assert_eq!(
        (c, m.as_str()),
        (
            1,
            "core@h1: authentication failed (tried: nothing: no SSH agent, no ~/.ssh/id_* key)"
        )
    );
    assert!(h.unwrap().starts_with("set key_file"));
    assert_eq!(
        code(S::AuthFailed {
            target: "core@h1".into(),
            tried: vec!["ssh-agent".into(), "~/.ssh/id_ed25519".into()],
        })
        .1,
        "core@h1: authentication failed (tried: ssh-agent, ~/.ssh/id_ed25519)"
    );
    let (c, m, h) = code(S::HostKeyChanged {
        target: "core@h1".into(),
        key_type: "ssh-ed25519".into(),
        fingerprint: "SHA256:x".into(),
        known_hosts: "/k".into(),
        pattern: "[h1]:2222".into(),
    });
    assert_eq!(c, 1);
    assert!(m.starts_with("core@h1: HOST KEY CHANGED: the server offers ssh-ed25519 SHA256:x,"));
    assert_eq!(
        h.as_deref(),
        Some("if the host was reinstalled, remove its old key with `ssh-keygen -R '[h1]:2222'` and try again")
    );
    assert_eq!(
        code(S::KeyRefused {
            target: "core@h1".into(),
            key_file: "/k/id".into(),
            cause: "denied".into()
        }),
        (
            1,
            "core@h1: authentication with /k/id failed: denied".into(),
            Some(
                "check that the public key is in the user's ~/.ssh/authorized_keys on the host"
                    .into()
            )
        )
    );
    let (_, m, _) = code(S::HostKeyOtherTypes {
        target: "core@h1".into(),
        key_type: "ssh-rsa".into(),
        fingerprint: "SHA256:y".into(),
        known_hosts: "/k".into(),
        known_types: vec!["ssh-ed25519".into()],
    });
    assert_eq!(
        m,
        "core@h1: the server offers a ssh-rsa host key (SHA256:y) but /k lists only ssh-ed25519 for it"
    );
}

/// `cluster::HostsError`: an `up` that failed after starting is a
/// timeout (124) when waiting timed out, else partial (3) when some
/// daemons run, else 1; stopping that left daemons is partial.
#[test]
fn cluster_hosts_errors_map_to_exit_codes() {
    use crate::cluster::HostsError as H;
    let code = |e: H| {
        let e: Error = e.into();
        (e.exit_code(), e.message, e.hint)
    };
    let up = |timed_out, partly_started| H::UpFailed {
        message: "m1: exited 1 (h2: unreachable)".into(),
        timed_out,
        partly_started,
        name: "prod".into(),
        file: "/c.toml".into(),
    };
    let (c, m, h) = code(up(true, true));
    assert_eq!((c, m.as_str()), (124, "m1: exited 1 (h2: unreachable)"));
    assert_eq!(
        h.as_deref(),
        Some("what started is recorded: `mesos cluster status --name prod`, `mesos cluster logs --name prod`, `mesos cluster down -f /c.toml`")
    );
    assert_eq!(code(up(false, true)).0, 3);
    assert_eq!(code(up(false, false)).0, 1);
    let (c, m, h) = code(H::StopFailed {
        hosts: vec!["h1".into(), "h2".into()],
        reasons: vec!["h1: refused".into(), "h2: refused".into()],
        kept: true,
    });
    assert_eq!(
        (c, m.as_str()),
        (
            3,
            "could not stop the daemons on h1, h2: h1: refused; h2: refused"
        )
    );
    assert!(h.unwrap().starts_with("the cluster state keeps them"));
    let (c, m, h) = code(H::NoHostUsable {
        reasons: vec!["core@h1: host key x is not in /k; refusing an unknown host".into()],
        file: "/c.toml".into(),
    });
    assert_eq!(c, 1);
    assert!(m.starts_with("no host could be used: core@h1"));
    assert!(h.unwrap().starts_with("verify the fingerprints"));
    assert_eq!(
        code(H::NoHostUsable {
            reasons: vec!["h1: refused".into()],
            file: "/c.toml".into()
        })
        .2
        .as_deref(),
        Some("`mesos cluster doctor -f /c.toml` checks every host")
    );
    assert_eq!(
        code(H::RunsLocally {
            name: "dev".into(),
            file: "/c.toml".into()
        }),
        (
            2,
            "cluster 'dev' already runs locally; pick another name in /c.toml".into(),
            None
        )
    );
    assert_eq!(
        code(H::NotReady {
            name: "prod".into(),
            after: "1m".into(),
            waiting_for: vec!["agent-1".into()]
        }),
        (
            124,
            "cluster 'prod' not ready after 1m: waiting for agent-1".into(),
            None
        )
    );
    assert_eq!(
        code(H::UploadCorrupted {
            bin: "/w/bin/mesos".into()
        })
        .1,
        "upload to /w/bin/mesos arrived corrupted (checksum differs)"
    );
}

#[test]
fn messages_are_one_line() {
    let e = Error::failed("first\nsecond\r\n\nthird");
    assert_eq!(e.message, "first | second | third");
}

#[test]
fn excerpt_truncates_and_flattens() {
    assert_eq!(excerpt(b"<html>\n  <body>", 100), "<html> <body>");
    assert_eq!(excerpt(b"abcdef", 3), "abc…");
}
