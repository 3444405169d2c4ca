//! Metamorphic reading test: workbooks that read right (the hand-made
//! layouts of tests/layouts) are rewritten without changing what they mean
//! — blank rows and columns, title rows added or dropped, the unit line
//! moved, headings merged, unmerged or given an empty middle row, the 三公
//! table turned to items-as-rows, rate and previous-year columns and a
//! second table added, codes joined or split, labels swapped for their
//! aliases, numbers written as text, the workbook saved as `.xls` or HTML —
//! and read again. Every figure must come out under the same key with the
//! same amount, or its cell be reported; no figure may come out under
//! another key, and every cell a rewrite adds must be reported.
//!
//! Each cell of a rewritten workbook remembers the cell of the original it
//! came from, so figures are followed wherever a rewrite moves them.
//!
//! `cargo test` runs every rewrite once on every layout and a fixed number
//! of random compositions of two to four rewrites with a fixed seed; run
//! longer with `JUESUAN_META_CASES=5000 JUESUAN_META_SEED=random cargo test
//! --release --test metamorphic -- --nocapture`.

use juesuan::ingest::batch::{Batch, ingest};
use juesuan::ingest::grid::Cell;
use juesuan::ingest::read::{Limits, open_path};
use juesuan::sample::layout::{Out, SheetOut};
use juesuan::sample::{xls_bytes, xlsx_bytes};
use juesuan::spec::Catalogue;
use juesuan::text::{a1, label_key};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A cell of the original workbook: (sheet index, row, column).
type Origin = (usize, u32, u32);
/// What a figure is read as: (form, item, subject code, column, amount).
type Key = (String, String, String, String, Decimal);

#[derive(Clone)]
struct ModelSheet {
    name: String,
    cells: BTreeMap<(u32, u32), (Out, Option<Origin>)>,
    /// (first row, first column, last row, last column).
    merges: Vec<(u32, u32, u32, u32)>,
}

#[derive(Clone)]
struct Model {
    sheets: Vec<ModelSheet>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Xlsx,
    Xls,
    Html,
}

/// The original workbook and what it reads as.
struct Source {
    file: String,
    year: i32,
    unit_name: String,
    model: Model,
    /// Figures by original cell.
    facts: BTreeMap<Origin, Key>,
    /// Whether the workbook's identity comes from a title.
    identity_from_title: bool,
    has_cover: bool,
}

#[derive(Deserialize)]
struct Layouts {
    layout: Vec<LayoutEntry>,
}

#[derive(Deserialize)]
struct LayoutEntry {
    file: String,
    unit_name: String,
    year: i32,
}

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/layouts")
}

/// Reads a workbook file's sheets into a model, each cell its own origin.
fn load(path: &Path) -> Model {
    let mut book = open_path(path, &Limits::default()).expect("opens");
    let mut sheets = Vec::new();
    book.read_sheets(|sheet| {
        let Ok(sheet) = sheet else {
            panic!("a sheet of {} does not read", path.display())
        };
        let index = sheets.len();
        let mut cells = BTreeMap::new();
        if let Some(grid) = &sheet.grid {
            for r in grid.rows() {
                for c in grid.cols() {
                    let out = match grid.cell(r, c) {
                        Cell::Text(t) => Out::Text(t.to_string()),
                        Cell::Number(n) => Out::Number(n),
                        _ => continue,
                    };
                    cells.insert((r, c), (out, Some((index, r, c))));
                }
            }
        }
        let merges = sheet
            .merges
            .iter()
            .flatten()
            .map(|m| (m.start.0, m.start.1, m.end.0, m.end.1))
            .collect();
        sheets.push(ModelSheet {
            name: sheet.name.to_string(),
            cells,
            merges,
        });
    })
    .expect("reads");
    Model { sheets }
}

fn read_dir(dir: &Path, catalogue: &Catalogue) -> Batch {
    ingest(&[dir.to_path_buf()], catalogue, false)
}

/// The figures of a batch of one workbook by (sheet, A1 cell).
fn facts_by_cell(batch: &Batch) -> BTreeMap<(String, String), Key> {
    let mut map = BTreeMap::new();
    for w in &batch.workbooks {
        for f in &w.facts {
            map.insert(
                (f.sheet.to_string(), f.cell()),
                (
                    f.form.to_string(),
                    f.item.to_string(),
                    f.subject_code.unwrap_or("").to_string(),
                    f.column.to_string(),
                    f.amount.normalize(),
                ),
            );
        }
    }
    map
}

fn sources(catalogue: &Catalogue) -> Vec<Source> {
    let text = std::fs::read_to_string(folder().join("layouts.toml")).expect("layouts.toml");
    let layouts: Layouts = toml::from_str(&text).expect("parses");
    let mut sources = Vec::new();
    for entry in layouts.layout {
        let dir = tempfile::tempdir().expect("tempdir");
        let name = Path::new(&entry.file).file_name().expect("a file name");
        std::fs::copy(folder().join(&entry.file), dir.path().join(name)).expect("copy");
        let batch = read_dir(dir.path(), catalogue);
        let model = load(&folder().join(&entry.file));
        let by_cell = facts_by_cell(&batch);
        let mut facts = BTreeMap::new();
        for ((sheet, cell), key) in by_cell {
            let index = model
                .sheets
                .iter()
                .position(|s| s.name == sheet)
                .expect("sheet of a fact");
            let (r, c) = model.sheets[index]
                .cells
                .keys()
                .find(|(r, c)| a1(*r, *c) == cell)
                .copied()
                .expect("cell of a fact");
            facts.insert((index, r, c), key);
        }
        let identity_from_title = batch
            .report
            .iter()
            .any(|r| r.kind == "file" && r.message.contains("identity from title"));
        let has_cover = batch.report.iter().any(|r| r.form == "cover");
        sources.push(Source {
            file: entry.file,
            year: entry.year,
            unit_name: entry.unit_name,
            model,
            facts,
            identity_from_title,
            has_cover,
        });
    }
    sources
}

