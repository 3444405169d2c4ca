//! The ingest stage as a whole: every workbook read, recognised and
//! extracted in parallel, then identities resolved and duplicates reported.
//! The result is the batch every later stage works from.

use foldhash::HashMapExt;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};

use crate::ingest::cache::{Entry, ReadCache};
use crate::ingest::discover::{Discovered, discover};
use crate::ingest::extract::{self, Inferred};
use crate::ingest::file::ingest_file;
use crate::ingest::identity::Identity;
use crate::ingest::read::Limits;
use crate::ingest::recognise::TitleMemo;
use crate::pool;
use crate::spec::Catalogue;
use crate::text::Text;

/// How bad a report line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One line of `ingest_report.csv`.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub file: String,
    pub sheet: String,
    pub cell: String,
    pub severity: Severity,
    /// `file`, `sheet`, `recognised`, `skipped`, `unmapped`, `problem`,
    /// `identity`, `duplicate` (a form twice in a workbook), `rejected` (one
    /// row per file none of whose figures are used, saying why).
    pub kind: &'static str,
    pub form: String,
    pub message: String,
}

impl ReportRow {
    /// The columns of `ingest_report.csv`.
    pub const COLUMNS: [&'static str; 7] = [
        "file", "sheet", "cell", "severity", "kind", "form", "message",
    ];

    /// The row's fields, in the order of [`ReportRow::COLUMNS`].
    pub fn fields(&self) -> [&str; 7] {
        [
            &self.file,
            &self.sheet,
            &self.cell,
            self.severity.as_str(),
            self.kind,
            &self.form,
            &self.message,
        ]
    }
}

/// A fact of a workbook: the sheet-level figure with its unit of money applied.
///
/// Its texts are interned ([`Text`]), so a fact is plain data that costs no
/// allocation of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    pub form: Text,
    pub sheet: Text,
    pub item: Text,
    pub column: Text,
    pub subject_code: Option<Text>,
    /// 元 for money (exact, 2 decimals); the count itself for counts.
    pub amount: Decimal,
    pub unit_of_measure: Text,
    /// 0-based (row, column) of the source cell; [`Fact::cell`] gives A1.
    pub position: (u32, u32),
    /// The row's label as written.
    pub label: Text,
    /// The column's heading, its header rows joined with `/`.
    pub header: Text,
    /// The unit of money the figure was written in (`元`, `万元`).
    pub scale: Text,
    /// What the reader inferred to read it ([`Inferred`]).
    pub inferred: Inferred,
}

impl Fact {
    /// The source cell in A1 form (a narrative's line: `第12行`).
    pub fn cell(&self) -> String {
        crate::text::cell_ref(self.position.0, self.position.1)
    }

    /// Where the figure belongs: (form, item, subject code, column).
    pub fn key(&self) -> FactKey<'static> {
        (self.form, self.item, self.subject_code, self.column)
    }
}

/// One workbook that was read and identified: what the later stages keep
/// of it once its facts are written, checked and measured.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub file: Arc<str>,
    pub identity: Identity,
    pub cover_fields: BTreeMap<String, String>,
    /// Facts read from it (kept when the facts themselves are let go).
    pub fact_count: usize,
    /// 编制人数, 实有人数, 离退休人数 from its 机构运行信息表, if filed.
    pub staff: [Option<i64>; 3],
}

/// The facts items that [`Workbook::staff`] holds, in order.
pub const STAFF_ITEMS: [&str; 3] = ["staff_authorized", "staff_actual", "retirees"];

impl Workbook {
    pub(crate) fn new(
        file: Arc<str>,
        identity: Identity,
        cover_fields: BTreeMap<String, String>,
        facts: &[Fact],
    ) -> Self {
        // The first operations fact of each staff item.
        let mut staff = [None; 3];
        let mut seen = [false; 3];
        for f in facts.iter().filter(|f| f.form == "operations") {
            if let Some(i) = STAFF_ITEMS.iter().position(|s| *s == &*f.item)
                && !seen[i]
            {
                seen[i] = true;
                staff[i] = i64::try_from(f.amount.trunc().mantissa()).ok();
            }
        }
        Workbook {
            file,
            identity,
            cover_fields,
            fact_count: facts.len(),
            staff,
        }
    }
}

