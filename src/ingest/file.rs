//! Everything done to one file: its sheets read, their tables recognised
//! and extracted, the workbook identified, each figure put in 元 under the
//! unit of money that applies to it, and the reading checked — one key, one
//! figure, and the tables' own arithmetic ([`crate::ingest::verify`]).

use rust_decimal::Decimal;
use std::path::Path;
use std::sync::Arc;

use crate::ingest::amount::to_yuan;
use crate::ingest::batch::{Fact, Memo, ReportRow, Severity, Workbook, WorkbookFacts};
use crate::ingest::extract::{
    Extraction, Inferred, SheetFact, StatedScale, extract_with, hints_above,
};
use crate::ingest::grid::Grid;
use crate::ingest::identity::{Clues, Identity, read_cover, resolve};
use crate::ingest::read::{Limits, Sheet, open_path};
use crate::ingest::recognise::{
    FoundTable, RecognisedBy, SheetKind, Table, TableKind, recognise_with,
};
use crate::ingest::verify;
use crate::spec::{Catalogue, Form};
use crate::text::{Text, a1, intern};

/// The report rows of one file, made as it is read.
pub(crate) struct FileReport {
    file: Arc<str>,
    pub rows: Vec<ReportRow>,
}

impl FileReport {
    pub fn add(
        &mut self,
        sheet: &str,
        cell: String,
        severity: Severity,
        kind: &'static str,
        form: &str,
        message: String,
    ) {
        self.rows.push(ReportRow {
            file: self.file.to_string(),
            sheet: sheet.to_string(),
            cell,
            severity,
            kind,
            form: form.to_string(),
            message,
        });
    }
}

/// A recognised table, extracted.
struct ReadTable<'c> {
    sheet: String,
    form: &'c Form,
    by: RecognisedBy,
    title_cell: Option<(u32, u32)>,
    extraction: Extraction,
}

/// What the sheets of a workbook gave.
#[derive(Default)]
struct SheetsRead<'c> {
    clues: Clues,
    tables: Vec<ReadTable<'c>>,
}

impl SheetsRead<'_> {
    /// The identity clues of the tables read, once every sheet is: those of
    /// a table left out as a duplicate do not count.
    fn add_clues_of_tables(&mut self) {
        for t in &self.tables {
            if t.extraction.hints.numbered || t.sheet.contains("财决") {
                self.clues.family_a = true;
            }
            (self.clues.sheets).push((t.sheet.clone(), t.extraction.hints.clone()));
        }
    }
}

/// Everything done to one file; never panics, whatever the input.
/// A file none of whose figures can be used comes back as `Err(reason)`.
pub(crate) fn ingest_file(
    path: &Path,
    catalogue: &Catalogue,
    limits: &Limits,
    memo: &mut Memo,
) -> (Result<WorkbookFacts, String>, Vec<ReportRow>) {
    let file: Arc<str> = Arc::from(path.display().to_string());
    let mut report = FileReport {
        file: file.clone(),
        rows: Vec::new(),
    };
    let result = read_file(path, file, catalogue, limits, memo, &mut report);
    (result, report.rows)
}

fn read_file(
    path: &Path,
    file: Arc<str>,
    catalogue: &Catalogue,
    limits: &Limits,
    memo: &mut Memo,
    report: &mut FileReport,
) -> Result<WorkbookFacts, String> {
    let mut book = open_path(path, limits).map_err(|e| e.to_string())?;
    // Sheets that cannot be read are reported ahead of the others.
    let mut sheet_rows = FileReport {
        file: file.clone(),
        rows: Vec::new(),
    };
    let mut read = SheetsRead::default();
    let outcome = book.read_sheets(|sheet| match sheet {
        Ok(sheet) => read_sheet(sheet, catalogue, memo, &mut read, &mut sheet_rows),
        Err(e) => report.add(
            &e.name,
            String::new(),
            Severity::Error,
            "sheet",
            "",
            format!("sheet cannot be read: {}", e.message),
        ),
    });
    drop(book);
    report.rows.append(&mut sheet_rows.rows);
    outcome.map_err(|e| e.to_string())?;

    read.add_clues_of_tables();
    let identity = identify(path, &read.clues, catalogue, report)?;
    let facts = table_facts(read.tables, &identity, catalogue, report);
    let cover_fields = read
        .clues
        .cover
        .map(|(_, f)| f.into_iter().map(|(k, (v, _))| (k, v)).collect())
        .unwrap_or_default();
    let unchecked = WorkbookFacts {
        workbook: Arc::new(Workbook::new(file.clone(), identity, cover_fields, &facts)),
        facts,
    };
    let checked = verify::one_key_one_figure(unchecked, catalogue, report);
    verify::reading_doubts(&checked, catalogue, report);
    let id = &checked.identity;
    report.add(
        "",
        String::new(),
        Severity::Info,
        "file",
        "",
        format!(
            "{} {} {} ({}, family {}, identity from {}): {} facts",
            id.unit_name,
            id.year,
            id.report_type,
            id.unit_id,
            id.family,
            id.origin.as_str(),
            checked.facts.len()
        ),
    );
    Ok(checked)
}

