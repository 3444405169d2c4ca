//! Every fact the generator writes is read back exactly, on fresh corpora
//! with every layout variation, and nothing in them is left unmapped.
mod common;

use common::*;
use juesuan::batch::Severity;
use juesuan::sample::SampleConfig;

fn roundtrip(seed: u64, departments: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = SampleConfig {
        departments,
        first_year: 2022,
        last_year: 2024,
        seed,
        with_seed_units: false,
    };
    let (corpus, batch) = generate_and_read(&config, dir.path());
    let expected = expected_facts(&corpus);
    let read = read_facts(&batch, dir.path());
    let diffs = differences(&expected, &read, 40);
    assert!(
        diffs.is_empty(),
        "seed {seed}: {} expected, {} read; differences:\n{}",
        expected.len(),
        read.len(),
        diffs.join("\n")
    );
    let bad: Vec<String> = batch
        .report
        .iter()
        .filter(|r| r.severity == Severity::Error || r.kind == "unmapped")
        .take(20)
        .map(|r| format!("{} [{}] {} {}", r.file, r.sheet, r.cell, r.message))
        .collect();
    assert!(
        bad.is_empty(),
        "seed {seed}: errors or unmapped cells on a generated corpus:\n{}",
        bad.join("\n")
    );
    assert_eq!(batch.workbooks.len(), corpus.files.len());
}

#[test]
fn corpus_seed_11_reads_back_fact_by_fact() {
    roundtrip(11, 14);
}

#[test]
fn corpus_seed_7_reads_back_fact_by_fact() {
    roundtrip(7, 30);
}
