//! `juesuan diff OLD_OUT NEW_OUT`: what changed between two runs — input
//! files, the changed files' facts, findings, flags and ranks — as one CSV
//! table (stdout or `--csv FILE`) and a summary on stderr.

use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

use juesuan::diff::{Change, Diff, compare_folders};
use juesuan::write::atomic_write;

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Output folder of the earlier run.
    pub old: PathBuf,
    /// Output folder of the later run.
    pub new: PathBuf,
    /// Write the changes to this CSV file (UTF-8 with BOM) instead of stdout.
    #[arg(long)]
    pub csv: Option<PathBuf>,
}

pub fn run(args: DiffArgs) -> Result<i32> {
    let diff = compare_folders(&args.old, &args.new)?;
    print_summary(&diff);
    match &args.csv {
        Some(path) => atomic_write(path, |file| {
            use std::io::Write;
            file.write_all("\u{feff}".as_bytes())?;
            write_csv(file, &diff.changes)
        })?,
        // A closed pipe (`| head`) ends the output quietly.
        None => {
            let _ = write_csv(std::io::stdout().lock(), &diff.changes);
        }
    }
    Ok(0)
}

/// The CSV's columns.
pub const COLUMNS: [&str; 6] = ["what", "change", "key", "about", "before", "after"];

fn write_csv(out: impl std::io::Write, changes: &[Change]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for c in changes {
        w.write_record([c.what, c.change, &c.key, &c.about, &c.before, &c.after])?;
    }
    w.flush()?;
    Ok(())
}

fn print_summary(diff: &Diff) {
    for warning in &diff.warnings {
        eprintln!("warning: {warning}");
    }
    let counts = diff.counts();
    let text: Vec<String> = counts
        .iter()
        .map(|((what, change), n)| format!("{what} {change} {n}"))
        .collect();
    eprintln!(
        "diff: run {} → run {}: {}",
        diff.old_run,
        diff.new_run,
        if text.is_empty() {
            "no change".to_string()
        } else {
            text.join(", ")
        }
    );
}
