//! Extract stage: a recognised table → facts. The lines above its header
//! are read for the title, unit of money and identity ([`top`]); its header
//! is found wherever it is and its heading rows joined into one path per
//! column, headings spread over their merged regions only ([`header`]);
//! each column gets a meaning from its whole path — a form's column, or a
//! rate, a difference, another year's, a count, reported — and the table is
//! cut into side-by-side panels; then every value cell of the body is
//! mapped to a canonical (item, column, subject code) through the form
//! spec, or reported ([`rows`]).

mod header;
mod rows;
mod top;

use rust_decimal::Decimal;

use crate::ingest::grid::{Cell, Grid};
use crate::ingest::recognise::Table;
use crate::spec::{Catalogue, Form};
use crate::text::{Text, normalise};

pub use header::Memo;

/// What the reader had to infer to read a figure, kept with the figure so
/// that a failed identity involving it is reported as a reading doubt
/// (`read.uncertain`) rather than the unit's error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Inferred(u8);

impl Inferred {
    /// Its column's heading was carried over from a neighbour: the sheet
    /// does not say which cells its headings span.
    pub const HEADING: Inferred = Inferred(1);
    /// Its row's label matched a line only once a bracketed note was
    /// dropped (`公务接待费（含外宾接待）`).
    pub const LABEL: Inferred = Inferred(2);
    /// No unit of money is stated for its table; the family's was assumed.
    pub const UNIT: Inferred = Inferred(4);

    /// As one byte (the reading cache's).
    pub fn bits(self) -> u8 {
        self.0
    }

    pub fn from_bits(bits: u8) -> Inferred {
        Inferred(bits)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn with(self, other: Inferred) -> Inferred {
        Inferred(self.0 | other.0)
    }

    pub fn has(self, other: Inferred) -> bool {
        self.0 & other.0 == other.0
    }

    /// `heading`, `label`, `unit`, joined with `+`; empty when nothing was.
    pub fn as_str(self) -> &'static str {
        const NAMES: [&str; 8] = [
            "",
            "heading",
            "label",
            "heading+label",
            "unit",
            "heading+unit",
            "label+unit",
            "heading+label+unit",
        ];
        NAMES[usize::from(self.0 & 7)]
    }
}

/// One figure read from a table, before the workbook's identity and unit of
/// money are known.
#[derive(Debug, Clone)]
pub struct SheetFact {
    pub item: Text,
    pub column: Text,
    pub subject_code: Option<Text>,
    /// The figure as written (in the table's unit of money for money items).
    pub written: Decimal,
    /// `None` for money; the count unit (`人`, `辆`) otherwise.
    pub count_unit: Option<Text>,
    pub row: u32,
    pub col: u32,
    pub label: Text,
    pub header: Text,
    /// The unit of money its column's own heading states (`预算数（元）`).
    pub heading_scale: Option<StatedScale>,
    /// A year its column's heading names (`2022年决算数`): a figure of
    /// another year than the workbook's is not this year's.
    pub heading_year: Option<i32>,
    pub inferred: Inferred,
}

impl SheetFact {
    /// The year its heading or row names when that is not `year` (a
    /// previous year's column): such a figure is reported, not read.
    pub fn other_year(&self, year: i32) -> Option<i32> {
        self.heading_year.filter(|&y| y != year)
    }
}

/// A numeric cell inside the table that no spec entry accounts for.
#[derive(Debug, Clone)]
pub struct Unmapped {
    pub row: u32,
    pub col: u32,
    pub value: String,
    pub reason: String,
}

/// Something wrong at a place in the sheet.
#[derive(Debug, Clone)]
pub struct SheetProblem {
    pub cell: Option<(u32, u32)>,
    pub message: String,
}

/// A unit of money stated on the sheet (`单位：万元`) or in a heading.
#[derive(Debug, Clone, PartialEq)]
pub struct StatedScale {
    pub name: Text,
    pub factor: Decimal,
    pub cell: (u32, u32),
}

/// Identity clues found above the table.
#[derive(Debug, Clone, Default)]
pub struct SheetHints {
    pub unit_names: Vec<(String, (u32, u32))>,
    pub years: Vec<(i32, (u32, u32))>,
    pub scale: Option<StatedScale>,
    /// 行次 or 栏次 numbering present: a mark of the A family (财决 exports).
    pub numbered: bool,
}

/// What was found of a form's items and columns in one table.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// (spec panel, item index) of every line found.
    pub items: Vec<(usize, usize)>,
    /// (spec panel, column index) of every column found.
    pub columns: Vec<(usize, usize)>,
}

impl Coverage {
    fn add_item(&mut self, item: (usize, usize)) {
        if !self.items.contains(&item) {
            self.items.push(item);
        }
    }

    fn add_column(&mut self, column: (usize, usize)) {
        if !self.columns.contains(&column) {
            self.columns.push(column);
        }
    }

