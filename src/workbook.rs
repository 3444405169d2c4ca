//! Write stage, for people: `league_tables.xlsx` (DOMAIN §9). 总览 first,
//! then one league sheet per indicator theme, 同比, 异常标记, 勾稽校验 and
//! 绩效评分. Chinese headers, amounts in 万元 with separators, rates as
//! percentages, frozen headers, filters, colour scales on ranked values,
//! flagged rows highlighted, columns sized to their contents. Metadata is
//! fixed so the same inputs give the same bytes.

use anyhow::{Result, anyhow};
use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormat3ColorScale, DocProperties, ExcelDateTime, Format,
    FormatAlign, Workbook, Worksheet,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::analyse::Analysis;
use crate::analyse::measures::Level;
use crate::analyse::metrics::MetricRow;
use crate::analyse::spec::{AnalysisSpec, Direction, Format as Shown};
use crate::ingest::batch::{Batch, Severity};
use crate::narrative::Narratives;
use crate::narrative::check::Verdict;
use crate::query::Query;
use crate::roster::Filing;
use crate::rules::FindingSeverity;
use crate::validate::{CheckRun, cells_text};
use crate::write::atomic_write;
use polars::prelude::{AnyValue, DataFrame};

/// A value as the workbook shows it.
#[derive(Debug, Clone)]
enum V {
    Text(String),
    /// 元, shown in 万元.
    Wan(f64),
    Percent(f64),
    Int(i64),
    /// A year: no thousands separator.
    Year(i32),
    Num(f64),
    /// A small statistic (a MAD): four decimals.
    Fine(f64),
    Empty,
}

struct Col {
    header: String,
    /// Colour scale over the column: green for better.
    scale: Option<Direction>,
}

fn col(header: impl Into<String>) -> Col {
    Col {
        header: header.into(),
        scale: None,
    }
}

struct Table {
    title: String,
    cols: Vec<Col>,
    rows: Vec<(Vec<V>, bool)>,
}

/// Cell formats, made once.
struct Styles {
    title: Format,
    header: Format,
    text: Format,
    wan: Format,
    percent: Format,
    int: Format,
    num: Format,
    year: Format,
    fine: Format,
    /// The same, on a highlighted (flagged) row.
    flagged: [Format; 7],
}

impl Styles {
    fn new() -> Self {
        let base = || Format::new().set_font_name("等线").set_font_size(10.5);
        let text = base();
        let wan = base().set_num_format("#,##0.00");
        let percent = base().set_num_format("0.00%");
        let int = base().set_num_format("#,##0");
        let num = base().set_num_format("#,##0.00");
        let year = base().set_num_format("0");
        let fine = base().set_num_format("0.0000");
        let flag = |f: &Format| f.clone().set_background_color(0xFCE4D6);
        Styles {
            title: base().set_bold().set_font_size(14),
            header: base()
                .set_bold()
                .set_background_color(0xDDEBF7)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            flagged: [
                flag(&text),
                flag(&wan),
                flag(&percent),
                flag(&int),
                flag(&num),
                flag(&year),
                flag(&fine),
            ],
            text,
            wan,
            percent,
            int,
            num,
            year,
            fine,
        }
    }

    fn of(&self, v: &V, flagged: bool) -> &Format {
        let i = match v {
            V::Text(_) | V::Empty => 0,
            V::Wan(_) => 1,
            V::Percent(_) => 2,
            V::Int(_) => 3,
            V::Num(_) => 4,
            V::Year(_) => 5,
            V::Fine(_) => 6,
        };
        if flagged {
            return &self.flagged[i];
        }
        [
            &self.text,
            &self.wan,
            &self.percent,
            &self.int,
            &self.num,
            &self.year,
            &self.fine,
        ][i]
    }
}

fn xl(e: rust_xlsxwriter::XlsxError) -> anyhow::Error {
    anyhow!("writing league_tables.xlsx: {e}")
}

