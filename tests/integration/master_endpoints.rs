//! The bundled `mesos master` answers the v0 endpoints and the v1 operator
//! API with the shapes real Mesos 1.x uses
//! (docs/wire-notes.md#master-endpoints, docs/wire-notes.md#operator-api),
//! checked against the captured fixtures, over raw HTTP (so that headers,
//! redirects and streams are seen exactly as sent).

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::cluster::{start_master, Daemon};
use crate::common::{read_fixture, read_fixture_text, TestEnv};

// ---------------------------------------------------------------------------
// A minimal HTTP/1.1 client: no redirects, no compression, exact headers.

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): status {} body {}",
                self.status,
                self.text()
            )
        })
    }
    fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }
}

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s
}

fn send(
    s: &mut TcpStream,
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
}

/// Split a response head from what follows it.
/// Status, headers, and where the body starts.
type Head = (u16, Vec<(String, String)>, usize);

fn parse_head(raw: &[u8]) -> Option<Head> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some((status, headers, end + 4))
}

/// Decode as much of a chunked body as is complete; returns (data, bytes used, finished).
fn dechunk(raw: &[u8]) -> (Vec<u8>, usize, bool) {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let Some(nl) = raw[pos..].windows(2).position(|w| w == b"\r\n") else {
            return (out, pos, false);
        };
        let size_text = String::from_utf8_lossy(&raw[pos..pos + nl]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .unwrap_or_else(|_| panic!("bad chunk size {size_text:?}"));
        let start = pos + nl + 2;
        if size == 0 {
            return (out, raw.len(), true);
        }
        if raw.len() < start + size + 2 {
            return (out, pos, false);
        }
        out.extend_from_slice(&raw[start..start + size]);
        pos = start + size + 2;
    }
}

fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut s = connect(port);
    let mut hs = headers.to_vec();
    hs.push(("Connection", "close"));
    send(&mut s, port, method, path, &hs, body);
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read response");
    let (status, headers, at) = parse_head(&raw).unwrap_or_else(|| panic!("bad response: {raw:?}"));
    let rest = &raw[at..];
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest).0
    } else {
        rest.to_vec()
    };
    Resp {
        status,
        headers,
        body,
    }
}

fn get(port: u16, path: &str) -> Resp {
    request(port, "GET", path, &[], b"")
}

fn get_json(port: u16, path: &str) -> Value {
    let r = get(port, path);
    assert_eq!(r.status, 200, "GET {path}: {}", r.text());
    assert_eq!(r.content_type(), "application/json", "GET {path}");
    r.json()
}

const JSON: &[(&str, &str)] = &[
    ("Content-Type", "application/json"),
    ("Accept", "application/json"),
];

fn call(port: u16, body: Value) -> Resp {
    request(port, "POST", "/api/v1", JSON, body.to_string().as_bytes())
}

fn call_ok(port: u16, body: Value) -> Value {
    let r = call(port, body.clone());
    assert_eq!(r.status, 200, "{body}: {}", r.text());
    assert_eq!(r.content_type(), "application/json");
    let v = r.json();
    let ty = body["type"].as_str().unwrap();
    assert_eq!(v["type"], ty);
    v[ty.to_ascii_lowercase()].clone()
}

/// An open operator SUBSCRIBE stream.
struct Events {
    sock: TcpStream,
    raw: Vec<u8>,
    decoder: mesos::recordio::Decoder,
    head: (u16, Vec<(String, String)>),
}

