//! How the generator lays a form's lines out on a sheet, with the variations
//! real exports show (DOMAIN.md §2): title rows, unit lines, 行次/栏次, merged
//! multi-row headers, split subject codes, label numbering and spacing,
//! numbers as text, markers for nothing, hidden rows, totals on top or at the
//! bottom, formulas, notes. Every number written is recorded as the fact the
//! reader must find there.

use std::collections::BTreeMap;

use super::accounts::{FormData, Line};
use crate::spec::{Catalogue, Form};

/// A cell as the generator writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Text(String),
    Number(f64),
    /// A formula with its cached result (`.xlsx` only; `.xls` gets the number).
    Formula(String, f64),
}

/// A fact the reader must produce from a cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expected {
    pub sheet: String,
    pub cell: (u32, u32),
    pub form: String,
    pub item: String,
    pub column: String,
    pub subject_code: Option<String>,
    /// 分 for money (as read, i.e. after 万元 rounding); the count for counts.
    pub amount: i64,
    pub is_count: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SheetOut {
    pub name: String,
    pub cells: BTreeMap<(u32, u32), Out>,
    pub merges: Vec<(u32, u32, u32, u32)>,
    pub hidden_rows: Vec<u32>,
    pub widths: BTreeMap<u32, f64>,
}

impl SheetOut {
    pub fn put(&mut self, row: u32, col: u32, out: Out) {
        self.cells.insert((row, col), out);
    }
    pub fn text(&mut self, row: u32, col: u32, text: impl Into<String>) {
        self.put(row, col, Out::Text(text.into()));
    }
    /// A merged range whose first cell holds `text`.
    pub fn merge(&mut self, r0: u32, c0: u32, r1: u32, c1: u32, text: &str) {
        self.text(r0, c0, text);
        if r0 != r1 || c0 != c1 {
            self.merges.push((r0, c0, r1, c1));
        }
    }
}

/// The layout choices for one workbook.
#[derive(Debug, Clone)]
pub struct Style {
    pub family_a: bool,
    pub xls: bool,
    /// 1–4 rows above the header: title, year, 编制单位 and unit line, blank.
    pub title_rows: u32,
    pub unit_phrase: usize,
    pub wan: bool,
    pub numbered: bool,
    pub split_codes: bool,
    pub codes_as_numbers: bool,
    pub label_numbering: bool,
    pub full_width: bool,
    pub spaced_labels: bool,
    /// 0 numbers, 1 text with thousands separators, 2 full-width digits.
    pub text_numbers: u8,
    /// What a zero shows: `None` writes 0, otherwise the marker (blank, `—`, `-`, `/`).
    pub zero_marker: Option<&'static str>,
    pub hidden_row: bool,
    pub totals_bottom: bool,
    pub formulas: bool,
    /// 0 `Z01 收入支出决算总表(财决01表)` cut at 31, 1 the title, 2 `表N`.
    pub sheet_names: u8,
    pub wide_sangong: bool,
    pub basic_panels: u32,
    pub notes: bool,
    pub title_with_unit_name: bool,
}

/// Who and when, as written on the sheets.
#[derive(Debug, Clone)]
pub struct Heading {
    pub unit_name: String,
    pub year: i32,
}

const UNIT_PHRASES: [&str; 3] = ["金额单位：", "单位：", "单位:"];
const NUMERALS: [&str; 20] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    "十五", "十六", "十七", "十八", "十九", "二十",
];

