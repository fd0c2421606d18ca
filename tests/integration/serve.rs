//! `mesos serve hello|static|kv|cron` as real processes on free ports, and
//! a `mesos cluster up` cluster whose tasks find `mesos` on their PATH and
//! whose profile names the built-in package repository.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::cluster_local::Env;
use crate::common::cluster::http_get;
use crate::common::daemons::{request, Resp};
use crate::common::{free_port, mesos_bin, wait_until, TestEnv};

const DEADLINE: Duration = Duration::from_secs(30);

/// A `mesos serve` process; killed on drop.
struct Served {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Served {
    /// Start `mesos serve KIND --host 127.0.0.1 --port P ARGS` in `cwd` and
    /// wait for `/health`.
    fn start(kind: &str, args: &[&str], cwd: &Path) -> Served {
        let port = free_port();
        let log = cwd.join(format!("serve-{kind}-{port}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(mesos_bin())
            .args([
                "serve",
                kind,
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ])
            .args(args)
            .current_dir(cwd)
            .env_remove("PORT0")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("spawn mesos serve");
        let mut s = Served { child, port, log };
        let url = s.url("/health");
        let mut exited = None;
        wait_until(DEADLINE, "mesos serve to answer /health", || {
            if let Ok(Some(st)) = s.child.try_wait() {
                exited = Some(st);
                return true;
            }
            http_get(&url).is_some_and(|(code, _)| code == 200)
        });
        assert!(
            exited.is_none(),
            "mesos serve {kind} exited: {}",
            s.log_text()
        );
        s
    }

    fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn call(&self, method: &str, target: &str, body: &[u8]) -> Resp {
        request(&self.addr(), method, target, &[], body)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM, then the exit code.
    fn terminate(&mut self) -> Option<i32> {
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.child.id() as i32),
            nix::sys::signal::Signal::SIGTERM,
        )
        .unwrap();
        let mut code = None;
        wait_until(DEADLINE, "mesos serve to exit on SIGTERM", || {
            match self.child.try_wait() {
                Ok(Some(st)) => {
                    code = st.code();
                    true
                }
                _ => false,
            }
        });
        code
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn hello_greets_echoes_and_stops_on_sigterm() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = Served::start("hello", &["--message", "Hi from a test"], tmp.path());
    let r = s.call("GET", "/", b"");
    assert_eq!((r.status, r.text()), (200, "Hi from a test\n".to_string()));
    let r = request(
        &s.addr(),
        "POST",
        "/echo/some/path?x=1",
        &[("X-Probe", "42")],
        b"the body",
    );
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["method"], "POST");
    assert_eq!(v["path"], "/echo/some/path");
    assert_eq!(v["query"], "x=1");
    assert_eq!(v["headers"]["x-probe"], "42");
    assert_eq!(v["body"], "the body");
    assert_eq!(s.terminate(), Some(0), "{}", s.log_text());
    assert!(s.log_text().contains("listening on http://127.0.0.1:"));
}

#[test]
fn static_serves_files_and_listings_but_nothing_outside() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("docs")).unwrap();
    std::fs::write(site.join("docs/a.txt"), "file A\n").unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "top secret\n").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), site.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink("docs/a.txt", site.join("inside.txt")).unwrap();
    let mut s = Served::start(
        "static",
        &["--dir", "site", "--index-text", "Welcome <here>"],
        tmp.path(),
    );
    let r = s.call("GET", "/", b"");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Welcome &lt;here&gt;"), "{}", r.text());
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    let r = s.call("GET", "/docs/a.txt", b"");
    assert_eq!((r.status, r.text()), (200, "file A\n".to_string()));
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
    // A symlink that stays inside is followed.
    assert_eq!(s.call("GET", "/inside.txt", b"").text(), "file A\n");
    let r = s.call("GET", "/docs/", b"");
    assert_eq!(r.status, 200);
    assert!(
        r.text().contains("<a href=\"a.txt\">a.txt</a>"),
        "{}",
        r.text()
    );
    assert_eq!(
        s.call("GET", "/docs", b"").header("location"),
        Some("/docs/")
    );
    for escape in [
        "/../secret.txt",
        "/docs/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/leak.txt",
    ] {
        let r = s.call("GET", escape, b"");
        assert_eq!(r.status, 403, "{escape}: {}", r.text());
        assert!(!r.text().contains("top secret"), "{escape}");
    }
    assert_eq!(s.call("GET", "/nope.txt", b"").status, 404);
    assert_eq!(s.terminate(), Some(0));
}