/// Display width of text: CJK characters count double.
fn width_of(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Sheets longer than this are written in rust_xlsxwriter's constant-memory
/// mode (rows streamed to a temporary file, strings inline), so that a
/// province's league tables are not all held as cells until the workbook is
/// saved: at 61,887 workbooks its ten sheets of 28,000 department rows held
/// ≈ 600 MiB that way. The cells, formats and widths read back the same.
const LARGE_SHEET_ROWS: usize = 2_000;

/// Rows a sheet holds below its title and header: Excel's 1,048,576 less two.
const SHEET_ROWS: usize = 1_048_576 - 2;

/// Deflate level of the workbook's zip container: Excel's own. Compressing
/// is a large part of saving; against rust_xlsxwriter's default of 6 it is
/// ≈ 30 % faster for a file ≈ 5 % larger (rust_xlsxwriter's performance notes).
const ZIP_LEVEL: u8 = 3;

/// Adds a sheet named `name` holding `table`, continued on sheets `name (2)`,
/// `name (3)` … when it has more rows than a sheet holds (a province's
/// 同比 over several years can).
fn add_table(book: &mut Workbook, name: &str, table: &Table, styles: &Styles) -> Result<usize> {
    add_table_sized(book, name, table, styles, LARGE_SHEET_ROWS, SHEET_ROWS)
}

/// [`add_table`] with the row counts that make a sheet large and full;
/// returns the number of sheets.
fn add_table_sized(
    book: &mut Workbook,
    name: &str,
    table: &Table,
    styles: &Styles,
    large: usize,
    full: usize,
) -> Result<usize> {
    let mut parts: Vec<&[(Vec<V>, bool)]> = table.rows.chunks(full.max(1)).collect();
    if parts.is_empty() {
        parts.push(&[]);
    }
    for (i, rows) in parts.iter().enumerate() {
        let sheet = if rows.len() > large {
            book.add_worksheet_with_constant_memory().map_err(xl)?
        } else {
            book.add_worksheet()
        };
        let title = if i == 0 {
            sheet.set_name(name).map_err(xl)?;
            table.title.clone()
        } else {
            let suffix = format!(" ({})", i + 1);
            // Sheet names are at most 31 characters.
            let kept: String = name.chars().take(31 - suffix.chars().count()).collect();
            sheet.set_name(format!("{kept}{suffix}")).map_err(xl)?;
            format!("{}（续 {}）", table.title, i + 1)
        };
        write_table(sheet, &title, &table.cols, rows, styles)?;
    }
    Ok(parts.len())
}

/// Writes a table with its title in row 0 and headers in row 1, row by row
/// in order (as constant-memory mode needs).
fn write_table(
    sheet: &mut Worksheet,
    title: &str,
    cols: &[Col],
    rows: &[(Vec<V>, bool)],
    styles: &Styles,
) -> Result<()> {
    sheet
        .write_string_with_format(0, 0, title, &styles.title)
        .map_err(xl)?;
    let header_row = 1;
    sheet.set_row_height(header_row, 30).map_err(xl)?;
    let mut widths: Vec<usize> = cols.iter().map(|c| width_of(&c.header).min(24)).collect();
    for (c, column) in cols.iter().enumerate() {
        sheet
            .write_string_with_format(header_row, c as u16, &column.header, &styles.header)
            .map_err(xl)?;
    }
    // Each column takes the format of its first unflagged figure as its
    // own, and the cells in that format are written without one (Excel
    // shows them in the column's): rust_xlsxwriter looks a cell's format up
    // by hashing every property of it, on every write, which was 2–3 % of a
    // run's CPU. Flagged rows and other types keep their own formats.
    let column_formats: Vec<Option<&Format>> = (0..cols.len())
        .map(|c| {
            rows.iter()
                .find_map(|(values, flagged)| match values.get(c) {
                    Some(V::Empty) | None => None,
                    Some(v) => (!flagged).then(|| styles.of(v, false)),
                })
        })
        .collect();
    for (c, format) in column_formats.iter().enumerate() {
        if let Some(format) = format {
            sheet.set_column_format(c as u16, format).map_err(xl)?;
        }
    }
    for (i, (values, flagged)) in rows.iter().enumerate() {
        let r = header_row + 1 + i as u32;
        for (c, v) in values.iter().enumerate() {
            let format = styles.of(v, *flagged);
            let column_format = column_formats.get(c).copied().flatten();
            let own_format =
                (!column_format.is_some_and(|f| std::ptr::eq(f, format))).then_some(format);
            let c16 = c as u16;
            let mut number = |x: f64| write_number(sheet, r, c16, x, own_format);
            let shown = match v {
                V::Text(t) => {
                    let t = within_cell_limit(t);
                    match own_format {
                        Some(format) => sheet.write_string_with_format(r, c16, &*t, format),
                        None => sheet.write_string(r, c16, &*t),
                    }
                    .map_err(xl)?;
                    width_of(&t)
                }
                V::Wan(x) => {
                    number(x / 10_000.0)?;
                    format!("{:.2}", x / 10_000.0).len() + 3
                }
                V::Percent(x) => {
                    number(*x)?;
                    8
                }
                V::Int(x) => {
                    number(*x as f64)?;
                    x.to_string().len() + 2
                }
                V::Year(y) => {
                    number(f64::from(*y))?;
                    6
                }
                V::Num(x) => {
                    number(*x)?;
                    format!("{x:.2}").len() + 2
                }
                V::Fine(x) => {
                    number(*x)?;
                    8
                }
                V::Empty => {
                    if *flagged {
                        sheet.write_blank(r, c16, format).map_err(xl)?;
                    }
                    0
                }
            };
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(shown.min(60));
            }
        }
    }
    let last_row = header_row + rows.len() as u32;
    let last_col = cols.len().saturating_sub(1) as u16;
    print_setup(sheet);
    sheet.set_repeat_rows(0, header_row).map_err(xl)?;
    sheet.set_freeze_panes(header_row + 1, 0).map_err(xl)?;
    if !cols.is_empty() {
        sheet
            .autofilter(header_row, 0, last_row.max(header_row), last_col)
            .map_err(xl)?;
    }
    for (c, w) in widths.iter().enumerate() {
        sheet
            .set_column_width(c as u16, (*w as f64 + 2.0).clamp(6.0, 62.0))
            .map_err(xl)?;
    }
    if last_row > header_row {
        for (c, column) in cols.iter().enumerate() {
            let Some(direction) = column.scale else {
                continue;
            };
            let (low, high) = match direction {
                Direction::Higher => (0xF8696B, 0x63BE7B),
                Direction::Lower => (0x63BE7B, 0xF8696B),
                Direction::None => continue,
            };
            let scale = ConditionalFormat3ColorScale::new()
                .set_minimum_color(low)
                .set_maximum_color(high);
            sheet
                .add_conditional_format(header_row + 1, c as u16, last_row, c as u16, &scale)
                .map_err(xl)?;
        }
    }
    Ok(())
}

/// A number in `format`, or in its column's format when `None`.
fn write_number(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    number: f64,
    format: Option<&Format>,
) -> Result<()> {
    match format {
        Some(format) => sheet.write_number_with_format(row, col, number, format),
        None => sheet.write_number(row, col, number),
    }
    .map_err(xl)?;
    Ok(())
}

/// Printed (and rendered to PDF) landscape on A4, at 60% so that a page
/// shows a useful number of columns.
fn print_setup(sheet: &mut Worksheet) {
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_scale(60);
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> V) -> V {
    v.map_or(V::Empty, f)
}