impl Events {
    fn open(port: u16) -> Events {
        Events::open_at(port, "/api/v1", br#"{"type":"SUBSCRIBE"}"#)
    }

    /// POST `body` to `path` and keep the connection as an event stream.
    fn open_at(port: u16, path: &str, body: &[u8]) -> Events {
        let mut sock = connect(port);
        send(&mut sock, port, "POST", path, JSON, body);
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        let (status, headers, at) = loop {
            if let Some(h) = parse_head(&raw) {
                break h;
            }
            let n = sock.read(&mut buf).expect("read subscribe head");
            assert!(n > 0, "connection closed before the response head");
            raw.extend_from_slice(&buf[..n]);
        };
        raw.drain(..at);
        Events {
            sock,
            raw,
            decoder: mesos::recordio::Decoder::new(),
            head: (status, headers),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.head
            .1
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The next record, as text and JSON.
    fn next(&mut self) -> (String, Value) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut buf = [0u8; 8192];
        loop {
            let (data, used, _) = dechunk(&self.raw);
            self.raw.drain(..used);
            self.decoder.push(&data);
            if let Some(rec) = self.decoder.next_record().expect("RecordIO") {
                let text = String::from_utf8(rec).unwrap();
                let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
                return (text, v);
            }
            assert!(Instant::now() < deadline, "no event within 20s");
            let n = self.sock.read(&mut buf).expect("read event");
            assert!(n > 0, "stream closed");
            self.raw.extend_from_slice(&buf[..n]);
        }
    }
}

// ---------------------------------------------------------------------------
// Fixture comparison helpers

fn fixture(name: &str) -> Value {
    serde_json::from_slice(&read_fixture(name)).unwrap()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

/// Keys of `theirs` missing from `ours`, except the listed ones.
fn assert_has_keys(what: &str, ours: &Value, theirs: &Value, except: &[&str]) {
    let missing: Vec<String> = keys(theirs)
        .difference(&keys(ours))
        .filter(|k| !except.contains(&k.as_str()))
        .cloned()
        .collect();
    assert!(
        missing.is_empty(),
        "{what}: missing keys {missing:?}\nours: {ours}"
    );
}

/// Every number in a JSON text is written with a decimal point or exponent.
fn assert_doubles(what: &str, raw: &str, key: &str) {
    let needle = format!("\"{key}\":");
    let at = raw
        .find(&needle)
        .unwrap_or_else(|| panic!("{what}: no {key}"));
    let num: String = raw[at + needle.len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+'))
        .collect();
    assert!(
        num.contains('.') || num.contains('e'),
        "{what}: {key} is {num}, not a double"
    );
}

fn master(extra: &[&str]) -> Daemon {
    start_master(extra)
}

fn agent_registration(port: u16) -> Value {
    json!({
        "hostname": "fake-agent.example",
        "ip": "127.0.0.1",
        "port": port,
        "resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 2.0}},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": 1024.0}},
            {"name": "disk", "type": "SCALAR", "scalar": {"value": 2048.0}},
            {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000, "end": 31100}]}}
        ],
        "attributes": [{"name": "rack", "type": "TEXT", "text": {"value": "r1"}}],
        "version": "1.11.0",
        "capabilities": ["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT"]
    })
}

// ---------------------------------------------------------------------------
// v0

