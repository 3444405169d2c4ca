//! Every fact the generator writes is read back exactly, on fresh corpora
//! with every layout variation, and nothing in them is left unmapped.
mod common;

use common::*;
use juesuan::sample::SampleConfig;

fn roundtrip(seed: u64, departments: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = SampleConfig {
        departments,
        first_year: 2022,
        last_year: 2024,
        seed,
        with_seed_units: false,
        narratives: true,
    };
    let (corpus, batch) = generate_and_read(&config, dir.path());
    assert_reads_back(&format!("seed {seed}"), &corpus, &batch, dir.path());
}

#[test]
fn corpus_seed_11_reads_back_fact_by_fact() {
    roundtrip(11, 14);
}

#[test]
fn corpus_seed_7_reads_back_fact_by_fact() {
    roundtrip(7, 30);
}
