//! v1 Call bodies through the master's real handlers (`POST
//! /master/api/v1/scheduler`, `POST /master/api/v1`), in process, and v1
//! events/responses through the CLI's wire types (`src/wire/v1.rs`).
//!
//! Scheduler calls go out as a subscribed framework would send them (its
//! framework id and `Mesos-Stream-Id`, most of the time), so mutated calls
//! reach the per-call code (ACCEPT, DECLINE, KILL, RECONCILE, ...), not just
//! the envelope checks. The framework is re-subscribed whenever a fuzzed call
//! tears it down or replaces its stream, and the master is rebuilt every few
//! hundred calls so its state stays small.

use std::cell::{Cell, RefCell};
use std::time::Instant;

use axum::body::{Body, BodyDataStream};
use axum::http::{Request, StatusCode};
use axum::Router;
use futures_util::{FutureExt as _, StreamExt as _};
use mesos::master::state::{OfferEntry, Shared};
use mesos::resources::Resources;
use mesos::wire::master_info::MasterInfo;
use mesos::wire::v1::{Event, Response};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Value as Json};
use tower::ServiceExt as _;

use crate::common::{bytes_input, corpus, corpus_json, json_input, json_value, run};

const SCHEDULER_TYPES: &[&str] = &[
    "SUBSCRIBE",
    "TEARDOWN",
    "ACCEPT",
    "DECLINE",
    "REVIVE",
    "SUPPRESS",
    "KILL",
    "SHUTDOWN",
    "ACKNOWLEDGE",
    "RECONCILE",
    "MESSAGE",
    "REQUEST",
    "UPDATE_FRAMEWORK",
    "ACCEPT_INVERSE_OFFERS",
    "UNKNOWN",
    "",
];

const OPERATOR_TYPES: &[&str] = &[
    "GET_HEALTH",
    "GET_FLAGS",
    "GET_VERSION",
    "GET_METRICS",
    "GET_LOGGING_LEVEL",
    "SET_LOGGING_LEVEL",
    "LIST_FILES",
    "READ_FILE",
    "GET_STATE",
    "GET_AGENTS",
    "GET_FRAMEWORKS",
    "GET_EXECUTORS",
    "GET_TASKS",
    "GET_ROLES",
    "GET_MASTER",
    "GET_WEIGHTS",
    "TEARDOWN",
    "SUBSCRIBE",
    "UNKNOWN",
    "START_MAINTENANCE",
];

/// Field names of scheduler.proto / master.proto / mesos.proto calls.
const KEYS: &[&str] = &[
    "type",
    "value",
    "framework_id",
    "framework_info",
    "subscribe",
    "id",
    "user",
    "name",
    "role",
    "roles",
    "capabilities",
    "failover_timeout",
    "checkpoint",
    "principal",
    "hostname",
    "webui_url",
    "suppressed_roles",
    "accept",
    "decline",
    "offer_ids",
    "operations",
    "launch",
    "launch_group",
    "task_infos",
    "task_group",
    "tasks",
    "task_id",
    "agent_id",
    "executor",
    "executor_id",
    "command",
    "shell",
    "arguments",
    "environment",
    "variables",
    "resources",
    "scalar",
    "ranges",
    "range",
    "begin",
    "end",
    "set",
    "item",
    "reservations",
    "filters",
    "refuse_seconds",
    "kill",
    "kill_policy",
    "grace_period",
    "nanoseconds",
    "acknowledge",
    "uuid",
    "reconcile",
    "shutdown",
    "message",
    "data",
    "revive",
    "suppress",
    "update_framework",
    "labels",
    "key",
    "get_metrics",
    "timeout",
    "set_logging_level",
    "level",
    "duration",
    "list_files",
    "read_file",
    "path",
    "offset",
    "length",
    "teardown",
    "force",
];

