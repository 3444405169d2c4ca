//! A table's header: which rows are headings, what each column's headings
//! say top to bottom (its path), and what the column is for.
//!
//! A heading spreads over the cells of its merged region and no further.
//! Where the sheet does not say which cells a heading spans (an `.xlsx`
//! that could not be re-packed, or a sheet without a single merged region
//! in its header), an empty heading cell takes the heading to its left —
//! only within the span of the headings above it, only for a column its
//! own headings leave unexplained, and the column's figures record that
//! their heading was inferred.

use calamine::Dimensions;
use rust_decimal::Decimal;
use std::sync::Arc;

use super::{is_figure, trailing_unit_line, unit_line_scale};
use crate::ingest::grid::{Cell, Grid};
use crate::ingest::recognise::Table;
use crate::spec::{
    Catalogue, Form, Panel, Pattern, Qualifiers, pattern_matches, pattern_segments, qualifiers_of,
};
use crate::text::{Text, find_year, intern, label_key, normalise};

/// Header rows are at most this many (1–4 seen in real exports, plus 栏次).
const MAX_HEADER_ROWS: usize = 5;

/// Where a table's header lies.
pub(super) struct HeaderRows {
    pub rows: Vec<u32>,
    /// The 栏次 row numbering the value columns, if any.
    pub col_no_row: Option<u32>,
    pub body_start: u32,
}

/// The heading rows from `start`: rows without a figure, up to the 栏次 row
/// or the first row that names a line of the form in the label columns.
/// A row into which a heading above is merged is a heading row whatever
/// it says (`合计 | 基本支出 | 项目支出` under `决算数`, beside `项目` merged
/// over both rows).
pub(super) fn header_rows(
    table: &Table,
    start: u32,
    form: &Form,
    catalogue: &Catalogue,
) -> HeaderRows {
    let grid = &table.grid;
    let header_items = form.panels.iter().any(|p| p.header_items);
    // Worked out when a row might name a line.
    let mut label_end = None;
    let mut rows = Vec::new();
    let mut col_no_row = None;
    let mut row = start;
    while row <= grid.last_row && rows.len() + usize::from(col_no_row.is_some()) < MAX_HEADER_ROWS {
        if is_col_no_row(grid, row, catalogue) {
            col_no_row = Some(row);
            row += 1;
            break;
        }
        if grid.row_cells(row).iter().any(|&c| is_figure(c, catalogue)) {
            break;
        }
        if !header_items && !rows.is_empty() && !merged_from_above(table.merges, row, start) {
            let end = *label_end.get_or_insert_with(|| label_zone_end(grid, start, catalogue));
            if row_names_item(grid, row, form, end) {
                break;
            }
        }
        rows.push(row);
        row += 1;
    }
    HeaderRows {
        rows,
        col_no_row,
        body_start: row,
    }
}

/// The last column of the header's label columns (项目, 科目编码 …): where
/// a data row names its line. The first heading when none is a label's.
fn label_zone_end(grid: &Grid, row: u32, catalogue: &Catalogue) -> u32 {
    let mut first = None;
    let mut last_label = None;
    for (col, text) in grid.row_texts(row) {
        first.get_or_insert(col);
        let role = role_of(&[label_key(text)], catalogue);
        if !matches!(role, Role::Value | Role::Text) {
            last_label = Some(col);
        }
    }
    last_label.or(first).unwrap_or(grid.first_col)
}

/// Whether a heading merged over several rows, starting in the header at
/// or below `start`, reaches down into `row`.
fn merged_from_above(merges: Option<&[Dimensions]>, row: u32, start: u32) -> bool {
    merges
        .unwrap_or_default()
        .iter()
        .any(|m| m.start.0 < row && row <= m.end.0 && m.start.0 >= start)
}