#[test]
fn kv_stores_lists_deletes_and_survives_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = Served::start("kv", &["--data", "store/kv.json"], tmp.path());
    assert_eq!(s.call("PUT", "/v1/kv/app/color", b"blue").status, 201);
    assert_eq!(s.call("PUT", "/v1/kv/app/color", b"green").status, 200);
    assert_eq!(s.call("PUT", "/v1/kv/app/size", b"xl").status, 201);
    assert_eq!(s.call("PUT", "/v1/kv/other", b"1").status, 201);
    let r = s.call("GET", "/v1/kv/app/color", b"");
    assert_eq!((r.status, r.text()), (200, "green".to_string()));
    let keys = s.call("GET", "/v1/kv?prefix=app/", b"").json();
    assert_eq!(keys["keys"], serde_json::json!(["app/color", "app/size"]));
    assert_eq!(s.call("DELETE", "/v1/kv/other", b"").status, 204);
    assert_eq!(s.call("GET", "/v1/kv/other", b"").status, 404);
    assert_eq!(s.terminate(), Some(0));
    assert!(tmp.path().join("store/kv.json").is_file());

    let s = Served::start("kv", &["--data", "store/kv.json"], tmp.path());
    assert_eq!(s.call("GET", "/v1/kv/app/color", b"").text(), "green");
    let keys = s.call("GET", "/v1/kv", b"").json();
    assert_eq!(keys["keys"], serde_json::json!(["app/color", "app/size"]));
}

