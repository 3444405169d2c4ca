//! `juesuan run <INPUT>... --out DIR`: ingest, check, analyse and write in
//! one pass — the main job.

use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

use super::InputArgs;
use super::check::print_check_summary;
use super::ingest::{ingest_into, print_summary};
use juesuan::analyse::analyse;
use juesuan::analyse::spec::AnalysisSpec;
use juesuan::batch::Severity;
use juesuan::spec::Catalogue;
use juesuan::validate::check;
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

/// Exit status 1 when a file could not be read; findings and flags are
/// results, not failures.
pub fn run(args: RunArgs) -> Result<i32> {
    let started = Instant::now();
    let catalogue = Catalogue::load(args.input.specs.as_deref())?;
    let spec = AnalysisSpec::load(args.input.specs.as_deref(), &catalogue)?;
    let batch = ingest_into(&args.input, &catalogue)?;
    let check_started = Instant::now();
    let checked = check(&batch.workbooks, &catalogue);
    let check_seconds = check_started.elapsed().as_secs_f64();
    write_findings(&args.input.out, &checked.findings)?;
    let analysis_started = Instant::now();
    let analysis = analyse(&batch.workbooks, &checked.findings, &spec, &catalogue)?;
    let analysis_seconds = analysis_started.elapsed().as_secs_f64();
    write_analysis(&args.input.out, &analysis, args.input.layout())?;
    let queries = juesuan::query::load(&args.queries)?;
    let mut ctx = juesuan::query::context(&args.input.out)?;
    let mut answers = Vec::new();
    for q in &queries {
        answers.push((q.clone(), juesuan::query::run(&mut ctx, q)?));
    }
    write_workbook(
        &args.input.out.join("league_tables.xlsx"),
        &batch,
        &checked,
        &analysis,
        &spec,
        &answers,
    )?;
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
        analysis.metrics.long.height(),
        analysis.flags.len(),
        analysis_seconds,
        answers.len()
    );
    Ok(i32::from(batch.count(Severity::Error) > 0))
}
