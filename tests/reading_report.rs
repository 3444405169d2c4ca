//! What `juesuan ingest` says in `ingest_report.csv` when it is not sure of
//! a reading: two cells under one key (a conflict), a heading that names two
//! lines (ambiguity), a broken identity on figures it had to infer (a
//! reading doubt, `read.uncertain`), a table without a core line
//! (coverage) — each on a workbook written here by hand.

use juesuan::sample::layout::{Out, SheetOut};
use juesuan::sample::xlsx_bytes;
use std::path::Path;

/// One row of `ingest_report.csv`.
#[derive(Debug)]
struct Row {
    sheet: String,
    cell: String,
    severity: String,
    kind: String,
    message: String,
}

/// A wide 三公 sheet: a title, a unit line, one heading row of items over
/// one of 预算数/决算数, each item heading merged across its two columns
/// when `merged`, and one row of figures.
fn sangong(items: &[(&str, [f64; 2])], merged: bool) -> SheetOut {
    let mut s = SheetOut {
        name: "三公".into(),
        ..Default::default()
    };
    s.text(0, 0, "某局2023年度财政拨款“三公”经费支出决算表");
    s.text(1, 0, "单位：万元");
    for (i, (item, [budget, actual])) in items.iter().enumerate() {
        let c = 2 * i as u32;
        if merged {
            s.merge(2, c, 2, c + 1, item);
        } else {
            s.text(2, c, *item);
        }
        s.text(3, c, "预算数");
        s.text(3, c + 1, "决算数");
        s.put(4, c, Out::Number(*budget));
        s.put(4, c + 1, Out::Number(*actual));
    }
    s
}

/// Runs `juesuan ingest` on one workbook and returns its report rows.
fn report(sheets: &[SheetOut]) -> Vec<Row> {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::write(input.join("某局.xlsx"), xlsx_bytes(sheets).expect("xlsx")).expect("write");
    let out = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .arg("ingest")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run");
    assert!(status.code().is_some_and(|c| c <= 1), "{status:?}");
    read_report(&out.join("ingest_report.csv"))
}

fn read_report(path: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path).expect("report");
    reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            Row {
                sheet: r[1].to_string(),
                cell: r[2].to_string(),
                severity: r[3].to_string(),
                kind: r[4].to_string(),
                message: r[6].to_string(),
            }
        })
        .collect()
}

fn rows_of<'r>(rows: &'r [Row], kind: &str) -> Vec<&'r Row> {
    rows.iter().filter(|r| r.kind == kind).collect()
}

const ITEMS: [(&str, [f64; 2]); 3] = [
    ("合计", [10.0, 9.0]),
    ("因公出国（境）费", [0.0, 0.0]),
    ("公务用车购置及运行费", [6.0, 6.0]),
];

#[test]
fn two_cells_under_one_key_with_different_figures_are_a_conflict_and_neither_is_used() {
    // 公务接待费 twice: 4 / 3 and 5 / 2; the arithmetic (合计 = 出国 + 用车 +
    // 接待) holds for 预算数 with the first (10 = 0 + 6 + 4) and for 决算数
    // with the first (9 = 0 + 6 + 3).
    let mut items = ITEMS.to_vec();
    items.push(("公务接待费", [4.0, 3.0]));
    items.push(("公务接待费", [5.0, 2.0]));
    let rows = report(&[sangong(&items, true)]);
    // A row at each cell of each of the two conflicts (预算数, 决算数).
    let conflicts = rows_of(&rows, "conflict");
    assert_eq!(conflicts.len(), 4, "{rows:#?}");
    for c in &conflicts {
        assert_eq!(c.severity, "warning", "{c:?}");
        assert!(
            c.message
                .contains("is kept because the tables' arithmetic holds"),
            "{c:?}"
        );
    }
    // Without the arithmetic to tell: the total is not there.
    let mut items = vec![("因公出国（境）费", [0.0, 0.0])];
    items.push(("公务接待费", [4.0, 3.0]));
    items.push(("公务接待费", [5.0, 2.0]));
    let rows = report(&[sangong(&items, true)]);
    let conflicts = rows_of(&rows, "conflict");
    assert_eq!(conflicts.len(), 4, "{rows:#?}");
    assert_eq!(
        conflicts
            .iter()
            .map(|c| c.cell.as_str())
            .collect::<Vec<_>>(),
        ["C5", "E5", "D5", "F5"]
    );
    for c in &conflicts {
        assert_eq!(c.severity, "error", "{c:?}");
        assert!(c.message.contains("neither is used"), "{c:?}");
        assert_eq!(
            c.message.matches("'三公'!").count(),
            2,
            "both cells named: {c:?}"
        );
    }
    // The same figure twice: the first is kept, and said so.
    let mut items = ITEMS.to_vec();
    items.push(("公务接待费", [4.0, 3.0]));
    items.push(("公务接待费", [4.0, 3.0]));
    let rows = report(&[sangong(&items, true)]);
    let conflicts = rows_of(&rows, "conflict");
    assert_eq!(conflicts.len(), 4, "{rows:#?}");
    assert!(
        conflicts
            .iter()
            .all(|c| c.message.contains("the first is kept"))
    );
}