/// Writes the workbook atomically. The query sheets come last, and
/// `answers` is called for them only once every other sheet is written, so
/// that a run can build the workbook while it writes the analysis files the
/// queries read.
pub fn write_workbook(
    path: &Path,
    batch: &Batch,
    checked: &CheckRun,
    analysis: &Analysis,
    spec: &AnalysisSpec,
    (narratives, filings): (&Narratives, &[Filing]),
    answers: impl FnOnce() -> Result<Answers>,
) -> Result<()> {
    let mut book = Workbook::new();
    book.set_zip_compression_level(ZIP_LEVEL);
    book.set_properties(&properties()?);
    let styles = Styles::new();
    let flagged: BTreeMap<(Level, String, i32), Vec<&str>> = {
        let mut m: BTreeMap<(Level, String, i32), Vec<&str>> = BTreeMap::new();
        for f in &analysis.flags {
            let labels = m.entry((f.level, f.entity_id.clone(), f.year)).or_default();
            if !labels.contains(&f.label.as_str()) {
                labels.push(&f.label);
            }
        }
        m
    };
    // With their places among the entities, which key the metrics.
    let departments: Vec<(usize, &crate::analyse::measures::EntityYear)> = analysis
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.level == Level::Department)
        .collect();
    let years: BTreeSet<i32> = departments.iter().map(|(_, e)| e.year).collect();
    let latest = years.last().copied();

    overview(
        &mut book,
        &styles,
        (batch, narratives),
        checked,
        analysis,
        spec,
        latest,
    )?;
    let get = |i: usize, metric: &str| -> MetricRow {
        analysis.metrics.row(i, metric).unwrap_or_default()
    };

    // One league sheet per theme: departments, latest year first, by rank on
    // the theme's first ranked indicator.
    let mut themes: Vec<&str> = Vec::new();
    for i in &spec.indicators {
        if !themes.contains(&i.theme.as_str()) {
            themes.push(&i.theme);
        }
    }
    let peers = match spec.peer_groups[0].as_str() {
        "unit_kind" => "单位性质",
        "main_class" => "主要功能分类",
        "dept_code" => "部门",
        _ => "口径",
    };
    for theme in themes {
        let indicators: Vec<_> = spec
            .indicators
            .iter()
            .filter(|i| i.theme == theme)
            .collect();
        let mut cols = vec![
            col("年度"),
            col("部门"),
            col("单位性质"),
            col("主要功能分类"),
            col("本年支出合计（万元）"),
        ];
        for i in &indicators {
            let unit = if i.format == Shown::Wan {
                "（万元）"
            } else {
                ""
            };
            cols.push(Col {
                header: format!("{}{unit}", i.label),
                scale: Some(i.direction),
            });
            if i.direction != Direction::None {
                cols.push(col(format!("{} 排名", i.label)));
                cols.push(col(format!("{} 同类排名", i.label)));
                cols.push(col(format!("{} 排名变化", i.label)));
            }
        }
        cols.push(col("标记"));
        let sort_key = indicators
            .iter()
            .find(|i| i.direction != Direction::None)
            .map(|i| i.key.clone());
        let mut ordered: Vec<&(usize, &crate::analyse::measures::EntityYear)> =
            departments.iter().collect();
        ordered.sort_by_cached_key(|(i, e)| {
            let rank = sort_key
                .as_ref()
                .and_then(|k| get(*i, k).rank)
                .unwrap_or(i64::MAX);
            (std::cmp::Reverse(e.year), rank, e.id.clone())
        });
        let mut table_rows = Vec::new();
        for &&(i, e) in &ordered {
            let labels = flagged.get(&(Level::Department, e.id.clone(), e.year));
            let mut values = vec![
                V::Year(e.year),
                V::Text(e.name.clone()),
                opt(e.unit_kind.clone(), V::Text),
                opt(analysis.metrics.main_class(i).map(str::to_string), V::Text),
                opt(get(i, "expenditure_total").value, V::Wan),
            ];
            for ind in &indicators {
                let r = get(i, &ind.key);
                values.push(opt(r.value, |v| match ind.format {
                    Shown::Percent => V::Percent(v),
                    Shown::Wan => V::Wan(v),
                    Shown::Number => V::Num(v),
                }));
                if ind.direction != Direction::None {
                    values.push(opt(r.rank, V::Int));
                    values.push(opt(r.peer_rank, V::Int));
                    values.push(opt(r.rank_change, V::Int));
                }
            }
            values.push(opt(labels.map(|l| l.join("、")), V::Text));
            table_rows.push((values, labels.is_some()));
        }
        add_table(
            &mut book,
            theme,
            &Table {
                title: format!("{theme}：部门排名（排名 1 为最好；同类 = 同{peers}）"),
                cols,
                rows: table_rows,
            },
            &styles,
        )?;
    }

    yoy_sheet(&mut book, &styles, analysis, &flagged)?;
    flags_sheet(&mut book, &styles, analysis)?;
    findings_sheet(&mut book, &styles, checked)?;
    if !filings.is_empty() {
        filings_sheet(&mut book, &styles, filings)?;
    }
    if !narratives.read.is_empty() {
        narrative_sheet(&mut book, &styles, narratives)?;
    }
    scores_sheet(&mut book, &styles, analysis, spec)?;
    digits_sheet(&mut book, &styles, analysis)?;
    let mut taken: BTreeSet<String> = book.worksheets().iter().map(|w| w.name()).collect();
    let answers = answers()?;
    for (query, frame) in &answers.queries {
        query_sheet(&mut book, &styles, query, frame, &mut taken)?;
    }
    // Only when something changed: a re-run of the same inputs writes the
    // same workbook.
    if let Some(changes) = answers.changes.as_ref().filter(|c| !c.changes.is_empty()) {
        changes_sheet(&mut book, &styles, changes)?;
    }

    let bytes = book.save_to_buffer().map_err(xl)?;
    atomic_write(path, |file| {
        use std::io::Write;
        file.write_all(&bytes)?;
        Ok(())
    })
}

/// 报送情况: each unit-year on the roster and each filing not on it, the
/// missing and rejected first.
fn filings_sheet(book: &mut Workbook, styles: &Styles, filings: &[Filing]) -> Result<()> {
    // Missing (no file) or rejected (a reason): what needs chasing, first.
    let chase = |f: &Filing| f.files.is_empty() || !f.reason.is_empty();
    let mut rows: Vec<&Filing> = filings.iter().collect();
    rows.sort_by_key(|f| !chase(f));
    let rows = rows
        .into_iter()
        .map(|f| {
            let text = |t: &str| V::Text(t.to_string());
            let cells = vec![
                V::Year(f.year),
                text(&f.code),
                text(&f.name),
                text(&f.department),
                text(&f.status),
                text(&f.files.join("; ")),
                text(&f.reason),
            ];
            (cells, chase(f))
        })
        .collect();
    add_table(
        book,
        "报送情况",
        &Table {
            title: "报送情况：名单内单位的报送、未报送与被拒，以及名单外的报送".into(),
            cols: [
                "年度",
                "单位代码",
                "单位名称",
                "部门",
                "状态",
                "文件",
                "原因",
            ]
            .into_iter()
            .map(col)
            .collect(),
            rows,
        },
        styles,
    )?;
    Ok(())
}

/// Characters an Excel cell holds.
const CELL_CHARS: usize = 32_767;

/// `text`, cut to what a cell holds, saying so: a finding's list of source
/// cells can be longer (the CSV and Parquet files keep it whole).
fn within_cell_limit(text: &str) -> std::borrow::Cow<'_, str> {
    const CUT: &str = "…（过长，全文见 findings.csv / Parquet）";
    if text.len() <= CELL_CHARS || text.chars().count() <= CELL_CHARS {
        return text.into();
    }
    let keep = CELL_CHARS - CUT.chars().count();
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(CUT);
    cut.into()
}

/// What the last sheets show, known only once the analysis files are
/// written: the queries' answers, and what changed since the previous run
/// in the output folder.
pub struct Answers {
    pub queries: Vec<(Query, DataFrame)>,
    pub changes: Option<crate::diff::Diff>,
}

/// 变动: what changed since the previous run in the output folder.
fn changes_sheet(book: &mut Workbook, styles: &Styles, diff: &crate::diff::Diff) -> Result<()> {
    let what = |w: &'static str| match w {
        "file" => "文件",
        "fact" => "数据项",
        "finding" => "勾稽发现",
        "flag" => "异常标记",
        "rank" => "排名",
        other => other,
    };
    let change = |c: &'static str| match c {
        "added" => "新增",
        "removed" => "删除",
        "changed" => "变动",
        "new" => "新发现",
        "resolved" => "已消除",
        "reopened" => "重新打开",
        "raised" => "新标记",
        "cleared" => "已解除",
        "moved" => "排名变化",
        other => other,
    };
    let rows = (diff.changes.iter())
        .map(|c| {
            let cells = [
                what(c.what),
                change(c.change),
                &c.key,
                &c.about,
                &c.before,
                &c.after,
            ];
            (
                cells.iter().map(|t| V::Text(t.to_string())).collect(),
                false,
            )
        })
        .collect();
    add_table(
        book,
        "变动",
        &Table {
            title: format!(
                "与上次运行相比的变动（上次运行编号 {}，本次 {}）：文件、变动文件的数据项、勾稽发现、异常标记、排名",
                diff.old_run, diff.new_run
            ),
            cols: ["类别", "变动", "对象", "说明", "变动前", "变动后"]
                .into_iter()
                .map(col)
                .collect(),
            rows,
        },
        styles,
    )?;
    Ok(())
}

