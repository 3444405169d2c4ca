//! Recognise stage: which tables a sheet holds, and which form each is.
//!
//! A sheet may hold several tables, one under another (三公 over 政府性基金,
//! or a whole nine-table report after a PDF-to-Excel conversion) or side by
//! side: each title row starts a table. A title is matched as a whole
//! title, the most specific form first: `“三公”经费及机关运行经费支出决算表`
//! is the 三公 table, not 支出决算表, and `项目支出决算表` is a table not in
//! the catalogue (its figures are reported, never read as another form's).
//! Titles come first because the 财决 numbering shifts between years (the
//! same table was 财决05-1 one year and 财决08-1 another); the sheet name
//! (often cut at 31 characters) next, and the form code last.

use calamine::Dimensions;

use crate::ingest::grid::{Cell, Grid};
use crate::ingest::read::Sheet;
use crate::spec::{Catalogue, Form};
use crate::text::{label_key, normalise};

/// How a table was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecognisedBy {
    Title,
    SheetName,
    Code,
}

impl RecognisedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            RecognisedBy::Title => "title",
            RecognisedBy::SheetName => "sheet name",
            RecognisedBy::Code => "form code",
        }
    }
}

/// One table of a sheet: the sheet's cells within its rows and columns.
pub struct Table<'s, 'a> {
    pub sheet: &'s str,
    pub grid: Grid<'a>,
    /// The sheet's merged regions; `None` when the file does not say.
    pub merges: Option<&'s [Dimensions]>,
}

/// What a table is.
pub enum TableKind<'c> {
    Form {
        form: &'c Form,
        by: RecognisedBy,
    },
    /// Titled as a table the catalogue does not have (`项目支出决算表`).
    Foreign {
        title: String,
    },
    Unknown,
}

/// A table found on a sheet.
pub struct FoundTable<'s, 'a, 'c> {
    pub table: Table<'s, 'a>,
    pub kind: TableKind<'c>,
    /// Its title's cell, when the sheet holds several tables.
    pub title_cell: Option<(u32, u32)>,
}

pub enum SheetKind<'s, 'a, 'c> {
    /// One table or several, each recognised on its own.
    Tables(Vec<FoundTable<'s, 'a, 'c>>),
    Cover,
    Empty,
}

/// Rows scanned for the title of a sheet's one table: titles sit above the
/// header, which starts within the first dozen rows in every export seen.
const TITLE_ROWS: u32 = 12;
/// Five CJK characters in UTF-8: no form title is shorter.
const MIN_TITLE_BYTES: usize = 15;
/// A title row has its title and at most a unit line or code beside it.
const TITLE_ROW_CELLS: usize = 3;
/// Cover field labels sit in the leftmost columns of the first rows.
const COVER_ROWS: u32 = 40;
const COVER_COLS: u32 = 3;

pub fn recognise<'s, 'a, 'c>(
    sheet: &'s Sheet<'a>,
    catalogue: &'c Catalogue,
) -> SheetKind<'s, 'a, 'c> {
    recognise_with(sheet, catalogue, &mut TitleMemo::default())
}

/// How a text reads as a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TitleMatch {
    /// A form's title: its alias's length and the form's index.
    Form(usize, usize),
    /// A title that names a table the catalogue does not have.
    Foreign,
}

/// The title found in each text seen, by the text as written: a table's
/// title comes back in every workbook, and the unit line above it in every
/// sheet of a workbook. Good for one catalogue.
#[derive(Default)]
pub struct TitleMemo {
    found: foldhash::HashMap<Box<str>, Option<TitleMatch>>,
}

/// Texts remembered before starting afresh.
const TITLES_KEPT: usize = 1 << 14;

impl TitleMemo {
    fn title_in(&mut self, catalogue: &Catalogue, text: &str) -> Option<TitleMatch> {
        if let Some(&found) = self.found.get(text) {
            return found;
        }
        let found = whole_title(catalogue, &label_key(text));
        if self.found.len() >= TITLES_KEPT {
            self.found.clear();
        }
        self.found.insert(text.into(), found);
        found
    }
}

