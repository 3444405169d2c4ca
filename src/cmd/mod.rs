//! One module per command; each turns parsed arguments into pipeline calls.

pub mod check;
pub mod diff;
pub mod ingest;
pub mod query;
pub mod run;
pub mod sample;
pub mod specs;

use clap::Args;
use juesuan::ingest::batch::Batch;
use juesuan::ingest::cache::ReadCache;
use juesuan::manifest::{Manifest, hash_files};
use juesuan::narrative::Narratives;
use juesuan::validate::CheckRun;
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
    /// Folder of the reading cache: each workbook's reading kept by its
    /// content, so that a re-run reads only new and changed files
    /// (default for check and run: `.cache` in the output folder; ingest
    /// keeps one only when given this).
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Read every workbook and write every output: neither use nor keep
    /// the cache, nor take outputs already up to date as done.
    #[arg(long, conflicts_with = "cache")]
    pub no_cache: bool,
}

impl InputArgs {
    /// The run's manifest, with the options that decide its outputs.
    pub fn manifest(&self, command: &str) -> anyhow::Result<Manifest> {
        let options = std::collections::BTreeMap::from([
            ("partition".to_string(), self.partition.to_string()),
            (
                "file_time_limit".to_string(),
                self.file_time_limit.to_string(),
            ),
        ]);
        Manifest::start(command, options, self.specs.as_deref())
    }

    /// The reading cache for the inputs the manifest holds, unless
    /// `--no-cache`. A cache folder that cannot be made only costs speed.
    pub fn read_cache(&self, manifest: &Manifest) -> Option<ReadCache> {
        if self.no_cache {
            return None;
        }
        let dir = match (&self.cache, manifest.options.get("command")) {
            (Some(dir), _) => dir.clone(),
            // `ingest` alone keeps one only when asked: the re-runs a
            // bureau waits for are check's and run's, and keeping it costs
            // reading 5–8 %.
            (None, Some(command)) if command == "ingest" => return None,
            (None, _) => self.out.join(".cache"),
        };
        let inputs: Vec<(PathBuf, String)> = (manifest.inputs.iter())
            .filter(|i| i.kind == "workbook")
            .map(|i| (PathBuf::from(&i.path), i.sha256.clone()))
            .collect();
        match ReadCache::open(&dir, &manifest.reading_salt(), &inputs) {
            Ok(cache) => Some(cache),
            Err(e) => {
                eprintln!("warning: no reading cache in {}: {e}", dir.display());
                None
            }
        }
    }

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
    /// stops the run at once; it is an input of the run's manifest.
    pub fn load(
        &self,
        specs: Option<&std::path::Path>,
        manifest: &mut Manifest,
    ) -> anyhow::Result<(
        juesuan::review::ReviewSpec,
        Option<juesuan::review::ReviewFile>,
    )> {
        let spec = juesuan::review::ReviewSpec::load(specs)?;
        manifest.add_inputs(hash_files("review", self.review.as_slice(), &[]));
        let file = match &self.review {
            Some(path) => Some(juesuan::review::ReviewFile::load(path, &spec)?),
            None => None,
        };
        Ok((spec, file))
    }
}

/// What `check` and `run` have before reading: the manifest with every
/// input hashed, the review file and the roster read, the workbooks found.
pub struct Start {
    pub manifest: Manifest,
    pub review: (
        juesuan::review::ReviewSpec,
        Option<juesuan::review::ReviewFile>,
    ),
    pub roster: Option<juesuan::roster::Roster>,
    pub prepared: ingest::Prepared,
}

/// Reads the review file and the roster (a wrong one stops the run before
/// any reading), finds and hashes the inputs; breaks with the last run's
/// exit status when its outputs are up to date.
pub fn start(
    input: &InputArgs,
    review: &ReviewArgs,
    roster: &RosterArgs,
    mut manifest: Manifest,
) -> anyhow::Result<std::ops::ControlFlow<i32, Start>> {
    let specs = input.specs.as_deref();
    let review = review.load(specs, &mut manifest)?;
    let roster = roster.load(specs, &mut manifest)?;
    let prepared = ingest::prepare(input, &mut manifest)?;
    if let Some(status) = up_to_date(input, &manifest) {
        return Ok(std::ops::ControlFlow::Break(status));
    }
    Ok(std::ops::ControlFlow::Continue(Start {
        manifest,
        review,
        roster,
        prepared,
    }))
}