#[test]
fn cron_runs_its_command_every_second_and_shows_the_runs() {
    let tmp = tempfile::tempdir().unwrap();
    // Odd runs exit 1, even runs 0; each leaves its number in a file.
    let command = "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo run $n; exit $((n % 2))";
    let mut s = Served::start("cron", &["--every", "1s", "--command", command], tmp.path());
    let mut runs = Value::Null;
    wait_until(DEADLINE, "two cron runs", || {
        runs = s.call("GET", "/runs", b"").json();
        runs["runs"].as_array().is_some_and(|r| r.len() >= 2)
    });
    let list = runs["runs"].as_array().unwrap();
    // Newest first.
    let oldest = &list[list.len() - 1];
    assert_eq!(oldest["number"], 1, "{runs}");
    assert_eq!(oldest["exit_code"], 1, "{runs}");
    assert_eq!(oldest["output"], "run 1\n", "{runs}");
    let second = &list[list.len() - 2];
    assert_eq!(second["exit_code"], 0, "{runs}");
    assert_eq!(runs["every"], "1secs");
    let count: u32 = std::fs::read_to_string(tmp.path().join("count"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(count >= 2);
    assert_eq!(s.call("GET", "/health", b"").status, 200);
    assert_eq!(s.terminate(), Some(0));
}

#[test]
fn bad_serve_arguments_are_one_line_errors() {
    let env = TestEnv::new();
    let port = free_port().to_string();
    let r = env.run(&[
        "serve",
        "cron",
        "--port",
        &port,
        "--schedule",
        "* * *",
        "-c",
        "true",
    ]);
    r.assert_code(2).assert_clean_error();
    assert!(r.stderr.contains("has 3 fields, not 5"), "{}", r.stderr);
    // The port is taken.
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = held.local_addr().unwrap().port().to_string();
    let r = env.run(&["serve", "hello", "--host", "127.0.0.1", "--port", &taken]);
    r.assert_code(1);
    assert!(
        r.stderr.contains("cannot listen on 127.0.0.1:"),
        "{}",
        r.stderr
    );
    let r = env.run(&["serve", "kv", "--port", &port, "--data", "/proc/version"]);
    r.assert_code(1).assert_clean_error();
    assert!(r.stderr.contains("not a kv data file"), "{}", r.stderr);
}

/// `cluster up` daemons run with the `mesos` binary's directory first on
/// their PATH, tasks inherit it: a task runs `mesos serve`. The profile
/// names the built-in package repository.
#[test]
fn cluster_up_tasks_run_mesos_serve_and_the_profile_has_the_builtin_repository() {
    let mut env = Env::new();
    // Nothing of ours on the caller's PATH.
    env.env
        .extra_env
        .push(("PATH".into(), "/usr/bin:/bin".into()));
    env.run(&["cluster", "up", "--agents", "1", "--no-marathon", "-q"])
        .assert_ok();
    let cfg = std::fs::read_to_string(env.env.config_path()).unwrap();
    let cfg: toml::Value = toml::from_str(&cfg).unwrap();
    let repos = &cfg["profiles"]["local"]["repos"];
    assert_eq!(repos.as_array().map(Vec::len), Some(1), "{cfg:?}");
    assert_eq!(repos[0]["name"].as_str(), Some("builtin"));
    assert_eq!(repos[0]["uri"].as_str(), Some("builtin"));

    let port = free_port();
    let cmd = format!("mesos serve hello --host 127.0.0.1 --port {port} --message 'from a task'");
    env.run(&[
        "execute",
        "--detach",
        "--name",
        "hello-task",
        "--command",
        &cmd,
    ])
    .assert_ok();
    let url = format!("http://127.0.0.1:{port}/");
    wait_until(Duration::from_secs(60), "the hello task to answer", || {
        http_get(&url).is_some_and(|(code, body)| code == 200 && body == "from a task\n")
    });
    env.run(&["kill", "hello-task"]).assert_ok();
}

/// The built-in packages, rendered with their defaults and added to the
/// cluster's own Marathon, start, turn healthy and answer on their port.
#[test]
fn builtin_packages_run_healthy_on_a_cluster_up_marathon() {
    use mesos::packages::render::{render, RenderRequest};
    let mut env = Env::new();
    env.env
        .extra_env
        .push(("PATH".into(), "/usr/bin:/bin".into()));
    env.run(&["cluster", "up", "--agents", "1", "-q"])
        .assert_ok();
    let repo = mesos::packages::builtin::repository();
    let r = env.run(&["resolve"]);
    r.assert_ok();
    let master = r.stdout.trim().to_string();
    for (name, path, want) in [
        ("marathon", "/v2/info", "\"frameworkId\""),
        ("hello", "/", "Hello from Mesos!"),
        ("static", "/", "Hello from the built-in static package!"),
        ("kv", "/v1/kv", "\"keys\""),
        ("cron", "/runs", "\"command\""),
    ] {
        let pkg = repo.packages.iter().find(|p| p.name == name).unwrap();
        // Tasks are not told where the master is: the marathon package asks.
        let options = if name == "marathon" {
            serde_json::json!({"marathon": {"master": master}})
        } else {
            serde_json::json!({})
        };
        let app = render(RenderRequest {
            package: pkg,
            source: "builtin",
            options: &options,
            app_id: None,
        })
        .unwrap();
        let body = serde_json::to_vec(&app.json).unwrap();
        let started = std::time::Instant::now();
        env.env
            .run_with_stdin(&["app", "add", "-", "--timeout", "60s"], &body)
            .assert_ok();
        let id = app.app.id.to_string();
        let r = env.run(&["app", "tasks", &id, "--json"]);
        r.assert_ok();
        let tasks: Value = serde_json::from_str(&r.stdout).unwrap();
        let task = &tasks[0];
        let healthy = task["healthCheckResults"][0]["alive"] == true;
        assert!(healthy, "{name}: {tasks}");
        eprintln!("{name}: added and healthy in {:?}", started.elapsed());
        let url = format!(
            "http://{}:{}{path}",
            task["host"].as_str().unwrap(),
            task["ports"][0]
        );
        let (code, text) = http_get(&url).unwrap_or_else(|| panic!("{name}: GET {url} failed"));
        assert_eq!(code, 200, "{name}: {text}");
        assert!(text.contains(want), "{name}: {text}");
    }
}
