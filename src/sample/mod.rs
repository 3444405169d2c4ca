//! `juesuan sample`: a deterministic corpus that looks like what a finance
//! bureau receives — departments of one to four units, mixed 单位性质,
//! several years with drift, both families (财决 exports in 元, public
//! disclosures in 万元), every layout variation of DOMAIN.md §2, `.xls` files
//! among the `.xlsx` — with planted anomalies and consistency errors listed
//! in `truth.csv`, and the exact facts every file must yield.

pub mod accounts;
mod generate;
pub mod layout;
mod narrative;
mod pdf;
pub mod xls;

use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook};
use serde::Deserialize;
use std::path::Path;

pub use generate::{Corpus, GeneratedFile, TruthRow, generate, seed_units, workbook_file};
use layout::{Out, SheetOut};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SampleConfig {
    pub departments: usize,
    pub first_year: i32,
    pub last_year: i32,
    pub seed: u64,
    /// Also write the hand-built workbooks of the seed units.
    pub with_seed_units: bool,
    /// Also write each department-year's 情况说明 (with planted defects).
    pub narratives: bool,
}

/// A workbook read back into sheets of cells (text and numbers) and merged
/// regions — what [`xlsx_bytes`] writes — so that a test or benchmark can
/// change a figure and save the workbook again, as a unit resubmitting it.
pub fn read_back(path: &Path) -> Result<Vec<SheetOut>> {
    use crate::ingest::grid::Cell;
    use crate::ingest::read::{Limits, open_path};
    let mut book = open_path(path, &Limits::default())
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut sheets = Vec::new();
    let mut unread = None;
    book.read_sheets(|sheet| {
        let sheet = match sheet {
            Ok(sheet) => sheet,
            Err(e) => {
                unread.get_or_insert(e.message);
                return;
            }
        };
        let mut out = SheetOut {
            name: sheet.name.to_string(),
            ..Default::default()
        };
        if let Some(grid) = &sheet.grid {
            for r in grid.rows() {
                for c in grid.cols() {
                    match grid.cell(r, c) {
                        Cell::Text(t) => out.put(r, c, Out::Text(t.to_string())),
                        Cell::Number(n) => out.put(r, c, Out::Number(n)),
                        _ => {}
                    }
                }
            }
        }
        out.merges = (sheet.merges.iter().flatten())
            .map(|m| (m.start.0, m.start.1, m.end.0, m.end.1))
            .collect();
        sheets.push(out);
    })
    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    match unread {
        Some(message) => anyhow::bail!("{}: a sheet does not read: {message}", path.display()),
        None => Ok(sheets),
    }
}

