//! Bad input gets a clear message naming file, sheet and cell; the rest of
//! the batch still runs; the exit status says whether anything failed.
mod common;

use common::*;
use juesuan::ingest::batch::{Batch, ReportRow, Severity, ingest};
use juesuan::sample::layout::{Out, SheetOut, Style};
use juesuan::sample::{Corpus, seed_units, workbook_file, xlsx_bytes};
use juesuan::spec::Catalogue;
use std::path::Path;

fn good_workbook() -> Vec<u8> {
    let catalogue = Catalogue::builtin().expect("specs");
    let unit = seed_units().expect("seeds").remove(0);
    workbook_file(&unit, &Style::plain_a(), &catalogue, "good.xlsx")
        .expect("workbook")
        .bytes
}

fn run(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, Batch) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
    let batch = ingest(
        &[dir.path().to_path_buf()],
        &Catalogue::builtin().expect("specs"),
        false,
    );
    (dir, batch)
}

fn rows<'a>(batch: &'a Batch, file_part: &str) -> Vec<&'a ReportRow> {
    batch
        .report
        .iter()
        .filter(|r| r.file.contains(file_part))
        .collect()
}

/// Asserts that one of `rows` is an error whose message contains `text`.
fn assert_error(rows: &[&ReportRow], text: &str) {
    assert!(
        rows.iter()
            .any(|r| r.severity == Severity::Error && r.message.contains(text)),
        "no error with {text:?} in {rows:?}"
    );
}

fn text(t: &str) -> Out {
    Out::Text(t.into())
}

/// A small 三公 table with a title, unit line and header, in 2023.
fn sangong_sheet(value: Out) -> SheetOut {
    sheet(
        "三公",
        &[
            ((0, 0), text("财政拨款“三公”经费支出决算表")),
            ((1, 0), text("部门：测试局")),
            ((1, 2), text("单位：万元")),
            ((2, 0), text("项目")),
            ((2, 1), text("预算数")),
            ((2, 2), text("决算数")),
            ((3, 0), text("合计")),
            ((3, 1), Out::Number(5.0)),
            ((3, 2), value),
        ],
    )
}

#[test]
fn corrupt_and_truncated_files_are_reported_and_the_batch_goes_on() {
    let good = good_workbook();
    let truncated = good[..good.len() / 2].to_vec();
    let (_dir, batch) = run(&[
        ("2023/good.xlsx", good),
        ("2023/truncated.xlsx", truncated),
        ("2023/noise.xls", vec![7u8; 3000]),
    ]);
    assert_eq!(batch.files_seen, 3);
    assert_eq!(batch.workbooks.len(), 1, "the good file is read");
    let t = rows(&batch, "truncated.xlsx");
    assert_error(&t, "corrupt or truncated");
    let n = rows(&batch, "noise.xls");
    assert_error(&n, "not an Excel workbook");
}

#[test]
fn password_protected_workbook_is_named_as_such() {
    // An encrypted .xlsx is an OLE container with EncryptionInfo and EncryptedPackage.
    let mut container = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    for stream in ["/EncryptionInfo", "/EncryptedPackage"] {
        let mut s = container.create_stream(stream).expect("stream");
        std::io::Write::write_all(&mut s, &[1u8; 600]).expect("write");
    }
    container.flush().expect("flush");
    let bytes = container.into_inner().into_inner();
    let (_dir, batch) = run(&[("2023/locked.xlsx", bytes)]);
    let r = rows(&batch, "locked.xlsx");
    assert_error(&r, "password-protected");
}

