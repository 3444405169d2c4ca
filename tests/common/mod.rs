//! Shared helpers for the integration tests: run the generator and the
//! reader on the same corpus and compare, fact by fact.
#![allow(dead_code)]

use juesuan::ingest::batch::{Batch, ingest};
use juesuan::sample::layout::{Out, SheetOut};
use juesuan::sample::{Corpus, SampleConfig, generate};
use juesuan::spec::Catalogue;
use juesuan::text::a1;
use std::collections::BTreeMap;
use std::path::Path;

/// A sheet with the given cells.
pub fn sheet(name: &str, cells: &[((u32, u32), Out)]) -> SheetOut {
    let mut s = SheetOut {
        name: name.into(),
        ..Default::default()
    };
    for ((r, c), o) in cells {
        s.put(*r, *c, o.clone());
    }
    s
}

/// `juesuan run` over the committed sample into `out`, with `threads`
/// workers in its one thread pool (Polars', `src/pool.rs`) and `extra`
/// arguments; asserts it succeeds.
pub fn run_sample(out: &Path, threads: &str, extra: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .arg("run")
        .arg(root)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .args(extra)
        .env("POLARS_MAX_THREADS", threads)
        // The run's date (on 总览): the same for runs compared byte by byte.
        .env("SOURCE_DATE_EPOCH", "1796601600")
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(0));
}

/// (file relative to the corpus root, sheet, cell) → (form, item, column, subject code, amount in 分, unit).
pub type FactMap =
    BTreeMap<(String, String, String), (String, String, String, Option<String>, i64, String)>;

pub fn expected_facts(corpus: &Corpus) -> FactMap {
    let mut map = FactMap::new();
    for f in &corpus.files {
        for e in &f.expected {
            let (amount, unit) = if e.is_count {
                (e.amount, "count")
            } else {
                (e.amount, "元")
            };
            map.insert(
                (f.rel_path.clone(), e.sheet.clone(), a1(e.cell.0, e.cell.1)),
                (
                    e.form.clone(),
                    e.item.clone(),
                    e.column.clone(),
                    e.subject_code.clone(),
                    amount,
                    unit.to_string(),
                ),
            );
        }
    }
    map
}

pub fn read_facts(batch: &Batch, root: &Path) -> FactMap {
    let mut map = FactMap::new();
    for w in &batch.workbooks {
        let rel = Path::new(&*w.file)
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| w.file.to_string());
        for f in &w.facts {
            let is_money = f.unit_of_measure == "元";
            let amount = if is_money {
                juesuan::write::cents(f.amount) as i64
            } else {
                f.amount.trunc().mantissa() as i64
            };
            map.insert(
                (rel.clone(), f.sheet.to_string(), f.cell()),
                (
                    f.form.to_string(),
                    f.item.to_string(),
                    f.column.to_string(),
                    f.subject_code.map(str::to_string),
                    amount,
                    if is_money {
                        "元".into()
                    } else {
                        "count".into()
                    },
                ),
            );
        }
    }
    map
}

/// Writes a generated corpus into `dir`.
pub fn write_files(corpus: &Corpus, dir: &Path) {
    for f in &corpus.files {
        let path = dir.join(&f.rel_path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &f.bytes).expect("write");
    }
}

pub fn generate_and_read(config: &SampleConfig, dir: &Path) -> (Corpus, Batch) {
    let catalogue = Catalogue::builtin().expect("specs");
    let corpus = generate(config, &catalogue).expect("generate");
    write_files(&corpus, dir);
    let batch = ingest(&[dir.to_path_buf()], &catalogue, false);
    (corpus, batch)
}

/// Differences between expected and read facts, as printable lines (at most `limit`).
pub fn differences(expected: &FactMap, read: &FactMap, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in expected {
        match read.get(k) {
            None => out.push(format!("missing {k:?}: expected {v:?}")),
            Some(r) if r != v => out.push(format!("differs {k:?}: expected {v:?}, read {r:?}")),
            _ => {}
        }
    }
    for (k, v) in read {
        if !expected.contains_key(k) {
            out.push(format!("extra {k:?}: read {v:?}"));
        }
    }
    let n = out.len();
    out.truncate(limit);
    if n > limit {
        out.push(format!("… {} more", n - limit));
    }
    out
}