/// The workbook's properties: made by juesuan on the run's date, with the
/// run's id and version (crate::manifest), so that a forwarded workbook
/// can be traced to what made it.
fn properties() -> Result<DocProperties> {
    let stamp = crate::manifest::stamp();
    let date = stamp.as_ref().map_or("2024-01-01", |s| s.date.as_str());
    let part = |i: usize| date.split('-').nth(i).and_then(|p| p.parse::<u16>().ok());
    let (year, month, day) = (
        part(0).unwrap_or(2024),
        part(1).unwrap_or(1),
        part(2).unwrap_or(1),
    );
    let created = ExcelDateTime::from_ymd(year, month as u8, day as u8).map_err(xl)?;
    let mut properties = DocProperties::new()
        .set_creation_datetime(&created)
        .set_author("juesuan")
        .set_title("部门决算排名与分析");
    if let Some(stamp) = stamp {
        properties = properties
            .set_custom_property("juesuan run id", stamp.run_id.as_str())
            .set_custom_property("juesuan version", stamp.version.as_str());
    }
    Ok(properties)
}

#[allow(clippy::too_many_arguments)]
fn overview(
    book: &mut Workbook,
    styles: &Styles,
    (batch, narratives): (&Batch, &Narratives),
    checked: &CheckRun,
    analysis: &Analysis,
    spec: &AnalysisSpec,
    latest: Option<i32>,
) -> Result<()> {
    let sheet = book.add_worksheet();
    sheet.set_name("总览").map_err(xl)?;
    print_setup(sheet);
    sheet.set_print_fit_to_pages(1, 1);
    sheet
        .write_string_with_format(0, 0, "部门决算分析总览", &styles.title)
        .map_err(xl)?;
    let summary = overview_counts(batch, narratives, checked, analysis);
    write_counts(sheet, styles, (2, 0), ("批次概况", "数量"), &summary)?;
    let mut by_flag: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &analysis.flags {
        *by_flag.entry(f.label.as_str()).or_default() += 1;
    }
    let by_flag: Vec<(String, V)> = by_flag
        .into_iter()
        .map(|(label, n)| (label.to_string(), V::Int(n as i64)))
        .collect();
    write_counts(sheet, styles, (2, 3), ("异常标记", "条数"), &by_flag)?;
    for (c, width) in [16, 30, 10, 24, 8, 30, 10].iter().enumerate() {
        sheet.set_column_width(c as u16, *width).map_err(xl)?;
    }
    // The ranked lists two rows under the longer of the two count tables.
    let start = 3 + summary.len().max(by_flag.len()) as u32 + 2;
    match latest {
        Some(year) => overview_ranked(sheet, styles, analysis, spec, year, start),
        None => Ok(()),
    }
}

/// The batch's counts: files, facts, departments, findings, flags, narratives.
fn overview_counts(
    batch: &Batch,
    narratives: &Narratives,
    checked: &CheckRun,
    analysis: &Analysis,
) -> Vec<(String, V)> {
    let units = analysis
        .entities
        .iter()
        .filter(|e| e.level == Level::Unit)
        .count();
    let depts: BTreeSet<&str> = analysis
        .entities
        .iter()
        .filter(|e| e.level == Level::Department)
        .map(|e| e.id.as_str())
        .collect();
    let years: BTreeSet<i32> = analysis.entities.iter().map(|e| e.year).collect();
    let years_text = years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join("、");
    let n = |count: usize| V::Int(count as i64);
    // The tables' findings; the narratives' are counted under 说明核对.
    let tables = |severity: FindingSeverity| {
        checked
            .count(severity)
            .saturating_sub(narratives.finding_count(severity))
    };
    let mut counts = Vec::new();
    if let Some(stamp) = crate::manifest::stamp() {
        counts.extend([
            (
                "程序版本".into(),
                V::Text(format!("juesuan {}", stamp.version)),
            ),
            ("运行日期".into(), V::Text(stamp.date)),
            ("运行编号".into(), V::Text(stamp.run_id)),
        ]);
    }
    counts.extend([
        ("读取文件".into(), n(batch.files_seen)),
        ("成功读取".into(), n(batch.workbooks.len())),
        ("拒绝文件".into(), n(batch.files_rejected())),
        ("读取错误".into(), n(batch.count(Severity::Error))),
        ("数据项".into(), n(batch.fact_count())),
        ("部门".into(), n(depts.len())),
        ("单位-年度".into(), n(units)),
        ("年度".into(), V::Text(years_text)),
        ("勾稽错误".into(), n(tables(FindingSeverity::Error))),
        ("勾稽提示".into(), n(tables(FindingSeverity::Warning))),
        ("尾差".into(), n(tables(FindingSeverity::Rounding))),
        ("异常标记".into(), n(analysis.flags.len())),
        ("情况说明文件".into(), n(narratives.read.len())),
        ("说明所述数字".into(), n(narratives.claim_count())),
        ("说明核对一致".into(), n(narratives.count(Verdict::Holds))),
        (
            "说明核对错误".into(),
            n(narratives.finding_count(FindingSeverity::Error)),
        ),
    ]);
    counts.extend(review_counts(checked));
    counts
}

/// With a review file: its name, the errors and warnings it leaves open and
/// those it reviewed (by status), and its rows that review nothing.
fn review_counts(checked: &CheckRun) -> Vec<(String, V)> {
    let Some(review) = &checked.review else {
        return Vec::new();
    };
    let Some(file) = &review.file else {
        return Vec::new();
    };
    let counts = review.counts(&checked.findings);
    let n = |count: usize| V::Int(count as i64);
    let name = std::path::Path::new(&file.path)
        .file_name()
        .map_or(file.path.clone(), |n| n.to_string_lossy().to_string());
    let mut rows = vec![
        ("审核文件".into(), V::Text(name)),
        ("未审核错误与提示".into(), n(counts.open)),
        ("其中重新打开".into(), n(counts.reopened)),
        ("已审核错误与提示".into(), n(counts.reviewed)),
    ];
    for (status, count) in &counts.by_status {
        rows.push((format!("　{status}"), n(*count)));
    }
    rows.push(("失效审核条目".into(), n(counts.unmatched)));
    rows
}

