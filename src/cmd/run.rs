//! `juesuan run <INPUT>... --out DIR`: ingest, check, analyse and write in
//! one pass — the main job.

use anyhow::Result;
use clap::Args;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Instant;

use super::check::{Read, print_check_summary, read_and_check};
use super::ingest::{peak_memory, print_narrative_summary, print_summary, resident_memory};
use super::{InputArgs, ReviewArgs, RosterArgs};
use juesuan::analyse::measures::Measures;
use juesuan::analyse::spec::AnalysisSpec;
use juesuan::analyse::{Analysis, analyse};
use juesuan::diff::{Previous, Snapshot};
use juesuan::ingest::batch::{Batch, Severity};
use juesuan::manifest::Manifest;
use juesuan::narrative::Narratives;
use juesuan::query::Query;
use juesuan::roster::Filing;
use juesuan::rules::FindingSeverity;
use juesuan::spec::Catalogue;
use juesuan::validate::CheckRun;
use juesuan::workbook::{Answers, write_workbook};
use juesuan::write::{write_analysis, write_findings};

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub review: ReviewArgs,
    #[command(flatten)]
    pub roster: RosterArgs,
    /// Folder of .sql files run after the built-in queries, each a sheet of
    /// league_tables.xlsx (a file named like a built-in one replaces it).
    #[arg(long)]
    pub queries: Vec<PathBuf>,
}

/// Wall time of each stage of a run, printed with `JUESUAN_TIMING=1`.
struct Phases {
    last: Instant,
    /// CPU seconds of the process at the end of the last stage.
    last_cpu: f64,
    /// Each stage: its seconds (wall and CPU), resident memory at its end
    /// and the peak so far.
    done: Vec<String>,
    /// Each stage's wall seconds, for the manifest.
    seconds: Vec<(&'static str, f64)>,
}

impl Phases {
    fn start() -> Phases {
        Phases {
            last: Instant::now(),
            last_cpu: cpu_seconds(),
            done: Vec::new(),
            seconds: Vec::new(),
        }
    }

    /// Ends the stage `name`; returns its seconds.
    fn done(&mut self, name: &'static str) -> f64 {
        let now = Instant::now();
        let seconds = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        let cpu_now = cpu_seconds();
        let cpu = cpu_now - std::mem::replace(&mut self.last_cpu, cpu_now);
        self.seconds.push((name, seconds));
        self.done.push(match resident_memory().zip(peak_memory()) {
            Some((now, peak)) => format!(
                "{name} {seconds:.2}s (cpu {cpu:.2}s, {} MiB, peak {})",
                now / 1024,
                peak / 1024
            ),
            None => format!("{name} {seconds:.2}s (cpu {cpu:.2}s)"),
        });
        seconds
    }

    fn print_if_asked(&self) {
        if std::env::var_os("JUESUAN_TIMING").is_some() {
            eprintln!(
                "timing: {}; audit tests {:.3}s cpu (within the stages)",
                self.done.join(", "),
                juesuan::analyse::audit::seconds_spent()
            );
        }
    }
}

/// User and system CPU seconds of this process so far, all threads: beside a
/// stage's wall time, how many cores it kept busy.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return 0.0;
        }
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Writes metrics, flags and scores, then runs the queries over the files
/// written, and compares them with the previous run's: what the
/// workbook's last sheets show.
fn write_analysis_and_answer(
    input: &InputArgs,
    analysis: &Analysis,
    queries: &[Query],
    (previous, manifest): (Option<&Previous>, &Manifest),
    phases: &mut Phases,
) -> Result<Answers> {
    write_analysis(&input.out, analysis, input.layout())?;
    phases.done("write analysis");
    let mut ctx = juesuan::query::context(&input.out)?;
    let answers = queries
        .iter()
        .map(|q| Ok((q.clone(), juesuan::query::run(&mut ctx, q)?)))
        .collect::<Result<Vec<_>>>()?;
    phases.done("queries");
    let changes = match previous {
        Some(previous) => {
            let now = Snapshot {
                dir: input.out.clone(),
                manifest: Some(manifest.clone()),
            };
            let changes = juesuan::diff::compare(&previous.snapshot, &now)?;
            for warning in &changes.warnings {
                eprintln!("warning: 变动: {warning}");
            }
            phases.done("changes since the previous run");
            Some(changes)
        }
        None => None,
    };
    Ok(Answers {
        queries: answers,
        changes,
    })
}