/// The exit status of the previous run in `out` when its outputs are what
/// this run would write (see [`Manifest::up_to_date`]), said on stderr.
pub fn up_to_date(input: &InputArgs, manifest: &Manifest) -> Option<i32> {
    if input.no_cache {
        return None;
    }
    let out = &input.out;
    let status = manifest.up_to_date(out)?;
    eprintln!(
        "up to date: {} holds the outputs of run {} — the same inputs, specs, options and program — untouched; nothing to do (exit status {status} as then)",
        out.display(),
        manifest.run_id
    );
    Some(status)
}

/// Who has not filed: `check` and `run` take the roster.
#[derive(Args, Debug)]
pub struct RosterArgs {
    /// The roster of units expected to file (应收清单; CSV or .xlsx: code,
    /// name, department, year — see roster.toml): gives roster.parquet and
    /// the 报送情况 sheet, and tells each 汇总表 the units it lacks.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
}

impl RosterArgs {
    /// Reads the roster now (a wrong path or a bad row stops the run at
    /// once); it is an input of the run's manifest.
    pub fn load(
        &self,
        specs: Option<&std::path::Path>,
        manifest: &mut Manifest,
    ) -> anyhow::Result<Option<juesuan::roster::Roster>> {
        let Some(path) = &self.roster else {
            return Ok(None);
        };
        manifest.add_inputs(hash_files("roster", std::slice::from_ref(path), &[]));
        let spec = juesuan::roster::RosterSpec::load(specs)?;
        Ok(Some(juesuan::roster::Roster::load(path, spec)?))
    }

    /// The roster against what was read: `roster.parquet` written, the
    /// summary printed, the findings of 汇总表 lacking units returned.
    pub fn reconcile(
        roster: Option<&juesuan::roster::Roster>,
        batch: &Batch,
        out: &std::path::Path,
    ) -> anyhow::Result<(
        Vec<juesuan::roster::Filing>,
        Vec<juesuan::validate::Finding>,
    )> {
        let Some(roster) = roster else {
            juesuan::write::write_roster(out, None)?;
            return Ok((Vec::new(), Vec::new()));
        };
        let reconciled = roster.reconcile(batch);
        juesuan::write::write_roster(out, Some(&reconciled.filings))?;
        let mut by_status: std::collections::BTreeMap<&str, usize> = Default::default();
        for f in &reconciled.filings {
            *by_status.entry(&f.status).or_default() += 1;
        }
        let counts: Vec<String> = by_status.iter().map(|(s, n)| format!("{s} {n}")).collect();
        eprintln!(
            "roster ({}): {} | {} 汇总表 lack units on it | roster.parquet",
            roster.path,
            counts.join(", "),
            reconciled.findings.len()
        );
        Ok((reconciled.filings, reconciled.findings))
    }
}

/// Counts what the run read and found into its manifest and writes it, last.
pub fn write_manifest(
    mut manifest: Manifest,
    out: &std::path::Path,
    (batch, narratives): (&Batch, &Narratives),
    checked: Option<&CheckRun>,
    exit_status: i32,
) -> anyhow::Result<()> {
    use juesuan::ingest::batch::Severity;
    use juesuan::rules::FindingSeverity;
    manifest.count("files_seen", batch.files_seen);
    manifest.count("workbooks_read", batch.workbooks.len());
    manifest.count("files_rejected", batch.files_rejected());
    manifest.count("reading_errors", batch.count(Severity::Error));
    manifest.count("facts", batch.fact_count());
    manifest.count("documents_read", narratives.read.len());
    manifest.count("claims", narratives.claim_count());
    if let Some(checked) = checked {
        manifest.count("findings_error", checked.count(FindingSeverity::Error));
        manifest.count("findings_warning", checked.count(FindingSeverity::Warning));
        manifest.count(
            "findings_rounding",
            checked.count(FindingSeverity::Rounding),
        );
        if let Some(review) = &checked.review {
            let counts = review.counts(&checked.findings);
            manifest.count("findings_open", counts.open);
            manifest.count("findings_reviewed", counts.reviewed);
            manifest.count("findings_reopened", counts.reopened);
            manifest.count("review_rows_unmatched", counts.unmatched);
        }
    }
    manifest.write(out, exit_status)
}
