//! `juesuan ingest <INPUT>... --out DIR`

use anyhow::{Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::InputArgs;
use juesuan::analyse::spec::AnalysisSpec;
use juesuan::ingest::batch::{
    Assess, Batch, Chunk, ReportRow, Retain, Severity, WorkbookFacts, ingest_chunked,
};
use juesuan::ingest::cache::ReadCache;
use juesuan::ingest::discover::{Discovered, discover, is_workbook};
use juesuan::manifest::{Manifest, hash_files};
use juesuan::narrative::Narratives;
use juesuan::narrative::against::WorkbookRows;
use juesuan::narrative::spec::ClaimsSpec;
use juesuan::rules::FindingSeverity;
use juesuan::spec::Catalogue;
use juesuan::write::{FactsWriter, ReportWriter, write_units_and_finish_report};

/// Writes facts.parquet, units.parquet and ingest_report.csv.
#[derive(Args, Debug)]
pub struct IngestArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Treat every problem (warnings and unmapped cells too) as a failure.
    #[arg(long)]
    pub strict: bool,
}

/// Exit status: 0 clean, 1 when something failed (with `--strict`, when
/// anything at all was reported beyond information).
pub fn run(args: IngestArgs) -> Result<i32> {
    let _lock = args.input.lock()?;
    let started = Instant::now();
    let catalogue = Catalogue::load(args.input.specs.as_deref())?;
    let mut manifest = args.input.manifest("ingest")?;
    manifest
        .options
        .insert("strict".into(), args.strict.to_string());
    let prepared = prepare(&args.input, &mut manifest)?;
    if let Some(status) = super::up_to_date(&args.input, &manifest) {
        return Ok(status);
    }
    let (batch, narratives) = ingest_into(
        &args.input,
        prepared,
        &catalogue,
        &mut manifest,
        |_: &WorkbookFacts| (),
        |_, _| {},
    )?;
    juesuan::write::write_claims(&args.input.out, &narratives)?;
    manifest.timing("total", started.elapsed().as_secs_f64());
    let status = exit_status(&batch, args.strict);
    super::write_manifest(
        manifest,
        &args.input.out,
        (&batch, &narratives),
        None,
        status,
    )?;
    print_summary(&batch, started.elapsed().as_secs_f64());
    print_narrative_summary(&narratives);
    Ok(status)
}

/// The inputs found, and hashed into the run's manifest: what a run reads.
pub struct Prepared {
    found: Discovered,
    documents: Vec<PathBuf>,
}

/// Finds the inputs, makes sure no output would overwrite one, clears what
/// killed runs left, and seals the manifest with the inputs' hashes: the
/// run id every output is stamped with.
pub fn prepare(input: &InputArgs, manifest: &mut Manifest) -> Result<Prepared> {
    std::fs::create_dir_all(&input.out)
        .with_context(|| format!("creating output folder {}", input.out.display()))?;
    let mut found = discover(&input.inputs);
    let documents = std::mem::take(&mut found.documents);
    refuse_to_overwrite_inputs(&input.out, &found.files)?;
    remove_stale_temporaries(&input.out);
    // Files as the last run hashed them are not read again.
    let known = Manifest::last_inputs(&input.out);
    manifest.add_inputs(hash_files("workbook", &found.files, &known));
    manifest.add_inputs(hash_files("document", &documents, &known));
    manifest.seal();
    Ok(Prepared { found, documents })
}

