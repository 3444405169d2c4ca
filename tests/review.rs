//! The review file (issue 32, item 2): findings reviewed by id keep their
//! status across re-runs, reopen when their amounts change, and `--fail-on`
//! counts only open ones; rows that review nothing are listed as stale.

mod common;

use common::{csv_rows, first_source_cell, juesuan_into, planted_files, resave, sheet_rows};
use juesuan::sample::layout::Out;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;

type Row = BTreeMap<String, String>;

/// `juesuan check` of `input` into `out`, with `extra` arguments.
fn check(input: &Path, out: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let extra: Vec<&OsStr> = extra.iter().map(OsStr::new).collect();
    juesuan_into("check", input, out, &extra)
}

/// The findings of a check by id.
fn findings(out: &Path) -> BTreeMap<String, Row> {
    csv_rows(&out.join("findings.csv"))
        .into_iter()
        .map(|r| (r["id"].clone(), r))
        .collect()
}

/// A review file in GB18030, as Excel saves a CSV on a Chinese Windows,
/// headed in Chinese: (id, status, reason, left, right) a row.
fn write_review(path: &Path, rows: &[[&str; 5]]) {
    let mut text = String::from("编号,状态,说明,审核人,日期,左边金额,右边金额\r\n");
    for [id, status, reason, left, right] in rows {
        text.push_str(&format!(
            "{id},{status},{reason},王审核,2026-12-01,{left},{right}\r\n"
        ));
    }
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    std::fs::write(path, bytes).expect("review file");
}

