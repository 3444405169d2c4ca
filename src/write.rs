//! Write stage: the batch → `facts.parquet`, `units.parquet` and
//! `ingest_report.csv`. Every file is written to a temporary name in the
//! output folder and renamed into place when complete, so a reader never
//! sees a half-written output.

use anyhow::{Context, Result};
use polars::io::parquet::write::BatchedWriter;
use polars::io::parquet::write::{KeyValueMetadata, get_encodings};
use polars::prelude::{
    ArrowSchema, Column, CompatLevel, DataFrame, Int128Chunked, IntoColumn, IntoSeries,
    NewChunkedArray, ParquetCompression, ParquetWriter, PlHashMap, PolarsError, PolarsResult,
    Schema, SchemaExt, Series, StatisticsOptions,
};
use polars_arrow::array::{
    ArrayRef, DictionaryArray, MutableBinaryViewArray, PrimitiveArray, Utf8ViewArray,
};
use polars_arrow::bitmap::MutableBitmap;
use polars_arrow::datatypes::{ArrowDataType, IntegerType};
use polars_parquet::write::{
    CompressedPage, DynIter, DynStreamingIterator, Encoding, FileWriter, KeyValue, ParquetType,
    Version, WriteOptions, array_to_columns, compress, fallible_streaming_iterator,
};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use crate::analyse::Analysis;
use crate::analyse::digits::{DigitStat, DigitTest};
use crate::analyse::flags::FlagRow;
use crate::analyse::metrics::MetricsTable;
use crate::analyse::score::ScoreRow;
use crate::ingest::batch::{Batch, ReportRow, STAFF_ITEMS, WorkbookFacts};
use crate::pool;
use crate::rules::FindingSeverity;
use crate::validate::{CheckRun, Finding, cells_text};

pub mod fact_groups;
use fact_groups::{FactGroups, GroupsWritten, PreviousFacts};

/// Every file a command may write into the output folder.
pub const OUTPUT_FILES: [&str; 13] = [
    "facts.parquet",
    "claims.parquet",
    "units.parquet",
    "ingest_report.csv",
    "findings.parquet",
    "findings.csv",
    "review_open.csv",
    "review_stale.csv",
    "metrics.parquet",
    "flags.parquet",
    "scores.parquet",
    "digits.parquet",
    "league_tables.xlsx",
];

/// A file being written under a temporary name beside its final path,
/// renamed into place by [`AtomicFile::commit`] and removed if dropped
/// uncommitted: a reader never sees it half-written. Buffered, as some
/// writers (Polars' Parquet footer) write a field at a time.
pub struct AtomicFile {
    sink: Option<BufWriter<File>>,
    tmp: PathBuf,
    path: PathBuf,
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let dir = path.parent().context("output path has no folder")?;
        let name = path
            .file_name()
            .context("output path has no file name")?
            .to_string_lossy();
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok(AtomicFile {
            sink: Some(BufWriter::new(file)),
            tmp,
            path: path.to_path_buf(),
        })
    }

    /// Flushes the file to disk and renames it into place.
    pub fn commit(mut self) -> Result<()> {
        let Some(sink) = self.sink.take() else {
            anyhow::bail!("{} was already committed", self.path.display());
        };
        let file = sink
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("writing {}", self.tmp.display()))?;
        file.sync_all()
            .with_context(|| format!("flushing {}", self.tmp.display()))?;
        std::fs::rename(&self.tmp, &self.path)
            .with_context(|| format!("renaming into {}", self.path.display()))
    }

    fn sink(&mut self) -> std::io::Result<&mut BufWriter<File>> {
        self.sink
            .as_mut()
            .ok_or_else(|| std::io::Error::other("written after commit"))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.sink()?.write(bytes)
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.sink()?.write_all(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.sink()?.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Committed files were renamed; an uncommitted one is incomplete.
        if self.sink.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Runs `write` into an [`AtomicFile`] and commits it.
pub fn atomic_write<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&mut AtomicFile) -> Result<()>,
{
    let mut file = AtomicFile::create(path)?;
    write(&mut file)?;
    file.commit()
}

pub fn write_parquet(path: &Path, frame: &mut DataFrame) -> Result<()> {
    atomic_write(path, |file| {
        parquet_writer(file)
            .finish(frame)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
        Ok(())
    })
}

fn parquet_writer<W: Write>(sink: W) -> ParquetWriter<W> {
    ParquetWriter::new(sink)
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::default())
        .with_key_value_metadata(stamp().map(KeyValueMetadata::Static))
}

/// The run's id as a Parquet file's key-value metadata (crate::manifest).
fn stamp() -> Option<Vec<KeyValue>> {
    let stamp = crate::manifest::stamp()?;
    Some(vec![KeyValue {
        key: crate::manifest::PARQUET_KEY.into(),
        value: Some(stamp.run_id),
    }])
}

