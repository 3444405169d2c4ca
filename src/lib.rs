//! juesuan (决算): a batch engine for government departments' final accounts.
//!
//! The modules follow the data through the pipeline:
//! [`ingest`] (discover → read → recognise → extract → identity, run
//! together by its `batch`); [`validate`] checks the facts against the
//! consistency rules of [`rules`]; [`write`] writes every output. Domain
//! knowledge (forms, covers, units of money, rules) lives in TOML specs
//! loaded by [`spec`].
//! [`sample`] generates realistic corpora with known contents for tests and
//! benchmarks.

pub mod allocator;
pub mod analyse;
pub mod diff;
pub mod ids;
pub mod ingest;
pub mod lock;
pub mod manifest;
pub mod narrative;
pub mod pool;
pub mod query;
pub mod review;
pub mod roster;
pub mod rules;
pub mod sample;
pub mod sidefile;
pub mod spec;
pub mod text;
pub mod validate;
pub mod workbook;
pub mod write;
