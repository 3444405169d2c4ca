//! Workbooks written by hand, not by `juesuan sample` (tests/layouts/, made
//! by `make_layouts.py` from DOMAIN §2 by someone who had not read the
//! reader): each is read on its own and must give exactly the facts its
//! sidecar lists — none missing, none extra, none under another key — and
//! report, never read, every cell its sidecar marks `report`. Its unit and
//! year must be the ones a person reads off it.

use juesuan::ingest::batch::{Batch, ingest};
use juesuan::spec::Catalogue;
use juesuan::text::unit_name_key;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

#[derive(Deserialize)]
struct Layouts {
    layout: Vec<Layout>,
}

#[derive(Deserialize)]
struct Layout {
    file: String,
    class: String,
    unit_name: String,
    year: i32,
}

/// (form, item, subject code, column, amount).
type Key = (String, String, String, String, Decimal);

/// A fact's key, or `None` for a cell that must be reported and not read.
type Expected = Option<Key>;

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/layouts")
}

fn layouts() -> Vec<Layout> {
    let text = std::fs::read_to_string(folder().join("layouts.toml")).expect("layouts.toml");
    toml::from_str::<Layouts>(&text)
        .expect("layouts.toml parses")
        .layout
}

/// (sheet, cell) → what the sidecar says of it.
fn sidecar(file: &str) -> BTreeMap<(String, String), Expected> {
    let stem = Path::new(file).file_stem().expect("stem").to_string_lossy();
    let path = folder().join(format!("{stem}.expected.csv"));
    let mut reader = csv::Reader::from_path(&path).expect("sidecar");
    let mut cells = BTreeMap::new();
    for row in reader.records() {
        let row = row.expect("sidecar row");
        let at = (row[0].to_string(), row[1].to_string());
        let expected = match &row[6] {
            "report" => None,
            amount => Some((
                row[2].to_string(),
                row[3].to_string(),
                row[4].to_string(),
                row[5].to_string(),
                Decimal::from_str(amount).expect("amount").normalize(),
            )),
        };
        cells.insert(at, expected);
    }
    cells
}

/// Reads one workbook alone (with any lock file beside it), as a user who
/// points juesuan at it would.
fn read_alone(file: &str, catalogue: &Catalogue) -> (tempfile::TempDir, Batch) {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in [file.to_string(), format!("~${file}")] {
        let from = folder().join(&name);
        if from.exists() {
            std::fs::copy(&from, dir.path().join(&name)).expect("copy");
        }
    }
    let batch = ingest(&[dir.path().to_path_buf()], catalogue, false);
    (dir, batch)
}

/// What went wrong with one layout, as lines.
fn judge(layout: &Layout, catalogue: &Catalogue) -> (usize, Vec<String>) {
    let expected = sidecar(&layout.file);
    let (_dir, batch) = read_alone(&layout.file, catalogue);
    let mut wrong = Vec::new();
    let [workbook] = &batch.workbooks[..] else {
        let why: Vec<&str> = batch
            .report
            .iter()
            .filter(|r| r.kind == "rejected" || r.kind == "identity")
            .map(|r| r.message.as_str())
            .collect();
        return (0, vec![format!("not read as one workbook: {why:?}")]);
    };
    let id = &workbook.identity;
    if unit_name_key(&id.unit_name) != unit_name_key(&layout.unit_name) || id.year != layout.year {
        wrong.push(format!(
            "identity: read {} {}, expected {} {}",
            id.unit_name, id.year, layout.unit_name, layout.year
        ));
    }
    let mut read: BTreeMap<(String, String), Key> = BTreeMap::new();
    for f in &workbook.facts {
        read.insert(
            (f.sheet.to_string(), f.cell()),
            (
                f.form.to_string(),
                f.item.to_string(),
                f.subject_code.unwrap_or("").to_string(),
                f.column.to_string(),
                f.amount.normalize(),
            ),
        );
    }
    let reported = |sheet: &str, cell: &str| {
        batch.report.iter().any(|r| {
            r.sheet == sheet
                && (r.cell == cell && r.kind != "recognised"
                    || r.kind == "skipped" && r.cell.is_empty())
        })
    };
    let mut right = 0;
    for ((sheet, cell), want) in &expected {
        let got = read.get(&(sheet.clone(), cell.clone()));
        match (want, got) {
            (Some(w), Some(g)) if w == g => right += 1,
            (Some(w), Some(g)) => wrong.push(format!(
                "MISREAD {sheet}!{cell}: read {g:?}, expected {w:?}"
            )),
            (Some(w), None) if reported(sheet, cell) => {
                wrong.push(format!("reported, not read {sheet}!{cell}: expected {w:?}"))
            }
            (Some(w), None) => {
                wrong.push(format!("MISSING SILENTLY {sheet}!{cell}: expected {w:?}"))
            }
            (None, Some(g)) => wrong.push(format!(
                "MISREAD {sheet}!{cell}: read {g:?}, expected it reported"
            )),
            (None, None) if reported(sheet, cell) => right += 1,
            (None, None) => wrong.push(format!("NOT REPORTED {sheet}!{cell}")),
        }
    }
    for ((sheet, cell), g) in &read {
        if !expected.contains_key(&(sheet.clone(), cell.clone())) {
            wrong.push(format!(
                "MISREAD {sheet}!{cell}: read {g:?} from a cell the sidecar does not list"
            ));
        }
    }
    (right, wrong)
}