const STRINGS: &[&str] = &[
    "SUBSCRIBE",
    "ACCEPT",
    "LAUNCH",
    "LAUNCH_GROUP",
    "RESERVE",
    "SCALAR",
    "RANGES",
    "SET",
    "MULTI_ROLE",
    "PARTITION_AWARE",
    "cpus",
    "mem",
    "ports",
    "*",
    "dev",
    "",
    "..",
    "a/b",
    ".",
    "NaN",
    "-1",
    "1e999",
    "jhadf73jhakdlfha723adf",
    "AAAAAAAAAAAAAAAAAAAAAA==",
    "!!",
    "/master/log",
    "../../etc/passwd",
];

pub fn master() -> Shared {
    mesos::http::install_crypto_provider();
    // The master logs every call; thousands of them drown the test output.
    mesos::daemon::log::set_quiet_stderr(true);
    let args = vec!["--registry=in_memory".to_string()];
    let flags = match mesos::daemon::flags::parse(
        "mesos master",
        mesos::master::flags::SPECS,
        &args,
        |_| None,
    ) {
        Ok(mesos::daemon::flags::Parsed::Flags(f)) => f,
        _ => panic!("test master flags"),
    };
    mesos::master::new_master(flags, "127.0.0.1:5050".parse().unwrap()).unwrap()
}

/// One in-process master and a subscribed framework.
struct Harness {
    rt: tokio::runtime::Runtime,
    m: Shared,
    app: Router,
    fid: String,
    stream_id: String,
    events: Option<BodyDataStream>,
    calls: u32,
}

const OFFER: &str = "fuzz-offer";
const AGENT: &str = "fuzz-agent";

/// Offer and agent ids of the corpus, pointed at the harness' offer.
fn readdress(v: &mut Json) {
    match v {
        Json::String(s) if s.contains("-O1") => *s = OFFER.into(),
        Json::String(s) if s.contains("-S") => *s = AGENT.into(),
        Json::Array(a) => a.iter_mut().for_each(readdress),
        Json::Object(o) => o.values_mut().for_each(readdress),
        _ => {}
    }
}

const SUBSCRIBE: &str = r#"{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"fuzz","name":"fuzz","roles":["dev"],"capabilities":[{"type":"MULTI_ROLE"},{"type":"PARTITION_AWARE"}],"failover_timeout":3600}}}"#;

impl Harness {
    fn new() -> Harness {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let m = master();
        let app = mesos::master::router::router(m.clone(), &mesos::daemon::auth::HttpAuth::off());
        let mut h = Harness {
            rt,
            m,
            app,
            fid: String::new(),
            stream_id: String::new(),
            events: None,
            calls: 0,
        };
        h.subscribe();
        h
    }

    fn subscribe(&mut self) {
        let req = post(
            "/master/api/v1/scheduler",
            SUBSCRIBE.as_bytes().to_vec(),
            None,
        );
        let resp = self.rt.block_on(self.app.clone().oneshot(req)).unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "harness SUBSCRIBE");
        self.stream_id = resp.headers()["mesos-stream-id"]
            .to_str()
            .unwrap()
            .to_string();
        self.fid = {
            let st = self.m.lock();
            st.frameworks
                .values()
                .find(|f| f.stream.as_ref().is_some_and(|s| s.id == self.stream_id))
                .map(|f| f.id.clone())
                .expect("subscribed framework")
        };
        self.events = Some(resp.into_body().into_data_stream());
    }

    /// Make sure the framework holds an offer (`fuzz-offer` on agent
    /// `fuzz-agent`), so ACCEPT reaches task validation and resource checks.
    /// The agent itself is unknown to the master: nothing is launched.
    fn offer(&mut self) {
        let mut st = self.m.lock();
        if !st.offers.contains_key(OFFER) {
            let offer = OfferEntry {
                id: OFFER.into(),
                framework_id: self.fid.clone(),
                agent_id: AGENT.into(),
                resources: Resources::parse("cpus:4;mem:4096;disk:1000;ports:[31000-32000]", "*")
                    .unwrap(),
                role: "dev".into(),
                created: Instant::now(),
            };
            st.offers.insert(OFFER.into(), offer);
        }
    }

    /// Send one request; keep the framework subscribed and the state small.
    fn send(&mut self, path: &str, body: Vec<u8>, with_stream: bool) -> StatusCode {
        self.calls += 1;
        if self.calls % 400 == 0 {
            *self = Harness::new();
        }
        self.offer();
        let sid = with_stream.then(|| self.stream_id.clone());
        let req = post(path, body, sid.as_deref());
        let status = self.rt.block_on(async {
            let resp = self.app.clone().oneshot(req).await.unwrap();
            let status = resp.status();
            // Streams (SUBSCRIBE) stay pending and are dropped.
            let _ = axum::body::to_bytes(resp.into_body(), 1 << 26).now_or_never();
            status
        });
        // Drain our framework's events without waiting.
        while let Some(Some(_)) = self.events.as_mut().and_then(|e| e.next().now_or_never()) {}
        let current = {
            let st = self.m.lock();
            st.frameworks
                .get(&self.fid)
                .and_then(|f| f.stream.as_ref())
                .map(|s| s.id.clone())
        };
        if current.as_deref() != Some(self.stream_id.as_str()) {
            self.events = None;
            self.subscribe();
        }
        status
    }
}

