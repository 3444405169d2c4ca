//! The consistency check (勾稽关系) on the committed sample data: every
//! planted error is found as `error` at its cell, and nothing else is.
mod common;

use juesuan::ingest::batch::ingest;
use juesuan::rules::FindingSeverity;
use juesuan::spec::Catalogue;
use juesuan::validate::{CheckRun, check};
use std::collections::BTreeSet;
use std::path::Path;

/// (file relative to sample_data, sheet, cell) of every planted consistency error.
fn planted_cells(root: &Path) -> BTreeSet<(String, String, String)> {
    let text = std::fs::read_to_string(root.join("truth.csv")).expect("truth.csv");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (kind, file, sheet, cell) = (col("kind"), col("file"), col("sheet"), col("cell"));
    reader
        .records()
        .map(|r| r.expect("truth row"))
        .filter(|r| &r[kind] == "consistency_error")
        .map(|r| {
            (
                r[file].to_string(),
                r[sheet].to_string(),
                r[cell].to_string(),
            )
        })
        .collect()
}

/// Every row of truth.csv, as texts.
fn truth_rows(root: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(root.join("truth.csv")).expect("truth.csv");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| r.expect("truth row").iter().map(str::to_string).collect())
        .collect()
}

fn checked_sample() -> (CheckRun, BTreeSet<(String, String, String)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let catalogue = Catalogue::builtin().expect("specs");
    let batch = ingest(std::slice::from_ref(&root), &catalogue, false);
    (check(&batch.workbooks, &catalogue), planted_cells(&root))
}