// ── Sheet surgery ─────────────────────────────────────────────────────────

impl ModelSheet {
    fn last_row(&self) -> u32 {
        self.cells.keys().map(|k| k.0).max().unwrap_or(0)
    }

    fn last_col(&self) -> u32 {
        self.cells.keys().map(|k| k.1).max().unwrap_or(0)
    }

    fn text(&self, r: u32, c: u32) -> Option<&str> {
        match self.cells.get(&(r, c)) {
            Some((Out::Text(t), _)) => Some(t),
            _ => None,
        }
    }

    fn insert_row(&mut self, at: u32) {
        self.cells = std::mem::take(&mut self.cells)
            .into_iter()
            .map(|((r, c), v)| ((if r >= at { r + 1 } else { r }, c), v))
            .collect();
        for m in &mut self.merges {
            if m.0 >= at {
                m.0 += 1;
                m.2 += 1;
            } else if m.2 >= at {
                m.2 += 1;
            }
        }
    }

    fn insert_col(&mut self, at: u32) {
        self.cells = std::mem::take(&mut self.cells)
            .into_iter()
            .map(|((r, c), v)| ((r, if c >= at { c + 1 } else { c }), v))
            .collect();
        for m in &mut self.merges {
            if m.1 >= at {
                m.1 += 1;
                m.3 += 1;
            } else if m.3 >= at {
                m.3 += 1;
            }
        }
    }

    fn remove_row(&mut self, at: u32) {
        self.cells = std::mem::take(&mut self.cells)
            .into_iter()
            .filter(|((r, _), _)| *r != at)
            .map(|((r, c), v)| ((if r > at { r - 1 } else { r }, c), v))
            .collect();
        self.merges.retain(|m| !(m.0 == at && m.2 == at));
        for m in &mut self.merges {
            if m.0 > at {
                m.0 -= 1;
            }
            if m.2 >= at && m.2 > m.0 {
                m.2 -= 1;
            }
        }
    }

    /// Removes a column; a heading merged from it across the next keeps
    /// its text in the next.
    fn remove_col(&mut self, at: u32) {
        for m in &self.merges {
            if m.1 == at
                && m.3 > at
                && let Some(cell) = self.cells.get(&(m.0, at)).cloned()
            {
                self.cells.entry((m.0, at + 1)).or_insert(cell);
            }
        }
        self.cells = std::mem::take(&mut self.cells)
            .into_iter()
            .filter(|((_, c), _)| *c != at)
            .map(|((r, c), v)| ((r, if c > at { c - 1 } else { c }), v))
            .collect();
        self.merges.retain(|m| !(m.1 == at && m.3 == at));
        for m in &mut self.merges {
            if m.1 > at {
                m.1 -= 1;
            }
            if m.3 >= at && m.3 > m.1 {
                m.3 -= 1;
            }
        }
        self.merges.retain(|m| m.0 != m.2 || m.1 != m.3);
    }

    fn merged(&self, r: u32, c: u32) -> bool {
        self.merges
            .iter()
            .any(|m| m.0 <= r && r <= m.2 && m.1 <= c && c <= m.3)
    }
}

/// Where a source's first table lies: its heading rows and its rows of
/// figures, on the sheet of its first figure.
struct Shape {
    sheet: usize,
    header: (u32, u32),
    body: (u32, u32),
}

fn is_top_line(text: &str) -> bool {
    let t = label_key(text);
    t.starts_with("单位")
        || t.starts_with("金额单位")
        || t.starts_with("编制单位")
        || t.starts_with("部门:")
        || t.starts_with("填报单位")
}

fn shape(source: &Source, model: &Model) -> Option<Shape> {
    let first = *source.facts.keys().next()?;
    // Follow the original cells to where the model has them now.
    let sheet = model
        .sheets
        .iter()
        .position(|s| s.cells.values().any(|(_, o)| *o == Some(first)))?;
    let rows: Vec<u32> = model.sheets[sheet]
        .cells
        .iter()
        .filter(|(_, (_, o))| o.is_some_and(|o| source.facts.contains_key(&o)))
        .map(|((r, _), _)| *r)
        .collect();
    let first_row = *rows.iter().min()?;
    // The first table's rows of figures run until a gap of three rows.
    let mut last = first_row;
    for r in rows.iter().copied().collect::<BTreeSet<u32>>() {
        if r > last + 3 {
            break;
        }
        last = r;
    }
    let s = &model.sheets[sheet];
    let mut top = first_row;
    while top > 0 {
        let r = top - 1;
        // A heading row: two headings or more (a unit line beside them
        // does not count), or a cell a heading above is merged into.
        let headings = (0..=s.last_col())
            .filter_map(|c| s.text(r, c))
            .filter(|t| !is_top_line(t))
            .count();
        let covered = s
            .merges
            .iter()
            .any(|g| g.0 < r && r <= g.2 && g.0 >= first_row.saturating_sub(6));
        if headings < 2 && !covered {
            break;
        }
        top = r;
    }
    (top < first_row).then_some(Shape {
        sheet,
        header: (top, first_row - 1),
        body: (first_row, last),
    })
}