/// A two-column table of labelled counts with its headings at `(row, col)`.
fn write_counts(
    sheet: &mut Worksheet,
    styles: &Styles,
    (row, col): (u32, u16),
    (heading, count): (&str, &str),
    rows: &[(String, V)],
) -> Result<()> {
    sheet
        .write_string_with_format(row, col, heading, &styles.header)
        .map_err(xl)?;
    sheet
        .write_string_with_format(row, col + 1, count, &styles.header)
        .map_err(xl)?;
    for (i, (label, v)) in rows.iter().enumerate() {
        let r = row + 1 + i as u32;
        sheet
            .write_string_with_format(r, col, label, &styles.text)
            .map_err(xl)?;
        match v {
            V::Int(n) => sheet.write_number_with_format(r, col + 1, *n as f64, &styles.int),
            V::Text(t) => sheet.write_string_with_format(r, col + 1, t, &styles.text),
            _ => sheet.write_blank(r, col + 1, &styles.text),
        }
        .map_err(xl)?;
    }
    Ok(())
}

/// Top and bottom ten departments of `year` on the key indicator, from row
/// `start`, and a bar chart of the top ten under them.
fn overview_ranked(
    sheet: &mut Worksheet,
    styles: &Styles,
    analysis: &Analysis,
    spec: &AnalysisSpec,
    year: i32,
    start: u32,
) -> Result<()> {
    let key = spec
        .indicators
        .iter()
        .find(|i| i.direction != Direction::None)
        .map(|i| (i.key.clone(), i.label.clone()));
    let Some((key, label)) = key else {
        return Ok(());
    };
    let mut ranked: Vec<(i64, &str, f64)> = analysis
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.level == Level::Department && e.year == year)
        .filter_map(|(i, e)| {
            let r = analysis.metrics.row(i, &key)?;
            Some((r.rank?, e.name.as_str(), r.value?))
        })
        .collect();
    ranked.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let top: Vec<_> = ranked.iter().take(10).collect();
    let bottom: Vec<_> = ranked.iter().rev().take(10).rev().collect();
    for (offset, (title, list)) in [("前十名", &top), ("后十名", &bottom)].iter().enumerate()
    {
        let c0 = (offset * 4) as u16;
        sheet
            .merge_range(
                start,
                c0,
                start,
                c0 + 2,
                &format!("{year}年 {label} {title}"),
                &styles.header,
            )
            .map_err(xl)?;
        for (i, (rank, name, value)) in list.iter().enumerate() {
            let r = start + 1 + i as u32;
            sheet
                .write_number_with_format(r, c0, *rank as f64, &styles.int)
                .map_err(xl)?;
            sheet
                .write_string_with_format(r, c0 + 1, *name, &styles.text)
                .map_err(xl)?;
            sheet
                .write_number_with_format(r, c0 + 2, *value, &styles.percent)
                .map_err(xl)?;
        }
    }
    if !top.is_empty() {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name(&format!("{label} 前十名"))
            .set_categories(("总览", start + 1, 1, start + top.len() as u32, 1))
            .set_values(("总览", start + 1, 2, start + top.len() as u32, 2));
        chart
            .title()
            .set_name(&format!("{year}年 {label}：前十名部门"));
        chart.legend().set_hidden();
        sheet.insert_chart(start + 12, 0, &chart).map_err(xl)?;
    }
    Ok(())
}

fn yoy_sheet(
    book: &mut Workbook,
    styles: &Styles,
    analysis: &Analysis,
    flagged: &BTreeMap<(Level, String, i32), Vec<&str>>,
) -> Result<()> {
    let cols = vec![
        col("年度"),
        col("部门"),
        col("项目"),
        col("本年（万元）"),
        col("上年（万元）"),
        col("增减额（万元）"),
        Col {
            header: "增减率".into(),
            scale: Some(Direction::Lower),
        },
        col("多年复合增长率"),
        col("说明"),
    ];
    let mut table_rows = Vec::new();
    let measures: Vec<_> = analysis
        .metrics
        .info
        .iter()
        .filter(|m| m.kind != "indicator" && m.unit == "元")
        .collect();
    let mut entities: Vec<_> = analysis
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.level == Level::Department)
        .collect();
    entities.sort_by(|(_, a), (_, b)| b.year.cmp(&a.year).then_with(|| a.id.cmp(&b.id)));
    for (i, e) in entities {
        let is_flagged = flagged.contains_key(&(Level::Department, e.id.clone(), e.year));
        for m in &measures {
            let Some(r) = analysis.metrics.row(i, &m.key) else {
                continue;
            };
            if r.prev_year.is_none() {
                continue;
            }
            table_rows.push((
                vec![
                    V::Year(e.year),
                    V::Text(e.name.clone()),
                    V::Text(m.label.clone()),
                    opt(r.value, V::Wan),
                    opt(r.prev_value, V::Wan),
                    opt(r.change, V::Wan),
                    opt(r.change_rel, V::Percent),
                    opt(r.cagr, V::Percent),
                    opt(r.change_note.clone(), V::Text),
                ],
                is_flagged,
            ));
        }
    }
    add_table(
        book,
        "同比",
        &Table {
            title: "同比：各部门主要收支项目与上一年度比较".into(),
            cols,
            rows: table_rows,
        },
        styles,
    )?;
    Ok(())
}

fn flags_sheet(book: &mut Workbook, styles: &Styles, analysis: &Analysis) -> Result<()> {
    let cols = vec![
        col("年度"),
        col("层级"),
        col("部门"),
        col("单位/部门"),
        col("单位性质"),
        col("标记"),
        col("说明"),
        col("来源单元格"),
        col("编号"),
        col("审核状态"),
        col("审核说明"),
    ];
    let ids = crate::ids::flag_ids(&analysis.flags);
    let rows = analysis
        .flags
        .iter()
        .zip(ids)
        .map(|(f, id)| {
            (
                vec![
                    V::Year(f.year),
                    V::Text(
                        if f.level == Level::Unit {
                            "单位"
                        } else {
                            "部门"
                        }
                        .into(),
                    ),
                    V::Text(f.dept_name.clone()),
                    V::Text(f.entity_name.clone()),
                    opt(f.unit_kind.clone(), V::Text),
                    V::Text(f.label.clone()),
                    V::Text(f.reason.clone()),
                    V::Text(cells_text(&f.cells)),
                    V::Text(id),
                ],
                true,
            )
        })
        .collect();
    add_table(
        book,
        "异常标记",
        &Table {
            title: "异常标记：原因、数值、阈值或同类统计量及来源单元格".into(),
            cols,
            rows,
        },
        styles,
    )?;
    Ok(())
}

