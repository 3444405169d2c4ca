//! `juesuan query FILE --data DIR`: runs one SQL file ad hoc against the
//! Parquet outputs of a previous run and prints the result as CSV on stdout
//! (or writes it to a file).

use anyhow::{Context, Result};
use clap::Args;
use polars::prelude::{AnyValue, DataFrame};
use std::path::PathBuf;

use juesuan::query::{Query, context, run as run_query};
use juesuan::write::atomic_write;

#[derive(Args, Debug)]
pub struct QueryArgs {
    /// The .sql file (tables: facts, units, measures, metrics, flags, findings, scores).
    pub file: PathBuf,
    /// Output folder of a previous `juesuan run`.
    #[arg(long)]
    pub data: PathBuf,
    /// Write the result to this CSV file (UTF-8 with BOM) instead of stdout.
    #[arg(long)]
    pub csv: Option<PathBuf>,
}

pub fn run(args: QueryArgs) -> Result<i32> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let query = Query::parse(&args.file.display().to_string(), &text)?;
    warn_if_mixed(&args.data)?;
    let mut ctx = context(&args.data)?;
    let frame = run_query(&mut ctx, &query)?;
    eprintln!("{}: {} rows", query.title, frame.height());
    match &args.csv {
        Some(path) => atomic_write(path, |file| {
            use std::io::Write;
            file.write_all("\u{feff}".as_bytes())?;
            write_csv(file, &frame)
        })?,
        // A closed pipe (`| head`) ends the output quietly.
        None => {
            let _ = write_csv(std::io::stdout().lock(), &frame);
        }
    }
    Ok(0)
}

/// A folder whose files are not all of one run (its manifest says which)
/// is answered, with a warning naming the files.
pub fn warn_if_mixed(data: &std::path::Path) -> Result<()> {
    let problems = juesuan::manifest::mixed_runs(data)?;
    if !problems.is_empty() {
        eprintln!(
            "warning: {} holds the outputs of more than one run:",
            data.display()
        );
        for problem in &problems {
            eprintln!("  {problem}");
        }
    }
    Ok(())
}

fn write_csv(out: impl std::io::Write, frame: &DataFrame) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(frame.get_column_names().iter().map(|n| n.as_str()))?;
    for r in 0..frame.height() {
        let record: Vec<String> = frame
            .columns()
            .iter()
            .map(|c| match c.get(r) {
                Ok(AnyValue::Null) | Err(_) => String::new(),
                // Text as it is (categorical and owned strings too), never quoted.
                Ok(v) if v.get_str().is_some() => v.get_str().unwrap_or_default().to_string(),
                Ok(AnyValue::Float64(x)) => x.to_string(),
                Ok(AnyValue::Float32(x)) => x.to_string(),
                Ok(v) => v.to_string(),
            })
            .collect();
        w.write_record(record)?;
    }
    w.flush()?;
    Ok(())
}
