//! Scale benchmark (`cargo bench --bench scale`): for corpora of 1,000, 5,000
//! and 20,000 workbooks generated with `juesuan sample` (three years), times
//! in one run the floor — a plain parallel calamine read of every cell of
//! every sheet — then `juesuan ingest` and `juesuan run` on the same files,
//! each in a process of its own so that its peak resident memory (from
//! `wait4`) is its own. Prints wall and CPU time, workbooks per second, the
//! ratios to the floor (and each round's ingest ratio, to show the spread)
//! and peak memory, and rewrites the measured part of
//! `BENCHMARKS.md` (between its `harness` markers; the rest, such as the
//! profile notes, is left as written).
//!
//! Environment:
//! - `JUESUAN_BENCH_SIZES`: comma-separated workbook counts (default `1000,5000,20000`);
//! - `JUESUAN_BENCH_CORPORA`: where corpora are generated and kept for the
//!   next run (default: `juesuan-bench-corpora` in the system's temp folder);
//! - `JUESUAN_BENCH_ROUNDS`: measured rounds, each over every size in turn
//!   (default 1; each command's fastest time and highest peak memory are
//!   reported);
//! - `JUESUAN_BENCH_REPORT`: the Markdown file to rewrite (default
//!   `BENCHMARKS.md` of the crate; `none` to leave it alone);
//! - `JUESUAN_BENCH_BASELINE`: another build's `juesuan` binary (say, the
//!   last release's) whose `ingest` and `run` are measured in the same
//!   rounds, right after this build's, and compared with them;
//! - `JUESUAN_BENCH_RERUNS`: `0` to leave out the re-runs (`reruns.rs`:
//!   unchanged, 1, 10 and 100 workbooks edited, the cold run without the
//!   cache; outputs compared with a cold run's in the first round);
//! - `JUESUAN_BENCH_NARRATIVES`: narrative documents to time (default 1000,
//!   0 for none): `juesuan ingest` over the 情况说明 of a corpus generated
//!   with them (a quarter each .docx, .pdf, GBK and UTF-8 .txt), each
//!   document read, its claims cut and checked, against a workbook's share
//!   of the smallest size's ingest.

#[path = "scale/reruns.rs"]
mod reruns;

use calamine::{Reader, open_workbook_auto};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The floor reads with the allocator `juesuan` itself uses, set up as
/// `juesuan ingest` has it (mimalloc's defaults), so that the ratios
/// measure juesuan's work on top of reading and not the allocator.
#[global_allocator]
static ALLOCATOR: juesuan::allocator::MiMalloc = juesuan::allocator::MiMalloc;

/// Workbooks a department has over three years in the generated corpus
/// (units' 单户表, its 汇总表, some public disclosures), times ten.
const WORKBOOKS_PER_DEPARTMENT_X10: usize = 65;

/// The floor: every cell of every sheet of every workbook read, in parallel.
fn floor(dir: &Path) {
    let files = juesuan::ingest::discover::discover(&[dir.to_path_buf()]).files;
    let cells: usize = files
        .par_iter()
        .map(|path| {
            let Ok(mut book) = open_workbook_auto(path) else {
                return 0;
            };
            let mut n = 0;
            for name in book.sheet_names() {
                if let Ok(range) = book.worksheet_range(&name) {
                    n += range
                        .used_cells()
                        .filter(|(_, _, v)| !matches!(v, calamine::Data::Empty))
                        .count();
                }
            }
            n
        })
        .sum();
    println!("floor: {} workbooks, {cells} cells", files.len());
}

/// [`measure`] with every file of the corpus in `dir` read just before, so
/// that each command finds all of them in the page cache. This machine
/// drops cached file pages that have not been used for a while (DAMON
/// reclaim), and a command that found some on disk waited for them: at
/// 5,040 workbooks the floor's threads slept 120 ms and ingest's 210 ms in
/// disk reads in single runs, 23 ms with the files read just before
/// (`perf sched`), and which command paid most varied from run to run.
fn measure_warm(dir: &Path, command: Command, log: &Path) -> Measure {
    let files = juesuan::ingest::discover::discover(&[dir.to_path_buf()]).files;
    files.par_iter().for_each(|path| {
        let _ = std::fs::read(path);
    });
    measure(command, log)
}