/// 说明核对: per narrative document a line with its counts, then each of
/// its errors and warnings with the line it is about and that line's text
/// (rounding gaps are counted there and listed in findings.csv).
fn narrative_sheet(book: &mut Workbook, styles: &Styles, narratives: &Narratives) -> Result<()> {
    let cols = [
        "年度",
        "单位",
        "行",
        "严重程度",
        "规则",
        "说明",
        "原文",
        "文件",
    ]
    .into_iter()
    .map(col)
    .collect();
    let mut rows = Vec::new();
    for n in &narratives.read {
        let id = &n.identity;
        let row = |line: V, severity: &str, rule: &str, text: String, quote: String| {
            vec![
                V::Year(id.year),
                V::Text(id.unit_name.clone()),
                line,
                V::Text(severity.into()),
                V::Text(rule.into()),
                V::Text(text),
                V::Text(quote),
                V::Text(n.file.to_string()),
            ]
        };
        rows.push((
            row(
                V::Empty,
                "",
                "（文件）",
                narrative_summary(n),
                String::new(),
            ),
            false,
        ));
        for f in n
            .findings
            .iter()
            .filter(|f| f.severity > FindingSeverity::Rounding)
        {
            let line = &n.lines[f.lines[0]];
            let quote: String = line.text.trim().chars().take(300).collect();
            let severity = match f.severity {
                FindingSeverity::Error => "错误",
                _ => "提示",
            };
            let cells = row(
                V::Int(i64::from(line.number)),
                severity,
                f.rule_id,
                f.description.clone(),
                quote,
            );
            rows.push((cells, f.severity == FindingSeverity::Error));
        }
    }
    add_table(
        book,
        "说明核对",
        &Table {
            title: "说明核对：情况说明所述数字的相互核对与表数核对（尾差 = 按所印位数四舍五入可以解释的差额，见 findings.csv）".into(),
            cols,
            rows,
        },
        styles,
    )?;
    Ok(())
}

/// A document's counts: figures stated, checked, holding, in rounding, wrong.
fn narrative_summary(n: &crate::narrative::Narrative) -> String {
    let count = |v: Verdict| n.verdicts.iter().filter(|(x, _)| *x == v).count();
    format!(
        "{}：所述数字 {}，已核对 {}，一致 {}，尾差 {}，错误 {}{}",
        n.identity.kind,
        n.claims.len(),
        n.claims.len() - count(Verdict::NotCheckable),
        count(Verdict::Holds),
        count(Verdict::Rounding),
        count(Verdict::Error),
        n.paired_workbook.as_ref().map_or(String::new(), |w| {
            let compared = n.compared.iter().flatten();
            let agree = compared.clone().filter(|t| t.holds).count();
            format!("；与 {w} 表数核对 {} 个，一致 {agree}", compared.count())
        })
    )
}

fn findings_sheet(book: &mut Workbook, styles: &Styles, checked: &CheckRun) -> Result<()> {
    let cols = vec![
        col("严重程度"),
        col("规则"),
        col("说明"),
        col("年度"),
        col("单位"),
        col("左边"),
        col("左边金额（万元）"),
        col("右边金额（万元）"),
        col("差额（万元）"),
        col("容差（万元）"),
        col("来源文件"),
        col("来源单元格"),
        col("编号"),
        col("审核状态"),
        col("审核说明"),
    ];
    let severity = |s: FindingSeverity| match s {
        FindingSeverity::Error => "错误",
        FindingSeverity::Warning => "提示",
        FindingSeverity::Rounding => "尾差",
    };
    // Rounding gaps are listed in findings.csv only: in a province's run they
    // are tens of thousands of rows that hide the errors.
    // A narrative's findings have a sheet of their own (说明核对).
    let review = |i: usize| {
        checked
            .review
            .as_ref()
            .map_or_else(Default::default, |r| r.columns(i))
    };
    let mut findings: Vec<_> = (checked.findings.iter().zip(&checked.ids).enumerate())
        .filter(|(_, (f, _))| {
            f.severity > FindingSeverity::Rounding && !f.rule_id.starts_with("narrative.")
        })
        .collect();
    // The most severe first, and of those the open ones first.
    findings.sort_by_key(|&(i, (f, _))| (std::cmp::Reverse(f.severity), !checked.is_open(i)));
    let rounding = checked.count(FindingSeverity::Rounding);
    let rows = findings
        .into_iter()
        .map(|(i, (f, id))| {
            let money = |d: rust_decimal::Decimal| V::Wan(crate::analyse::metrics::to_f64(&d));
            let [status, reason, ..] = review(i);
            (
                vec![
                    V::Text(severity(f.severity).into()),
                    V::Text(f.rule_id.to_string()),
                    V::Text(f.description.to_string()),
                    V::Year(f.workbook.identity.year),
                    V::Text(f.workbook.identity.unit_name.clone()),
                    V::Text(f.left.clone()),
                    money(f.left_amount),
                    money(f.right_amount),
                    money(f.difference()),
                    money(f.tolerance),
                    V::Text(f.workbook.file.to_string()),
                    V::Text(f.cells_text()),
                    V::Text(id.clone()),
                    V::Text(status),
                    V::Text(reason),
                ],
                f.severity == FindingSeverity::Error,
            )
        })
        .collect();
    add_table(
        book,
        "勾稽校验",
        &Table {
            title: format!(
                "勾稽校验：错误与提示（容差 = 各数按其金额单位四舍五入可能产生的最大差额；\
                 容差以内的尾差 {rounding} 条见 findings.csv）"
            ),
            cols,
            rows,
        },
        styles,
    )?;
    Ok(())
}

fn scores_sheet(
    book: &mut Workbook,
    styles: &Styles,
    analysis: &Analysis,
    spec: &AnalysisSpec,
) -> Result<()> {
    let mut cols = vec![col("年度"), col("部门")];
    for r in &spec.scoring.rules {
        let label = spec
            .indicators
            .iter()
            .find(|i| i.key == r.indicator)
            .map_or(r.indicator.clone(), |i| i.label.clone());
        cols.push(col(format!("{label}（{} 分）", r.points)));
    }
    cols.push(col("得分"));
    cols.push(col("可得分"));
    cols.push(Col {
        header: "得分率".into(),
        scale: Some(Direction::Higher),
    });
    cols.push(col("等级"));
    let names: HashMap<(&str, i32), &str> = analysis
        .entities
        .iter()
        .filter(|e| e.level == Level::Department)
        .map(|e| ((e.id.as_str(), e.year), e.name.as_str()))
        .collect();
    let mut scores: Vec<_> = analysis
        .scores
        .iter()
        .filter(|s| s.level == Level::Department.as_str())
        .collect();
    scores.sort_by(|a, b| {
        b.year
            .cmp(&a.year)
            .then(
                b.share()
                    .unwrap_or(0.0)
                    .total_cmp(&a.share().unwrap_or(0.0)),
            )
            .then(a.entity_id.cmp(&b.entity_id))
    });
    let rows = scores
        .iter()
        .map(|s| {
            let mut values = vec![
                V::Year(s.year),
                V::Text(
                    names
                        .get(&(s.entity_id.as_str(), s.year))
                        .copied()
                        .unwrap_or("")
                        .into(),
                ),
            ];
            for r in &spec.scoring.rules {
                values.push(opt(
                    s.items.iter().find(|i| i.0 == r.indicator).map(|i| i.2),
                    V::Num,
                ));
            }
            values.push(V::Num(s.total));
            values.push(V::Num(s.attainable));
            values.push(opt(s.share().map(|x| x / 100.0), V::Percent));
            values.push(V::Text(s.grade.clone()));
            (values, false)
        })
        .collect();
    add_table(
        book,
        "绩效评分",
        &Table {
            title: "绩效评分：部门整体支出绩效评价定量指标（无数据的指标不计入可得分）".into(),
            cols,
            rows,
        },
        styles,
    )?;
    Ok(())
}

