//! The test suite, one binary: the behavioural tests on every engine
//! (embedded, dynoxide over HTTP, moto; see [`common`]), the property tests and
//! the decoder fuzzing. One binary links the SDK once and runs every test in
//! one pool of threads. Each engine's tests are built with its feature
//! (`--no-default-features --features embedded` builds the embedded engine's
//! only; modules that need one engine say so below). `tests/compile_errors.rs`
//! (trybuild) and `tests/layers.rs` (the import check) are separate.

#![cfg(any(feature = "embedded", feature = "aws"))]

#[macro_use]
mod common;

mod alternator;
mod auto_increment;
mod backfill;
mod batch_retry;
mod batch_write;
// Streams: the embedded engine's, or the aws engine's with aws-streams.
#[cfg(any(feature = "embedded", feature = "aws-streams"))]
mod changes;
mod concurrency;
mod conflict_current;
#[cfg(feature = "embedded")]
mod crash_safety;
mod crud;
mod derive_hygiene;
mod engines;
mod entities;
mod entities_hostile;
mod expressions;
mod faults;
mod fuzz_decoders;
mod indexes;
mod json_view;
#[cfg(feature = "lambda")]
mod lambda;
mod limits;
#[cfg(feature = "aws")]
mod local_endpoint;
mod migrations;
mod multi_attribute_keys;
mod multi_attribute_keys_policies;
mod multi_attribute_keys_types;
#[cfg(feature = "embedded")]
mod multi_process;
mod native_transactions;
mod pacing;
mod paging;
mod python_compat;
mod python_format_hostile;
mod python_format_models;
#[cfg(feature = "aws")]
mod races;
mod reading;
mod refused_item;
#[cfg(feature = "aws")]
mod reliability;
mod roundtrip_props;
#[cfg(feature = "aws")]
mod sdk_retries;
mod secrets;
mod serde_fields;
mod stored_format;
#[cfg(feature = "embedded")]
mod stream_index;
#[cfg(feature = "embedded")]
mod stream_lineage;
mod tables;
mod template_props;
#[cfg(feature = "embedded")]
mod tracing_spans;
mod transaction_setup;
mod transactions;
mod unique;
mod update;
mod vector_search;
mod vector_search_policies;
mod vector_search_writes;
mod write_promises;
