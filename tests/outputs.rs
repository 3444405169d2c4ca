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
    let writer = FactsWriter::start(dir.path(), Layout::Single, None);
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
    FactsWriter::start(empty.path(), Layout::Single, None)
        .finish()
        .expect("written");
    assert_eq!(read(&empty.path().join("facts.parquet")).height(), 0);
}

/// Writes `workbooks` as the fact table into `out`, laid out by `layout`,
/// handed on `per_chunk` at a time, with `groups` (keys and bounds);
/// returns the groups written and copied.
fn write_facts(
    (out, layout): (&Path, juesuan::write::Layout),
    workbooks: &[std::sync::Arc<juesuan::ingest::batch::WorkbookFacts>],
    per_chunk: usize,
    groups: juesuan::write::fact_groups::FactGroups,
) -> juesuan::write::fact_groups::GroupsWritten {
    let writer = juesuan::write::FactsWriter::start(out, layout, Some(groups));
    for chunk in workbooks.chunks(per_chunk) {
        writer.add(chunk);
    }
    writer.finish().expect("written")
}

/// Every Parquet file under `dir`, by path, with its bytes.
fn parquet_files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk").into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read");
            (p.strip_prefix(dir).expect("under").to_path_buf(), bytes)
        })
        .collect();
    files.sort();
    files
}

/// The fact table's row groups end where the files' paths say, whatever
/// the chunks reading handed on; a re-write copies the groups whose
/// workbooks are unchanged from the previous file, and every file is byte
/// for byte the one a cold write makes; a damaged previous file is not
/// copied from. Each of the two layouts.
fn rewrites_copy_unchanged_row_groups(layout: juesuan::write::Layout) {
    use juesuan::ingest::batch::{WorkbookFacts, ingest};
    use juesuan::spec::Catalogue;
    use juesuan::write::fact_groups::{FactGroups, GroupBounds};
    use std::collections::HashMap;
    use std::sync::Arc;
    // Three years: three files with `Layout::ByYear`.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/corpus");
    let batch = ingest(&[corpus], &Catalogue::builtin().expect("specs"), false);
    let workbooks = batch.workbooks;
    assert!(workbooks.len() > 150, "{}", workbooks.len());
    let keys: HashMap<String, String> = (workbooks.iter())
        .map(|w| (w.file.to_string(), format!("read {}", w.file)))
        .collect();
    let cache = tempfile::tempdir().expect("tempdir");
    let bounds = GroupBounds { every: 4, most: 8 };
    let groups = |dir: &Path, keys: &HashMap<String, String>| FactGroups {
        dir: dir.to_path_buf(),
        keys: keys.clone(),
        bounds,
    };
    // A cold write: an empty cache folder, nothing to copy from.
    let cold = |workbooks: &[Arc<WorkbookFacts>], keys: &HashMap<String, String>| {
        let (out, cache) = (
            tempfile::tempdir().expect("out"),
            tempfile::tempdir().expect("cache"),
        );
        let written = write_facts(
            (out.path(), layout),
            workbooks,
            5,
            groups(cache.path(), keys),
        );
        assert_eq!(written.copied, 0);
        (parquet_files(out.path()), written.groups)
    };

    let out = tempfile::tempdir().expect("tempdir");
    let at = (out.path(), layout);
    let first = write_facts(at, &workbooks, 7, groups(cache.path(), &keys));
    assert_eq!(first.copied, 0);
    assert!(first.groups >= 30, "{first:?}");
    let (cold_files, cold_groups) = cold(&workbooks, &keys);
    assert!(!cold_files.is_empty());
    assert_eq!(cold_groups, first.groups);
    assert_eq!(
        parquet_files(out.path()),
        cold_files,
        "the groups do not depend on the chunks"
    );

    // One workbook edited: a figure fewer, another key.
    let mut edited = workbooks.clone();
    let k = workbooks.len() / 2;
    edited[k] = Arc::new(WorkbookFacts {
        workbook: workbooks[k].workbook.clone(),
        facts: workbooks[k].facts[1..].to_vec(),
    });
    let mut edited_keys = keys.clone();
    edited_keys.insert(workbooks[k].file.to_string(), "read again".into());
    let again = write_facts(at, &edited, 7, groups(cache.path(), &edited_keys));
    assert_eq!(again.groups, first.groups);
    assert_eq!(
        again.copied,
        again.groups - 1,
        "all but the edited workbook's group"
    );
    assert_eq!(parquet_files(out.path()), cold(&edited, &edited_keys).0);

    // One workbook removed: at most its group and the next one change (in
    // each year's file, with `Layout::ByYear`).
    let mut removed = edited.clone();
    removed.remove(k / 2);
    let fewer = write_facts(at, &removed, 7, groups(cache.path(), &edited_keys));
    assert!(fewer.copied + 6 >= fewer.groups, "{fewer:?}");
    assert_eq!(parquet_files(out.path()), cold(&removed, &edited_keys).0);

    // A previous file damaged: none of its groups copied, the files still right.
    let (damaged_file, mut bytes) = parquet_files(out.path()).remove(0);
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(out.path().join(&damaged_file), bytes).expect("damage");
    let damaged = write_facts(at, &edited, 7, groups(cache.path(), &edited_keys));
    assert!(damaged.copied < damaged.groups - 1, "{damaged:?}");
    assert_eq!(parquet_files(out.path()), cold(&edited, &edited_keys).0);
}

#[test]
fn a_rewrite_copies_the_row_groups_of_unchanged_workbooks() {
    rewrites_copy_unchanged_row_groups(juesuan::write::Layout::Single);
}

#[test]
fn a_partitioned_rewrite_copies_the_row_groups_of_unchanged_workbooks() {
    rewrites_copy_unchanged_row_groups(juesuan::write::Layout::ByYear);
}