/// Recognises one sheet and extracts its tables.
fn read_sheet<'c>(
    sheet: &Sheet,
    catalogue: &'c Catalogue,
    memo: &mut Memo,
    read: &mut SheetsRead<'c>,
    report: &mut FileReport,
) {
    for &(row, col) in &sheet.unsaved_formulas {
        report.add(
            sheet.name,
            a1(row, col),
            Severity::Warning,
            "formula",
            "",
            "a formula whose result was never saved: the file holds no figure for this cell \
             (open and save the workbook in Excel or WPS so that its figure is read)"
                .into(),
        );
    }
    match recognise_with(sheet, catalogue, &mut memo.titles) {
        SheetKind::Cover => {
            let fields = read_cover(sheet, catalogue);
            report.add(
                sheet.name,
                String::new(),
                Severity::Info,
                "recognised",
                "cover",
                format!("cover sheet with {} identity fields", fields.len()),
            );
            read.clues.family_a = true;
            if read.clues.cover.is_none() {
                read.clues.cover = Some((sheet.name.to_string(), fields));
            }
        }
        SheetKind::Empty => report.add(
            sheet.name,
            String::new(),
            Severity::Info,
            "skipped",
            "",
            "empty sheet".into(),
        ),
        SheetKind::Tables(_) if sheet.hidden => report.add(
            sheet.name,
            String::new(),
            Severity::Warning,
            "skipped",
            "",
            "hidden sheet: its tables are not read (a hidden sheet is most often last year's \
             copy or a working sheet); unhide it in Excel or WPS to have it read"
                .into(),
        ),
        SheetKind::Tables(tables) => {
            let whole_sheet = tables.len() == 1;
            if sheet.merges.is_none()
                && tables
                    .iter()
                    .any(|t| matches!(t.kind, TableKind::Form { .. }))
            {
                report.add(
                    sheet.name,
                    String::new(),
                    Severity::Info,
                    "sheet",
                    "",
                    "the file does not say which cells are merged: an empty heading cell takes \
                     the heading to its left where nothing else explains its column, and its \
                     figures say so (inferred = heading)"
                        .into(),
                );
            }
            for found in tables {
                read_table(found, whole_sheet, catalogue, memo, read, report);
            }
        }
    }
}

fn read_table<'c>(
    found: FoundTable<'_, '_, 'c>,
    whole_sheet: bool,
    catalogue: &'c Catalogue,
    memo: &mut Memo,
    read: &mut SheetsRead<'c>,
    report: &mut FileReport,
) {
    let FoundTable {
        table,
        kind,
        title_cell,
    } = found;
    let at = title_cell.map(|(r, c)| a1(r, c)).unwrap_or_default();
    let TableKind::Form { form, by } = kind else {
        read.clues
            .sheets
            .push((table.sheet.to_string(), hints_above(&table, catalogue)));
        report_skipped(&table, kind, whole_sheet, at, catalogue, report);
        return;
    };
    let key = form.spec.key.as_str();
    let extraction = extract_with(&table, form, catalogue, &mut memo.extract);
    let read_table = ReadTable {
        sheet: table.sheet.to_string(),
        form,
        by,
        title_cell,
        extraction,
    };
    // A form twice in one workbook: the table that gives more of its
    // figures is kept (a table of another classification taken for the
    // form gives few), the other reported and left out.
    if let Some(first) = read.tables.iter_mut().find(|t| t.form.spec.key == key) {
        let (kept, left) = if read_table.extraction.facts.len() > first.extraction.facts.len() {
            let left = std::mem::replace(first, read_table);
            (first.sheet.clone(), left)
        } else {
            (first.sheet.clone(), read_table)
        };
        report.add(
            &left.sheet,
            left.title_cell.map(|(r, c)| a1(r, c)).unwrap_or_default(),
            Severity::Error,
            "duplicate",
            key,
            format!(
                "form {key} appears twice (sheets {kept:?} and {:?}); the table with more of its \
                 figures, in sheet {kept:?}, is read and this one ({} figures) is left out",
                left.sheet,
                left.extraction.facts.len()
            ),
        );
        return;
    }
    read.tables.push(read_table);
}