#[test]
fn every_planted_error_is_found_at_its_cell_and_nothing_else_is_an_error() {
    let (run, planted) = checked_sample();
    assert!(
        planted.len() >= 15,
        "truth.csv plants {} errors",
        planted.len()
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let cells_of = |f: &juesuan::validate::Finding| -> BTreeSet<(String, String, String)> {
        f.cells
            .iter()
            .map(|c| {
                let rel = Path::new(&*c.file)
                    .strip_prefix(&root)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_else(|_| c.file.to_string());
                (rel, c.sheet.to_string(), c.cell())
            })
            .collect()
    };
    let errors: Vec<_> = run
        .findings
        .iter()
        .filter(|f| f.severity == FindingSeverity::Error)
        .collect();
    let found: BTreeSet<_> = errors.iter().flat_map(|f| cells_of(f)).collect();
    let missed: Vec<_> = planted.iter().filter(|p| !found.contains(*p)).collect();
    // The audit cases planted as rule breaches (a 30217 line above its 三公
    // item), in their department-year: the unit's workbook and its 汇总表.
    let audit: BTreeSet<(String, i32, String)> = truth_rows(&root)
        .into_iter()
        .filter(|r| r[0] == "audit")
        .map(|r| (r[1].clone(), r[2].parse().expect("year"), r[5].clone()))
        .collect();
    let is_audit_case = |f: &juesuan::validate::Finding| {
        let id = &f.workbook.identity;
        audit.contains(&(
            f.rule_id.to_string(),
            id.year,
            id.dept_code.clone().unwrap_or_default(),
        ))
    };
    let spurious: Vec<String> = errors
        .iter()
        .filter(|f| cells_of(f).is_disjoint(&planted) && !is_audit_case(f))
        .map(|f| {
            format!(
                "{} {} {}: {} = {} vs {} (tolerance {}) at {}",
                f.rule_id,
                f.workbook.identity.year,
                f.workbook.identity.unit_name,
                f.left,
                f.left_amount,
                f.right_amount,
                f.tolerance,
                f.cells_text()
            )
        })
        .collect();
    assert!(
        missed.is_empty(),
        "planted errors not reported: {missed:#?}"
    );
    assert!(
        spurious.is_empty(),
        "{} errors at no planted cell:\n{}",
        spurious.len(),
        spurious.join("\n")
    );
    // Recall and precision are both 100%: every planted cell is reported,
    // every error points at a planted cell.
    assert!(errors.len() >= planted.len());
}

/// What `check` and `run` do: each workbook checked by the worker that read
/// it, the batch keeping workbooks without their facts, consolidation at the
/// end. The findings must be those of checking the whole batch at once.
#[test]
fn checking_chunk_by_chunk_while_reading_finds_what_checking_everything_finds() {
    use juesuan::ingest::batch::{Retain, ingest_chunked};
    use juesuan::ingest::read::Limits;
    use juesuan::validate::{Checker, check_workbook};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let catalogue = Catalogue::builtin().expect("specs");
    let (whole, _) = checked_sample();

    let mut checker = Checker::new(&catalogue);
    let mut chunks = 0;
    let batch = ingest_chunked(
        juesuan::ingest::discover::discover(std::slice::from_ref(&root)),
        &catalogue,
        &Limits::default(),
        None,
        false,
        Retain::Workbooks,
        |wb: &juesuan::ingest::batch::WorkbookFacts| check_workbook(wb, &catalogue),
        |chunk| {
            chunks += 1;
            checker.add_checked(chunk.workbooks, chunk.done);
        },
    );
    let streamed = checker.finish();
    assert!(chunks >= 3, "{chunks} chunks");
    assert!(batch.workbooks.iter().all(|w| w.facts.is_empty()));
    assert!(batch.fact_count() > 10_000, "{}", batch.fact_count());

    let summary = |run: &CheckRun| -> Vec<String> {
        run.findings
            .iter()
            .map(|f| {
                format!(
                    "{} {:?} {} {} {} {} {} {} {}",
                    f.rule_id,
                    f.severity,
                    f.workbook.file,
                    f.left,
                    f.right,
                    f.left_amount,
                    f.right_amount,
                    f.tolerance,
                    f.cells_text()
                )
            })
            .collect()
    };
    let consolidation = |run: &CheckRun| {
        run.findings
            .iter()
            .filter(|f| &*f.rule_id == "consolidation")
            .count()
    };
    assert!(
        consolidation(&whole) > 0,
        "the sample has consolidation gaps"
    );
    assert_eq!(consolidation(&streamed), consolidation(&whole));
    assert_eq!(summary(&streamed), summary(&whole));
    assert_eq!(streamed.evaluated, whole.evaluated);
}

/// `run` lets go of the rounding gaps once the findings files are written:
/// every total and per-rule count stays, and so does every other finding.
#[test]
fn released_rounding_gaps_still_count() {
    use FindingSeverity::{Error, Rounding, Warning};
    let (mut run, _) = checked_sample();
    let totals = |run: &CheckRun| [Rounding, Warning, Error].map(|s| run.count(s));
    let others = |run: &CheckRun| -> Vec<String> {
        run.findings
            .iter()
            .filter(|f| f.severity != Rounding)
            .map(|f| format!("{f:?}"))
            .collect()
    };
    let (totals_before, rules_before, others_before) = (totals(&run), run.by_rule(), others(&run));
    assert!(
        totals_before[0] > 1000,
        "the sample has {totals_before:?} findings"
    );
    run.release(Rounding);
    assert!(run.findings.iter().all(|f| f.severity != Rounding));
    assert_eq!(run.findings.len(), totals_before[1] + totals_before[2]);
    assert_eq!(totals(&run), totals_before);
    assert_eq!(run.by_rule(), rules_before);
    assert_eq!(others(&run), others_before);
}

/// `run` keeps the rounding gaps one by one only when a `findings` flag
/// counts them: the built-in flags count errors.
#[test]
fn rounding_gaps_are_kept_only_for_a_flag_that_counts_them() {
    use juesuan::analyse::spec::{AnalysisSpec, FlagKind};
    let catalogue = Catalogue::builtin().expect("specs");
    let mut spec = AnalysisSpec::load(None, &catalogue).expect("analysis specs");
    assert!(spec.flags_findings_of(FindingSeverity::Error));
    assert!(!spec.flags_findings_of(FindingSeverity::Rounding));
    let flag = spec
        .flags
        .iter_mut()
        .find(|f| f.kind == FlagKind::Findings)
        .expect("a findings flag");
    flag.severity = Some("rounding".into());
    assert!(spec.flags_findings_of(FindingSeverity::Rounding));
}

/// Findings are written a batch at a time: the files read back the same
/// whatever the batch size.
#[test]
fn findings_written_in_batches_read_back_whole() {
    use juesuan::write::write_findings_batched;
    use polars::prelude::{ParquetReader, SerReader};
    let (run, _) = checked_sample();
    let n = run.findings.len();
    assert!(n > 2000, "the sample has {n} findings");
    let written = |per_batch: usize| {
        let dir = tempfile::tempdir().expect("tempdir");
        write_findings_batched(dir.path(), &run, per_batch).expect("write findings");
        let csv = std::fs::read_to_string(dir.path().join("findings.csv")).expect("findings.csv");
        let parquet = std::fs::File::open(dir.path().join("findings.parquet")).expect("parquet");
        let frame = ParquetReader::new(parquet)
            .finish()
            .expect("read findings.parquet");
        (csv, frame)
    };
    let (whole_csv, whole) = written(n);
    let (batched_csv, batched) = written(1000);
    assert_eq!(whole_csv.lines().count(), n + 1);
    assert_eq!(whole.height(), n);
    assert_eq!(batched_csv, whole_csv);
    assert!(batched.equals_missing(&whole));
    let last = run.findings.last().expect("a finding");
    let last_line = batched_csv.lines().last().expect("a line");
    let last_id = juesuan::ids::finding_ids(&run.findings)
        .pop()
        .expect("an id");
    assert!(
        last_line.starts_with(&format!("{last_id},{},", last.rule_id)),
        "{last_line}"
    );
}