/// [`recognise`], with the titles of earlier sheets remembered.
pub fn recognise_with<'s, 'a, 'c>(
    sheet: &'s Sheet<'a>,
    catalogue: &'c Catalogue,
    memo: &mut TitleMemo,
) -> SheetKind<'s, 'a, 'c> {
    let Some(grid) = &sheet.grid else {
        return SheetKind::Empty;
    };
    let name = normalise(sheet.name);
    if catalogue.cover.sheet_names.contains(&name) {
        return SheetKind::Cover;
    }
    let titles = titles(grid, catalogue, memo);
    let table = |grid: Grid<'a>| Table {
        sheet: sheet.name,
        grid,
        merges: sheet.merges.as_deref(),
    };
    if titles.len() >= 2 {
        let tables = regions(grid, &titles)
            .into_iter()
            .filter_map(|(rows, cols, title)| {
                Some(FoundTable {
                    table: table(grid.window(rows, cols)?),
                    kind: kind_of(catalogue, title),
                    title_cell: Some((title.row, title.col)),
                })
            })
            .collect();
        return SheetKind::Tables(tables);
    }
    let kind = match titles.first() {
        Some(title) => kind_of(catalogue, title),
        None => match memo.title_in(catalogue, sheet.name) {
            Some(TitleMatch::Form(_, form)) => TableKind::Form {
                form: &catalogue.forms[form],
                by: RecognisedBy::SheetName,
            },
            _ if has_cover_fields(grid, catalogue) => return SheetKind::Cover,
            // A sheet named after a table the catalogue does not have
            // (`Z05 支出决算明细表(财决05表)`): its code was another form's in
            // some year, so the code does not say which form it is.
            _ if names_a_table(catalogue, &name) => TableKind::Foreign {
                title: sheet.name.to_string(),
            },
            _ => match form_code(catalogue, grid, &name) {
                Some(form) => TableKind::Form {
                    form,
                    by: RecognisedBy::Code,
                },
                None => TableKind::Unknown,
            },
        },
    };
    SheetKind::Tables(vec![FoundTable {
        table: table(grid.clone()),
        kind,
        title_cell: None,
    }])
}

fn kind_of<'c>(catalogue: &'c Catalogue, title: &Title) -> TableKind<'c> {
    match title.found {
        TitleMatch::Form(_, form) => TableKind::Form {
            form: &catalogue.forms[form],
            by: RecognisedBy::Title,
        },
        TitleMatch::Foreign => TableKind::Foreign {
            title: title.text.to_string(),
        },
    }
}

/// A title found on a sheet.
#[derive(Clone, Copy)]
struct Title<'a> {
    row: u32,
    col: u32,
    found: TitleMatch,
    text: &'a str,
}

/// The title cells of a sheet, in reading order: texts that read as a
/// whole title ([`whole_title`]) in rows with no figure and few cells. A
/// title starts a table of its own only when a body (a row of figures or
/// of three headings or more) lies between it and the title before, or when
/// it stands beside that title in the same row; otherwise the last title
/// before the body names the table (a contents list of titles above a
/// table is not its title).
fn titles<'a>(grid: &Grid<'a>, catalogue: &Catalogue, memo: &mut TitleMemo) -> Vec<Title<'a>> {
    let mut found: Vec<Title<'a>> = Vec::new();
    let mut body_since_last = false;
    for row in grid.rows() {
        let mut cells = 0;
        let mut has_number = false;
        for cell in grid.row_cells(row) {
            match cell {
                Cell::Empty => {}
                Cell::Number(_) => has_number = true,
                _ => cells += 1,
            }
        }
        // A sheet's first rows, before any title: a title may share its
        // row with headings.
        let top = row <= grid.first_row + TITLE_ROWS && found.is_empty();
        // Few cells and no number: the row may hold a title, or a figure
        // written as text (an HTML page's table holds nothing else).
        let mut candidates = Vec::new();
        if !has_number && (cells <= TITLE_ROW_CELLS || top) {
            for (col, text) in grid.row_texts(row) {
                if text.len() >= MIN_TITLE_BYTES {
                    candidates.push((col, text));
                } else if Cell::Text(text).is_figure(&catalogue.nothing) {
                    has_number = true;
                }
            }
        }
        if has_number || (cells > TITLE_ROW_CELLS && !top) {
            body_since_last |= has_number || cells >= 3;
            continue;
        }
        for (col, text) in candidates {
            let Some(title) = memo.title_in(catalogue, text) else {
                continue;
            };
            let title = Title {
                row,
                col,
                found: title,
                text,
            };
            match found.last_mut() {
                // Titles with no body between: a contents list, or a title
                // over a title; the one right above the body names it.
                Some(last) if !body_since_last && last.row != row => *last = title,
                Some(last) if last.row == row && last.found == title.found => {}
                _ => found.push(title),
            }
            body_since_last = false;
        }
        if cells >= 3 && !found.is_empty() {
            body_since_last = true;
        }
    }
    found
}