/// Whether a row names a line item of the form in its label columns (then
/// it is data, even when all its amounts are blank).
fn row_names_item(grid: &Grid, row: u32, form: &Form, label_end: u32) -> bool {
    grid.row_texts(row).next().is_some_and(|(col, t)| {
        let key = label_key(t);
        col <= label_end && form.panels.iter().any(|p| p.by_label.contains_key(&key))
    })
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Label,
    Code,
    SplitCode(usize),
    LineNo,
    Text,
    Value,
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
    } else if is(&reading.code_headers) || bottom.contains("编码") || bottom.contains("代码") {
        Role::Code
    } else if is(&reading.label_headers) || bottom.ends_with("名称") || bottom.ends_with("科目")
    {
        Role::Label
    } else if is(&reading.text_headers) {
        Role::Text
    } else {
        Role::Value
    }
}

/// What a heading-named item of a one-row table (三公) a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HeaderItem {
    None,
    One(usize),
    /// The path names two items of the form, neither a whole of the other
    /// (`公务接待费` over `公务用车运行费`): reported, never resolved.
    Ambiguous(usize, usize),
}

/// What one column is.
#[derive(Clone)]
pub(super) struct ColumnInfo {
    /// Its heading path (heading rows' label keys, top down).
    pub path: Vec<String>,
    /// The path joined with `/`, kept with a value column's facts.
    pub header: Text,
    pub role: Role,
    pub qualifiers: Qualifiers,
    /// A year its headings name (`2022年决算数`).
    pub year: Option<i32>,
    /// A unit of money its headings state (`预算数（元）`).
    pub scale: Option<(Text, Decimal)>,
    /// Whether its path was inferred (module docs).
    pub inferred: bool,
    /// Per spec panel: the form's column, and the heading-named item.
    pub matches: Vec<(Option<usize>, HeaderItem)>,
}

/// A side-by-side panel of the table as found in the sheet.
#[derive(Clone)]
pub(super) struct TablePanel {
    pub label_cols: Vec<u32>,
    pub code_col: Option<u32>,
    pub split_cols: [Option<u32>; 3],
    pub line_col: Option<u32>,
    pub value_cols: Vec<u32>,
    /// Spec panel the rows are currently matched against.
    pub spec_panel: usize,
    /// The section line last seen (`年初财政拨款结转和结余`), for `within` items.
    pub section: Option<String>,
    /// 类 and 款 carried down when split code columns leave them blank.
    pub code_carry: [Option<Text>; 2],
}

/// A table's header worked out: what each column is, and the side-by-side
/// panels the columns make. Each workbook of a batch has the same dozen
/// tables laid out alike, so it is worked out once per layout rather than
/// once per table.
pub(super) struct Layout {
    /// Per column of the table, from its first.
    pub columns: Vec<ColumnInfo>,
    /// The panels, before any row is read.
    pub panels: Vec<TablePanel>,
    /// A unit line among the heading cells (`单位：万元` in the first row's
    /// last cell).
    pub scale: Option<(Text, Decimal, (u32, u32))>,
}

impl Layout {
    pub fn column(&self, grid: &Grid, col: u32) -> &ColumnInfo {
        &self.columns[(col - grid.first_col) as usize]
    }
}

/// What earlier tables taught about their headers' layouts: the same
/// headings come back in workbook after workbook. Good for one catalogue
/// (forms are told apart by address); ingest keeps one per worker.
#[derive(Default)]
pub struct Memo {
    /// Header layouts by the signature of their cells ([`Memo::layout`]).
    layouts: foldhash::HashMap<Box<[u8]>, Arc<Layout>>,
    /// What a heading path means in a form (with a 栏次), by the form's
    /// address: the same headings come back in layouts that differ
    /// elsewhere (other merged titles, another column beside).
    columns: foldhash::HashMap<(usize, Option<u32>, Vec<String>), ColumnInfo>,
    /// The signature of the table at hand, built here to look it up
    /// without allocating.
    signature: Vec<u8>,
}

/// Layouts remembered before starting afresh.
const MEMO_KEPT: usize = 1 << 14;

impl Memo {
    /// How many header layouts are remembered.
    pub fn layouts_known(&self) -> usize {
        self.layouts.len()
    }

