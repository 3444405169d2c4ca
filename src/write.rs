//! Write stage: the batch → `facts.parquet`, `units.parquet` and
//! `ingest_report.csv`. Every file is written to a temporary name in the
//! output folder and renamed into place when complete, so a reader never
//! sees a half-written output.

use anyhow::{Context, Result};
use polars::prelude::{
    Column, DataFrame, Int128Chunked, IntoColumn, IntoSeries, NewChunkedArray, ParquetCompression,
    ParquetWriter, Series, StatisticsOptions,
};
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use crate::analyse::Analysis;
use crate::analyse::flags::FlagRow;
use crate::analyse::score::ScoreRow;
use crate::batch::{Batch, ReportRow, WorkbookFacts};
use crate::validate::{Finding, cells_text};

/// Writes `bytes_writer`'s output to `path` atomically (temp file + rename).
pub fn atomic_write<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&mut File) -> Result<()>,
{
    let dir = path.parent().context("output path has no folder")?;
    let name = path
        .file_name()
        .context("output path has no file name")?
        .to_string_lossy();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        write(&mut file)?;
        file.sync_all()
            .with_context(|| format!("flushing {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("renaming into {}", path.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

pub fn write_parquet(path: &Path, frame: &mut DataFrame) -> Result<()> {
    atomic_write(path, |file| {
        ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::default())
            .finish(frame)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
        Ok(())
    })
}

/// Money as Polars `Decimal(18, 2)`: exact 元 with 分, stored as integers.
pub fn decimal_series(name: &str, values: impl Iterator<Item = Option<i128>>) -> Result<Series> {
    let values: Vec<Option<i128>> = values.collect();
    let chunked = Int128Chunked::from_iter_options(name.into(), values.into_iter());
    Ok(chunked.into_decimal(18, 2)?.into_series())
}

/// Cents of a `Decimal` amount at scale 2.
pub fn cents(amount: rust_decimal::Decimal) -> i128 {
    let mut d = amount;
    d.rescale(2);
    d.mantissa()
}

/// Streams `facts.parquet`: each chunk of workbooks becomes a row group,
/// built and written on a thread of its own while the caller reads the next
/// chunk, so writing overlaps reading and memory holds one frame at a time.
pub struct FactsWriter {
    chunks: mpsc::Sender<Vec<Arc<WorkbookFacts>>>,
    thread: JoinHandle<Result<()>>,
}

impl FactsWriter {
    pub fn start(path: &Path) -> FactsWriter {
        let (chunks, received) = mpsc::channel();
        let path = path.to_path_buf();
        let thread = std::thread::spawn(move || write_fact_chunks(&path, received.into_iter()));
        FactsWriter { chunks, thread }
    }

    /// Queues workbooks for the next row group.
    pub fn add(&self, workbooks: &[Arc<WorkbookFacts>]) {
        if !workbooks.is_empty() {
            // A send only fails when the writer thread has stopped on an
            // error, which `finish` reports.
            let _ = self.chunks.send(workbooks.to_vec());
        }
    }

    /// Waits for the last row group and moves the file into place.
    pub fn finish(self) -> Result<()> {
        drop(self.chunks);
        self.thread
            .join()
            .map_err(|_| anyhow::anyhow!("the facts.parquet writer thread panicked"))?
    }
}

fn write_fact_chunks(
    path: &Path,
    mut chunks: impl Iterator<Item = Vec<Arc<WorkbookFacts>>>,
) -> Result<()> {
    let fail = |e: polars::prelude::PolarsError| anyhow::anyhow!("writing {}: {e}", path.display());
    atomic_write(path, |file| {
        // The first frame (empty when nothing was read) fixes the schema.
        let first = facts_frame(&chunks.next().unwrap_or_default())?;
        let mut writer = ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::default())
            .batched(first.schema())
            .map_err(fail)?;
        writer.write_batch(&first).map_err(fail)?;
        drop(first);
        for chunk in chunks {
            writer.write_batch(&facts_frame(&chunk)?).map_err(fail)?;
        }
        writer.finish().map_err(fail)?;
        Ok(())
    })
}

/// The tidy fact table of some workbooks: one row per number read.
pub fn facts_frame(workbooks: &[Arc<WorkbookFacts>]) -> Result<DataFrame> {
    let n = workbooks.iter().map(|w| w.facts.len()).sum();
    let mut year = Vec::with_capacity(n);
    let mut unit_id = Vec::with_capacity(n);
    let mut unit_code: Vec<Option<&str>> = Vec::with_capacity(n);
    let mut unit_name = Vec::with_capacity(n);
    let mut dept_code: Vec<Option<&str>> = Vec::with_capacity(n);
    let mut dept_name = Vec::with_capacity(n);
    let mut family = Vec::with_capacity(n);
    let mut report_type = Vec::with_capacity(n);
    let mut form = Vec::with_capacity(n);
    let mut item = Vec::with_capacity(n);
    let mut column = Vec::with_capacity(n);
    let mut subject_code: Vec<Option<&str>> = Vec::with_capacity(n);
    let mut amount = Vec::with_capacity(n);
    let mut unit_of_measure = Vec::with_capacity(n);
    let mut source_file = Vec::with_capacity(n);
    let mut source_sheet = Vec::with_capacity(n);
    let mut source_cell = Vec::with_capacity(n);
    let mut source_label = Vec::with_capacity(n);
    let mut source_header = Vec::with_capacity(n);
    let mut source_scale = Vec::with_capacity(n);
    let families: Vec<String> = workbooks
        .iter()
        .map(|w| w.identity.family.to_string())
        .collect();
    for (w, fam) in workbooks.iter().zip(&families) {
        let id = &w.identity;
        for f in &w.facts {
            year.push(id.year);
            unit_id.push(id.unit_id.as_str());
            unit_code.push(id.unit_code.as_deref());
            unit_name.push(id.unit_name.as_str());
            dept_code.push(id.dept_code.as_deref());
            dept_name.push(id.dept_name.as_str());
            family.push(fam.as_str());
            report_type.push(id.report_type.as_str());
            form.push(&*f.form);
            item.push(&*f.item);
            column.push(&*f.column);
            subject_code.push(f.subject_code.as_deref());
            amount.push(Some(cents(f.amount)));
            unit_of_measure.push(&*f.unit_of_measure);
            source_file.push(&*w.file);
            source_sheet.push(&*f.sheet);
            source_cell.push(f.cell());
            source_label.push(&*f.label);
            source_header.push(&*f.header);
            source_scale.push(&*f.scale);
        }
    }
    let columns = vec![
        Column::new("year".into(), year),
        Column::new("unit_id".into(), unit_id),
        Column::new("unit_code".into(), unit_code),
        Column::new("unit_name".into(), unit_name),
        Column::new("dept_code".into(), dept_code),
        Column::new("dept_name".into(), dept_name),
        Column::new("family".into(), family),
        Column::new("report_type".into(), report_type),
        Column::new("form".into(), form),
        Column::new("item".into(), item),
        Column::new("column".into(), column),
        Column::new("subject_code".into(), subject_code),
        decimal_series("amount", amount.into_iter())?.into_column(),
        Column::new("unit_of_measure".into(), unit_of_measure),
        Column::new("source_file".into(), source_file),
        Column::new("source_sheet".into(), source_sheet),
        Column::new("source_cell".into(), source_cell),
        Column::new("source_label".into(), source_label),
        Column::new("source_header".into(), source_header),
        Column::new("source_scale".into(), source_scale),
    ];
    Ok(DataFrame::new(n, columns)?)
}

/// One row per unit-year: identity, attributes and staff figures.
pub fn units_frame(batch: &Batch) -> Result<DataFrame> {
    let staff = |w: &WorkbookFacts, item: &str| -> Option<i64> {
        w.facts
            .iter()
            .find(|f| &*f.form == "operations" && &*f.item == item)
            .and_then(|f| i64::try_from(f.amount.trunc().mantissa()).ok())
    };
    let ws = &batch.workbooks;
    let str_col = |name: &str, f: &dyn Fn(&WorkbookFacts) -> Option<String>| {
        Column::new(
            name.into(),
            ws.iter().map(|w| f(w)).collect::<Vec<Option<String>>>(),
        )
    };
    let columns = vec![
        Column::new(
            "year".into(),
            ws.iter().map(|w| w.identity.year).collect::<Vec<i32>>(),
        ),
        str_col("unit_id", &|w| Some(w.identity.unit_id.clone())),
        str_col("unit_code", &|w| w.identity.unit_code.clone()),
        str_col("unit_name", &|w| Some(w.identity.unit_name.clone())),
        str_col("dept_code", &|w| w.identity.dept_code.clone()),
        str_col("dept_name", &|w| Some(w.identity.dept_name.clone())),
        str_col("unit_kind", &|w| w.identity.unit_kind.clone()),
        str_col("report_type", &|w| Some(w.identity.report_type.clone())),
        str_col("family", &|w| Some(w.identity.family.to_string())),
        str_col("identity_source", &|w| {
            Some(w.identity.origin.as_str().to_string())
        }),
        Column::new(
            "staff_authorized".into(),
            ws.iter()
                .map(|w| staff(w, "staff_authorized"))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "staff_actual".into(),
            ws.iter()
                .map(|w| staff(w, "staff_actual"))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "retirees".into(),
            ws.iter().map(|w| staff(w, "retirees")).collect::<Vec<_>>(),
        ),
        Column::new(
            "facts".into(),
            ws.iter().map(|w| w.facts.len() as u32).collect::<Vec<_>>(),
        ),
        str_col("source_file", &|w| Some(w.file.to_string())),
    ];
    Ok(DataFrame::new(ws.len(), columns)?)
}

pub fn write_report_csv(path: &Path, rows: &[ReportRow]) -> Result<()> {
    atomic_write(path, |file| {
        // A BOM so that Excel opens the Chinese text as UTF-8.
        file.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::Writer::from_writer(file);
        w.write_record([
            "file", "sheet", "cell", "severity", "kind", "form", "message",
        ])?;
        for r in rows {
            w.write_record([
                &r.file,
                &r.sheet,
                &r.cell,
                r.severity.as_str(),
                r.kind,
                &r.form,
                &r.message,
            ])?;
        }
        w.flush()?;
        Ok(())
    })
}

/// Writes `units.parquet` and `ingest_report.csv` into `out` (the facts
/// are streamed by [`FactsWriter`] while reading).
pub fn write_units_and_report(out: &Path, batch: &Batch) -> Result<()> {
    write_parquet(&out.join("units.parquet"), &mut units_frame(batch)?)?;
    write_report_csv(&out.join("ingest_report.csv"), &batch.report)
}

/// The columns of `findings.parquet` and `findings.csv`, in order.
const FINDING_COLUMNS: [&str; 19] = [
    "rule_id",
    "severity",
    "description",
    "year",
    "unit_id",
    "unit_name",
    "dept_code",
    "dept_name",
    "report_type",
    "family",
    "forms",
    "left",
    "right",
    "left_amount",
    "right_amount",
    "difference",
    "tolerance",
    "source_file",
    "source_cells",
];

/// A finding as text, in [`FINDING_COLUMNS`] order (amounts with two decimals).
fn finding_record(f: &Finding) -> [String; 19] {
    let id = &f.workbook.identity;
    let amount = |mut d: rust_decimal::Decimal| {
        d.rescale(2);
        d.to_string()
    };
    [
        f.rule_id.to_string(),
        f.severity.as_str().to_string(),
        f.description.to_string(),
        id.year.to_string(),
        id.unit_id.clone(),
        id.unit_name.clone(),
        id.dept_code.clone().unwrap_or_default(),
        id.dept_name.clone(),
        id.report_type.clone(),
        id.family.to_string(),
        f.forms.join(","),
        f.left.clone(),
        f.right.clone(),
        amount(f.left_amount),
        amount(f.right_amount),
        amount(f.difference()),
        amount(f.tolerance),
        f.cells
            .first()
            .map(|c| c.file.to_string())
            .unwrap_or_default(),
        f.cells_text(),
    ]
}

/// `findings.parquet`: text columns as in the CSV; `year` an integer and the
/// four amounts `Decimal(18, 2)`.
pub fn findings_frame(findings: &[Finding]) -> Result<DataFrame> {
    let records: Vec<[String; 19]> = findings.iter().map(finding_record).collect();
    type Amount = fn(&Finding) -> rust_decimal::Decimal;
    let amounts: [(&str, Amount); 4] = [
        ("left_amount", |f| f.left_amount),
        ("right_amount", |f| f.right_amount),
        ("difference", Finding::difference),
        ("tolerance", |f| f.tolerance),
    ];
    let mut columns = Vec::with_capacity(FINDING_COLUMNS.len());
    for (i, name) in FINDING_COLUMNS.iter().enumerate() {
        let column = if *name == "year" {
            let years: Vec<i32> = findings.iter().map(|f| f.workbook.identity.year).collect();
            Column::new((*name).into(), years)
        } else if let Some((_, get)) = amounts.iter().find(|(n, _)| n == name) {
            decimal_series(name, findings.iter().map(|f| Some(cents(get(f)))))?.into_column()
        } else {
            let texts: Vec<&str> = records.iter().map(|r| r[i].as_str()).collect();
            Column::new((*name).into(), texts)
        };
        columns.push(column);
    }
    Ok(DataFrame::new(findings.len(), columns)?)
}

/// Writes `findings.parquet` and `findings.csv` (UTF-8 with BOM) into `out`.
pub fn write_findings(out: &Path, findings: &[Finding]) -> Result<()> {
    write_parquet(
        &out.join("findings.parquet"),
        &mut findings_frame(findings)?,
    )?;
    atomic_write(&out.join("findings.csv"), |file| {
        file.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::Writer::from_writer(file);
        w.write_record(FINDING_COLUMNS)?;
        for f in findings {
            w.write_record(finding_record(f))?;
        }
        w.flush()?;
        Ok(())
    })
}

/// Writes `metrics.parquet`, `flags.parquet` and `scores.parquet` into `out`.
pub fn write_analysis(out: &Path, analysis: &Analysis) -> Result<()> {
    write_parquet(
        &out.join("metrics.parquet"),
        &mut analysis.metrics.long.clone(),
    )?;
    write_parquet(
        &out.join("flags.parquet"),
        &mut flags_frame(&analysis.flags)?,
    )?;
    write_parquet(
        &out.join("scores.parquet"),
        &mut scores_frame(&analysis.scores)?,
    )
}

pub fn flags_frame(flags: &[FlagRow]) -> Result<DataFrame> {
    let text = |name: &str, f: &dyn Fn(&FlagRow) -> Option<String>| {
        Column::new(name.into(), flags.iter().map(f).collect::<Vec<_>>())
    };
    let number = |name: &str, f: &dyn Fn(&FlagRow) -> Option<f64>| {
        Column::new(name.into(), flags.iter().map(f).collect::<Vec<_>>())
    };
    let columns = vec![
        text("flag", &|f| Some(f.flag.clone())),
        text("label", &|f| Some(f.label.clone())),
        text("level", &|f| Some(f.level.as_str().to_string())),
        text("entity_id", &|f| Some(f.entity_id.clone())),
        text("entity_name", &|f| Some(f.entity_name.clone())),
        text("dept_name", &|f| Some(f.dept_name.clone())),
        text("unit_kind", &|f| f.unit_kind.clone()),
        Column::new(
            "year".into(),
            flags.iter().map(|f| f.year).collect::<Vec<i32>>(),
        ),
        text("metric", &|f| Some(f.metric.clone())),
        number("value", &|f| f.value),
        number("reference", &|f| f.reference),
        text("reason", &|f| Some(f.reason.clone())),
        text("source_file", &|f| {
            f.cells.first().map(|c| c.file.to_string())
        }),
        text("source_cells", &|f| Some(cells_text(&f.cells))),
    ];
    Ok(DataFrame::new(flags.len(), columns)?)
}

/// One row per entity-year and scored indicator, plus the total.
pub fn scores_frame(scores: &[ScoreRow]) -> Result<DataFrame> {
    let mut level = Vec::new();
    let mut id = Vec::new();
    let mut year = Vec::new();
    let mut indicator = Vec::new();
    let mut value: Vec<Option<f64>> = Vec::new();
    let mut points = Vec::new();
    let mut attainable = Vec::new();
    let mut grade: Vec<Option<&str>> = Vec::new();
    for s in scores {
        let rows = s
            .items
            .iter()
            .map(|(i, v, p, a)| (i.as_str(), Some(*v), *p, *a, None))
            .chain(std::iter::once((
                "total",
                s.share(),
                s.total,
                s.attainable,
                Some(s.grade.as_str()),
            )));
        for (i, v, p, a, g) in rows {
            level.push(s.level.as_str());
            id.push(s.entity_id.as_str());
            year.push(s.year);
            indicator.push(i);
            value.push(v);
            points.push(p);
            attainable.push(a);
            grade.push(g);
        }
    }
    let n = level.len();
    Ok(DataFrame::new(
        n,
        vec![
            Column::new("level".into(), level),
            Column::new("entity_id".into(), id),
            Column::new("year".into(), year),
            Column::new("indicator".into(), indicator),
            Column::new("value".into(), value),
            Column::new("points".into(), points),
            Column::new("attainable".into(), attainable),
            Column::new("grade".into(), grade),
        ],
    )?)
}