#[test]
fn a_heading_that_names_two_lines_is_reported_not_resolved() {
    // 公务接待费 merged over 公务用车运行费: two lines, neither a part of the other.
    let mut s = SheetOut {
        name: "三公".into(),
        ..Default::default()
    };
    s.text(0, 0, "某局2023年度财政拨款“三公”经费支出决算表");
    s.text(1, 0, "单位：万元");
    s.merge(2, 0, 3, 1, "合计");
    s.merge(2, 2, 2, 3, "公务接待费");
    s.merge(3, 2, 3, 3, "公务用车运行费");
    for (c, heading) in ["预算数", "决算数", "预算数", "决算数"].iter().enumerate() {
        s.text(4, c as u32, *heading);
    }
    for (c, figure) in [10.0, 9.0, 1.0, 1.0].iter().enumerate() {
        s.put(5, c as u32, Out::Number(*figure));
    }
    let rows = report(&[s]);
    let ambiguous: Vec<&Row> = rows_of(&rows, "unmapped")
        .into_iter()
        .filter(|r| r.message.contains("names two lines of the sangong spec"))
        .collect();
    assert_eq!(
        ambiguous
            .iter()
            .map(|r| r.cell.as_str())
            .collect::<Vec<_>>(),
        ["C6", "D6"],
        "{rows:#?}"
    );
    assert!(
        ambiguous[0].message.contains("reception")
            && ambiguous[0].message.contains("vehicle_operation"),
        "{ambiguous:?}"
    );
}

#[test]
fn a_broken_identity_on_inferred_headings_is_a_reading_doubt() {
    // No merged region anywhere: 公务接待费's second column takes its
    // heading from the left, and the figures do not add up.
    let mut items = ITEMS.to_vec();
    items.push(("公务接待费", [4.0, 2.0]));
    let mut s = sangong(&items, false);
    s.cells.remove(&(2, 7)); // left empty, as written by a tool without merges
    let rows = report(&[s]);
    let doubts = rows_of(&rows, "doubt");
    assert!(!doubts.is_empty(), "{rows:#?}");
    let doubt = doubts[0];
    assert!(
        doubt
            .message
            .starts_with("read.uncertain: rule sangong.total"),
        "{doubt:?}"
    );
    assert!(
        doubt.message.contains("'三公'!H5 (heading inferred)"),
        "{doubt:?}"
    );
    // The same table adding up: no doubt.
    let mut items = ITEMS.to_vec();
    items.push(("公务接待费", [4.0, 3.0]));
    let mut s = sangong(&items, false);
    s.cells.remove(&(2, 7));
    let rows = report(&[s]);
    assert!(rows_of(&rows, "doubt").is_empty(), "{rows:#?}");
}

#[test]
fn a_table_without_a_core_line_is_reported_with_what_it_lacks() {
    let rows = report(&[sangong(&ITEMS, true)]);
    let coverage = rows_of(&rows, "coverage");
    assert_eq!(coverage.len(), 1, "{rows:#?}");
    assert_eq!(coverage[0].sheet, "三公");
    assert!(
        coverage[0].message.contains("reception (公务接待费)"),
        "{coverage:?}"
    );
    assert!(
        coverage[0].message.contains("vehicle_purchase"),
        "{coverage:?}"
    );
    let recognised = rows_of(&rows, "recognised");
    assert!(
        recognised
            .iter()
            .any(|r| r.message.contains("items 3/7, columns 2/2")),
        "{recognised:?}"
    );
}

#[test]
fn a_number_in_a_column_of_notes_is_reported_at_its_cell() {
    // Items as rows with a 备注 column; one note is a bare number.
    let mut s = SheetOut {
        name: "三公".into(),
        ..Default::default()
    };
    s.text(0, 0, "某局2023年度财政拨款“三公”经费支出决算表");
    s.text(1, 0, "单位：万元");
    for (c, h) in ["项目", "预算数", "决算数", "备注"].iter().enumerate() {
        s.text(2, c as u32, *h);
    }
    let lines = [
        ("合计", 9.0, 7.0),
        ("因公出国（境）费", 0.0, 0.0),
        ("公务用车购置及运行费", 6.0, 5.0),
        ("公务接待费", 3.0, 2.0),
    ];
    for (i, (label, budget, actual)) in lines.iter().enumerate() {
        let r = 3 + i as u32;
        s.text(r, 0, *label);
        s.put(r, 1, Out::Number(*budget));
        s.put(r, 2, Out::Number(*actual));
    }
    s.text(4, 3, "本年未安排");
    s.put(6, 3, Out::Number(12.0));
    let rows = report(&[s]);
    let unmapped = rows_of(&rows, "unmapped");
    assert_eq!(unmapped.len(), 1, "{rows:#?}");
    assert_eq!(unmapped[0].cell, "D7");
    assert!(unmapped[0].message.contains("备注"), "{unmapped:?}");
}
