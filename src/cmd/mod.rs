//! One module per command; each turns parsed arguments into pipeline calls.

pub mod check;
pub mod ingest;
pub mod query;
pub mod run;
pub mod sample;
pub mod specs;

use clap::Args;
use std::path::PathBuf;

/// What every command that reads workbooks takes.
#[derive(Args, Debug)]
pub struct InputArgs {
    /// Workbooks (.xlsx, .xlsm, .xls) or folders searched recursively.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Folder of spec files (forms, cover, rules …) overriding the built-in
    /// ones by file name (see `juesuan specs`).
    #[arg(long, alias = "forms")]
    pub specs: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}