#[test]
fn reviewed_findings_keep_their_status_reopen_on_change_and_do_not_fail_the_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    std::fs::create_dir_all(&input).expect("mkdir");
    // Two departments' workbooks with planted errors, saved by other hands
    // (every later resubmission is saved the same way).
    for file in planted_files(2) {
        let copy = input.join(file.file_name().expect("name"));
        std::fs::copy(&file, &copy).expect("copy");
        resave(&copy, |_| {});
    }
    let (status, _) = check(&input, &out, &[]);
    assert_eq!(status, Some(1), "planted errors fail the check");
    let first = findings(&out);
    let open = csv_rows(&out.join("review_open.csv"));
    assert!(open.iter().all(|r| r["status"].is_empty()));
    assert!(
        first.values().all(|f| f["review_status"] == "未审核"),
        "with no review file every finding is open"
    );
    // Two errors in two files reviewed, as review_open.csv lists them.
    let errors: Vec<&Row> = open.iter().filter(|r| r["severity"] == "error").collect();
    let a = errors[0];
    let file_of = |r: &Row| first[&r["id"]]["source_file"].clone();
    let b = *errors
        .iter()
        .find(|r| file_of(r) != file_of(a))
        .expect("an error in another file");
    let review = dir.path().join("review.csv");
    fn row<'r>(r: &'r Row, status: &'r str) -> [&'r str; 5] {
        let field = |name: &str| r[name].as_str();
        [
            field("id"),
            status,
            "单位已说明原因",
            field("left_amount"),
            field("right_amount"),
        ]
    }
    write_review(
        &review,
        &[
            row(a, "已核实"),
            row(b, "误报"),
            ["000000000000", "已说明", "旧的", "1", "2"],
            [a["id"].as_str(), "看过了", "", "", ""],
        ],
    );
    let review_arg = review.to_str().expect("path");
    let (_, stderr) = check(&input, &out, &["--review", review_arg]);
    let second = findings(&out);
    assert_eq!(
        second.keys().collect::<Vec<_>>(),
        first.keys().collect::<Vec<_>>()
    );
    assert_eq!(second[&a["id"]]["review_status"], "已核实");
    assert_eq!(second[&a["id"]]["review_reason"], "单位已说明原因");
    assert_eq!(second[&a["id"]]["reviewer"], "王审核");
    assert_eq!(second[&b["id"]]["review_status"], "误报");
    let reviewed = second.values().filter(|f| f["review_status"] != "未审核");
    assert_eq!(reviewed.count(), 2);
    let still_open: Vec<String> = csv_rows(&out.join("review_open.csv"))
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(still_open.len(), open.len() - 2);
    assert!(!still_open.contains(&a["id"]) && !still_open.contains(&b["id"]));
    // The stale row and the row with an unknown status, by line.
    let stale = csv_rows(&out.join("review_stale.csv"));
    let lines: Vec<(&str, &str)> = stale
        .iter()
        .map(|r| (r["line"].as_str(), r["id"].as_str()))
        .collect();
    assert_eq!(lines, [("4", "000000000000"), ("5", a["id"].as_str())]);
    assert!(stale[0]["problem"].starts_with("stale"), "{stale:?}");
    assert!(stale[1]["problem"].contains("看过了"), "{stale:?}");
    assert!(stderr.contains("2 reviewed"), "{stderr}");

    // Every open error reviewed: --fail-on error no longer fails.
    let all: Vec<[&str; 5]> = (open.iter().filter(|r| r["severity"] == "error"))
        .map(|r| row(r, "待整改"))
        .collect();
    let all_errors = dir.path().join("all_errors.csv");
    write_review(&all_errors, &all);
    let (status, stderr) = check(
        &input,
        &out,
        &["--review", all_errors.to_str().expect("path")],
    );
    assert_eq!(status, Some(0), "{stderr}");
    // …and with one of them left out of the review, it fails again.
    let all_but_one = dir.path().join("all_but_one.csv");
    write_review(&all_but_one, &all[1..]);
    let (status, _) = check(
        &input,
        &out,
        &["--review", all_but_one.to_str().expect("path")],
    );
    assert_eq!(status, Some(1), "an open error fails the check");

    // A's unit resubmits with A's first figure changed: A reopens, B keeps
    // its status.
    let (sheet, (r, c)) = first_source_cell(&first[&a["id"]]["source_cells"]);
    let file = input.join(Path::new(&file_of(a)).file_name().expect("file name"));
    resave(&file, |sheets| {
        let sheet = sheets
            .iter_mut()
            .find(|s| s.name == sheet)
            .expect("the finding's sheet");
        let Some(Out::Number(n)) = sheet.cells.get(&(r, c)).cloned() else {
            panic!("no number at {sheet:?} {r} {c}")
        };
        sheet.put(r, c, Out::Number(n + 1000.0));
    });
    check(&input, &out, &["--review", review_arg]);
    let third = findings(&out);
    let reopened = &third[&a["id"]];
    assert_eq!(reopened["review_status"], "重新打开");
    assert!(
        reopened["review_reason"].contains(&a["left_amount"])
            && reopened["review_reason"].contains("单位已说明原因"),
        "{reopened:?}"
    );
    assert_eq!(third[&b["id"]]["review_status"], "误报");
    let open_again = csv_rows(&out.join("review_open.csv"));
    assert!(open_again.iter().any(|r| r["id"] == a["id"]));

    // The workbook of a run: 总览 counts open and reviewed, 勾稽校验 shows
    // each finding's status.
    let review_args = [OsStr::new("--review"), review.as_os_str()];
    let (status, stderr) = juesuan_into("run", &input, &out, &review_args);
    assert_eq!(status, Some(0), "{stderr}");
    let overview = sheet_rows(&out, "总览");
    let count = |label: &str| {
        overview
            .iter()
            .find(|r| r.first().is_some_and(|c| c == label))
            .and_then(|r| r.get(1).cloned())
            .unwrap_or_else(|| panic!("no {label} on 总览"))
    };
    assert_eq!(count("已审核错误与提示"), "1");
    assert_eq!(count("其中重新打开"), "1");
    assert_eq!(count("失效审核条目"), "2");
    let open_errors = open_again.len().to_string();
    assert_eq!(count("未审核错误与提示"), open_errors);
    let checks = sheet_rows(&out, "勾稽校验");
    let header = checks
        .iter()
        .find(|r| r.iter().any(|c| c == "审核状态"))
        .expect("a 审核状态 column");
    let (at_id, at_status) = (
        header.iter().position(|c| c == "编号").expect("编号"),
        header
            .iter()
            .position(|c| c == "审核状态")
            .expect("审核状态"),
    );
    let shown = |id: &str| {
        checks
            .iter()
            .find(|r| r.get(at_id).is_some_and(|c| c == id))
            .map(|r| r[at_status].clone())
    };
    assert_eq!(shown(&b["id"]).as_deref(), Some("误报"));
    assert_eq!(shown(&a["id"]).as_deref(), Some("重新打开"));
}

#[test]
fn a_review_file_without_an_id_column_stops_the_run_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let review = dir.path().join("review.csv");
    std::fs::write(&review, "finding,status\nabc,已核实\n").expect("write");
    let input = planted_files(1);
    let (status, stderr) = check(
        input[0].parent().expect("folder"),
        &dir.path().join("out"),
        &["--review", review.to_str().expect("path")],
    );
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains("review.csv") && stderr.contains("`id`"),
        "{stderr}"
    );
}
