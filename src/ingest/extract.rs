//! Extract stage: a recognised sheet → facts. The header is found wherever it
//! is, its rows joined into one path per column (merged cells spread to the
//! columns they cover), columns given roles (label, code, 行次, value), the
//! table cut into side-by-side panels, and every value cell mapped to a
//! canonical (item, column, subject code) through the form spec — or reported.

use rust_decimal::Decimal;
use std::borrow::Cow;
use std::sync::Arc;

use crate::ingest::amount::{CellAmount, decimal_from_f64, parse_text_amount};
use crate::ingest::grid::{Cell, Grid};
use crate::ingest::read::Sheet;
use crate::spec::{Catalogue, Form, best_match};
use crate::text::{
    Text, dropped_by_normalise, find_year, intern, intern_label, label_key, label_key_into,
    normalise, normalise_into, to_half_width,
};

/// One figure read from a sheet, before the workbook's identity and unit of
/// money are known.
#[derive(Debug, Clone)]
pub struct SheetFact {
    pub item: Text,
    pub column: Text,
    pub subject_code: Option<Text>,
    /// The figure as written (in the sheet's unit of money for money items).
    pub written: Decimal,
    /// `None` for money; the count unit (`人`, `辆`) otherwise.
    pub count_unit: Option<Text>,
    pub row: u32,
    pub col: u32,
    pub label: Text,
    pub header: Text,
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

/// A unit of money stated on the sheet (`单位：万元`).
#[derive(Debug, Clone)]
pub struct StatedScale {
    pub name: String,
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

#[derive(Debug, Default)]
pub struct Extraction {
    pub facts: Vec<SheetFact>,
    pub unmapped: Vec<Unmapped>,
    pub problems: Vec<SheetProblem>,
    pub hints: SheetHints,
    /// The note under a table that says it has no data (`注：本单位无…`).
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Label,
    Code,
    SplitCode(usize),
    LineNo,
    Text,
    Value,
}

/// A side-by-side panel of the table as found in the sheet.
#[derive(Clone)]
struct TablePanel {
    label_cols: Vec<u32>,
    code_col: Option<u32>,
    split_cols: [Option<u32>; 3],
    line_col: Option<u32>,
    value_cols: Vec<u32>,
    /// Spec panel the rows are currently matched against.
    spec_panel: usize,
    /// The section line last seen (`年初财政拨款结转和结余`), for `within` items.
    section: Option<String>,
    /// 类 and 款 carried down when split code columns leave them blank.
    code_carry: [Option<Text>; 2],
}

/// Header rows are at most this many (1–4 seen in real exports, plus 栏次).
const MAX_HEADER_ROWS: usize = 5;

/// What earlier sheets taught about their headers' layouts and matching
/// header paths to a form's columns and header-named items: the same
/// headings come back in workbook after workbook. Good for one catalogue
/// (forms are told apart by address); ingest keeps one per worker.
#[derive(Default)]
pub struct Memo {
    best: foldhash::HashMap<MemoKey, (Vec<String>, Option<usize>)>,
    /// Header layouts by the signature of their cells ([`Memo::layout`]).
    layouts: foldhash::HashMap<Box<[u8]>, Arc<Layout>>,
    /// The signature of the sheet at hand, built here to look it up
    /// without allocating.
    signature: Vec<u8>,
}

/// A sheet's header worked out: what the columns are called, numbered and
/// used for, and the side-by-side panels they make. Each workbook of a
/// batch has the same dozen tables laid out alike, so it is worked out once
/// per layout rather than once per sheet.
struct Layout {
    /// Per column, its header path (header rows' label keys, top down).
    paths: Vec<Vec<String>>,
    /// Per column, its 栏次.
    col_nos: Vec<Option<u32>>,
    /// Per column, the heading kept with a value column's facts.
    headers: Vec<Text>,
    /// The panels, before any row is read.
    panels: Vec<TablePanel>,
}

/// Form address, spec panel, header items or columns, hash of the path.
type MemoKey = (usize, usize, bool, u64);

/// Header paths remembered before starting afresh.
const MEMO_KEPT: usize = 1 << 14;

impl Memo {
    /// `compute()` (a `best_match` over `path` for spec panel `sp` of
    /// `form`), remembered.
    fn best_match(
        &mut self,
        form: &Form,
        sp: usize,
        header_items: bool,
        path: &[String],
        compute: impl FnOnce() -> Option<usize>,
    ) -> Option<usize> {
        use std::hash::BuildHasher;
        let key = (
            form as *const Form as usize,
            sp,
            header_items,
            foldhash::fast::FixedState::default().hash_one(path),
        );
        if let Some((known, found)) = self.best.get(&key)
            && known.as_slice() == path
        {
            return *found;
        }
        let found = compute();
        if self.best.len() >= MEMO_KEPT {
            self.best.clear();
        }
        self.best.insert(key, (path.to_vec(), found));
        found
    }

