//! One test per kind of file variation of DOMAIN.md §2: the same accounts
//! laid out with one layout choice changed must yield exactly the same facts
//! the generator wrote, with nothing unmapped and no error.
mod common;

use common::*;
use juesuan::ingest::batch::ingest;
use juesuan::sample::layout::Style;
use juesuan::sample::{Corpus, seed_units, workbook_file};
use juesuan::spec::Catalogue;

/// Lays the 攀枝花 2023 accounts out in `style`, reads them back, compares.
fn check(name: &str, style: Style) -> juesuan::ingest::batch::Batch {
    let catalogue = Catalogue::builtin().expect("specs");
    let unit = seed_units()
        .expect("seeds")
        .into_iter()
        .find(|u| u.year == 2023 && u.unit_name.contains("攀枝花市城市管理"))
        .expect("seed unit");
    let ext = if style.xls { "xls" } else { "xlsx" };
    let file =
        workbook_file(&unit, &style, &catalogue, &format!("2023/{name}.{ext}")).expect("workbook");
    let corpus = Corpus {
        files: vec![file],
        truth: Vec::new(),
    };
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(&corpus, dir.path());
    let batch = ingest(&[dir.path().to_path_buf()], &catalogue, false);
    assert_reads_back(name, &corpus, &batch, dir.path());
    assert!(
        corpus.files[0].expected.len() > 150,
        "{name}: the workbook carries all forms"
    );
    batch
}

fn with(f: impl FnOnce(&mut Style)) -> Style {
    let mut s = Style::plain_a();
    f(&mut s);
    s
}

#[test]
fn legacy_xls_biff8() {
    check("xls", with(|s| s.xls = true));
}

#[test]
fn one_to_four_title_rows() {
    for rows in 1..=4 {
        // Without the 编制单位 line the cover still names the unit.
        check(&format!("title_rows_{rows}"), with(|s| s.title_rows = rows));
    }
}

#[test]
fn unit_lines_in_every_spelling_and_place() {
    for phrase in 0..4 {
        check(
            &format!("unit_phrase_{phrase}"),
            with(|s| s.unit_phrase = phrase),
        );
    }
}

#[test]
fn amounts_in_wan_yuan_become_exact_yuan() {
    let batch = check("wan", with(|s| s.wan = true));
    let w = &batch.workbooks[0];
    assert!(
        w.facts
            .iter()
            .filter(|f| f.unit_of_measure == "元")
            .all(|f| (f.amount / rust_decimal::Decimal::from(100))
                .fract()
                .is_zero())
    );
}

#[test]
fn without_line_and_column_numbers() {
    check("unnumbered", with(|s| s.numbered = false));
}

#[test]
fn merged_multi_row_headers() {
    // The plain style already has 2–3 heading rows with merges (决算数 over 合计/一般公共预算…);
    // the wide 三公 table has three heading rows.
    check("wide_sangong", with(|s| s.wide_sangong = true));
    check("row_sangong", with(|s| s.wide_sangong = false));
}

#[test]
fn subject_codes_split_into_class_section_item() {
    check("split_codes", with(|s| s.split_codes = true));
}

#[test]
fn leading_zeros_lost_to_number_formatting() {
    check("codes_as_numbers", with(|s| s.codes_as_numbers = true));
    check(
        "split_codes_as_numbers",
        with(|s| {
            s.split_codes = true;
            s.codes_as_numbers = true;
        }),
    );
}

#[test]
fn numbered_full_width_and_spaced_labels() {
    check("numbering", with(|s| s.label_numbering = true));
    check("half_width", with(|s| s.full_width = false));
    check("spaced", with(|s| s.spaced_labels = true));
}

#[test]
fn numbers_as_text_with_separators_and_full_width_digits() {
    check("thousands", with(|s| s.text_numbers = 1));
    check("full_width_digits", with(|s| s.text_numbers = 2));
}

#[test]
fn markers_for_nothing() {
    for marker in ["", "—", "-", "/"] {
        check(
            &format!("marker_{}", marker.len()),
            with(|s| s.zero_marker = Some(marker)),
        );
    }
}

#[test]
fn hidden_rows_are_still_read() {
    check("hidden", with(|s| s.hidden_row = true));
}

#[test]
fn totals_on_top_or_at_the_bottom() {
    check("totals_bottom", with(|s| s.totals_bottom = true));
}

#[test]
fn formulas_with_cached_values() {
    check("formulas", with(|s| s.formulas = true));
}

#[test]
fn sheet_names_cut_at_31_or_generic() {
    check("sheet_titles", with(|s| s.sheet_names = 1));
    check("sheet_numbers", with(|s| s.sheet_names = 2));
}

#[test]
fn basic_detail_in_three_panels() {
    check("three_panels", with(|s| s.basic_panels = 3));
}

#[test]
fn notes_under_tables() {
    check("notes", with(|s| s.notes = true));
}

#[test]
fn public_disclosure_family_b() {
    let batch = check(
        "public",
        with(|s| {
            s.family_a = false;
            s.wan = true;
            s.numbered = false;
            s.sheet_names = 1;
            s.title_with_unit_name = true;
        }),
    );
    let id = &batch.workbooks[0].identity;
    assert_eq!(id.family, 'B');
    assert_eq!(id.unit_name, "攀枝花市城市管理行政执法局");
    assert_eq!(id.year, 2023);
}

#[test]
fn public_disclosure_identity_from_the_path() {
    // Title without unit or year: the folder gives the year, the file name the unit.
    let batch = check(
        "攀枝花市城市管理行政执法局",
        with(|s| {
            s.family_a = false;
            s.wan = true;
            s.numbered = false;
            s.title_rows = 1;
            s.sheet_names = 2;
            s.title_with_unit_name = false;
        }),
    );
    let id = &batch.workbooks[0].identity;
    assert_eq!(
        (id.year, id.unit_name.as_str()),
        (2023, "攀枝花市城市管理行政执法局")
    );
}