    /// The layout of `table`'s header (its heading rows and 栏次 row, for
    /// `form`), worked out by `work_out` unless a table with the same
    /// header cells came before. The signature holds everything the layout
    /// is made from: the form, the columns spanned, the heading rows'
    /// cells, and the merged regions (or that they are unknown) with the
    /// text at their origin.
    pub(super) fn layout(
        &mut self,
        form: &Form,
        table: &Table,
        header: &HeaderRows,
        work_out: impl FnOnce(&mut Memo) -> Layout,
    ) -> Arc<Layout> {
        let grid = &table.grid;
        let mut signature = std::mem::take(&mut self.signature);
        signature.clear();
        signature.extend_from_slice(&(form as *const Form as usize).to_le_bytes());
        for n in [grid.first_col, grid.last_col] {
            signature.extend_from_slice(&n.to_le_bytes());
        }
        for &row in header.rows.iter().chain(&header.col_no_row) {
            signature.extend_from_slice(&row.to_le_bytes());
            for col in grid.cols() {
                sign_cell(&mut signature, grid.cell(row, col));
            }
        }
        // The merged regions the heading rows lie in: a title merged across
        // the sheet above them names the unit, and would make every
        // workbook's layout its own.
        signature.push(u8::from(table.merges.is_some()));
        let (first, last) = match (header.rows.first(), header.rows.last()) {
            (Some(&first), Some(&last)) => (first, last),
            _ => (u32::MAX, 0),
        };
        let in_header = |m: &&Dimensions| m.start.0 <= last && m.end.0 >= first;
        for m in table.merges.unwrap_or_default().iter().filter(in_header) {
            for n in [m.start.0, m.start.1, m.end.0, m.end.1] {
                signature.extend_from_slice(&n.to_le_bytes());
            }
            sign_cell(&mut signature, grid.cell(m.start.0, m.start.1));
        }
        let layout = match self.layouts.get(signature.as_slice()) {
            Some(known) => Arc::clone(known),
            None => {
                let layout = Arc::new(work_out(self));
                if self.layouts.len() >= MEMO_KEPT {
                    self.layouts.clear();
                }
                self.layouts
                    .insert(signature.as_slice().into(), Arc::clone(&layout));
                layout
            }
        };
        self.signature = signature;
        layout
    }
}

fn sign_cell(signature: &mut Vec<u8>, c: Cell) {
    match c {
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
    }
}

/// Works out the [`Layout`] of a table's header.
pub(super) fn work_out_layout(
    table: &Table,
    form: &Form,
    catalogue: &Catalogue,
    header: &HeaderRows,
    memo: &mut Memo,
) -> Layout {
    let grid = &table.grid;
    let headings = Headings::new(table, &header.rows, catalogue);
    let mut column_info = |path: Vec<String>, col_no: Option<u32>| -> ColumnInfo {
        let key = (form as *const Form as usize, col_no, path);
        if let Some(known) = memo.columns.get(&key) {
            return known.clone();
        }
        let info = column_info(key.2.clone(), col_no, form, catalogue);
        if memo.columns.len() >= MEMO_KEPT {
            memo.columns.clear();
        }
        memo.columns.insert(key, info.clone());
        info
    };
    let columns: Vec<ColumnInfo> = grid
        .cols()
        .map(|col| {
            let col_no = header.col_no_row.and_then(|r| col_no_at(grid, r, col));
            if headings.is_gap(col) {
                return column_info(Vec::new(), col_no);
            }
            let own = headings.path(col, false);
            let mut info = column_info(own, col_no);
            if !info.explained(form) && headings.may_infer {
                let carried = headings.path(col, true);
                if carried != info.path {
                    let alternative = column_info(carried, col_no);
                    if alternative.explained(form) {
                        info = ColumnInfo {
                            inferred: true,
                            ..alternative
                        };
                    }
                }
            }
            info
        })
        .collect();
    let headed: Vec<bool> = grid.cols().map(|col| headings.own(col)).collect();
    let panels = panels_of(grid, form, &columns, &headed);
    Layout {
        columns,
        panels,
        scale: headings.scale,
    }
}

