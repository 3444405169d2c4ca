//! The lines above a table's header: its title (which may name the unit and
//! year), the unit of money, and identity lines (`编制单位：XX`,
//! `部门：XX（2023年度）`).

use std::borrow::Cow;

use super::{SheetHints, StatedScale, is_figure, scale_named, trailing_unit_line, unit_of_money};
use crate::ingest::grid::{Cell, Grid};
use crate::ingest::identity::{is_unit_name, without_stamps};
use crate::spec::{Catalogue, Form};
use crate::text::{find_year, intern, label_key_into, normalise, normalise_into};

/// Five CJK characters in UTF-8: no form title is shorter.
const MIN_TITLE_BYTES: usize = 15;

/// Reads the rows above the header into `hints` and returns the header's
/// first row: the first with two texts that are neither title, unit line
/// nor identity line. `None` when a row of figures comes first. Without a
/// form, no text is taken for the table's title.
pub(super) fn read_above_header(
    grid: &Grid,
    form: Option<&Form>,
    catalogue: &Catalogue,
    hints: &mut SheetHints,
) -> Option<u32> {
    let mut scratch = [String::new(), String::new()];
    for row in grid.rows() {
        if years_over_columns(grid, row) {
            return Some(row);
        }
        let mut plain = 0;
        let mut numbers = 0;
        for (col, &cell) in (grid.first_col..).zip(grid.row_cells(row)) {
            if is_figure(cell, catalogue) {
                numbers += 1;
                continue;
            }
            if let Cell::Text(t) = cell
                && !read_top_text(t, (row, col), grid, form, catalogue, hints, &mut scratch)
            {
                plain += 1;
            }
        }
        if numbers > 0 && plain > 0 {
            return None;
        }
        if plain >= 2 {
            return Some(row);
        }
    }
    None
}

/// Whether a row names two or more years in cells of their own (`2022年度`
/// | `2023年度` over 决算数 columns): headings of column groups, not the
/// report's year, which a sheet states once.
fn years_over_columns(grid: &Grid, row: u32) -> bool {
    let mut years: Vec<i32> = Vec::new();
    for cell in grid.row_cells(row) {
        if let Cell::Text(t) = cell
            && is_year(&normalise(t))
            && let Some(year) = find_year(t)
            && !years.contains(&year)
        {
            years.push(year);
        }
    }
    years.len() >= 2
}

/// Reads one cell above the header (or in its first row). Returns true when
/// the text was a title, unit line, identity line or year (so not a column
/// heading).
fn read_top_text(
    text: &str,
    cell: (u32, u32),
    grid: &Grid,
    form: Option<&Form>,
    catalogue: &Catalogue,
    hints: &mut SheetHints,
    [key, token]: &mut [String; 2],
) -> bool {
    label_key_into(text, key);
    let key = key.as_str();
    // A title: contains the form's title, possibly after the unit name and year.
    // No title is shorter than five characters.
    let title = form
        .filter(|_| key.len() >= MIN_TITLE_BYTES)
        .and_then(|form| form.title_keys.iter().find(|t| key.contains(t.as_str())));
    if let Some(title) = title {
        read_title(key, title, cell, catalogue, hints);
        // `XX表(单位:万元)`: the title states the unit.
        token.clear();
        normalise_into(text, token);
        if hints.scale.is_none()
            && let Some((name, factor)) = trailing_unit_line(catalogue, token)
        {
            hints.scale = Some(StatedScale {
                name: intern(name),
                factor,
                cell,
            });
        }
        return true;
    }
    // Without a colon or a digit (most headings), no tokens are joined and
    // none is a year: only a bare unit of money is left to find.
    if !text
        .chars()
        .any(|c| matches!(c, ':' | '：' | '0'..='9' | '０'..='９'))
    {
        return read_bare_units(text, cell, catalogue, hints, token);
    }
    let mut consumed = false;
    for token in tokens(text, catalogue) {
        consumed |= read_token(&token, cell, grid, catalogue, hints);
    }
    consumed
}

/// A form's title: `XX局2023年度收入支出决算总表` names the unit and year,
/// `XX中心收入支出决算总表` the unit, `2023年度XX局“三公”经费支出决算表` the
/// year and the unit.
fn read_title(
    key: &str,
    title: &str,
    cell: (u32, u32),
    catalogue: &Catalogue,
    hints: &mut SheetHints,
) {
    let identity = &catalogue.common.identity;
    let before_title = key.split(title).next().unwrap_or("");
    let Some(year) = find_year(key) else {
        push_title_name(before_title, cell, catalogue, hints);
        return;
    };
    hints.years.push((year, cell));
    let (before_year, after_year) = before_title
        .split_once(&year.to_string())
        .unwrap_or((before_title, ""));
    let name = before_year.trim_end_matches(identity.title_year_pattern.as_str());
    if name.chars().count() >= 2 && !name.contains(title) {
        hints.unit_names.push((name.to_string(), cell));
    } else if name.is_empty() {
        let after_year = (after_year.strip_prefix(identity.title_year_pattern.as_str()))
            .or_else(|| after_year.strip_prefix('年'))
            .unwrap_or(after_year);
        push_title_name(after_year, cell, catalogue, hints);
    }
}

/// The text between a title's start (or its year) and the form's title, as
/// the unit's name when it reads as one once words such as 财政拨款 or 部门
/// before the title are dropped.
fn push_title_name(text: &str, cell: (u32, u32), catalogue: &Catalogue, hints: &mut SheetHints) {
    let identity = &catalogue.common.identity;
    let mut name = text;
    while let Some(rest) = (identity.title_name_trailers.iter())
        .find_map(|w| name.strip_suffix(w.as_str()))
        .filter(|rest| !rest.is_empty())
    {
        name = rest;
    }
    if is_unit_name(name, identity) {
        hints.unit_names.push((name.to_string(), cell));
    }
}