/// Column heading path as a real export prints it.
fn column_heading(form: &str, key: &str, family_a: bool) -> Vec<&'static str> {
    let grouped = |a: &'static str, b: &'static str| if family_a { vec![a, b] } else { vec![b] };
    match (form, key) {
        (_, "budget_initial") => vec!["年初预算数"],
        (_, "budget_full") => vec!["全年预算数"],
        ("sangong", "budget") => vec!["预算数"],
        ("sangong", "actual") => vec!["决算数"],
        ("fiscal_total", "actual_total") => grouped("决算数", "合计"),
        ("fiscal_total", "actual_gpb") => grouped("决算数", "一般公共预算财政拨款"),
        ("fiscal_total", "actual_gov_fund") => grouped("决算数", "政府性基金预算财政拨款"),
        ("fiscal_total", "actual_soe") => grouped("决算数", "国有资本经营预算财政拨款"),
        ("gpb_expenditure", "actual_total") => grouped("决算数", "合计"),
        ("gpb_expenditure", "basic") => grouped("决算数", "基本支出"),
        ("gpb_expenditure", "project") => grouped("决算数", "项目支出"),
        (_, "actual") => vec![if family_a { "决算数" } else { "金额" }],
        ("income", "income_total") => vec!["本年收入合计"],
        ("income", "fiscal_approp") => vec!["财政拨款收入"],
        ("income", "superior_subsidy") => vec!["上级补助收入"],
        ("income", "business") => vec!["事业收入"],
        ("income", "operating") => vec!["经营收入"],
        ("income", "affiliated_remit") => vec!["附属单位上缴收入"],
        ("income", "other") => vec!["其他收入"],
        ("expenditure", "expenditure_total") => vec!["本年支出合计"],
        ("expenditure", "basic") => vec!["基本支出"],
        ("expenditure", "project") => vec!["项目支出"],
        ("expenditure", "upper_remit") => vec!["上缴上级支出"],
        ("expenditure", "operating") => vec!["经营支出"],
        ("expenditure", "affiliated_subsidy") => vec!["对附属单位补助支出"],
        (_, "carryover_begin") => vec!["年初结转和结余"],
        (_, "income") => vec!["本年收入"],
        (_, "expenditure_total") => vec!["本年支出", "小计"],
        (_, "basic") => vec!["本年支出", "基本支出"],
        (_, "project") => vec!["本年支出", "项目支出"],
        (_, "carryover_end") => vec!["年末结转和结余"],
        (_, "value") => vec!["数量"],
        _ => vec!["金额"],
    }
}

/// Writes numbers and records what the reader must find.
pub struct Writer<'a> {
    pub style: &'a Style,
    pub sheet: SheetOut,
    pub expected: Vec<Expected>,
    pub form: String,
}

impl Writer<'_> {
    /// Writes an amount (分) or a count at (row, col); returns the value as written.
    pub fn amount(
        &mut self,
        row: u32,
        col: u32,
        line: &Line,
        column: &str,
        value: i64,
        is_count: bool,
    ) {
        let (written_cents, read_fen) = if is_count {
            (value * 100, value)
        } else if self.style.wan {
            // 0.01万元 = 10,000 分: each cell rounded on its own, as published.
            let wan_cents = (value as f64 / 10_000.0).round() as i64;
            (wan_cents, wan_cents * 10_000)
        } else {
            (value, value)
        };
        if read_fen == 0
            && let Some(marker) = self.style.zero_marker
        {
            if !marker.is_empty() {
                self.sheet.text(row, col, marker);
            }
            return;
        }
        let number = written_cents as f64 / 100.0;
        let out = match self.style.text_numbers {
            1 if !is_count && read_fen != 0 => Out::Text(thousands(written_cents)),
            2 if !is_count && read_fen != 0 => Out::Text(full_width(&format_cents(written_cents))),
            _ => Out::Number(number),
        };
        self.sheet.put(row, col, out);
        self.expected.push(Expected {
            sheet: String::new(),
            cell: (row, col),
            form: self.form.clone(),
            item: line.item.clone(),
            column: column.to_string(),
            subject_code: line.subject_code.clone(),
            amount: read_fen,
            is_count,
        });
    }
}

fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

fn thousands(cents: i64) -> String {
    let plain = format_cents(cents.abs());
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if cents < 0 {
        format!("（{grouped}.{frac}）")
    } else {
        format!("{grouped}.{frac}")
    }
}

fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() || c == '.' {
                char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

impl Style {
    fn label(&self, text: &str, index: Option<usize>, sub: bool) -> String {
        let mut text = text.to_string();
        if self.full_width {
            text = text.replace('(', "（").replace(')', "）");
        } else {
            text = text.replace('（', "(").replace('）', ")");
        }
        if self.spaced_labels && text.chars().count() <= 4 {
            text = text.chars().map(String::from).collect::<Vec<_>>().join(" ");
        }
        if sub {
            return format!("    {text}");
        }
        match (self.label_numbering, index) {
            (true, Some(i)) if i < NUMERALS.len() => format!("{}、{text}", NUMERALS[i]),
            _ => text,
        }
    }
}

/// Title block above the header; returns the next free row.
fn title_block(w: &mut Writer, form: &Form, heading: &Heading, width: u32) -> u32 {
    let style = w.style;
    let title = if style.title_with_unit_name {
        format!(
            "{}{}年度{}",
            heading.unit_name, heading.year, form.spec.name
        )
    } else {
        form.spec.name.clone()
    };
    w.sheet.merge(0, 0, 0, width.saturating_sub(1), &title);
    let mut row = 1;
    if style.title_rows >= 2 {
        if style.family_a {
            w.sheet.text(row, 0, format!("{}年度", heading.year));
        } else if !style.title_with_unit_name {
            w.sheet.text(row, 0, format!("部门：{}", heading.unit_name));
        }
        row += 1;
    }
    if style.title_rows >= 3 {
        if style.family_a {
            w.sheet
                .text(row, 0, format!("编制单位：{}", heading.unit_name));
        }
        let unit = if style.wan { "万元" } else { "元" };
        if style.unit_phrase < UNIT_PHRASES.len() {
            w.sheet.text(
                row,
                width.saturating_sub(1).max(1),
                format!("{}{unit}", UNIT_PHRASES[style.unit_phrase]),
            );
        } else {
            w.sheet.text(row, width.saturating_sub(2).max(1), "单位：");
            w.sheet.text(row, width.saturating_sub(1).max(2), unit);
        }
        row += 1;
    }
    if style.title_rows >= 4 {
        row += 1;
    }
    row
}

/// Writes the header rows from column heading paths, merging repeated group
/// headings and stretching short paths down; returns the first body row.
fn header(w: &mut Writer, top: u32, columns: &[(u32, Vec<String>)]) -> u32 {
    let depth = columns.iter().map(|(_, p)| p.len()).max().unwrap_or(1) as u32;
    for level in 0..depth {
        let mut i = 0;
        while i < columns.len() {
            let (col, path) = &columns[i];
            let Some(text) = path.get(level as usize) else {
                i += 1;
                continue;
            };
            if level + 1 == path.len() as u32 {
                w.sheet
                    .merge(top + level, *col, top + depth - 1, *col, text);
                i += 1;
                continue;
            }
            // A group heading: spans the following columns sharing it.
            let mut j = i;
            while j + 1 < columns.len()
                && columns[j + 1].1.get(level as usize) == Some(text)
                && columns[j + 1].1[..level as usize] == path[..level as usize]
                && columns[j + 1].0 == columns[j].0 + 1
            {
                j += 1;
            }
            w.sheet
                .merge(top + level, *col, top + level, columns[j].0, text);
            i = j + 1;
        }
    }
    top + depth
}

fn col_no_row(w: &mut Writer, row: u32, columns: &[(u32, Vec<String>)], value_cols: &[u32]) {
    if let Some((first, _)) = columns.first() {
        w.sheet.text(row, *first, "栏次");
    }
    for (i, col) in value_cols.iter().enumerate() {
        w.sheet.put(row, *col, Out::Number(i as f64 + 1.0));
    }
}

/// Lays out one form's lines; returns the sheet and the expected facts.
pub fn write_form(
    data: &FormData,
    form: &Form,
    catalogue: &Catalogue,
    style: &Style,
    heading: &Heading,
) -> (SheetOut, Vec<Expected>) {
    let mut w = Writer {
        style,
        sheet: SheetOut::default(),
        expected: Vec::new(),
        form: data.form.to_string(),
    };
    match data.form {
        "income" | "expenditure" | "gpb_expenditure" | "gov_fund" | "soe_capital" => {
            subject_form(&mut w, data, form, catalogue, heading)
        }
        "gpb_basic_detail" => basic_detail(&mut w, data, form, catalogue, heading),
        "sangong" if style.wide_sangong => wide_sangong(&mut w, data, form, heading),
        _ => label_form(&mut w, data, form, catalogue, heading),
    }
    (w.sheet, w.expected)
}

/// Columns of a panel present in the data, in spec order.
fn panel_columns(data: &FormData, form: &Form, panel: usize) -> Vec<String> {
    form.panels[panel]
        .columns
        .iter()
        .filter(|c| {
            data.lines
                .iter()
                .any(|l| l.panel == panel && l.values.iter().any(|(k, _)| **k == *c.key))
        })
        .map(|c| c.key.to_string())
        .collect()
}

/// Total forms and 机构运行信息表: labelled lines, panels side by side.
fn label_form(
    w: &mut Writer,
    data: &FormData,
    form: &Form,
    catalogue: &Catalogue,
    heading: &Heading,
) {
    let style = w.style;
    let panels: Vec<usize> = (0..form.panels.len())
        .filter(|p| data.lines.iter().any(|l| l.panel == *p))
        .collect();
    let side_by_side_ops = data.form == "operations";
    // Column plan: per panel, label [+ 行次] + value columns.
    let mut columns: Vec<(u32, Vec<String>)> = Vec::new();
    // Per panel: spec panel, label column, 行次 column, (column key, sheet column).
    type PanelPlan = (usize, u32, Option<u32>, Vec<(String, u32)>);
    let mut plan: Vec<PanelPlan> = Vec::new();
    let mut col = 0;
    let two_sided = matches!(data.form, "income_expenditure_total" | "fiscal_total");
    let group = |p: usize| {
        if two_sided {
            Some(if p == 0 { "收入" } else { "支出" })
        } else {
            None
        }
    };
    let mut value_cols = Vec::new();
    let op_panels = if side_by_side_ops { 2 } else { 1 };
    let panel_list: Vec<usize> = if side_by_side_ops {
        vec![0; op_panels]
    } else {
        panels.clone()
    };
    for &p in &panel_list {
        let prefix: Vec<String> = group(p).map(|g| vec![g.to_string()]).unwrap_or_default();
        let label_col = col;
        columns.push((col, [prefix.clone(), vec!["项目".into()]].concat()));
        col += 1;
        let line_col = if style.numbered {
            columns.push((col, [prefix.clone(), vec!["行次".into()]].concat()));
            col += 1;
            Some(col - 1)
        } else {
            None
        };
        if side_by_side_ops {
            columns.push((col, vec!["计量单位".into()]));
            col += 1;
        }
        let mut vcols = Vec::new();
        for key in panel_columns(data, form, p) {
            let path: Vec<String> = column_heading(data.form, &key, style.family_a)
                .iter()
                .map(|s| s.to_string())
                .collect();
            columns.push((col, [prefix.clone(), path].concat()));
            value_cols.push(col);
            vcols.push((key, col));
            col += 1;
        }
        plan.push((p, label_col, line_col, vcols));
    }
    let top = title_block(w, form, heading, col);
    let mut row = header(w, top, &columns);
    if style.numbered {
        col_no_row(w, row, &columns, &value_cols);
        row += 1;
    }
    let body = row;
    let mut max_row = body;
    let mut placed: BTreeMap<usize, u32> = BTreeMap::new();
    for (i, line) in data.lines.iter().enumerate() {
        // Operations: alternate lines between the two side-by-side panels.
        let slot = if side_by_side_ops {
            i % 2
        } else {
            panel_list
                .iter()
                .position(|p| *p == line.panel)
                .unwrap_or(0)
        };
        let (p, label_col, line_col, vcols) = &plan[slot];
        let r = body + *placed.entry(slot).or_insert(0);
        *placed.get_mut(&slot).unwrap_or(&mut 0) += 1;
        let spec_item = form.panels[*p]
            .items
            .iter()
            .find(|it| *it.key == *line.item);
        let raw_label = match (&line.subject_code, spec_item) {
            (Some(code), _) if line.item == "subject" => catalogue
                .classification
                .functional_classes
                .get(code)
                .and_then(|n| n.first().cloned())
                .unwrap_or_default(),
            (_, Some(it)) => form.spec.panels[*p]
                .items
                .iter()
                .find(|s| *s.key == *it.key)
                .map(|s| s.labels[0].clone())
                .unwrap_or_default(),
            _ => line.item.clone(),
        };
        let sub = spec_item.is_some_and(|it| it.within.is_some());
        let index = placed[&slot] as usize - 1;
        w.sheet
            .text(r, *label_col, style.label(&raw_label, Some(index), sub));
        if let (Some(lc), Some(l)) = (line_col, spec_item.and_then(|it| it.line)) {
            w.sheet.put(r, *lc, Out::Number(l as f64));
        }
        let count_unit = spec_item.and_then(|it| it.unit.clone());
        if side_by_side_ops {
            w.sheet.text(
                r,
                label_col + 1 + u32::from(line_col.is_some()),
                count_unit.clone().unwrap_or_else(|| {
                    if style.wan {
                        "万元".into()
                    } else {
                        "元".into()
                    }
                }),
            );
        }
        for (key, c) in vcols {
            if let Some((_, v)) = line.values.iter().find(|(k, _)| k == key) {
                w.amount(r, *c, line, key, *v, count_unit.is_some());
            }
        }
        max_row = max_row.max(r);
    }
    if style.hidden_row && max_row > body + 2 {
        w.sheet.hidden_rows.push(body + 1);
    }
    if style.notes {
        w.sheet.text(
            max_row + 2,
            0,
            "注：本表反映部门本年度的总收支和年末结转结余情况。",
        );
    }
    w.sheet.widths.insert(0, 34.0);
}

/// Subject-row forms: 类/款/项 codes with names, total line on top or bottom.
fn subject_form(
    w: &mut Writer,
    data: &FormData,
    form: &Form,
    catalogue: &Catalogue,
    heading: &Heading,
) {
    let style = w.style;
    let keys = panel_columns(data, form, 0);
    let mut columns: Vec<(u32, Vec<String>)> = Vec::new();
    let group = "项目";
    let (code_cols, name_col) = if style.split_codes {
        for (i, part) in ["类", "款", "项"].iter().enumerate() {
            columns.push((
                i as u32,
                vec![group.into(), "功能分类科目编码".into(), part.to_string()],
            ));
        }
        columns.push((3, vec![group.into(), "科目名称".into()]));
        (vec![0, 1, 2], 3)
    } else {
        columns.push((0, vec![group.into(), "科目编码".into()]));
        columns.push((1, vec![group.into(), "科目名称".into()]));
        (vec![0], 1)
    };
    let mut col = name_col + 1;
    let mut value_cols = Vec::new();
    let mut vcols = Vec::new();
    let keys = if keys.is_empty() {
        form.panels[0]
            .columns
            .iter()
            .filter(|c| style.family_a || c.key != "budget_full")
            .map(|c| c.key.to_string())
            .collect()
    } else {
        keys
    };
    for key in keys {
        let path: Vec<String> = column_heading(data.form, &key, style.family_a)
            .iter()
            .map(|s| s.to_string())
            .collect();
        columns.push((col, path));
        value_cols.push(col);
        vcols.push((key, col));
        col += 1;
    }
    let top = title_block(w, form, heading, col);
    let mut row = header(w, top, &columns);
    if style.numbered {
        col_no_row(w, row, &columns, &value_cols);
        row += 1;
    }
    let total = data.lines.iter().find(|l| l.subject_code.is_none());
    let subjects: Vec<&Line> = data
        .lines
        .iter()
        .filter(|l| l.subject_code.is_some())
        .collect();
    let mut order: Vec<&Line> = Vec::new();
    if !style.totals_bottom {
        order.extend(total);
    }
    order.extend(subjects.iter().copied());
    if style.totals_bottom {
        order.extend(total);
    }
    let body = row;
    let mut previous: Option<String> = None;
    for line in &order {
        let r = row;
        row += 1;
        match &line.subject_code {
            None => {
                w.sheet
                    .merge(r, 0, r, name_col, &style.label("合计", None, false));
            }
            Some(code) => {
                let name = if code.len() == 3 {
                    catalogue
                        .classification
                        .functional_classes
                        .get(code)
                        .and_then(|n| n.first().cloned())
                } else {
                    catalogue
                        .classification
                        .functional_subjects
                        .get(code)
                        .cloned()
                }
                .unwrap_or_else(|| "其他".into());
                if style.split_codes {
                    let parts = [
                        &code[..3],
                        code.get(3..5).unwrap_or(""),
                        code.get(5..7).unwrap_or(""),
                    ];
                    for (i, part) in parts.iter().enumerate() {
                        if part.is_empty() {
                            continue;
                        }
                        // Some exports leave the 类 blank under its own block.
                        let repeat_class = i == 0
                            && code.len() > 3
                            && previous
                                .as_deref()
                                .is_some_and(|p| p.starts_with(&code[..3]))
                            && style.label_numbering;
                        if repeat_class {
                            continue;
                        }
                        let cell = if style.codes_as_numbers {
                            Out::Number(part.parse::<f64>().unwrap_or(0.0))
                        } else {
                            Out::Text(part.to_string())
                        };
                        w.sheet.put(r, code_cols[i], cell);
                    }
                } else if style.codes_as_numbers {
                    w.sheet
                        .put(r, 0, Out::Number(code.parse::<f64>().unwrap_or(0.0)));
                } else {
                    w.sheet.text(r, 0, code.clone());
                }
                let indent = if style.family_a {
                    ""
                } else {
                    ["", "  ", "    "][(code.len() - 3) / 2]
                };
                w.sheet.text(
                    r,
                    name_col,
                    format!("{indent}{}", style.label(&name, None, false)),
                );
                previous = Some(code.clone());
            }
        }
        for (key, c) in &vcols {
            if let Some((_, v)) = line.values.iter().find(|(k, _)| k == key) {
                w.amount(r, *c, line, key, *v, false);
            }
        }
    }
    // Totals as formulas over the 类 lines (cached value kept).
    if style.formulas
        && !style.xls
        && let Some(total_row) = (body..row).find(|r| {
            w.sheet
                .cells
                .get(&(*r, 0))
                .is_some_and(|c| matches!(c, Out::Text(t) if t.contains('合')))
        })
    {
        let class_rows: Vec<u32> = (body..row)
            .filter(|r| *r != total_row)
            .filter(|r| {
                order
                    .get((*r - body) as usize)
                    .is_some_and(|l| l.subject_code.as_ref().is_some_and(|c| c.len() == 3))
            })
            .collect();
        for (_, c) in &vcols {
            if let Some(Out::Number(v)) = w.sheet.cells.get(&(total_row, *c)).cloned() {
                let refs: Vec<String> =
                    class_rows.iter().map(|r| crate::text::a1(*r, *c)).collect();
                if !refs.is_empty() {
                    w.sheet.put(
                        total_row,
                        *c,
                        Out::Formula(format!("={}", refs.join("+")), v),
                    );
                }
            }
        }
    }
    if style.hidden_row && row > body + 3 {
        w.sheet.hidden_rows.push(body + 2);
    }
    if data.lines.is_empty() {
        let what = if data.form == "gov_fund" {
            "政府性基金预算财政拨款"
        } else {
            "国有资本经营预算财政拨款"
        };
        w.sheet.text(
            row + 1,
            0,
            format!(
                "注：本单位{}无{what}收入和支出，故本表无数据。",
                heading.year
            ),
        );
    } else if style.notes {
        w.sheet.text(row + 1, 0, "注：本表含财政拨款和非财政拨款。");
    }
    w.sheet.widths.insert(name_col, 30.0);
}

/// 基本支出明细表: 经济分类 lines in two or three code/name/amount panels.
fn basic_detail(
    w: &mut Writer,
    data: &FormData,
    form: &Form,
    catalogue: &Catalogue,
    heading: &Heading,
) {
    let style = w.style;
    let n = style.basic_panels.clamp(2, 3);
    let mut columns = Vec::new();
    let mut value_cols = Vec::new();
    for p in 0..n {
        let base = p * 3;
        columns.push((base, vec!["科目编码".to_string()]));
        columns.push((base + 1, vec!["科目名称".to_string()]));
        columns.push((
            base + 2,
            vec![column_heading("gpb_basic_detail", "actual", style.family_a)[0].to_string()],
        ));
        value_cols.push(base + 2);
    }
    let top = title_block(w, form, heading, n * 3);
    let mut row = header(w, top, &columns);
    if style.numbered {
        col_no_row(w, row, &columns, &value_cols);
        row += 1;
    }
    let panel_of = |code: &str| -> u32 {
        match &code[..3] {
            "301" | "303" => 0,
            "310" if n == 3 => 2,
            _ => 1,
        }
    };
    let mut next: Vec<u32> = vec![row; n as usize];
    for line in data.lines.iter().filter(|l| l.subject_code.is_some()) {
        let code = line.subject_code.clone().unwrap_or_default();
        let p = panel_of(&code);
        let r = next[p as usize];
        next[p as usize] += 1;
        let name = catalogue
            .classification
            .economic_subjects
            .get(&code)
            .cloned()
            .unwrap_or_default();
        if style.codes_as_numbers {
            w.sheet
                .put(r, p * 3, Out::Number(code.parse::<f64>().unwrap_or(0.0)));
        } else {
            w.sheet.text(r, p * 3, code.clone());
        }
        w.sheet.text(r, p * 3 + 1, style.label(&name, None, false));
        if let Some((k, v)) = line.values.first() {
            w.amount(r, p * 3 + 2, line, &k.clone(), *v, false);
        }
    }
    let last = next.iter().copied().max().unwrap_or(row);
    for (item, p, label) in [
        ("personnel_total", 0, "人员经费合计"),
        ("public_total", 1, "公用经费合计"),
    ] {
        if let Some(line) = data.lines.iter().find(|l| l.item == item) {
            w.sheet.merge(
                last,
                p * 3,
                last,
                p * 3 + 1,
                &style.label(label, None, false),
            );
            if let Some((k, v)) = line.values.first() {
                w.amount(last, p * 3 + 2, line, &k.clone(), *v, false);
            }
        }
    }
    if style.notes {
        w.sheet.text(last + 2, 0, "注：人员经费合计 = 工资福利支出 + 对个人和家庭的补助；公用经费合计 = 商品和服务支出 + 资本性支出。");
    }
    w.sheet.widths.insert(1, 24.0);
}

/// 三公 as one wide row under a three-row header.
fn wide_sangong(w: &mut Writer, data: &FormData, form: &Form, heading: &Heading) {
    let items = [
        ("sangong_total", vec!["合计"]),
        ("abroad", vec!["因公出国（境）费"]),
        ("vehicle_total", vec!["公务用车购置及运行费", "小计"]),
        (
            "vehicle_purchase",
            vec!["公务用车购置及运行费", "公务用车购置费"],
        ),
        (
            "vehicle_operation",
            vec!["公务用车购置及运行费", "公务用车运行费"],
        ),
        ("reception", vec!["公务接待费"]),
    ];
    let mut columns = Vec::new();
    let mut cells = Vec::new();
    let mut col = 0;
    for (group, key) in [("预算数", "budget"), ("决算数", "actual")] {
        for (item, path) in &items {
            let mut p = vec![group.to_string()];
            p.extend(path.iter().map(|s| s.to_string()));
            columns.push((col, p));
            cells.push((col, *item, key));
            col += 1;
        }
    }
    let top = title_block(w, form, heading, col);
    let mut row = header(w, top, &columns);
    if w.style.numbered {
        let value_cols: Vec<u32> = (0..col).collect();
        for (i, c) in value_cols.iter().enumerate() {
            w.sheet.put(row, *c, Out::Number(i as f64 + 1.0));
        }
        row += 1;
    }
    for (c, item, key) in cells {
        if let Some(line) = data.lines.iter().find(|l| l.item == item)
            && let Some((_, v)) = line.values.iter().find(|(k, _)| k == key)
        {
            w.amount(row, c, line, key, *v, false);
        }
    }
    if w.style.notes {
        w.sheet
            .text(row + 2, 0, "注：“三公”经费为财政拨款安排的支出。");
    }
}

/// The sheet name an export would give this form.
pub fn sheet_name(form: &Form, style: &Style, index: usize) -> String {
    let name = match style.sheet_names {
        0 => {
            let z = form
                .spec
                .codes
                .iter()
                .find(|c| c.starts_with('Z'))
                .cloned()
                .unwrap_or_else(|| format!("F{index:02}"));
            format!("{z} {}({}表)", form.spec.name, form.spec.code)
        }
        1 => form.spec.name.replace(['“', '”'], ""),
        _ => format!("表{}", index + 1),
    };
    name.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}