/// A table's (first, last) rows and (first, last) columns, and its title.
type Region<'t, 'a> = ((u32, u32), (u32, u32), &'t Title<'a>);

/// The rows and columns of each table, from its titles: a table runs from
/// its title row to the row before the next title row (the first from the
/// sheet's first row, so that lines above it are its own); titles side by
/// side in one row split the columns.
fn regions<'t, 'a>(grid: &Grid, titles: &'t [Title<'a>]) -> Vec<Region<'t, 'a>> {
    let mut regions = Vec::new();
    let title_rows: Vec<u32> = {
        let mut rows: Vec<u32> = titles.iter().map(|t| t.row).collect();
        rows.dedup();
        rows
    };
    for (i, &row) in title_rows.iter().enumerate() {
        let first = if i == 0 { grid.first_row } else { row };
        let last = title_rows
            .get(i + 1)
            .map_or(grid.last_row, |&next| next - 1);
        let beside: Vec<&Title> = titles.iter().filter(|t| t.row == row).collect();
        for (j, title) in beside.iter().enumerate() {
            let from = if j == 0 { grid.first_col } else { title.col };
            let to = beside.get(j + 1).map_or(grid.last_col, |next| next.col - 1);
            regions.push(((first, last), (from, to), *title));
        }
    }
    regions
}

/// How a text (a label key) reads as a title: the longest alias of a form's
/// title it ends with (before a bracketed code or a unit line), or that it
/// holds with a joined phrase inserted (`三公经费` `及机关运行经费`
/// `支出决算表`), whose words before it name no other table. A title all of
/// whose matches have such words before them (`项目支出决算表`) is
/// [`TitleMatch::Foreign`].
fn whole_title(catalogue: &Catalogue, key: &str) -> Option<TitleMatch> {
    let reading = &catalogue.common.reading;
    let body = title_body(key, catalogue);
    // Where a joining word starts a phrase inside the title: seldom.
    let joins: Vec<usize> = reading
        .title_joiners
        .iter()
        .flat_map(|j| body.match_indices(j.as_str()).map(|(at, _)| at))
        .collect();
    // (alias length, contiguous, form index) of the best match whose words
    // before it name no other table; whether any match had such words.
    let mut best: Option<(usize, bool, usize)> = None;
    let mut foreign = false;
    for (index, form) in catalogue.forms.iter().enumerate() {
        for alias in &form.title_keys {
            let Some((start, contiguous)) = alias_at_end(body, alias, &joins) else {
                continue;
            };
            let before = &body[..start];
            if reading
                .foreign_title_words
                .iter()
                .any(|w| before.ends_with(w.as_str()))
            {
                foreign = true;
                continue;
            }
            let better = best.is_none_or(|(len, cont, _)| {
                alias.len() > len || (alias.len() == len && contiguous && !cont)
            });
            if better {
                best = Some((alias.len(), contiguous, index));
            }
        }
    }
    match best {
        Some((len, _, index)) => Some(TitleMatch::Form(len, index)),
        None => foreign.then_some(TitleMatch::Foreign),
    }
}

/// A title's key without what may follow the table's name: bracketed
/// codes or notes (`(公开07表)`, `(续)`), one left open where Excel cut a
/// sheet's name at 31 characters (`…决算明细表(财决05-`), and a unit line.
fn title_body<'k>(key: &'k str, catalogue: &Catalogue) -> &'k str {
    let mut body = key;
    loop {
        let before = body.len();
        if let Some(inner) = body.strip_suffix(')')
            && let Some((rest, _)) = inner.rsplit_once('(')
        {
            body = rest;
        } else if let Some(open) = body.rfind('(')
            && !body[open..].contains(')')
        {
            body = &body[..open];
        }
        for prefix in &catalogue.common.unit_line_prefixes {
            if let Some(at) = body.rfind(':')
                && body[..at].ends_with(prefix.as_str())
            {
                body = &body[..at - prefix.len()];
            }
        }
        if body.len() == before {
            return body;
        }
    }
}

/// Where `alias` starts in `body` when `body` ends with it, or ends with
/// its second part after its first part and a phrase that starts with a
/// joining word (at one of `joins`: `及机关运行经费`) — `true` when
/// contiguous.
fn alias_at_end(body: &str, alias: &str, joins: &[usize]) -> Option<(usize, bool)> {
    if body.ends_with(alias) {
        return Some((body.len() - alias.len(), true));
    }
    for &at in joins {
        let (before, gap_and_tail) = body.split_at(at);
        // Split points between characters, each part at least two long.
        for (split, _) in alias.char_indices().skip(2) {
            let (head, tail) = alias.split_at(split);
            if tail.chars().count() >= 2
                && before.ends_with(head)
                && gap_and_tail.len() > tail.len()
                && gap_and_tail.ends_with(tail)
            {
                return Some((at - head.len(), false));
            }
        }
    }
    None
}