/// A workbook with its facts, as read. Derefs to its [`Workbook`].
#[derive(Debug, Clone)]
pub struct WorkbookFacts {
    pub workbook: Arc<Workbook>,
    pub facts: Vec<Fact>,
}

/// A fact's address: (form, item, subject code, column).
pub type FactKey<'a> = (&'a str, &'a str, Option<&'a str>, &'a str);

/// A workbook's facts by [`FactKey`], the first figure of a key counting
/// (as everywhere else): what the per-workbook checks and the analysis's
/// measures look figures up by, made once for both.
pub struct FactIndex<'a> {
    pub by_key: foldhash::HashMap<FactKey<'a>, &'a Fact>,
    /// The first figure of each key, in workbook order.
    pub firsts: Vec<&'a Fact>,
}

impl WorkbookFacts {
    pub fn index(&self) -> FactIndex<'_> {
        let mut by_key = foldhash::HashMap::with_capacity(self.facts.len());
        let mut firsts = Vec::with_capacity(self.facts.len());
        for f in &self.facts {
            if let std::collections::hash_map::Entry::Vacant(slot) = by_key.entry(f.key()) {
                slot.insert(f);
                firsts.push(f);
            }
        }
        FactIndex { by_key, firsts }
    }
}

impl std::ops::Deref for WorkbookFacts {
    type Target = Workbook;
    fn deref(&self) -> &Workbook {
        &self.workbook
    }
}

#[derive(Debug, Default)]
pub struct Batch {
    pub files_seen: usize,
    /// Tables recognised as a form and read, counted as the report rows
    /// that say so go by (the rows themselves may be let go).
    pub tables_read: usize,
    /// Shared so that a writer thread can hold a chunk while reading goes on.
    pub workbooks: Vec<Arc<WorkbookFacts>>,
    pub report: Vec<ReportRow>,
}

impl Batch {
    pub fn fact_count(&self) -> usize {
        self.workbooks.iter().map(|w| w.fact_count).sum()
    }

    /// Report rows of a kind (`coverage`, `conflict`, `doubt`, `unmapped`).
    pub fn count_kind(&self, kind: &str) -> usize {
        self.report.iter().filter(|r| r.kind == kind).count()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.report
            .iter()
            .filter(|r| r.severity == severity)
            .count()
    }

    /// Files that could not be used at all (unreadable, unidentified,
    /// duplicate): their `rejected` rows in the report.
    pub fn files_rejected(&self) -> usize {
        self.report.iter().filter(|r| r.kind == REJECTED).count()
    }

    /// Every file seen was either read or rejected with a reason, and none
    /// was both: the check that no input went astray.
    pub fn check_accounting(&self) -> Result<(), String> {
        let read: std::collections::HashSet<&str> =
            self.workbooks.iter().map(|w| &*w.file).collect();
        let rejected: std::collections::HashSet<&str> = self
            .report
            .iter()
            .filter(|r| r.kind == REJECTED)
            .map(|r| r.file.as_str())
            .collect();
        let both = read.intersection(&rejected).count();
        let (seen, read, rejected) = (self.files_seen, self.workbooks.len(), self.files_rejected());
        if seen != read + rejected || both > 0 {
            return Err(format!(
                "accounting failed: {seen} files seen but {read} read + {rejected} rejected \
                 ({both} both); this is a bug in juesuan, please report it"
            ));
        }
        Ok(())
    }
}

/// The report kind of a file's rejection.
pub(crate) const REJECTED: &str = "rejected";

/// Files read in parallel between two calls of the chunk callback.
const CHUNK_FILES: usize = 256;
/// The smallest chunk, towards the end.
const MIN_CHUNK_FILES: usize = 16;

/// What a reading worker remembers from sheet to sheet: the same tables
/// come back in workbook after workbook.
#[derive(Default)]
pub(crate) struct Memo {
    pub titles: TitleMemo,
    pub extract: extract::Memo,
}

