//! A table's body: each row's line (by label, subject code or 行次), then
//! each of its value cells as the fact of that line in its column — or an
//! unmapped cell with the reason.

use calamine::Dimensions;
use rust_decimal::Decimal;
use std::borrow::Cow;

use super::header::{
    ColumnInfo, HeaderItem, Layout, Role, TablePanel, column_match, line_qualifiers,
};
use super::{
    Extraction, Inferred, SheetFact, StatedScale, Unmapped, note_of, qualifier_kinds,
    report_row_numbers, unit_of_money,
};
use crate::ingest::amount::{CellAmount, decimal_from_f64, parse_text_amount};
use crate::ingest::grid::{Cell, Grid};
use crate::spec::{Catalogue, Form, qualifiers_of};
use crate::text::{
    Text, dropped_by_normalise, find_year, intern, intern_label, normalise, to_half_width,
};

/// Reads every row from `body_start` to the end of the table.
pub(super) fn read_body(
    grid: &Grid,
    merges: Option<&[Dimensions]>,
    body_start: u32,
    form: &Form,
    catalogue: &Catalogue,
    layout: &Layout,
    out: &mut Extraction,
) {
    let mut panels = layout.panels.clone();
    // Per table panel, the spec panels whose columns are counted found:
    // the first one's whatever the rows, others' as rows switch to them.
    let mut covered: Vec<Vec<usize>> = panels.iter().map(|p| vec![p.spec_panel]).collect();
    for panel in &panels {
        cover_columns(grid, panel, layout, out);
    }
    // Columns of notes (备注, 计量单位): a number there is no figure of the
    // form, and is reported.
    let text_cols: Vec<u32> = grid
        .cols()
        .zip(&layout.columns)
        .filter(|(_, info)| info.role == Role::Text)
        .map(|(col, _)| col)
        .collect();
    // Merged regions of the body spanning columns: value cells that may be
    // merged across two columns (most tables have none).
    let wide_merges: Vec<Dimensions> = (merges.unwrap_or_default().iter())
        .filter(|m| m.start.0 >= body_start && m.end.1 > m.start.1)
        .copied()
        .collect();
    let value_cols: usize = panels.iter().map(|p| p.value_cols.len()).sum();
    let body_rows = (grid.last_row + 1).saturating_sub(body_start) as usize;
    out.facts.reserve((value_cols * body_rows).min(1 << 16));
    for row in body_start..=grid.last_row {
        if note_line(grid, row, catalogue, out) {
            continue;
        }
        for &col in &text_cols {
            if let Cell::Number(_) = grid.cell(row, col) {
                let heading = layout.column(grid, col).path.join("/");
                out.unmapped.push(Unmapped {
                    row,
                    col,
                    value: grid.display(row, col).unwrap_or_default(),
                    reason: format!(
                        "a number under {heading:?}, a column of notes the form does not read"
                    ),
                });
            }
        }
        for (panel, covered) in panels.iter_mut().zip(&mut covered) {
            let line = row_line(grid, merges, row, panel, form, &catalogue.nothing);
            if let Some(col) = line.stray {
                out.unmapped.push(Unmapped {
                    row,
                    col,
                    value: grid.display(row, col).unwrap_or_default(),
                    reason: "a figure in the label column, where a line's name or code belongs"
                        .into(),
                });
            }
            let mut item = row_item(form, catalogue, panel, &line);
            if let Some(found) = item.item {
                out.coverage.add_item(found);
            }
            if !covered.contains(&panel.spec_panel) {
                covered.push(panel.spec_panel);
                cover_columns(grid, panel, layout, out);
            }
            for &col in &panel.value_cols {
                if merged_across_columns(grid, &wide_merges, (row, col), (panel, layout), out) {
                    continue;
                }
                item.scale = row_unit(grid, (row, col), panel, &text_cols, catalogue);
                read_cell(
                    grid,
                    row,
                    col,
                    panel.spec_panel,
                    form,
                    catalogue,
                    layout,
                    &item,
                    out,
                );
            }
        }
    }
}