#[test]
fn state_has_the_shape_of_real_masters() {
    let ext = tempfile::NamedTempFile::new().unwrap();
    let ext_path = ext.path().display().to_string();
    let m = master(&[
        "--cluster=test-cluster",
        &format!("--external_log_file={ext_path}"),
    ]);
    let r = get(m.port, "/master/state");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.content_type(), "application/json");
    let raw = r.text();
    let st = r.json();
    // Every top-level key of the 1.2 and 1.5 captures, except git_sha (no git
    // metadata is compiled in).
    assert_has_keys(
        "state vs 1.5",
        &st,
        &fixture("master-state-1.5.json"),
        &["git_sha"],
    );
    assert_has_keys(
        "state vs 1.2",
        &st,
        &fixture("master-state-1.2.json"),
        &["git_sha"],
    );
    for k in ["capabilities", "log_dir", "elected_time"] {
        assert!(st.get(k).is_some(), "{k} missing");
    }
    for k in [
        "activated_slaves",
        "deactivated_slaves",
        "unreachable_slaves",
        "start_time",
        "elected_time",
        "build_time",
    ] {
        assert_doubles("/master/state", &raw, k);
    }
    assert!(raw.contains("\"activated_slaves\":0.0"), "{raw}");
    let pid = format!("master@127.0.0.1:{}", m.port);
    assert_eq!(st["pid"], pid);
    assert_eq!(st["leader"], pid);
    assert_eq!(
        keys(&st["leader_info"]),
        ["hostname", "id", "pid", "port"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(st["leader_info"]["port"], m.port);
    assert_eq!(st["leader_info"]["id"], st["id"]);
    assert_eq!(st["cluster"], "test-cluster");
    assert_eq!(st["external_log_file"], ext_path.as_str());
    assert_eq!(st["version"], "1.11.0");
    assert!(st["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .all(Value::is_string));
    let flags = st["flags"].as_object().unwrap();
    assert!(flags.values().all(Value::is_string), "flags are strings");
    assert_eq!(flags["port"], m.port.to_string().as_str());
    for k in [
        "slaves",
        "recovered_slaves",
        "frameworks",
        "completed_frameworks",
        "orphan_tasks",
        "unregistered_frameworks",
    ] {
        assert_eq!(st[k], json!([]), "{k}");
    }

    let s = get_json(m.port, "/master/state-summary");
    assert_has_keys(
        "state-summary vs 1.7",
        &s,
        &fixture("state-summary-1.7.json"),
        &[],
    );
    assert_has_keys(
        "state-summary vs 1.2",
        &s,
        &fixture("state-summary-1.2.json"),
        &[],
    );
    assert_eq!(s["cluster"], "test-cluster");
}

#[test]
fn every_endpoint_answers_json_of_the_documented_shape() {
    let m = master(&[]);
    let p = m.port;
    let f = get_json(p, "/master/frameworks");
    assert_eq!(
        f,
        json!({"frameworks": [], "completed_frameworks": [], "unregistered_frameworks": []})
    );
    let s = get_json(p, "/master/slaves");
    assert_eq!(s, json!({"slaves": [], "recovered_slaves": []}));
    assert_eq!(get_json(p, "/master/tasks"), json!({"tasks": []}));
    assert_eq!(
        get_json(p, "/master/tasks?limit=-1&order=asc"),
        json!({"tasks": []})
    );
    let bad = get(p, "/master/tasks?limit=x");
    assert_eq!(bad.status, 400, "{}", bad.text());
    assert!(get_json(p, "/master/roles")["roles"].is_array());
    let fl = get_json(p, "/master/flags");
    assert_eq!(keys(&fl), ["flags".to_string()].into());
    assert_eq!(fl["flags"]["registry"], "in_memory");

    let mr = get(p, "/metrics/snapshot");
    assert_eq!(mr.status, 200);
    let metrics = mr.json();
    for (k, v) in metrics.as_object().unwrap() {
        assert!(v.is_f64(), "{k} = {v} is not a double");
    }
    assert_eq!(metrics["master/elected"], 1.0);
    assert!(metrics["master/uptime_secs"].as_f64().unwrap() > 0.0);
    // The master/* keys of the 0.22 capture that still exist in 1.x.
    let stats = fixture("master-stats-0.22.json");
    let want: Vec<&String> = stats
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("master/") || k.starts_with("system/"))
        .filter(|k| !k.starts_with("master/messages_") && !k.contains("framework_to_executor"))
        .filter(|k| !k.contains("acknowledgement") && !k.contains("slave_shutdowns"))
        .collect();
    for k in want {
        assert!(metrics.get(k.as_str()).is_some(), "metric {k} missing");
    }
    for k in [
        "master/slaves_active",
        "master/slaves_connected",
        "master/slaves_inactive",
        "master/slaves_disconnected",
        "master/frameworks_active",
        "master/frameworks_connected",
        "master/frameworks_inactive",
        "master/tasks_staging",
        "master/tasks_starting",
        "master/tasks_running",
        "master/tasks_killing",
        "master/tasks_finished",
        "master/tasks_failed",
        "master/tasks_killed",
        "master/tasks_lost",
        "master/tasks_error",
        "master/tasks_dropped",
        "master/tasks_unreachable",
        "master/tasks_gone",
        "master/cpus_total",
        "master/cpus_used",
        "master/cpus_percent",
        "master/mem_total",
        "master/mem_used",
        "master/disk_total",
        "master/disk_used",
        "master/gpus_total",
        "master/gpus_used",
        "master/outstanding_offers",
    ] {
        assert!(metrics.get(k).is_some(), "metric {k} missing");
    }

    let v = get_json(p, "/version");
    for k in ["version", "build_date", "build_time", "build_user"] {
        assert!(v.get(k).is_some(), "/version lacks {k}: {v}");
    }
    assert!(v["build_time"].is_f64());

    for method in ["GET", "POST", "PUT"] {
        let h = request(p, method, "/master/health", &[], b"");
        assert_eq!(h.status, 200, "{method} /master/health");
        assert!(h.body.is_empty());
    }
}

#[test]
fn aliases_jsonp_and_redirect() {
    let m = master(&[]);
    let p = m.port;
    let id = get_json(p, "/master/state")["id"].clone();
    for path in [
        "/state",
        "/state.json",
        "/master/state.json",
        "/master/state/",
        "/master/state?_ts=123",
    ] {
        assert_eq!(get_json(p, path)["id"], id, "{path}");
    }
    assert!(get_json(p, "/master/frameworks/")["frameworks"].is_array());
    let j = get(p, "/master/state?jsonp=cb");
    assert_eq!(j.status, 200);
    assert_eq!(j.content_type(), "text/javascript");
    let t = j.text();
    assert!(
        t.starts_with("cb({") && t.trim_end().trim_end_matches(';').ends_with(')'),
        "{t}"
    );
    // A callback that is not an identifier is not echoed into script.
    let j = get(p, "/master/state?jsonp=alert(1)//");
    assert_eq!(j.status, 200);
    assert!(
        j.content_type().starts_with("application/json"),
        "{}",
        j.content_type()
    );
    assert!(!j.text().contains("alert"), "{}", j.text());

    for path in ["/master/redirect", "/redirect"] {
        let r = get(p, path);
        assert_eq!(r.status, 307, "{path}");
        assert_eq!(
            r.header("location"),
            Some(format!("//127.0.0.1:{p}").as_str()),
            "{path}"
        );
    }
    assert_eq!(get(p, "/master/redirect/x").status, 404);
    assert_eq!(get(p, "/master/no-such-endpoint").status, 404);
}

#[test]
fn teardown_validates_its_form() {
    let m = master(&[]);
    let p = m.port;
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let r = request(p, "POST", "/master/teardown", &form, b"");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("Missing 'frameworkId'"), "{}", r.text());
    let r = request(p, "POST", "/master/teardown", &form, b"frameworkId=nope");
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), "No framework found with specified ID");
    assert_eq!(get(p, "/master/teardown").status, 405);
}

