//! Stable identities (issue 32, item 1): a finding's and a flag's id say
//! what it is about, not where its file lies or what its amounts are.

mod common;

use common::planted_files;
use juesuan::ids::{finding_ids, flag_ids};
use juesuan::ingest::batch::{WorkbookFacts, ingest};
use juesuan::spec::Catalogue;
use juesuan::validate::{Finding, check};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Each finding's id with what it is about (rule, unit, year, left, right).
fn about(findings: &[Finding]) -> BTreeMap<String, (String, String, i32, String, String)> {
    finding_ids(findings)
        .into_iter()
        .zip(findings)
        .map(|(id, f)| {
            let w = &f.workbook.identity;
            (
                id,
                (
                    f.rule_id.to_string(),
                    w.unit_id.clone(),
                    w.year,
                    f.left.clone(),
                    f.right.clone(),
                ),
            )
        })
        .collect()
}

#[test]
fn finding_ids_survive_renamed_moved_reordered_files_and_an_unrelated_figure() {
    let catalogue = Catalogue::builtin().expect("specs");
    let files = planted_files(3);
    assert!(files.len() >= 4, "{files:?}");
    let dir = tempfile::tempdir().expect("tempdir");
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    for (i, file) in files.iter().enumerate() {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        let folder = first.join(format!("d{}", i % 2));
        std::fs::create_dir_all(&folder).expect("mkdir");
        std::fs::copy(file, folder.join(&name)).expect("copy");
        // Renamed (a prefix sorts them in reverse) and moved into other folders.
        let moved = second.join(format!("elsewhere/{}", i % 3));
        std::fs::create_dir_all(&moved).expect("mkdir");
        std::fs::copy(
            file,
            moved.join(format!("{:02}_resubmitted_{name}", 99 - i)),
        )
        .expect("copy");
    }
    let checked = |root: &Path| {
        check(
            &ingest(&[root.to_path_buf()], &catalogue, false).workbooks,
            &catalogue,
        )
    };
    let before = about(&checked(&first).findings);
    assert!(before.len() >= 3, "{before:#?}");
    let after = about(&checked(&second).findings);
    assert_eq!(before, after);

    // A figure of one unit changed (its 在职人数): every finding about the
    // other units and departments keeps its id and meaning.
    let batch = ingest(std::slice::from_ref(&second), &catalogue, false);
    let mut workbooks: Vec<Arc<WorkbookFacts>> = batch.workbooks.clone();
    let mut changed = (*workbooks[0]).clone();
    let fact = changed
        .facts
        .iter_mut()
        .find(|f| f.form == "operations" && f.item == "staff_actual")
        .expect("在职人数");
    fact.amount += rust_decimal::Decimal::ONE;
    let (unit, dept) = (
        changed.identity.unit_id.clone(),
        changed.identity.dept_code.clone().unwrap_or_default(),
    );
    workbooks[0] = Arc::new(changed);
    let rechecked = about(&check(&workbooks, &catalogue).findings);
    let elsewhere = |m: &BTreeMap<String, (String, String, i32, String, String)>| {
        m.iter()
            .filter(|(_, w)| w.1 != unit && w.1 != dept)
            .map(|(id, w)| (id.clone(), w.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    assert!(elsewhere(&before).len() >= 3);
    assert_eq!(elsewhere(&rechecked), elsewhere(&before));
}

#[test]
fn flag_ids_are_about_the_flag_entity_year_and_metric_only() {
    use juesuan::analyse::flags::FlagRow;
    use juesuan::analyse::measures::Level;
    let row = |entity: &str, value: f64, file: &str| FlagRow {
        flag: "unit_slip".into(),
        label: "疑似元/万元误填".into(),
        level: Level::Unit,
        entity_id: entity.into(),
        entity_name: "某单位".into(),
        dept_name: "某部门".into(),
        unit_kind: None,
        year: 2024,
        metric: "sangong_actual".into(),
        value: Some(value),
        reference: None,
        reason: String::new(),
        cells: vec![juesuan::validate::SourceCell {
            file: Arc::from(file),
            sheet: "F06",
            position: (3, 2),
        }],
    };
    let ids = flag_ids(&[row("101001", 5.0, "a.xlsx"), row("101002", 5.0, "a.xlsx")]);
    let again = flag_ids(&[
        row("101001", 7.0, "moved/b.xlsx"),
        row("101002", 9.0, "c.xls"),
    ]);
    assert_eq!(ids, again);
    assert_ne!(ids[0], ids[1]);
    // Two flags about the same: numbered in order.
    let twice = flag_ids(&[row("101001", 5.0, "a.xlsx"), row("101001", 6.0, "b.xlsx")]);
    assert_eq!(twice[1], format!("{}-2", twice[0]));
}

/// The workbook shows the same ids as the files: 勾稽校验's 编号 are ids of
/// findings.csv, 异常标记's of flags.parquet.
#[test]
fn the_workbook_shows_the_ids_of_the_files() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for file in planted_files(3) {
        std::fs::copy(&file, input.join(file.file_name().expect("name"))).expect("copy");
    }
    let out = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["run", "-q", "--out"])
        .arg(&out)
        .arg(&input)
        .status()
        .expect("juesuan runs");
    assert!(status.code().is_some_and(|c| c <= 1), "{status:?}");
    let csv = std::fs::read_to_string(out.join("findings.csv")).expect("findings.csv");
    let finding_ids: Vec<String> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().map(str::to_string))
        .collect();
    let mut book: Xlsx<_> = open_workbook(out.join("league_tables.xlsx")).expect("workbook");
    let shown = |book: &mut Xlsx<_>, sheet: &str| -> Vec<String> {
        let range = book.worksheet_range(sheet).expect(sheet);
        let rows: Vec<&[Data]> = range.rows().collect();
        let header = rows
            .iter()
            .position(|r| r.iter().any(|c| *c == "编号"))
            .expect("a 编号 column");
        let at = rows[header]
            .iter()
            .position(|c| *c == "编号")
            .expect("编号");
        rows[header + 1..]
            .iter()
            .map(|r| r[at].to_string())
            .filter(|id| !id.is_empty())
            .collect()
    };
    let in_sheet = shown(&mut book, "勾稽校验");
    assert!(!in_sheet.is_empty());
    assert!(
        in_sheet.iter().all(|id| finding_ids.contains(id)),
        "{in_sheet:?}"
    );
    let flags = {
        use polars::prelude::SerReader;
        let file = std::fs::File::open(out.join("flags.parquet")).expect("flags.parquet");
        polars::prelude::ParquetReader::new(file)
            .finish()
            .expect("flags")
    };
    let flag_ids: Vec<String> = flags
        .column("id")
        .expect("id")
        .str()
        .expect("text")
        .iter()
        .flatten()
        .map(str::to_string)
        .collect();
    let in_flags_sheet = shown(&mut book, "异常标记");
    assert!(!in_flags_sheet.is_empty());
    assert!(
        in_flags_sheet.iter().all(|id| flag_ids.contains(id)),
        "{in_flags_sheet:?}"
    );
}
