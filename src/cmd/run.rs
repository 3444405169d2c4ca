//! `juesuan run <INPUT>... --out DIR`: ingest, check, analyse and write in
//! one pass — the main job.

use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

use super::InputArgs;
use super::check::print_check_summary;
use super::ingest::{ingest_into, peak_memory, print_summary, resident_memory};
use juesuan::analyse::analyse;
use juesuan::analyse::measures::Measurer;
use juesuan::analyse::spec::AnalysisSpec;
use juesuan::batch::Severity;
use juesuan::rules::FindingSeverity;
use juesuan::spec::Catalogue;
use juesuan::validate::{Checker, check_workbook};
use juesuan::workbook::write_workbook;
use juesuan::write::{write_analysis, write_findings};

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Folder of .sql files run after the built-in queries, each a sheet of
    /// league_tables.xlsx (a file named like a built-in one replaces it).
    #[arg(long)]
    pub queries: Vec<PathBuf>,
}

/// Wall time of each stage of a run, printed with `JUESUAN_TIMING=1`.
struct Phases {
    last: Instant,
    /// Each stage: its seconds, resident memory at its end and the peak so far.
    done: Vec<String>,
}

impl Phases {
    fn start() -> Phases {
        Phases {
            last: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Ends the stage `name`; returns its seconds.
    fn done(&mut self, name: &'static str) -> f64 {
        let now = Instant::now();
        let seconds = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.done.push(match resident_memory().zip(peak_memory()) {
            Some((now, peak)) => format!(
                "{name} {seconds:.2}s ({} MiB, peak {})",
                now / 1024,
                peak / 1024
            ),
            None => format!("{name} {seconds:.2}s"),
        });
        seconds
    }

    fn print_if_asked(&self) {
        if std::env::var_os("JUESUAN_TIMING").is_some() {
            eprintln!("timing: {}", self.done.join(", "));
        }
    }
}

/// Exit status 1 when a file could not be read; findings and flags are
/// results, not failures.
pub fn run(args: RunArgs) -> Result<i32> {
    juesuan::allocator::bound_resident_memory();
    let started = Instant::now();
    let catalogue = Catalogue::load(args.input.specs.as_deref())?;
    let spec = AnalysisSpec::load(args.input.specs.as_deref(), &catalogue)?;
    let mut phases = Phases::start();
    // What the checks and the analysis need of the facts is taken from each
    // workbook by the worker that read it, so that the facts are never all
    // in memory.
    let mut checker = Checker::new(&catalogue);
    let measurer = Measurer::new(&spec, &catalogue);
    let mut measured = Vec::new();
    let mut check_seconds = 0.0;
    let mut batch = ingest_into(
        &args.input,
        &catalogue,
        |wb| (check_workbook(wb, &catalogue), measurer.measure(wb)),
        |chunk, done| {
            let started = Instant::now();
            let (checks, measures): (Vec<_>, Vec<_>) = done.into_iter().unzip();
            checker.add_checked(chunk, checks);
            check_seconds += started.elapsed().as_secs_f64();
            measured.extend(measures);
        },
    )?;
    // ingest_report.csv is written: its information rows are needed no more.
    batch.release_information();
    phases.done("ingest, check and measure");
    let mut checked = checker.finish();
    check_seconds += phases.done("consolidation");
    write_findings(&args.input.out, &checked.findings)?;
    // Past the findings files, rounding gaps count only in totals, unless a
    // flag is raised on them: a province's run then holds a few thousand
    // findings through the analysis instead of hundreds of thousands.
    if !spec.flags_findings_of(FindingSeverity::Rounding) {
        checked.release(FindingSeverity::Rounding);
    }
    phases.done("write findings");
    let analysis = analyse(
        &batch.workbooks,
        measured,
        &checked.findings,
        &spec,
        &catalogue,
    )?;
    let analysis_seconds = phases.done("analyse");
    write_analysis(&args.input.out, &analysis, args.input.layout())?;
    phases.done("write analysis");
    let queries = juesuan::query::load(&args.queries)?;
    let mut ctx = juesuan::query::context(&args.input.out)?;
    let mut answers = Vec::new();
    for q in &queries {
        answers.push((q.clone(), juesuan::query::run(&mut ctx, q)?));
    }
    phases.done("queries");
    write_workbook(
        &args.input.out.join("league_tables.xlsx"),
        &batch,
        &checked,
        &analysis,
        &spec,
        &answers,
    )?;
    phases.done("workbook");
    phases.print_if_asked();
    print_summary(&batch, started.elapsed().as_secs_f64());
    print_check_summary(&checked, check_seconds);
    let units = analysis
        .entities
        .iter()
        .filter(|e| e.level == juesuan::analyse::measures::Level::Unit)
        .count();
    eprintln!(
        "analyse: {} unit-years, {} department-years, {} metric rows, {} flags in {:.2}s; {} queries | league_tables.xlsx, metrics.parquet, flags.parquet, scores.parquet",
        units,
        analysis.entities.len() - units,
        analysis.metrics.height(),
        analysis.flags.len(),
        analysis_seconds,
        answers.len()
    );
    Ok(i32::from(batch.count(Severity::Error) > 0))
}