    /// The core items and columns of `form` ([`crate::spec::Item::core`])
    /// this table does not have, by their first label or heading.
    pub fn missing_core(&self, form: &Form) -> Vec<String> {
        let mut missing = Vec::new();
        for (sp, panel) in form.panels.iter().enumerate() {
            for (i, item) in panel.items.iter().enumerate() {
                if item.core && !self.items.contains(&(sp, i)) {
                    let label = &form.spec.panels[sp].items[i].labels[0];
                    missing.push(format!("{} ({label})", item.key));
                }
            }
            for (c, column) in panel.columns.iter().enumerate() {
                if column.core && !self.columns.contains(&(sp, c)) {
                    let heading = &form.spec.panels[sp].columns[c].headers[0];
                    missing.push(format!("{} column ({heading})", column.key));
                }
            }
        }
        missing.dedup();
        missing
    }

    /// `items 6/7, columns 2/2`: how much of the form the table has.
    pub fn summary(&self, form: &Form) -> String {
        let items: usize = form.panels.iter().map(|p| p.items.len()).sum();
        let columns: usize = form.panels.iter().map(|p| p.columns.len()).sum();
        format!(
            "items {}/{items}, columns {}/{columns}",
            self.items.len(),
            self.columns.len()
        )
    }
}

#[derive(Debug, Default)]
pub struct Extraction {
    pub facts: Vec<SheetFact>,
    pub unmapped: Vec<Unmapped>,
    pub problems: Vec<SheetProblem>,
    pub hints: SheetHints,
    /// The note under a table that says it has no data (`注：本单位无…`).
    pub note: Option<String>,
    pub coverage: Coverage,
}

pub fn extract(table: &Table, form: &Form, catalogue: &Catalogue) -> Extraction {
    extract_with(table, form, catalogue, &mut Memo::default())
}

/// [`extract`], with what earlier sheets of the same catalogue taught.
pub fn extract_with(
    table: &Table,
    form: &Form,
    catalogue: &Catalogue,
    memo: &mut Memo,
) -> Extraction {
    let mut out = Extraction::default();
    let grid = &table.grid;
    // 1. Above the header: title, unit of money, unit name, year.
    let Some(header_start) = top::read_above_header(grid, Some(form), catalogue, &mut out.hints)
    else {
        out.problems.push(SheetProblem {
            cell: None,
            message:
                "no header row found (expected a row of column headings such as 项目 / 决算数)"
                    .into(),
        });
        report_all_numbers(grid, grid.first_row, "table has no header", &mut out);
        return out;
    };
    // 2. The heading rows, and the 栏次 row if any, and what they make of
    // the columns.
    let rows = header::header_rows(table, header_start, form, catalogue);
    if rows.col_no_row.is_some() {
        out.hints.numbered = true;
    }
    let layout = memo.layout(form, table, &rows, |memo| {
        header::work_out_layout(table, form, catalogue, &rows, memo)
    });
    if layout.panels.iter().any(|p| p.line_col.is_some()) {
        out.hints.numbered = true;
    }
    if out.hints.scale.is_none()
        && let Some((name, factor, cell)) = layout.scale
    {
        out.hints.scale = Some(StatedScale { name, factor, cell });
    }
    // 3. The body.
    rows::read_body(
        grid,
        table.merges,
        rows.body_start,
        form,
        catalogue,
        &layout,
        &mut out,
    );
    out
}

/// The identity clues (title naming the unit and year, `部门：` lines) in
/// the first rows of a table or sheet whose figures are not read, above its
/// first figure: a contents page's `XX局2023年度部门决算公开表`, not the
/// years a narrative sheet mentions further down.
pub fn hints_above(table: &Table, catalogue: &Catalogue) -> SheetHints {
    const FIRST_ROWS: u32 = 12;
    let mut hints = SheetHints::default();
    let grid = &table.grid;
    let rows = (
        grid.first_row,
        grid.first_row.saturating_add(FIRST_ROWS - 1),
    );
    if let Some(top) = grid.window(rows, (grid.first_col, grid.last_col)) {
        top::read_above_header(&top, None, catalogue, &mut hints);
    }
    hints
}

/// [`Cell::is_figure`] with the catalogue's markers for nothing.
fn is_figure(cell: Cell, catalogue: &Catalogue) -> bool {
    cell.is_figure(&catalogue.nothing)
}

/// The kinds of the qualifiers set in `bits` (`rate or percentage`), for
/// the report.
fn qualifier_kinds(catalogue: &Catalogue, bits: crate::spec::Qualifiers) -> String {
    let kinds: Vec<&str> = catalogue
        .common
        .qualifiers
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & 1 << i != 0)
        .map(|(_, q)| q.kind.as_str())
        .collect();
    kinds.join(" and ")
}