/// Writes a Parquet file of `schema` from the frames `fill` hands the
/// writer, each a row group, so that the whole table is never one frame.
pub fn write_parquet_batches<F>(path: &Path, schema: &Schema, fill: F) -> Result<()>
where
    F: FnOnce(&mut BatchedWriter<&mut AtomicFile>) -> Result<()>,
{
    let fail = |e: PolarsError| anyhow::anyhow!("writing {}: {e}", path.display());
    atomic_write(path, |file| {
        let mut writer = parquet_writer(file).batched(schema).map_err(fail)?;
        fill(&mut writer)?;
        writer.finish().map_err(fail)?;
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

/// The tables [`Layout::ByYear`] writes as folders.
pub const PARTITIONED_TABLES: [&str; 2] = ["facts", "metrics"];

/// How the two large tables, `facts` and `metrics`, are laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// One file each: `facts.parquet`, `metrics.parquet`.
    #[default]
    Single,
    /// Hive-style folders by year, `facts/year=2023/part-0.parquet`, the
    /// year in the path and not in the files, as DuckDB, Spark and Trino
    /// read partitioned tables (`--partition`).
    ByYear,
}

impl Layout {
    /// Where `table` goes in `out`.
    pub fn path(self, out: &Path, table: &str) -> PathBuf {
        match self {
            Layout::Single => out.join(format!("{table}.parquet")),
            Layout::ByYear => out.join(table),
        }
    }

    /// Removes what the other layout left of `table` in `out`, once this
    /// layout's output is in place, so that readers never find both.
    fn remove_other(self, out: &Path, table: &str) -> Result<()> {
        let other = match self {
            Layout::Single => Layout::ByYear.path(out, table),
            Layout::ByYear => Layout::Single.path(out, table),
        };
        let removed = if other.is_dir() {
            std::fs::remove_dir_all(&other)
        } else if other.is_file() {
            std::fs::remove_file(&other)
        } else {
            Ok(())
        };
        removed.with_context(|| format!("removing {}", other.display()))
    }
}

/// The partition folder of one year inside a table's folder.
fn year_folder(table_dir: &Path, year: i32) -> Result<PathBuf> {
    let dir = table_dir.join(format!("year={year}"));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// Writes a folder as [`atomic_write`] writes a file: into a temporary
/// folder beside it, swapped in when complete (the old folder is moved
/// aside first, then removed), so a killed run leaves the previous
/// complete folder, or at worst none, never a partial one.
pub fn atomic_dir<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&Path) -> Result<()>,
{
    let parent = path.parent().context("output path has no folder")?;
    let name = path
        .file_name()
        .context("output path has no name")?
        .to_string_lossy();
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let result = (|| {
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        write(&tmp)?;
        if path.exists() {
            std::fs::rename(path, &old)
                .with_context(|| format!("moving {} aside", path.display()))?;
        }
        std::fs::rename(&tmp, path).with_context(|| format!("renaming into {}", path.display()))?;
        if old.exists() {
            std::fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Streams the fact table: the workbooks handed on, cut into row groups
/// ([`fact_groups`]; one file per year with [`Layout::ByYear`]), built and
/// written on a thread of its own while the caller reads the next chunk,
/// so writing overlaps reading and memory holds a group or two at a time.
/// With the reading cache's keys ([`FactGroups`]), a group the previous
/// `facts.parquet` holds is copied from it instead of encoded again.
pub struct FactsWriter {
    chunks: mpsc::SyncSender<Vec<Arc<WorkbookFacts>>>,
    thread: JoinHandle<Result<GroupsWritten>>,
}

impl FactsWriter {
    /// Starts writing the fact table into the output folder `out`.
    pub fn start(out: &Path, layout: Layout, groups: Option<FactGroups>) -> FactsWriter {
        // Two chunks queued at most: should writing fall behind, reading
        // waits rather than holding the facts of every chunk read.
        let (chunks, received) = mpsc::sync_channel(2);
        let out = out.to_path_buf();
        let thread = std::thread::spawn(move || {
            let path = layout.path(&out, "facts");
            let bounds = groups.as_ref().map(|g| g.bounds).unwrap_or_default();
            let row_groups = bounds.regroup(received.into_iter());
            let written = match layout {
                Layout::Single => write_facts_file(&path, row_groups, groups.as_ref())?,
                Layout::ByYear => write_facts_by_year(&path, row_groups, groups.as_ref())?,
            };
            layout.remove_other(&out, "facts")?;
            Ok(written)
        });
        FactsWriter { chunks, thread }
    }

    /// Queues workbooks for the row groups.
    pub fn add(&self, workbooks: &[Arc<WorkbookFacts>]) {
        if !workbooks.is_empty() {
            // A send only fails when the writer thread has stopped on an
            // error, which `finish` reports.
            let _ = self.chunks.send(workbooks.to_vec());
        }
    }

    /// Queues workbooks not read from a file (figures the narratives state)
    /// as row groups of their own: without a cache key they are never
    /// copied, and the group of files before them stays one a re-run can copy.
    pub fn add_apart(&self, workbooks: &[Arc<WorkbookFacts>]) {
        if !workbooks.is_empty() {
            let _ = self.chunks.send(Vec::new());
            self.add(workbooks);
        }
    }

    /// Waits for the last row group and moves the output into place;
    /// returns how many groups were written and copied.
    pub fn finish(self) -> Result<GroupsWritten> {
        drop(self.chunks);
        self.thread
            .join()
            .map_err(|payload| panicked("the facts writer", payload))?
    }
}

/// The error of a thread that panicked, with the panic's message: a
/// library may panic on a failed write (rust_xlsxwriter does in
/// constant-memory mode, on a full disk), and the message says why.
pub fn panicked(thread: &str, payload: Box<dyn std::any::Any + Send>) -> anyhow::Error {
    let message = payload
        .downcast_ref::<&str>()
        .map(|m| m.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string());
    anyhow::anyhow!("{thread} thread stopped: {message}")
}

/// The schema of the fact table as [`facts_frame`] gives it, so that the
/// file reads back exactly as a frame written by Polars would.
fn facts_schema() -> Result<ArrowSchema> {
    Ok(facts_frame(&[])?.schema().to_arrow(CompatLevel::newest()))
}

/// One Parquet file of facts being written, a row group at a time.
struct FactFile<W: Write> {
    writer: FileWriter<W>,
    fields: Vec<ParquetType>,
    encodings: Vec<Vec<Encoding>>,
    options: WriteOptions,
}

impl<W: Write> FactFile<W> {
    fn new(sink: W, schema: &ArrowSchema) -> PolarsResult<Self> {
        let options = WriteOptions {
            statistics: StatisticsOptions::default(),
            // Snappy: far cheaper to write than zstd for a file this size, and
            // read by every Parquet reader.
            compression: ParquetCompression::Snappy.into(),
            version: Version::V1,
            data_page_size: None,
        };
        let writer = FileWriter::try_new(sink, schema.clone(), options)?;
        let fields = writer.parquet_schema().fields().to_vec();
        Ok(FactFile {
            writer,
            fields,
            encodings: get_encodings(schema).to_vec(),
            options,
        })
    }

    fn write_group(&mut self, rows: usize, arrays: &[ArrayRef]) -> PolarsResult<()> {
        if rows == 0 {
            return Ok(());
        }
        let options = self.options;
        let mut columns = Vec::with_capacity(arrays.len());
        for ((array, field), encoding) in arrays.iter().zip(&self.fields).zip(&self.encodings) {
            for pages in array_to_columns(array, field.clone(), options, encoding)? {
                let compressed = pages
                    .map(|page| Ok(compress(page?, Vec::new(), options.compression)?))
                    .collect::<PolarsResult<Vec<CompressedPage>>>()?;
                columns.push(compressed);
            }
        }
        self.write_pages(rows, &columns)
    }

    /// Writes a row group of `rows` from each column's compressed pages.
    fn write_pages(&mut self, rows: usize, columns: &[Vec<CompressedPage>]) -> PolarsResult<()> {
        let group = DynIter::new(columns.iter().map(|pages| {
            Ok(DynStreamingIterator::new(
                fallible_streaming_iterator::convert(pages.iter().map(PolarsResult::Ok)),
            ))
        }));
        self.writer.write(rows as u64, group)
    }

    fn finish(mut self) -> PolarsResult<W> {
        self.writer.end(stamp())?;
        Ok(self.writer.into_inner())
    }
}

/// A facts file being written, a row group at a time, with its previous
/// version to copy unchanged groups from ([`fact_groups`]).
struct GroupedFile<W: Write> {
    out: FactFile<W>,
    previous: Option<PreviousFacts>,
    /// Each group written: its key and rows, for the next run's index.
    keys: Vec<(Option<u128>, usize)>,
    /// The year column left out (the folder names it).
    without_year: bool,
}

impl<W: Write> GroupedFile<W> {
    /// Writes `group` as a row group: copied when the previous file holds
    /// it, else encoded.
    fn add(
        &mut self,
        group: &[Arc<WorkbookFacts>],
        (schema, reuse): (&ArrowSchema, Option<&FactGroups>),
        written: &mut GroupsWritten,
    ) -> PolarsResult<()> {
        let key = reuse.and_then(|r| r.key(group));
        // Pages that do not read back, or not as many rows as the group's
        // facts, are not copied: the group is encoded again.
        let facts: usize = group.iter().map(|w| w.facts.len()).sum();
        let kept = key
            .and_then(|k| self.previous.as_ref()?.pages(k)?.ok())
            .filter(|(rows, _)| *rows == facts);
        let rows = match kept {
            Some((rows, pages)) => {
                self.out.write_pages(rows, &pages)?;
                written.copied += 1;
                rows
            }
            None => {
                let (rows, mut arrays) = fact_arrays(group, schema);
                if self.without_year {
                    arrays.remove(0); // the year, first, which the folder names
                }
                self.out.write_group(rows, &arrays)?;
                rows
            }
        };
        if rows > 0 {
            self.keys.push((key, rows));
            written.groups += 1;
        }
        Ok(())
    }
}

/// Records the groups of the facts file at `path` (`keys` and rows of
/// each, in order) as `index` in the cache folder, for the next run; an
/// index that cannot be written only makes the next run slower.
fn record_groups(
    reuse: Option<&FactGroups>,
    path: &Path,
    index: &str,
    keys: &[(Option<u128>, usize)],
) {
    if let Some(Err(e)) = reuse.map(|r| r.record(path, index, keys)) {
        eprintln!("warning: the reading cache keeps no {index}: {e}");
    }
}

/// Writes `facts.parquet`, a row group of each of `groups`, copying those
/// the previous file holds when `reuse` is given, and records its groups
/// for the next run.
fn write_facts_file(
    path: &Path,
    groups: impl Iterator<Item = Vec<Arc<WorkbookFacts>>>,
    reuse: Option<&FactGroups>,
) -> Result<GroupsWritten> {
    let fail = |e: PolarsError| anyhow::anyhow!("writing {}: {e}", path.display());
    const INDEX: &str = "fact-groups.index";
    let previous = reuse.and_then(|r| r.previous(path, INDEX));
    let mut written = GroupsWritten::default();
    let mut keys = Vec::new();
    atomic_write(path, |file| {
        let schema = facts_schema()?;
        let mut out = GroupedFile {
            out: FactFile::new(file, &schema).map_err(fail)?,
            previous,
            keys: Vec::new(),
            without_year: false,
        };
        for group in groups {
            out.add(&group, (&schema, reuse), &mut written)
                .map_err(fail)?;
        }
        keys = std::mem::take(&mut out.keys);
        out.out.finish().map_err(fail)?;
        Ok(())
    })?;
    // Recorded once the file is in place.
    record_groups(reuse, path, INDEX, &keys);
    Ok(written)
}

/// The fact table as Hive-style folders by year: each group's workbooks
/// split by year, each year a file of its own without the year column,
/// each copying from its previous version as `facts.parquet` does.
fn write_facts_by_year(
    path: &Path,
    groups: impl Iterator<Item = Vec<Arc<WorkbookFacts>>>,
    reuse: Option<&FactGroups>,
) -> Result<GroupsWritten> {
    let fail = |e: PolarsError| anyhow::anyhow!("writing {}: {e}", path.display());
    let index = |year: i32| format!("fact-groups-{year}.index");
    let part = |dir: &Path, year: i32| dir.join(format!("year={year}")).join("part-0.parquet");
    let mut written = GroupsWritten::default();
    atomic_dir(path, |dir| {
        let schema = facts_schema()?;
        let in_files: ArrowSchema = schema
            .iter_values()
            .filter(|field| field.name != "year")
            .cloned()
            .collect();
        let mut files: BTreeMap<i32, GroupedFile<BufWriter<File>>> = BTreeMap::new();
        for group in groups {
            let mut by_year: BTreeMap<i32, Vec<Arc<WorkbookFacts>>> = BTreeMap::new();
            for workbook in group {
                by_year
                    .entry(workbook.identity.year)
                    .or_default()
                    .push(workbook);
            }
            for (year, workbooks) in by_year {
                let out = match files.entry(year) {
                    Entry::Occupied(file) => file.into_mut(),
                    Entry::Vacant(slot) => {
                        let file_path = year_folder(dir, year)?.join("part-0.parquet");
                        let file = File::create(&file_path)
                            .with_context(|| format!("creating {}", file_path.display()))?;
                        slot.insert(GroupedFile {
                            out: FactFile::new(BufWriter::new(file), &in_files).map_err(fail)?,
                            previous: reuse
                                .and_then(|r| r.previous(&part(path, year), &index(year))),
                            keys: Vec::new(),
                            without_year: true,
                        })
                    }
                };
                out.add(&workbooks, (&schema, reuse), &mut written)
                    .map_err(fail)?;
            }
        }
        for (year, out) in files {
            let file = (out.out.finish().map_err(fail)?)
                .into_inner()
                .map_err(|e| e.into_error())?;
            file.sync_all()?;
            record_groups(reuse, &part(dir, year), &index(year), &out.keys);
        }
        Ok(())
    })?;
    Ok(written)
}

/// A text column of the fact table as Parquet stores it best: dictionary
/// keys, with each distinct text kept once. A fact's texts are interned
/// ([`crate::text::Text`]) and a workbook's identity is shared by its facts,
/// so a text seen at the same address as before is not hashed again.
struct TextColumn<'a> {
    keys: Vec<u32>,
    validity: Option<MutableBitmap>,
    values: MutableBinaryViewArray<str>,
    by_text: PlHashMap<&'a str, u32>,
    /// Keys of recently seen addresses, direct-mapped: (address, length, key).
    recent: Vec<(usize, usize, u32)>,
    /// The last text's address, length and key: facts of a row or a sheet
    /// follow one another.
    last: (usize, usize, u32),
}

/// Slots of [`TextColumn::recent`]; a power of two.
const RECENT: usize = 1024;

impl<'a> TextColumn<'a> {
    fn new(rows: usize, nullable: bool) -> Self {
        TextColumn {
            keys: Vec::with_capacity(rows),
            validity: nullable.then(|| MutableBitmap::with_capacity(rows)),
            values: MutableBinaryViewArray::new(),
            by_text: PlHashMap::default(),
            recent: vec![(0, usize::MAX, 0); RECENT],
            last: (0, usize::MAX, 0),
        }
    }

    #[inline]
    fn key(&mut self, text: &'a str) -> u32 {
        let (address, len) = (text.as_ptr() as usize, text.len());
        if self.last.0 == address && self.last.1 == len {
            return self.last.2;
        }
        let key = self.key_slow(text, address, len);
        self.last = (address, len, key);
        key
    }

    fn key_slow(&mut self, text: &'a str, address: usize, len: usize) -> u32 {
        let slot = (address >> 3 ^ address >> 13) & (RECENT - 1);
        let (a, l, key) = self.recent[slot];
        if a == address && l == len {
            return key;
        }
        let values = &mut self.values;
        let key = *self.by_text.entry(text).or_insert_with(|| {
            values.push_value(text);
            (values.len() - 1) as u32
        });
        self.recent[slot] = (address, len, key);
        key
    }

    /// Appends `text` once.
    fn push(&mut self, text: &'a str) {
        let key = self.key(text);
        self.keys.push(key);
        if let Some(validity) = &mut self.validity {
            validity.push(true);
        }
    }

    /// Appends `text` (or a null) `times` times.
    fn push_many(&mut self, text: Option<&'a str>, times: usize) {
        let key = text.map_or(0, |t| self.key(t));
        self.keys.extend(std::iter::repeat_n(key, times));
        if let Some(validity) = &mut self.validity {
            validity.extend_constant(times, text.is_some());
        }
    }

    /// Appends the A1 reference of a cell, made once per distinct position
    /// (`known` maps positions to keys).
    fn push_cell(&mut self, position: (u32, u32), known: &mut CellKeys) {
        let values = &mut self.values;
        let key = known.key(position, || {
            values.push_value(crate::text::cell_ref(position.0, position.1));
            (values.len() - 1) as u32
        });
        self.keys.push(key);
    }

    fn push_option(&mut self, text: Option<&'a str>) {
        match text {
            Some(t) => self.push(t),
            None => self.push_many(None, 1),
        }
    }

    fn finish(self) -> ArrayRef {
        let keys = PrimitiveArray::new(
            ArrowDataType::UInt32,
            self.keys.into(),
            self.validity.map(Into::into),
        );
        let dtype = ArrowDataType::Dictionary(
            IntegerType::UInt32,
            Box::new(ArrowDataType::Utf8View),
            false,
        );
        let values: Utf8ViewArray = self.values.into();
        Box::new(
            DictionaryArray::try_new(dtype, keys, values.boxed())
                .expect("keys index the dictionary"),
        )
    }
}

/// Dictionary keys by cell position: a table for the rows and columns of
/// the usual sheet, a map beyond.
struct CellKeys {
    table: Vec<u32>,
    beyond: PlHashMap<(u32, u32), u32>,
}

const CELL_ROWS: u32 = 1024;
const CELL_COLS: u32 = 32;

impl CellKeys {
    fn new() -> Self {
        CellKeys {
            table: vec![u32::MAX; (CELL_ROWS * CELL_COLS) as usize],
            beyond: PlHashMap::default(),
        }
    }

    fn key(&mut self, (row, col): (u32, u32), new: impl FnOnce() -> u32) -> u32 {
        if row < CELL_ROWS && col < CELL_COLS {
            let slot = &mut self.table[(row * CELL_COLS + col) as usize];
            if *slot == u32::MAX {
                *slot = new();
            }
            *slot
        } else {
            *self.beyond.entry((row, col)).or_insert_with(new)
        }
    }
}

/// The columns of [`facts_frame`] as Arrow arrays for `schema`, text columns
/// dictionary-encoded: the same Parquet Polars writes for them, without
/// building a frame and then finding its repeated texts again.
fn fact_arrays(workbooks: &[Arc<WorkbookFacts>], schema: &ArrowSchema) -> (usize, Vec<ArrayRef>) {
    let n: usize = workbooks.iter().map(|w| w.facts.len()).sum();
    let families: Vec<String> = workbooks
        .iter()
        .map(|w| w.identity.family.to_string())
        .collect();
    let mut cells = CellKeys::new();
    let text = |nullable| TextColumn::new(n, nullable);
    let (mut unit_id, mut unit_code, mut unit_name) = (text(false), text(true), text(false));
    let (mut dept_code, mut dept_name, mut family) = (text(true), text(false), text(false));
    let (mut report_type, mut form, mut item) = (text(false), text(false), text(false));
    let (mut column, mut subject_code, mut unit_of_measure) =
        (text(false), text(true), text(false));
    let (mut source_file, mut source_sheet, mut source_cell) =
        (text(false), text(false), text(false));
    let (mut source_label, mut source_header, mut source_scale) =
        (text(false), text(false), text(false));
    let mut inferred = text(false);
    let mut year: Vec<i32> = Vec::with_capacity(n);
    let mut amount: Vec<i128> = Vec::with_capacity(n);
    for (w, fam) in workbooks.iter().zip(&families) {
        let id = &w.identity;
        let k = w.facts.len();
        year.extend(std::iter::repeat_n(id.year, k));
        unit_id.push_many(Some(&id.unit_id), k);
        unit_code.push_many(id.unit_code.as_deref(), k);
        unit_name.push_many(Some(&id.unit_name), k);
        dept_code.push_many(id.dept_code.as_deref(), k);
        dept_name.push_many(Some(&id.dept_name), k);
        family.push_many(Some(fam), k);
        report_type.push_many(Some(&id.report_type), k);
        source_file.push_many(Some(&w.file), k);
        for f in &w.facts {
            form.push(f.form);
            item.push(f.item);
            column.push(f.column);
            subject_code.push_option(f.subject_code);
            amount.push(cents(f.amount));
            unit_of_measure.push(f.unit_of_measure);
            source_sheet.push(f.sheet);
            source_cell.push_cell(f.position, &mut cells);
            source_label.push(f.label);
            source_header.push(f.header);
            source_scale.push(f.scale);
            inferred.push(f.inferred.as_str());
        }
    }
    let dtype = |name: &str| {
        schema
            .get(name)
            .map(|f| f.dtype.clone())
            .expect("facts schema column")
    };
    let arrays: Vec<ArrayRef> = vec![
        Box::new(PrimitiveArray::new(dtype("year"), year.into(), None)),
        unit_id.finish(),
        unit_code.finish(),
        unit_name.finish(),
        dept_code.finish(),
        dept_name.finish(),
        family.finish(),
        report_type.finish(),
        form.finish(),
        item.finish(),
        column.finish(),
        subject_code.finish(),
        Box::new(PrimitiveArray::new(dtype("amount"), amount.into(), None)),
        unit_of_measure.finish(),
        source_file.finish(),
        source_sheet.finish(),
        source_cell.finish(),
        source_label.finish(),
        source_header.finish(),
        source_scale.finish(),
        inferred.finish(),
    ];
    (n, arrays)
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
    let mut inferred = Vec::with_capacity(n);
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
            form.push(f.form);
            item.push(f.item);
            column.push(f.column);
            subject_code.push(f.subject_code);
            amount.push(Some(cents(f.amount)));
            unit_of_measure.push(f.unit_of_measure);
            source_file.push(&*w.file);
            source_sheet.push(f.sheet);
            source_cell.push(f.cell());
            source_label.push(f.label);
            source_header.push(f.header);
            source_scale.push(f.scale);
            inferred.push(f.inferred.as_str());
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
        Column::new("inferred".into(), inferred),
    ];
    Ok(DataFrame::new(n, columns)?)
}

/// One row per unit-year: identity, attributes and staff figures.
pub fn units_frame(batch: &Batch) -> Result<DataFrame> {
    let ws = &batch.workbooks;
    let staff = |i: usize| ws.iter().map(|w| w.staff[i]).collect::<Vec<_>>();
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
        Column::new(STAFF_ITEMS[0].into(), staff(0)),
        Column::new(STAFF_ITEMS[1].into(), staff(1)),
        Column::new(STAFF_ITEMS[2].into(), staff(2)),
        Column::new(
            "facts".into(),
            ws.iter().map(|w| w.fact_count as u32).collect::<Vec<_>>(),
        ),
        str_col("source_file", &|w| Some(w.file.to_string())),
    ];
    Ok(DataFrame::new(ws.len(), columns)?)
}

/// Streams `ingest_report.csv`: each chunk's rows are written as the chunk
/// is handed on, while the next one is read, so that neither the writing
/// nor the rows wait for the end of reading (a province's report has a
/// million rows, most of them information a run need not keep).
pub struct ReportWriter {
    csv: csv::Writer<AtomicFile>,
    /// The first write that failed: reported by [`ReportWriter::finish`],
    /// as the reading hooks that add rows cannot fail.
    failed: Option<anyhow::Error>,
}

impl ReportWriter {
    pub fn create(path: &Path) -> Result<ReportWriter> {
        let mut file = AtomicFile::create(path)?;
        // A BOM so that Excel opens the Chinese text as UTF-8.
        file.write_all("\u{feff}".as_bytes())?;
        let mut csv = csv::WriterBuilder::new()
            .buffer_capacity(1 << 20)
            .from_writer(file);
        csv.write_record(ReportRow::COLUMNS)?;
        Ok(ReportWriter { csv, failed: None })
    }

    /// Appends rows, in the order given.
    pub fn add(&mut self, rows: &[ReportRow]) {
        if self.failed.is_some() {
            return;
        }
        for r in rows {
            if let Err(e) = self.csv.write_record(r.fields()) {
                self.failed = Some(e.into());
                return;
            }
        }
    }

    /// Writes out what is buffered and moves the file into place.
    pub fn finish(mut self) -> Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(e.context("writing ingest_report.csv"));
        }
        let file = self
            .csv
            .into_inner()
            .map_err(|e| anyhow::Error::new(e.into_error()))
            .context("writing ingest_report.csv")?;
        file.commit()
    }
}

/// Writes `units.parquet` into `out`, and finishes the report (the facts
/// and the report are streamed while reading).
pub fn write_units_and_finish_report(
    out: &Path,
    batch: &Batch,
    report: ReportWriter,
) -> Result<()> {
    // Side by side: each ends in a flush to disk.
    let (units, report) = pool::install(|| {
        rayon::join(
            || write_parquet(&out.join("units.parquet"), &mut units_frame(batch)?),
            || report.finish(),
        )
    });
    units.and(report)
}

/// The columns of `findings.parquet` and `findings.csv`, in order.
const FINDING_COLUMNS: [&str; 24] = [
    // Stable across re-runs while the finding means the same (crate::ids).
    "id",
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
    // What the review file (`--review`) says of it (crate::review).
    "review_status",
    "review_reason",
    "reviewer",
    "review_date",
];

/// A finding as text, in [`FINDING_COLUMNS`] order (amounts with two decimals).
fn finding_record(f: &Finding, stable_id: &str, review: [String; 4]) -> [String; 24] {
    let id = &f.workbook.identity;
    let [status, reason, reviewer, date] = review;
    [
        stable_id.to_string(),
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
        status,
        reason,
        reviewer,
        date,
    ]
}

/// `findings.parquet`: text columns as in the CSV (`records[i]` is
/// [`finding_record`] of `findings[i]`); `year` an integer and the four
/// amounts `Decimal(18, 2)`.
fn findings_frame(findings: &[Finding], records: &[[String; 24]]) -> Result<DataFrame> {
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

/// Findings turned into text and written at a time: a province's hundreds of
/// thousands of findings are never all text at once.
const FINDINGS_PER_BATCH: usize = 65_536;

/// Writes `findings.parquet` and `findings.csv` (UTF-8 with BOM) into `out`,
/// and the review files: `review_open.csv`, the open errors and warnings as
/// rows of a review file, and `review_stale.csv`, the review file's rows that
/// review nothing.
pub fn write_findings(out: &Path, checked: &CheckRun) -> Result<()> {
    write_findings_batched(out, checked, FINDINGS_PER_BATCH)?;
    write_review_files(out, checked)
}

/// [`write_findings`]' two tables, `per_batch` findings at a time (a row
/// group of the Parquet file each).
pub fn write_findings_batched(out: &Path, checked: &CheckRun, per_batch: usize) -> Result<()> {
    let schema = findings_frame(&[], &[])?.schema().clone();
    let review = |i: usize| {
        checked
            .review
            .as_ref()
            .map_or_else(Default::default, |r| r.columns(i))
    };
    atomic_write(&out.join("findings.csv"), |file| {
        file.write_all("\u{feff}".as_bytes())?;
        let mut csv = csv::Writer::from_writer(file);
        csv.write_record(FINDING_COLUMNS)?;
        write_parquet_batches(&out.join("findings.parquet"), &schema, |parquet| {
            let per_batch = per_batch.max(1);
            for (start, batch) in (0..)
                .step_by(per_batch)
                .zip(checked.findings.chunks(per_batch))
            {
                let ids = &checked.ids[start..start + batch.len()];
                // The texts once for both files, then the files side by side.
                pool::install(|| -> Result<()> {
                    let records: Vec<[String; 24]> = batch
                        .par_iter()
                        .zip(ids)
                        .enumerate()
                        .map(|(i, (f, id))| finding_record(f, id, review(start + i)))
                        .collect();
                    let frame = findings_frame(batch, &records)?;
                    let (written, listed) = rayon::join(
                        || parquet.write_batch(&frame),
                        || records.iter().try_for_each(|r| csv.write_record(r)),
                    );
                    written?;
                    listed?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
        csv.flush()?;
        Ok(())
    })
}

/// An amount as findings.csv prints it: 元 with two decimals.
fn amount(mut d: rust_decimal::Decimal) -> String {
    d.rescale(2);
    d.to_string()
}

/// `review_open.csv` and `review_stale.csv` (UTF-8 with BOM, for Excel).
fn write_review_files(out: &Path, checked: &CheckRun) -> Result<()> {
    use crate::review::FIELDS;
    atomic_write(&out.join("review_open.csv"), |file| {
        file.write_all("\u{feff}".as_bytes())?;
        let mut csv = csv::Writer::from_writer(file);
        // The fields of a review row, then what the finding is, to decide by.
        let context = [
            "rule_id",
            "severity",
            "year",
            "unit_name",
            "description",
            "left",
            "right",
            "difference",
            "source_cells",
        ];
        csv.write_record(FIELDS.iter().chain(&context))?;
        for (i, (f, id)) in checked.findings.iter().zip(&checked.ids).enumerate() {
            if f.severity == FindingSeverity::Rounding || !checked.is_open(i) {
                continue;
            }
            let who = &f.workbook.identity;
            csv.write_record([
                id.as_str(),
                "",
                "",
                "",
                "",
                &amount(f.left_amount),
                &amount(f.right_amount),
                &f.rule_id,
                f.severity.as_str(),
                &who.year.to_string(),
                &who.unit_name,
                &f.description,
                &f.left,
                &f.right,
                &amount(f.difference()),
                &f.cells_text(),
            ])?;
        }
        csv.flush()?;
        Ok(())
    })?;
    let unmatched = checked
        .review
        .as_ref()
        .map_or(&[][..], |r| &r.unmatched[..]);
    atomic_write(&out.join("review_stale.csv"), |file| {
        file.write_all("\u{feff}".as_bytes())?;
        let mut csv = csv::Writer::from_writer(file);
        csv.write_record([
            "line", "id", "status", "reason", "reviewer", "date", "problem",
        ])?;
        for u in unmatched {
            let e = &u.entry;
            csv.write_record([
                &e.line.to_string(),
                &e.id,
                &e.status,
                &e.reason,
                &e.reviewer,
                &e.date,
                &u.problem,
            ])?;
        }
        csv.flush()?;
        Ok(())
    })
}

/// Writes the metrics (laid out by `layout`), `flags.parquet` and
/// `scores.parquet` into `out`.
pub fn write_analysis(out: &Path, analysis: &Analysis, layout: Layout) -> Result<()> {
    let metrics = &analysis.metrics;
    let path = layout.path(out, "metrics");
    match layout {
        Layout::Single => write_metrics(&path, &metrics.table(None)?, false, METRICS_PER_BATCH)?,
        // Hive-style folders by year, the year in the path and not in the files.
        Layout::ByYear => atomic_dir(&path, |dir| {
            for year in metrics.years()? {
                let part = year_folder(dir, year)?.join("part-0.parquet");
                write_metrics(&part, &metrics.table(Some(year))?, true, METRICS_PER_BATCH)?;
            }
            Ok(())
        })?,
    }
    layout.remove_other(out, "metrics")?;
    write_parquet(
        &out.join("flags.parquet"),
        &mut flags_frame(&analysis.flags)?,
    )?;
    write_parquet(
        &out.join("scores.parquet"),
        &mut scores_frame(&analysis.scores)?,
    )?;
    write_parquet(
        &out.join("digits.parquet"),
        &mut digits_frame(&analysis.digits)?,
    )
}

/// `digits.parquet`: a row per department-year — its digit tests' MADs,
/// bands and verdict, and the counts of each leading digit (`d1`–`d9`) and
/// pair of digits (`d10`–`d99`) they were computed from.
pub fn digits_frame(tests: &[DigitTest]) -> Result<DataFrame> {
    let text = |f: &dyn Fn(&DigitTest) -> String| -> Vec<String> { tests.iter().map(f).collect() };
    let stat = |first: bool, f: &dyn Fn(&DigitStat) -> f64| -> Vec<Option<f64>> {
        tests
            .iter()
            .map(|t| {
                let s = if first { &t.first_digit } else { &t.first_two };
                s.as_ref().map(f)
            })
            .collect()
    };
    let band = |first: bool, excess: bool| -> Vec<Option<&str>> {
        tests
            .iter()
            .map(|t| {
                let s = if first { &t.first_digit } else { &t.first_two };
                s.as_ref()
                    .map(|s| if excess { s.excess_band } else { s.band })
            })
            .collect()
    };
    let mut columns = vec![
        Column::new("dept_id".into(), text(&|t| t.dept_id.clone())),
        Column::new("dept_name".into(), text(&|t| t.dept_name.clone())),
        Column::new(
            "year".into(),
            tests.iter().map(|t| t.year).collect::<Vec<_>>(),
        ),
        Column::new("basis".into(), text(&|t| t.basis.clone())),
        Column::new(
            "n".into(),
            tests.iter().map(|t| t.counts.n()).collect::<Vec<_>>(),
        ),
        Column::new("verdict".into(), text(&|t| t.verdict().to_string())),
    ];
    for (first, prefix) in [(true, "first"), (false, "first_two")] {
        columns.push(Column::new(
            format!("{prefix}_mad").into(),
            stat(first, &|s| s.mad),
        ));
        columns.push(Column::new(
            format!("{prefix}_expected_mad").into(),
            stat(first, &|s| s.expected_mad),
        ));
        columns.push(Column::new(
            format!("{prefix}_excess_mad").into(),
            stat(first, &|s| s.excess_mad),
        ));
        columns.push(Column::new(
            format!("{prefix}_band").into(),
            band(first, false),
        ));
        columns.push(Column::new(
            format!("{prefix}_excess_band").into(),
            band(first, true),
        ));
    }
    for d in 1..=99usize {
        let counts: Vec<u32> = tests
            .iter()
            .map(|t| match d {
                1..=9 => t.counts.first[d - 1],
                _ => t.counts.first_two[d - 10],
            })
            .collect();
        columns.push(Column::new(format!("d{d}").into(), counts));
    }
    Ok(DataFrame::new(tests.len(), columns)?)
}

/// Metric rows gathered and written at a time: a province's metrics are
/// never one frame with their texts. A run builds its workbook meanwhile,
/// so the batch is kept small enough for both to stay under a province's
/// 2 GiB (262,144 rows a batch peaked at 1,953 MiB at 61,887 workbooks).
const METRICS_PER_BATCH: usize = 131_072;

/// One file of metrics, `per_batch` rows a row group, without the `year`
/// column when `year_in_path`.
pub fn write_metrics(
    path: &Path,
    table: &MetricsTable,
    year_in_path: bool,
    per_batch: usize,
) -> Result<()> {
    let batch = |offset: usize, len: usize| -> Result<DataFrame> {
        let rows = table.batch(offset, len)?;
        Ok(if year_in_path {
            rows.drop("year")?
        } else {
            rows
        })
    };
    let schema = batch(0, 0)?.schema().clone();
    write_parquet_batches(path, &schema, |writer| {
        for offset in (0..table.height()).step_by(per_batch.max(1)) {
            writer.write_batch(&batch(offset, per_batch)?)?;
        }
        Ok(())
    })
}

pub fn flags_frame(flags: &[FlagRow]) -> Result<DataFrame> {
    let text = |name: &str, f: &dyn Fn(&FlagRow) -> Option<String>| {
        Column::new(name.into(), flags.iter().map(f).collect::<Vec<_>>())
    };
    let number = |name: &str, f: &dyn Fn(&FlagRow) -> Option<f64>| {
        Column::new(name.into(), flags.iter().map(f).collect::<Vec<_>>())
    };
    let ids = crate::ids::flag_ids(flags);
    let columns = vec![
        Column::new("id".into(), ids),
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

/// `roster.parquet`: a row per unit-year on the roster (`--roster`) and per
/// workbook filed by a unit not on it — status, files, reason. Without a
/// roster, a previous run's file is removed (it would be another run's).
pub fn write_roster(out: &Path, filings: Option<&[crate::roster::Filing]>) -> Result<()> {
    let path = out.join("roster.parquet");
    let Some(filings) = filings else {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        };
    };
    let text = |f: &dyn Fn(&crate::roster::Filing) -> String| -> Vec<String> {
        filings.iter().map(f).collect()
    };
    let years: Vec<i32> = filings.iter().map(|f| f.year).collect();
    let mut frame = DataFrame::new(
        filings.len(),
        vec![
            Column::new("year".into(), years),
            Column::new("code".into(), text(&|f| f.code.clone())),
            Column::new("name".into(), text(&|f| f.name.clone())),
            Column::new("department".into(), text(&|f| f.department.clone())),
            Column::new("status".into(), text(&|f| f.status.clone())),
            Column::new("files".into(), text(&|f| f.files.join("; "))),
            Column::new("reason".into(), text(&|f| f.reason.clone())),
        ],
    )?;
    write_parquet(&path, &mut frame)
}

/// `claims.parquet`: one row per figure a narrative states — where it is
/// (document, page, line, characters), the sentence, what it is about, its
/// value, and what the checks made of it.
pub fn write_claims(out: &Path, narratives: &crate::narrative::Narratives) -> Result<()> {
    let rows = narratives.read.iter().flat_map(|n| {
        n.claims
            .iter()
            .zip(&n.verdicts)
            .enumerate()
            .map(move |(i, (c, v))| (i, n, c, v))
    });
    let mut text: Vec<Vec<String>> = vec![Vec::new(); CLAIM_TEXT_COLUMNS.len()];
    let (mut numbers, mut amounts, mut percents) = (Vec::new(), Vec::new(), Vec::new());
    let mut table_amounts = Vec::new();
    for (i, n, c, (verdict, reason)) in rows {
        let line = &n.lines[c.line];
        let measure = c.measure.clone();
        let compared = n.compared.get(i).and_then(Option::as_ref);
        let fields = claim_texts(n, c, measure, (verdict, reason), compared);
        table_amounts.push(compared.map(|t| cents(t.value)));
        for (column, field) in text.iter_mut().zip(fields) {
            column.push(field);
        }
        numbers.push([
            n.identity.year,
            line.page.map_or(0, |p| p as i32),
            line.number as i32,
            c.span.0 as i32,
            c.span.1 as i32,
            c.year,
        ]);
        amounts.push(c.yuan.map(cents));
        percents.push(
            c.unit
                .eq("%")
                .then(|| c.value.to_string().parse::<f64>().ok())
                .flatten(),
        );
    }
    let mut columns: Vec<Column> = CLAIM_TEXT_COLUMNS
        .iter()
        .zip(&text)
        .map(|(name, values)| Column::new((*name).into(), values))
        .collect();
    for (i, name) in CLAIM_NUMBER_COLUMNS.iter().enumerate() {
        let values: Vec<Option<i32>> = numbers
            .iter()
            .map(|r| Some(r[i]).filter(|v| *name != "page" || *v > 0))
            .collect();
        columns.push(Column::new((*name).into(), values));
    }
    columns.push(decimal_series("amount_yuan", amounts.into_iter())?.into_column());
    columns.push(Column::new("percent".into(), percents));
    columns.push(decimal_series("table_amount_yuan", table_amounts.into_iter())?.into_column());
    let height = numbers.len();
    write_parquet(
        &out.join("claims.parquet"),
        &mut DataFrame::new(height, columns)?,
    )
}

/// A claim's texts, in the order of [`CLAIM_TEXT_COLUMNS`].
fn claim_texts(
    n: &crate::narrative::Narrative,
    c: &crate::narrative::claims::Claim,
    measure: Option<String>,
    (verdict, reason): (&crate::narrative::check::Verdict, &String),
    compared: Option<&crate::narrative::against::Compared>,
) -> [String; 16] {
    [
        n.file.to_string(),
        n.identity.unit_name.clone(),
        n.identity.kind.to_string(),
        c.subject.clone().unwrap_or_default(),
        c.subject_label.clone(),
        c.kind.as_str().to_string(),
        c.value.normalize().to_string(),
        c.unit.clone(),
        c.basis.as_str().to_string(),
        measure.unwrap_or_default(),
        verdict.as_str().to_string(),
        reason.clone(),
        n.sentence(c),
        compared.map(|t| t.name.clone()).unwrap_or_default(),
        compared.map_or_else(String::new, |t| {
            let cells: Vec<String> = t
                .cells
                .iter()
                .map(|s| format!("{}!{}", s.sheet, s.cell()))
                .collect();
            cells.join(" ")
        }),
        compared
            .map(|t| if t.holds { "holds" } else { "error" }.to_string())
            .unwrap_or_default(),
    ]
}

const CLAIM_TEXT_COLUMNS: [&str; 16] = [
    "document",
    "unit_name",
    "document_kind",
    "subject",
    "subject_label",
    "kind",
    "value",
    "unit",
    "basis",
    "measure",
    "verdict",
    "reason",
    "sentence",
    // The table figure it was compared with (against its unit-year's
    // workbook): measure or row, its cells, and whether they agree.
    "table_figure",
    "table_cells",
    "table_verdict",
];
const CLAIM_NUMBER_COLUMNS: [&str; 6] = [
    "year",
    "page",
    "line",
    "span_start",
    "span_end",
    "claim_year",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicked_thread_is_reported_with_the_panics_message() {
        // A literal message is a `&str`, a formatted one a `String`.
        let full = std::thread::spawn(|| -> () {
            panic!("Error writing file: No space left on device (os error 28)")
        })
        .join()
        .expect_err("it panicked");
        let fixed = std::thread::spawn(|| -> () { panic!("{} {}", "stopped", 28) })
            .join()
            .expect_err("it panicked");
        assert_eq!(
            panicked("the workbook", full).to_string(),
            "the workbook thread stopped: Error writing file: No space left on device (os error 28)"
        );
        assert_eq!(
            panicked("the facts writer", fixed).to_string(),
            "the facts writer thread stopped: stopped 28"
        );
    }

    #[test]
    fn a_folder_is_replaced_whole_or_not_at_all() {
        let out = tempfile::tempdir().expect("tempdir");
        let table = out.path().join("facts");
        let write = |text: &'static str| {
            move |dir: &Path| -> Result<()> {
                std::fs::write(year_folder(dir, 2023)?.join("part-0.parquet"), text)?;
                Ok(())
            }
        };
        atomic_dir(&table, write("first")).expect("written");
        let part = table.join("year=2023/part-0.parquet");
        assert_eq!(std::fs::read_to_string(&part).expect("part"), "first");
        // A write that fails half-way leaves the previous folder as it was
        // and nothing of its own.
        let failed = atomic_dir(&table, |dir| {
            std::fs::write(year_folder(dir, 2024)?.join("part-0.parquet"), "half")?;
            anyhow::bail!("disk full")
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&part).expect("part"), "first");
        assert!(!table.join("year=2024").exists());
        let names: Vec<String> = std::fs::read_dir(out.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, ["facts"], "no temporary folder left");
        atomic_dir(&table, write("second")).expect("written");
        assert_eq!(std::fs::read_to_string(&part).expect("part"), "second");
    }
}
