//! What changed (issue 32, item 5): after one workbook is corrected,
//! `juesuan diff` reports exactly that file, its facts, the findings it
//! resolves and the ranks that move; a run into a folder holding the
//! previous run's outputs shows the same on its 变动 sheet.

mod common;

use common::{csv_rows, juesuan, planted_files, resave};
use juesuan::sample::layout::Out;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::Path;

type Row = BTreeMap<String, String>;

fn run(input: &Path, out: &Path) {
    let (status, stderr) = juesuan(&[
        OsStr::new("run"),
        OsStr::new("-q"),
        input.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
    ]);
    assert!(status.is_some_and(|c| c <= 1), "{stderr}");
}

/// A planted error of the sample (truth.csv): file, sheet, cell (0-based)
/// and the amount the cell had before the error was planted.
fn planted_sangong_error() -> (String, String, (u32, u32), f64) {
    let truth = std::fs::read_to_string(common::sample_root().join("truth.csv")).expect("truth");
    let line = truth
        .lines()
        .find(|l| l.starts_with("consistency_error,sangong_subtotal,2023,"))
        .expect("a planted 三公 error");
    let f: Vec<&str> = line.split(',').collect();
    let file = Path::new(f[6])
        .file_name()
        .expect("name")
        .to_string_lossy()
        .to_string();
    let letters: String = f[8].chars().take_while(char::is_ascii_alphabetic).collect();
    let row: u32 = f[8][letters.len()..].parse().expect("row");
    let col = (letters.bytes()).fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1);
    let original: f64 = f[13].parse().expect("amount");
    (file, f[7].to_string(), (row - 1, col - 1), original)
}

/// Ranks of a run's metrics by (level, entity, year, metric), read with SQL.
fn ranks(out: &Path) -> BTreeMap<String, String> {
    let sql = out.with_extension("ranks.sql");
    std::fs::write(
        &sql,
        "SELECT level, entity_id, year, metric, rank FROM metrics WHERE rank IS NOT NULL",
    )
    .expect("sql");
    let csv = out.with_extension("ranks.csv");
    let (status, stderr) = juesuan(&[
        OsStr::new("query"),
        sql.as_os_str(),
        OsStr::new("--data"),
        out.as_os_str(),
        OsStr::new("--csv"),
        csv.as_os_str(),
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    csv_rows(&csv)
        .into_iter()
        .map(|r| {
            let key = format!(
                "{} {} {} {}",
                r["level"], r["entity_id"], r["year"], r["metric"]
            );
            (key, r["rank"].clone())
        })
        .collect()
}

#[test]
fn diff_after_one_corrected_workbook_reports_exactly_its_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for file in planted_files(3) {
        let copy = input.join(file.file_name().expect("name"));
        std::fs::copy(&file, &copy).expect("copy");
        resave(&copy, |_| {});
    }
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    run(&input, &old);
    // The unit corrects the figure planted wrong.
    let (name, sheet, (r, c), original) = planted_sangong_error();
    let file = input.join(&name);
    resave(&file, |sheets| {
        let sheet = sheets.iter_mut().find(|s| s.name == sheet).expect("sheet");
        sheet.put(r, c, Out::Number(original));
    });
    run(&input, &new);
    // The unit's 三公 errors and its department's (the 汇总表 against the
    // sum of its units).
    let unit = name.split('_').next().expect("unit code").to_string();
    let dept = format!("{}000", &unit[..3]);
    let was_wrong: BTreeSet<String> = csv_rows(&old.join("findings.csv"))
        .into_iter()
        .filter(|f| f["unit_id"] == unit || f["unit_id"] == dept)
        .filter(|f| f["left"].starts_with("sangong:") && f["severity"] == "error")
        .map(|f| f["id"].clone())
        .collect();
    assert!(!was_wrong.is_empty());

    let changes_csv = dir.path().join("changes.csv");
    let (status, stderr) = juesuan(&[
        OsStr::new("diff"),
        old.as_os_str(),
        new.as_os_str(),
        OsStr::new("--csv"),
        changes_csv.as_os_str(),
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    let changes = csv_rows(&changes_csv);
    let of = |what: &str| -> Vec<&Row> { changes.iter().filter(|c| c["what"] == what).collect() };
    // Exactly the corrected file.
    let files = of("file");
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0]["change"], "changed");
    assert_eq!(files[0]["key"], file.display().to_string());
    // Exactly the corrected cell among its facts.
    let facts = of("fact");
    assert_eq!(facts.len(), 1, "{facts:?}");
    assert!(
        facts[0]["key"].starts_with(&format!("{} '{sheet}'!", file.display())),
        "{facts:?}"
    );
    assert_eq!(facts[0]["after"].parse::<f64>().expect("amount"), original);
    // Exactly the findings it corrects are resolved; nothing is new.
    let findings = of("finding");
    let resolved: BTreeSet<String> = (findings.iter())
        .filter(|f| f["change"] == "resolved")
        .map(|f| f["key"].clone())
        .collect();
    assert_eq!(resolved, was_wrong, "{findings:?}");
    assert!(
        findings.iter().all(|f| f["change"] == "resolved"),
        "{findings:?}"
    );
    // The ranks that moved, as the metrics of the two runs say.
    let (before, after) = (ranks(&old), ranks(&new));
    let moved: BTreeSet<String> = (before.iter())
        .filter(|(k, r)| after.get(*k).is_some_and(|a| a != *r))
        .map(|(k, _)| k.clone())
        .collect();
    let reported: BTreeSet<String> = of("rank").iter().map(|c| c["key"].clone()).collect();
    assert_eq!(reported, moved);

    // A run into the old folder compares itself with the run before: its
    // 变动 sheet lists the same changes.
    run(&input, &old);
    let sheet = sheet_rows(&old, "变动");
    let header = sheet.iter().position(|r| r[0] == "类别").expect("headings");
    let listed = sheet.len() - header - 1;
    assert_eq!(listed, changes.len(), "{sheet:?}");
    let first = was_wrong.iter().next().expect("one");
    assert!(sheet.iter().any(|r| r[1] == "已消除" && r[2] == *first));
    // Its kept copy of the previous tables is gone.
    let hidden: Vec<_> = std::fs::read_dir(&old)
        .expect("out")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".previous"))
        .collect();
    assert!(hidden.is_empty());
}