/// One command measured.
#[derive(Clone, Copy)]
struct Measure {
    seconds: f64,
    /// User plus system time of all its threads: less sensitive than wall
    /// time to how the two cores were shared with other work, still
    /// sensitive to how fast the machine ran in that spell.
    cpu_seconds: f64,
    peak_mib: f64,
}

impl Measure {
    /// Over two rounds: the shorter times and the higher peak memory.
    fn best_with(self, other: Measure) -> Measure {
        Measure {
            seconds: self.seconds.min(other.seconds),
            cpu_seconds: self.cpu_seconds.min(other.cpu_seconds),
            peak_mib: self.peak_mib.max(other.peak_mib),
        }
    }
}

/// Runs `command` to completion, its output into `log`, and measures its
/// wall time and peak resident memory. The child is reaped by `wait4`,
/// which also gives its own peak memory (std's `wait` gives no usage).
#[allow(clippy::zombie_processes)]
fn measure(mut command: Command, log: &Path) -> Measure {
    let log_file = std::fs::File::create(log).expect("log file");
    let started = Instant::now();
    let child = command
        .stdout(Stdio::from(log_file.try_clone().expect("log")))
        .stderr(Stdio::from(log_file))
        .spawn()
        .expect("start command");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not waited for elsewhere; `status`
    // and `usage` are valid for writes.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(waited, pid, "wait4 failed");
    let succeeded = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1;
    assert!(
        succeeded,
        "{command:?} failed (status {status}); see {}",
        log.display()
    );
    let timeval = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Measure {
        seconds,
        cpu_seconds: timeval(usage.ru_utime) + timeval(usage.ru_stime),
        // ru_maxrss is in KiB on Linux.
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
    }
}

fn juesuan(args: &[&str], corpus: &Path, out: &Path) -> Command {
    juesuan_of(Path::new(env!("CARGO_BIN_EXE_juesuan")), args, corpus, out)
}

fn juesuan_of(binary: &Path, args: &[&str], corpus: &Path, out: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .args(args)
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .arg("-q");
    command
}

/// The corpus of about `size` workbooks, generated by `juesuan sample`
/// unless already there. A process of its own, so that the benchmark stays
/// small: a child's peak memory as `wait4` reports it starts from its
/// parent's size at the fork.
fn corpus(root: &Path, size: usize) -> (PathBuf, usize) {
    let dir = root.join(format!("corpus-{size}"));
    if !dir.join("manifest.toml").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let departments = (size * 10).div_ceil(WORKBOOKS_PER_DEPARTMENT_X10);
        let started = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_juesuan"))
            .args([
                "sample",
                "--years",
                "2022-2024",
                "--seed",
                "42",
                "--no-narratives",
            ])
            .args(["--departments", &departments.to_string()])
            .arg("--out")
            .arg(&dir)
            .status()
            .expect("run juesuan sample");
        assert!(status.success(), "juesuan sample failed");
        eprintln!("generated in {:.0}s", started.elapsed().as_secs_f64());
    }
    let n = juesuan::ingest::discover::discover(std::slice::from_ref(&dir))
        .files
        .len();
    (dir, n)
}

/// `juesuan ingest` over `JUESUAN_BENCH_NARRATIVES` narratives (default
/// 1000, 0 for none), in `rounds`: the documents read and the best round.
fn time_narratives(root: &Path, scratch: &Path, rounds: usize) -> Option<(usize, Measure)> {
    let documents: usize = std::env::var("JUESUAN_BENCH_NARRATIVES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    if documents == 0 {
        return None;
    }
    let dir = narrative_corpus(root, documents);
    let out = scratch.join("out-narratives");
    let log = scratch.join("narratives.log");
    let mut best: Option<Measure> = None;
    for _ in 0..rounds {
        let m = measure_warm(&dir, juesuan(&["ingest"], &dir, &out), &log);
        best = Some(best.map_or(m, |b| b.best_with(m)));
        let _ = std::fs::remove_dir_all(&out);
    }
    Some((count_documents(&dir), best?))
}

