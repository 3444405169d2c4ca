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
use std::sync::{Arc, Mutex, PoisonError};

use crate::ingest::amount::to_yuan;
use crate::ingest::discover::{Discovered, discover};
use crate::ingest::extract::{self, SheetFact, extract_with};
use crate::ingest::identity::{Clues, Identity, read_cover, resolve};
use crate::ingest::read::{Limits, open_path};
use crate::ingest::recognise::{SheetKind, TitleMemo, recognise_with};
use crate::pool;
use crate::spec::Catalogue;
use crate::text::{Text, a1, intern};

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
}

impl Fact {
    /// The source cell in A1 form.
    pub fn cell(&self) -> String {
        a1(self.position.0, self.position.1)
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
    fn new(
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
    /// Shared so that a writer thread can hold a chunk while reading goes on.
    pub workbooks: Vec<Arc<WorkbookFacts>>,
    pub report: Vec<ReportRow>,
}

impl Batch {
    pub fn fact_count(&self) -> usize {
        self.workbooks.iter().map(|w| w.fact_count).sum()
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
const REJECTED: &str = "rejected";

/// Files read in parallel between two calls of the chunk callback.
const CHUNK_FILES: usize = 256;
/// The smallest chunk, towards the end.
const MIN_CHUNK_FILES: usize = 16;

/// What a reading worker remembers from sheet to sheet: the same tables
/// come back in workbook after workbook.
#[derive(Default)]
struct Memo {
    titles: TitleMemo,
    extract: extract::Memo,
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
        progress,
        Retain::Facts,
        |_| (),
        |_| {},
    )
}

/// [`ingest`] over the workbooks `found` by [`discover`], with two hooks
/// and keeping what `retain` says:
/// `on_workbook` runs on each workbook read, in the reading worker right
/// after the file (so that per-workbook work overlaps reading), and
/// `on_chunk` gets each [`Chunk`] — its accepted workbooks (in path order)
/// with what `on_workbook` gave for each, and its report rows — while the
/// next chunk is being read.
pub fn ingest_chunked<T: Send>(
    found: Discovered,
    catalogue: &Catalogue,
    limits: &Limits,
    progress: bool,
    retain: Retain,
    on_workbook: impl Fn(&WorkbookFacts) -> T + Sync,
    mut on_chunk: impl FnMut(Chunk<'_, T>) + Send,
) -> Batch {
    let Discovered { files, problems } = found;
    let mut batch = Batch {
        files_seen: files.len(),
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
    let mut hand_on = |batch: &mut Batch, pending: Option<(&[PathBuf], Vec<FileRead<T>>)>| {
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
        let mut pending: Option<(&[PathBuf], Vec<FileRead<T>>)> = None;
        let mut rest = &files[..];
        while !rest.is_empty() {
            // Whole chunks while many files remain, then halves of what is left,
            // so that the last chunk, written after reading is over, is small.
            let size = (rest.len() / 2)
                .clamp(MIN_CHUNK_FILES, CHUNK_FILES)
                .min(rest.len());
            let (chunk, tail) = rest.split_at(size);
            rest = tail;
            let read = || -> Vec<FileRead<T>> {
                chunk
                    .par_iter()
                    .map(|path| {
                        // Each worker keeps what it learns for the whole run.
                        let worker = rayon::current_thread_index().unwrap_or(0) % memos.len();
                        let mut memo = memos[worker].lock().unwrap_or_else(PoisonError::into_inner);
                        let (workbook, rows) =
                            ingest_file_guarded(path, catalogue, limits, &mut memo);
                        drop(memo);
                        let extra = workbook.as_ref().ok().map(&on_workbook);
                        bar.inc(1);
                        (workbook, rows, extra)
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

/// What reading one file gave: the workbook or why it is not used, its
/// report rows, and what `on_workbook` made of it.
type FileRead<T> = (Result<WorkbookFacts, String>, Vec<ReportRow>, Option<T>);

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

/// Everything done to one file; never panics, whatever the input.
/// A file none of whose figures can be used comes back as `Err(reason)`.
fn ingest_file(
    path: &Path,
    catalogue: &Catalogue,
    limits: &Limits,
    memo: &mut Memo,
) -> (Result<WorkbookFacts, String>, Vec<ReportRow>) {
    let file: Arc<str> = Arc::from(path.display().to_string());
    let mut rows = Vec::new();
    let row = |sheet: &str, cell: String, severity, kind, form: &str, message: String| ReportRow {
        file: file.to_string(),
        sheet: sheet.to_string(),
        cell,
        severity,
        kind,
        form: form.to_string(),
        message,
    };
    let mut book = match open_path(path, limits) {
        Ok(b) => b,
        Err(e) => return (Err(e.to_string()), rows),
    };

    // Sheets are read, recognised and extracted one at a time. Sheets that
    // cannot be read are reported ahead of the others.
    let mut sheet_rows = Vec::new();
    let mut clues = Clues::default();
    let mut extracted = Vec::new();
    let mut forms_seen: BTreeMap<String, String> = BTreeMap::new();
    let read = book.read_sheets(|sheet| {
        let sheet = match sheet {
            Ok(sheet) => sheet,
            Err(e) => {
                rows.push(row(
                    &e.name,
                    String::new(),
                    Severity::Error,
                    "sheet",
                    "",
                    format!("sheet cannot be read: {}", e.message),
                ));
                return;
            }
        };
        match recognise_with(sheet, catalogue, &mut memo.titles) {
            SheetKind::Cover => {
                let fields = read_cover(sheet, catalogue);
                sheet_rows.push(row(
                    sheet.name,
                    String::new(),
                    Severity::Info,
                    "recognised",
                    "cover",
                    format!("cover sheet with {} identity fields", fields.len()),
                ));
                clues.family_a = true;
                if clues.cover.is_none() {
                    clues.cover = Some((sheet.name.to_string(), fields));
                }
            }
            SheetKind::Empty => {
                sheet_rows.push(row(
                    sheet.name,
                    String::new(),
                    Severity::Info,
                    "skipped",
                    "",
                    "empty sheet".into(),
                ));
            }
            SheetKind::Unknown => {
                sheet_rows.push(row(
                    sheet.name,
                    String::new(),
                    Severity::Warning,
                    "skipped",
                    "",
                    "unknown sheet: no form title, sheet name or form code recognised".into(),
                ));
            }
            SheetKind::Form { form, by } => {
                let key = form.spec.key.clone();
                if let Some(first) = forms_seen.get(&key) {
                    sheet_rows.push(row(sheet.name, String::new(), Severity::Error, "duplicate", &key, format!("form {key} appears again (first in sheet {first:?}); this sheet is left out")));
                    return;
                }
                forms_seen.insert(key.clone(), sheet.name.to_string());
                let extraction = extract_with(sheet, form, catalogue, &mut memo.extract);
                if extraction.hints.numbered || sheet.name.contains("财决") {
                    clues.family_a = true;
                }
                clues
                    .sheets
                    .push((sheet.name.to_string(), extraction.hints.clone()));
                extracted.push((sheet.name.to_string(), form, by, extraction));
            }
        }
    });
    drop(book);
    rows.append(&mut sheet_rows);
    if let Err(e) = read {
        return (Err(e.to_string()), rows);
    }

    let (identity, notes) = resolve(path, &clues, catalogue);
    for note in notes {
        let severity = if identity.is_none() {
            Severity::Error
        } else {
            Severity::Warning
        };
        rows.push(row("", String::new(), severity, "identity", "", note));
    }
    let Some(identity) = identity else {
        let reason = "its unit and year could not be established (see the identity rows)";
        return (Err(reason.to_string()), rows);
    };

    // Unit of money: the sheet's own line, else one stated elsewhere in the
    // workbook, else the family's convention (reported).
    let workbook_scale = extracted
        .iter()
        .find_map(|(_, _, _, e)| e.hints.scale.clone());
    let default_name = if identity.family == 'A' {
        &catalogue.common.reading.default_scale_a
    } else {
        &catalogue.common.reading.default_scale_b
    };
    let default_factor = catalogue.scale_of(default_name).unwrap_or(Decimal::ONE);

    let mut facts = Vec::with_capacity(extracted.iter().map(|(.., e)| e.facts.len()).sum());
    for (sheet, form, by, extraction) in extracted {
        let form_key = intern(&form.spec.key);
        let sheet_name = intern(&sheet);
        let (scale_name, factor) = match (&extraction.hints.scale, &workbook_scale) {
            (Some(s), _) => (s.name.clone(), s.factor),
            (None, Some(w)) => {
                rows.push(row(&sheet, String::new(), Severity::Warning, "problem", form_key, format!("no unit line (单位：…) on this sheet; using {} stated on sheet(s) of the same workbook", w.name)));
                (w.name.clone(), w.factor)
            }
            (None, None) => {
                rows.push(row(&sheet, String::new(), Severity::Warning, "problem", form_key, format!("no unit line (单位：…) in the workbook; assumed {default_name}, the {} family's convention", identity.family)));
                (default_name.clone(), default_factor)
            }
        };
        let scale = intern(&scale_name);
        let count = extraction.facts.len();
        let mut message = format!(
            "recognised by {} as {} ({}), {count} facts, amounts in {scale_name}",
            by.as_str(),
            form.spec.name,
            form.spec.code
        );
        if let Some(note) = &extraction.note {
            message.push_str(&format!("; note: {note}"));
        }
        rows.push(row(
            &sheet,
            String::new(),
            Severity::Info,
            "recognised",
            form_key,
            message,
        ));
        for p in extraction.problems {
            let cell = p.cell.map(|(r, c)| a1(r, c)).unwrap_or_default();
            rows.push(row(
                &sheet,
                cell,
                Severity::Error,
                "problem",
                form_key,
                p.message,
            ));
        }
        for u in extraction.unmapped {
            rows.push(row(
                &sheet,
                a1(u.row, u.col),
                Severity::Warning,
                "unmapped",
                form_key,
                format!("value {} not mapped: {}", u.value, u.reason),
            ));
        }
        for f in extraction.facts {
            let SheetFact {
                item,
                column,
                subject_code,
                written,
                count_unit,
                row: r,
                col: c,
                label,
                header,
            } = f;
            let (amount, unit_of_measure) = match count_unit {
                Some(unit) => (written, unit),
                None => {
                    let (yuan, lost) = to_yuan(written, factor);
                    if lost {
                        rows.push(row(
                            &sheet,
                            a1(r, c),
                            Severity::Warning,
                            "problem",
                            form_key,
                            format!(
                                "{written} {scale_name} has digits below 1 分; rounded to {yuan} 元"
                            ),
                        ));
                    }
                    (yuan, "元")
                }
            };
            facts.push(Fact {
                form: form_key,
                sheet: sheet_name,
                item,
                column,
                subject_code,
                amount,
                unit_of_measure,
                position: (r, c),
                label,
                header,
                scale,
            });
        }
    }
    let cover_fields = clues
        .cover
        .map(|(_, f)| f.into_iter().map(|(k, (v, _))| (k, v)).collect())
        .unwrap_or_default();
    rows.push(row(
        "",
        String::new(),
        Severity::Info,
        "file",
        "",
        format!(
            "{} {} {} ({}, family {}, identity from {}): {} facts",
            identity.unit_name,
            identity.year,
            identity.report_type,
            identity.unit_id,
            identity.family,
            identity.origin.as_str(),
            facts.len()
        ),
    ));
    let workbook = Workbook::new(file, identity, cover_fields, &facts);
    (
        Ok(WorkbookFacts {
            workbook: Arc::new(workbook),
            facts,
        }),
        rows,
    )
}