/// [`Catalogue::scale_of`] for text that is normalised already.
fn scale_named(catalogue: &Catalogue, normalised: &str) -> Option<Decimal> {
    scale_entry(catalogue, normalised).map(|(_, f)| f)
}

/// The catalogue's unit of money named exactly so: its name and factor.
fn scale_entry<'c>(catalogue: &'c Catalogue, normalised: &str) -> Option<(&'c str, Decimal)> {
    (catalogue.scales.iter())
        .find(|(n, _)| n == normalised)
        .map(|(n, f)| (n.as_str(), *f))
}

/// The unit of money a unit line states (`单位：万元`, `金额单位:元`,
/// `(单位:人民币万元)`), for text that is normalised already: the unit's
/// name as the catalogue spells it, and its factor.
fn unit_line_scale<'c>(catalogue: &'c Catalogue, normalised: &str) -> Option<(&'c str, Decimal)> {
    let line = strip_brackets(normalised);
    let (head, value) = line.split_once(':')?;
    if !catalogue
        .common
        .unit_line_prefixes
        .iter()
        .any(|p| p == head)
    {
        return None;
    }
    unit_of_money(catalogue, value)
}

/// A unit line in brackets ending a text: a title or a heading such as
/// `项目(单位:万元)`.
fn trailing_unit_line<'c>(
    catalogue: &'c Catalogue,
    normalised: &str,
) -> Option<(&'c str, Decimal)> {
    let open = normalised.strip_suffix(')')?.rfind('(')?;
    unit_line_scale(catalogue, &normalised[open..])
}

/// `text` without one pair of brackets around all of it.
fn strip_brackets(text: &str) -> &str {
    text.strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(text)
}

/// The unit of money a unit line's value names, dressed or not: `万元`,
/// `人民币万元`, `万元(人民币)`, `元(精确到角分)`, `万元/人、辆` (money in
/// 万元, counts in 人 and 辆).
fn unit_of_money<'c>(catalogue: &'c Catalogue, value: &str) -> Option<(&'c str, Decimal)> {
    let mut unit = value.split('/').next().unwrap_or(value);
    if let Some(inner) = unit.strip_suffix(')')
        && let Some(open) = inner.find('(')
        && open > 0
    {
        unit = &unit[..open];
    }
    for word in &catalogue.common.unit_line_words {
        unit = unit.strip_prefix(word.as_str()).unwrap_or(unit);
        unit = unit.strip_suffix(word.as_str()).unwrap_or(unit);
    }
    scale_entry(catalogue, unit)
}

fn report_row_numbers(grid: &Grid, row: u32, reason: &str, out: &mut Extraction) {
    for col in grid.cols() {
        if let Cell::Number(f) = grid.cell(row, col) {
            out.unmapped.push(Unmapped {
                row,
                col,
                value: format!("{f}"),
                reason: reason.into(),
            });
        }
    }
}

fn report_all_numbers(grid: &Grid, from: u32, reason: &str, out: &mut Extraction) {
    for row in from..=grid.last_row {
        report_row_numbers(grid, row, reason, out);
    }
}

/// The note under a table (`注：…`), when a row starts with a note prefix.
fn note_of(grid: &Grid, row: u32, catalogue: &Catalogue) -> Option<String> {
    let (_, first) = grid.row_texts(row).next()?;
    let reading = &catalogue.common.reading;
    let trimmed = first.trim_start();
    reading
        .note_prefixes
        .iter()
        .any(|p| trimmed.starts_with(p.as_str()))
        .then(|| normalise(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unit lines as offices write them, each with the unit it states.
    #[test]
    fn unit_lines_dressed_in_words_state_their_unit() {
        let catalogue = Catalogue::builtin().expect("specs");
        let unit = |text: &str| unit_line_scale(&catalogue, &normalise(text)).map(|(n, _)| n);
        for text in [
            "单位：万元",
            "金额单位：人民币万元",
            "（单位：万元）",
            "单位：万元（人民币）",
            "货币单位：万元",
            "单位：万元/人、辆",
            "单位:万元(保留两位小数)",
        ] {
            assert_eq!(unit(text), Some("万元"), "{text}");
        }
        assert_eq!(unit("单位：元（精确到角分）"), Some("元"));
        assert_eq!(unit("单位：攀枝花市城市管理行政执法局"), None);
        assert_eq!(unit("项目(单位:万元)"), None, "a heading, not a line");
        let ending = |text: &str| trailing_unit_line(&catalogue, &normalise(text)).map(|(n, _)| n);
        assert_eq!(ending("项目（单位：万元）"), Some("万元"));
        assert_eq!(
            ending("财政拨款“三公”经费支出决算表（单位：万元）"),
            Some("万元")
        );
        assert_eq!(ending("因公出国（境）费"), None);
    }
}