/// Exit status 1 when a file could not be read; findings and flags are
/// results, not failures.
pub fn run(args: RunArgs) -> Result<i32> {
    let _lock = args.input.lock()?;
    juesuan::allocator::bound_resident_memory();
    let started = Instant::now();
    let catalogue = Catalogue::load(args.input.specs.as_deref())?;
    let spec = AnalysisSpec::load(args.input.specs.as_deref(), &catalogue)?;
    let mut manifest = args.input.manifest("run")?;
    let queries = juesuan::query::load(&args.queries)?;
    manifest.add_inputs(query_inputs(&queries));
    let start = match super::start(&args.input, &args.review, &args.roster, manifest)? {
        ControlFlow::Break(status) => return Ok(status),
        ControlFlow::Continue(start) => start,
    };
    // The previous run's tables, kept to say what changed (removed at the end).
    let previous = Previous::keep(&args.input.out)?;
    let mut phases = Phases::start();
    let Read {
        batch,
        narratives,
        mut checked,
        measured,
        filings,
        mut manifest,
        check_seconds,
    } = read_and_check(&args.input, start, &catalogue, &spec)?;
    phases.done("ingest, check, measure and consolidate");
    let out = &args.input.out;
    let (analysis, analysis_seconds) = analyse_while_writing_findings(
        out,
        (&batch, measured, &narratives),
        &checked,
        &spec,
        &catalogue,
    )?;
    // Past the findings files and the flags, rounding gaps count only in
    // totals, unless a flag is raised on them: a province's run then holds
    // a few thousand findings through the rest of the run instead of
    // hundreds of thousands.
    if !spec.flags_findings_of(FindingSeverity::Rounding) {
        checked.release(FindingSeverity::Rounding);
    }
    phases.done("write findings and analyse");
    let answered = write_the_rest(
        &args.input,
        &queries,
        (&batch, &checked, &analysis, &spec),
        (&narratives, &filings),
        (previous.as_ref(), &manifest),
        &mut phases,
    )?;
    phases.done("workbook (the rest once the queries were answered)");
    phases.print_if_asked();
    for (stage, seconds) in &phases.seconds {
        manifest.timing(stage, *seconds);
    }
    manifest.count("flags", analysis.flags.len());
    let status = i32::from(batch.count(Severity::Error) > 0);
    let read = (&batch, &narratives);
    super::write_manifest(manifest, &args.input.out, read, Some(&checked), status)?;
    print_summary(&batch, started.elapsed().as_secs_f64());
    print_narrative_summary(&narratives);
    print_check_summary(&checked, check_seconds);
    print_analysis_summary(&analysis, analysis_seconds, answered);
    Ok(status)
}

/// The analysis, made while the findings files are written: each keeps
/// about one core busy, and the analysis only reads the findings.
fn analyse_while_writing_findings(
    out: &std::path::Path,
    (batch, measured, narratives): (&Batch, Vec<Measures>, &Narratives),
    checked: &CheckRun,
    spec: &AnalysisSpec,
    catalogue: &Catalogue,
) -> Result<(Analysis, f64)> {
    std::thread::scope(|scope| {
        let written = scope.spawn(|| write_findings(out, checked));
        let started = Instant::now();
        let stated = narratives.stated_measures();
        let analysis = analyse(
            &batch.workbooks,
            measured,
            stated,
            &checked.findings,
            spec,
            catalogue,
        );
        let seconds = started.elapsed().as_secs_f64();
        written
            .join()
            .map_err(|payload| juesuan::write::panicked("the findings writer", payload))??;
        anyhow::Ok((analysis?, seconds))
    })
}

/// The workbook, built on a thread of its own while the analysis files are
/// written and the queries run over them (most of the workbook does not
/// need them, and writing it keeps one core busy): its last sheets — the
/// queries' and 变动 — wait for the answers. Returns the queries answered.
fn write_the_rest(
    input: &InputArgs,
    queries: &[Query],
    (batch, checked, analysis, spec): (&Batch, &CheckRun, &Analysis, &AnalysisSpec),
    read: (&Narratives, &[Filing]),
    before: (Option<&Previous>, &Manifest),
    phases: &mut Phases,
) -> Result<usize> {
    let (send_answers, answers) = mpsc::channel();
    let workbook_path = input.out.join("league_tables.xlsx");
    std::thread::scope(|scope| -> Result<usize> {
        let workbook = scope.spawn(move || {
            write_workbook(
                &workbook_path,
                batch,
                checked,
                analysis,
                spec,
                read,
                move || {
                    answers
                        .recv()
                        .map_err(|_| anyhow::anyhow!("the queries were not run"))
                },
            )
        });
        // On an error the sender is dropped unsent, and the workbook stops
        // instead of waiting.
        let asked = write_analysis_and_answer(input, analysis, queries, before, phases).map(
            move |answers| {
                let count = answers.queries.len();
                // Fails only when the workbook has already stopped on an
                // error, which its join reports.
                let _ = send_answers.send(answers);
                count
            },
        );
        let written = workbook
            .join()
            .map_err(|payload| juesuan::write::panicked("the workbook", payload))?;
        let count = asked?;
        written?;
        Ok(count)
    })
}

/// The analyst's queries (not the built-in ones, which come with the
/// version) as inputs of the run.
fn query_inputs(queries: &[Query]) -> Vec<juesuan::manifest::InputFile> {
    (queries.iter())
        .filter(|q| !q.origin.starts_with("(built-in)"))
        .map(|q| juesuan::manifest::InputFile {
            kind: "query".into(),
            path: q.origin.clone(),
            size: q.sql.len() as u64,
            sha256: juesuan::manifest::sha256(q.sql.as_bytes()),
            modified_ns: 0,
        })
        .collect()
}

/// One line on what the analysis made.
fn print_analysis_summary(analysis: &Analysis, seconds: f64, answered: usize) {
    let units = analysis
        .entities
        .iter()
        .filter(|e| e.level == juesuan::analyse::measures::Level::Unit)
        .count();
    eprintln!(
        "analyse: {} unit-years, {} department-years, {} metric rows, {} flags in {:.2}s; {} queries | league_tables.xlsx, metrics.parquet, flags.parquet, scores.parquet, digits.parquet",
        units,
        analysis.entities.len() - units,
        analysis.metrics.height(),
        analysis.flags.len(),
        seconds,
        answered
    );
}