/// Units of money standing alone in a text without colons or digits:
/// `单位 万元`, or `万元` in the cell after a `单位：` cell.
fn read_bare_units(
    text: &str,
    cell: (u32, u32),
    catalogue: &Catalogue,
    hints: &mut SheetHints,
    token: &mut String,
) -> bool {
    let mut consumed = false;
    for raw in text.split(char::is_whitespace).filter(|t| !t.is_empty()) {
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
                name: "",
                factor,
                cell,
            });
            consumed = true;
            continue;
        }
        consumed |= take_bare_unit(token, cell, catalogue, hints);
    }
    consumed
}

/// `编制单位：XX    单位：元` may share one cell: split on whitespace runs,
/// joining a value to the `head:` before it.
fn tokens(text: &str, catalogue: &Catalogue) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for raw in text.split(char::is_whitespace).filter(|t| !t.is_empty()) {
        let token = normalise(raw);
        match tokens.last_mut() {
            Some(last)
                if last.ends_with(':')
                    || !token.contains(':')
                        && last.contains(':')
                        && !is_prefix_token(&token, catalogue)
                        && !is_year(&token) =>
            {
                last.push_str(&token)
            }
            _ => tokens.push(token),
        }
    }
    tokens
}

/// One token of a text above the header: a unit line, an identity line, a
/// year, a report's own title (`XX局2023年度部门决算公开表`) or a bare unit of
/// money. Returns whether it was one of these.
fn read_token(
    token: &str,
    cell: (u32, u32),
    grid: &Grid,
    catalogue: &Catalogue,
    hints: &mut SheetHints,
) -> bool {
    let identity = &catalogue.common.identity;
    // `(单位:万元)`: a line in brackets reads as the line.
    let token = super::strip_brackets(token);
    let (head, value) = match token.split_once(':') {
        Some((h, v)) => (h, Cow::Borrowed(v)),
        None => (token, Cow::Borrowed("")),
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
        && let Some((name, factor)) = unit_of_money(catalogue, &value)
    {
        hints.scale = Some(StatedScale {
            name: intern(name),
            factor,
            cell,
        });
        return true;
    }
    let head = without_stamps(head, identity);
    if identity.unit_line_prefixes.iter().any(|p| *p == head) && !value.is_empty() {
        let value = without_stamps(&value, identity);
        let (name, year) = name_and_bracketed_year(&value);
        hints.unit_names.push((name.to_string(), cell));
        hints.years.extend(year.map(|y| (y, cell)));
        return true;
    }
    let mut consumed = token.contains(':') && value.is_empty();
    if let Some(year) = find_year(token) {
        let year_text = year.to_string();
        let rest = token.replacen(&year_text, "", 1);
        // A year (`2023年度`, `2023年度决算`, `XX局2023年度部门决算公开表`).
        if rest.is_empty()
            || rest == "年"
            || rest == "年度"
            || rest.ends_with("决算")
            || rest.contains("年度")
        {
            hints.years.push((year, cell));
            consumed = true;
        }
        // The report's own title names the unit before the year.
        let (before, after) = token.split_once(&year_text).unwrap_or((token, ""));
        let after = after.trim_start_matches(['年', '度']);
        let titled = identity
            .document_words
            .iter()
            .any(|w| after.contains(w.as_str()));
        if consumed
            && (titled && before.chars().count() >= 2
                || after.is_empty() && is_unit_name(before, identity))
        {
            hints.unit_names.push((before.to_string(), cell));
        }
    }
    // A bare unit of money in its own cell right after a `单位：` cell.
    consumed |= take_bare_unit(token, cell, catalogue, hints);
    consumed
}

/// A unit of money named by the whole token (`万元`), when the sheet has
/// none yet.
fn take_bare_unit(
    token: &str,
    cell: (u32, u32),
    catalogue: &Catalogue,
    hints: &mut SheetHints,
) -> bool {
    if hints.scale.is_some() {
        return false;
    }
    let Some(factor) = scale_named(catalogue, token) else {
        return false;
    };
    hints.scale = Some(StatedScale {
        name: intern(token),
        factor,
        cell,
    });
    true
}

/// `XX局(2023年度)` or `XX局2023年度` → (`XX局`, 2023): a year after a
/// unit's name.
fn name_and_bracketed_year(value: &str) -> (&str, Option<i32>) {
    if let Some(inner) = value.strip_suffix(')')
        && let Some((name, bracket)) = inner.rsplit_once('(')
        && let Some(year) = find_year(bracket)
        && !name.is_empty()
    {
        return (name, Some(year));
    }
    if let Some(year) = find_year(value)
        && let Some((name, after)) = value.split_once(&year.to_string())
        && is_year(&format!("{year}{after}"))
        && !name.is_empty()
    {
        return (name, Some(year));
    }
    (value, None)
}

/// `2023`, `2023年`, `2023年度`.
fn is_year(token: &str) -> bool {
    find_year(token)
        .is_some_and(|y| matches!(token.strip_prefix(&y.to_string()), Some("" | "年" | "年度")))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_in_brackets_after_a_name() {
        assert_eq!(
            name_and_bracketed_year("某局(2023年度)"),
            ("某局", Some(2023))
        );
        assert_eq!(name_and_bracketed_year("某局(本级)"), ("某局(本级)", None));
        assert_eq!(name_and_bracketed_year("某局"), ("某局", None));
        assert_eq!(
            name_and_bracketed_year("某中心2020年度"),
            ("某中心", Some(2020))
        );
        assert_eq!(name_and_bracketed_year("第2020号局"), ("第2020号局", None));
    }
}