/// [`ingest_file`], with a panic inside it (a reader library tripping over
/// a malformed file — the fuzz tests found such files) turned into an error
/// on that file, so that one bad file never takes the batch down.
fn ingest_file_guarded(
    path: &Path,
    catalogue: &Catalogue,
    limits: &Limits,
    memo: &mut Memo,
) -> (Result<WorkbookFacts, String>, Vec<ReportRow>) {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ingest_file(path, catalogue, limits, memo)
    }))
    .unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no detail");
        let reason =
            format!("the file is damaged: reading it failed inside the workbook reader ({detail})");
        (Err(reason), Vec::new())
    })
}

/// The report row of a file none of whose figures are used.
fn rejection(file: &str, reason: String) -> ReportRow {
    ReportRow {
        file: file.to_string(),
        sheet: String::new(),
        cell: String::new(),
        severity: Severity::Error,
        kind: REJECTED,
        form: String::new(),
        message: format!("file not used: {reason}"),
    }
}

/// What a batch keeps of each workbook once the chunk callback has had it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retain {
    /// Every fact and report row: the batch is the whole fact table and
    /// report in memory.
    Facts,
    /// The [`Workbook`] only, and of the report its problems: the callback
    /// has done all that needs the facts and the information rows (written,
    /// checked, measured), so memory holds a chunk of them at a time
    /// however large the batch.
    Workbooks,
}

/// What a command makes of each workbook in the worker that read it (the
/// checks and measures of `check` and `run`), and how that is kept in the
/// reading cache beside the workbook, so that a re-run need not make it
/// again for a file that has not changed. Any `Fn(&WorkbookFacts) -> T`
/// is one that keeps nothing.
pub trait Assess: Sync {
    type Output: Send;

    fn assess(&self, workbook: &WorkbookFacts) -> Self::Output;

    /// Appends the bytes to keep of `output`, made of `workbook` (none: it
    /// is made again on each run).
    fn keep(&self, _output: &Self::Output, _workbook: &WorkbookFacts, _out: &mut Vec<u8>) {}

    /// `output` back from the bytes `keep` wrote for `workbook`; `None`
    /// when they are not such bytes (none kept, or kept by another command).
    fn restore(&self, _kept: &[u8], _workbook: &WorkbookFacts) -> Option<Self::Output> {
        None
    }
}

impl<T: Send, F: Fn(&WorkbookFacts) -> T + Sync> Assess for F {
    type Output = T;

    fn assess(&self, workbook: &WorkbookFacts) -> T {
        self(workbook)
    }
}

/// What [`ingest_chunked`] hands its chunk callback: a chunk's accepted
/// workbooks, in path order, with what `on_workbook` gave for each, and the
/// report rows made since the last chunk (the discovery's problems come
/// with the first): the chunks' rows, in turn, are the whole report.
pub struct Chunk<'a, T> {
    pub workbooks: &'a [Arc<WorkbookFacts>],
    pub done: Vec<T>,
    pub report: &'a [ReportRow],
}

/// Runs discover → read → recognise → extract → identify over `inputs`,
/// keeping every fact.
pub fn ingest(inputs: &[PathBuf], catalogue: &Catalogue, progress: bool) -> Batch {
    ingest_chunked(
        discover(inputs),
        catalogue,
        &Limits::default(),
        None,
        progress,
        Retain::Facts,
        |_: &WorkbookFacts| (),
        |_| {},
    )
}

