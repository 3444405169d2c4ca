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
    let path = folder().join(file).with_extension("expected.csv");
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
    let path = folder().join(file);
    let name = path.file_name().expect("a file name").to_string_lossy();
    let parent = path.parent().expect("a folder");
    // A layout of its own folder (other_hands/) comes with every lock file
    // there; one among the others with its own.
    let own_folder = parent != folder();
    let mut names = vec![name.to_string(), format!("~${name}")];
    if own_folder {
        for entry in std::fs::read_dir(parent).expect("layout folder").flatten() {
            let n = entry.file_name().to_string_lossy().to_string();
            if n.starts_with("~$") {
                names.push(n);
            }
        }
    }
    for name in names {
        let from = parent.join(&name);
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
                    || (r.kind == "skipped" || r.kind == "duplicate") && r.cell.is_empty())
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
    other_hands_01_sangong_topmerge_unit_row3 => "other_hands/c01_sangong_topmerge_unit_row3/2023年三公经费公开表.xlsx",
    other_hands_02_sangong_rows_counts => "other_hands/c02_sangong_rows_counts/szcg_2020_sangong.xlsx",
    other_hands_03_income_split_codes_zeros_lost => "other_hands/c03_income_split_codes_zeros_lost/2023年收入决算表.xlsx",
    other_hands_04_gpb_code_name_one_cell_total_bottom => "other_hands/c04_gpb_code_name_one_cell_total_bottom/gpb.xlsx",
    other_hands_05_expenditure_text_numbers => "other_hands/c05_expenditure_text_numbers/2023年度支出决算表.xlsx",
    other_hands_06_basic_detail_panels_unit_in_heading => "other_hands/c06_basic_detail_panels_unit_in_heading/2023年部门决算公开表（基本支出）.xlsx",
    other_hands_07_total_lanci_hangci_public => "other_hands/c07_total_lanci_hangci_public/攀枝花市城市管理行政执法局2023年度部门决算.xlsx",
    other_hands_08_mixed_units_workbook_1 => "other_hands/c08_mixed_units_workbook/攀枝花市园林绿化服务中心2023年度部门决算公开表.xlsx",
    other_hands_08_mixed_units_workbook_2 => "other_hands/c08_mixed_units_workbook/攀枝花市城市管理行政执法局2023年度部门决算公开表.xlsx",
    other_hands_09_gpb_budget_prior_year_rates => "other_hands/c09_gpb_budget_prior_year_rates/2023_gpb_yoy.xlsx",
    other_hands_11_identity_title_vs_filename_1 => "other_hands/c11_identity_title_vs_filename/2023年决算公开（三公）.xlsx",
    other_hands_11_identity_title_vs_filename_2 => "other_hands/c11_identity_title_vs_filename/附件2 2023年部门决算公开表.xlsx",
    other_hands_11_identity_title_vs_filename_3 => "other_hands/c11_identity_title_vs_filename/附件3：2023年度部门决算公开表.xlsx",
    other_hands_12_two_tables_one_sheet => "other_hands/c12_two_tables_one_sheet/2023年部门决算公开表（表7-表8）.xlsx",
    other_hands_13_pdf_converted_one_sheet => "other_hands/c13_pdf_converted_one_sheet/pzh_cgj_2023_jsgk.xlsx",
    other_hands_14_formulas_cached => "other_hands/c14_formulas_cached/2023年度一般公共预算财政拨款支出决算表.xlsx",
    other_hands_15_xls_biff8 => "other_hands/c15_xls_biff8/攀枝花市城市管理行政执法局2023年度部门决算公开表.xls",
    other_hands_16_afamily_hangci_renumbered_lockfile => "other_hands/c16_afamily_hangci_renumbered_lockfile/101001_攀枝花市数字化城市联动指挥中心_2020.xlsx",
    other_hands_18_hidden_sheet_last_year_after => "other_hands/c18_hidden_sheet_last_year_after/攀枝花市园林绿化服务中心2023年度部门决算公开表.xlsx",
    other_hands_19_unit_line_vs_heading_1 => "other_hands/c19_unit_line_vs_heading/攀枝花市园林绿化服务中心2023年三公.xlsx",
    other_hands_19_unit_line_vs_heading_2 => "other_hands/c19_unit_line_vs_heading/攀枝花市城市管理行政执法局2023年三公.xlsx",
    other_hands_20_sangong_items_over_budget_actual => "other_hands/c20_sangong_items_over_budget_actual/2020年三公经费.xlsx",
    other_hands_22_split_codes_repeats_omitted => "other_hands/c22_split_codes_repeats_omitted/2023年度支出决算表.xlsx",
    other_hands_23_titles_containing_other_titles => "other_hands/c23_titles_containing_other_titles/攀枝花市城市管理行政执法局2023年度部门决算公开表（补充表）.xlsx",
    other_hands_24_identity_line_wordings_1 => "other_hands/c24_identity_line_wordings/2023年三公经费公开表_A.xlsx",
    other_hands_24_identity_line_wordings_2 => "other_hands/c24_identity_line_wordings/2023年三公经费公开表_B.xlsx",
    other_hands_24_identity_line_wordings_3 => "other_hands/c24_identity_line_wordings/2023年三公经费公开表_C.xlsx",
    other_hands_24_identity_line_wordings_4 => "other_hands/c24_identity_line_wordings/2023年三公经费公开表_D.xlsx",
    other_hands_25_html_as_xls => "other_hands/c25_html_as_xls/攀枝花市城市管理行政执法局2023年度三公经费决算.xls",
    other_hands_26_spreadsheetml2003 => "other_hands/c26_spreadsheetml2003/攀枝花市园林绿化服务中心2023年度支出决算表.xls",
    other_hands_30_operations_units_per_row => "other_hands/c30_operations_units_per_row/2023_攀枝花市城市管理行政执法局_汇总表.xlsx",
    other_hands_31_operations_row_unit_column_1 => "other_hands/c31_operations_row_unit_column/P_2023_攀枝花市城市管理行政执法局.xlsx",
    other_hands_31_operations_row_unit_column_2 => "other_hands/c31_operations_row_unit_column/Q_2023_攀枝花市园林绿化服务中心.xlsx",
    other_hands_32_old_template_hangci => "other_hands/c32_old_template_hangci/2018_攀枝花市数字化城市联动指挥中心.xlsx",
    other_hands_10_sangong_year_groups_1 => "other_hands/c10_sangong_year_groups/2023年度三公经费决算表_上年本年.xlsx",
    other_hands_10_sangong_year_groups_2 => "other_hands/c10_sangong_year_groups/2023年度三公经费决算表_年度分组.xlsx",
    other_hands_33_sangong_year_rows => "other_hands/c33_sangong_year_rows/攀枝花市城市管理行政执法局2023年度三公经费.xlsx",
}