/// Whether a (normalised) sheet name names a table by its title, not by a
/// code alone: what is left without a leading code (`Z05_1`), bracketed
/// notes and form numbers is at least five characters, none a digit, and
/// ends with 表.
fn names_a_table(catalogue: &Catalogue, name: &str) -> bool {
    let key = label_key(name);
    let body = title_body(&key, catalogue);
    let body = body.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    body.chars().count() >= 5 && body.ends_with('表') && !body.chars().any(|c| c.is_ascii_digit())
}

/// The form whose code alias is the longest one in the sheet name or the
/// texts above the first figure.
fn form_code<'c>(catalogue: &'c Catalogue, grid: &Grid, name: &str) -> Option<&'c Form> {
    let mut texts = vec![name.to_string()];
    'rows: for row in grid.first_row..=grid.last_row.min(grid.first_row + TITLE_ROWS) {
        for col in grid.cols() {
            match grid.cell(row, col) {
                Cell::Text(t) if t.len() >= MIN_TITLE_BYTES => texts.push(label_key(t)),
                Cell::Number(_) => break 'rows,
                _ => {}
            }
        }
    }
    let mut best: Option<(usize, &Form)> = None;
    for text in &texts {
        for form in &catalogue.forms {
            for code in &form.code_keys {
                if text.contains(code.as_str()) && best.is_none_or(|(len, _)| code.len() > len) {
                    best = Some((code.len(), form));
                }
            }
        }
    }
    best.map(|(_, form)| form)
}

/// A cover by content: several identity field labels (`单位名称`, `单位代码` …).
fn has_cover_fields(grid: &Grid, catalogue: &Catalogue) -> bool {
    let labels: Vec<&String> = catalogue.cover.fields.values().flatten().collect();
    let mut found = std::collections::BTreeSet::new();
    for row in grid.first_row..=grid.last_row.min(grid.first_row + COVER_ROWS) {
        for col in grid.first_col..=grid.last_col.min(grid.first_col + COVER_COLS - 1) {
            let Some(text) = grid.text(row, col) else {
                continue;
            };
            let t = normalise(text);
            let head = t.split(':').next().unwrap_or("");
            if let Some(l) = labels.iter().find(|l| head == l.as_str()) {
                found.insert(*l);
            }
        }
    }
    found.len() >= catalogue.cover.min_fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(text: &str) -> Option<String> {
        let catalogue = Catalogue::builtin().expect("specs");
        whole_title(&catalogue, &label_key(text)).map(|m| match m {
            TitleMatch::Form(_, i) => catalogue.forms[i].spec.key.clone(),
            TitleMatch::Foreign => "foreign".into(),
        })
    }

    #[test]
    fn titles_are_matched_whole_the_most_specific_form_first() {
        let cases = [
            ("收入支出决算总表", "income_expenditure_total"),
            ("财政拨款收入支出决算总表", "fiscal_total"),
            (
                "攀枝花市城市管理行政执法局2023年度支出决算表",
                "expenditure",
            ),
            ("收入支出决算总表（公开01表）", "income_expenditure_total"),
            ("XX局2023年度“三公”经费及机关运行经费支出决算表", "sangong"),
            ("财政拨款“三公”经费支出决算表", "sangong"),
            ("一般公共预算财政拨款基本支出决算表", "gpb_basic_detail"),
            ("一般公共预算财政拨款支出决算表", "gpb_expenditure"),
            ("国有资本经营预算财政拨款支出决算表", "soe_capital"),
            ("项目支出决算表", "foreign"),
            ("XX局2023年度项目支出决算表", "foreign"),
            ("财政拨款支出决算表", "foreign"),
            ("政府采购支出决算表", "foreign"),
            (
                "米易县城市管理局2023年度一般公共预算财政拨款“三公”经费及机关运行经费支出决算表",
                "sangong",
            ),
            ("一般公共预算财政拨款项目支出决算表", "foreign"),
        ];
        for (text, expected) in cases {
            assert_eq!(title(text).as_deref(), Some(expected), "{text}");
        }
        for text in [
            "机关事业单位基本养老保险缴费支出",
            "注：本单位无政府性基金预算财政拨款收入",
        ] {
            assert_eq!(title(text), None, "{text}");
        }
    }
}