/// 数字特征: each department-year's Benford tests over its leaf figures,
/// latest year first and the farthest from Benford first; rows whose
/// verdict is 不符合 highlighted.
fn digits_sheet(book: &mut Workbook, styles: &Styles, analysis: &Analysis) -> Result<()> {
    let cols = [
        "年度",
        "部门",
        "数据来源",
        "末级数字个数",
        "首位 MAD",
        "首位 期望 MAD",
        "首位 超额 MAD",
        "首位 符合程度（MAD）",
        "结论（超额 MAD）",
        "偏多的首位数字",
        "前两位 MAD",
        "前两位 超额 MAD",
        "前两位 结论（超额 MAD）",
        "偏多的前两位数字",
    ]
    .into_iter()
    .map(col)
    .collect();
    let mut tests: Vec<_> = analysis.digits.iter().collect();
    let excess = |t: &crate::analyse::digits::DigitTest| {
        t.first_digit.as_ref().map_or(f64::MIN, |s| s.excess_mad)
    };
    tests.sort_by(|a, b| {
        b.year
            .cmp(&a.year)
            .then(excess(b).total_cmp(&excess(a)))
            .then(a.dept_id.cmp(&b.dept_id))
    });
    let over = |s: &crate::analyse::digits::DigitStat| {
        let shown: Vec<String> = s
            .over
            .iter()
            .map(|(d, gap)| format!("{d}（+{:.1}%）", gap * 100.0))
            .collect();
        shown.join("、")
    };
    let rows = tests
        .iter()
        .map(|t| {
            let (one, two) = (t.first_digit.as_ref(), t.first_two.as_ref());
            let values = vec![
                V::Year(t.year),
                V::Text(t.dept_name.clone()),
                V::Text(t.basis.clone()),
                V::Int(i64::from(t.counts.n())),
                opt(one.map(|s| s.mad), V::Fine),
                opt(one.map(|s| s.expected_mad), V::Fine),
                opt(one.map(|s| s.excess_mad), V::Fine),
                opt(one.map(|s| s.band.to_string()), V::Text),
                V::Text(t.verdict().to_string()),
                opt(one.map(over), V::Text),
                opt(two.map(|s| s.mad), V::Fine),
                opt(two.map(|s| s.excess_mad), V::Fine),
                opt(two.map(|s| s.excess_band.to_string()), V::Text),
                opt(two.map(over), V::Text),
            ];
            (values, t.verdict() == "不符合")
        })
        .collect();
    add_table(
        book,
        "数字特征",
        &Table {
            title: "数字特征：各部门末级数字（项级功能科目、经济分类款级）首位数字与本福特定律的偏离（MAD；超额 MAD 已扣除样本量带来的期望偏离；数字过少的不作判断）".into(),
            cols,
            rows,
        },
        styles,
    )?;
    Ok(())
}