// ── The rewrites ──────────────────────────────────────────────────────────

/// A rewrite: its name, and what it does (`None` when it does not apply).
type Rewrite = (
    &'static str,
    fn(&Source, &mut Model, &mut Format, &mut ChaCha8Rng) -> Option<()>,
);

const REWRITES: &[Rewrite] = &[
    ("blank row above", |_, m, _, _| {
        m.sheets.iter_mut().for_each(|s| s.insert_row(0));
        Some(())
    }),
    ("blank row in the body", |src, m, _, rng| {
        let shape = shape(src, m)?;
        let at = rng.random_range(shape.body.0 + 1..=shape.body.1 + 1);
        m.sheets[shape.sheet].insert_row(at);
        Some(())
    }),
    ("blank column", |_, m, _, rng| {
        let which = rng.random_range(0..m.sheets.len());
        let s = &mut m.sheets[which];
        let at = rng.random_range(0..=s.last_col() + 1);
        s.insert_col(at);
        Some(())
    }),
    ("title row added", |src, m, _, _| {
        for s in &mut m.sheets {
            s.insert_row(0);
            s.cells
                .insert((0, 0), (Out::Text(format!("{}年度", src.year)), None));
        }
        Some(())
    }),
    ("title row dropped, sheet named after it", |src, m, _, _| {
        if src.identity_from_title {
            return None;
        }
        let shape = shape(src, m)?;
        let title = m.sheets[shape.sheet].text(0, 0)?.to_string();
        let key = label_key(&title);
        if !key.ends_with("表") || key.chars().any(|c| c.is_ascii_digit()) || shape.header.0 == 0 {
            return None;
        }
        if m.sheets.iter().any(|o| o.name == key) {
            return None;
        }
        let s = &mut m.sheets[shape.sheet];
        s.remove_row(0);
        s.name = key.chars().take(31).collect();
        Some(())
    }),
    ("unit line moved into the heading row", |src, m, _, _| {
        let shape = shape(src, m)?;
        let s = &mut m.sheets[shape.sheet];
        let at = s
            .cells
            .iter()
            .find(|((r, _), (out, _))| {
                *r < shape.header.0
                    && matches!(out, Out::Text(t) if { let t = label_key(t); t.starts_with("单位:") || t.starts_with("金额单位") })
            })
            .map(|(k, _)| *k)?;
        if s.merged(at.0, at.1) {
            return None;
        }
        let cell = s.cells.remove(&at)?;
        let to = (shape.header.0, s.last_col() + 1);
        s.cells.insert(to, cell);
        Some(())
    }),
    (
        "unit line joined to the 编制单位 line",
        |src, m, _, _| {
            let shape = shape(src, m)?;
            let s = &mut m.sheets[shape.sheet];
            let unit = s
            .cells
            .iter()
            .find(|((r, _), (out, _))| {
                *r < shape.header.0
                    && matches!(out, Out::Text(t) if { let t = label_key(t); t.starts_with("单位:") || t.starts_with("金额单位") })
            })
            .map(|(k, _)| *k)?;
            let who = s
            .cells
            .iter()
            .find(|((r, c), (out, _))| {
                *r == unit.0
                    && *c < unit.1
                    && matches!(out, Out::Text(t) if { let t = label_key(t); t.starts_with("编制单位") || t.starts_with("部门:") })
            })
            .map(|(k, _)| *k)?;
            let (Some((Out::Text(u), _)), Some((Out::Text(w), origin))) =
                (s.cells.remove(&unit), s.cells.get(&who).cloned())
            else {
                return None;
            };
            s.cells
                .insert(who, (Out::Text(format!("{w}    {u}")), origin));
            Some(())
        },
    ),
    ("headings unmerged", |src, m, _, _| {
        let shape = shape(src, m)?;
        let s = &mut m.sheets[shape.sheet];
        let before = s.merges.len();
        s.merges
            .retain(|g| g.2 < shape.header.0 || g.0 > shape.header.1);
        (s.merges.len() < before).then_some(())
    }),
    ("headings merged across", |src, m, _, _| {
        let shape = shape(src, m)?;
        let s = &mut m.sheets[shape.sheet];
        let (h0, h1) = shape.header;
        // Merged afresh: the sheet's own merges over the headings go first.
        s.merges.retain(|g| g.2 < h0 || g.0 > h1);
        let mut added = 0;
        for r in h0..h1 {
            let mut c = 0;
            while c <= s.last_col() {
                if s.text(r, c).is_none() || s.merged(r, c) {
                    c += 1;
                    continue;
                }
                // Empty cells to the right over columns with headings below.
                let mut end = c;
                while end < s.last_col()
                    && s.text(r, end + 1).is_none()
                    && !s.merged(r, end + 1)
                    && (r + 1..=h1).any(|b| s.text(b, end + 1).is_some())
                {
                    end += 1;
                }
                if end > c {
                    s.merges.push((r, c, r, end));
                    added += 1;
                }
                c = end + 1;
            }
        }
        (added > 0).then_some(())
    }),
    ("headings merged down", |src, m, _, _| {
        let shape = shape(src, m)?;
        let s = &mut m.sheets[shape.sheet];
        let (h0, h1) = shape.header;
        // Merged afresh: the sheet's own merges over the headings go first.
        s.merges.retain(|g| g.2 < h0 || g.0 > h1);
        let mut added = 0;
        for c in 0..=s.last_col() {
            for r in h0..h1 {
                if s.text(r, c).is_none() || s.merged(r, c) {
                    continue;
                }
                let mut end = r;
                while end < h1 && s.text(end + 1, c).is_none() && !s.merged(end + 1, c) {
                    end += 1;
                }
                if end > r {
                    s.merges.push((r, c, end, c));
                    added += 1;
                }
            }
        }
        (added > 0).then_some(())
    }),
    ("empty middle heading row", |src, m, _, rng| {
        let shape = shape(src, m)?;
        if shape.header.1 == shape.header.0 && rng.random_bool(0.5) {
            return None;
        }
        let s = &mut m.sheets[shape.sheet];
        s.insert_row(shape.header.0 + 1);
        Some(())
    }),
    ("三公 turned to items as rows", |src, m, _, _| {
        transpose_sangong(src, m)
    }),
    ("rate column added", |src, m, _, rng| {
        add_column(src, m, "完成预算%", rng, |x| x.round_dp(2))
    }),
    ("previous year's column added", |src, m, _, rng| {
        let heading = format!("{}年决算数", src.year - 1);
        add_column(src, m, &heading, rng, |x| x + Decimal::ONE)
    }),
    ("second table below", |src, m, _, _| {
        let shape = shape(src, m)?;
        let s = &mut m.sheets[shape.sheet];
        let top = s.last_row() + 3;
        let rows = [
            vec![Out::Text("项目支出决算表".into())],
            vec![Out::Text("项目名称".into()), Out::Text("金额".into())],
            vec![Out::Text("城市道路清扫项目".into()), Out::Number(12.5)],
            vec![Out::Text("垃圾转运项目".into()), Out::Number(7.25)],
        ];
        for (i, row) in rows.into_iter().enumerate() {
            for (c, out) in row.into_iter().enumerate() {
                s.cells.insert((top + i as u32, c as u32), (out, None));
            }
        }
        Some(())
    }),
    ("codes split into 类/款/项", |src, m, _, _| {
        split_codes(src, m)
    }),
    ("codes joined to the names", |src, m, _, _| {
        join_codes(src, m)
    }),
    ("labels swapped for aliases", |src, m, _, rng| {
        swap_labels(src, m, rng)
    }),
    ("numbers written as text", |src, m, _, rng| {
        let mut changed = 0;
        for s in &mut m.sheets {
            for (out, origin) in s.cells.values_mut() {
                let Out::Number(n) = *out else { continue };
                if !origin.is_some_and(|o| src.facts.contains_key(&o)) || n < 0.0 {
                    continue;
                }
                let text = format!("{n:.2}");
                *out = Out::Text(match rng.random_range(0..3) {
                    0 => thousands(&text),
                    1 => text.chars().map(full_width).collect(),
                    _ => format!(" {text} "),
                });
                changed += 1;
            }
        }
        (changed > 0).then_some(())
    }),
    ("saved as .xls", |_, _, format, _| {
        *format = Format::Xls;
        Some(())
    }),
    ("saved as HTML", |src, m, format, _| {
        if src.has_cover {
            return None;
        }
        stack_sheets(m);
        *format = Format::Html;
        Some(())
    }),
];

