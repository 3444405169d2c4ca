//! The committed `sample_data/` is exactly what the generator says it is:
//! every fact read from it equals the generator's known value, and the count
//! and sum of facts per form match exactly.
mod common;

use common::*;
use juesuan::batch::ingest;
use juesuan::sample::{SampleConfig, generate};
use juesuan::spec::Catalogue;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
struct Manifest {
    departments: usize,
    first_year: i32,
    last_year: i32,
    seed: u64,
    with_seed_units: bool,
}

#[test]
fn committed_sample_data_yields_the_generators_facts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let manifest: Manifest =
        toml::from_str(&std::fs::read_to_string(root.join("manifest.toml")).expect("manifest"))
            .expect("manifest parses");
    let config = SampleConfig {
        departments: manifest.departments,
        first_year: manifest.first_year,
        last_year: manifest.last_year,
        seed: manifest.seed,
        with_seed_units: manifest.with_seed_units,
    };
    let catalogue = Catalogue::builtin().expect("specs");
    let corpus = generate(&config, &catalogue).expect("generate");
    let batch = ingest(std::slice::from_ref(&root), &catalogue, false);

    let expected = expected_facts(&corpus);
    let read = read_facts(&batch, &root);
    let per_form = |facts: &FactMap| {
        let mut m: BTreeMap<String, (usize, i64)> = BTreeMap::new();
        for (form, _, _, _, amount, _) in facts.values() {
            let e = m.entry(form.clone()).or_default();
            e.0 += 1;
            e.1 += amount;
        }
        m
    };
    assert_eq!(
        per_form(&read),
        per_form(&expected),
        "count and sum per form"
    );
    assert_reads_back("sample_data", &corpus, &batch, &root);
    assert!(
        expected.len() > 50_000,
        "the sample is a few MB of real-looking data: {} facts",
        expected.len()
    );
}

/// `run` lets go of the report's information rows once ingest_report.csv is
/// written; every problem, unmapped cell and rejection stays, and so do
/// the counts the summary and the workbook show.
#[test]
fn releasing_the_reports_information_keeps_every_problem() {
    use juesuan::batch::Severity;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let catalogue = Catalogue::builtin().expect("specs");
    let mut batch = ingest(std::slice::from_ref(&root), &catalogue, false);
    let problems = |b: &juesuan::batch::Batch| -> Vec<String> {
        b.report
            .iter()
            .filter(|r| r.severity != Severity::Info)
            .map(|r| format!("{r:?}"))
            .collect()
    };
    let counts = |b: &juesuan::batch::Batch| {
        [
            b.count(Severity::Error),
            b.count(Severity::Warning),
            b.files_rejected(),
            b.report.iter().filter(|r| r.kind == "unmapped").count(),
        ]
    };
    let (rows, problems_before, counts_before) =
        (batch.report.len(), problems(&batch), counts(&batch));
    assert!(batch.count(Severity::Info) > 1000, "{rows} report rows");
    assert!(counts_before[0] + counts_before[1] > 0, "{counts_before:?}");
    batch.release_information();
    assert_eq!(batch.count(Severity::Info), 0);
    assert_eq!(batch.report.len(), problems_before.len());
    assert_eq!(problems(&batch), problems_before);
    assert_eq!(counts(&batch), counts_before);
}