/// The file, sheet and cell (0-based) of the first 在职人数 a run read.
fn staff_cell(out: &Path) -> (String, String, (u32, u32), f64) {
    let sql = out.with_extension("staff.sql");
    std::fs::write(
        &sql,
        "SELECT source_file, source_sheet, source_cell, amount FROM facts \
         WHERE item = 'staff_actual' AND amount > 5 ORDER BY source_file LIMIT 1",
    )
    .expect("sql");
    let csv = out.with_extension("staff.csv");
    let (status, stderr) = juesuan(&[
        OsStr::new("query"),
        sql.as_os_str(),
        OsStr::new("--data"),
        out.as_os_str(),
        OsStr::new("--csv"),
        csv.as_os_str(),
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    let row = csv_rows(&csv).pop().expect("a 在职人数");
    let cell = &row["source_cell"];
    let letters: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
    let r: u32 = cell[letters.len()..].parse().expect("row");
    let c = (letters.bytes()).fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1);
    let amount = row["amount"].parse().expect("amount");
    (
        row["source_file"].clone(),
        row["source_sheet"].clone(),
        (r - 1, c - 1),
        amount,
    )
}

#[test]
fn a_resubmitted_staff_count_moves_exactly_the_ranks_it_moves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for file in planted_files(3) {
        let copy = input.join(file.file_name().expect("name"));
        std::fs::copy(&file, &copy).expect("copy");
        resave(&copy, |_| {});
    }
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    run(&input, &old);
    // A unit resubmits with four times its staff: its per-person figures
    // fall and ranks move.
    let (file, sheet, (r, c), staff) = staff_cell(&old);
    resave(Path::new(&file), |sheets| {
        let sheet = sheets.iter_mut().find(|s| s.name == sheet).expect("sheet");
        sheet.put(r, c, Out::Number(staff * 4.0));
    });
    run(&input, &new);
    let changes_csv = dir.path().join("changes.csv");
    let (status, stderr) = juesuan(&[
        OsStr::new("diff"),
        old.as_os_str(),
        new.as_os_str(),
        OsStr::new("--csv"),
        changes_csv.as_os_str(),
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    let changes = csv_rows(&changes_csv);
    let of = |what: &str| -> Vec<&Row> { changes.iter().filter(|c| c["what"] == what).collect() };
    assert_eq!(of("file").len(), 1);
    assert_eq!(of("fact").len(), 1, "{:?}", of("fact"));
    let (before, after) = (ranks(&old), ranks(&new));
    let moved: BTreeSet<String> = (before.iter())
        .filter(|(k, r)| after.get(*k).is_some_and(|a| a != *r))
        .map(|(k, _)| k.clone())
        .collect();
    assert!(!moved.is_empty(), "four times the staff moves some rank");
    let reported: BTreeSet<String> = of("rank").iter().map(|c| c["key"].clone()).collect();
    assert_eq!(reported, moved);
}

fn sheet_rows(out: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(out.join("league_tables.xlsx")).expect("workbook");
    let range = book.worksheet_range(sheet).expect(sheet);
    (range.rows())
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}