/// Serialises sheets to `.xlsx` bytes with fixed metadata, so the same
/// corpus is the same bytes on every run.
pub fn xlsx_bytes(sheets: &[SheetOut]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2024, 3, 1).map_err(|e| anyhow::anyhow!("{e}"))?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("juesuan sample"),
    );
    let bold = Format::new().set_bold();
    for s in sheets {
        let sheet = book.add_worksheet();
        sheet
            .set_name(&s.name)
            .map_err(|e| anyhow::anyhow!("sheet name {:?}: {e}", s.name))?;
        let merged: std::collections::BTreeSet<(u32, u32)> =
            s.merges.iter().map(|m| (m.0, m.1)).collect();
        for m in &s.merges {
            let text = match s.cells.get(&(m.0, m.1)) {
                Some(Out::Text(t)) => t.clone(),
                _ => String::new(),
            };
            sheet
                .merge_range(m.0, m.1 as u16, m.2, m.3 as u16, &text, &bold)
                .map_err(|e| anyhow::anyhow!("merge in {}: {e}", s.name))?;
        }
        for ((r, c), out) in &s.cells {
            if merged.contains(&(*r, *c)) {
                continue;
            }
            let c = *c as u16;
            let result = match out {
                Out::Text(t) => sheet.write_string(*r, c, t).map(|_| ()),
                Out::Number(n) => sheet.write_number(*r, c, *n).map(|_| ()),
                Out::Formula(f, v) => sheet
                    .write_formula(*r, c, Formula::new(f).set_result(format!("{v}")))
                    .map(|_| ()),
            };
            result.map_err(|e| anyhow::anyhow!("cell in {}: {e}", s.name))?;
        }
        for r in &s.hidden_rows {
            sheet
                .set_row_hidden(*r)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        for (c, w) in &s.widths {
            sheet
                .set_column_width(*c as u16, *w)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    book.save_to_buffer()
        .map_err(|e| anyhow::anyhow!("saving workbook: {e}"))
}

/// Serialises sheets to legacy `.xls` (BIFF8) bytes.
pub fn xls_bytes(sheets: &[SheetOut]) -> Result<Vec<u8>> {
    let converted: Vec<xls::XlsSheet> = sheets
        .iter()
        .map(|s| xls::XlsSheet {
            name: s.name.clone(),
            cells: s
                .cells
                .iter()
                .map(|((r, c), out)| {
                    let value = match out {
                        Out::Text(t) => xls::XlsValue::Text(t.clone()),
                        Out::Number(n) | Out::Formula(_, n) => xls::XlsValue::Number(*n),
                    };
                    (*r, *c as u16, value)
                })
                .collect(),
            merges: s
                .merges
                .iter()
                .map(|m| (m.0, m.2, m.1 as u16, m.3 as u16))
                .collect(),
            hidden_rows: s.hidden_rows.clone(),
        })
        .collect();
    xls::write_xls(&converted).context("writing .xls")
}

/// The seed units' accounts, from the published reports (see sample_data/seeds/README.md).
#[derive(Debug, Deserialize)]
pub struct SeedFile {
    pub unit: Vec<accounts::UnitYear>,
}

pub const SEEDS_TOML: &str = include_str!("seeds.toml");

/// Writes the corpus (and truth.csv, manifest.toml) into `out`; returns a summary line.
pub fn write_corpus(out: &Path, config: &SampleConfig) -> Result<String> {
    let catalogue = crate::spec::Catalogue::builtin()?;
    let corpus = generate(config, &catalogue)?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for file in &corpus.files {
        let path = out.join(&file.rel_path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        crate::write::atomic_write(&path, |f| {
            use std::io::Write;
            f.write_all(&file.bytes)?;
            Ok(())
        })?;
    }
    crate::write::atomic_write(&out.join("truth.csv"), |f| {
        use std::io::Write;
        f.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::Writer::from_writer(f);
        w.write_record(TruthRow::HEADER)?;
        for t in &corpus.truth {
            w.write_record(t.record())?;
        }
        w.flush()?;
        Ok(())
    })?;
    let manifest = format!(
        "# Written by `juesuan sample`; the tests regenerate the corpus from these\n# parameters and compare every fact read from the files with the generator's.\ndepartments = {}\nfirst_year = {}\nlast_year = {}\nseed = {}\nwith_seed_units = {}\nnarratives = {}\n",
        config.departments,
        config.first_year,
        config.last_year,
        config.seed,
        config.with_seed_units,
        config.narratives
    );
    std::fs::write(out.join("manifest.toml"), manifest).context("writing manifest.toml")?;
    let facts: usize = corpus.files.iter().map(|f| f.expected.len()).sum();
    let count = |ext: &str| {
        corpus
            .files
            .iter()
            .filter(|f| f.rel_path.ends_with(ext))
            .count()
    };
    let documents = corpus
        .files
        .iter()
        .filter(|f| f.rel_path.contains("/说明/"))
        .count();
    Ok(format!(
        "wrote {} workbooks ({} .xls) and {} narratives with {} facts and {} truth rows to {}",
        corpus.files.len() - documents,
        count(".xls"),
        documents,
        facts,
        corpus.truth.len(),
        out.display()
    ))
}