fn col_no_at(grid: &Grid, row: u32, col: u32) -> Option<u32> {
    match grid.cell(row, col) {
        Cell::Number(f) if f >= 1.0 && f.fract() == 0.0 => Some(f as u32),
        Cell::Text(t) => normalise(t).parse().ok(),
        _ => None,
    }
}

/// Everything known of a column from its path.
fn column_info(
    path: Vec<String>,
    col_no: Option<u32>,
    form: &Form,
    catalogue: &Catalogue,
) -> ColumnInfo {
    let role = role_of(&path, catalogue);
    let qualifiers = path.iter().fold(0, |bits, s| {
        bits | qualifiers_of(s, &catalogue.common.qualifiers)
    });
    let year = path.iter().find_map(|s| find_year(s));
    let scale = path.iter().find_map(|s| heading_scale(s, catalogue));
    let matches = if role == Role::Value {
        form.panels
            .iter()
            .map(|panel| {
                let column = match column_match(panel, &path, qualifiers) {
                    // A budget's 基本支出: no column of the form, whatever
                    // the 栏次 number says.
                    Some(c) if names_another_column(panel, &path, c, qualifiers, catalogue) => None,
                    Some(c) => Some(c),
                    None => {
                        (panel.columns.iter()).position(|c| col_no.is_some() && c.col_no == col_no)
                    }
                };
                let item = if panel.header_items {
                    header_item(form, panel, &path, line_qualifiers(qualifiers, catalogue))
                } else {
                    HeaderItem::None
                };
                (column, item)
            })
            .collect()
    } else {
        Vec::new()
    };
    ColumnInfo {
        header: if role == Role::Value {
            intern(&path.join("/"))
        } else {
            ""
        },
        path,
        role,
        qualifiers,
        year,
        scale,
        inferred: false,
        matches,
    }
}

impl ColumnInfo {
    /// Whether the column means something in the form: a column (and, in
    /// a one-row table, an item) of some panel — or is no value column.
    fn explained(&self, form: &Form) -> bool {
        self.role != Role::Value
            || self
                .matches
                .iter()
                .zip(&form.panels)
                .any(|((column, item), panel)| {
                    column.is_some() && (!panel.header_items || matches!(item, HeaderItem::One(_)))
                })
    }
}

/// The unit of money a heading states: `预算数(元)`, `金额(万元)`, `万元`,
/// `单位:万元`.
fn heading_scale(segment: &str, catalogue: &Catalogue) -> Option<(Text, Decimal)> {
    if let Some((name, factor)) = unit_line_scale(catalogue, segment) {
        return Some((intern(name), factor));
    }
    // Longest names first: `(万元)` before `(元)`.
    catalogue.scales.iter().find_map(|(name, factor)| {
        let bracketed = segment.contains(&format!("({name})"));
        (bracketed || segment == name).then(|| (intern(name), *factor))
    })
}

/// Whether a path matched to `column` through a column-only qualifier (a
/// budget) also names another of the form's columns in a segment of its
/// own (`全年预算数/基本支出`: a budget's 基本支出, which the form has for 决算
/// only) — a group's total (`全年预算数/合计`) aside.
fn names_another_column(
    panel: &Panel,
    path: &[String],
    column: usize,
    qualifiers: Qualifiers,
    catalogue: &Catalogue,
) -> bool {
    if line_qualifiers(qualifiers, catalogue) == qualifiers {
        return false;
    }
    let totals = &catalogue.common.reading.group_total_headers;
    path.iter()
        .filter(|segment| !totals.contains(segment))
        .filter(|segment| qualifiers_of(segment, &catalogue.common.qualifiers) == 0)
        .any(|segment| {
            column_match(panel, std::slice::from_ref(segment), 0).is_some_and(|c| c != column)
        })
}

