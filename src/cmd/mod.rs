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
    /// Seconds one workbook may take to read before it is given up (and
    /// reported as rejected), so that one pathological file cannot stall
    /// the batch.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub file_time_limit: f64,
    /// Write facts and metrics as Hive-style folders by year
    /// (`facts/year=2023/part-0.parquet`) instead of single files, for
    /// DuckDB, Spark or Trino to read directly.
    #[arg(long)]
    pub partition: bool,
    /// When another juesuan run holds the output folder, wait for it to
    /// end instead of stopping.
    #[arg(long)]
    pub wait: bool,
}

impl InputArgs {
    /// Holds the output folder for this run ([`juesuan::lock`]).
    pub fn lock(&self) -> anyhow::Result<juesuan::lock::OutputLock> {
        juesuan::lock::OutputLock::acquire(&self.out, self.wait)
    }

    pub fn layout(&self) -> juesuan::write::Layout {
        if self.partition {
            juesuan::write::Layout::ByYear
        } else {
            juesuan::write::Layout::Single
        }
    }

    /// What one workbook may cost: the reader's defaults, with the time
    /// limit given on the command line.
    pub fn limits(&self) -> anyhow::Result<juesuan::ingest::read::Limits> {
        let file_time = std::time::Duration::try_from_secs_f64(self.file_time_limit)
            .map_err(|_| anyhow::anyhow!("--file-time-limit must be a number of seconds ≥ 0"))?;
        Ok(juesuan::ingest::read::Limits {
            file_time,
            ..Default::default()
        })
    }
}

/// What `check` and `run` take of the analyst's review.
#[derive(Args, Debug)]
pub struct ReviewArgs {
    /// The review file (CSV or .xlsx): findings already looked at, by id,
    /// with status, reason, reviewer, date and the amounts when reviewed
    /// (see review.toml; review_open.csv is one to start from).
    #[arg(long, value_name = "FILE")]
    pub review: Option<PathBuf>,
}

impl ReviewArgs {
    /// Reads the review file now, before the batch, so that a wrong path
    /// stops the run at once.
    pub fn load(
        &self,
        specs: Option<&std::path::Path>,
    ) -> anyhow::Result<(
        juesuan::review::ReviewSpec,
        Option<juesuan::review::ReviewFile>,
    )> {
        let spec = juesuan::review::ReviewSpec::load(specs)?;
        let file = match &self.review {
            Some(path) => Some(juesuan::review::ReviewFile::load(path, &spec)?),
            None => None,
        };
        Ok((spec, file))
    }
}