#[test]
fn empty_workbook_and_an_html_page_of_no_known_table() {
    let empty = xlsx_bytes(&[SheetOut {
        name: "Sheet1".into(),
        ..Default::default()
    }])
    .expect("xlsx");
    let html = b"<html><body><table><tr><td>1</td></tr></table></body></html>".to_vec();
    let (_dir, batch) = run(&[("empty.xlsx", empty), ("2023/export.xls", html)]);
    let e = rows(&batch, "empty.xlsx");
    assert!(
        e.iter()
            .any(|r| r.sheet == "Sheet1" && r.message.contains("empty sheet")),
        "{e:?}"
    );
    assert_error(&e, "missing year");
    // An HTML page saved as .xls is read as a workbook: this one holds no
    // table juesuan knows, and no unit.
    let h = rows(&batch, "export.xls");
    assert!(
        h.iter().any(|r| r.message.contains("unknown sheet")),
        "{h:?}"
    );
    assert_error(&h, "missing unit");
    assert!(batch.workbooks.is_empty());
}

#[test]
fn unknown_sheet_is_skipped_with_a_warning_and_known_ones_are_read() {
    let other = sheet(
        "项目明细",
        &[
            ((0, 0), text("项目名称")),
            ((0, 1), text("金额")),
            ((1, 0), text("某项目")),
            ((1, 1), Out::Number(12.0)),
        ],
    );
    let bytes = xlsx_bytes(&[sangong_sheet(Out::Number(4.5)), other]).expect("xlsx");
    let (_dir, batch) = run(&[("2023/测试局.xlsx", bytes)]);
    let r = rows(&batch, "测试局");
    assert!(
        r.iter().any(|r| r.sheet == "项目明细"
            && r.kind == "skipped"
            && r.message.contains("unknown sheet")),
        "{r:?}"
    );
    let facts = &batch.workbooks[0].facts;
    assert_eq!(facts.len(), 2);
    assert!(
        facts
            .iter()
            .any(|f| f.column == "actual" && f.amount == rust_decimal::Decimal::from(45_000))
    );
}

#[test]
fn text_in_a_number_cell_is_an_error_at_its_cell() {
    let bytes = xlsx_bytes(&[sangong_sheet(text("见附表"))]).expect("xlsx");
    let (_dir, batch) = run(&[("2023/测试局.xlsx", bytes)]);
    let r = rows(&batch, "测试局");
    let problem = r
        .iter()
        .find(|r| r.kind == "problem" && r.severity == Severity::Error)
        .expect("a problem row");
    assert_eq!(
        (problem.sheet.as_str(), problem.cell.as_str()),
        ("三公", "C4")
    );
    assert!(problem.message.contains("见附表"), "{}", problem.message);
    assert_eq!(
        batch.workbooks[0].facts.len(),
        1,
        "the budget figure is still read"
    );
}

#[test]
fn sheet_with_no_header_reports_its_numbers() {
    let s = sheet(
        "三公",
        &[
            ((0, 0), text("财政拨款“三公”经费支出决算表")),
            ((1, 0), Out::Number(1.0)),
            ((1, 1), Out::Number(2.0)),
        ],
    );
    let bytes = xlsx_bytes(&[s]).expect("xlsx");
    let (_dir, batch) = run(&[("2023/测试局.xlsx", bytes)]);
    let r = rows(&batch, "测试局");
    assert!(
        r.iter()
            .any(|r| r.kind == "problem" && r.message.contains("no header row")),
        "{r:?}"
    );
    let unmapped: Vec<&&ReportRow> = r.iter().filter(|r| r.kind == "unmapped").collect();
    assert_eq!(unmapped.len(), 2, "both numbers are reported: {r:?}");
    assert_eq!(unmapped[0].cell, "A2");
}

#[test]
fn duplicate_unit_year_is_reported_not_merged() {
    let good = good_workbook();
    let (_dir, batch) = run(&[("a/first.xlsx", good.clone()), ("b/second.xlsx", good)]);
    assert_eq!(batch.workbooks.len(), 1);
    let d = rows(&batch, "second.xlsx");
    assert!(
        d.iter().any(|r| r.kind == "rejected"
            && r.severity == Severity::Error
            && r.message.contains("duplicate unit-year")
            && r.message.contains("first.xlsx")),
        "{d:?}"
    );
}

