//! Tables inside a narrative's text (the 绩效 project tables): rows of
//! tab-separated cells, or one cell a line each ending in `|` as some
//! exports write them. A printed 合计 row is checked against the sum of the
//! rows above it, column by column, at the precision the figures are
//! printed with.

use rust_decimal::Decimal;
use std::str::FromStr;

use super::check::NarrativeFinding;
use super::document::Line;
use crate::rules::FindingSeverity;

/// A table found in the text: its heading cells and rows, each cell with
/// the index of the line it is on.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<(String, usize)>>,
}

/// Findings of every table's 合计 row in `lines`.
pub fn check_tables(lines: &[Line], findings: &mut Vec<NarrativeFinding>) {
    for table in pipe_tables(lines).into_iter().chain(tab_tables(lines)) {
        check_total_row(&table, findings);
    }
}

/// Runs of lines ending in `|`, one cell each; the heading is the cells
/// before the first number, and the rows are as wide as it.
fn pipe_tables(lines: &[Line]) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        while i < lines.len() && lines[i].text.trim_end().ends_with('|') {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let cells: Vec<(String, usize)> = (start..i)
            .map(|l| {
                (
                    lines[l]
                        .text
                        .trim_end()
                        .trim_end_matches('|')
                        .trim()
                        .to_string(),
                    l,
                )
            })
            .collect();
        let width = cells
            .iter()
            .position(|(c, _)| number(c).is_some())
            .unwrap_or(0);
        if width < 2 {
            continue;
        }
        let header = cells[..width].iter().map(|(c, _)| c.clone()).collect();
        let rows = cells[width..].chunks(width).map(<[_]>::to_vec).collect();
        tables.push(Table { header, rows });
    }
    tables
}

/// Runs of lines with three or more tab-separated cells; the first is the
/// heading. A run that starts with the heading of the table before it is
/// that table going on after a page break.
fn tab_tables(lines: &[Line]) -> Vec<Table> {
    let mut tables: Vec<Table> = Vec::new();
    let mut run: Vec<Vec<(String, usize)>> = Vec::new();
    let end = Line::default();
    for (l, line) in lines
        .iter()
        .enumerate()
        .chain(std::iter::once((lines.len(), &end)))
    {
        let cells: Vec<(String, usize)> = line
            .text
            .split('\t')
            .map(|c| (c.trim().to_string(), l))
            .collect();
        if cells.len() >= 3 {
            run.push(cells);
            continue;
        }
        if run.len() >= 2 {
            let header: Vec<String> = run[0].iter().map(|(c, _)| c.clone()).collect();
            let rows = run.split_off(1);
            match tables.last_mut() {
                Some(t) if t.header == header => t.rows.extend(rows),
                _ => tables.push(Table { header, rows }),
            }
        }
        run.clear();
    }
    tables
}

/// A figure as a table prints it (`1,234.50`); not a percentage.
fn number(cell: &str) -> Option<Decimal> {
    let cell: String = cell.chars().filter(|c| *c != ',').collect();
    Decimal::from_str(cell.trim()).ok()
}

fn decimals(cell: &str) -> u32 {
    cell.trim()
        .split_once('.')
        .map_or(0, |(_, d)| d.len() as u32)
}

fn check_total_row(table: &Table, findings: &mut Vec<NarrativeFinding>) {
    let is_total = |row: &Vec<(String, usize)>| {
        row.iter()
            .any(|(c, _)| matches!(c.replace(' ', "").as_str(), "合计" | "总计"))
    };
    let Some(t) = table.rows.iter().position(is_total) else {
        return;
    };
    let (total, parts) = (&table.rows[t], &table.rows[..t]);
    if parts.is_empty() {
        return;
    }
    for (j, heading) in table.header.iter().enumerate() {
        if heading.contains(['率', '%', '％']) || heading.contains("序号") {
            continue;
        }
        let Some((printed, line)) = total.get(j) else {
            continue;
        };
        let Some(stated) = number(printed) else {
            continue;
        };
        let cells: Option<Vec<&str>> = parts
            .iter()
            .map(|r| {
                r.get(j)
                    .map(|(c, _)| c.as_str())
                    .filter(|c| number(c).is_some())
            })
            .collect();
        let Some(cells) = cells else { continue };
        let sum: Decimal = cells.iter().filter_map(|c| number(c)).sum();
        let places = cells
            .iter()
            .map(|c| decimals(c))
            .chain([decimals(printed)])
            .max()
            .unwrap_or(0);
        let tolerance = Decimal::new(5, places + 1) * Decimal::from(cells.len() + 1);
        let gap = (sum - stated).abs();
        if gap.is_zero() {
            continue;
        }
        let severity = if gap <= tolerance {
            FindingSeverity::Rounding
        } else {
            FindingSeverity::Error
        };
        findings.push(NarrativeFinding {
            rule_id: "narrative.table_total",
            severity,
            description: format!(
                "表中“{heading}”合计 {} ≠ 各行之和 {}（{} 行）",
                stated.normalize(),
                sum.normalize(),
                cells.len()
            ),
            lines: vec![*line],
            cells: Vec::new(),
            left: format!("{heading} 合计"),
            right: format!("sum of the {} rows above", cells.len()),
            left_amount: stated,
            right_amount: sum,
            tolerance,
        });
    }
}