/// Reads one layout and asserts it reads right.
fn check(file: &str) {
    let catalogue = Catalogue::builtin().expect("specs");
    let layout = layouts()
        .into_iter()
        .find(|l| l.file == file)
        .unwrap_or_else(|| panic!("{file} is not in layouts.toml"));
    let (right, wrong) = judge(&layout, &catalogue);
    assert!(
        wrong.is_empty(),
        "{file} ({}): {right} of {} cells right:\n  {}",
        layout.class,
        sidecar(file).len(),
        wrong.join("\n  ")
    );
}

/// One test per layout, named after it, so that a failure names the
/// layout class it is about.
macro_rules! layouts {
    ($($name:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check($file);
            }
        )*

        /// Every layout of layouts.toml has its test above, and there are
        /// at least 25 of them.
        #[test]
        fn every_layout_has_a_test() {
            let tested = [$($file),*];
            let listed: Vec<String> = layouts().into_iter().map(|l| l.file).collect();
            assert!(listed.len() >= 25, "{} layouts", listed.len());
            for file in &listed {
                assert!(tested.contains(&file.as_str()), "{file} has no test");
            }
            assert_eq!(tested.len(), listed.len());
        }
    };
}

layouts! {
    sangong_wide_merged_empty_middle => "sangong_wide_merged_empty_middle.xlsx",
    sangong_wide_top_merge_only => "sangong_wide_top_merge_only.xlsx",
    sangong_wide_merged_empty_middle_biff8 => "sangong_wide_merged_empty_middle_biff8.xls",
    sangong_items_as_rows => "sangong_items_as_rows.xlsx",
    sangong_completion_rate => "sangong_completion_rate.xlsx",
    sangong_wide_execution_rate => "sangong_wide_execution_rate.xlsx",
    sangong_with_counts => "sangong_with_counts.xlsx",
    sangong_prior_year_change => "sangong_prior_year_change.xlsx",
    sangong_initial_and_full_budget => "sangong_initial_and_full_budget.xlsx",
    sangong_and_admin_cost_title => "sangong_and_admin_cost_title.xlsx",
    sangong_budget_actual_on_top => "sangong_budget_actual_on_top.xlsx",
    sangong_spaced_labels => "sangong_spaced_labels.xlsx",
    sangong_years_as_rows => "sangong_years_as_rows.xlsx",
    sangong_last_year_this_year => "sangong_last_year_this_year.xlsx",
    expenditure_merged_label_subheading => "expenditure_merged_label_subheading.xlsx",
    gpb_expenditure_code_name_one_cell => "gpb_expenditure_code_name_one_cell.xlsx",
    gpb_expenditure_bracket_code => "gpb_expenditure_bracket_code.xlsx",
    income_code_and_name_columns => "income_code_and_name_columns.xlsx",
    expenditure_split_codes_lost_zeros => "expenditure_split_codes_lost_zeros.xlsx",
    caijue04_split_codes_text => "caijue04_split_codes_text.xls",
    identity_dept_line => "identity_dept_line.xlsx",
    gpb_basic_detail_three_panels => "gpb_basic_detail_three_panels.xlsx",
    ie_total_side_by_side => "ie_total_side_by_side.xlsx",
    ie_total_stacked => "ie_total_stacked.xlsx",
    fiscal_total_carryover_sections => "fiscal_total_carryover_sections.xlsx",
    unit_in_headings_yuan => "unit_in_headings_yuan.xlsx",
    sangong_wan_in_yuan_book => "sangong_wan_in_yuan_book.xlsx",
    sangong_over_gov_fund_one_sheet => "sangong_over_gov_fund_one_sheet.xlsx",
    two_tables_side_by_side => "two_tables_side_by_side.xlsx",
    project_table_not_in_catalogue => "project_table_not_in_catalogue.xlsx",
    gongkai => "gongkai.xlsx",
    identity_one_title => "identity_one_title.xlsx",
    identity_from_file_name => "盐边县城市管理局2023年度部门决算.xlsx",
    gpb_total_bottom_empty_fund => "gpb_total_bottom_empty_fund.xlsx",
    hidden_rows_extra_sheets => "hidden_rows_extra_sheets.xlsx",
    unit_in_header_row => "unit_in_header_row.xlsx",
    numbers_as_text => "numbers_as_text.xlsx",
    formulas_cached_values => "formulas_cached_values.xlsx",
    caijue_a_export => "caijue_a_export.xlsx",
    nine_tables_one_sheet => "nine_tables_one_sheet.xlsx",
    html_utf8_sangong => "html_utf8_sangong.xls",
    html_gbk_multi_tables => "html_gbk_multi_tables.xls",
    spreadsheetml_2003 => "spreadsheetml_2003.xls",
    unit_heading_overrides_line => "unit_heading_overrides_line.xlsx",
    soe_capital_expenditure_only => "soe_capital_expenditure_only.xlsx",
}
