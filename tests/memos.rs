//! What a reading worker remembers from sheet to sheet (the titles found in
//! texts, the layouts of headers, the columns matched to headings) changes
//! nothing it reads: every sheet of the sample corpus, read with one memo
//! shared across the whole batch, gives what it gives read on its own.

use juesuan::ingest::extract::{Memo, extract, extract_with};
use juesuan::ingest::read::{Limits, open_path};
use juesuan::ingest::recognise::{SheetKind, TableKind, TitleMemo, recognise, recognise_with};
use juesuan::spec::Catalogue;
use std::path::{Path, PathBuf};

fn workbooks(dir: &Path) -> Vec<PathBuf> {
    let mut found = juesuan::ingest::discover::discover(&[dir.to_path_buf()]).files;
    found.sort();
    found
}

/// What recognition decided, comparable across two recognitions.
fn kind_name(kind: &SheetKind) -> String {
    match kind {
        SheetKind::Tables(tables) => tables
            .iter()
            .map(|t| {
                let kind = match &t.kind {
                    TableKind::Form { form, by } => format!("{} by {}", form.spec.key, by.as_str()),
                    TableKind::Foreign { title } => format!("foreign {title}"),
                    TableKind::Unknown => "unknown".into(),
                };
                format!("{kind} at {:?} in {:?}", t.title_cell, t.table.grid.rows())
            })
            .collect::<Vec<_>>()
            .join("; "),
        SheetKind::Cover => "cover".into(),
        SheetKind::Empty => "empty".into(),
    }
}

#[test]
fn a_shared_memo_reads_every_sheet_as_a_fresh_one_does() {
    let catalogue = Catalogue::load(None).expect("embedded specs");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    // Workbooks of several years and both families, every layout variation
    // of the generator, and the hand-built seed workbooks.
    let files = workbooks(&corpus);
    assert!(files.len() > 100, "sample corpus missing: {}", files.len());
    let (mut titles, mut layouts) = (TitleMemo::default(), Memo::default());
    let (mut sheets, mut forms, mut remembered_layouts) = (0, 0, 0);
    for path in &files {
        let Ok(mut book) = open_path(path, &Limits::default()) else {
            continue; // the deliberately broken files
        };
        let read = book.read_sheets(|sheet| {
            let Ok(sheet) = sheet else { return };
            sheets += 1;
            let alone = recognise(sheet, &catalogue);
            let shared = recognise_with(sheet, &catalogue, &mut titles);
            let place = format!("{} / {}", path.display(), sheet.name);
            assert_eq!(kind_name(&alone), kind_name(&shared), "{place}");
            let SheetKind::Tables(tables) = shared else {
                return;
            };
            for found in tables {
                let TableKind::Form { form, .. } = found.kind else {
                    continue;
                };
                forms += 1;
                let layouts_before = layouts.layouts_known();
                let alone = extract(&found.table, form, &catalogue);
                let shared = extract_with(&found.table, form, &catalogue, &mut layouts);
                assert_eq!(format!("{alone:?}"), format!("{shared:?}"), "{place}");
                if layouts.layouts_known() == layouts_before {
                    remembered_layouts += 1;
                }
            }
        });
        read.expect("sample workbooks read to the end");
    }
    // The memos were used: most sheets' layouts had been seen before.
    assert!(forms > 1000, "{forms} form sheets of {sheets}");
    assert!(
        remembered_layouts * 2 > forms,
        "{remembered_layouts} of {forms} layouts remembered"
    );
}

/// A table laid out as `headings` over one row of 事业收入, as a sheet.
fn income_sheet(range: &mut calamine::Range<calamine::Data>, headings: [&str; 4]) {
    use calamine::Data;
    range.set_value((0, 0), Data::String("收入支出决算总表".into()));
    for (col, heading) in headings.iter().enumerate() {
        range.set_value((1, col as u32), Data::String(heading.to_string()));
    }
    range.set_value((2, 0), Data::String("事业收入".into()));
    for (col, figure) in [(1, 100.0), (2, 200.0), (3, 300.0)] {
        range.set_value((2, col), Data::Float(figure));
    }
}

/// Two headers alike in everything but the order of two headings of the
/// same length: the second sheet is not read with the first one's layout.
#[test]
fn a_header_differing_in_one_heading_is_a_layout_of_its_own() {
    use juesuan::ingest::grid::Grid;
    use juesuan::ingest::recognise::Table;
    let catalogue = Catalogue::load(None).expect("embedded specs");
    let form = catalogue
        .forms
        .iter()
        .find(|f| f.spec.key == "income_expenditure_total")
        .expect("form");
    let mut layouts = Memo::default();
    let mut columns_of = |headings: [&str; 4]| {
        let mut range = calamine::Range::new((0, 0), (2, 3));
        income_sheet(&mut range, headings);
        let table = Table {
            sheet: "收入支出决算总表",
            grid: Grid::new(&range).expect("cells"),
            merges: Some(&[]),
        };
        let facts = extract_with(&table, form, &catalogue, &mut layouts).facts;
        facts
            .iter()
            .map(|f| format!("{}={}", f.column, f.written))
            .collect::<Vec<_>>()
    };
    let first = columns_of(["项目", "年初预算", "全年预算", "决算数"]);
    assert_eq!(
        first,
        ["budget_initial=100", "budget_full=200", "actual=300"]
    );
    let swapped = columns_of(["项目", "全年预算", "年初预算", "决算数"]);
    assert_eq!(
        swapped,
        ["budget_full=100", "budget_initial=200", "actual=300"]
    );
    assert_eq!(layouts.layouts_known(), 2);
}