#[test]
fn missing_year_is_an_error_naming_the_file() {
    let s = sheet(
        "三公",
        &[
            ((0, 0), text("财政拨款“三公”经费支出决算表")),
            ((1, 0), text("项目")),
            ((1, 1), text("决算数")),
            ((2, 0), text("合计")),
            ((2, 1), Out::Number(1.0)),
        ],
    );
    let bytes = xlsx_bytes(&[s]).expect("xlsx");
    let (_dir, batch) = run(&[("nodate/测试局.xlsx", bytes)]);
    let r = rows(&batch, "测试局");
    assert_error(&r, "missing year");
    assert!(batch.workbooks.is_empty());
}

#[test]
fn random_bytes_never_panic() {
    let mut files = Vec::new();
    let good = good_workbook();
    for i in 0..40u32 {
        let mut bytes = good.clone();
        // Flip bytes through the zip: some land in XML, some in headers.
        let step = (bytes.len() / 37).max(1);
        for k in (i as usize * 13..bytes.len()).step_by(step) {
            bytes[k] ^= (i as u8).wrapping_mul(31).wrapping_add(1);
        }
        files.push((format!("2023/mutant{i}.xlsx"), bytes));
    }
    let named: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (_dir, batch) = run(&named);
    assert_eq!(batch.files_seen, 40);
    // Every mutant is either read or rejected with an error naming it.
    for (name, _) in &files {
        let read = batch
            .workbooks
            .iter()
            .any(|w| w.file.ends_with(name.as_str()));
        let rejected = rows(&batch, name)
            .iter()
            .any(|r| r.severity == Severity::Error);
        assert!(read || rejected, "{name} neither read nor rejected");
    }
}

fn cli(args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(args)
        .output()
        .expect("run juesuan");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn exit_status_tells_whether_anything_failed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good_dir = dir.path().join("good");
    let corpus = Corpus {
        files: vec![
            workbook_file(
                &seed_units().expect("seeds")[0],
                &Style::plain_a(),
                &Catalogue::builtin().expect("specs"),
                "2023/good.xlsx",
            )
            .expect("wb"),
        ],
        truth: Vec::new(),
    };
    write_files(&corpus, &good_dir);
    let out = dir.path().join("out");
    let ingest_cli = |extra: &[&str]| {
        let mut args = vec![
            "ingest",
            good_dir.to_str().expect("utf8"),
            "--out",
            out.to_str().expect("utf8"),
            "-q",
        ];
        args.extend_from_slice(extra);
        cli(&args)
    };
    let (code, stderr) = ingest_cli(&[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("files: 1 seen = 1 read + 0 rejected"),
        "{stderr}"
    );
    for f in ["facts.parquet", "units.parquet", "ingest_report.csv"] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    std::fs::write(good_dir.join("broken.xlsx"), b"PK\x03\x04 truncated").expect("write");
    let (code, stderr) = ingest_cli(&[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("broken.xlsx"), "{stderr}");
    assert!(
        stderr.contains("files: 2 seen = 1 read + 1 rejected"),
        "{stderr}"
    );
    assert_eq!(rejected_in_report(&out), ["broken.xlsx"]);
    assert!(Path::new(&out.join("facts.parquet")).is_file());

    // A file out of time is given up and accounted for; with no time at
    // all, every file is.
    let (code, stderr) = ingest_cli(&["--file-time-limit", "0"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("files: 2 seen = 0 read + 2 rejected"),
        "{stderr}"
    );
    assert_eq!(rejected_in_report(&out), ["broken.xlsx", "good.xlsx"]);
    let report = std::fs::read_to_string(out.join("ingest_report.csv")).expect("report");
    assert!(
        report.contains("longer than the 0 s allowed per file (--file-time-limit)"),
        "{report}"
    );
}

/// The files of `rejected` rows of the ingest report, by file name.
fn rejected_in_report(out: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(out.join("ingest_report.csv")).expect("report");
    let mut names: Vec<String> = reader
        .records()
        .map(|r| r.expect("row"))
        .filter(|r| &r[4] == "rejected")
        .map(|r| {
            Path::new(&r[0])
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        })
        .collect();
    names.sort();
    names
}