/// [`ingest`] over the workbooks `found` by [`discover`], with two hooks
/// and keeping what `retain` says:
/// `on_workbook` assesses each workbook read, in the reading worker right
/// after the file (so that per-workbook work overlaps reading), and
/// `on_chunk` gets each [`Chunk`] — its accepted workbooks (in path order)
/// with what `on_workbook` gave for each, and its report rows — while the
/// next chunk is being read. With a `cache`, a file it holds is not read
/// (nor assessed, when the assessment was kept) again, and a file read is
/// kept in it with its assessment.
#[allow(clippy::too_many_arguments)]
pub fn ingest_chunked<A: Assess>(
    found: Discovered,
    catalogue: &Catalogue,
    limits: &Limits,
    cache: Option<&ReadCache>,
    progress: bool,
    retain: Retain,
    on_workbook: A,
    mut on_chunk: impl FnMut(Chunk<'_, A::Output>) + Send,
) -> Batch {
    let Discovered {
        files, problems, ..
    } = found;
    let mut batch = Batch {
        files_seen: files.len(),
        tables_read: 0,
        workbooks: Vec::new(),
        report: Vec::new(),
    };
    for p in problems {
        batch.report.push(ReportRow {
            file: p.path.display().to_string(),
            sheet: String::new(),
            cell: String::new(),
            severity: Severity::Error,
            kind: "file",
            form: String::new(),
            message: p.message,
        });
    }
    let bar = if progress && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(files.len() as u64);
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} reading {pos}/{len} workbooks [{bar:40}] {per_sec} eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    // Files are read a chunk at a time so that `on_chunk` (the Parquet
    // writer) can work on one chunk while the next is being read.
    let mut seen: BTreeMap<(String, i32, String, char), Arc<str>> = BTreeMap::new();
    let memos: Vec<Mutex<Memo>> = (0..pool::threads().max(1))
        .map(|_| Mutex::new(Memo::default()))
        .collect();
    // Report rows already handed to `on_chunk`.
    let mut reported = 0;
    let mut hand_on = |batch: &mut Batch, pending: Option<ChunkRead<'_, A::Output>>| {
        let (accepted, done) = match pending {
            Some((chunk, results)) => account(batch, &mut seen, retain, chunk, results),
            None => (Vec::new(), Vec::new()),
        };
        if accepted.is_empty() && batch.report.len() == reported {
            return;
        }
        on_chunk(Chunk {
            workbooks: &accepted,
            done,
            report: &batch.report[reported..],
        });
        if retain == Retain::Workbooks {
            // The information rows are handed on; problems stay for the
            // summary and the later stages.
            let handed_on = batch.report.split_off(reported);
            batch.report.extend(
                handed_on
                    .into_iter()
                    .filter(|r| r.severity != Severity::Info),
            );
        }
        reported = batch.report.len();
    };
    pool::install(|| {
        // The chunk read last, accounted for and handed to `on_chunk` while
        // the next one is read.
        let mut pending: Option<ChunkRead<'_, A::Output>> = None;
        let mut rest = &files[..];
        while !rest.is_empty() {
            // Whole chunks while many files remain, then halves of what is left,
            // so that the last chunk, written after reading is over, is small.
            let size = (rest.len() / 2)
                .clamp(MIN_CHUNK_FILES, CHUNK_FILES)
                .min(rest.len());
            let (chunk, tail) = rest.split_at(size);
            rest = tail;
            let read = || -> Vec<FileRead<A::Output>> {
                chunk
                    .par_iter()
                    .map(|path| {
                        // A file the cache holds is not read again.
                        let kept = cache.and_then(|c| Some((c, c.get(path)?)));
                        let done = match kept {
                            Some((cache, entry)) => assess_kept(path, entry, &on_workbook, cache),
                            None => read_and_keep(
                                path,
                                (catalogue, limits, &memos),
                                &on_workbook,
                                cache,
                            ),
                        };
                        bar.inc(1);
                        done
                    })
                    .collect()
            };
            // A worker accounts for the last chunk and hands it on while the
            // others read this one: reading does not wait for the hook, nor the
            // hook for reading.
            let last = pending.take();
            let (results, ()) = rayon::join(read, || hand_on(&mut batch, last));
            pending = Some((chunk, results));
        }
        hand_on(&mut batch, pending);
    });
    bar.finish_and_clear();
    batch
}