/// A corpus with about `documents` narratives (three a department), its
/// narratives alone in `corpus/<year>/说明/`.
fn narrative_corpus(root: &Path, documents: usize) -> PathBuf {
    let dir = root.join(format!("narratives-{documents}"));
    if !dir.join("manifest.toml").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let status = Command::new(env!("CARGO_BIN_EXE_juesuan"))
            .args(["sample", "--years", "2022-2024", "--seed", "42"])
            .args(["--departments", &documents.div_ceil(3).to_string()])
            .arg("--out")
            .arg(&dir)
            .status()
            .expect("run juesuan sample");
        assert!(status.success(), "juesuan sample failed");
        // Only the narratives are timed: the workbooks go.
        for entry in walkdir_files(&dir) {
            if juesuan::ingest::discover::is_workbook(&entry) {
                let _ = std::fs::remove_file(entry);
            }
        }
    }
    dir
}

fn walkdir_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

fn count_documents(dir: &Path) -> usize {
    juesuan::ingest::discover::discover(&[dir.to_path_buf()])
        .documents
        .len()
}

#[derive(Clone)]
struct Row {
    size: usize,
    workbooks: usize,
    floor: Measure,
    ingest: Measure,
    run: Measure,
    /// The baseline build's `ingest` and `run`, when one is given.
    baseline: Option<(Measure, Measure)>,
    /// Each round's ingest ÷ floor in wall time, floor and ingest measured
    /// one after the other: how far apart rounds of the same code fall.
    ingest_ratios: Vec<f64>,
    /// CPU seconds `run` spent in the audit tests (its `JUESUAN_TIMING` line).
    audit_cpu: Option<f64>,
    reruns: Option<reruns::Reruns>,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--floor") {
        floor(Path::new(&args[i + 1]));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--edit") {
        args[i + 1..]
            .iter()
            .for_each(|p| reruns::edit_figures(Path::new(p)));
        return;
    }
    let sizes: Vec<usize> = std::env::var("JUESUAN_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,5000,20000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let rounds: usize = std::env::var("JUESUAN_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1)
        .max(1);
    let baseline = std::env::var("JUESUAN_BENCH_BASELINE")
        .ok()
        .map(PathBuf::from);
    let root = std::env::var("JUESUAN_BENCH_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("juesuan-bench-corpora"));
    let scratch = tempfile::tempdir().expect("tempdir");
    let own = std::env::current_exe().expect("own path");
    let corpora: Vec<(usize, PathBuf, usize)> = sizes
        .iter()
        .map(|&size| {
            let (dir, workbooks) = corpus(&root, size);
            (size, dir, workbooks)
        })
        .collect();
    let floor_command = |dir: &Path| {
        let mut c = Command::new(&own);
        c.arg("--floor").arg(dir);
        c
    };
    let log = |what: &str, size: usize| scratch.path().join(format!("{what}-{size}.log"));
    // Rounds go over every size in turn, so that a slow spell of the
    // machine falls on all sizes alike instead of on the one measured then
    // (which made the per-workbook scaling look worse or better than it is).
    let mut best: Vec<Option<Row>> = vec![None; corpora.len()];
    let with_reruns = std::env::var("JUESUAN_BENCH_RERUNS").map_or(true, |v| v != "0");
    for round in 0..rounds {
        for ((size, dir, workbooks), best) in corpora.iter().zip(&mut best) {
            let out = scratch.path().join(format!("out-{size}"));
            let floor = measure_warm(dir, floor_command(dir), &log("floor", *size));
            let ingest = measure_warm(dir, juesuan(&["ingest"], dir, &out), &log("ingest", *size));
            // The cold run: an empty folder, no cache (it keeps one).
            let _ = std::fs::remove_dir_all(&out);
            let mut run_command = juesuan(&["run"], dir, &out);
            run_command.env("JUESUAN_TIMING", "1");
            let run = measure_warm(dir, run_command, &log("run", *size));
            let audit_cpu = audit_seconds(&log("run", *size));
            let reruns =
                with_reruns.then(|| reruns::time_reruns(dir, &out, scratch.path(), round == 0));
            let _ = std::fs::remove_dir_all(&out);
            let baseline = baseline.as_deref().map(|binary| {
                let ingest = juesuan_of(binary, &["ingest"], dir, &out);
                let ingest = measure_warm(dir, ingest, &log("baseline-ingest", *size));
                let run = juesuan_of(binary, &["run"], dir, &out);
                let run = measure_warm(dir, run, &log("baseline-run", *size));
                let _ = std::fs::remove_dir_all(&out);
                (ingest, run)
            });
            let row = Row {
                size: *size,
                workbooks: *workbooks,
                floor,
                ingest,
                run,
                baseline,
                ingest_ratios: vec![ingest.seconds / floor.seconds],
                audit_cpu,
                reruns,
            };
            eprintln!(
                "{size}: floor {:.2}s, ingest {:.2}s, run {:.2}s",
                row.floor.seconds, row.ingest.seconds, row.run.seconds
            );
            // Each command's fastest round and its highest peak: a round
            // whose floor happened to be slow must not flatter the ratios.
            *best = Some(match best.take() {
                None => row,
                Some(b) => Row {
                    floor: b.floor.best_with(row.floor),
                    ingest: b.ingest.best_with(row.ingest),
                    run: b.run.best_with(row.run),
                    baseline: match (b.baseline, row.baseline) {
                        (Some((i, r)), Some((i2, r2))) => Some((i.best_with(i2), r.best_with(r2))),
                        (b, r) => b.or(r),
                    },
                    ingest_ratios: [b.ingest_ratios, row.ingest_ratios].concat(),
                    audit_cpu: match (b.audit_cpu, row.audit_cpu) {
                        (Some(x), Some(y)) => Some(x.min(y)),
                        (x, y) => x.or(y),
                    },
                    reruns: match (b.reruns, row.reruns) {
                        (Some(x), Some(y)) => Some(x.best_with(y)),
                        (x, y) => x.or(y),
                    },
                    ..b
                },
            });
        }
    }
    let rows: Vec<Row> = best.into_iter().flatten().collect();
    let narratives = time_narratives(&root, scratch.path(), rounds);
    let report = report(&rows, rounds, narratives);
    println!("{report}");
    let target = std::env::var("JUESUAN_BENCH_REPORT")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/BENCHMARKS.md").into());
    if target != "none" {
        rewrite_section(Path::new(&target), &report);
        eprintln!("rewrote the measured section of {target}");
    }
}