/// Whether a value cell is merged across two or more of its panel's value
/// columns (`C13:D13` under 本年支出合计 and 基本支出): no figure of either, as
/// the file does not say which column it is; its figure is reported.
fn merged_across_columns(
    grid: &Grid,
    wide_merges: &[Dimensions],
    (row, col): (u32, u32),
    (panel, layout): (&TablePanel, &Layout),
    out: &mut Extraction,
) -> bool {
    let Some(region) = wide_merges.iter().find(|m| m.start == (row, col)) else {
        return false;
    };
    let covered: Vec<String> = (panel.value_cols.iter())
        .filter(|&&c| col <= c && c <= region.end.1)
        .map(|&c| format!("{:?}", layout.column(grid, c).path.join("/")))
        .collect();
    if covered.len() < 2 {
        return false;
    }
    if matches!(grid.cell(row, col), Cell::Number(_) | Cell::Text(_)) {
        out.unmapped.push(Unmapped {
            row,
            col,
            value: grid.display(row, col).unwrap_or_default(),
            reason: format!(
                "a figure merged across {}:{} ({}): which column it is, the file does not say",
                crate::text::a1(region.start.0, region.start.1),
                crate::text::a1(region.end.0, region.end.1),
                covered.join(", ")
            ),
        });
    }
    true
}

/// Whether the row is a note under the table (`注：本单位无…`): kept when it
/// says the table is empty, its numbers reported.
fn note_line(grid: &Grid, row: u32, catalogue: &Catalogue, out: &mut Extraction) -> bool {
    let Some(note) = note_of(grid, row, catalogue) else {
        return false;
    };
    let empty_words = &catalogue.common.reading.empty_note_words;
    if empty_words.iter().any(|w| note.contains(w.as_str())) {
        out.note.get_or_insert(note);
    }
    report_row_numbers(grid, row, "number in a note line under the table", out);
    true
}

/// The form's columns, and heading-named lines, a panel's headings name
/// under the spec panel its rows are read against.
fn cover_columns(grid: &Grid, panel: &TablePanel, layout: &Layout, out: &mut Extraction) {
    let sp = panel.spec_panel;
    for &col in &panel.value_cols {
        let Some(&(column, item)) = layout.column(grid, col).matches.get(sp) else {
            continue;
        };
        if let Some(ci) = column {
            out.coverage.add_column((sp, ci));
        }
        if let HeaderItem::One(i) = item {
            out.coverage.add_item((sp, i));
        }
    }
}

/// What a row says of its line: its label, its subject code (from the code
/// column(s) or the label's head), its 行次.
struct RowLine<'g> {
    label: Option<Cow<'g, str>>,
    code: Option<Text>,
    line: Option<u32>,
    /// A figure in a label column that is no subject code (`12.5`): its
    /// column, to be reported rather than passed over.
    stray: Option<u32>,
}

fn row_line<'g>(
    grid: &Grid<'g>,
    merges: Option<&[Dimensions]>,
    row: u32,
    panel: &mut TablePanel,
    form: &Form,
    nothing: &[String],
) -> RowLine<'g> {
    let mut label: Option<Cow<str>> = panel
        .label_cols
        .iter()
        .find_map(|&c| grid.text(row, c).map(Cow::Borrowed))
        .or_else(|| merged_label(grid, merges, row, panel));
    let mut code: Option<Text> = None;
    if let Some(c) = panel.code_col {
        match code_digits(grid.cell(row, c)) {
            Some(d) => code = Some(d),
            None if label.is_none() => label = grid.text(row, c).map(Cow::Borrowed),
            None => {}
        }
    }
    if panel.split_cols.iter().any(Option::is_some) {
        match split_code(grid, row, panel) {
            Some(joined) => code = Some(joined),
            None if label.is_none() => {
                label = panel
                    .split_cols
                    .iter()
                    .flatten()
                    .find_map(|&c| grid.text(row, c).map(Cow::Borrowed));
            }
            None => {}
        }
    }
    let subjects = form.panels[panel.spec_panel].subjects;
    if code.is_none()
        && subjects.is_some()
        && let Some((head, rest)) = label.as_deref().and_then(code_in_label)
    {
        code = Some(head);
        label = Some(Cow::Owned(rest));
    }
    // A number in a label column: a subject code written as a number, or a
    // figure out of place.
    let mut stray = None;
    for &c in &panel.label_cols {
        let cell = grid.cell(row, c);
        let figure_text = matches!(cell, Cell::Text(_)) && label.as_deref() == grid.text(row, c);
        if !(matches!(cell, Cell::Number(_)) || figure_text) || !cell.is_figure(nothing) {
            continue;
        }
        match code_digits(cell).filter(|d| subjects.is_some_and(|k| k.accepts(d))) {
            Some(digits) if code.is_none() => code = Some(digits),
            _ => stray = stray.or(Some(c)),
        }
    }
    let line = panel.line_col.and_then(|c| match grid.cell(row, c) {
        Cell::Number(f) if f.fract() == 0.0 && f >= 0.0 => Some(f as u32),
        Cell::Text(t) => normalise(t).parse().ok(),
        _ => None,
    });
    RowLine {
        label,
        code,
        line,
        stray,
    }
}