/// A table that is not read: a warning at its title, and for a table the
/// catalogue does not have, each of its figures.
fn report_skipped(
    table: &Table,
    kind: TableKind,
    whole_sheet: bool,
    at: String,
    catalogue: &Catalogue,
    report: &mut FileReport,
) {
    let what = if whole_sheet { "sheet" } else { "table" };
    let message = match &kind {
        TableKind::Foreign { title } => {
            format!("table {title:?} is not in the catalogue of forms: its figures are not read")
        }
        _ => format!("unknown {what}: no form title, sheet name or form code recognised"),
    };
    report.add(table.sheet, at, Severity::Warning, "skipped", "", message);
    if let TableKind::Foreign { title } = kind {
        let why = format!("in table {title:?}, not in the catalogue");
        report_numbers(&table.grid, table.sheet, &why, catalogue, report);
    }
}

/// Every figure of a table that is not read, as unmapped cells.
fn report_numbers(
    grid: &Grid,
    sheet: &str,
    why: &str,
    catalogue: &Catalogue,
    report: &mut FileReport,
) {
    for row in grid.rows() {
        for col in grid.cols() {
            if grid.cell(row, col).is_figure(&catalogue.nothing) {
                let value = grid.display(row, col).unwrap_or_default();
                report.add(
                    sheet,
                    a1(row, col),
                    Severity::Warning,
                    "unmapped",
                    "",
                    format!("value {value} not mapped: {why}"),
                );
            }
        }
    }
}

/// The workbook's identity, its conflicts reported; `Err` when no unit or
/// year can be found.
fn identify(
    path: &Path,
    clues: &Clues,
    catalogue: &Catalogue,
    report: &mut FileReport,
) -> Result<Identity, String> {
    let (identity, notes) = resolve(path, clues, catalogue);
    let severity = if identity.is_none() {
        Severity::Error
    } else {
        Severity::Warning
    };
    for note in notes {
        report.add("", String::new(), severity, "identity", "", note);
    }
    identity.ok_or_else(|| {
        "its unit and year could not be established (see the identity rows)".to_string()
    })
}

/// The unit of money of each table: its own unit line, else one on its
/// sheet, else one elsewhere in the workbook, else the family's convention.
struct Scales<'t> {
    tables: &'t [ReadTable<'t>],
    default_name: &'t str,
    default_factor: Decimal,
}

impl Scales<'_> {
    /// The table's unit of money, and how it was found when not on itself:
    /// `None` when it states one.
    fn of(&self, table: &ReadTable) -> (StatedScale, Option<String>) {
        if let Some(own) = &table.extraction.hints.scale {
            return (own.clone(), None);
        }
        let stated = |same_sheet: bool| {
            self.tables.iter().find_map(|t| {
                let scale = t.extraction.hints.scale.as_ref()?;
                (!same_sheet || t.sheet == table.sheet).then(|| scale.clone())
            })
        };
        if let Some(s) = stated(true) {
            let how = format!(
                "no unit line (单位：…) for this table; using {} stated for another table on its sheet",
                s.name
            );
            return (s, Some(how));
        }
        if let Some(s) = stated(false) {
            let how = format!(
                "no unit line (单位：…) on this sheet; using {} stated on sheet(s) of the same workbook",
                s.name
            );
            return (s, Some(how));
        }
        let assumed = StatedScale {
            name: intern(self.default_name),
            factor: self.default_factor,
            cell: (0, 0),
        };
        (assumed, None)
    }
}

