//! Protobuf bodies of the v1 APIs (`src/wire/proto/`): what a master or an
//! agent reads from any client speaking `application/x-protobuf`.
//! Seeds are the JSON corpora of the v1 calls and events, encoded.

use mesos::wire::proto::{encode, to_json, ProtoError};
use proptest::prelude::*;

use crate::common::{bytes_input, corpus_json, run};

const DICT: &[&str] = &[
    "\u{8}\u{1}",
    "\u{a}\u{0}",
    "\u{12}\u{7f}",
    "\u{ff}\u{ff}\u{ff}\u{ff}\u{ff}",
    "\u{80}",
    "\u{b}",
    "\u{c}",
    "\u{f}",
    "\u{19}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{f0}\u{3f}",
];

const MESSAGES: &[&str] = &[
    "mesos.v1.scheduler.Call",
    "mesos.v1.master.Call",
    "mesos.v1.master.Event",
    "mesos.v1.agent.Call",
    "mesos.v1.executor.Call",
    "mesos.v1.agent.ProcessIO",
];

/// Valid protobuf seeds: the JSON corpora encoded as their messages.
fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (target, message) in [
        ("scheduler_call", "mesos.v1.scheduler.Call"),
        ("operator_call", "mesos.v1.master.Call"),
        ("v1_event", "mesos.v1.master.Event"),
    ] {
        for v in corpus_json(target) {
            if let Ok(b) = encode(message, &v) {
                out.push(b);
            }
        }
    }
    assert!(out.len() > 10, "protobuf seeds");
    out
}

#[test]
fn protobuf_decoding_never_panics_and_round_trips() {
    let input = bytes_input(seeds(), DICT);
    run(
        "protobuf_decode",
        400,
        (input, 0..MESSAGES.len()),
        |(bytes, which)| {
            let message = MESSAGES[which];
            match to_json(message, &bytes) {
                Ok(v) => {
                    // What was read writes back, and reads the same again.
                    let again = encode(message, &v)
                        .map_err(|e| TestCaseError::fail(format!("{e} for {v}")))?;
                    let back =
                        to_json(message, &again).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(back, v);
                }
                Err(ProtoError::Decode(m)) => {
                    prop_assert!(m.contains(message), "{}", m);
                    prop_assert!(!m.contains('\n'), "{}", m);
                }
                Err(other) => prop_assert!(false, "{:?}", other),
            }
            Ok(())
        },
    );
}