/// Reads the inputs and writes the ingest outputs into the output folder;
/// the first stage of `check` and `run` too, which do what they need of the
/// facts in the hooks of [`ingest_chunked`] (`on_workbook` in the reading
/// workers, `on_chunk` on each chunk read): the batch returned keeps the
/// workbooks but not their facts, and the report's problems but not its
/// information rows.
pub fn ingest_into<A: Assess>(
    input: &InputArgs,
    prepared: Prepared,
    catalogue: &Catalogue,
    manifest: &mut Manifest,
    on_workbook: A,
    mut on_chunk: impl FnMut(&[Arc<WorkbookFacts>], Vec<A::Output>) + Send,
) -> Result<(Batch, Narratives)> {
    let started = Instant::now();
    let Prepared { found, documents } = prepared;
    let cache = input.read_cache(manifest);
    let limits = input.limits()?;
    // The narratives' vocabulary, and the rows of each workbook their
    // 功能分类 figures are compared with (kept only when there are documents).
    let claims_spec = ClaimsSpec::load(input.specs.as_deref())?;
    let mut workbook_rows = Vec::new();
    let groups = cache.as_ref().map(ReadCache::fact_groups);
    let facts = FactsWriter::start(&input.out, input.layout(), groups);
    let mut report = ReportWriter::create(&input.out.join("ingest_report.csv"))?;
    let batch = ingest_chunked(
        found,
        catalogue,
        &limits,
        cache.as_ref(),
        !input.quiet,
        Retain::Workbooks,
        on_workbook,
        |chunk: Chunk<'_, A::Output>| {
            facts.add(chunk.workbooks);
            report.add(chunk.report);
            if !documents.is_empty() {
                workbook_rows.extend(
                    chunk
                        .workbooks
                        .iter()
                        .map(|w| WorkbookRows::of(w, &claims_spec.rows)),
                );
            }
            on_chunk(chunk.workbooks, chunk.done);
        },
    );
    // Every file seen is read or rejected with a reason; anything else is a
    // bug, and the command stops with an error before the report and the
    // later stages are written.
    batch.check_accounting().map_err(anyhow::Error::msg)?;
    if let Some(cache) = &cache {
        cache.finish();
        manifest.cache.workbooks_reused = cache.reused.load(Ordering::Relaxed);
        manifest.cache.workbooks_read = cache.read.load(Ordering::Relaxed);
        manifest.cache.checks_reused = cache.assessments_reused.load(Ordering::Relaxed);
    }
    let read_done = started.elapsed().as_secs_f64();
    let mut narratives = read_narratives(&claims_spec, catalogue, &documents, &mut report);
    narratives.workbook_rows = workbook_rows;
    if !narratives.read.is_empty() {
        // The figures of department-years known only from their narratives.
        let spec = AnalysisSpec::load(input.specs.as_deref(), catalogue)?;
        facts.add_apart(&narratives.stated_facts(&batch.workbooks, &spec));
    }
    // The facts writer finishes its last chunks on its own thread meanwhile.
    let units_and_report = write_units_and_finish_report(&input.out, &batch, report);
    let groups = facts.finish()?;
    manifest.cache.fact_groups = groups.groups;
    manifest.cache.fact_groups_copied = groups.copied;
    units_and_report?;
    if std::env::var_os("JUESUAN_TIMING").is_some() {
        eprintln!(
            "timing: read+extract {read_done:.2}s, rest of the writing {:.2}s",
            started.elapsed().as_secs_f64() - read_done
        );
    }
    Ok((batch, narratives))
}

/// Reads and checks the narrative documents and reports each document (read, or rejected with the reason) in the
/// ingest report. An unreadable document is a warning: the workbooks'
/// figures do not depend on it.
fn read_narratives(
    spec: &ClaimsSpec,
    catalogue: &Catalogue,
    documents: &[PathBuf],
    report: &mut ReportWriter,
) -> Narratives {
    let narratives =
        juesuan::narrative::read_all(documents, spec, &catalogue.common.identity.document_words);
    let row = |file: &str, severity, kind, message: String| ReportRow {
        file: file.to_string(),
        sheet: String::new(),
        cell: String::new(),
        severity,
        kind,
        form: "情况说明".into(),
        message,
    };
    let mut rows = Vec::new();
    for n in &narratives.read {
        let id = &n.identity;
        rows.push(row(
            &n.file,
            Severity::Info,
            "document",
            format!(
                "{} {} {} ({}, unit from the {}): {} lines, {} figures stated, {} findings",
                id.unit_name,
                id.year,
                id.kind,
                n.format,
                id.origin,
                n.lines.len(),
                n.claims.len(),
                n.findings.len()
            ),
        ));
    }
    for (file, reason) in &narratives.rejected {
        rows.push(row(
            file,
            Severity::Warning,
            "rejected",
            format!("document not read: {reason}"),
        ));
    }
    report.add(&rows);
    narratives
}

/// One line on the narratives read.
pub fn print_narrative_summary(narratives: &Narratives) {
    if narratives.read.is_empty() && narratives.rejected.is_empty() {
        return;
    }
    let count = |s: FindingSeverity| narratives.finding_count(s);
    eprintln!(
        "narratives: {} documents read, {} not read | {} figures stated | findings: {} errors, {} warnings, {} rounding | claims.parquet",
        narratives.read.len(),
        narratives.rejected.len(),
        narratives.claim_count(),
        count(FindingSeverity::Error),
        count(FindingSeverity::Warning),
        count(FindingSeverity::Rounding),
    );
    for (file, reason) in narratives.rejected.iter().take(10) {
        eprintln!("  not read: {file}: {reason}");
    }
}

