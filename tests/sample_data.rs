//! The committed `sample_data/` is exactly what the generator says it is:
//! every fact read from it equals the generator's known value, and the count
//! and sum of facts per form match exactly.
mod common;

use common::*;
use juesuan::ingest::batch::{ReportRow, ingest};
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
    #[serde(default)]
    narratives: bool,
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
        narratives: manifest.narratives,
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

/// `ingest`, `check` and `run` hand the report to the chunk hook as it is
/// made (it is written while reading goes on) and keep only its problems:
/// the chunks' rows, in turn, are the whole report a batch held in memory
/// would have, and every problem, unmapped cell and rejection stays, with
/// the counts the summary and the workbook show.
#[test]
fn the_report_handed_on_chunk_by_chunk_is_the_whole_report_and_problems_stay() {
    use juesuan::ingest::batch::{Batch, Retain, Severity, ingest_chunked};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let catalogue = Catalogue::builtin().expect("specs");
    let whole = ingest(std::slice::from_ref(&root), &catalogue, false);
    let found = juesuan::ingest::discover::discover(std::slice::from_ref(&root));
    let files: std::collections::BTreeSet<String> = found
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    let mut handed_on = Vec::new();
    let mut files_reported = std::collections::BTreeSet::new();
    let mut chunks = 0;
    let streamed = ingest_chunked(
        found,
        &catalogue,
        &juesuan::ingest::read::Limits::default(),
        None,
        false,
        Retain::Workbooks,
        |_: &juesuan::ingest::batch::WorkbookFacts| (),
        |chunk| {
            chunks += 1;
            handed_on.extend(chunk.report.iter().map(|r| format!("{r:?}")));
            files_reported.extend(chunk.report.iter().map(|r| r.file.clone()));
        },
    );
    let rows = |report: &[juesuan::ingest::batch::ReportRow], info: bool| -> Vec<String> {
        report
            .iter()
            .filter(|r| info || r.severity != Severity::Info)
            .map(|r| format!("{r:?}"))
            .collect()
    };
    let counts = |b: &Batch| {
        [
            b.count(Severity::Error),
            b.count(Severity::Warning),
            b.files_rejected(),
            b.report.iter().filter(|r| r.kind == "unmapped").count(),
        ]
    };
    assert!(chunks >= 3, "{chunks} chunks");
    assert_eq!(streamed.check_accounting(), Ok(()));
    assert_eq!(
        files_reported, files,
        "every file has its rows in the report"
    );
    assert!(whole.count(Severity::Info) > 1000, "{}", whole.report.len());
    assert_eq!(handed_on, rows(&whole.report, true));
    assert_eq!(streamed.count(Severity::Info), 0);
    assert_eq!(rows(&streamed.report, false), rows(&whole.report, false));
    assert!(
        counts(&whole)[0] + counts(&whole)[1] > 0,
        "{:?}",
        counts(&whole)
    );
    assert_eq!(counts(&streamed), counts(&whole));

    // `juesuan ingest` writes those rows, chunk after chunk, as
    // ingest_report.csv: every one of them, in order.
    let out = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["ingest", "-q", "--out"])
        .arg(out.path())
        .arg(&root)
        .status()
        .expect("run juesuan");
    assert!(status.code().is_some_and(|c| c <= 1), "{status:?}");
    let mut reader =
        csv::Reader::from_path(out.path().join("ingest_report.csv")).expect("ingest_report.csv");
    let header = reader.headers().expect("header").clone();
    assert_eq!(
        header
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}'))
            .collect::<Vec<_>>(),
        ReportRow::COLUMNS
    );
    // The narratives' rows (one per document, after the workbooks') aside.
    let (documents, written): (Vec<Vec<String>>, Vec<Vec<String>>) = reader
        .records()
        .map(|r| {
            r.expect("row")
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .partition(|r| r[5] == "情况说明");
    assert_eq!(documents.len(), 90, "a row per narrative document");
    assert!(
        documents.iter().all(|r| r[4] == "document"),
        "{documents:?}"
    );
    let expected: Vec<Vec<String>> = whole
        .report
        .iter()
        .map(|r| r.fields().map(str::to_string).to_vec())
        .collect();
    assert_eq!(written.len(), expected.len());
    assert_eq!(written, expected);
}
