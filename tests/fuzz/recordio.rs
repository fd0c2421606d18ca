//! RecordIO framing (`src/recordio.rs`): what the CLI and the v1 scheduler
//! client read from a master's event streams.

use mesos::recordio::{encode, Decoder};
use proptest::prelude::*;
use proptest::sample::Index;

use crate::common::{bytes_input, corpus, run};

const DICT: &[&str] = &[
    "\n",
    "0\n",
    "20\n",
    "-1\n",
    " 7 \n",
    "+5\n",
    "18446744073709551616\n",
    "99999999999999999999\n",
    "268435457\n",
    "\r\n",
    "{\"type\":\"HEARTBEAT\"}",
    "\u{e9}",
    "\u{0}",
];

/// Feed `stream` to a decoder in the given chunk sizes; stop at the first
/// error. Checks what the decoder promises along the way.
fn decode_chunked(
    stream: &[u8],
    chunks: &[Index],
    max_record: usize,
) -> Result<(Vec<Vec<u8>>, bool), TestCaseError> {
    let mut d = Decoder::new();
    d.max_record = max_record;
    let mut fed = 0usize;
    let mut out = Vec::new();
    let mut pieces = chunks.iter().cycle();
    while fed < stream.len() {
        let n = 1 + pieces.next().map_or(stream.len(), |i| i.index(64));
        let end = (fed + n).min(stream.len());
        d.push(&stream[fed..end]);
        fed = end;
        loop {
            match d.next_record() {
                Ok(Some(r)) => {
                    prop_assert!(r.len() <= max_record, "record over max_record");
                    out.push(r);
                }
                Ok(None) => break,
                Err(e) => {
                    prop_assert!(!e.is_empty());
                    return Ok((out, true));
                }
            }
        }
        let held: usize = out.iter().map(|r| r.len()).sum();
        prop_assert!(d.pending() + held <= fed, "decoder invented bytes");
    }
    Ok((out, false))
}

#[test]
fn recordio_round_trip_in_any_chunking() {
    let payloads = prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..6);
    let chunks = prop::collection::vec(any::<Index>(), 1..8);
    run(
        "recordio_round_trip",
        300,
        (payloads, chunks),
        |(ps, chunks)| {
            let stream: Vec<u8> = ps.iter().flat_map(|p| encode(p)).collect();
            let (got, failed) = decode_chunked(&stream, &chunks, 256 * 1024 * 1024)?;
            prop_assert!(!failed, "a well-formed stream was rejected");
            prop_assert_eq!(got, ps);
            Ok(())
        },
    );
}

#[test]
fn recordio_decoder_survives_garbage() {
    let input = bytes_input(corpus("recordio"), DICT);
    let chunks = prop::collection::vec(any::<Index>(), 1..8);
    let max = prop_oneof![Just(256 * 1024 * 1024usize), 0..200usize];
    run(
        "recordio_garbage",
        500,
        (input, chunks, max),
        |(stream, chunks, max)| {
            decode_chunked(&stream, &chunks, max)?;
            Ok(())
        },
    );
}
