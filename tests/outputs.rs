//! The written outputs: facts.parquet holds every fact with exact Decimal
//! amounts and its source cell; units.parquet one row per unit-year;
//! ingest_report.csv one line per file and sheet.
use polars::prelude::*;
use std::path::Path;

fn run_on_seeds(out: &Path) {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/seeds");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["ingest", "-q", "--out"])
        .arg(out)
        .arg(&seeds)
        .status()
        .expect("run juesuan");
    assert_eq!(status.code(), Some(0));
}

fn read(path: &Path) -> DataFrame {
    let file = std::fs::File::open(path).expect("open parquet");
    ParquetReader::new(file).finish().expect("read parquet")
}

#[test]
fn facts_parquet_is_exact_and_traceable() {
    let dir = tempfile::tempdir().expect("tempdir");
    run_on_seeds(dir.path());
    let facts = read(&dir.path().join("facts.parquet"));
    let names: Vec<String> = facts
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    for required in [
        "year",
        "unit_code",
        "unit_name",
        "dept_code",
        "dept_name",
        "form",
        "item",
        "column",
        "subject_code",
        "amount",
        "source_file",
        "source_sheet",
        "source_cell",
    ] {
        assert!(
            names.iter().any(|n| n == required),
            "column {required} in {names:?}"
        );
    }
    assert_eq!(
        facts.column("amount").expect("amount").dtype(),
        &DataType::Decimal(18, 2)
    );
    assert!(facts.height() > 700, "{} facts", facts.height());
    // 攀枝花 2023 三公 决算 合计, exactly 616,200.00 元, at its cell.
    let col = |name: &str| {
        facts
            .column(name)
            .expect(name)
            .as_materialized_series()
            .clone()
    };
    let (form, item, column, year, unit, cell, amount) = (
        col("form"),
        col("item"),
        col("column"),
        col("year"),
        col("unit_name"),
        col("source_cell"),
        col("amount"),
    );
    let mut found = Vec::new();
    for i in 0..facts.height() {
        let s = |c: &Series| c.get(i).map(|v| v.to_string()).unwrap_or_default();
        if s(&form).contains("sangong")
            && s(&item).contains("sangong_total")
            && s(&column).contains("actual")
            && s(&year) == "2023"
            && s(&unit).contains("攀枝花市城市管理行政执法局")
        {
            found.push((s(&amount), s(&cell)));
        }
    }
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].0.starts_with("616200.00"), "{found:?}");
    assert!(!found[0].1.is_empty());
}

#[test]
fn units_parquet_and_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    run_on_seeds(dir.path());
    let units = read(&dir.path().join("units.parquet"));
    assert_eq!(units.height(), 4, "four seed unit-years");
    let staff = units.column("staff_actual").expect("staff_actual");
    assert!(
        staff
            .as_materialized_series()
            .iter()
            .any(|v| v.to_string() == "282")
    );
    let report = std::fs::read_to_string(dir.path().join("ingest_report.csv")).expect("report");
    assert!(
        report
            .lines()
            .next()
            .is_some_and(|h| h.contains("file,sheet,cell,severity,kind,form,message"))
    );
    assert!(report.contains("recognised by title as 财政拨款“三公”经费支出决算表"));
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn facts_stream_as_row_groups_in_order() {
    use juesuan::ingest::batch::ingest;
    use juesuan::spec::Catalogue;
    use juesuan::write::{FactsWriter, Layout};
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/seeds");
    let batch = ingest(&[seeds], &Catalogue::builtin().expect("specs"), false);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("facts.parquet");
    let writer = FactsWriter::start(dir.path(), Layout::Single);
    let wb = &batch.workbooks;
    writer.add(&wb[..1]);
    writer.add(&wb[1..3]);
    writer.add(&wb[3..]);
    writer.finish().expect("written");
    let facts = read(&path);
    assert_eq!(facts.height(), batch.fact_count());
    // The streamed file reads back as the frame of the same workbooks.
    let frame = juesuan::write::facts_frame(wb).expect("frame");
    assert_eq!(facts.schema(), frame.schema());
    assert!(facts.equals_missing(&frame));
    let files = facts
        .column("source_file")
        .expect("source_file")
        .as_materialized_series()
        .clone();
    assert_eq!(
        files.get(0).expect("first").to_string().trim_matches('"'),
        &*wb[0].file
    );
    assert_eq!(
        files
            .get(facts.height() - 1)
            .expect("last")
            .to_string()
            .trim_matches('"'),
        &*wb[3].file
    );

    // Nothing read still gives a valid, empty table.
    let empty = tempfile::tempdir().expect("tempdir");
    FactsWriter::start(empty.path(), Layout::Single)
        .finish()
        .expect("written");
    assert_eq!(read(&empty.path().join("facts.parquet")).height(), 0);
}
