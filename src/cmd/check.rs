//! `juesuan check <INPUT>... --out DIR`: ingest, then every consistency rule
//! (勾稽关系); writes findings.parquet and findings.csv beside the ingest
//! outputs and sets the exit status from the worst finding.

use anyhow::Result;
use clap::{Args, ValueEnum};
use std::ops::ControlFlow;
use std::time::Instant;

use super::ingest::{ingest_into, print_narrative_summary, print_summary};
use super::{InputArgs, ReviewArgs, RosterArgs, Start};
use juesuan::analyse::measures::{Measurer, Measures};
use juesuan::analyse::spec::AnalysisSpec;
use juesuan::ingest::batch::{Assess, Batch, Severity, WorkbookFacts};
use juesuan::ingest::codec::{Packed, Unpacked};
use juesuan::manifest::Manifest;
use juesuan::narrative::Narratives;
use juesuan::roster::Filing;
use juesuan::rules::FindingSeverity;
use juesuan::spec::Catalogue;
use juesuan::validate::{CheckRun, Checker, WorkbookCheck, cells_text, check_indexed};
use juesuan::write::write_findings;

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub review: ReviewArgs,
    #[command(flatten)]
    pub roster: RosterArgs,
    /// Exit with status 1 when an open finding (not reviewed, or reopened)
    /// is at least this severe, or a file could not be read, so the check
    /// can gate a pipeline.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FailOn {
    Error,
    Warning,
    Rounding,
}

impl FailOn {
    fn threshold(self) -> FindingSeverity {
        match self {
            FailOn::Error => FindingSeverity::Error,
            FailOn::Warning => FindingSeverity::Warning,
            FailOn::Rounding => FindingSeverity::Rounding,
        }
    }
}

pub fn run(args: CheckArgs) -> Result<i32> {
    let _lock = args.input.lock()?;
    let started = Instant::now();
    let catalogue = Catalogue::load(args.input.specs.as_deref())?;
    let mut manifest = args.input.manifest("check")?;
    let fail_on = format!("{:?}", args.fail_on);
    manifest.options.insert("fail_on".into(), fail_on);
    let start = match super::start(&args.input, &args.review, &args.roster, manifest)? {
        ControlFlow::Break(status) => return Ok(status),
        ControlFlow::Continue(start) => start,
    };
    // The measures a narrative's figures are compared with.
    let spec = AnalysisSpec::load(args.input.specs.as_deref(), &catalogue)?;
    let read = read_and_check(&args.input, start, &catalogue, &spec)?;
    write_findings(&args.input.out, &read.checked)?;
    let Read {
        batch,
        narratives,
        checked,
        mut manifest,
        check_seconds,
        ..
    } = read;
    manifest.timing("total", started.elapsed().as_secs_f64());
    let threshold = args.fail_on.threshold();
    let failed = batch.count(Severity::Error) > 0
        || (checked.findings.iter().enumerate())
            .any(|(i, f)| f.severity >= threshold && checked.is_open(i));
    let status = i32::from(failed);
    let read = (&batch, &narratives);
    super::write_manifest(manifest, &args.input.out, read, Some(&checked), status)?;
    print_summary(&batch, started.elapsed().as_secs_f64());
    print_narrative_summary(&narratives);
    print_check_summary(&checked, check_seconds);
    Ok(status)
}

/// What `check` and `run` have once every workbook is read and checked.
pub struct Read {
    pub batch: Batch,
    pub narratives: Narratives,
    pub checked: CheckRun,
    /// Each workbook's measures, for the analysis.
    pub measured: Vec<Measures>,
    /// The roster's filings (empty without one).
    pub filings: Vec<Filing>,
    pub manifest: Manifest,
    /// Seconds the checks took on the reading thread and after.
    pub check_seconds: f64,
}

/// Reads every workbook, checking and measuring each in the worker that
/// read it (so that the facts are never all in memory), then compares the
/// narratives with the tables, reconciles the roster, consolidates and
/// applies the review file.
pub fn read_and_check(
    input: &InputArgs,
    start: Start,
    catalogue: &Catalogue,
    spec: &AnalysisSpec,
) -> Result<Read> {
    let Start {
        mut manifest,
        review: (review_spec, review),
        roster,
        prepared,
    } = start;
    let assessor = CheckAndMeasure {
        catalogue,
        measurer: Measurer::new(spec, catalogue),
    };
    let mut checker = Checker::new(catalogue);
    let mut measured = Vec::new();
    let mut check_seconds = 0.0;
    let (batch, mut narratives) = ingest_into(
        input,
        prepared,
        catalogue,
        &mut manifest,
        assessor,
        |chunk, done| {
            let started = Instant::now();
            let (checks, measures): (Vec<_>, Vec<_>) = done.into_iter().unzip();
            checker.add_checked(chunk, checks);
            check_seconds += started.elapsed().as_secs_f64();
            measured.extend(measures);
        },
    )?;
    let started = Instant::now();
    // What the narratives state against the tables of their unit-years.
    juesuan::narrative::against::compare(&mut narratives, &batch.workbooks, &measured);
    juesuan::write::write_claims(&input.out, &narratives)?;
    checker.add_findings(narratives.findings());
    let (filings, lacking) = RosterArgs::reconcile(roster.as_ref(), &batch, &input.out)?;
    checker.add_findings(lacking);
    let mut checked = checker.finish();
    checked.apply_review(review_spec, review);
    check_seconds += started.elapsed().as_secs_f64();
    Ok(Read {
        batch,
        narratives,
        checked,
        measured,
        filings,
        manifest,
        check_seconds,
    })
}