// ---------------------------------------------------------------------------
// v1 operator API

#[test]
fn operator_calls_have_the_v1_shapes() {
    let m = master(&[]);
    let p = m.port;
    assert_eq!(
        call_ok(p, json!({"type": "GET_HEALTH"})),
        json!({"healthy": true})
    );

    let gm = call_ok(p, json!({"type": "GET_MASTER"}));
    let theirs = fixture("master-api-v1-get-master-1.5.json");
    assert_has_keys("get_master", &gm, &theirs["get_master"], &[]);
    // domain: only with a fault domain.
    assert_has_keys(
        "master_info",
        &gm["master_info"],
        &theirs["get_master"]["master_info"],
        &["domain"],
    );
    assert_eq!(gm["master_info"]["address"]["port"], p);
    assert_eq!(gm["master_info"]["ip"], 16777343u32, "packed 127.0.0.1");

    let gs = call_ok(p, json!({"type": "GET_STATE"}));
    assert_eq!(
        keys(&gs),
        ["get_agents", "get_executors", "get_frameworks", "get_tasks"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    // Empty repeated fields are omitted, as in the captured SUBSCRIBED event.
    assert_eq!(gs["get_tasks"], json!({}));

    let flags = call_ok(p, json!({"type": "GET_FLAGS"}));
    let list = flags["flags"].as_array().unwrap();
    assert!(list
        .iter()
        .any(|f| f["name"] == "port" && f["value"] == p.to_string().as_str()));
    assert!(list.iter().all(|f| f["value"].is_string()));

    let v = call_ok(p, json!({"type": "GET_VERSION"}));
    assert_eq!(v["version_info"]["version"], "1.11.0");
    assert!(v["version_info"]["build_time"].is_f64());

    let mt = call_ok(p, json!({"type": "GET_METRICS", "get_metrics": {}}));
    let elected = mt["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "master/elected")
        .unwrap();
    assert_eq!(elected["value"], 1.0);
    let r = call(p, json!({"type": "GET_METRICS"}));
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text(),
        "Failed to validate master::Call: Expecting 'get_metrics' to be present"
    );

    assert_eq!(
        call_ok(p, json!({"type": "GET_LOGGING_LEVEL"})),
        json!({"level": 0})
    );
    assert_eq!(call_ok(p, json!({"type": "GET_AGENTS"})), json!({}));
    assert_eq!(call_ok(p, json!({"type": "GET_FRAMEWORKS"})), json!({}));
    assert_eq!(call_ok(p, json!({"type": "GET_EXECUTORS"})), json!({}));
    assert_eq!(call_ok(p, json!({"type": "GET_TASKS"})), json!({}));
    assert!(call_ok(p, json!({"type": "GET_ROLES"})).is_object());

    let r = call(
        p,
        json!({"type": "TEARDOWN", "teardown": {"framework_id": {"value": "nope"}}}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), "No framework found with specified ID");

    // The master log (--log_dir) through LIST_FILES / READ_FILE and /files.
    let lf = call_ok(
        p,
        json!({"type": "LIST_FILES", "list_files": {"path": "/master/log"}}),
    );
    assert!(lf.is_object());
    let rf = call_ok(
        p,
        json!({"type": "READ_FILE", "read_file": {"path": "/master/log", "offset": 0}}),
    );
    assert!(rf["size"].as_u64().unwrap() > 0, "{rf}");
    assert!(rf["data"].is_string());
    let fr = get_json(p, "/files/read?path=/master/log&offset=-1");
    assert!(fr["offset"].as_u64().unwrap() > 0, "{fr}");
}

#[test]
fn operator_api_rejects_like_mesos() {
    let m = master(&[]);
    let p = m.port;
    let body = br#"{"type":"GET_HEALTH"}"#;

    let r = request(p, "GET", "/api/v1", &[], b"");
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));

    let r = request(
        p,
        "POST",
        "/api/v1",
        &[("Content-Type", "application/x-protobuf")],
        body,
    );
    // JSON text is not a protobuf Call (protobuf itself: tests/integration/protobuf.rs).
    assert_eq!(r.status, 400);
    assert!(
        r.text()
            .starts_with("Failed to parse body into Call protobuf"),
        "{}",
        r.text()
    );
    let r = request(
        p,
        "POST",
        "/api/v1",
        &[("Content-Type", "text/plain")],
        body,
    );
    assert_eq!(r.status, 415);
    let r = request(p, "POST", "/api/v1", &[], body);
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), "Expecting 'Content-Type' to be present");

    let lenient = [("Content-Type", "application/json; charset=utf-8")];
    assert_eq!(request(p, "POST", "/api/v1", &lenient, body).status, 200);
    let any = [("Content-Type", "application/json"), ("Accept", "*/*")];
    assert_eq!(request(p, "POST", "/api/v1", &any, body).status, 200);
    let pb = [
        ("Content-Type", "application/json"),
        ("Accept", "application/x-protobuf"),
    ];
    let r = request(p, "POST", "/api/v1", &pb, body);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/x-protobuf"));
    let html = [
        ("Content-Type", "application/json"),
        ("Accept", "text/html"),
    ];
    assert_eq!(request(p, "POST", "/api/v1", &html, body).status, 406);

    let r = call(p, json!({}));
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text(),
        "Failed to validate master::Call: Expecting 'type' to be present"
    );
    let r = call(p, json!({"type": "NO_SUCH_CALL"}));
    assert_eq!(r.status, 400);
    let r = request(p, "POST", "/api/v1", JSON, b"{not json");
    assert_eq!(r.status, 400);
    assert!(
        r.text().starts_with("Failed to parse body into JSON"),
        "{}",
        r.text()
    );
    assert_eq!(call(p, json!({"type": "UNKNOWN"})).status, 501);
    // `/master/api/v1` is the same endpoint.
    let r = request(p, "POST", "/master/api/v1", JSON, body);
    assert_eq!(r.json()["get_health"]["healthy"], true);
}

