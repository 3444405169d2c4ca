//! One module per command; each turns parsed arguments into pipeline calls.

pub mod ingest;
pub mod sample;
pub mod specs;