/// Each workbook's checks (but consolidation) and measures, made in the
/// worker that read it, and kept in the reading cache beside its reading.
struct CheckAndMeasure<'a> {
    catalogue: &'a Catalogue,
    measurer: Measurer<'a>,
}

/// First byte of what [`CheckAndMeasure`] keeps.
const CHECKED_AND_MEASURED: u8 = b'C';

impl Assess for CheckAndMeasure<'_> {
    type Output = (WorkbookCheck, Measures);

    fn assess(&self, wb: &WorkbookFacts) -> Self::Output {
        let index = wb.index();
        (
            check_indexed(wb, &index, self.catalogue),
            self.measurer.measure_indexed(wb, &index),
        )
    }

    fn keep(&self, (check, measures): &Self::Output, wb: &WorkbookFacts, out: &mut Vec<u8>) {
        let mut packed = Packed::default();
        let kept = check.keep(&self.catalogue.rules, wb, &mut packed)
            && self.measurer.keep(measures, wb, &mut packed);
        if kept {
            out.push(CHECKED_AND_MEASURED);
            packed.finish(out);
        }
    }

    fn restore(&self, kept: &[u8], wb: &WorkbookFacts) -> Option<Self::Output> {
        let mut c = Unpacked::new(kept.strip_prefix(&[CHECKED_AND_MEASURED])?)?;
        let check = WorkbookCheck::restore(&mut c, &self.catalogue.rules, wb)?;
        let measures = self.measurer.restore(&mut c, wb)?;
        c.is_empty().then_some((check, measures))
    }
}

/// Totals by severity, then the rules that found something, then the first errors.
pub fn print_check_summary(checked: &CheckRun, seconds: f64) {
    let identities: usize = checked.evaluated.iter().map(|(_, n)| n).sum();
    eprintln!(
        "check: {identities} identities (while reading, then {seconds:.2}s) | findings: {} error, {} warning, {} rounding (findings.csv)",
        checked.count(FindingSeverity::Error),
        checked.count(FindingSeverity::Warning),
        checked.count(FindingSeverity::Rounding),
    );
    let rows: Vec<_> = checked
        .by_rule()
        .into_iter()
        .filter(|(_, _, counts)| counts.iter().any(|&c| c > 0))
        .collect();
    if !rows.is_empty() {
        eprintln!(
            "  {:<34} {:>9} {:>7} {:>8} {:>9}",
            "rule", "checked", "error", "warning", "rounding"
        );
    }
    for (id, n, [rounding, warning, error]) in rows {
        eprintln!("  {id:<34} {n:>9} {error:>7} {warning:>8} {rounding:>9}");
    }
    print_review_summary(checked);
    let errors = checked
        .findings
        .iter()
        .filter(|f| f.severity == FindingSeverity::Error);
    for f in errors.clone().take(10) {
        let id = &f.workbook.identity;
        eprintln!(
            "  error {} {} {}: {} = {} ≠ {} (差 {}) at {}",
            f.rule_id,
            id.year,
            id.unit_name,
            f.left,
            f.left_amount,
            f.right_amount,
            f.difference(),
            f.cells
                .first()
                .map(|c| format!("{} {}", c.file, cells_text(std::slice::from_ref(c))))
                .unwrap_or_default()
        );
    }
    let n = errors.count();
    if n > 10 {
        eprintln!("  … and {} more errors in findings.csv", n - 10);
    }
}

/// With a review file: what it left open, what it reviewed, what it could
/// not match.
fn print_review_summary(checked: &CheckRun) {
    let Some(review) = &checked.review else {
        return;
    };
    let Some(file) = &review.file else {
        return;
    };
    let counts = review.counts(&checked.findings);
    let statuses: Vec<String> = (counts.by_status.iter())
        .map(|(status, n)| format!("{status} {n}"))
        .collect();
    eprintln!(
        "review ({}): errors and warnings {} open ({} reopened), {} reviewed ({}) | {} rows review nothing (review_stale.csv) | open ones to review: review_open.csv",
        file.path,
        counts.open,
        counts.reopened,
        counts.reviewed,
        statuses.join(", "),
        counts.unmatched
    );
    for u in review.unmatched.iter().take(5) {
        eprintln!("  line {} {}: {}", u.entry.line, u.entry.id, u.problem);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is kept of each workbook's checks and measures reads back as
    /// made, on every workbook of the sample (findings of each severity,
    /// 单户表 with their leaves, 汇总表 and disclosures).
    #[test]
    fn kept_checks_and_measures_read_back_as_made() {
        let catalogue = Catalogue::builtin().expect("specs");
        let spec = AnalysisSpec::load(None, &catalogue).expect("analysis spec");
        let assessor = CheckAndMeasure {
            catalogue: &catalogue,
            measurer: Measurer::new(&spec, &catalogue),
        };
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/corpus");
        let batch = juesuan::ingest::batch::ingest(&[root], &catalogue, false);
        let (mut findings, mut leaves) = (0, 0);
        for wb in &batch.workbooks {
            let made = assessor.assess(wb);
            let mut kept = Vec::new();
            assessor.keep(&made, wb, &mut kept);
            assert!(!kept.is_empty(), "{} kept", wb.file);
            let back = assessor.restore(&kept, wb).expect("reads back");
            assert_eq!(format!("{back:?}"), format!("{made:?}"), "{}", wb.file);
            findings += made.0.findings().len();
            leaves += made.1.audit.as_ref().map_or(0, |a| a.leaves.len());
            // Damaged or another command's bytes are not taken.
            assert!(assessor.restore(&kept[..kept.len() - 1], wb).is_none());
            assert!(assessor.restore(&kept[1..], wb).is_none());
        }
        assert!(
            findings > 0 && leaves > 0,
            "{findings} findings, {leaves} leaves"
        );
    }
}