/// A query's result as a ranked sheet: 排名 numbering the rows in the
/// query's order, then its columns.
fn query_sheet(
    book: &mut Workbook,
    styles: &Styles,
    query: &Query,
    frame: &DataFrame,
    taken: &mut BTreeSet<String>,
) -> Result<()> {
    let percent = |name: &str| ["率", "占比", "变化"].iter().any(|s| name.ends_with(s));
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let mut cols = vec![col("排名")];
    cols.extend(names.iter().map(|n| Col {
        header: n.clone(),
        scale: None,
    }));
    let columns = frame.columns();
    let mut rows = Vec::with_capacity(frame.height());
    for r in 0..frame.height() {
        let mut values = vec![V::Int(r as i64 + 1)];
        for (c, column) in columns.iter().enumerate() {
            let value = column.get(r).unwrap_or(AnyValue::Null);
            values.push(match value {
                AnyValue::Null => V::Empty,
                AnyValue::String(s) => V::Text(s.to_string()),
                AnyValue::StringOwned(s) => V::Text(s.to_string()),
                AnyValue::Boolean(b) => V::Text(if b { "是" } else { "否" }.into()),
                v if v.is_integer() => V::Int(v.extract::<i64>().unwrap_or_default()),
                v => match v.extract::<f64>() {
                    Some(x) if !x.is_finite() => V::Empty,
                    Some(x) if percent(&names[c]) => V::Percent(x),
                    Some(x) => V::Num(x),
                    None => V::Text(v.to_string()),
                },
            });
        }
        rows.push((values, false));
    }
    let mut name = query.sheet.clone();
    while taken.contains(&name) {
        name = format!("{}（查询）", name.chars().take(26).collect::<String>());
    }
    taken.insert(name.clone());
    add_table(
        book,
        &name,
        &Table {
            title: query.title.clone(),
            cols,
            rows,
        },
        styles,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    /// A flag on a workbook with thousands of findings lists more source
    /// cells than a cell holds: cut, said so, and the workbook written.
    #[test]
    fn a_text_longer_than_a_cell_holds_is_cut_and_said_so() {
        let long = "'Z04 支出决算表'!C9; ".repeat(3_000);
        let table = Table {
            title: "长文本".into(),
            cols: vec![col("来源单元格")],
            rows: vec![(vec![V::Text(long.clone())], false)],
        };
        let mut book = Workbook::new();
        add_table(&mut book, "长", &table, &Styles::new()).expect("written");
        let bytes = book.save_to_buffer().expect("saved");
        let mut back: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("reads");
        let range = back.worksheet_range("长").expect("sheet");
        let shown = (range.rows())
            .flat_map(|r| r.iter())
            .find_map(|c| match c {
                Data::String(t) if t.starts_with("'Z04") => Some(t.clone()),
                _ => None,
            })
            .expect("the cell");
        assert_eq!(shown.chars().count(), CELL_CHARS);
        assert!(shown.ends_with("全文见 findings.csv / Parquet）"));
        let kept = shown.split("…（过长").next().expect("the kept part");
        assert!(long.starts_with(kept));
    }

    #[test]
    fn a_long_table_is_written_in_constant_memory_and_reads_back() {
        let rows: Vec<(Vec<V>, bool)> = (0..300)
            .map(|i| {
                (
                    vec![
                        V::Year(2024),
                        V::Text(format!("部门{i}")),
                        V::Wan(f64::from(i) * 10_000.0),
                    ],
                    i % 7 == 0,
                )
            })
            .collect();
        let table = Table {
            title: "长表".into(),
            cols: vec![
                col("年度"),
                col("部门"),
                Col {
                    header: "金额（万元）".into(),
                    scale: Some(Direction::Higher),
                },
            ],
            rows,
        };
        let mut book = Workbook::new();
        let styles = Styles::new();
        // A threshold of 100 rows puts this 300-row table in constant-memory mode.
        let sheets = add_table_sized(&mut book, "长表", &table, &styles, 100, 1000).expect("table");
        assert_eq!(sheets, 1);
        let bytes = book.save_to_buffer().expect("save");
        let mut read = Xlsx::new(std::io::Cursor::new(bytes)).expect("open");
        let range = read.worksheet_range("长表").expect("sheet");
        assert_eq!(range.get((1, 1)), Some(&Data::String("部门".into())));
        assert_eq!(range.get((301, 1)), Some(&Data::String("部门299".into())));
        assert_eq!(range.get((301, 2)), Some(&Data::Float(299.0)));
        assert_eq!(range.height(), 302);

        // Sheets of 120 rows: the table goes on over two more, each with its
        // title and headers, and no row is lost.
        let mut book = Workbook::new();
        let name = "三十一个字符的工作表名称三十一个字符的工作表名称一二三四五六七";
        assert_eq!(name.chars().count(), 31);
        let sheets = add_table_sized(&mut book, name, &table, &styles, 100, 120).expect("table");
        assert_eq!(sheets, 3);
        let bytes = book.save_to_buffer().expect("save");
        let mut read = Xlsx::new(std::io::Cursor::new(bytes)).expect("open");
        let names = read.sheet_names();
        assert_eq!(names.len(), 3);
        assert_eq!(names[0], name);
        assert!(
            names[2].ends_with(" (3)") && names[2].chars().count() == 31,
            "{names:?}"
        );
        let mut read_rows = Vec::new();
        for (i, sheet) in names.iter().enumerate() {
            let range = read.worksheet_range(sheet).expect("sheet");
            let title = range.get((0, 0)).map(|d| d.to_string()).unwrap_or_default();
            assert_eq!(
                title.ends_with(&format!("（续 {}）", i + 1)),
                i > 0,
                "{title}"
            );
            assert_eq!(range.get((1, 1)), Some(&Data::String("部门".into())));
            read_rows.extend((2..range.height()).map(|r| range.get((r, 1)).map(|d| d.to_string())));
        }
        let expected: Vec<_> = (0..300).map(|i| Some(format!("部门{i}"))).collect();
        assert_eq!(read_rows, expected);
    }

    /// The value of `name="…"` in an XML tag.
    fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[start..].split('"').next()
    }

    /// The tags named `name` in `xml`, each up to its `>`.
    fn tags<'t>(xml: &'t str, name: &str) -> Vec<&'t str> {
        xml.match_indices(&format!("<{name} "))
            .filter_map(|(i, _)| xml[i..].split('>').next())
            .collect()
    }

    /// Every figure of a league sheet shows in the format of its kind, and a
    /// flagged row's figures are highlighted, whether a cell carries its
    /// format or takes its column's (written without one, for speed), in
    /// both of rust_xlsxwriter's modes.
    #[test]
    fn every_figure_shows_in_its_kinds_format_with_or_without_its_columns() {
        use std::io::Read;
        // Columns whose first figure is of another kind than the rest, or
        // flagged, or missing, take no format or another one of their own.
        let rows: Vec<(Vec<V>, bool)> = (0..40)
            .map(|i| {
                let wan = if i % 5 == 3 {
                    V::Percent(0.5)
                } else {
                    V::Wan(f64::from(i))
                };
                let sparse = if i < 2 {
                    V::Empty
                } else {
                    V::Int(i64::from(i))
                };
                (
                    vec![V::Year(2024), V::Text(format!("部门{i}")), wan, sparse],
                    i % 3 == 0,
                )
            })
            .collect();
        let table = Table {
            title: "格式".into(),
            cols: vec![col("年度"), col("部门"), col("金额"), col("人数")],
            rows,
        };
        for large in [1000, 10] {
            let mut book = Workbook::new();
            let styles = Styles::new();
            add_table_sized(&mut book, "格式", &table, &styles, large, 1000).expect("table");
            let bytes = book.save_to_buffer().expect("save");
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
            let mut part = |name: &str| {
                let mut text = String::new();
                zip.by_name(name)
                    .expect(name)
                    .read_to_string(&mut text)
                    .expect(name);
                text
            };
            let (styles_xml, sheet) = (part("xl/styles.xml"), part("xl/worksheets/sheet1.xml"));
            let formats: std::collections::HashMap<&str, &str> = tags(&styles_xml, "numFmt")
                .into_iter()
                .filter_map(|t| Some((attribute(t, "numFmtId")?, attribute(t, "formatCode")?)))
                .collect();
            let cell_xfs = &styles_xml[styles_xml.find("<cellXfs").expect("cellXfs")..];
            // Each style: its number format and whether it is filled.
            let xfs: Vec<(&str, bool)> = tags(cell_xfs, "xf")
                .into_iter()
                .map(|t| {
                    let id = attribute(t, "numFmtId").unwrap_or("0");
                    let format =
                        formats
                            .get(id)
                            .copied()
                            .unwrap_or(if id == "0" { "General" } else { id });
                    (format, attribute(t, "fillId").is_some_and(|f| f != "0"))
                })
                .collect();
            let column_style: Vec<(u32, u32, usize)> = tags(&sheet, "col")
                .into_iter()
                .filter_map(|t| {
                    let number = |a| attribute(t, a).and_then(|v: &str| v.parse().ok());
                    Some((number("min")?, number("max")?, number("style")? as usize))
                })
                .collect();
            let mut figures = 0;
            for c in tags(&sheet, "c") {
                let reference = attribute(c, "r").expect("r");
                let row: usize = reference
                    .trim_start_matches(char::is_alphabetic)
                    .parse()
                    .expect("row");
                if row < 3 {
                    continue;
                }
                let column = u32::from(reference.as_bytes()[0] - b'A') + 1;
                let style = attribute(c, "s")
                    .map(|s| s.parse::<usize>().expect("s"))
                    .or_else(|| {
                        column_style
                            .iter()
                            .find(|&&(min, max, _)| (min..=max).contains(&column))
                            .map(|&(_, _, style)| style)
                    });
                let (format, filled) = style.map_or(("General", false), |s| xfs[s]);
                let (values, flagged) = &table.rows[row - 3];
                let expected = match &values[column as usize - 1] {
                    V::Year(_) => "0",
                    V::Text(_) | V::Empty => "General",
                    V::Wan(_) | V::Num(_) => "#,##0.00",
                    V::Percent(_) => "0.00%",
                    V::Int(_) => "#,##0",
                    V::Fine(_) => "0.0000",
                };
                assert_eq!(format, expected, "{reference} (large {large})");
                assert_eq!(filled, *flagged, "{reference} (large {large})");
                figures += 1;
            }
            assert_eq!(figures, 40 * 4 - 2 + 1, "cells read (large {large})");
        }
    }
}
