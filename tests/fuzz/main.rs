//! Property/fuzz tests over every parser that sees untrusted input
//! (docs/security.md, "Fuzzing").
//!
//! Each target is a proptest run seeded from the corpus under `fuzz/corpus/`
//! (real request and response bodies, see `fuzz/PROVENANCE.md`): inputs are
//! corpus entries mutated byte-wise or structurally, plus random ones. The
//! properties are "never panics" and, where a parser guards something, the
//! guard itself (a files API path never resolves outside its root, redacted
//! output never holds the password, ...).
//!
//! `cargo test --test fuzz` runs a few hundred cases per target (seconds).
//! `bench/fuzz.sh` runs each target for a million inputs in release mode:
//! `FUZZ_CASES=N` sets the number of cases, `FUZZ_SEED=N` fixes the seed
//! (default: fixed in normal runs, random under `FUZZ_RANDOM=1`).

mod common;

mod calls;
mod files;
mod findings;
mod protobuf;
mod recordio;
mod resources;
mod spec;
mod text;
