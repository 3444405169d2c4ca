//! Incremental runs (issue 32, item 4): a re-run reads only new and changed
//! workbooks, takes the rest from the reading cache, and writes exactly
//! what a cold run writes; a damaged cache entry is read again, never
//! trusted; unchanged inputs leave the outputs untouched.

mod common;

use common::resave;
use juesuan::manifest::Manifest;
use juesuan::sample::layout::Out;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

fn run(input: &Path, out: &Path, extra: &[&str]) -> (Manifest, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args([OsStr::new("run"), OsStr::new("-q"), input.as_os_str()])
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("SOURCE_DATE_EPOCH", "1796601600")
        .output()
        .expect("juesuan runs");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{stderr}");
    let manifest = Manifest::read(out).expect("reads").expect("a manifest");
    (manifest, stderr)
}

/// The outputs under `dir` (the manifest, the cache and the lock aside).
fn outputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).expect("under").to_path_buf())
        .filter(|p| !p.starts_with(".cache") && p != Path::new("manifest.json"))
        .collect();
    files.sort();
    files
}

fn assert_same_outputs(a: &Path, b: &Path) {
    let files = outputs(a);
    assert_eq!(files, outputs(b));
    assert!(files.len() >= 10, "{files:?}");
    for file in &files {
        let same = std::fs::read(a.join(file)).expect("read")
            == std::fs::read(b.join(file)).expect("read");
        assert!(same, "{} differs", file.display());
    }
}

/// Copies the files of `from` into `to` (a folder of outputs, the cache left out).
fn copy_outputs(from: &Path, to: &Path) {
    for file in outputs(from)
        .into_iter()
        .chain([PathBuf::from("manifest.json")])
    {
        let target = to.join(&file);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from.join(&file), target).expect("copy");
    }
}

#[test]
fn a_rerun_with_the_cache_writes_what_a_cold_run_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = common::sample_root().join("corpus");
    let input = dir.path().join("in");
    let copy_folder = |from: &Path, to: &Path| {
        for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
            let target = to.join(entry.path().strip_prefix(from).expect("under"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    };
    copy_folder(&corpus.join("2023"), &input.join("2023"));
    let warm = dir.path().join("warm");
    let (first, _) = run(&input, &warm, &[]);
    assert_eq!(first.cache.workbooks_reused, 0);
    let files = first.inputs.iter().filter(|i| i.kind == "workbook").count();
    assert_eq!(first.cache.workbooks_read, files);
    // Every fact read from a file is in a row group of facts.parquet known
    // by its workbooks' cache keys, which a re-run can copy; only the
    // figures the narratives state are in groups without one (`-`).
    let groups = std::fs::read_to_string(warm.join(".cache/fact-groups.index")).expect("index");
    let lines: Vec<&str> = groups.lines().skip(2).collect();
    assert_eq!(lines.len(), first.cache.fact_groups);
    let keyed_rows: u64 = (lines.iter())
        .filter(|l| !l.starts_with('-'))
        .map(|l| {
            l.rsplit(' ')
                .next()
                .and_then(|n| n.parse::<u64>().ok())
                .expect("rows")
        })
        .sum();
    assert_eq!(Some(&keyed_rows), first.counts.get("facts"), "{groups}");

    // Unchanged: nothing is done, nothing is touched.
    let before = std::fs::read(warm.join("manifest.json")).expect("manifest");
    let (_, said) = run(&input, &warm, &[]);
    assert!(said.contains("up to date"), "{said}");
    assert_eq!(
        std::fs::read(warm.join("manifest.json")).expect("manifest"),
        before
    );

    // One workbook's figures edited, one deleted, one added.
    let mut workbooks: Vec<PathBuf> = walkdir::WalkDir::new(&input)
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    workbooks.sort();
    resave(&workbooks[1], |sheets| {
        for sheet in sheets.iter_mut() {
            for out in sheet.cells.values_mut() {
                if let Out::Number(n) = out
                    && *n > 10_000.0
                {
                    *n += 100.0;
                }
            }
        }
    });
    std::fs::remove_file(&workbooks[2]).expect("delete");
    let added = corpus.join("2024");
    let new_file = walkdir::WalkDir::new(&added)
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .expect("a 2024 workbook");
    std::fs::copy(&new_file, input.join("2023").join("added.xlsx")).expect("add");

    // A cold run into a copy of the folder as it was, and the re-run.
    let cold = dir.path().join("cold");
    copy_outputs(&warm, &cold);
    let (cold_manifest, _) = run(&input, &cold, &["--no-cache"]);
    let (again, _) = run(&input, &warm, &[]);
    assert_eq!(
        again.cache.workbooks_read, 2,
        "the edited and the added workbook"
    );
    assert_eq!(again.cache.workbooks_reused, files - 2);
    assert_eq!(
        again.cache.checks_reused,
        files - 2,
        "the checks and measures of the unchanged workbooks taken from the cache, not made again"
    );
    assert_eq!(again.run_id, cold_manifest.run_id);
    assert_same_outputs(&cold, &warm);
    assert_eq!(again.outputs, cold_manifest.outputs);

    // Damaged entries (a byte flipped in three, the length of a fourth):
    // read again from the workbooks, the same outputs.
    let cache = warm.join(".cache");
    let index = std::fs::read_to_string(cache.join("readings.index")).expect("index");
    let mut lines = index.lines();
    let pack = cache.join(
        lines
            .next()
            .expect("header")
            .rsplit(' ')
            .next()
            .expect("pack"),
    );
    let spans: Vec<(u64, u64)> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f[1].parse().expect("offset"), f[2].parse().expect("length"))
        })
        .collect();
    assert_eq!(spans.len(), files);
    let mut bytes = std::fs::read(&pack).expect("pack");
    for &(offset, length) in &spans[..3] {
        bytes[(offset + length / 2) as usize] ^= 0x10;
    }
    bytes[(spans[3].0 + 9) as usize] ^= 0x01;
    std::fs::write(&pack, bytes).expect("damage");
    let (fresh, fresh_cold) = (dir.path().join("fresh"), dir.path().join("fresh_cold"));
    let cache_arg = cache.to_str().expect("path");
    let (damaged, _) = run(&input, &fresh, &["--cache", cache_arg]);
    assert_eq!(damaged.cache.workbooks_read, 4);
    run(&input, &fresh_cold, &["--no-cache"]);
    assert_same_outputs(&fresh_cold, &fresh);
    // An index that is not one: every workbook read again, same outputs.
    std::fs::write(cache.join("readings.index"), "not an index\n").expect("garbage");
    let again = dir.path().join("again");
    let (rebuilt, _) = run(&input, &again, &["--cache", cache_arg]);
    assert_eq!(rebuilt.cache.workbooks_read, files);
    assert_same_outputs(&fresh_cold, &again);
}