/// The qualifiers that bear on which line a heading names: all but those
/// that only decide the column (`columns_only`, the budget's).
pub(super) fn line_qualifiers(qualifiers: Qualifiers, catalogue: &Catalogue) -> Qualifiers {
    let columns_only = (catalogue.common.qualifiers.iter().enumerate())
        .filter(|(_, q)| q.columns_only)
        .fold(0, |bits, (i, _)| bits | 1 << i);
    qualifiers & !columns_only
}

/// The form's column a path names, through an alias that declares every
/// qualifier of the path.
pub(super) fn column_match(
    panel: &Panel,
    path: &[String],
    qualifiers: Qualifiers,
) -> Option<usize> {
    crate::spec::best_match(
        panel
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.patterns.as_slice())),
        path,
        qualifiers,
    )
}

/// The heading-named item a path names: the best-matching item, unless a
/// heading its alias does not use names another item (by that heading's
/// longest alias) that is no whole of it (by the form's sum rules):
/// `公务接待费` over `公务用车运行费` is two items, `公务用车购置及运行费`
/// over `公务用车运行费` one.
fn header_item(form: &Form, panel: &Panel, path: &[String], qualifiers: Qualifiers) -> HeaderItem {
    let items = || {
        panel
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (i, it.header_patterns.as_slice()))
    };
    let found = pattern_matches(items(), path, qualifiers);
    let Some(&(_, best, best_pattern)) = found.iter().fold(
        None,
        |best: Option<&((usize, usize), usize, &Pattern)>, m| match best {
            Some(b) if b.0 >= m.0 => Some(b),
            _ => Some(m),
        },
    ) else {
        return HeaderItem::None;
    };
    let used = pattern_segments(&best_pattern.segments, path);
    let key = &panel.items[best].key;
    for &(_, other, pattern) in &found {
        for segment in pattern_segments(&pattern.segments, path) {
            if other == best || used.contains(&segment) {
                continue;
            }
            // The item this heading names by its longest alias.
            let heading = std::slice::from_ref(&path[segment]);
            let owner = pattern_matches(items(), heading, 0)
                .into_iter()
                .max_by_key(|(score, i, _)| (score.1, std::cmp::Reverse(*i)))
                .map_or(other, |(_, i, _)| i);
            let owner_key = &panel.items[owner].key;
            if owner != best && owner_key != key && !form.is_whole_of(owner_key, key) {
                return HeaderItem::Ambiguous(best, owner);
            }
        }
    }
    HeaderItem::One(best)
}

/// The table's heading cells: each cell's own text or the text of the
/// merged region it lies in, unit lines set aside.
struct Headings<'t> {
    grid: &'t Grid<'t>,
    rows: &'t [u32],
    merges: Option<&'t [Dimensions]>,
    /// Whether a heading may be carried into an empty cell (module docs).
    may_infer: bool,
    scale: Option<(Text, Decimal, (u32, u32))>,
    catalogue: &'t Catalogue,
}

impl<'t> Headings<'t> {
    fn new(table: &'t Table, rows: &'t [u32], catalogue: &'t Catalogue) -> Self {
        let grid = &table.grid;
        let in_header = |m: &&Dimensions| rows.iter().any(|&r| m.start.0 <= r && r <= m.end.0);
        let may_infer = match table.merges {
            None => true,
            Some(merges) => !merges.iter().any(|m| in_header(&m)),
        };
        let mut headings = Headings {
            grid,
            rows,
            merges: table.merges,
            may_infer,
            scale: None,
            catalogue,
        };
        for &row in rows {
            for col in grid.cols() {
                let Some(text) = grid.text(row, col) else {
                    continue;
                };
                // A unit line among the headings, or ending one (`项目(单位:万元)`).
                let text = normalise(text);
                let stated = unit_line_scale(catalogue, &text)
                    .or_else(|| trailing_unit_line(catalogue, &text));
                if let Some((name, factor)) = stated {
                    headings.scale = Some((intern(name), factor, (row, col)));
                }
            }
        }
        headings
    }