/// The measured part of BENCHMARKS.md.
fn report(rows: &[Row], rounds: usize, narratives: Option<(usize, Measure)>) -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    let profile = if cfg!(debug_assertions) {
        "dev (unoptimised)"
    } else {
        "release"
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Machine: {cores} cores ({cpu}), {memory_gib:.0} GiB memory; profile {profile}; \
         {rounds} round(s) per size, each command's fastest time (wall and CPU, \
         each on its own) and highest peak memory. Corpora from `juesuan sample` \
         (seed 42, 2022–2024). Each command is a process of its own; peak memory is \
         its maximum resident set (`wait4`).\n"
    );
    let _ = writeln!(
        s,
        "| workbooks | floor s | ingest s | run s | floor wb/s | ingest wb/s | run wb/s | ingest ÷ floor | run ÷ floor | CPU s floor / ingest / run | CPU ingest ÷ floor, run ÷ floor | peak MiB floor / ingest / run |"
    );
    let _ = writeln!(
        s,
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
    );
    for r in rows {
        let n = r.workbooks as f64;
        let _ = writeln!(
            s,
            "| {} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} | {:.0} | {:.2}× | {:.2}× | {:.2} / {:.2} / {:.2} | {:.2}×, {:.2}× | {:.0} / {:.0} / {:.0} |",
            r.workbooks,
            r.floor.seconds,
            r.ingest.seconds,
            r.run.seconds,
            n / r.floor.seconds,
            n / r.ingest.seconds,
            n / r.run.seconds,
            r.ingest.seconds / r.floor.seconds,
            r.run.seconds / r.floor.seconds,
            r.floor.cpu_seconds,
            r.ingest.cpu_seconds,
            r.run.cpu_seconds,
            r.ingest.cpu_seconds / r.floor.cpu_seconds,
            r.run.cpu_seconds / r.floor.cpu_seconds,
            r.floor.peak_mib,
            r.ingest.peak_mib,
            r.run.peak_mib,
        );
    }
    if rounds > 1 {
        let per_round = rows
            .iter()
            .map(|r| {
                let ratios: Vec<String> =
                    r.ingest_ratios.iter().map(|x| format!("{x:.2}×")).collect();
                format!("{}: {}", r.workbooks, ratios.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(
            s,
            "\nEach round's ingest ÷ floor in wall time (the two measured one after the other): {per_round}."
        );
    }
    if let (Some(small), Some(large)) = (rows.first(), rows.last())
        && rows.len() > 1
    {
        let per = |m: Measure, r: &Row| m.seconds / r.workbooks as f64;
        let _ = writeln!(
            s,
            "\nScaling, time per workbook at {} against {} workbooks (1.00 = linear): \
             floor {:.2}, ingest {:.2}, run {:.2}; peak memory of `run` grows {:.1}× for {:.1}× the workbooks.",
            large.workbooks,
            small.workbooks,
            per(large.floor, large) / per(small.floor, small),
            per(large.ingest, large) / per(small.ingest, small),
            per(large.run, large) / per(small.run, small),
            large.run.peak_mib / small.run.peak_mib,
            large.workbooks as f64 / small.workbooks as f64,
        );
    }
    if rows.iter().any(|r| r.baseline.is_some()) {
        let _ = writeln!(
            s,
            "\nAgainst the baseline build, measured in the same rounds (this build ÷ baseline; \
             below 1 is faster):\n\n\
             | workbooks | ingest s this / baseline | run s this / baseline | ingest ÷ baseline | run ÷ baseline | CPU ingest ÷ baseline | CPU run ÷ baseline | peak MiB run this / baseline |\n\
             |---:|---|---|---:|---:|---:|---:|---|"
        );
        for r in rows {
            let Some((ingest, run)) = r.baseline else {
                continue;
            };
            let _ = writeln!(
                s,
                "| {} | {:.2} / {:.2} | {:.2} / {:.2} | {:.3} | {:.3} | {:.3} | {:.3} | {:.0} / {:.0} |",
                r.workbooks,
                r.ingest.seconds,
                ingest.seconds,
                r.run.seconds,
                run.seconds,
                r.ingest.seconds / ingest.seconds,
                r.run.seconds / run.seconds,
                r.ingest.cpu_seconds / ingest.cpu_seconds,
                r.run.cpu_seconds / run.cpu_seconds,
                r.run.peak_mib,
                run.peak_mib,
            );
        }
    }
    if let Some((documents, m)) = narratives {
        s.push_str(&narrative_line(documents, m, rows.first()));
    }
    s.push_str(&audit_line(rows));
    s.push_str(&reruns_table(rows));
    let _ = writeln!(
        s,
        "\nGuards (no longer goals): ingest ≤ 1.5× the floor and run ≤ 3.3× at every size, \
         per-workbook time at 20,000 no worse than at 1,000, run's peak memory < 2 GiB at \
         20,000 workbooks × 3 years.\n\
         Sizes: {}.",
        rows.iter()
            .map(|r| format!("{} asked, {} generated", r.size, r.workbooks))
            .collect::<Vec<_>>()
            .join("; ")
    );
    s
}

/// The re-runs beside the cold run: seconds, and each as a share of the
/// cold run's wall time.
fn reruns_table(rows: &[Row]) -> String {
    let mut s = String::new();
    let measured: Vec<(&Row, &reruns::Reruns)> = rows
        .iter()
        .filter_map(|r| Some((r, r.reruns.as_ref()?)))
        .collect();
    if measured.is_empty() {
        return s;
    }
    let changed: Vec<String> = reruns::CHANGED
        .iter()
        .map(|n| format!("{n} changed s (÷ cold)"))
        .collect();
    let _ = writeln!(
        s,
        "\nRe-runs into the cold run's folder, with its reading cache (`.cache`): \
         nothing changed (the outputs are found up to date), and 1, 10 and 100 workbooks \
         edited (figures changed, saved again); the cold run with `--no-cache` shows what \
         keeping the cache costs. Identical: the re-run's outputs byte for byte against a \
         cold `--no-cache` run over the same files into a copy of the same folder (first \
         round).\n\n\
         | workbooks | cold run s | cold `--no-cache` s | keeping the cache | unchanged s (÷ cold) | {} | identical |\n\
         |---:|---:|---:|---:|---:|{}---|",
        changed.join(" | "),
        "---:|".repeat(changed.len())
    );
    for (r, re) in measured {
        let share = |m: Measure| {
            format!(
                "{:.2} ({:.1} %)",
                m.seconds,
                m.seconds / r.run.seconds * 100.0
            )
        };
        let changed: Vec<String> = re.changed.iter().map(|m| share(*m)).collect();
        let identical: Vec<&str> = (re.identical.iter())
            .map(|i| match i {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "–",
            })
            .collect();
        let _ = writeln!(
            s,
            "| {} | {:.2} | {:.2} | {:+.1} % | {} | {} | {} |",
            r.workbooks,
            r.run.seconds,
            re.no_cache.seconds,
            (r.run.seconds / re.no_cache.seconds - 1.0) * 100.0,
            share(re.unchanged),
            changed.join(" | "),
            identical.join(", "),
        );
    }
    s
}

/// The seconds after `audit tests ` in a run's log.
fn audit_seconds(log: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(log).ok()?;
    let at = text.rfind("audit tests ")? + "audit tests ".len();
    text[at..].split('s').next()?.parse().ok()
}

/// The audit tests' CPU time (leaf fingerprints and digits of each workbook,
/// digit tests, copies) as a share of `run`'s CPU time, at each size.
fn audit_line(rows: &[Row]) -> String {
    let shares: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let audit = r.audit_cpu?;
            Some(format!(
                "{} workbooks {audit:.2} s = {:.1} %",
                r.workbooks,
                audit / r.run.cpu_seconds * 100.0
            ))
        })
        .collect();
    if shares.is_empty() {
        return String::new();
    }
    format!(
        "\nAudit tests (leaf fingerprints and digit counts of each workbook, digit tests, \
         copies; DOMAIN §11) within `run`, CPU seconds and share of run's CPU: {} \
         (target < 5 %).\n",
        shares.join("; ")
    )
}

