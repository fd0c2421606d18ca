//! The inspection commands against the bundled master and agents as real
//! processes, with real tasks launched through the v1 scheduler API:
//! UTF-8 and binary output, a 50 MB file, files that grow while followed,
//! dropped connections and agent restarts during `tail -f`, many matching
//! tasks, and the event stream.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::sched::{command_task, subscribe_json, JsonCalls, Scheduler};
use mesos::http::{HttpClient, HttpOptions};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::common::cluster::{start_agent, start_agent_unwaited, start_master, Daemon};
use crate::common::sched::res;
use crate::common::{free_port, wait_until, Run, TestEnv};

const DEADLINE: Duration = Duration::from_secs(60);

/// A test framework: launches tasks, acknowledges every update in the
/// background, remembers each task's latest state.
struct Fw {
    s: Scheduler,
    offers: mpsc::UnboundedReceiver<Value>,
    states: Arc<Mutex<HashMap<String, String>>>,
}

impl Fw {
    async fn new(master: &Daemon, name: &str) -> Fw {
        let http = HttpClient::new(&HttpOptions::default()).unwrap();
        let url = reqwest::Url::parse(&master.url()).unwrap();
        // Checkpointing: the tasks survive the agent restarts below.
        let info = json!({"user": "tester", "name": name, "checkpoint": true,
            "capabilities": [{"type": "TASK_KILLING_STATE"}]});
        let (s, mut ev, _) = subscribe_json(&http, &url, info).await.unwrap();
        let (tx, offers) = mpsc::unbounded_channel();
        let states: Arc<Mutex<HashMap<String, String>>> = Default::default();
        let st = states.clone();
        let acker = s.clone();
        tokio::spawn(async move {
            while let Ok(Some(e)) = ev.next_json().await {
                match e["type"].as_str() {
                    Some("OFFERS") => {
                        for o in e["offers"]["offers"].as_array().into_iter().flatten() {
                            let _ = tx.send(o.clone());
                        }
                    }
                    Some("UPDATE") => {
                        let status = &e["update"]["status"];
                        let id = status["task_id"]["value"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string();
                        let state = status["state"].as_str().unwrap_or_default().to_string();
                        st.lock().unwrap().insert(id, state);
                        let _ = acker.acknowledge_json(status).await;
                    }
                    _ => {}
                }
            }
        });
        Fw { s, offers, states }
    }

    /// Launch shell tasks (id, command) on the next offer, optionally from a
    /// given agent; other offers are declined.
    async fn launch(&mut self, tasks: &[(&str, &str)], agent_id: Option<&str>) -> String {
        loop {
            let o = tokio::time::timeout(DEADLINE, self.offers.recv())
                .await
                .expect("an offer")
                .expect("offers");
            let aid = o["agent_id"]["value"].as_str().unwrap().to_string();
            if agent_id.is_some_and(|a| a != aid) {
                self.s.decline_json(&[o["id"].clone()], 0.0).await.unwrap();
                continue;
            }
            let infos: Vec<_> = tasks
                .iter()
                .map(|(id, cmd)| command_task(id, id, &o["agent_id"], cmd, res(0.1, 32.0)))
                .collect();
            self.s
                .launch_json(&[o["id"].clone()], infos, 0.0)
                .await
                .unwrap();
            return aid;
        }
    }

    fn state(&self, id: &str) -> Option<String> {
        self.states.lock().unwrap().get(id).cloned()
    }

    async fn wait_state(&self, id: &str, want: &[&str]) {
        let end = Instant::now() + DEADLINE;
        while Instant::now() < end {
            if self.state(id).is_some_and(|s| want.contains(&s.as_str())) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "task {id} never reached {want:?} (last: {:?})",
            self.state(id)
        );
    }
}

fn env_for(master: &Daemon) -> TestEnv {
    TestEnv::new().env("MESOS_MASTER", &master.addr())
}

fn run(env: &TestEnv, args: &[&str]) -> Run {
    tokio::task::block_in_place(|| env.run(args))
}

fn run_bytes(env: &TestEnv, args: &[&str]) -> (i32, Vec<u8>, String) {
    tokio::task::block_in_place(|| {
        let out = env.command(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
}

/// The task's sandbox on the local disk (the agent runs here).
fn sandbox(agent: &Daemon, task_id: &str) -> std::path::PathBuf {
    let st = crate::common::cluster::get_json(&format!("{}/slave(1)/state", agent.url()));
    for key in ["frameworks", "completed_frameworks"] {
        for fw in st[key].as_array().into_iter().flatten() {
            for ek in ["executors", "completed_executors"] {
                for ex in fw[ek].as_array().into_iter().flatten() {
                    if ex["id"] == task_id {
                        return ex["directory"].as_str().unwrap().into();
                    }
                }
            }
        }
    }
    panic!("no sandbox for {task_id}");
}

fn wait_file(path: &std::path::Path, min_len: u64) {
    wait_until(
        DEADLINE,
        &format!("{} to have {min_len} bytes", path.display()),
        || std::fs::metadata(path).is_ok_and(|m| m.len() >= min_len),
    );
}

/// Bytes the test task prints: UTF-8 text, then binary.
fn mixed_bytes() -> Vec<u8> {
    let mut v = "héllo wörld ✓ 日本\n".as_bytes().to_vec();
    v.extend_from_slice(&[0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, b'\n']);
    v.extend_from_slice(b"line3\nline4\nlast line without newline");
    v
}

const MIXED_CMD: &str = "printf 'h\\303\\251llo w\\303\\266rld \\342\\234\\223 \\346\\227\\245\\346\\234\\254\\n\\000\\001\\002\\177\\200\\376\\377\\nline3\\nline4\\nlast line without newline'; \
    mkdir -p out/sub && echo alpha > out/a.txt && echo beta > out/sub/b.txt && printf 'x' > out/sub/c.log && \
    head -c 50000000 /dev/urandom > big.bin && touch big.done && sleep 300";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_commands_on_a_real_task() {
    let master = start_master(&[]);
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master, "inspect-files").await;
    fw.launch(&[("mixed-1", MIXED_CMD)], None).await;
    fw.wait_state("mixed-1", &["TASK_RUNNING"]).await;
    let dir = tokio::task::block_in_place(|| sandbox(&agent, "mixed-1"));
    tokio::task::block_in_place(|| wait_file(&dir.join("big.done"), 0));
    let env = env_for(&master);

    // cat: byte-exact, UTF-8 and binary.
    let (code, out, err) = run_bytes(&env, &["cat", "mixed-1"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, mixed_bytes());
    assert_eq!(out, std::fs::read(dir.join("stdout")).unwrap());

    // cat of a 50 MB file: exact.
    let start = Instant::now();
    let (code, out, err) = run_bytes(&env, &["cat", "mixed-1", "big.bin"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.len(), 50_000_000);
    assert!(
        out == std::fs::read(dir.join("big.bin")).unwrap(),
        "50 MB file differs"
    );
    eprintln!("cat of 50 MB took {:?}", start.elapsed());

    // head / tail.
    let (_, out, _) = run_bytes(&env, &["head", "-n", "1", "mixed-1"]);
    assert_eq!(out, "héllo wörld ✓ 日本\n".as_bytes());
    let (_, out, _) = run_bytes(&env, &["tail", "-n", "2", "mixed-1"]);
    assert_eq!(out, b"line4\nlast line without newline");
    let (_, out, _) = run_bytes(&env, &["tail", "-n", "100", "mixed-1"]);
    assert_eq!(out, mixed_bytes());
    let (_, out, _) = run_bytes(
        &env,
        &["head", "-n", "3", "mixed-1", "out/a.txt", "out/sub/b.txt"],
    );
    assert_eq!(
        String::from_utf8_lossy(&out),
        "==> mixed-1:out/a.txt <==\nalpha\n\n==> mixed-1:out/sub/b.txt <==\nbeta\n"
    );
    // tail of the big file reads backwards: a few requests, not 50 MB.
    let (_, out, _) = run_bytes(&env, &["tail", "-n", "1", "mixed-1", "big.bin"]);
    let big = std::fs::read(dir.join("big.bin")).unwrap();
    let start_last = big[..big.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    assert_eq!(out, &big[start_last..]);
    // --ndjson lines carry offsets.
    let r = run(&env, &["tail", "-n", "2", "--ndjson", "mixed-1"]);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["line"], "line4");
    assert_eq!(lines[0]["task"], "mixed-1");
    assert_eq!(lines[0]["file"], "stdout");
    let off = lines[0]["offset"].as_u64().unwrap() as usize;
    assert_eq!(&mixed_bytes()[off..off + 5], b"line4");

    // Missing file: exit 4 (not found), clean error.
    let r = run(&env, &["cat", "mixed-1", "no-such-file"]);
    r.assert_code(4).assert_clean_error();

    // ls / find.
    let r = run(&env, &["ls", "mixed-1"]);
    r.assert_ok();
    for name in ["stdout", "stderr", "out", "big.bin"] {
        assert!(
            r.stdout.lines().any(|l| l == name),
            "{name} missing: {}",
            r.stdout
        );
    }
    let r = run(&env, &["ls", "-l", "mixed-1", "out"]);
    r.assert_ok();
    let a = r.stdout.lines().find(|l| l.ends_with(" a.txt")).unwrap();
    assert!(a.starts_with("-rw"), "{a}");
    assert!(a.contains(" 6 "), "{a}");
    let r = run(&env, &["find", "mixed-1", "out"]);
    r.assert_ok();
    assert_eq!(
        r.stdout,
        "out/a.txt\nout/sub\nout/sub/b.txt\nout/sub/c.log\n"
    );
    let r = run(&env, &["find", "mixed-1", "--name", "*.txt"]);
    assert_eq!(r.stdout, "out/a.txt\nout/sub/b.txt\n");
    let r = run(&env, &["find", "mixed-1", "--type", "d"]);
    assert_eq!(r.stdout, "out\nout/sub\n");
    let r = run(&env, &["find", "mixed-1", "--json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let big = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "big.bin")
        .unwrap();
    assert_eq!(big["size"], 50_000_000);
    assert_eq!(big["type"], "file");

    // download: a directory, a file, and a resumed partial file.
    let to = tempfile::tempdir().unwrap();
    let to_s = to.path().to_str().unwrap();
    let r = run(&env, &["download", "mixed-1", "out", "--to", to_s]);
    r.assert_ok();
    assert_eq!(
        std::fs::read_to_string(to.path().join("out/sub/b.txt")).unwrap(),
        "beta\n"
    );
    assert_eq!(
        std::fs::read_to_string(to.path().join("out/a.txt")).unwrap(),
        "alpha\n"
    );
    assert_eq!(r.stdout.lines().count(), 3, "{}", r.stdout);
    let original = std::fs::read(dir.join("big.bin")).unwrap();
    std::fs::write(to.path().join("big.bin.part"), &original[..12_345_678]).unwrap();
    let r = run(
        &env,
        &["download", "mixed-1", "big.bin", "--to", to_s, "--json"],
    );
    r.assert_ok();
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["resumed_from"], 12_345_678);
    assert_eq!(v[0]["size"], 50_000_000);
    assert!(
        std::fs::read(to.path().join("big.bin")).unwrap() == original,
        "resumed download differs"
    );
    assert!(!to.path().join("big.bin.part").exists());
    // The whole sandbox lands under the task id.
    let r = run(&env, &["download", "mixed-1", "--to", to_s]);
    r.assert_ok();
    assert_eq!(
        std::fs::read(to.path().join("mixed-1/stdout")).unwrap(),
        mixed_bytes()
    );

    // ps: the task with usage from the agent.
    let r = run(&env, &["ps", "mixed-1", "--json"]);
    r.assert_ok();
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["state"], "TASK_RUNNING");
    assert_eq!(v[0]["framework"], "inspect-files");
    assert_eq!(v[0]["hostname"], "127.0.0.1");
    assert!(
        v[0]["usage"]["mem_rss_bytes"].as_u64().is_some(),
        "{}",
        r.stdout
    );
    let r = run(&env, &["ps"]);
    r.assert_ok();
    let row: Vec<&str> = r
        .stdout
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(row[..4], ["mixed-1", "mixed-1", "inspect-files", "RUNNING"]);
    assert_ne!(row[8], "-", "RSS: {}", r.stdout);

    // A completed task's sandbox is still readable (exact id, no -i needed).
    fw.s.kill("mixed-1", None).await.unwrap();
    fw.wait_state("mixed-1", &["TASK_KILLED"]).await;
    let (code, out, err) = run_bytes(&env, &["cat", "mixed-1"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, mixed_bytes());
    let r = run(&env, &["ps", "-q"]);
    assert_eq!(r.stdout, "");
    let r = run(&env, &["ps", "-q", "-i"]);
    assert_eq!(r.stdout, "mixed-1\n");
}

/// Spawn `mesos ARGS` with piped stdout; lines arrive on the channel with
/// the time they were read.
fn spawn_lines(
    env: &TestEnv,
    args: &[&str],
) -> (
    Child,
    std::sync::mpsc::Receiver<(Instant, String)>,
    Arc<Mutex<String>>,
) {
    let mut child = env
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send((Instant::now(), l)).is_err() {
                break;
            }
        }
    });
    let err = Arc::new(Mutex::new(String::new()));
    let e2 = err.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            e2.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    (child, rx, err)
}

fn next_line(
    rx: &std::sync::mpsc::Receiver<(Instant, String)>,
    what: &str,
    stderr: &Arc<Mutex<String>>,
) -> (Instant, String) {
    rx.recv_timeout(DEADLINE).unwrap_or_else(|_| {
        panic!(
            "no line while waiting for {what}; stderr:\n{}",
            stderr.lock().unwrap()
        )
    })
}

/// A TCP proxy that can drop every connection and refuse new ones for a while.
struct Proxy {
    port: u16,
    down: Arc<std::sync::atomic::AtomicBool>,
    generation: Arc<std::sync::atomic::AtomicU64>,
}

impl Proxy {
    fn start(port: u16, target: u16) -> Proxy {
        use std::sync::atomic::Ordering;
        let down = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let generation = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
        let (d, g) = (down.clone(), generation.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(client) = conn else { continue };
                if d.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = std::net::TcpStream::connect(("127.0.0.1", target)) else {
                    continue;
                };
                let my_gen = g.load(Ordering::SeqCst);
                for (mut a, mut b) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server.try_clone().unwrap(), client.try_clone().unwrap()),
                ] {
                    let g2 = g.clone();
                    std::thread::spawn(move || {
                        let _ = a.set_read_timeout(Some(Duration::from_millis(50)));
                        let mut buf = [0u8; 65536];
                        loop {
                            if g2.load(Ordering::SeqCst) != my_gen {
                                let _ = a.shutdown(std::net::Shutdown::Both);
                                let _ = b.shutdown(std::net::Shutdown::Both);
                                return;
                            }
                            match a.read(&mut buf) {
                                Ok(0) => {
                                    let _ = b.shutdown(std::net::Shutdown::Write);
                                    return;
                                }
                                Ok(n) => {
                                    if std::io::Write::write_all(&mut b, &buf[..n]).is_err() {
                                        return;
                                    }
                                }
                                Err(e)
                                    if matches!(
                                        e.kind(),
                                        std::io::ErrorKind::WouldBlock
                                            | std::io::ErrorKind::TimedOut
                                    ) => {}
                                Err(_) => return,
                            }
                        }
                    });
                }
            }
        });
        Proxy {
            port,
            down,
            generation,
        }
    }

    /// Drop every open connection and refuse new ones until `up`.
    fn cut(&self) {
        use std::sync::atomic::Ordering;
        self.down.store(true, Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn up(&self) {
        self.down.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

const COUNTER_CMD: &str =
    "i=0; while [ $i -lt 100000 ]; do echo \"n=$i\"; i=$((i+1)); sleep 0.05; done";

/// Check consecutive `n=<i>` lines: no gap, no repeat.
fn check_sequence(values: &[u64]) {
    for w in values.windows(2) {
        assert_eq!(
            w[1],
            w[0] + 1,
            "gap or repeat in followed lines: {values:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_follow_survives_dropped_connections_with_low_latency() {
    let master = start_master(&[]);
    // The agent announces the proxy's port: every request to it goes through the proxy.
    let (proxy_port, real_port) = (free_port(), free_port());
    let proxy = Proxy::start(proxy_port, real_port);
    let _agent = tokio::task::block_in_place(|| {
        start_agent(
            &master,
            &[
                &format!("--port={real_port}"),
                &format!("--advertise_port={proxy_port}"),
            ],
        )
    });
    let mut fw = Fw::new(&master, "inspect-follow").await;
    fw.launch(&[("counter-1", COUNTER_CMD)], None).await;
    fw.wait_state("counter-1", &["TASK_RUNNING"]).await;
    let env = env_for(&master);
    let (mut child, rx, err) =
        spawn_lines(&env, &["tail", "-f", "-n", "1", "counter-1", "--ndjson"]);
    let mut values = Vec::new();
    let mut latencies = Vec::new();
    let parse = |l: &str| -> (u64, Value) {
        let v: Value = serde_json::from_str(l).unwrap();
        let n = v["line"]
            .as_str()
            .unwrap()
            .trim_start_matches("n=")
            .parse()
            .unwrap();
        (n, v)
    };
    // Flowing: measure latency against the file's growth (each line is
    // written 50 ms after the previous one; compare arrival gaps).
    let (t0, l0) = next_line(&rx, "first line", &err);
    let (n0, _) = parse(&l0);
    values.push(n0);
    for _ in 0..40 {
        let (t, l) = next_line(&rx, "flowing lines", &err);
        let (n, v) = parse(&l);
        assert_eq!(v["task"], "counter-1");
        values.push(n);
        // Expected write time of line n relative to line n0 (50 ms apart,
        // plus shell overhead), so arrival - expected bounds the latency.
        latencies.push(t.duration_since(t0).as_secs_f64() - (n - n0) as f64 * 0.05);
    }
    // Cut all connections to the agent for 2 s.
    proxy.cut();
    tokio::time::sleep(Duration::from_secs(2)).await;
    proxy.up();
    for _ in 0..60 {
        let (_, l) = next_line(&rx, "lines after reconnecting", &err);
        values.push(parse(&l).0);
    }
    let _ = child.kill();
    let _ = child.wait();
    check_sequence(&values);
    let stderr = err.lock().unwrap().clone();
    assert!(stderr.contains("retrying"), "{stderr}");
    assert!(stderr.contains("reconnected, resuming at byte"), "{stderr}");
    latencies.sort_by(f64::total_cmp);
    eprintln!(
        "tail -f latency (upper bound) median {:.0} ms",
        latencies[latencies.len() / 2] * 1000.0
    );
    assert_eq!(proxy.port, proxy_port);
}

/// The agent is killed and restarted with the same work dir while `tail -f`
/// runs: the recovered agent re-attaches the sandbox, and `tail -f` resumes
/// from its offset (it keeps retrying while the agent is away).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_follow_survives_an_agent_killed_and_restarted() {
    let master = start_master(&[
        "--agent_ping_timeout=1secs",
        "--max_agent_ping_timeouts=100",
    ]);
    let agent_port = free_port();
    let mut agent =
        tokio::task::block_in_place(|| start_agent(&master, &[&format!("--port={agent_port}")]));
    let work = agent.work_dir();
    let mut fw = Fw::new(&master, "inspect-restart").await;
    fw.launch(&[("counter-2", COUNTER_CMD)], None).await;
    fw.wait_state("counter-2", &["TASK_RUNNING"]).await;
    let env = env_for(&master);
    let (mut child, rx, err) =
        spawn_lines(&env, &["tail", "-f", "-n", "1", "counter-2", "--ndjson"]);
    let parse = |l: &str| -> u64 {
        let v: Value = serde_json::from_str(l).unwrap();
        v["line"]
            .as_str()
            .unwrap()
            .trim_start_matches("n=")
            .parse()
            .unwrap()
    };
    let mut values = Vec::new();
    for _ in 0..10 {
        values.push(parse(&next_line(&rx, "lines before the kill", &err).1));
    }
    // SIGKILL the agent; the task's process group lives on and keeps writing.
    agent.kill();
    tokio::time::sleep(Duration::from_secs(2)).await;
    // Restart it on the same port and work dir.
    let addr = master.addr();
    let _agent2 = tokio::task::block_in_place(|| {
        start_agent_unwaited(
            &addr,
            &[
                &format!("--port={agent_port}"),
                &format!("--work_dir={}", work.display()),
            ],
        )
    });
    let mut after = 0;
    while after < 20 {
        values.push(parse(
            &next_line(&rx, "lines after the agent restart", &err).1,
        ));
        after += 1;
    }
    let _ = child.kill();
    let _ = child.wait();
    check_sequence(&values);
    let stderr = err.lock().unwrap().clone();
    assert!(stderr.contains("retrying"), "{stderr}");
    drop(agent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_follow_picks_up_new_tasks_and_ends_with_them() {
    let master = start_master(&[]);
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master, "inspect-new").await;
    fw.launch(
        &[(
            "batch-a",
            "for i in 1 2 3 4 5 6 7 8 9 10; do echo a$i; sleep 0.3; done",
        )],
        None,
    )
    .await;
    fw.wait_state("batch-a", &["TASK_RUNNING"]).await;
    let env = env_for(&master);
    let (mut child, rx, err) = spawn_lines(&env, &["tail", "-f", "--until-done", "batch-"]);
    // A second matching task starts while following.
    tokio::time::sleep(Duration::from_millis(500)).await;
    fw.launch(
        &[("batch-b", "sleep 0.5; for i in 1 2 3; do echo b$i; done")],
        None,
    )
    .await;
    let mut lines = Vec::new();
    while let Ok((_, l)) = rx.recv_timeout(DEADLINE) {
        lines.push(l);
    }
    let status = tokio::task::block_in_place(|| child.wait().unwrap());
    let stderr = err.lock().unwrap().clone();
    assert!(status.success(), "{status}: {stderr}");
    let text = lines.join("\n");
    for want in ["a1", "a10", "b1", "b3", "==> batch-b:stdout <=="] {
        assert!(
            lines.iter().any(|l| l == want),
            "{want} missing:\n{text}\n{stderr}"
        );
    }
    assert!(stderr.contains("following new task batch-b"), "{stderr}");
    let _ = child.kill();
}

/// Issue 12, rough edges 3 and 11: `tail -f` on a TASK that matches
/// nothing yet waits for it (saying so) instead of exiting 4; the global
/// output flags reach every command: tail streams JSON lines, `ls` takes
/// --ndjson, and cat says that it has only raw output.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tail_follow_waits_for_tasks_and_output_flags_reach_every_command() {
    let master = start_master(&[]);
    let agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let env = env_for(&master);
    let (mut child, rx, err) = spawn_lines(&env, &["tail", "-f", "later*", "--json"]);
    let end = Instant::now() + DEADLINE;
    while !err.lock().unwrap().contains("waiting for one to start") {
        assert!(Instant::now() < end, "stderr: {}", err.lock().unwrap());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut fw = Fw::new(&master, "inspect-later").await;
    fw.launch(&[("later-1", "echo hello-later; sleep 60")], None)
        .await;
    let (_, line) = next_line(&rx, "the later task's line", &err);
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["task"], "later-1", "{line}");
    assert_eq!(v["line"], "hello-later", "{line}");
    let _ = child.kill();
    let _ = child.wait();
    // Without -f nothing matching is still "not found".
    run(&env, &["tail", "nothing-like-this*"]).assert_code(4);
    // ls takes the global --ndjson like every command.
    let r = run(&env, &["ls", "later-1", "--ndjson"]);
    r.assert_ok();
    assert!(
        r.stdout
            .lines()
            .any(|l| serde_json::from_str::<Value>(l).unwrap()["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("stdout"))),
        "{}",
        r.stdout
    );
    // ps --wide: USER (the task names none: its framework's user) and
    // COMMAND (the executor's name, as the 2015 mesos-cli showed it), never
    // cut; JSON carries the command too.
    let r = run(&env, &["ps", "later-1", "--wide"]);
    r.assert_ok();
    let mut lines = r.stdout.lines();
    let head = lines.next().unwrap();
    assert!(head.ends_with("COMMAND"), "{}", r.stdout);
    let user_at = head.find("USER").expect("USER column");
    let row = lines.next().unwrap();
    assert!(
        row[user_at..].starts_with("tester "),
        "USER falls back to the framework's user: {}",
        r.stdout
    );
    assert!(
        row.contains("(Command: sh -c 'echo hello-l"),
        "{}",
        r.stdout
    );
    let r = run(&env, &["ps", "later-1", "--json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        v[0]["command"]
            .as_str()
            .is_some_and(|c| c.contains("echo hello-l")),
        "{v}"
    );
    // cat has raw output only and says so.
    let r = run(&env, &["cat", "later-1", "--json"]);
    r.assert_ok();
    assert_eq!(r.stdout, "hello-later\n");
    assert!(r.stderr.contains("has no json output"), "{}", r.stderr);
    // Rough edge 7: file errors name `task:path`, never the agent's
    // absolute sandbox path.
    let work = agent.work_dir();
    let work = work.to_str().unwrap();
    for args in [
        &["ls", "later-1", "nosuch"][..],
        &["find", "later-1", "nosuch"][..],
        &[
            "download",
            "later-1",
            "nosuch",
            "--to",
            env.home().to_str().unwrap(),
        ][..],
    ] {
        let r = run(&env, args);
        assert_ne!(r.code, 0, "{args:?}");
        assert!(
            r.stderr
                .contains("later-1:nosuch: no such file or directory"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains(work), "{args:?}: {}", r.stderr);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_matching_tasks() {
    let master = start_master(&[]);
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let mut fw = Fw::new(&master, "inspect-many").await;
    let ids: Vec<String> = (0..12).map(|i| format!("many-{i:02}")).collect();
    let specs: Vec<(String, String)> = ids
        .iter()
        .map(|id| (id.clone(), format!("echo out-of-{id}; sleep 300")))
        .collect();
    let refs: Vec<(&str, &str)> = specs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    fw.launch(&refs, None).await;
    for id in &ids {
        fw.wait_state(id, &["TASK_RUNNING"]).await;
    }
    let env = env_for(&master);
    let r = run(&env, &["ps", "many", "-q"]);
    r.assert_ok();
    assert_eq!(r.stdout.lines().count(), 12, "{}", r.stdout);
    let r = run(&env, &["ps", "many-*"]);
    r.assert_ok();
    assert_eq!(r.stdout.lines().count(), 13);
    // Every row has usage (one statistics request served them all).
    for row in r.stdout.lines().skip(1) {
        assert!(!row.trim_end().ends_with(" -"), "{row}");
    }
    // Wait until every task has written its line.
    tokio::task::block_in_place(|| {
        wait_until(DEADLINE, "task output", || {
            let r = env.run(&["cat", "-q", "many"]);
            r.stdout.lines().count() == 12
        })
    });
    let r = run(&env, &["cat", "many"]);
    r.assert_ok();
    for id in &ids {
        assert!(
            r.stdout
                .contains(&format!("==> {id}:stdout <==\nout-of-{id}\n")),
            "{}",
            r.stdout
        );
    }
    let r = run(&env, &["ls", "many"]);
    r.assert_code(4).assert_clean_error();
    assert!(r.stderr.contains("12 tasks match"), "{}", r.stderr);
    let r = run(&env, &["ls", "many-07"]);
    r.assert_ok();
    let r = run(&env, &["frameworks"]);
    let row = r
        .stdout
        .lines()
        .find(|l| l.contains("inspect-many"))
        .unwrap()
        .to_string();
    assert!(row.split_whitespace().any(|c| c == "12"), "{row}");
    let r = run(&env, &["agents", "--json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["tasks"]["active"], 12);
    fw.s.teardown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ps_with_a_killed_agent_exits_3() {
    let master = start_master(&[]);
    let a1 = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let mut a2 = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let id1 = crate::common::cluster::get_json(&format!("{}/slave(1)/state", a1.url()))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let id2 = crate::common::cluster::get_json(&format!("{}/slave(1)/state", a2.url()))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut fw = Fw::new(&master, "inspect-dead").await;
    fw.launch(&[("on-one", "sleep 300")], Some(&id1)).await;
    fw.launch(&[("on-two", "sleep 300")], Some(&id2)).await;
    fw.wait_state("on-one", &["TASK_RUNNING"]).await;
    fw.wait_state("on-two", &["TASK_RUNNING"]).await;
    a2.kill();
    let env = env_for(&master);
    let r = run(&env, &["ps"]);
    r.assert_code(3);
    let cells = |prefix: &str| -> Vec<String> {
        let l = r.stdout.lines().find(|l| l.starts_with(prefix)).unwrap();
        l.split_whitespace().map(String::from).collect()
    };
    assert_eq!(cells("on-two")[7..], ["-", "-", "-"], "{}", r.stdout);
    assert_ne!(cells("on-one")[8], "-", "{}", r.stdout);
    assert!(
        r.stderr.contains(&format!("no usage from agent {id2}")),
        "{}",
        r.stderr
    );
    // cat of a task on the dead agent: a clean error, no crash.
    let r = run(&env, &["cat", "on-two"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.assert_clean_error();
    let r = run(&env, &["cat", "on-"]);
    r.assert_code(3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_show_the_task_lifecycle_and_logs_interleave() {
    let master = start_master(&[]);
    let _agent = tokio::task::block_in_place(|| start_agent(&master, &[]));
    let env = env_for(&master);
    let (mut child, rx, err) = spawn_lines(&env, &["events"]);
    let (_, first) = next_line(&rx, "SUBSCRIBED", &err);
    assert!(
        first.contains("SUBSCRIBED") && first.contains("agents=1"),
        "{first}"
    );
    let mut fw = Fw::new(&master, "inspect-events").await;
    fw.launch(&[("ev-1", "echo hi")], None).await;
    let mut seen = Vec::new();
    while !seen
        .iter()
        .any(|l: &String| l.contains("TASK_UPDATED") && l.contains("TASK_FINISHED"))
    {
        seen.push(next_line(&rx, "task events", &err).1);
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = seen.join("\n");
    assert!(
        seen.iter()
            .any(|l| l.contains("FRAMEWORK_ADDED") && l.contains("name=inspect-events")),
        "{text}"
    );
    assert!(
        seen.iter()
            .any(|l| l.contains("TASK_ADDED") && l.contains("task=ev-1")),
        "{text}"
    );
    assert!(
        seen.iter().any(|l| l.contains("TASK_UPDATED")
            && l.contains("task=ev-1")
            && l.contains("TASK_RUNNING")),
        "{text}"
    );

    // --logs: master and agent logs, prefixed (the last 2 lines of each first).
    let (mut child, rx, err) = spawn_lines(&env, &["events", "--logs", "-n", "2"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    fw.launch(&[("ev-2", "echo hi")], None).await;
    let _fw2 = Fw::new(&master, "inspect-events-2").await;
    let mut got = Vec::new();
    let end = Instant::now() + DEADLINE;
    while Instant::now() < end
        && !(got.iter().any(|l: &String| l.starts_with("[master] "))
            && got.iter().any(|l: &String| l.starts_with("[127.0.0.1] ")))
    {
        if let Ok((_, l)) = rx.recv_timeout(Duration::from_secs(1)) {
            got.push(l);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        got.iter().any(|l| l.starts_with("[master] ")),
        "{got:?}\n{}",
        err.lock().unwrap()
    );
    assert!(
        got.iter().any(|l| l.starts_with("[127.0.0.1] ")),
        "{got:?}\n{}",
        err.lock().unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_following_resumes_across_an_agent_restart() {
    let master = start_master(&[]);
    let agent_port = free_port();
    let mut agent =
        tokio::task::block_in_place(|| start_agent(&master, &[&format!("--port={agent_port}")]));
    let (work, logs) = (agent.work_dir(), agent.dir.path().join("logs"));
    let log_file = logs.join("mesos-agent.log");
    let env = env_for(&master);
    // Print each whole log first, then follow.
    let (mut child, rx, err) = spawn_lines(&env, &["events", "--logs", "-n", "100000"]);
    let agent_lines = |got: &[String]| -> Vec<String> {
        got.iter()
            .filter_map(|l| l.strip_prefix("[127.0.0.1] "))
            .map(String::from)
            .collect()
    };
    let mut got: Vec<String> = Vec::new();
    let want_now = std::fs::read_to_string(&log_file).unwrap().lines().count();
    while agent_lines(&got).len() < want_now {
        got.push(next_line(&rx, "the agent log", &err).1);
    }
    agent.kill();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let addr = master.addr();
    let _agent2 = tokio::task::block_in_place(|| {
        start_agent_unwaited(
            &addr,
            &[
                &format!("--port={agent_port}"),
                &format!("--work_dir={}", work.display()),
                &format!("--log_dir={}", logs.display()),
            ],
        )
    });
    // The restarted agent appends to the same log; wait for its lines.
    let end = Instant::now() + DEADLINE;
    loop {
        let on_disk: Vec<String> = std::fs::read_to_string(&log_file)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        if on_disk.len() > want_now && agent_lines(&got) == on_disk {
            break;
        }
        assert!(
            Instant::now() < end,
            "log not followed across the restart:\n{:?}\nvs\n{:?}\n{}",
            agent_lines(&got),
            on_disk,
            err.lock().unwrap()
        );
        if let Ok((_, l)) = rx.recv_timeout(Duration::from_millis(200)) {
            got.push(l);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let stderr = err.lock().unwrap().clone();
    assert!(
        stderr.contains("[127.0.0.1]") && stderr.contains("retrying"),
        "{stderr}"
    );
    assert!(stderr.contains("[127.0.0.1] reconnected"), "{stderr}");
}