pub fn post(path: &str, body: Vec<u8>, stream_id: Option<&str>) -> Request<Body> {
    let mut b = Request::post(path)
        .header("content-type", "application/json")
        .header("accept", "application/json");
    if let Some(s) = stream_id {
        b = b.header("mesos-stream-id", s);
    }
    b.body(Body::from(body)).unwrap()
}

/// A fuzzed call body.
#[derive(Clone, Debug)]
enum CallInput {
    /// A structurally mutated call, optionally retyped and re-addressed to
    /// the harness' framework.
    Json {
        doc: Json,
        ty: Option<&'static str>,
        own_framework: bool,
        with_stream: bool,
    },
    /// Byte-level mutation (mostly not JSON any more).
    Raw(Vec<u8>, bool),
}

fn call_input(target: &str, types: &'static [&'static str]) -> impl Strategy<Value = CallInput> {
    let docs = corpus_json(target);
    let structured = (
        prop_oneof![
            6 => json_input(docs, KEYS, STRINGS),
            1 => json_value(KEYS, STRINGS),
        ],
        prop::option::weighted(0.3, select(types)),
        prop::bool::weighted(0.85),
        prop::bool::weighted(0.9),
    )
        .prop_map(|(doc, ty, own_framework, with_stream)| CallInput::Json {
            doc,
            ty,
            own_framework,
            with_stream,
        });
    let dict: &'static [&'static str] = &[
        "{",
        "}",
        "[",
        "]",
        "\"",
        ":",
        ",",
        "null",
        "-1",
        "1e999",
        "\\u0000",
        "\\ud800",
        "\u{0}",
        "\"type\":",
        "\"SUBSCRIBE\"",
        "\"ACCEPT\"",
        "\"value\":",
    ];
    prop_oneof![
        6 => structured,
        1 => (bytes_input(corpus(target), dict), any::<bool>()).prop_map(|(b, s)| CallInput::Raw(b, s)),
    ]
}

fn render(input: CallInput, fid: &str) -> (Vec<u8>, bool) {
    match input {
        CallInput::Raw(b, s) => (b, s),
        CallInput::Json {
            mut doc,
            ty,
            own_framework,
            with_stream,
        } => {
            if let Json::Object(o) = &mut doc {
                if let Some(t) = ty {
                    o.insert("type".into(), json!(t));
                }
            }
            if own_framework {
                readdress(&mut doc);
                if let Json::Object(o) = &mut doc {
                    o.insert("framework_id".into(), json!({ "value": fid }));
                }
            }
            (serde_json::to_vec(&doc).unwrap(), with_stream)
        }
    }
}