#[test]
fn subscribe_streams_state_then_agent_events() {
    let m = master(&[]);
    let p = m.port;
    let mut ev = Events::open(p);
    assert_eq!(ev.head.0, 200);
    assert_eq!(ev.header("content-type"), Some("application/json"));
    assert!(ev.header("content-length").is_none(), "streamed, not sized");
    let (text, first) = ev.next();
    assert_eq!(first["type"], "SUBSCRIBED");
    assert!(
        text.contains("\"heartbeat_interval_seconds\":15.0"),
        "{text}"
    );
    assert!(!text.contains('\n'));
    assert_eq!(
        keys(&first["subscribed"]["get_state"]),
        ["get_agents", "get_executors", "get_frameworks", "get_tasks"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );

    // A fake agent registers through the internal protocol.
    let reg = request(
        p,
        "POST",
        "/master/internal/register",
        &[("Content-Type", "application/json")],
        agent_registration(45051).to_string().as_bytes(),
    );
    assert_eq!(reg.status, 200, "{}", reg.text());
    let agent_id = reg.json()["agent_id"].as_str().unwrap().to_string();

    let (text, added) = ev.next();
    assert_eq!(added["type"], "AGENT_ADDED", "{text}");
    let agent = &added["agent_added"]["agent"];
    assert_eq!(agent["agent_info"]["id"]["value"], agent_id.as_str());
    assert_eq!(agent["agent_info"]["hostname"], "fake-agent.example");
    assert_eq!(agent["pid"], "slave(1)@127.0.0.1:45051");
    assert!(agent["registered_time"]["nanoseconds"].is_i64());
    assert!(!text.contains('\n'));
    // Same shape as the agents of the captured SUBSCRIBED event.
    let captured: Value = serde_json::from_str(
        read_fixture_text("master-api-v1-subscribe-1.5.jsonl")
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let their_agent = &captured["subscribed"]["get_state"]["get_agents"]["agents"][0];
    // reregistered_time: the fake agent registered only once.
    assert_has_keys(
        "AGENT_ADDED agent",
        agent,
        their_agent,
        &["reregistered_time"],
    );
    assert_has_keys(
        "agent_info",
        &agent["agent_info"],
        &their_agent["agent_info"],
        &[],
    );

    // /master/state, /master/slaves, state-summary, GET_AGENTS, metrics.
    let raw = get(p, "/master/state").text();
    assert!(!raw.contains("-0.0"), "negative zero in {raw}");
    let st = get_json(p, "/master/state");
    assert_eq!(st["activated_slaves"], 1.0);
    let slave = &st["slaves"][0];
    assert_eq!(slave["id"], agent_id.as_str());
    assert_has_keys(
        "state slave",
        slave,
        &fixture("master-state-1.5.json")["slaves"][0],
        &[],
    );
    assert_eq!(slave["resources"]["cpus"], 2.0);
    assert_eq!(slave["resources"]["ports"], "[31000-31100]");
    assert_eq!(slave["attributes"], json!({"rack": "r1"}));
    assert_eq!(slave["unreserved_resources"]["mem"], 1024.0);
    assert_eq!(slave["reserved_resources"], json!({}));

    let sl = get_json(p, "/master/slaves");
    let full = &sl["slaves"][0];
    assert_eq!(full["id"], agent_id.as_str());
    for k in [
        "reserved_resources_full",
        "unreserved_resources_full",
        "used_resources_full",
        "offered_resources_full",
    ] {
        assert!(full.get(k).is_some(), "/master/slaves lacks {k}");
    }
    assert_eq!(full["unreserved_resources_full"][0]["role"], "*");
    let one = get_json(p, &format!("/master/slaves?slave_id={agent_id}"));
    assert_eq!(one["slaves"].as_array().unwrap().len(), 1);
    let none = get_json(p, "/master/slaves?slave_id=nope");
    assert_eq!(none["slaves"], json!([]));

    let sum = get_json(p, "/master/state-summary");
    let s0 = &sum["slaves"][0];
    assert_has_keys(
        "summary slave",
        s0,
        &fixture("state-summary-1.7.json")["slaves"][0],
        &[],
    );
    assert_eq!(s0["TASK_RUNNING"], 0);

    let ga = call_ok(p, json!({"type": "GET_AGENTS"}));
    assert_eq!(
        ga["agents"][0]["agent_info"]["id"]["value"],
        agent_id.as_str()
    );
    assert_eq!(ga["agents"][0]["total_resources"][0]["role"], "*");

    let metrics = get_json(p, "/metrics/snapshot");
    assert_eq!(metrics["master/slaves_active"], 1.0);
    assert_eq!(metrics["master/cpus_total"], 2.0);

    // A new subscriber sees the agent in its snapshot.
    let mut ev2 = Events::open(p);
    let (_, first) = ev2.next();
    assert_eq!(
        first["subscribed"]["get_state"]["get_agents"]["agents"][0]["agent_info"]["id"]["value"],
        agent_id.as_str()
    );
}

/// Subscribe a framework through the scheduler API; returns its stream and id.
fn subscribe_framework(port: u16, name: &str) -> (Events, String) {
    let body = json!({"type": "SUBSCRIBE", "subscribe": {"framework_info": {"user": "tester", "name": name}}});
    let mut ev = Events::open_at(port, "/api/v1/scheduler", body.to_string().as_bytes());
    assert_eq!(ev.head.0, 200);
    let (text, first) = ev.next();
    assert_eq!(first["type"], "SUBSCRIBED", "{text}");
    let id = first["subscribed"]["framework_id"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    (ev, id)
}

/// The next operator event of type `ty` (heartbeats and others skipped).
fn next_of(ev: &mut Events, ty: &str) -> Value {
    loop {
        let (_, e) = ev.next();
        if e["type"] == ty {
            return e;
        }
    }
}

#[test]
fn teardown_removes_subscribed_frameworks() {
    let m = master(&[]);
    let p = m.port;
    let mut ops = Events::open(p);
    ops.next(); // SUBSCRIBED

    let (_s1, f1) = subscribe_framework(p, "first");
    let added = next_of(&mut ops, "FRAMEWORK_ADDED");
    let fw = &added["framework_added"]["framework"];
    assert_eq!(fw["framework_info"]["id"]["value"], f1.as_str());
    assert_eq!(fw["framework_info"]["failover_timeout"], 0.0);
    assert!(fw["registered_time"]["nanoseconds"].is_i64());
    let st = get_json(p, "/master/state");
    let entry = &st["frameworks"][0];
    assert_eq!(entry["id"], f1.as_str());
    // pid: HTTP frameworks have none.
    assert_has_keys(
        "state framework",
        entry,
        &fixture("master-state-1.5.json")["frameworks"][0],
        &["pid"],
    );
    assert_eq!(entry["role"], "*");
    assert!(entry.get("roles").is_none());
    assert_eq!(
        get_json(p, &format!("/master/frameworks?framework_id={f1}"))["frameworks"][0]["id"],
        f1.as_str()
    );
    assert_eq!(
        get_json(p, "/master/frameworks?framework_id=nope")["frameworks"],
        json!([])
    );
    let gf = call_ok(p, json!({"type": "GET_FRAMEWORKS"}));
    assert_eq!(gf["frameworks"][0]["framework_info"]["name"], "first");
    let metrics = get_json(p, "/metrics/snapshot");
    assert_eq!(metrics["master/frameworks_active"], 1.0);

    // v0 teardown.
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let r = request(
        p,
        "POST",
        "/master/teardown",
        &form,
        format!("frameworkId={f1}").as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let removed = next_of(&mut ops, "FRAMEWORK_REMOVED");
    assert_eq!(
        removed["framework_removed"]["framework_info"]["id"]["value"],
        f1.as_str()
    );
    let fws = get_json(p, "/master/frameworks");
    assert_eq!(fws["frameworks"], json!([]));
    assert_eq!(fws["completed_frameworks"][0]["id"], f1.as_str());
    assert_eq!(fws["completed_frameworks"][0]["active"], false);
    let r = request(
        p,
        "POST",
        "/master/teardown",
        &form,
        format!("frameworkId={f1}").as_bytes(),
    );
    assert_eq!(
        r.status, 400,
        "a completed framework cannot be torn down again"
    );

    // v1 TEARDOWN.
    let (_s2, f2) = subscribe_framework(p, "second");
    next_of(&mut ops, "FRAMEWORK_ADDED");
    let r = call(
        p,
        json!({"type": "TEARDOWN", "teardown": {"framework_id": {"value": f2}}}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.body.is_empty());
    let removed = next_of(&mut ops, "FRAMEWORK_REMOVED");
    assert_eq!(
        removed["framework_removed"]["framework_info"]["id"]["value"],
        f2.as_str()
    );
    let gf = call_ok(p, json!({"type": "GET_FRAMEWORKS"}));
    assert!(gf.get("frameworks").is_none(), "{gf}");
    assert_eq!(gf["completed_frameworks"].as_array().unwrap().len(), 2);
}

#[test]
fn authentication_realms() {
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("creds.json");
    std::fs::write(
        &creds,
        r#"{"credentials":[{"principal":"ops","secret":"s3cret"}]}"#,
    )
    .unwrap();
    let m = master(&[
        "--authenticate_http_readonly",
        "--authenticate_http_readwrite",
        &format!("--credentials={}", creds.display()),
    ]);
    let p = m.port;
    let r = get(p, "/master/state");
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("www-authenticate"),
        Some("Basic realm=\"mesos-master-readonly\"")
    );
    // ops:s3cret
    let ok = [("Authorization", "Basic b3BzOnMzY3JldA==")];
    assert_eq!(request(p, "GET", "/master/state", &ok, b"").status, 200);
    let bad = [("Authorization", "Basic b3BzOndyb25n")];
    assert_eq!(
        request(p, "GET", "/metrics/snapshot", &bad, b"").status,
        401
    );
    let r = call(p, json!({"type": "GET_HEALTH"}));
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("www-authenticate"),
        Some("Basic realm=\"mesos-master-readwrite\"")
    );
    let mut hs = JSON.to_vec();
    hs.extend(ok);
    assert_eq!(
        request(p, "POST", "/api/v1", &hs, br#"{"type":"GET_HEALTH"}"#).status,
        200
    );
    // Never authenticated.
    assert_eq!(get(p, "/master/health").status, 200);
    assert_eq!(get(p, "/version").status, 200);
    assert_eq!(get(p, "/master/redirect").status, 307);
}

// ---------------------------------------------------------------------------
// Our own CLI against the bundled master

#[test]
fn cli_state_and_resolve_work_against_the_bundled_master() {
    let m = master(&[]);
    let env = TestEnv::new();
    let r = env.run(&["state", "--master", &m.addr()]);
    r.assert_ok();
    let st: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(st["pid"], format!("master@127.0.0.1:{}", m.port).as_str());

    let r = env.run(&["resolve", "--json", &m.addr()]);
    r.assert_ok();
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    assert_eq!(v["port"], m.port);
    assert_eq!(v["version"], "1.11.0");
    assert!(v["id"].as_str().is_some_and(|s| !s.is_empty()), "{v}");
    let r = env.run(&["resolve", &m.addr()]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), m.addr());
}
