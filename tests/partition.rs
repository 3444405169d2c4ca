//! `--partition`: facts and metrics as Hive-style folders by year hold
//! exactly the rows of the single files, read back through juesuan's own
//! SQL (DuckDB reads them in CI, tests/duckdb_parity.py), are
//! byte-identical whatever the thread count, and replace the other layout.
mod common;

use common::run_sample;
use juesuan::query::context;
use polars::prelude::{DataFrame, IntoLazy, SortMultipleOptions, col};
use std::path::{Path, PathBuf};

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        // The reading cache (its entries in the order workers finished) and
        // the lock are not outputs.
        .filter_entry(|e| e.depth() != 1 || !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        // The manifest records the run's own command line and timings.
        .filter(|e| e.file_name() != "manifest.json")
        .map(|e| e.path().strip_prefix(dir).expect("under").to_path_buf())
        .collect();
    files.sort();
    files
}

fn table(out: &Path, name: &str) -> DataFrame {
    let mut ctx = context(out).expect("tables");
    ctx.execute(&format!("SELECT * FROM {name}"))
        .and_then(|lf| lf.collect())
        .expect(name)
}

#[test]
fn partitioned_tables_hold_the_rows_of_the_single_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (single, one, four) = (
        dir.path().join("single"),
        dir.path().join("one"),
        dir.path().join("four"),
    );
    run_sample(&single, "4", &[]);
    run_sample(&one, "1", &["--partition"]);
    run_sample(&four, "4", &["--partition"]);

    for name in ["facts", "metrics"] {
        assert!(!one.join(format!("{name}.parquet")).exists());
        let years: Vec<PathBuf> = files_under(&one.join(name));
        assert_eq!(
            years,
            ["2020", "2022", "2023", "2024"]
                .map(|y| PathBuf::from(format!("year={y}/part-0.parquet")))
        );
        // Same rows, in year order, as the single file.
        let whole = table(&single, name);
        let columns: Vec<String> = whole
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let by_year = whole
            .clone()
            .lazy()
            .sort(
                ["year"],
                SortMultipleOptions::default().with_maintain_order(true),
            )
            .collect()
            .expect("sorted");
        let parts = table(&one, name)
            .lazy()
            .select(columns.iter().map(|c| col(c.as_str())).collect::<Vec<_>>())
            .collect()
            .expect("columns");
        assert_eq!(parts.height(), whole.height(), "{name}");
        assert!(parts.equals_missing(&by_year), "{name} differs");
    }
    // Byte-identical with 1 and 4 threads.
    let files = files_under(&one);
    assert_eq!(files, files_under(&four));
    for file in &files {
        let a = std::fs::read(one.join(file)).expect("read");
        assert!(
            a == std::fs::read(four.join(file)).expect("read"),
            "{file:?}"
        );
    }
    // Each layout replaces the other.
    run_sample(&one, "4", &[]);
    assert!(one.join("facts.parquet").is_file() && !one.join("facts").exists());
    assert!(one.join("metrics.parquet").is_file() && !one.join("metrics").exists());
}
