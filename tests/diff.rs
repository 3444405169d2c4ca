//! What changed (issue 32, item 5): after one workbook is corrected,
//! `juesuan diff` reports exactly that file, its facts, the findings it
//! resolves and the ranks that move; a run into a folder holding the
//! previous run's outputs shows the same on its 变动 sheet.

mod common;

use common::{
    cell_position, csv_rows, juesuan, juesuan_into, planted_files, query, resave, sheet_rows,
};
use juesuan::sample::layout::Out;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::Path;

type Row = BTreeMap<String, String>;

fn run(input: &Path, out: &Path) {
    let (status, stderr) = juesuan_into("run", input, out, &[]);
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
    let original: f64 = f[13].parse().expect("amount");
    (file, f[7].to_string(), cell_position(f[8]), original)
}

/// Ranks of a run's metrics by (level, entity, year, metric), read with SQL.
fn ranks(out: &Path) -> BTreeMap<String, String> {
    let sql = "SELECT level, entity_id, year, metric, rank FROM metrics WHERE rank IS NOT NULL";
    query(out, sql)
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

/// The changes `juesuan diff` reports from `old` to `new`.
fn diff(old: &Path, new: &Path) -> Vec<Row> {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("changes.csv");
    let args = [
        OsStr::new("diff"),
        old.as_os_str(),
        new.as_os_str(),
        OsStr::new("--csv"),
        csv.as_os_str(),
    ];
    let (status, stderr) = juesuan(&args);
    assert_eq!(status, Some(0), "{stderr}");
    csv_rows(&csv)
}

/// The input folder: three departments' 2023 workbooks, saved by other
/// hands (as every resubmission below is).
fn resaved_input(dir: &Path) -> std::path::PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for file in planted_files(3) {
        let copy = input.join(file.file_name().expect("name"));
        std::fs::copy(&file, &copy).expect("copy");
        resave(&copy, |_| {});
    }
    input
}

/// The rank keys that differ between two runs.
fn moved_ranks(old: &Path, new: &Path) -> BTreeSet<String> {
    let (before, after) = (ranks(old), ranks(new));
    (before.iter())
        .filter(|(k, r)| after.get(*k).is_some_and(|a| a != *r))
        .map(|(k, _)| k.clone())
        .collect()
}

#[test]
fn diff_after_one_corrected_workbook_reports_exactly_its_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = resaved_input(dir.path());
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

    let changes = diff(&old, &new);
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
    let reported: BTreeSet<String> = of("rank").iter().map(|c| c["key"].clone()).collect();
    assert_eq!(reported, moved_ranks(&old, &new));

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
    let sql = "SELECT source_file, source_sheet, source_cell, amount FROM facts \
               WHERE item = 'staff_actual' AND amount > 5 ORDER BY source_file LIMIT 1";
    let row = query(out, sql).pop().expect("a 在职人数");
    let amount = row["amount"].parse().expect("amount");
    let at = cell_position(&row["source_cell"]);
    (
        row["source_file"].clone(),
        row["source_sheet"].clone(),
        at,
        amount,
    )
}

#[test]
fn a_resubmitted_staff_count_moves_exactly_the_ranks_it_moves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = resaved_input(dir.path());
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
    let changes = diff(&old, &new);
    let of = |what: &str| -> Vec<&Row> { changes.iter().filter(|c| c["what"] == what).collect() };
    assert_eq!(of("file").len(), 1);
    assert_eq!(of("fact").len(), 1, "{:?}", of("fact"));
    let moved = moved_ranks(&old, &new);
    assert!(!moved.is_empty(), "four times the staff moves some rank");
    let reported: BTreeSet<String> = of("rank").iter().map(|c| c["key"].clone()).collect();
    assert_eq!(reported, moved);

    // The old run made by another build: said, and still only the changed
    // file's facts compared (every fact of a province, as text, would not
    // fit in memory).
    let manifest = old.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    let other = text.replacen("\"build\": \"", "\"build\": \"another-", 1);
    assert_ne!(text, other);
    std::fs::write(&manifest, other).expect("manifest");
    let args = [OsStr::new("diff"), old.as_os_str(), new.as_os_str()];
    let (status, stderr) = juesuan(&args);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stderr.contains("differ in program or specs"), "{stderr}");
    assert!(stderr.contains("fact changed 1"), "{stderr}");
}