pub fn exit_status(batch: &Batch, strict: bool) -> i32 {
    let failed = batch.count(Severity::Error) > 0 || (strict && batch.count(Severity::Warning) > 0);
    i32::from(failed)
}

pub fn print_summary(batch: &Batch, seconds: f64) {
    let units: std::collections::BTreeSet<&str> = batch
        .workbooks
        .iter()
        .map(|w| w.identity.unit_id.as_str())
        .collect();
    let years: std::collections::BTreeSet<i32> =
        batch.workbooks.iter().map(|w| w.identity.year).collect();
    let years: Vec<String> = years.iter().map(i32::to_string).collect();
    eprintln!(
        "files: {} seen = {} read + {} rejected | units: {} | years: {} | tables: {} ({} missing core lines or columns) | facts: {} | problems: {} errors, {} warnings ({} unmapped cells, {} conflicts, {} reading doubts) | {:.1}s, peak memory {}",
        batch.files_seen,
        batch.workbooks.len(),
        batch.files_rejected(),
        units.len(),
        if years.is_empty() {
            "-".to_string()
        } else {
            years.join(",")
        },
        batch.tables_read,
        batch.count_kind("coverage"),
        batch.fact_count(),
        batch.count(Severity::Error),
        batch.count(Severity::Warning),
        batch.count_kind("unmapped"),
        batch.count_kind("conflict"),
        batch.count_kind("doubt"),
        seconds,
        peak_memory().map_or_else(|| "unknown".to_string(), |kb| format!("{} MB", kb / 1024))
    );
    for r in batch
        .report
        .iter()
        .filter(|r| r.severity == Severity::Error)
        .take(10)
    {
        eprintln!(
            "  error: {} [{}] {}: {}",
            r.file, r.sheet, r.cell, r.message
        );
    }
    let errors = batch.count(Severity::Error);
    if errors > 10 {
        eprintln!("  … and {} more errors in ingest_report.csv", errors - 10);
    }
}

/// Peak resident memory of this process in KiB (Linux `VmHWM`), if known.
pub fn peak_memory() -> Option<u64> {
    memory_status("VmHWM:")
}

/// Resident memory of this process now in KiB (Linux `VmRSS`), if known.
pub fn resident_memory() -> Option<u64> {
    memory_status("VmRSS:")
}

fn memory_status(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Outputs never replace an input: a workbook among the inputs with an
/// output's name in the output folder (`league_tables.xlsx`) stops the run.
fn refuse_to_overwrite_inputs(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    // Only an output that is a workbook can be among the inputs, and only
    // one already there can be an input now: usually there is none, and no
    // input needs looking at.
    let canonical = |p: &Path| p.canonicalize().ok();
    for name in juesuan::write::OUTPUT_FILES {
        let output = out.join(name);
        if !is_workbook(&output) {
            continue;
        }
        let Some(path) = canonical(&output) else {
            continue;
        };
        // A file of another length is another file: one `stat` each, the
        // full path resolved only for those that might be the output.
        let Ok(length) = std::fs::metadata(&path).map(|m| m.len()) else {
            continue;
        };
        let is_output = |input: &PathBuf| {
            std::fs::metadata(input).is_ok_and(|m| m.len() == length)
                && canonical(input).as_ref() == Some(&path)
        };
        if inputs.iter().any(is_output) {
            anyhow::bail!(
                "{} is one of the input workbooks; choose another --out folder so that it is not overwritten",
                path.display()
            );
        }
    }
    Ok(())
}

/// Temporary files and folders a killed run left behind
/// (`.facts.parquet.tmp-1234`, `.facts.tmp-1234/`, `.facts.old-1234/`):
/// never a finished output, so they are removed before writing again.
fn remove_stale_temporaries(out: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    // This run's copy of the previous run's tables (juesuan::diff::Previous).
    let own_previous = format!("{}{}", juesuan::diff::PREVIOUS_PREFIX, std::process::id());
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let file = (juesuan::write::OUTPUT_FILES.iter())
            .chain(&[juesuan::manifest::FILE])
            .any(|o| name.starts_with(&format!(".{o}.tmp-")));
        let folder = juesuan::write::PARTITIONED_TABLES.iter().any(|t| {
            name.starts_with(&format!(".{t}.tmp-")) || name.starts_with(&format!(".{t}.old-"))
        }) || (name.starts_with(juesuan::diff::PREVIOUS_PREFIX)
            && name != own_previous);
        if file {
            let _ = std::fs::remove_file(entry.path());
        } else if folder {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