fn acceptable(status: StatusCode, body_is_json: bool) -> Result<(), TestCaseError> {
    prop_assert!(
        !status.is_server_error() || status == StatusCode::NOT_IMPLEMENTED,
        "server error {}",
        status
    );
    if !body_is_json {
        prop_assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    Ok(())
}

#[test]
fn scheduler_calls() {
    let h = RefCell::new(Harness::new());
    let launched = Cell::new(0u64);
    run(
        "scheduler_calls",
        250,
        call_input("scheduler_call", SCHEDULER_TYPES),
        |input| {
            let mut h = h.borrow_mut();
            let (body, with_stream) = render(input, &h.fid.clone());
            let is_json = serde_json::from_slice::<Json>(&body).is_ok();
            let status = h.send("/master/api/v1/scheduler", body, with_stream);
            let tasks =
                h.m.lock()
                    .frameworks
                    .get(&h.fid)
                    .map_or(0, |f| f.tasks.len());
            launched.set(launched.get().max(tasks as u64));
            acceptable(status, is_json)
        },
    );
    // The harness is only worth its cases if mutated ACCEPTs get through
    // offer and task validation.
    assert!(launched.get() > 0, "no fuzzed ACCEPT launched a task");
}

#[test]
fn operator_calls() {
    let h = RefCell::new(Harness::new());
    run(
        "operator_calls",
        250,
        call_input("operator_call", OPERATOR_TYPES),
        |input| {
            let mut h = h.borrow_mut();
            let (body, _) = render(input, &h.fid.clone());
            let is_json = serde_json::from_slice::<Json>(&body).is_ok();
            let status = h.send("/master/api/v1", body, false);
            acceptable(status, is_json)
        },
    );
}

/// GETs of arbitrary paths and queries through the master's router as the
/// daemon serves it (libprocess aliases and `.json` suffixes included): v0
/// endpoints parse `limit`, `offset`, `order`, `framework_id`, `jsonp`, ...
#[test]
fn master_http_gets() {
    let h = Harness::new();
    let app = mesos::daemon::httputil::Libprocess::new("master").wrap(h.app.clone());
    let dict: &'static [&'static str] = &[
        "/",
        "?",
        "&",
        "=",
        "%",
        "%2F",
        "%00",
        ".json",
        "master",
        "state",
        "tasks",
        "frameworks",
        "slaves",
        "roles",
        "files",
        "read",
        "browse",
        "limit=",
        "offset=",
        "order=desc",
        "framework_id=",
        "task_id=",
        "jsonp=",
        "path=",
        "-1",
        "99999999999999999999",
        "redirect",
    ];
    run(
        "master_http_gets",
        300,
        crate::common::text_input(crate::common::corpus_text("http"), dict),
        |uri| {
            let Ok(req) = Request::get(uri.as_str()).body(Body::empty()) else {
                return Ok(());
            };
            let status = h.rt.block_on(async {
                let resp = app.clone().oneshot(req).await.unwrap();
                let status = resp.status();
                let _ = axum::body::to_bytes(resp.into_body(), 1 << 26).now_or_never();
                status
            });
            prop_assert!(!status.is_server_error(), "GET {} -> {}", uri, status);
            Ok(())
        },
    );
}

/// What the CLI parses from a master's v1 responses and event streams.
#[test]
fn v1_events_and_responses() {
    let docs = corpus_json("v1_event");
    let structured = json_input(docs, KEYS, STRINGS).prop_map(|d| serde_json::to_vec(&d).unwrap());
    let dict: &'static [&'static str] =
        &["{", "}", "[", "]", "\"", ":", ",", "null", "-1", "1e999"];
    let input = prop_oneof![
        3 => structured,
        1 => bytes_input(corpus("v1_event"), dict),
    ];
    run("v1_events", 400, input, |bytes| {
        if let Ok(ev) = serde_json::from_slice::<Event>(&bytes) {
            let _ = serde_json::to_vec(&ev);
        }
        if let Ok(r) = serde_json::from_slice::<Response>(&bytes) {
            if let Some(t) = &r.get_tasks {
                let _ = t.all_tasks().count();
            }
            if let Some(a) = &r.get_agents {
                for agent in &a.agents {
                    let _ = agent.total_summary();
                }
            }
            if let Some(f) = &r.get_frameworks {
                for fw in &f.frameworks {
                    let _ = fw.framework_info.roles();
                }
            }
        }
        if let Ok(v) = serde_json::from_slice::<Json>(&bytes) {
            if let Some(mi) = v.pointer("/get_master/master_info") {
                let _ = serde_json::from_value::<MasterInfo>(mi.clone());
            }
        }
        let _ = serde_json::from_slice::<MasterInfo>(&bytes);
        Ok(())
    });
}