/// A cache `ingest` kept (readings only) serves `run`, which reads nothing
/// again and adds each workbook's checks and measures to it; the next run
/// takes those too, and `ingest` using the cache again leaves them there.
#[test]
fn runs_add_their_checks_to_a_cache_ingest_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = common::sample_root().join("corpus").join("2023");
    let cache = dir.path().join("cache");
    let cache_arg = cache.to_str().expect("path");
    let ingest = |out: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
            .args([OsStr::new("ingest"), OsStr::new("-q"), input.as_os_str()])
            .arg("--out")
            .arg(dir.path().join(out))
            .args(["--cache", cache_arg])
            .output()
            .expect("juesuan runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.code().is_some_and(|c| c <= 1), "{stderr}");
        Manifest::read(&dir.path().join(out))
            .expect("reads")
            .expect("a manifest")
    };
    let first = ingest("ingested");
    let files = first.cache.workbooks_read;
    assert!(files >= 10, "{files} workbooks");
    assert_eq!(first.cache.checks_reused, 0);

    let (checked, _) = run(&input, &dir.path().join("first"), &["--cache", cache_arg]);
    assert_eq!(checked.cache.workbooks_read, 0);
    assert_eq!(checked.cache.workbooks_reused, files);
    assert_eq!(checked.cache.checks_reused, 0, "ingest keeps no checks");

    let again = ingest("ingested_again");
    assert_eq!(again.cache.workbooks_read, 0);
    let (rerun, _) = run(&input, &dir.path().join("second"), &["--cache", cache_arg]);
    assert_eq!(rerun.cache.workbooks_read, 0);
    assert_eq!(
        rerun.cache.checks_reused, files,
        "the first run's checks, kept beside the readings and left there by ingest"
    );
    assert_same_outputs(&dir.path().join("first"), &dir.path().join("second"));
}