    /// How many header layouts are remembered.
    pub fn layouts_known(&self) -> usize {
        self.layouts.len()
    }

    /// The layout of `sheet`'s header (its `header_rows` and 栏次 row, for
    /// `form`), worked out by `work_out` unless a sheet with the same header
    /// cells came before. The signature holds everything the layout is
    /// made from: the form, the columns spanned, the header rows' cells and
    /// the merged regions with the text at their origin.
    fn layout(
        &mut self,
        form: &Form,
        sheet: &Sheet,
        grid: &Grid,
        header_rows: &[u32],
        col_no_row: Option<u32>,
        work_out: impl FnOnce() -> Layout,
    ) -> Arc<Layout> {
        let signature = &mut self.signature;
        signature.clear();
        signature.extend_from_slice(&(form as *const Form as usize).to_le_bytes());
        for n in [grid.first_col, grid.last_col] {
            signature.extend_from_slice(&n.to_le_bytes());
        }
        let cell = |signature: &mut Vec<u8>, c: Cell| match c {
            Cell::Empty => signature.push(0),
            Cell::Text(t) => {
                signature.push(1);
                signature.extend_from_slice(t.as_bytes());
                // Never a byte of UTF-8: ends the text.
                signature.push(0xFF);
            }
            Cell::Number(f) => {
                signature.push(2);
                signature.extend_from_slice(&f.to_bits().to_le_bytes());
            }
            Cell::Invalid => signature.push(3),
        };
        for &row in header_rows.iter().chain(&col_no_row) {
            signature.extend_from_slice(&row.to_le_bytes());
            for col in grid.cols() {
                cell(signature, grid.cell(row, col));
            }
        }
        for m in &sheet.merges {
            for n in [m.start.0, m.start.1, m.end.0, m.end.1] {
                signature.extend_from_slice(&n.to_le_bytes());
            }
            cell(signature, grid.cell(m.start.0, m.start.1));
        }
        if let Some(known) = self.layouts.get(signature.as_slice()) {
            return Arc::clone(known);
        }
        let layout = Arc::new(work_out());
        if self.layouts.len() >= MEMO_KEPT {
            self.layouts.clear();
        }
        self.layouts
            .insert(signature.as_slice().into(), Arc::clone(&layout));
        layout
    }
}

pub fn extract(sheet: &Sheet, form: &Form, catalogue: &Catalogue) -> Extraction {
    extract_with(sheet, form, catalogue, &mut Memo::default())
}

/// [`extract`], with what earlier sheets of the same catalogue taught.
pub fn extract_with(
    sheet: &Sheet,
    form: &Form,
    catalogue: &Catalogue,
    memo: &mut Memo,
) -> Extraction {
    let mut out = Extraction::default();
    let Some(grid) = &sheet.grid else {
        return out;
    };
    let reading = &catalogue.common.reading;
    let header_items = form.panels.iter().any(|p| p.header_items);

    // 1. Above the header: title, unit of money, unit name, year.
    let mut header_start = None;
    let mut scratch = [String::new(), String::new()];
    for row in grid.rows() {
        let mut plain = 0;
        let mut numbers = 0;
        for col in grid.cols() {
            let cell = grid.cell(row, col);
            if is_figure(cell, catalogue) {
                numbers += 1;
                continue;
            }
            if let Cell::Text(t) = cell
                && !read_top_text(
                    t,
                    (row, col),
                    grid,
                    form,
                    catalogue,
                    &mut out.hints,
                    &mut scratch,
                )
            {
                plain += 1;
            }
        }
        if numbers > 0 && plain > 0 {
            break;
        }
        if plain >= 2 {
            header_start = Some(row);
            break;
        }
    }
    let Some(header_start) = header_start else {
        out.problems.push(SheetProblem {
            cell: None,
            message:
                "no header row found (expected a row of column headings such as 项目 / 决算数)"
                    .into(),
        });
        report_all_numbers(grid, grid.first_row, "table has no header", &mut out);
        return out;
    };

    // 2. Header rows, and the 栏次 row if any, and the layout they make.
    let mut header_rows = Vec::new();
    let mut col_no_row = None;
    let mut row = header_start;
    while row <= grid.last_row
        && header_rows.len() + usize::from(col_no_row.is_some()) < MAX_HEADER_ROWS
    {
        if is_col_no_row(grid, row, catalogue) {
            col_no_row = Some(row);
            out.hints.numbered = true;
            row += 1;
            break;
        }
        let has_number = grid.cols().any(|c| is_figure(grid.cell(row, c), catalogue));
        if has_number
            || (!header_items && !header_rows.is_empty() && row_names_item(grid, row, form))
        {
            break;
        }
        header_rows.push(row);
        row += 1;
    }
    let body_start = row;
    let layout = memo.layout(form, sheet, grid, &header_rows, col_no_row, || {
        work_out_layout(grid, sheet, form, catalogue, &header_rows, col_no_row)
    });
    if layout.panels.iter().any(|p| p.line_col.is_some()) {
        out.hints.numbered = true;
    }
    let Layout {
        paths,
        col_nos,
        headers,
        ..
    } = &*layout;
    let mut panels = layout.panels.clone();

    // 3. Body rows.
    let mut matches = ColumnMatches::new(form, paths.len(), memo);
    let value_cols: usize = panels.iter().map(|p| p.value_cols.len()).sum();
    let body_rows = (grid.last_row + 1).saturating_sub(body_start) as usize;
    out.facts.reserve((value_cols * body_rows).min(1 << 16));
    for row in body_start..=grid.last_row {
        if let Some((_, first)) = grid.row_texts(row).next() {
            let trimmed = first.trim_start();
            if reading
                .note_prefixes
                .iter()
                .any(|p| trimmed.starts_with(p.as_str()))
            {
                let first = normalise(first);
                if reading
                    .empty_note_words
                    .iter()
                    .any(|w| first.contains(w.as_str()))
                {
                    out.note.get_or_insert_with(|| first.clone());
                }
                report_row_numbers(grid, row, "number in a note line under the table", &mut out);
                continue;
            }
        }
        for panel in panels.iter_mut() {
            read_panel_row(
                grid,
                row,
                panel,
                form,
                catalogue,
                paths,
                headers,
                col_nos,
                &mut matches,
                &mut out,
            );
        }
    }
    out
}

/// Works out the [`Layout`] of a sheet's header: paths, 栏次, roles,
/// headings and panels.
fn work_out_layout(
    grid: &Grid,
    sheet: &Sheet,
    form: &Form,
    catalogue: &Catalogue,
    header_rows: &[u32],
    col_no_row: Option<u32>,
) -> Layout {
    let paths = header_paths(grid, sheet, header_rows);
    let col_nos: Vec<Option<u32>> = grid
        .cols()
        .map(|c| {
            col_no_row.and_then(|r| match grid.cell(r, c) {
                Cell::Number(f) if f >= 1.0 && f.fract() == 0.0 => Some(f as u32),
                Cell::Text(t) => normalise(t).parse().ok(),
                _ => None,
            })
        })
        .collect();
    let roles: Vec<Role> = paths.iter().map(|p| role_of(p, catalogue)).collect();
    // Headers are kept with the facts, so only value columns need theirs.
    let headers: Vec<Text> = paths
        .iter()
        .zip(&roles)
        .map(|(p, role)| match role {
            Role::Value => intern(&p.join("/")),
            _ => "",
        })
        .collect();
    let col_index = |c: u32| (c - grid.first_col) as usize;
    // Panels: a label, code or 行次 column after value columns starts the next.
    let mut panels: Vec<TablePanel> = Vec::new();
    for col in grid.cols() {
        let role = roles[col_index(col)];
        let starts_panel = match role {
            Role::Label | Role::Code | Role::SplitCode(_) => {
                panels.last().is_none_or(|p| !p.value_cols.is_empty())
            }
            Role::LineNo => panels
                .last()
                .is_none_or(|p| !p.value_cols.is_empty() && p.line_col.is_some()),
            Role::Value => panels.is_empty(),
            Role::Text => false,
        };
        if starts_panel {
            let index = panels.len().min(form.panels.len() - 1);
            panels.push(TablePanel {
                label_cols: Vec::new(),
                code_col: None,
                split_cols: [None; 3],
                line_col: None,
                value_cols: Vec::new(),
                spec_panel: index,
                section: None,
                code_carry: [None, None],
            });
        }
        let Some(panel) = panels.last_mut() else {
            continue;
        };
        match role {
            Role::Label => panel.label_cols.push(col),
            Role::Code => panel.code_col = Some(col),
            Role::SplitCode(level) => panel.split_cols[level] = Some(col),
            Role::LineNo => panel.line_col = Some(col),
            Role::Value => panel.value_cols.push(col),
            Role::Text => {}
        }
    }

    Layout {
        paths,
        col_nos,
        headers,
        panels,
    }
}

/// Reads one cell above the header. Returns true when the text was a title,
/// unit line, identity line or year (so not a column heading).
#[allow(clippy::too_many_arguments)]
fn read_top_text(
    text: &str,
    cell: (u32, u32),
    grid: &Grid,
    form: &Form,
    catalogue: &Catalogue,
    hints: &mut SheetHints,
    [key, token]: &mut [String; 2],
) -> bool {
    label_key_into(text, key);
    let key = key.as_str();
    let mut consumed = false;
    // A title: contains the form's title, possibly after the unit name and year.
    if let Some(title) = form.title_keys.iter().find(|t| key.contains(t.as_str())) {
        consumed = true;
        if let Some(year) = find_year(key) {
            hints.years.push((year, cell));
            let marker = catalogue.common.identity.title_year_pattern.as_str();
            let before_year: String = key
                .split(&year.to_string())
                .next()
                .unwrap_or("")
                .to_string();
            let name = before_year.trim_end_matches(marker).to_string();
            if name.chars().count() >= 2 && !name.contains(title.as_str()) {
                hints.unit_names.push((name, cell));
            }
        }
        return consumed;
    }
    // Without a colon or a digit (most headings), no tokens are joined and
    // none is a year: only a bare unit of money is left to find.
    if !text
        .chars()
        .any(|c| matches!(c, ':' | '：' | '0'..='9' | '０'..='９'))
    {
        for raw in text
            .split(|c: char| c.is_whitespace())
            .filter(|t| !t.is_empty())
        {
            token.clear();
            normalise_into(raw, token);
            if catalogue
                .common
                .unit_line_prefixes
                .iter()
                .any(|p| p == token)
                && let Some(factor) = scale_named(catalogue, "")
            {
                hints.scale = Some(StatedScale {
                    name: String::new(),
                    factor,
                    cell,
                });
                consumed = true;
                continue;
            }
            if hints.scale.is_none()
                && let Some(factor) = scale_named(catalogue, token)
            {
                hints.scale = Some(StatedScale {
                    name: token.clone(),
                    factor,
                    cell,
                });
                consumed = true;
            }
        }
        return consumed;
    }
    // `编制单位：XX    单位：元` may share one cell: split on whitespace runs.
    let mut tokens: Vec<String> = Vec::new();
    for raw in text
        .split(|c: char| c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        let token = normalise(raw);
        match tokens.last_mut() {
            Some(last)
                if last.ends_with(':')
                    || !token.contains(':')
                        && last.contains(':')
                        && !is_prefix_token(&token, catalogue) =>
            {
                last.push_str(&token)
            }
            _ => tokens.push(token),
        }
    }
    for token in tokens {
        let (head, value) = match token.split_once(':') {
            Some((h, v)) => (h, Cow::Borrowed(v)),
            None => (token.as_str(), Cow::Borrowed("")),
        };
        let value = if value.is_empty() && token.ends_with(':') {
            Cow::Owned(next_text_right(grid, cell).unwrap_or_default())
        } else {
            value
        };
        if catalogue
            .common
            .unit_line_prefixes
            .iter()
            .any(|p| p == head)
            && let Some(factor) = scale_named(catalogue, &value)
        {
            hints.scale = Some(StatedScale {
                name: value.into_owned(),
                factor,
                cell,
            });
            consumed = true;
            continue;
        }
        if catalogue
            .common
            .identity
            .unit_line_prefixes
            .iter()
            .any(|p| p == head)
            && !value.is_empty()
        {
            hints.unit_names.push((value.into_owned(), cell));
            consumed = true;
            continue;
        }
        if token.contains(':') && value.is_empty() {
            consumed = true;
        }
        // A lone year (`2023年度`, `2023年`).
        if let Some(year) = find_year(&token) {
            let rest = token.replace(&year.to_string(), "");
            if rest.is_empty()
                || rest == "年"
                || rest == "年度"
                || rest.ends_with("决算")
                || rest.contains("年度")
            {
                hints.years.push((year, cell));
                consumed = true;
            }
        }
        // A bare unit of money in its own cell right after a `单位：` cell.
        if hints.scale.is_none()
            && let Some(factor) = scale_named(catalogue, &token)
        {
            hints.scale = Some(StatedScale {
                name: token.clone(),
                factor,
                cell,
            });
            consumed = true;
        }
    }
    consumed
}

/// [`Catalogue::scale_of`] for text that is normalised already.
fn scale_named(catalogue: &Catalogue, normalised: &str) -> Option<Decimal> {
    catalogue
        .scales
        .iter()
        .find(|(n, _)| n == normalised)
        .map(|(_, f)| *f)
}

fn is_prefix_token(token: &str, catalogue: &Catalogue) -> bool {
    let head = token.split(':').next().unwrap_or("");
    catalogue
        .common
        .unit_line_prefixes
        .iter()
        .chain(&catalogue.common.identity.unit_line_prefixes)
        .any(|p| *p == head)
}

fn next_text_right(grid: &Grid, (row, col): (u32, u32)) -> Option<String> {
    (col + 1..=grid.last_col).find_map(|c| grid.text(row, c).map(normalise))
}

/// A number, or text that reads as one (`1,234.00`, `（25）`): what tells a
/// data row from a heading row.
fn is_figure(cell: Cell, catalogue: &Catalogue) -> bool {
    match cell {
        Cell::Number(_) => true,
        // Only text that starts like a figure is worth parsing.
        Cell::Text(t) => {
            t.trim_start().chars().next().is_some_and(|c| {
                matches!(
                    c,
                    '0'..='9' | '０'..='９' | '(' | '（' | '-' | '－' | '−' | '+' | '.'
                )
            }) && matches!(
                parse_text_amount(t, &catalogue.nothing),
                CellAmount::Number(_)
            )
        }
        _ => false,
    }
}

/// The 栏次 row numbers the value columns: it holds the 栏次 marker, or only
/// small consecutive integers.
fn is_col_no_row(grid: &Grid, row: u32, catalogue: &Catalogue) -> bool {
    let markers = &catalogue.common.reading.col_no_markers;
    let mut ints = Vec::new();
    for col in grid.cols() {
        match grid.cell(row, col) {
            Cell::Text(t) => {
                let t = normalise(t);
                if markers.contains(&t) {
                    return true;
                }
                match t.parse::<u32>() {
                    Ok(n) => ints.push(n),
                    Err(_) if t == "—" || t == "-" || t == "行次" => {}
                    Err(_) => return false,
                }
            }
            Cell::Number(f) if f.fract() == 0.0 && (1.0..=200.0).contains(&f) => {
                ints.push(f as u32)
            }
            Cell::Number(_) | Cell::Invalid => return false,
            Cell::Empty => {}
        }
    }
    ints.len() >= 3 && ints.windows(2).all(|w| w[1] == w[0] + 1)
}

/// Whether a row starts with the label of a line item of the form (then it
/// is data, even when all its amounts are blank). Only the first text counts:
/// a sub-heading such as `合计` under `决算数` is not a line.
fn row_names_item(grid: &Grid, row: u32, form: &Form) -> bool {
    grid.row_texts(row).next().is_some_and(|(_, t)| {
        let key = label_key(t);
        form.panels.iter().any(|p| p.by_label.contains_key(&key))
    })
}

/// One path of heading texts per column, top to bottom. A merged heading
/// covers every column of its region; where merges are not known, an empty
/// heading cell above a sub-heading takes the heading to its left.
fn header_paths(grid: &Grid, sheet: &Sheet, header_rows: &[u32]) -> Vec<Vec<String>> {
    let mut paths = vec![Vec::new(); (grid.last_col - grid.first_col + 1) as usize];
    for (i, &row) in header_rows.iter().enumerate() {
        let lower = &header_rows[i + 1..];
        let mut carry: Option<&str> = None;
        for col in grid.cols() {
            let own = grid.text(row, col);
            let merged = sheet
                .merges
                .iter()
                .find(|m| m.contains(row, col))
                .and_then(|m| grid.text(m.start.0, m.start.1));
            let text = match (own, merged) {
                (Some(t), _) => {
                    carry = Some(t);
                    Some(t)
                }
                (None, Some(m)) => Some(m),
                (None, None) => {
                    let has_sub = lower.iter().any(|&r| grid.text(r, col).is_some());
                    if has_sub && sheet.merges.is_empty() {
                        carry
                    } else {
                        None
                    }
                }
            };
            if let Some(t) = text {
                let key = label_key(t);
                let path = &mut paths[(col - grid.first_col) as usize];
                if !key.is_empty() && path.last() != Some(&key) {
                    path.push(key);
                }
            }
        }
    }
    paths
}

fn role_of(path: &[String], catalogue: &Catalogue) -> Role {
    let reading = &catalogue.common.reading;
    let Some(bottom) = path.last() else {
        return Role::Value;
    };
    let is = |list: &[String]| list.iter().any(|h| h == bottom);
    if is(&reading.line_headers) {
        Role::LineNo
    } else if let Some(level) = reading.split_code_headers.iter().position(|h| h == bottom) {
        Role::SplitCode(level.min(2))
    } else if is(&reading.code_headers) || has(bottom, "编码") || has(bottom, "代码") {
        Role::Code
    } else if is(&reading.label_headers) || bottom.ends_with("名称") {
        Role::Label
    } else if is(&reading.text_headers) {
        Role::Text
    } else {
        Role::Value
    }
}

/// `text.contains(word)` for the short texts of a header, without setting
/// up a searcher.
fn has(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|w| w == word.as_bytes())
}

/// Digits of a code cell (`2080501`, `208`, `5` → `"5"`), interned, or `None`.
fn code_digits(cell: Cell) -> Option<Text> {
    // Codes are short: a longer run of digits is no code, and an odd text
    // is not copied to find that out.
    const MOST: usize = 20;
    let mut digits = [0u8; MOST];
    let mut len = 0;
    match cell {
        Cell::Number(f) if f >= 0.0 && f.fract() == 0.0 && f < 1e12 => {
            // `format!("{}", f as u64)`, without the formatting machinery.
            let mut n = f as u64;
            let mut at = MOST;
            loop {
                at -= 1;
                digits[at] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            digits.copy_within(at.., 0);
            len = MOST - at;
        }
        // The normalised text when it is digits only, without normalising
        // the many texts that are not.
        Cell::Text(t) => {
            for c in t.chars().map(to_half_width) {
                if c.is_ascii_digit() && len < MOST {
                    digits[len] = c as u8;
                    len += 1;
                } else if !dropped_by_normalise(c) {
                    return None;
                }
            }
        }
        _ => return None,
    }
    let digits = std::str::from_utf8(&digits[..len]).ok()?;
    (!digits.is_empty()).then(|| intern(digits))
}

/// What a (spec panel, sheet column) pair matches, worked out on the first
/// cell that needs it: every row of a column asks the same question.
struct ColumnMatches<'m> {
    memo: &'m mut Memo,
    ncols: usize,
    /// Spec column index per (spec panel, column).
    column: Vec<Option<Option<usize>>>,
    /// Header-named item per (spec panel, column), for `header_items` panels.
    item: Vec<Option<Option<usize>>>,
    /// The spec's item and column keys as interned, by spec panel and index.
    item_keys: Vec<Vec<Option<Text>>>,
    column_keys: Vec<Vec<Option<Text>>>,
}

impl<'m> ColumnMatches<'m> {
    fn new(form: &Form, ncols: usize, memo: &'m mut Memo) -> Self {
        let n = form.panels.len() * ncols;
        ColumnMatches {
            memo,
            ncols,
            column: vec![None; n],
            item: vec![None; n],
            item_keys: form
                .panels
                .iter()
                .map(|p| vec![None; p.items.len()])
                .collect(),
            column_keys: form
                .panels
                .iter()
                .map(|p| vec![None; p.columns.len()])
                .collect(),
        }
    }