/// The narratives' timing beside a workbook's share of the first size's ingest.
fn narrative_line(documents: usize, m: Measure, first: Option<&Row>) -> String {
    let per_document = m.seconds / documents as f64;
    let per_workbook = first.map(|r| r.ingest.seconds / r.workbooks as f64);
    format!(
        "\nNarratives: `juesuan ingest` over {documents} 情况说明 (a quarter each .docx, .pdf, \
         GBK and UTF-8 .txt; read, claims cut and checked): {:.2} s, {:.2} s CPU, {:.1} ms a \
         document, peak {:.0} MiB{}.\n",
        m.seconds,
        m.cpu_seconds,
        per_document * 1000.0,
        m.peak_mib,
        per_workbook.map_or(String::new(), |w| format!(
            "; a workbook costs {:.1} ms in the ingest above: a document is {:.2}× a workbook",
            w * 1000.0,
            per_document / w
        ))
    )
}

const BEGIN: &str = "<!-- harness:begin (rewritten by `cargo bench --bench scale`) -->";
const END: &str = "<!-- harness:end -->";

/// Replaces what lies between the markers of `path` with `report`, or
/// appends a marked section when the file has none.
fn rewrite_section(path: &Path, report: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| "# Benchmarks\n\n".into());
    let section = format!("{BEGIN}\n{report}{END}");
    let new = match (text.find(BEGIN), text.find(END)) {
        (Some(begin), Some(end)) if begin < end => {
            format!("{}{section}{}", &text[..begin], &text[end + END.len()..])
        }
        _ => format!("{text}\n{section}\n"),
    };
    juesuan::write::atomic_write(path, |file| {
        use std::io::Write;
        file.write_all(new.as_bytes())?;
        Ok(())
    })
    .expect("rewriting the benchmark report");
}
