//! The run manifest and run id (issue 32, items 6 and 7): manifest.json
//! records the version, command line, specs, inputs with their SHA-256,
//! counts, timings and outputs; every Parquet file and the workbook carry
//! the run id; a folder mixing two runs is detected.

mod common;

use common::{juesuan, planted_files, resave};
use juesuan::manifest::{Manifest, mixed_runs, parquet_run_id, sha256};
use juesuan::sample::layout::Out;
use std::ffi::OsStr;
use std::path::Path;

fn run(input: &Path, out: &Path) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args([OsStr::new("run"), OsStr::new("-q"), input.as_os_str()])
        .arg("--out")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "1796601600")
        .output()
        .expect("juesuan runs");
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_run_records_what_made_it_and_stamps_its_outputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let files = planted_files(1);
    for file in &files {
        std::fs::copy(file, input.join(file.file_name().expect("name"))).expect("copy");
    }
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run(&input, &a);
    let manifest = Manifest::read(&a).expect("reads").expect("a manifest");
    assert_eq!(manifest.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest.date, "2026-12-07");
    assert_eq!(manifest.run_id.len(), 16);
    assert_eq!(manifest.options["command"], "run");
    assert!(manifest.command_line.iter().any(|a| a == "run"));
    assert!(
        manifest
            .specs
            .iter()
            .any(|s| s.name == "rules.toml" && !s.overridden)
    );
    // Every workbook with its size and SHA-256.
    let workbooks: Vec<_> = manifest
        .inputs
        .iter()
        .filter(|i| i.kind == "workbook")
        .collect();
    assert_eq!(workbooks.len(), files.len());
    for i in &workbooks {
        let bytes = std::fs::read(&i.path).expect("input");
        assert_eq!(
            (i.size, i.sha256.as_str()),
            (bytes.len() as u64, sha256(&bytes).as_str())
        );
    }
    assert_eq!(manifest.counts["workbooks_read"], files.len() as u64);
    assert!(
        manifest
            .timings
            .iter()
            .any(|t| t.stage.starts_with("ingest"))
    );
    // Every output listed with its hash; Parquet files stamped with the id.
    for name in [
        "facts.parquet",
        "findings.parquet",
        "metrics.parquet",
        "league_tables.xlsx",
    ] {
        let listed = manifest
            .outputs
            .iter()
            .find(|o| o.path == name)
            .expect(name);
        let bytes = std::fs::read(a.join(name)).expect(name);
        assert_eq!(listed.xxh3, juesuan::manifest::xxh3(&bytes), "{name}");
    }
    for name in [
        "facts.parquet",
        "findings.parquet",
        "metrics.parquet",
        "flags.parquet",
        "units.parquet",
    ] {
        assert_eq!(
            parquet_run_id(&a.join(name)).as_deref(),
            Some(manifest.run_id.as_str()),
            "{name}"
        );
    }
    // 总览 shows the version, date and run id.
    let overview = overview(&a);
    for (label, value) in [
        ("程序版本", format!("juesuan {}", manifest.version)),
        ("运行日期", "2026-12-07".to_string()),
        ("运行编号", manifest.run_id.clone()),
    ] {
        assert!(
            overview.contains(&(label.to_string(), value.clone())),
            "{label} {value}: {overview:?}"
        );
    }
    assert!(mixed_runs(&a).expect("checks").is_empty());

    // The same inputs into another folder: the same id and the same bytes.
    run(&input, &b);
    let again = Manifest::read(&b).expect("reads").expect("a manifest");
    assert_eq!(again.run_id, manifest.run_id);
    assert_eq!(again.outputs, manifest.outputs);

    // One figure resubmitted: another run id.
    let changed = input.join(files[0].file_name().expect("name"));
    resave(&changed, |sheets| {
        let (at, n) = (sheets[1].cells.iter())
            .find_map(|(at, o)| match o {
                Out::Number(n) if *n > 1000.0 => Some((*at, *n)),
                _ => None,
            })
            .expect("a figure");
        sheets[1].put(at.0, at.1, Out::Number(n + 1.0));
    });
    run(&input, &b);
    let other = Manifest::read(&b).expect("reads").expect("a manifest");
    assert_ne!(other.run_id, manifest.run_id);

    // A file of one run copied into the other's folder is detected, by
    // `query` too.
    std::fs::copy(b.join("facts.parquet"), a.join("facts.parquet")).expect("copy");
    let problems = mixed_runs(&a).expect("checks");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("facts.parquet") && p.contains(&other.run_id)),
        "{problems:?}"
    );
    let sql = dir.path().join("count.sql");
    std::fs::write(&sql, "SELECT COUNT(*) AS n FROM facts").expect("sql");
    let (status, stderr) = juesuan(&[
        OsStr::new("query"),
        sql.as_os_str(),
        OsStr::new("--data"),
        a.as_os_str(),
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(
        stderr.contains("more than one run") && stderr.contains("facts.parquet"),
        "{stderr}"
    );
}

/// The (label, value) pairs of 总览's first table.
fn overview(out: &Path) -> Vec<(String, String)> {
    (common::sheet_rows(out, "总览").into_iter())
        .filter_map(|r| Some((r.first()?.clone(), r.get(1)?.clone())))
        .collect()
}