fn thousands(text: &str) -> String {
    let (int, frac) = text.split_once('.').unwrap_or((text, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{frac}")
}

fn full_width(c: char) -> char {
    if c.is_ascii_digit() || c == '.' {
        char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
    } else {
        c
    }
}

/// A column after the table's last, headed `heading` over all heading rows,
/// with a number in each row of figures.
fn add_column(
    src: &Source,
    m: &mut Model,
    heading: &str,
    rng: &mut ChaCha8Rng,
    value: fn(Decimal) -> Decimal,
) -> Option<()> {
    let shape = shape(src, m)?;
    let s = &mut m.sheets[shape.sheet];
    let (h0, h1) = shape.header;
    let col = s.last_col() + 1;
    s.cells.insert((h0, col), (Out::Text(heading.into()), None));
    if h1 > h0 {
        s.merges.push((h0, col, h1, col));
    }
    let rows: BTreeSet<u32> = s
        .cells
        .iter()
        .filter(|((r, _), (_, o))| {
            (shape.body.0..=shape.body.1).contains(r)
                && o.is_some_and(|o| src.facts.contains_key(&o))
        })
        .map(|((r, _), _)| *r)
        .collect();
    for r in rows {
        let base = Decimal::new(rng.random_range(1..100_000), 2);
        let n: f64 = value(base).to_string().parse().ok()?;
        s.cells.insert((r, col), (Out::Number(n), None));
    }
    Some(())
}

/// The 三公 table of a one-table sheet, wide (items across), rebuilt with
/// its items as rows: 项目 | 预算数 | 决算数.
fn transpose_sangong(src: &Source, m: &mut Model) -> Option<()> {
    let shape = shape(src, m)?;
    let facts: Vec<(&Origin, &Key)> = src
        .facts
        .iter()
        .filter(|(o, _)| o.0 == shape.sheet)
        .collect();
    if facts.is_empty() || facts.iter().any(|(_, k)| k.0 != "sangong") {
        return None;
    }
    let rows: BTreeSet<u32> = facts.iter().map(|(o, _)| o.1).collect();
    if rows.len() != 1 {
        return None; // already items as rows
    }
    let label = |item: &str| match item {
        "sangong_total" => "合计",
        "abroad" => "因公出国（境）费",
        "vehicle_total" => "公务用车购置及运行费",
        "vehicle_purchase" => "  其中：公务用车购置费",
        "vehicle_operation" => "        公务用车运行费",
        "reception" => "公务接待费",
        _ => "机关运行经费",
    };
    let s = &mut m.sheets[shape.sheet];
    // Each figure's cell as the model has it now.
    let mut cells: BTreeMap<(String, String), (Out, Option<Origin>)> = BTreeMap::new();
    for ((_, _), (out, origin)) in s.cells.iter() {
        if let Some(o) = origin
            && let Some(key) = src.facts.get(o)
        {
            cells.insert((key.1.clone(), key.3.clone()), (out.clone(), *origin));
        }
    }
    s.cells.retain(|(r, _), _| *r < shape.header.0);
    s.merges.retain(|g| g.2 < shape.header.0);
    let top = shape.header.0;
    for (c, h) in ["项目", "预算数", "决算数"].iter().enumerate() {
        s.cells
            .insert((top, c as u32), (Out::Text(h.to_string()), None));
    }
    let order = [
        "sangong_total",
        "abroad",
        "vehicle_total",
        "vehicle_purchase",
        "vehicle_operation",
        "reception",
        "admin_operating_cost",
    ];
    let mut r = top + 1;
    for item in order {
        let budget = cells.remove(&(item.to_string(), "budget".to_string()));
        let actual = cells.remove(&(item.to_string(), "actual".to_string()));
        if budget.is_none() && actual.is_none() {
            continue;
        }
        s.cells
            .insert((r, 0), (Out::Text(label(item).into()), None));
        for (c, cell) in [(1, budget), (2, actual)] {
            if let Some(cell) = cell {
                s.cells.insert((r, c), cell);
            }
        }
        r += 1;
    }
    Some(())
}

/// The code column (科目编码) joined to the name column beside it, as
/// `2080505 机关事业单位基本养老保险缴费支出` in one cell, and removed.
fn join_codes(src: &Source, m: &mut Model) -> Option<()> {
    let shape = shape(src, m)?;
    let s = &mut m.sheets[shape.sheet];
    let col = code_column(s, &shape)?;
    let names = col + 1;
    let (h0, h1) = shape.header;
    let named = (h0..=h1).any(|r| {
        s.text(r, names)
            .is_some_and(|t| label_key(t).ends_with("名称"))
    });
    if !named {
        return None;
    }
    for r in shape.body.0..=s.last_row() {
        let Some(code) = s.text(r, col).map(str::to_string) else {
            continue;
        };
        if !code.chars().all(|c| c.is_ascii_digit()) {
            // Another text of the column (合计, a later table's title on a
            // sheet of several) moves over to the names when there is room.
            if !s.cells.contains_key(&(r, names))
                && let Some(cell) = s.cells.remove(&(r, col))
            {
                s.cells.insert((r, names), cell);
            }
            continue;
        }
        let name = s.text(r, names).unwrap_or_default().to_string();
        s.cells
            .insert((r, names), (Out::Text(format!("{code} {name}")), None));
    }
    // The title and unit lines above stay, one cell to the right.
    for r in 0..h0 {
        if !s.cells.contains_key(&(r, names))
            && let Some(cell) = s.cells.remove(&(r, col))
        {
            s.cells.insert((r, names), cell);
        }
    }
    s.remove_col(col);
    Some(())
}

/// The first table's code column: headed 科目编码, with 7-digit codes.
fn code_column(s: &ModelSheet, shape: &Shape) -> Option<u32> {
    let (h0, h1) = shape.header;
    (0..=s.last_col()).find(|&c| {
        (h0..=h1).any(|r| s.text(r, c).is_some_and(|t| label_key(t) == "科目编码"))
            && (shape.body.0..=shape.body.1).any(|r| s.text(r, c).is_some_and(|t| t.len() == 7))
    })
}

/// A code column (科目编码, 7/5/3-digit codes) split into 类 | 款 | 项 with
/// the leading zeros lost to number formatting.
fn split_codes(src: &Source, m: &mut Model) -> Option<()> {
    let shape = shape(src, m)?;
    let s = &mut m.sheets[shape.sheet];
    let (h0, h1) = shape.header;
    let col = code_column(s, &shape)?;
    // A heading merged across the code column and its neighbours would
    // swallow the new headings.
    let in_header = |g: &(u32, u32, u32, u32)| g.0 <= h1 && g.2 >= h0;
    if s.merges
        .iter()
        .any(|g| in_header(g) && g.1 <= col && col <= g.3 && g.3 > g.1)
    {
        return None;
    }
    s.insert_col(col + 1);
    s.insert_col(col + 1);
    let top = (h0..=h1).find(|&r| s.text(r, col).is_some())?;
    // 科目编码 stays on top, merged across the three; 类 | 款 | 项 go on the
    // heading row below it, or take its place when there is none.
    let empty_below = top < h1 && (top + 1..=h1).all(|r| s.text(r, col).is_none());
    let below = match s
        .merges
        .iter_mut()
        .find(|g| in_header(g) && g.0 == top && g.1 == col)
    {
        Some(g) if g.2 > g.0 => {
            let below = g.2;
            *g = (top, col, top, col + 2);
            Some(below)
        }
        _ if empty_below => {
            s.merges.push((top, col, top, col + 2));
            Some(h1)
        }
        _ => None,
    };
    for (i, h) in ["类", "款", "项"].iter().enumerate() {
        s.cells.insert(
            (below.unwrap_or(top), col + i as u32),
            (Out::Text(h.to_string()), None),
        );
    }
    for r in shape.body.0..=s.last_row() {
        let Some(code) = s.text(r, col).map(str::to_string) else {
            continue;
        };
        if !code.chars().all(|c| c.is_ascii_digit()) || ![3, 5, 7].contains(&code.len()) {
            continue;
        }
        let origin = s.cells.get(&(r, col)).and_then(|(_, o)| *o);
        s.cells.remove(&(r, col));
        let parts = [
            &code[..3],
            code.get(3..5).unwrap_or(""),
            code.get(5..7).unwrap_or(""),
        ];
        for (i, part) in parts.iter().enumerate() {
            if let Ok(n) = part.parse::<u32>() {
                s.cells
                    .insert((r, col + i as u32), (Out::Number(f64::from(n)), origin));
            }
        }
    }
    Some(())
}

/// Row labels replaced by another alias of the same line from the spec:
/// the line of the first figure to the label's right.
fn swap_labels(src: &Source, m: &mut Model, rng: &mut ChaCha8Rng) -> Option<()> {
    let catalogue = Catalogue::builtin().ok()?;
    let mut swapped = 0;
    for s in &mut m.sheets {
        let figures: BTreeMap<(u32, u32), Key> = s
            .cells
            .iter()
            .filter_map(|(at, (_, o))| Some((*at, src.facts.get(&(*o)?)?.clone())))
            .collect();
        for ((r, c), (out, origin)) in s.cells.iter_mut() {
            let Out::Text(text) = out else { continue };
            if origin.is_none() {
                continue;
            }
            let Some((_, key)) = figures.range((*r, *c + 1)..(*r + 1, 0)).next() else {
                continue;
            };
            let Some(form) = catalogue.form(&key.0) else {
                continue;
            };
            let label = label_key(text);
            let item = form
                .spec
                .panels
                .iter()
                .flat_map(|p| &p.items)
                .find(|i| i.key == key.1 && i.within.is_none());
            let Some(item) = item.filter(|i| i.labels.iter().any(|l| label_key(l) == label)) else {
                continue;
            };
            let others: Vec<&String> = item
                .labels
                .iter()
                .filter(|l| label_key(l) != label)
                .collect();
            if others.is_empty() {
                continue;
            }
            *text = others[rng.random_range(0..others.len())].clone();
            swapped += 1;
        }
    }
    (swapped > 0).then_some(())
}

/// Every sheet one under another on one sheet, as a web page holds its
/// tables.
fn stack_sheets(m: &mut Model) {
    let mut all = ModelSheet {
        name: "Sheet1".into(),
        cells: BTreeMap::new(),
        merges: Vec::new(),
    };
    let mut offset = 0;
    for s in &m.sheets {
        if s.cells.is_empty() {
            continue;
        }
        let first = s.cells.keys().map(|k| k.0).min().unwrap_or(0);
        for ((r, c), v) in &s.cells {
            all.cells.insert((r - first + offset, *c), v.clone());
        }
        for g in &s.merges {
            all.merges
                .push((g.0 - first + offset, g.1, g.2 - first + offset, g.3));
        }
        offset += s.last_row() - first + 1;
        offset = offset.max(all.merges.iter().map(|g| g.2 + 1).max().unwrap_or(0));
    }
    m.sheets = vec![all];
}

// ── Writing ───────────────────────────────────────────────────────────────

fn sheet_outs(m: &Model) -> Vec<SheetOut> {
    m.sheets
        .iter()
        .map(|s| {
            let mut out = SheetOut {
                name: s.name.clone(),
                ..Default::default()
            };
            for ((r, c), (cell, _)) in &s.cells {
                // A merged region shows only its first cell.
                let hidden = s.merges.iter().any(|g| {
                    g.0 <= *r && *r <= g.2 && g.1 <= *c && *c <= g.3 && (g.0, g.1) != (*r, *c)
                });
                if !hidden {
                    out.put(*r, *c, cell.clone());
                }
            }
            out.merges = s.merges.clone();
            out
        })
        .collect()
}

fn html_bytes(m: &Model) -> Vec<u8> {
    let s = &m.sheets[0];
    let mut html = String::from(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><table>\n",
    );
    let (rows, cols) = (s.last_row(), s.last_col());
    for r in 0..=rows {
        html.push_str("<tr>");
        for c in 0..=cols {
            if s.merges
                .iter()
                .any(|g| g.0 <= r && r <= g.2 && g.1 <= c && c <= g.3 && (g.0, g.1) != (r, c))
            {
                continue;
            }
            let span = s.merges.iter().find(|g| (g.0, g.1) == (r, c));
            let attrs = span
                .map(|g| {
                    format!(
                        " rowspan=\"{}\" colspan=\"{}\"",
                        g.2 - g.0 + 1,
                        g.3 - g.1 + 1
                    )
                })
                .unwrap_or_default();
            let text = match s.cells.get(&(r, c)) {
                Some((Out::Text(t), _)) => t.replace('&', "&amp;").replace('<', "&lt;"),
                Some((Out::Number(n), _)) | Some((Out::Formula(_, n), _)) => format!("{n}"),
                None => String::new(),
            };
            let _ = write!(html, "<td{attrs}>{text}</td>");
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table></body></html>\n");
    html.into_bytes()
}

/// Writes the model as `stem` in `format` into `dir`.
fn write(m: &Model, format: Format, dir: &Path, stem: &str) -> PathBuf {
    let (ext, bytes) = match format {
        Format::Xlsx => ("xlsx", xlsx_bytes(&sheet_outs(m)).expect("xlsx")),
        Format::Xls => ("xls", xls_bytes(&sheet_outs(m)).expect("xls")),
        Format::Html => ("xls", html_bytes(m)),
    };
    let path = dir.join(format!("{stem}.{ext}"));
    std::fs::write(&path, bytes).expect("write");
    path
}

// ── Judging ───────────────────────────────────────────────────────────────

#[derive(Default)]
struct Tally {
    cases: usize,
    /// Cases per kind of rewrite, alone or in a composition.
    kinds: BTreeMap<&'static str, usize>,
    figures_kept: usize,
    figures_reported: usize,
    added_reported: usize,
    failures: Vec<String>,
}

/// Reads the rewritten model and compares it with the source.
fn judge(
    src: &Source,
    m: &Model,
    format: Format,
    names: &[&'static str],
    catalogue: &Catalogue,
    tally: &mut Tally,
) {
    let dir = tempfile::tempdir().expect("tempdir");
    let stem = Path::new(&src.file)
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .to_string();
    write(m, format, dir.path(), &stem);
    let batch = read_dir(dir.path(), catalogue);
    let case = format!("{} ← {}", src.file, names.join(" + "));
    tally.cases += 1;
    for name in names {
        *tally.kinds.entry(name).or_default() += 1;
    }
    let read = facts_by_cell(&batch);
    let reported: BTreeSet<(String, String)> = batch
        .report
        .iter()
        .filter(|r| !r.cell.is_empty() && r.kind != "recognised")
        .map(|r| (r.sheet.clone(), r.cell.clone()))
        .collect();
    let skipped: BTreeSet<&str> = batch
        .report
        .iter()
        .filter(|r| r.kind == "skipped" || r.kind == "rejected" || r.kind == "identity")
        .map(|r| r.sheet.as_str())
        .collect();
    let rejected = batch.workbooks.is_empty();
    if rejected {
        let why: Vec<&str> = batch
            .report
            .iter()
            .filter(|r| r.severity == juesuan::ingest::batch::Severity::Error)
            .map(|r| r.message.as_str())
            .collect();
        tally
            .failures
            .push(format!("{case}: the workbook is no longer read: {why:?}"));
        return;
    }
    if let Some(w) = batch.workbooks.first()
        && (w.identity.year != src.year
            || juesuan::text::unit_name_key(&w.identity.unit_name)
                != juesuan::text::unit_name_key(&src.unit_name))
    {
        tally.failures.push(format!(
            "{case}: identity {} {} instead of {} {}",
            w.identity.unit_name, w.identity.year, src.unit_name, src.year
        ));
    }
    let was_reported =
        |at: &(String, String)| reported.contains(at) || skipped.contains(at.0.as_str());
    let mut wrong = compare(src, m, &read, was_reported, tally);
    if !wrong.is_empty() {
        // JUESUAN_META_KEEP=DIR keeps each failing case's workbook there.
        if let Ok(keep) = std::env::var("JUESUAN_META_KEEP") {
            let kept = Path::new(&keep).join(format!("{}-{stem}", tally.failures.len()));
            let _ = std::fs::create_dir_all(&kept);
            for entry in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let _ = std::fs::copy(entry.path(), kept.join(entry.file_name()));
            }
        }
        wrong.truncate(6);
        tally
            .failures
            .push(format!("{case}:\n    {}", wrong.join("\n    ")));
    }
}

/// Every cell of the rewritten model against what was read: a figure read
/// as it was, reported instead of read, or wrong (the lines returned).
fn compare(
    src: &Source,
    m: &Model,
    read: &BTreeMap<(String, String), Key>,
    was_reported: impl Fn(&(String, String)) -> bool,
    tally: &mut Tally,
) -> Vec<String> {
    let mut wrong = Vec::new();
    for s in &m.sheets {
        for ((r, c), (out, origin)) in &s.cells {
            let at = (s.name.clone(), a1(*r, *c));
            let figure = origin.and_then(|o| src.facts.get(&o));
            match (figure, read.get(&at)) {
                (Some(want), Some(got)) if want == got => tally.figures_kept += 1,
                (Some(want), Some(got)) => {
                    wrong.push(format!("{}!{}: read {got:?}, was {want:?}", at.0, at.1))
                }
                (Some(_), None) if was_reported(&at) => tally.figures_reported += 1,
                (Some(want), None) => wrong.push(format!(
                    "{}!{}: {want:?} neither read nor reported",
                    at.0, at.1
                )),
                (None, Some(got)) => wrong.push(format!(
                    "{}!{}: read {got:?} from a cell that held no figure",
                    at.0, at.1
                )),
                (None, None) if origin.is_none() && matches!(out, Out::Number(_)) => {
                    if was_reported(&at) {
                        tally.added_reported += 1;
                    } else {
                        wrong.push(format!("{}!{}: added number not reported", at.0, at.1));
                    }
                }
                (None, None) => {}
            }
        }
    }
    wrong
}

/// Applies the named rewrites in turn; `None` when one does not apply.
fn apply(src: &Source, rewrites: &[usize], rng: &mut ChaCha8Rng) -> Option<(Model, Format)> {
    let mut model = src.model.clone();
    let mut format = Format::Xlsx;
    for &i in rewrites {
        // Saving as .xls or HTML comes last: a rewrite after it would
        // undo it or find the sheets stacked.
        if format != Format::Xlsx {
            return None;
        }
        (REWRITES[i].1)(src, &mut model, &mut format, rng)?;
    }
    Some((model, format))
}

fn seed() -> u64 {
    match std::env::var("JUESUAN_META_SEED").ok().as_deref() {
        None => 20261207,
        Some("random") => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
        Some(n) => n
            .parse()
            .expect("JUESUAN_META_SEED is a number or `random`"),
    }
}

#[test]
fn rewrites_that_keep_the_meaning_keep_the_figures() {
    let catalogue = Catalogue::builtin().expect("specs");
    let sources = sources(&catalogue);
    let seed = seed();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut tally = Tally::default();
    // Every rewrite alone on every layout.
    for src in &sources {
        for (i, (name, _)) in REWRITES.iter().enumerate() {
            if let Some((model, format)) = apply(src, &[i], &mut rng) {
                judge(src, &model, format, &[name], &catalogue, &mut tally);
            }
        }
    }
    // Random compositions.
    let compositions: usize = std::env::var("JUESUAN_META_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(150);
    let mut tried = 0;
    while tried < compositions {
        tried += 1;
        let src = &sources[rng.random_range(0..sources.len())];
        let n = rng.random_range(2..=4);
        let picks: Vec<usize> = (0..n)
            .map(|_| rng.random_range(0..REWRITES.len()))
            .collect();
        if let Some((model, format)) = apply(src, &picks, &mut rng) {
            let names: Vec<&'static str> = picks.iter().map(|&i| REWRITES[i].0).collect();
            judge(src, &model, format, &names, &catalogue, &mut tally);
        }
    }
    println!(
        "metamorphic (seed {seed}): {} cases over {} layouts, {} kinds of rewrite; \
         {} figures kept, {} reported instead of read, {} added numbers reported; {} failures",
        tally.cases,
        sources.len(),
        tally.kinds.len(),
        tally.figures_kept,
        tally.figures_reported,
        tally.added_reported,
        tally.failures.len()
    );
    for (name, _) in REWRITES {
        println!(
            "  {:>5}  {name}",
            tally.kinds.get(name).copied().unwrap_or(0)
        );
    }
    assert!(
        tally.kinds.len() >= 12,
        "only {} kinds of rewrite applied",
        tally.kinds.len()
    );
    assert!(
        tally.failures.is_empty(),
        "seed {seed}: {} of {} cases failed:\n{}",
        tally.failures.len(),
        tally.cases,
        tally
            .failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A blank column at every position of every sheet — between 科目编码 and
/// 科目名称, inside a heading merged across a group, between side-by-side
/// panels — keeps every figure where it was.
#[test]
fn a_blank_column_anywhere_keeps_the_figures() {
    let catalogue = Catalogue::builtin().expect("specs");
    let mut tally = Tally::default();
    for src in &sources(&catalogue) {
        for (sheet, s) in src.model.sheets.iter().enumerate() {
            for at in 0..=s.last_col() + 1 {
                let mut model = src.model.clone();
                model.sheets[sheet].insert_col(at);
                judge(
                    src,
                    &model,
                    Format::Xlsx,
                    &["blank column"],
                    &catalogue,
                    &mut tally,
                );
            }
        }
    }
    println!(
        "blank columns: {} cases, {} figures kept, {} reported instead of read; {} failures",
        tally.cases,
        tally.figures_kept,
        tally.figures_reported,
        tally.failures.len()
    );
    assert!(tally.cases > 300, "only {} cases", tally.cases);
    assert!(
        tally.failures.is_empty() && tally.figures_reported == 0,
        "{} of {} cases failed, {} figures reported instead of read:\n{}",
        tally.failures.len(),
        tally.cases,
        tally.figures_reported,
        tally.failures.join("\n")
    );
}

/// A blank row at every position of every sheet — between the title and
/// the headings, between heading rows, among the rows of figures — keeps
/// every figure where it was.
#[test]
fn a_blank_row_anywhere_keeps_the_figures() {
    let catalogue = Catalogue::builtin().expect("specs");
    let mut tally = Tally::default();
    for src in &sources(&catalogue) {
        for (sheet, s) in src.model.sheets.iter().enumerate() {
            for at in 0..=s.last_row() + 1 {
                let mut model = src.model.clone();
                model.sheets[sheet].insert_row(at);
                judge(
                    src,
                    &model,
                    Format::Xlsx,
                    &["blank row"],
                    &catalogue,
                    &mut tally,
                );
            }
        }
    }
    println!(
        "blank rows: {} cases, {} figures kept, {} reported instead of read; {} failures",
        tally.cases,
        tally.figures_kept,
        tally.figures_reported,
        tally.failures.len()
    );
    assert!(tally.cases > 300, "only {} cases", tally.cases);
    assert!(
        tally.failures.is_empty() && tally.figures_reported == 0,
        "{} of {} cases failed, {} figures reported instead of read:\n{}",
        tally.failures.len(),
        tally.cases,
        tally.figures_reported,
        tally.failures.join("\n")
    );
}
