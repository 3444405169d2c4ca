//! Ingest benchmark: generates a corpus of at least 2,000 workbooks, then in
//! one run times the floor — a plain parallel calamine read of every cell of
//! every sheet — against `juesuan ingest` on the same files, each in its own
//! process so that peak memory is each one's own. Prints workbooks per
//! second, the ratio to the floor and peak memory. Target: ingest ≤ 1.3×.
//!
//! `cargo bench --bench ingest` (release profile). Environment:
//! `JUESUAN_BENCH_WORKBOOKS` (default 2000), `JUESUAN_BENCH_DIR` (reuse a corpus).

use calamine::{Reader, open_workbook_auto};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The floor: read every cell of every sheet of every workbook, in parallel.
fn floor(dir: &Path) {
    let (files, _) = juesuan::discover::discover(&[dir.to_path_buf()]);
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
    println!("FLOOR cells={cells} peak_kib={}", peak_kib());
}

struct Measure {
    seconds: f64,
    peak_mib: f64,
}

fn time_floor(dir: &Path) -> Measure {
    let exe = std::env::current_exe().expect("own path");
    let start = Instant::now();
    let out = Command::new(exe)
        .arg("--floor")
        .arg(dir)
        .output()
        .expect("run floor");
    let seconds = start.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&out.stdout);
    let peak = text
        .split("peak_kib=")
        .nth(1)
        .and_then(|s| s.trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    Measure {
        seconds,
        peak_mib: peak / 1024.0,
    }
}

fn time_ingest(dir: &Path, out_dir: &Path) -> Measure {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["ingest", "-q", "--out"])
        .arg(out_dir)
        .arg(dir)
        .output()
        .expect("run juesuan ingest");
    let seconds = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak = stderr
        .split("peak memory ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    eprintln!("  ingest: {}", stderr.lines().next().unwrap_or(""));
    Measure {
        seconds,
        peak_mib: peak,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--floor") {
        floor(Path::new(&args[i + 1]));
        return;
    }
    let target: usize = std::env::var("JUESUAN_BENCH_WORKBOOKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let scratch = tempfile::tempdir().expect("tempdir");
    let dir: PathBuf = std::env::var("JUESUAN_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| scratch.path().join("corpus"));
    let (existing, _) = juesuan::discover::discover(std::slice::from_ref(&dir));
    if existing.len() < target {
        // About 6.7 workbooks per department over three years.
        let departments = target / 6 + 1;
        let started = Instant::now();
        let config = juesuan::sample::SampleConfig {
            departments,
            first_year: 2022,
            last_year: 2024,
            seed: 42,
            with_seed_units: false,
        };
        let summary = juesuan::sample::write_corpus(&dir, &config).expect("generate corpus");
        eprintln!("{summary} in {:.1}s", started.elapsed().as_secs_f64());
    }
    let (files, _) = juesuan::discover::discover(std::slice::from_ref(&dir));
    let n = files.len();
    let out_dir = scratch.path().join("out");
    // Warm the page cache, then measure floor and ingest back to back, twice.
    let _ = time_floor(&dir);
    let mut rows = Vec::new();
    for round in 1..=2 {
        let f = time_floor(&dir);
        let i = time_ingest(&dir, &out_dir);
        rows.push((round, f, i));
    }
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!(
        "\ningest benchmark: {n} workbooks, {cores} cores, profile {}",
        if cfg!(debug_assertions) {
            "dev (unoptimised)"
        } else {
            "release"
        }
    );
    println!(
        "{:<6} {:>10} {:>12} {:>10} {:>12} {:>12} {:>10}",
        "round", "floor s", "floor wb/s", "ingest s", "ingest wb/s", "ratio", "peak MiB"
    );
    for (round, f, i) in &rows {
        println!(
            "{:<6} {:>10.2} {:>12.0} {:>10.2} {:>12.0} {:>11.2}× {:>5.0}/{:<5.0}",
            round,
            f.seconds,
            n as f64 / f.seconds,
            i.seconds,
            n as f64 / i.seconds,
            i.seconds / f.seconds,
            f.peak_mib,
            i.peak_mib
        );
    }
    println!("(peak MiB: floor/ingest; ratio = ingest time ÷ floor time; target ≤ 1.30×)");
}