/// The label of a row whose label cells lie in a region merged from the
/// left (`公用经费合计` merged across two side-by-side panels' label cells).
fn merged_label<'g>(
    grid: &Grid<'g>,
    merges: Option<&[Dimensions]>,
    row: u32,
    panel: &TablePanel,
) -> Option<Cow<'g, str>> {
    let &col = panel.label_cols.first()?;
    let m = merges?
        .iter()
        .find(|m| m.start.0 <= row && row <= m.end.0 && m.start.1 < col && col <= m.end.1)?;
    grid.text(m.start.0, m.start.1).map(Cow::Borrowed)
}

/// A code written at the head of a label, `2080501 行政单位离退休` or
/// `[2080501]行政单位离退休`: (the code, the rest of the label).
fn code_in_label(text: &str) -> Option<(Text, String)> {
    if !normalises_to_code_start(text) {
        return None;
    }
    let n = normalise(text);
    let body = n.strip_prefix('(').unwrap_or(&n);
    let digits: String = body.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() < 3 {
        return None;
    }
    let rest = &body[digits.len()..];
    let rest = if n.starts_with('(') {
        rest.strip_prefix(')')?
    } else {
        rest
    };
    Some((intern(&digits), rest.to_string()))
}

/// Whether `text`, once normalised, starts with an ASCII digit, or with a
/// bracket and a digit.
fn normalises_to_code_start(text: &str) -> bool {
    let mut chars = text
        .chars()
        .map(to_half_width)
        .filter(|&c| !dropped_by_normalise(c));
    match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('(' | '[' | '【' | '〔' | '（') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// The code of split 类 | 款 | 项 columns, 类 and 款 carried down when a
/// row leaves them blank; `None` when the row has none of them.
fn split_code(grid: &Grid, row: u32, panel: &mut TablePanel) -> Option<Text> {
    let parts = panel
        .split_cols
        .map(|c| c.and_then(|c| code_digits(grid.cell(row, c))));
    if parts.iter().all(Option::is_none) {
        return None;
    }
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
    Some(intern(&joined))
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

/// A row's line in the form, or why it has none.
struct RowItem {
    /// (spec panel, item index).
    item: Option<(usize, usize)>,
    subject_code: Option<Text>,
    label: Text,
    /// Why the row's cells have no line, when they have none.
    unmapped: String,
    /// The label matched only once a bracketed note was dropped.
    relaxed: bool,
    /// A year an unmatched label names (`2022年`, a row of a one-row
    /// table's figures for that year).
    year: Option<i32>,
    /// An unmatched label with a qualifier (`增减%`): the row holds rates
    /// or differences, not the figures its headings name.
    qualified: bool,
    /// The unit of money the row's own 计量单位 cell names (机构运行信息表).
    scale: Option<StatedScale>,
    /// The column a year's row names after its year (`2023年预算数`: the
    /// budget), for a one-row table with a row per year.
    year_column: Option<usize>,
}

/// The unit of money a row states for a figure in a column of notes
/// (计量单位) between its panel's labels and the figure — the nearest such
/// column to the figure's left: `万元` on a row of a sheet in 元 makes that
/// row's figures 万元.
fn row_unit(
    grid: &Grid,
    (row, value_col): (u32, u32),
    panel: &TablePanel,
    text_cols: &[u32],
    catalogue: &Catalogue,
) -> Option<StatedScale> {
    if text_cols.is_empty() {
        return None;
    }
    let first_label = *panel.label_cols.iter().min()?;
    let col = text_cols
        .iter()
        .copied()
        .rfind(|&c| first_label < c && c < value_col)?;
    let (name, factor) = unit_of_money(catalogue, &normalise(grid.text(row, col)?))?;
    Some(StatedScale {
        name: intern(name),
        factor,
        cell: (row, col),
    })
}

fn row_item(form: &Form, catalogue: &Catalogue, panel: &mut TablePanel, line: &RowLine) -> RowItem {
    let spec_panel = &form.panels[panel.spec_panel];
    let mut found = RowItem {
        item: None,
        subject_code: None,
        label: "",
        unmapped: String::new(),
        relaxed: false,
        year: None,
        qualified: false,
        scale: None,
        year_column: None,
    };
    if let (Some(kind), Some(c)) = (spec_panel.subjects, line.code) {
        if kind.accepts(c) {
            found.subject_code = Some(c);
        } else {
            found.unmapped = format!("code {c} is not a valid {kind:?} subject code");
        }
    }
    let label_key = match line.label.as_deref() {
        Some(l) => {
            let (kept, key) = intern_label(l);
            found.label = kept;
            (!key.is_empty()).then_some(key)
        }
        None => None,
    };
    if found.subject_code.is_some() || !found.unmapped.is_empty() {
        return found;
    }
    if let Some(key) = label_key {
        found.item = match_label(form, panel, key);
        if found.item.is_none()
            && let Some(bare) = without_bracketed_note(key)
        {
            found.item = match_label(form, panel, bare);
            found.relaxed = found.item.is_some();
        }
        if found.item.is_none() {
            let label = line.label.as_deref().unwrap_or("");
            // A budget named in the label (`2023年预算数`) says the column,
            // not that the row holds something else than the form's figures.
            let qualifiers =
                line_qualifiers(qualifiers_of(key, &catalogue.common.qualifiers), catalogue);
            found.year = find_year(key);
            found.qualified = qualifiers != 0;
            if let Some(year) = found.year {
                found.year_column =
                    column_named_after_year(form, catalogue, panel.spec_panel, key, year);
            }
            found.unmapped = if found.qualified {
                format!(
                    "row {label:?} holds a {}, not a figure of the {} spec",
                    qualifier_kinds(catalogue, qualifiers),
                    form.spec.key
                )
            } else {
                format!("row label {label:?} is not in the {} spec", form.spec.key)
            };
        }
    }
    // A 行次 names the line only of a row without a label: templates number
    // their lines differently from year to year and office to office, so a
    // label the form does not know is reported, not read as the line its
    // number has in this catalogue's template.
    if found.item.is_none()
        && let Some(l) = line.line
    {
        let by_line = form.panels[panel.spec_panel].by_line.get(&l);
        match (by_line, label_key) {
            (Some(&idx), None) => found.item = Some((panel.spec_panel, idx)),
            (Some(&idx), Some(_)) => {
                let named = &form.panels[panel.spec_panel].items[idx].key;
                found.unmapped.push_str(&format!(
                    "; 行次 {l} is {named}'s line in the form's template, but the label does not name it"
                ));
            }
            (None, _) if found.unmapped.is_empty() => {
                found.unmapped = format!("行次 {l} is not in the {} spec", form.spec.key)
            }
            (None, _) => {}
        }
    }
    if let Some((sp, idx)) = found.item {
        found.subject_code = form.panels[sp].items[idx]
            .subject_code
            .as_deref()
            .map(intern);
    }
    found
}

/// The column a row label names after its year: `2023年预算数` → the
/// budget column, `2023年决算数` → the actual one; `None` for a bare year.
fn column_named_after_year(
    form: &Form,
    catalogue: &Catalogue,
    sp: usize,
    key: &str,
    year: i32,
) -> Option<usize> {
    let (_, after) = key.split_once(&year.to_string())?;
    let after = after
        .strip_prefix("年度")
        .or_else(|| after.strip_prefix('年'))
        .unwrap_or(after);
    if after.is_empty() {
        return None;
    }
    let qualifiers = qualifiers_of(after, &catalogue.common.qualifiers);
    column_match(&form.panels[sp], &[after.to_string()], qualifiers)
}

/// A label key without its closing bracketed note: `公务接待费(含外宾接待)` →
/// `公务接待费`.
fn without_bracketed_note(key: &str) -> Option<&str> {
    let inner = key.strip_suffix(')')?;
    let (bare, _) = inner.rsplit_once('(')?;
    (!bare.is_empty()).then_some(bare)
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

/// One value cell: its figure, and the fact it is — or why it is none.
#[allow(clippy::too_many_arguments)]
fn read_cell(
    grid: &Grid,
    row: u32,
    col: u32,
    sp: usize,
    form: &Form,
    catalogue: &Catalogue,
    layout: &Layout,
    line: &RowItem,
    out: &mut Extraction,
) {
    let info = layout.column(grid, col);
    let Some(written) = figure(grid, (row, col), catalogue, info, line, out) else {
        return;
    };
    let (item, column, header_item) = meaning(form, sp, info, line, out);
    let item_key = match (item, line.subject_code) {
        (Some((p, i)), _) => Some(form.panels[p].items[i].key),
        (None, Some(_)) => Some(form.subject_key),
        (None, None) => None,
    };
    let (Some(item_key), Some(ci)) = (item_key, column) else {
        let known_item = item_key.is_some();
        let reason = unmapped_reason(form, catalogue, sp, info, line, known_item, header_item);
        out.unmapped.push(Unmapped {
            row,
            col,
            value: written.to_string(),
            reason,
        });
        return;
    };
    let mut inferred = Inferred::default();
    if info.inferred {
        inferred = inferred.with(Inferred::HEADING);
    }
    if line.relaxed {
        inferred = inferred.with(Inferred::LABEL);
    }
    out.facts.push(SheetFact {
        item: item_key,
        column: form.panels[sp].columns[ci].key,
        subject_code: line.subject_code,
        written,
        count_unit: item.and_then(|(p, i)| form.panels[p].items[i].unit.as_deref().map(intern)),
        row,
        col,
        label: line.label,
        header: info.header,
        heading_scale: line.scale.clone().or_else(|| {
            info.scale.map(|(name, factor)| StatedScale {
                name,
                factor,
                cell: (row, col),
            })
        }),
        heading_year: info.year.or(line.year),
        inferred,
    });
}

/// The cell's figure; text where a line's number belongs is a problem at
/// the cell.
fn figure(
    grid: &Grid,
    (row, col): (u32, u32),
    catalogue: &Catalogue,
    info: &ColumnInfo,
    line: &RowItem,
    out: &mut Extraction,
) -> Option<Decimal> {
    match cell_amount(grid, row, col, catalogue) {
        CellAmount::Nothing => None,
        // Text in a column of rates or differences (`-2.85%` under 增减%):
        // no figure of the form either way.
        CellAmount::NotANumber(text)
            if info.qualifiers != 0 && !info.matches.iter().any(|m| m.0.is_some()) =>
        {
            out.unmapped.push(Unmapped {
                row,
                col,
                reason: format!(
                    "column {:?} holds a {}, not a figure of the form",
                    info.header,
                    qualifier_kinds(catalogue, info.qualifiers)
                ),
                value: text,
            });
            None
        }
        CellAmount::NotANumber(text) => {
            if line.item.is_some() || line.subject_code.is_some() {
                out.problems.push(super::SheetProblem {
                    cell: Some((row, col)),
                    message: format!(
                        "text where a number belongs: {text:?} (row {:?}, column {:?})",
                        line.label, info.header
                    ),
                });
            }
            None
        }
        CellAmount::Number(d) => Some(d),
    }
}

/// The line and the form's column a cell of this row and column is: the
/// line from the row, or for wide one-row tables (三公) from the heading
/// unless the row holds rates or differences; the column from the heading,
/// or for tables of years as rows (`2023年`) the spec's `year_rows`.
fn meaning(
    form: &Form,
    sp: usize,
    info: &ColumnInfo,
    line: &RowItem,
    out: &mut Extraction,
) -> (Option<(usize, usize)>, Option<usize>, HeaderItem) {
    let (mut column, header_item) = info
        .matches
        .get(sp)
        .copied()
        .unwrap_or((None, HeaderItem::None));
    if column.is_none() && line.year.is_some() && info.qualifiers == 0 {
        column = line.year_column.or(form.panels[sp].year_rows);
        if let Some(ci) = column {
            out.coverage.add_column((sp, ci));
        }
    }
    let item = match (line.item, line.subject_code, header_item) {
        (Some(it), ..) => Some(it),
        (None, None, HeaderItem::One(i)) if !line.qualified => Some((sp, i)),
        _ => None,
    };
    (item, column, header_item)
}

fn cell_amount(grid: &Grid, row: u32, col: u32, catalogue: &Catalogue) -> CellAmount {
    match grid.cell(row, col) {
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
    }
}

/// Why a value cell is not a fact.
fn unmapped_reason(
    form: &Form,
    catalogue: &Catalogue,
    sp: usize,
    info: &ColumnInfo,
    line: &RowItem,
    has_line: bool,
    header_item: HeaderItem,
) -> String {
    let heading = info.path.join("/");
    let key = &form.spec.key;
    if !has_line {
        if let HeaderItem::Ambiguous(a, b) = header_item {
            let items = &form.panels[sp].items;
            return format!(
                "heading {heading:?} names two lines of the {key} spec: {} and {}",
                items[a].key, items[b].key
            );
        }
        if !line.unmapped.is_empty() {
            return line.unmapped.clone();
        }
        if form.panels[sp].header_items && !info.path.is_empty() {
            return format!("heading {heading:?} names no line of the {key} spec");
        }
        return "row has no label, code or 行次".to_string();
    }
    if info.qualifiers != 0 {
        return format!(
            "column {heading:?} holds a {}, not a figure of the {key} spec",
            qualifier_kinds(catalogue, info.qualifiers)
        );
    }
    if info.path.is_empty() {
        "column has no heading".to_string()
    } else {
        format!("column heading {heading:?} is not in the {key} spec")
    }
}