/// Reads one file with the worker's memo and assesses the workbook, and
/// keeps both in the cache (a workbook read; a rejection is only counted).
fn read_and_keep<A: Assess>(
    path: &Path,
    (catalogue, limits, memos): (&Catalogue, &Limits, &[Mutex<Memo>]),
    assessor: &A,
    cache: Option<&ReadCache>,
) -> FileRead<A::Output> {
    // Each worker keeps what it learns for the whole run.
    let worker = rayon::current_thread_index().unwrap_or(0) % memos.len();
    let mut memo = memos[worker].lock().unwrap_or_else(PoisonError::into_inner);
    let (workbook, rows) = ingest_file_guarded(path, catalogue, limits, &mut memo);
    drop(memo);
    let assessed = workbook.as_ref().ok().map(|w| assessor.assess(w));
    if let Some(cache) = cache {
        cache.missed();
        if let (Ok(workbook), Some(assessed)) = (&workbook, &assessed) {
            let mut kept = Vec::new();
            assessor.keep(assessed, workbook, &mut kept);
            cache.put(path, workbook, &rows, &kept);
        }
    }
    (workbook, rows, assessed)
}

/// A workbook the cache held, with its assessment as kept, or made (and
/// then kept) when the entry holds none of this command's.
fn assess_kept<A: Assess>(
    path: &Path,
    entry: Entry,
    assessor: &A,
    cache: &ReadCache,
) -> FileRead<A::Output> {
    let Entry {
        workbook,
        rows,
        kept,
    } = entry;
    let assessed = match assessor.restore(&kept, &workbook) {
        Some(assessed) => {
            cache.assessments_reused.fetch_add(1, Ordering::Relaxed);
            assessed
        }
        None => {
            let assessed = assessor.assess(&workbook);
            let mut kept = Vec::new();
            assessor.keep(&assessed, &workbook, &mut kept);
            if !kept.is_empty() {
                cache.put(path, &workbook, &rows, &kept);
            }
            assessed
        }
    };
    (Ok(workbook), rows, Some(assessed))
}

/// What reading one file gave: the workbook or why it is not used, its
/// report rows, and what `on_workbook` made of it.
type FileRead<T> = (Result<WorkbookFacts, String>, Vec<ReportRow>, Option<T>);

/// A chunk's files and what reading each gave.
type ChunkRead<'a, T> = (&'a [PathBuf], Vec<FileRead<T>>);

/// Takes a chunk's files into the batch in path order: their report rows,
/// rejections and duplicates. Returns the accepted workbooks, with their
/// facts whatever `retain` says, and what `on_workbook` gave for each.
fn account<T>(
    batch: &mut Batch,
    seen: &mut BTreeMap<(String, i32, String, char), Arc<str>>,
    retain: Retain,
    chunk: &[PathBuf],
    results: Vec<FileRead<T>>,
) -> (Vec<Arc<WorkbookFacts>>, Vec<T>) {
    let mut accepted = Vec::new();
    let mut extras = Vec::new();
    for (path, (workbook, rows, extra)) in chunk.iter().zip(results) {
        batch.tables_read += rows
            .iter()
            .filter(|r| r.kind == "recognised" && r.form != "cover")
            .count();
        batch.report.extend(rows);
        let workbook = match workbook {
            Ok(workbook) => workbook,
            Err(reason) => {
                let file = path.display().to_string();
                batch.report.push(rejection(&file, reason));
                continue;
            }
        };
        // Same unit and year twice: the first file (in path order) is
        // kept, the others are reported and left out rather than merged.
        let id = &workbook.identity;
        let key = (
            id.unit_id.clone(),
            id.year,
            id.report_type.clone(),
            id.family,
        );
        if let Some(first) = seen.get(&key) {
            let reason = format!(
                "duplicate unit-year: {} ({}) {} {} is already read from {first}; this file's {} facts are left out",
                id.unit_name,
                id.unit_id,
                id.year,
                id.report_type,
                workbook.facts.len()
            );
            batch.report.push(rejection(&workbook.file, reason));
            continue;
        }
        seen.insert(key, workbook.file.clone());
        let workbook = Arc::new(workbook);
        batch.workbooks.push(match retain {
            Retain::Facts => workbook.clone(),
            // The facts live on in `accepted` until the hook is done.
            Retain::Workbooks => Arc::new(WorkbookFacts {
                workbook: workbook.workbook.clone(),
                facts: Vec::new(),
            }),
        });
        accepted.push(workbook);
        extras.extend(extra);
    }
    (accepted, extras)
}
