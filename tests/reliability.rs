//! Faults: the same inputs give byte-identical outputs whatever the thread
//! count; a run killed at any moment leaves only complete outputs (the
//! previous ones or the new ones, never a truncated file); outputs never
//! overwrite an input.
mod common;

use common::run_sample;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_juesuan"))
}

fn sample_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

use juesuan::write::OUTPUT_FILES as OUTPUTS;

#[test]
fn two_runs_with_different_thread_counts_write_identical_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (one, four) = (dir.path().join("one"), dir.path().join("four"));
    run_sample(&one, "1", &[]);
    run_sample(&four, "4", &[]);
    for name in OUTPUTS {
        let a = std::fs::read(one.join(name)).expect(name);
        let b = std::fs::read(four.join(name)).expect(name);
        assert!(!a.is_empty(), "{name} is empty");
        assert!(a == b, "{name} differs between 1 and 4 threads");
    }
}

/// Reading and both hooks of a chunked ingest run on Polars' thread pool,
/// the one pool of a run (`src/pool.rs`), not on a second pool of rayon's.
#[test]
fn reading_and_its_hooks_run_on_polars_pool() {
    use juesuan::ingest::batch::{Retain, ingest_chunked};
    use polars_core::runtime::THREAD_POOL;
    let catalogue = juesuan::spec::Catalogue::builtin().expect("specs");
    let mut chunks_on_pool = Vec::new();
    let batch = ingest_chunked(
        juesuan::ingest::discover::discover(&[sample_root()]),
        &catalogue,
        &juesuan::ingest::read::Limits::default(),
        None,
        false,
        Retain::Workbooks,
        |_: &juesuan::ingest::batch::WorkbookFacts| THREAD_POOL.current_thread_index().is_some(),
        |chunk| {
            assert!(
                chunk.done.iter().all(|&on| on),
                "a workbook read off the pool"
            );
            chunks_on_pool.push(THREAD_POOL.current_thread_index().is_some());
        },
    );
    assert!(batch.workbooks.len() > 100, "{}", batch.workbooks.len());
    assert!(chunks_on_pool.len() >= 3, "{chunks_on_pool:?}");
    assert!(chunks_on_pool.iter().all(|&on| on), "{chunks_on_pool:?}");
}

/// Whether `path` is a complete output: Parquet with its footer, a workbook
/// that opens, CSV ending in a newline.
fn complete(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    match path.extension().and_then(|e| e.to_str()) {
        Some("parquet") => {
            bytes.len() > 8 && bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1")
        }
        Some("xlsx") => {
            use calamine::Reader;
            calamine::open_workbook::<calamine::Xlsx<_>, _>(path)
                .map(|mut b| b.worksheet_range("总览").is_ok())
                .unwrap_or(false)
        }
        Some("csv") => bytes.ends_with(b"\n"),
        _ => false,
    }
}

#[test]
fn a_run_killed_at_any_moment_leaves_only_complete_outputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let status = bin()
        .args([
            "sample",
            "--out",
            corpus.to_str().expect("path"),
            "--departments",
            "30",
            "--years",
            "2022-2024",
            "--seed",
            "5",
        ])
        .stderr(std::process::Stdio::null())
        .status()
        .expect("sample");
    assert_eq!(status.code(), Some(0));
    let out = dir.path().join("out");
    let args = [
        "run",
        corpus.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
        "-q",
        // Every run writes every output (none takes the first's as done).
        "--no-cache",
    ];
    let run_to_end = || {
        let status = bin()
            .args(args)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("run");
        assert_eq!(status.code(), Some(0));
    };
    // A previous complete run, timed so that the kills land inside a run.
    let started = std::time::Instant::now();
    run_to_end();
    let before: Vec<Vec<u8>> = OUTPUTS
        .iter()
        .map(|n| std::fs::read(out.join(n)).expect(n))
        .collect();
    let full_ms = started.elapsed().as_millis() as u64;
    let temporaries = |out: &Path| -> Vec<String> {
        std::fs::read_dir(out)
            .expect("out")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.contains(".tmp-"))
            .collect()
    };
    let mut kills_mid_write = 0;
    for delay_ms in [
        full_ms / 10,
        full_ms * 4 / 10,
        full_ms * 7 / 10,
        full_ms * 9 / 10,
    ] {
        let mut child = bin()
            .args(args)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        kills_mid_write += usize::from(!temporaries(&out).is_empty());
        for (name, previous) in OUTPUTS.iter().zip(&before) {
            let path = out.join(name);
            assert!(
                path.exists(),
                "{name} vanished after a kill at {delay_ms} ms"
            );
            assert!(
                complete(&path),
                "{name} is incomplete after a kill at {delay_ms} ms"
            );
            // Same inputs: a file is either the previous one or an identical new one.
            assert!(
                std::fs::read(&path).expect("read") == *previous,
                "{name} changed"
            );
        }
    }
    // Some kill landed while a file was being written (else this test
    // proves nothing); the next run removes what it left.
    assert!(
        kills_mid_write > 0,
        "no kill landed while a file was being written"
    );
    run_to_end();
    let leftovers = temporaries(&out);
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn outputs_never_overwrite_an_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = sample_root().join("seeds/2023_攀枝花市城市管理行政执法局_汇总表.xlsx");
    // An input workbook that happens to be named like the output workbook.
    std::fs::copy(&seed, dir.path().join("league_tables.xlsx")).expect("copy");
    let before = std::fs::read(dir.path().join("league_tables.xlsx")).expect("read");
    let out = bin()
        .args([
            "run",
            dir.path().to_str().expect("path"),
            "--out",
            dir.path().to_str().expect("path"),
            "-q",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is one of the input workbooks"));
    assert_eq!(
        std::fs::read(dir.path().join("league_tables.xlsx")).expect("read"),
        before
    );
}
