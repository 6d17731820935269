//! The test suite, one binary: the behavioural tests on every engine
//! (embedded, dynoxide over HTTP, moto; see [`common`]), the property tests and
//! the decoder fuzzing. One binary links the SDK once and runs every test in
//! one pool of threads. `tests/compile_errors.rs` (trybuild) and
//! `tests/layers.rs` (the import check) are separate.

#[macro_use]
mod common;

mod auto_increment;
mod batch_retry;
mod batch_write;
mod concurrency;
mod crash_safety;
mod crud;
mod engines;
mod expressions;
mod faults;
mod fuzz_decoders;
mod indexes;
mod json_view;
mod limits;
mod migrations;
mod multi_process;
mod native_transactions;
mod paging;
mod python_compat;
mod races;
mod reading;
mod reliability;
mod roundtrip_props;
mod sdk_retries;
mod secrets;
mod stored_format;
mod tables;
mod tracing_spans;
mod transactions;
mod update;