/// A workbook holding two units' tables, each sheet with its own 编制单位
/// line (other hands, c27): read as one unit's, but never silently — the
/// sheet naming the other unit is listed.
#[test]
fn other_hands_27_two_units_in_one_workbook_is_a_conflict_reported() {
    let catalogue = Catalogue::builtin().expect("specs");
    let file = "other_hands/c27_two_units_one_workbook/2023年度部门决算公开表.xlsx";
    let (_dir, batch) = read_alone(file, &catalogue);
    let conflict = (batch.report.iter())
        .find(|r| r.kind == "identity" && r.message.contains("unit name conflict"))
        .unwrap_or_else(|| panic!("no conflict reported: {:?}", batch.report));
    assert!(
        conflict.message.contains("收入决算表")
            && conflict.message.contains("攀枝花市园林绿化服务中心"),
        "{}",
        conflict.message
    );
}

/// The same units' 2022 and 2023 covers with their codes written
/// differently (other hands, c28): an organisation code with its zeros and
/// hyphen, then typed as a number; a credit code in upper, then lower case
/// with a blank. Each unit keeps one id across the years.
#[test]
fn other_hands_28_unit_codes_line_up_across_years() {
    let catalogue = Catalogue::builtin().expect("specs");
    let folder = folder().join("other_hands/c28_unit_code_formats_across_years");
    let batch = ingest(&[folder], &catalogue, false);
    let mut ids: BTreeMap<String, Vec<(i32, String)>> = BTreeMap::new();
    for w in &batch.workbooks {
        let id = &w.identity;
        ids.entry(unit_name_key(&id.unit_name))
            .or_default()
            .push((id.year, id.unit_id.clone()));
    }
    assert_eq!(ids.len(), 2, "{ids:?}");
    for (name, years) in &ids {
        assert_eq!(years.len(), 2, "{name}: {years:?}");
        assert_eq!(years[0].1, years[1].1, "{name}: {years:?}");
    }
}

/// Last year's 支出决算表 left on a hidden sheet before this year's (other
/// hands, c17): the hidden sheet is reported and not read, so it neither
/// sets the workbook's year nor pushes this year's table out as a
/// duplicate.
#[test]
fn other_hands_17_a_hidden_sheet_of_last_year_is_not_read() {
    let catalogue = Catalogue::builtin().expect("specs");
    let file = "other_hands/c17_hidden_rows_cols_sheets/攀枝花市园林绿化服务中心2023年度部门决算公开表.xlsx";
    let (_dir, batch) = read_alone(file, &catalogue);
    let [workbook] = &batch.workbooks[..] else {
        panic!("not read: {:?}", batch.report);
    };
    assert_eq!(workbook.identity.year, 2023);
    assert!(
        (batch.report.iter())
            .any(|r| r.sheet == "2022" && r.kind == "skipped" && r.message.contains("hidden")),
        "{:?}",
        batch.report
    );
    assert!(!batch.report.iter().any(|r| r.kind == "duplicate"));
    let expenditure = (workbook.facts.iter())
        .filter(|f| f.sheet == "支出决算表")
        .count();
    assert!(expenditure > 0, "this year's 支出决算表 is read");
}

/// The `recognised` row counts the figures read, not those of another
/// year's columns reported one by one (other hands, c09: 上年决算数 beside
/// this year's).
#[test]
fn the_recognised_row_counts_the_figures_read() {
    let catalogue = Catalogue::builtin().expect("specs");
    let file = "other_hands/c09_gpb_budget_prior_year_rates/2023_gpb_yoy.xlsx";
    let (_dir, batch) = read_alone(file, &catalogue);
    let [workbook] = &batch.workbooks[..] else {
        panic!("not read: {:?}", batch.report);
    };
    let recognised = (batch.report.iter())
        .find(|r| r.kind == "recognised" && r.form == "gpb_expenditure")
        .expect("recognised");
    let said = format!("{} facts", workbook.facts.len());
    assert!(
        recognised.message.contains(&said),
        "{}: {said}",
        recognised.message
    );
    assert!(
        (batch.report.iter()).any(|r| r.message.contains("is for 2022")),
        "another year's column is reported"
    );
}