    /// The cell's heading: its own text, or its merged region's.
    fn at(&self, row: u32, col: u32) -> Option<&'t str> {
        let text = self.grid.text(row, col).or_else(|| {
            let m = self.merges?.iter().find(|m| {
                m.start.0 <= row && row <= m.end.0 && m.start.1 <= col && col <= m.end.1
            })?;
            self.grid.text(m.start.0, m.start.1)
        })?;
        let is_unit_line = unit_line_scale(self.catalogue, &normalise(text)).is_some();
        (!is_unit_line).then_some(text)
    }

    /// Whether the column has a heading of its own: text in one of its
    /// heading cells, or a merged region starting in it.
    fn own(&self, col: u32) -> bool {
        self.rows.iter().any(|&row| {
            self.grid.text(row, col).is_some()
                || self.merges.is_some_and(|merges| {
                    merges
                        .iter()
                        .any(|m| m.start.1 == col && m.start.0 <= row && row <= m.end.0)
                })
        })
    }

    /// Whether the column is a gap in a group: no heading of its own, under
    /// a heading merged across columns that have their own headings below
    /// it (a blank column inserted under `支出`). Its path is no heading.
    fn is_gap(&self, col: u32) -> bool {
        let (Some(merges), false) = (self.merges, self.own(col)) else {
            return false;
        };
        merges.iter().any(|m| {
            m.start.1 <= col
                && col <= m.end.1
                && self.rows.iter().any(|&r| m.start.0 <= r && r <= m.end.0)
                && (m.start.1..=m.end.1).any(|c| {
                    c != col
                        && self
                            .rows
                            .iter()
                            .any(|&r| r > m.end.0 && self.grid.text(r, c).is_some())
                })
        })
    }

    /// A column's path, top down; with `carry`, an empty heading cell takes
    /// the heading to its left when there is a heading below it, the cells
    /// between are empty, and no heading above starts in between.
    fn path(&self, col: u32, carry: bool) -> Vec<String> {
        let mut path: Vec<String> = Vec::new();
        for (i, &row) in self.rows.iter().enumerate() {
            let text = self.at(row, col).or_else(|| {
                if !carry {
                    return None;
                }
                let below = self.rows[i + 1..]
                    .iter()
                    .any(|&r| self.at(r, col).is_some());
                below.then(|| self.carried(i, col)).flatten()
            });
            if let Some(t) = text {
                let key = label_key(t);
                if !key.is_empty() && path.last() != Some(&key) {
                    path.push(key);
                }
            }
        }
        path
    }

    /// The heading to the left of an empty cell in heading row `i`, within
    /// the span of the headings above.
    fn carried(&self, i: usize, col: u32) -> Option<&'t str> {
        let row = self.rows[i];
        let above = &self.rows[..i];
        let mut c = col;
        while c > self.grid.first_col {
            // A heading above that starts here ends the span.
            if above.iter().any(|&r| self.grid.text(r, c).is_some()) {
                return None;
            }
            c -= 1;
            if let Some(text) = self.at(row, c) {
                return Some(text);
            }
        }
        None
    }
}

/// Panels: a label, code or 行次 column after value columns starts the next.
/// A column with no heading of its own (a blank column between 科目编码 and
/// 科目名称, under a heading merged across the panel) does not count as a
/// value column for this.
fn panels_of(grid: &Grid, form: &Form, columns: &[ColumnInfo], headed: &[bool]) -> Vec<TablePanel> {
    let mut panels: Vec<TablePanel> = Vec::new();
    // Whether the last panel has a value column with a heading of its own.
    let mut headed_values = false;
    for ((col, info), &headed) in grid.cols().zip(columns).zip(headed) {
        let role = info.role;
        let starts_panel = match role {
            Role::Label | Role::Code | Role::SplitCode(_) => panels.is_empty() || headed_values,
            Role::LineNo => panels
                .last()
                .is_none_or(|p| headed_values && p.line_col.is_some()),
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
            headed_values = false;
        }
        headed_values |= role == Role::Value && headed;
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
    panels
}