    fn item_key(&mut self, form: &Form, (sp, i): (usize, usize)) -> Text {
        self.item_keys[sp][i].get_or_insert_with(|| intern(&form.panels[sp].items[i].key))
    }

    fn column_key(&mut self, form: &Form, sp: usize, ci: usize) -> Text {
        self.column_keys[sp][ci].get_or_insert_with(|| intern(&form.panels[sp].columns[ci].key))
    }
}

/// Whether `text`, once normalised, starts with an ASCII digit.
fn normalises_to_digit_start(text: &str) -> bool {
    text.chars()
        .map(to_half_width)
        .find(|&c| !dropped_by_normalise(c))
        .is_some_and(|c| c.is_ascii_digit())
}

#[allow(clippy::too_many_arguments)]
fn read_panel_row(
    grid: &Grid,
    row: u32,
    panel: &mut TablePanel,
    form: &Form,
    catalogue: &Catalogue,
    paths: &[Vec<String>],
    headers: &[Text],
    col_nos: &[Option<u32>],
    matches: &mut ColumnMatches<'_>,
    out: &mut Extraction,
) {
    let col_index = |c: u32| (c - grid.first_col) as usize;
    // Label text, and a code from the code column(s) or the label's head.
    let mut label: Option<Cow<str>> = panel
        .label_cols
        .iter()
        .find_map(|&c| grid.text(row, c).map(Cow::Borrowed));
    let mut code: Option<Text> = None;
    if let Some(c) = panel.code_col {
        match code_digits(grid.cell(row, c)) {
            Some(d) => code = Some(d),
            None => {
                if label.is_none() {
                    label = grid.text(row, c).map(Cow::Borrowed);
                }
            }
        }
    }
    if panel.split_cols.iter().any(Option::is_some) {
        let parts = panel
            .split_cols
            .map(|c| c.and_then(|c| code_digits(grid.cell(row, c))));
        if parts.iter().any(Option::is_some) {
            let class = parts[0].or(panel.code_carry[0]);
            let section = parts[1]
                .map(|p| intern(&format!("{p:0>2}")))
                .or_else(|| parts[2].and(panel.code_carry[1]));
            let mut joined = class.unwrap_or_default().to_string();
            if let Some(s) = section {
                joined.push_str(s);
                if let Some(i) = parts[2] {
                    joined.push_str(&format!("{i:0>2}"));
                }
            }
            panel.code_carry = [class, section];
            code = Some(intern(&joined));
        } else if label.is_none() {
            label = panel
                .split_cols
                .iter()
                .flatten()
                .find_map(|&c| grid.text(row, c).map(Cow::Borrowed));
        }
    }
    let spec_panel = &form.panels[panel.spec_panel];
    if code.is_none()
        && spec_panel.subjects.is_some()
        && let Some(text) = &label
        && normalises_to_digit_start(text)
    {
        let n = normalise(text);
        let digits: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.len() >= 3 {
            code = Some(intern(&digits));
            label = Some(Cow::Owned(n[digits.len()..].to_string()));
        }
    }
    let line = panel.line_col.and_then(|c| match grid.cell(row, c) {
        Cell::Number(f) if f.fract() == 0.0 && f >= 0.0 => Some(f as u32),
        Cell::Text(t) => normalise(t).parse().ok(),
        _ => None,
    });

    // The row's item.
    let mut item: Option<(usize, usize)> = None; // (spec panel, item index)
    let mut subject_code: Option<Text> = None;
    let mut unmapped_reason = String::new();
    if let (Some(kind), Some(c)) = (spec_panel.subjects, code) {
        if kind.accepts(c) {
            subject_code = Some(c);
        } else {
            unmapped_reason = format!("code {c} is not a valid {kind:?} subject code");
        }
    }
    let (label_text, label_key_text) = match label.as_deref() {
        Some(l) => {
            let (kept, key) = intern_label(l);
            (kept, (!key.is_empty()).then_some(key))
        }
        None => ("", None),
    };
    if subject_code.is_none() && unmapped_reason.is_empty() {
        if let Some(key) = label_key_text {
            item = match_label(form, panel, key);
            if item.is_none() {
                unmapped_reason = format!(
                    "row label {:?} is not in the {} spec",
                    label.as_deref().unwrap_or(""),
                    form.spec.key
                );
            }
        }
        if item.is_none()
            && let Some(l) = line
        {
            if let Some(&idx) = form.panels[panel.spec_panel].by_line.get(&l) {
                item = Some((panel.spec_panel, idx));
            } else if unmapped_reason.is_empty() {
                unmapped_reason = format!("行次 {l} is not in the {} spec", form.spec.key);
            }
        }
    }
    if let Some((sp, idx)) = item {
        let it = &form.panels[sp].items[idx];
        subject_code = it.subject_code.as_deref().map(intern);
    }
    let sp = panel.spec_panel;
    let spec_panel = &form.panels[sp];

    for &col in &panel.value_cols {
        let amount = match grid.cell(row, col) {
            Cell::Empty => CellAmount::Nothing,
            Cell::Number(f) => match decimal_from_f64(f) {
                Some(d) => CellAmount::Number(d),
                None => CellAmount::NotANumber(format!("{f}")),
            },
            Cell::Text(t) => parse_text_amount(t, &catalogue.nothing),
            Cell::Invalid => CellAmount::NotANumber(
                grid.display(row, col)
                    .unwrap_or_else(|| "error value".into()),
            ),
        };
        let ci = col_index(col);
        let path = &paths[ci];
        let written = match amount {
            CellAmount::Nothing => continue,
            CellAmount::NotANumber(text) => {
                if item.is_some() || subject_code.is_some() {
                    out.problems.push(SheetProblem {
                        cell: Some((row, col)),
                        message: format!("text where a number belongs: {text:?} (row {label_text:?}, column {:?})", path.join("/")),
                    });
                }
                continue;
            }
            CellAmount::Number(d) => d,
        };
        // Column key: heading first, 栏次 second.
        let column_idx = *matches.column[sp * matches.ncols + ci].get_or_insert_with(|| {
            matches
                .memo
                .best_match(form, sp, false, path, || {
                    best_match(
                        spec_panel
                            .columns
                            .iter()
                            .enumerate()
                            .map(|(i, c)| (i, c.patterns.as_slice())),
                        path,
                    )
                })
                .or_else(|| {
                    let no = col_nos[ci]?;
                    spec_panel.columns.iter().position(|c| c.col_no == Some(no))
                })
        });
        // Item from the heading, for wide one-row tables (三公).
        let mut cell_item = item;
        if cell_item.is_none() && subject_code.is_none() && spec_panel.header_items {
            cell_item = matches.item[sp * matches.ncols + ci]
                .get_or_insert_with(|| {
                    matches.memo.best_match(form, sp, true, path, || {
                        best_match(
                            spec_panel
                                .items
                                .iter()
                                .enumerate()
                                .map(|(i, it)| (i, it.header_patterns.as_slice())),
                            path,
                        )
                    })
                })
                .map(|i| (sp, i));
        }
        let item_key = match (cell_item, &subject_code) {
            (Some(it), _) => Some(matches.item_key(form, it)),
            (None, Some(_)) => Some("subject"),
            (None, None) => None,
        };
        match (item_key, column_idx) {
            (Some(item_key), Some(ci)) => out.facts.push(SheetFact {
                item: item_key,
                column: matches.column_key(form, sp, ci),
                subject_code,
                written,
                count_unit: cell_item
                    .and_then(|(sp, i)| form.panels[sp].items[i].unit.as_deref().map(intern)),
                row,
                col,
                label: label_text,
                header: headers[col_index(col)],
            }),
            (item_key, column_idx) => {
                let reason = if item_key.is_none() {
                    if unmapped_reason.is_empty() {
                        "row has no label, code or 行次".to_string()
                    } else {
                        unmapped_reason.clone()
                    }
                } else if column_idx.is_none() && path.is_empty() {
                    "column has no heading".to_string()
                } else {
                    format!(
                        "column heading {:?} is not in the {} spec",
                        path.join("/"),
                        form.spec.key
                    )
                };
                out.unmapped.push(Unmapped {
                    row,
                    col,
                    value: written.to_string(),
                    reason,
                });
            }
        }
    }
}

/// Finds the item a label names, preferring the panel the rows are in, and
/// the `within` item of the current section; switches panel for stacked
/// layouts where income and expenditure share one label column.
fn match_label(form: &Form, panel: &mut TablePanel, key: &str) -> Option<(usize, usize)> {
    let order = std::iter::once(panel.spec_panel)
        .chain((0..form.panels.len()).filter(|&i| i != panel.spec_panel));
    for sp in order {
        let Some(candidates) = form.panels[sp].by_label.get(key) else {
            continue;
        };
        let items = &form.panels[sp].items;
        let pick = candidates
            .iter()
            .copied()
            .find(|&i| items[i].within.is_some() && items[i].within == panel.section)
            .or_else(|| {
                candidates
                    .iter()
                    .copied()
                    .find(|&i| items[i].within.is_none())
            })
            .or_else(|| candidates.first().copied())?;
        panel.spec_panel = sp;
        let it = &items[pick];
        if it.is_section {
            panel.section = Some(it.key.to_string());
        } else if it.within.is_none() {
            panel.section = None;
        }
        return Some((sp, pick));
    }
    None
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