/// The facts of every table, in 元 (counts as they are), with the report
/// rows of each table: how it was recognised and how much of its form it
/// has, its problems and unmapped cells, and its figures of other years.
fn table_facts(
    tables: Vec<ReadTable>,
    identity: &Identity,
    catalogue: &Catalogue,
    report: &mut FileReport,
) -> Vec<Fact> {
    let reading = &catalogue.common.reading;
    let default_name = if identity.family == 'A' {
        &reading.default_scale_a
    } else {
        &reading.default_scale_b
    };
    let scales = Scales {
        tables: &tables,
        default_name,
        default_factor: catalogue.scale_of(default_name).unwrap_or(Decimal::ONE),
    };
    let mut facts = Vec::with_capacity(tables.iter().map(|t| t.extraction.facts.len()).sum());
    let mut resolved = Vec::with_capacity(tables.len());
    for table in &tables {
        resolved.push(scales.of(table));
    }
    for (table, (scale, how)) in tables.into_iter().zip(resolved) {
        let assumed = how.is_none() && table.extraction.hints.scale.is_none();
        let form_key = table.form.spec.key.as_str();
        let sheet = table.sheet.clone();
        let at = table.title_cell.map(|(r, c)| a1(r, c)).unwrap_or_default();
        let lacks_unit = assumed
            && table
                .extraction
                .facts
                .iter()
                .any(|f| f.count_unit.is_none() && f.heading_scale.is_none());
        let problem = how.or_else(|| {
            lacks_unit.then(|| {
                format!(
                    "no unit of money stated for table {} anywhere in the workbook; assumed {}, the {} family's convention (its figures say inferred = unit)",
                    table.form.spec.name, scale.name, identity.family
                )
            })
        });
        if let Some(problem) = problem {
            report.add(
                &sheet,
                at.clone(),
                Severity::Warning,
                "problem",
                form_key,
                problem,
            );
        }
        report_table(&table, &scale, identity.year, report);
        let sheet_text = intern(&sheet);
        for f in table.extraction.facts {
            if let Some(year) = f.other_year(identity.year) {
                report.add(
                    &sheet,
                    a1(f.row, f.col),
                    Severity::Warning,
                    "unmapped",
                    form_key,
                    format!(
                        "value {} not mapped: column {:?} is for {year}, not the workbook's year {}",
                        f.written, f.header, identity.year
                    ),
                );
                continue;
            }
            facts.push(fact_of(f, sheet_text, table.form, &scale, assumed, report));
        }
    }
    facts
}

/// The report rows of one table: recognised (with its coverage), missing
/// core lines or columns, problems, unmapped cells.
fn report_table(table: &ReadTable, scale: &StatedScale, year: i32, report: &mut FileReport) {
    let ReadTable {
        sheet,
        form,
        by,
        title_cell,
        extraction,
    } = table;
    let form_key = form.spec.key.as_str();
    let at = title_cell.map(|(r, c)| a1(r, c)).unwrap_or_default();
    let coverage = &extraction.coverage;
    let mut message = format!(
        "recognised by {} as {} ({}), {} facts, amounts in {}; {}",
        by.as_str(),
        form.spec.name,
        form.spec.code,
        // Not those of another year's columns, reported one by one.
        (extraction.facts.iter())
            .filter(|f| f.other_year(year).is_none())
            .count(),
        scale.name,
        coverage.summary(form)
    );
    if let Some(note) = &extraction.note {
        message.push_str(&format!("; note: {note}"));
    }
    report.add(
        sheet,
        at.clone(),
        Severity::Info,
        "recognised",
        form_key,
        message,
    );
    let missing = coverage.missing_core(form);
    let empty_on_purpose = extraction.facts.is_empty() && extraction.note.is_some();
    if !missing.is_empty() && !empty_on_purpose {
        report.add(
            sheet,
            at,
            Severity::Warning,
            "coverage",
            form_key,
            format!("the table has no {}", missing.join(", ")),
        );
    }
    for p in &extraction.problems {
        let cell = p.cell.map(|(r, c)| a1(r, c)).unwrap_or_default();
        report.add(
            sheet,
            cell,
            Severity::Error,
            "problem",
            form_key,
            p.message.clone(),
        );
    }
    for u in &extraction.unmapped {
        report.add(
            sheet,
            a1(u.row, u.col),
            Severity::Warning,
            "unmapped",
            form_key,
            format!("value {} not mapped: {}", u.value, u.reason),
        );
    }
}

/// One figure as a fact: money in 元 under its column's own unit, else its
/// table's; counts as they are.
fn fact_of(
    f: SheetFact,
    sheet: Text,
    form: &Form,
    table_scale: &StatedScale,
    assumed: bool,
    report: &mut FileReport,
) -> Fact {
    let mut inferred = f.inferred;
    let (amount, unit_of_measure, scale) = match f.count_unit {
        Some(unit) => (f.written, unit, table_scale.name),
        None => {
            let scale = f.heading_scale.as_ref().unwrap_or(table_scale);
            if assumed && f.heading_scale.is_none() {
                inferred = inferred.with(Inferred::UNIT);
            }
            let (yuan, lost) = to_yuan(f.written, scale.factor);
            if lost {
                report.add(
                    sheet,
                    a1(f.row, f.col),
                    Severity::Warning,
                    "problem",
                    &form.spec.key,
                    format!(
                        "{} {} has digits below 1 分; rounded to {yuan} 元",
                        f.written, scale.name
                    ),
                );
            }
            (yuan, "元", scale.name)
        }
    };
    Fact {
        form: form.key,
        sheet,
        item: f.item,
        column: f.column,
        subject_code: f.subject_code,
        amount,
        unit_of_measure,
        position: (f.row, f.col),
        label: f.label,
        header: f.header,
        scale,
        inferred,
    }
}