/// Asserts that `batch` (read from `root`) holds exactly the corpus's facts,
/// with no error and no unmapped cell in the report.
pub fn assert_reads_back(name: &str, corpus: &Corpus, batch: &Batch, root: &Path) {
    let expected = expected_facts(corpus);
    let read = read_facts(batch, root);
    let diffs = differences(&expected, &read, 40);
    assert!(
        diffs.is_empty(),
        "{name}: {} expected, {} read; differences:\n{}",
        expected.len(),
        read.len(),
        diffs.join("\n")
    );
    let bad: Vec<String> = batch
        .report
        .iter()
        .filter(|r| r.severity == juesuan::ingest::batch::Severity::Error || r.kind == "unmapped")
        .take(20)
        .map(|r| format!("{} [{}] {} {}", r.file, r.sheet, r.cell, r.message))
        .collect();
    assert!(
        bad.is_empty(),
        "{name}: errors or unmapped cells:\n{}",
        bad.join("\n")
    );
    let workbooks = corpus
        .files
        .iter()
        .filter(|f| juesuan::ingest::discover::is_workbook(std::path::Path::new(&f.rel_path)))
        .count();
    assert_eq!(
        batch.workbooks.len(),
        workbooks,
        "{name}: every workbook read"
    );
}

/// The committed sample corpus.
pub fn sample_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

/// The 2023 files of the first `departments` department folders with a
/// planted consistency error (truth.csv).
pub fn planted_files(departments: usize) -> Vec<std::path::PathBuf> {
    let text = std::fs::read_to_string(sample_root().join("truth.csv")).expect("truth.csv");
    let mut folders: Vec<std::path::PathBuf> = text
        .lines()
        .filter(|l| l.starts_with("consistency_error,") && l.contains(",2023,"))
        .filter_map(|l| l.split(',').nth(6))
        .map(|f| {
            sample_root()
                .join(f)
                .parent()
                .expect("folder")
                .to_path_buf()
        })
        .filter(|d| !d.ends_with("公开"))
        .collect();
    folders.sort();
    folders.dedup();
    folders
        .iter()
        .take(departments)
        .flat_map(|d| {
            std::fs::read_dir(d)
                .expect("folder")
                .map(|e| e.expect("entry").path())
        })
        .collect()
}

/// Saves the workbook at `path` again as `.xlsx` with the same cells and
/// merges, after `edit` (a unit resubmitting its workbook). The sheets'
/// names start with their form's code (`Z03 收入决算表…`).
pub fn resave(path: &Path, edit: impl FnOnce(&mut Vec<SheetOut>)) {
    let mut sheets = juesuan::sample::read_back(path).expect("reads back");
    edit(&mut sheets);
    let bytes = juesuan::sample::xlsx_bytes(&sheets).expect("writes");
    std::fs::write(path, bytes).expect("saves");
}

/// A cell reference (`C7`) as 0-based (row, column).
pub fn cell_position(cell: &str) -> (u32, u32) {
    let letters: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
    let row: u32 = cell[letters.len()..].parse().expect("row");
    let col = (letters.bytes()).fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1);
    (row - 1, col - 1)
}

/// The first source cell of a finding's `source_cells`: its sheet and
/// 0-based (row, column).
pub fn first_source_cell(source_cells: &str) -> (String, (u32, u32)) {
    let first = source_cells.split("; ").next().expect("a cell");
    let (sheet, cell) = first.rsplit_once('!').expect("sheet!cell");
    (sheet.trim_matches('\'').to_string(), cell_position(cell))
}

/// Rows of `sql` run with `juesuan query` on the outputs in `out`.
pub fn query(out: &Path, sql: &str) -> Vec<BTreeMap<String, String>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let (file, csv) = (dir.path().join("q.sql"), dir.path().join("q.csv"));
    std::fs::write(&file, sql).expect("sql");
    let args = [
        std::ffi::OsStr::new("query"),
        file.as_os_str(),
        std::ffi::OsStr::new("--data"),
        out.as_os_str(),
        std::ffi::OsStr::new("--csv"),
        csv.as_os_str(),
    ];
    let (status, stderr) = juesuan(&args);
    assert_eq!(status, Some(0), "{stderr}");
    csv_rows(&csv)
}

/// A sheet of `out/league_tables.xlsx` as text.
pub fn sheet_rows(out: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(out.join("league_tables.xlsx")).expect("workbook");
    let range = book.worksheet_range(sheet).expect(sheet);
    (range.rows())
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}

/// Runs `juesuan` with `args`; returns its exit status and its stderr.
pub fn juesuan(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(args)
        .output()
        .expect("juesuan runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// `juesuan COMMAND -q INPUT --out OUT EXTRA…`; its exit status and stderr.
pub fn juesuan_into(
    command: &str,
    input: &Path,
    out: &Path,
    extra: &[&std::ffi::OsStr],
) -> (Option<i32>, String) {
    use std::ffi::OsStr;
    let mut args = vec![
        OsStr::new(command),
        OsStr::new("-q"),
        input.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
    ];
    args.extend_from_slice(extra);
    juesuan(&args)
}

/// The rows of a CSV output (UTF-8 with BOM) as maps of column → text.
pub fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).expect("csv");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().expect("headers").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}
