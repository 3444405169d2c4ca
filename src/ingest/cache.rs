//! The reading cache of incremental runs: what reading one workbook gave
//! (its identity, facts and report rows) kept on disk under a key of the
//! program build, the specs, the file's path and its content's SHA-256, so
//! that a re-run reads only new or changed files.
//!
//! The entries of a cache folder are appended to one pack file
//! (`readings-N.pack`; one file, not one a workbook: creating twenty
//! thousand files cost a cold run more than the reading it saved), found
//! through `readings.index` (key, offset, length), which is replaced, whole,
//! at the end of each run. An entry is checked (magic, length, checksum) and
//! decoded in full before it is trusted; one that fails is read again from
//! the workbook. A run killed midway leaves the last index, which points
//! only at complete entries. When more than half the pack is entries no
//! longer used, the live ones are copied to a new pack.

use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::ingest::batch::Fact;
use crate::ingest::batch::{ReportRow, Severity, Workbook, WorkbookFacts};
use crate::ingest::codec::{Cursor, put_int, put_uint};
use crate::ingest::extract::Inferred;
use crate::ingest::identity::{Identity, Origin};
use crate::text::intern;
use crate::write::fact_groups::FactGroups;

/// First bytes of every entry, with the format's version.
const MAGIC: &[u8; 8] = b"JSCACHE4";
/// First line of the index, with the format's version.
const INDEX_HEADER: &str = "juesuan-readings 2";
const INDEX: &str = "readings.index";

/// Where an entry lies in the pack.
#[derive(Debug, Clone, Copy)]
struct Span {
    offset: u64,
    length: u64,
}

/// Where the pack ends, and the spans of this run's entries.
struct Pack {
    end: u64,
    live: HashMap<String, Span>,
}

/// The cache folder of a run, with the key of each input.
pub struct ReadCache {
    dir: PathBuf,
    pack_name: String,
    /// Input path → entry key.
    keys: HashMap<PathBuf, String>,
    /// The last run's entries.
    known: HashMap<String, Span>,
    /// The pack, read at offsets by any worker (no lock), appended to
    /// under `pack`'s lock.
    file: File,
    pack: Mutex<Pack>,
    /// The pack's bytes before this run.
    old_end: u64,
    /// Held while the cache is in use: a cache folder shared by two runs
    /// (`--cache DIR`) is used by one at a time.
    _lock: crate::lock::OutputLock,
    pub reused: AtomicUsize,
    pub read: AtomicUsize,
    /// Entries whose command's assessment was taken, not made again.
    pub assessments_reused: AtomicUsize,
}

impl ReadCache {
    /// The cache in `dir` for `inputs` (path and content SHA-256 each),
    /// under `salt` (what reading depends on besides the file). Fails when
    /// the folder cannot be made or another run is using it.
    pub fn open(dir: &Path, salt: &str, inputs: &[(PathBuf, String)]) -> anyhow::Result<ReadCache> {
        let lock = crate::lock::OutputLock::acquire(dir, false)?;
        let keys = (inputs.iter())
            .filter(|(_, sha)| !sha.is_empty())
            .map(|(path, sha)| {
                let key = format!("{salt}\0{}\0{sha}", path.display());
                (
                    path.clone(),
                    crate::manifest::sha256(key.as_bytes())[..32].to_string(),
                )
            })
            .collect();
        let (pack_name, known) =
            read_index(dir).unwrap_or_else(|| ("readings-1.pack".into(), HashMap::new()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(dir.join(&pack_name))?;
        let end = file.metadata()?.len();
        Ok(ReadCache {
            dir: dir.to_path_buf(),
            pack_name,
            keys,
            known,
            file,
            pack: Mutex::new(Pack {
                end,
                live: HashMap::new(),
            }),
            old_end: end,
            _lock: lock,
            reused: AtomicUsize::new(0),
            read: AtomicUsize::new(0),
            assessments_reused: AtomicUsize::new(0),
        })
    }

    /// What the facts writer knows row groups by: each file's key, and
    /// this folder, which keeps its index ([`crate::write::fact_groups`]).
    pub fn fact_groups(&self) -> FactGroups {
        FactGroups {
            dir: self.dir.clone(),
            keys: (self.keys.iter())
                .map(|(path, key)| (path.display().to_string(), key.clone()))
                .collect(),
            bounds: Default::default(),
        }
    }

    /// What reading `path` gave last time, if kept and sound, with what
    /// the command kept beside it ([`crate::ingest::batch::Assess`]).
    pub fn get(&self, path: &Path) -> Option<Entry> {
        let key = self.keys.get(path)?;
        let span = *self.known.get(key)?;
        let mut bytes = vec![0; usize::try_from(span.length).ok()?];
        self.file.read_exact_at(&mut bytes, span.offset).ok()?;
        let found = decode_entry(&bytes)?;
        self.pack.lock().ok()?.live.insert(key.clone(), span);
        self.reused.fetch_add(1, Ordering::Relaxed);
        Some(found)
    }

    /// Keeps what reading `path` gave (workbooks read, not files rejected:
    /// a rejection may depend on the time a read took), and what the
    /// command made of it (`kept`).
    pub fn put(&self, path: &Path, workbook: &WorkbookFacts, rows: &[ReportRow], kept: &[u8]) {
        let Some(key) = self.keys.get(path) else {
            return;
        };
        let bytes = encode_entry(workbook, rows, kept);
        let Ok(mut pack) = self.pack.lock() else {
            return;
        };
        // A cache that cannot be written only makes the next run slower.
        if (&self.file).write_all(&bytes).is_ok() {
            let span = Span {
                offset: pack.end,
                length: bytes.len() as u64,
            };
            pack.end += span.length;
            pack.live.insert(key.clone(), span);
        } else if let Ok(length) = self.file.metadata().map(|m| m.len()) {
            // A short write leaves bytes no index points at.
            pack.end = length;
        }
    }

    /// Counts a file read (its reading not in the cache).
    pub fn missed(&self) {
        self.read.fetch_add(1, Ordering::Relaxed);
    }

    /// Writes the index of this run's entries (those of files changed or
    /// gone are dropped), and copies them to a new pack when more than half
    /// the pack is no longer used.
    pub fn finish(&self) {
        // No fsync: an entry a crash left half-written fails its checksum
        // and is read again from its workbook.
        let Ok(pack) = self.pack.lock() else { return };
        let live_bytes: u64 = pack.live.values().map(|s| s.length).sum();
        let compacted = (pack.end > 2 * live_bytes && self.old_end > 0)
            .then(|| self.compact(&pack))
            .flatten();
        let written = match &compacted {
            Some((name, spans)) => write_index(&self.dir, name, spans),
            None => write_index(&self.dir, &self.pack_name, &pack.live),
        };
        if written.is_ok() {
            self.remove_other_packs(compacted.as_ref().map_or(&self.pack_name, |(n, _)| n));
        }
    }

    /// The live entries copied, in offset order, to the next pack.
    fn compact(&self, pack: &Pack) -> Option<(String, HashMap<String, Span>)> {
        let number: u64 = (self
            .pack_name
            .strip_prefix("readings-")?
            .strip_suffix(".pack")?)
        .parse()
        .ok()?;
        let name = format!("readings-{}.pack", number + 1);
        let mut entries: Vec<(&String, &Span)> = pack.live.iter().collect();
        entries.sort_by_key(|(_, s)| s.offset);
        let mut out = std::io::BufWriter::new(File::create(self.dir.join(&name)).ok()?);
        let mut spans = HashMap::new();
        let mut end = 0;
        for (key, span) in entries {
            let mut bytes = vec![0; usize::try_from(span.length).ok()?];
            self.file.read_exact_at(&mut bytes, span.offset).ok()?;
            out.write_all(&bytes).ok()?;
            spans.insert(
                key.clone(),
                Span {
                    offset: end,
                    length: span.length,
                },
            );
            end += span.length;
        }
        out.flush().ok()?;
        Some((name, spans))
    }

    /// Packs the index no longer points at, and temporaries of killed runs.
    fn remove_other_packs(&self, current: &str) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let stale = (name.ends_with(".pack") && name != current) || name.contains(".tmp-");
            if stale {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// The index's pack and spans, if the index is there and sound.
fn read_index(dir: &Path) -> Option<(String, HashMap<String, Span>)> {
    let text = std::fs::read_to_string(dir.join(INDEX)).ok()?;
    let mut lines = text.lines();
    let pack = lines.next()?.strip_prefix(INDEX_HEADER)?.trim().to_string();
    if !pack.starts_with("readings-") || !pack.ends_with(".pack") || pack.contains('/') {
        return None;
    }
    let mut spans = HashMap::new();
    for line in lines {
        let mut fields = line.split(' ');
        let (key, offset, length) = (fields.next()?, fields.next()?, fields.next()?);
        let span = Span {
            offset: offset.parse().ok()?,
            length: length.parse().ok()?,
        };
        spans.insert(key.to_string(), span);
    }
    Some((pack, spans))
}

/// Replaces the index, whole (a temporary renamed into place).
fn write_index(dir: &Path, pack: &str, spans: &HashMap<String, Span>) -> std::io::Result<()> {
    let mut entries: Vec<(&String, &Span)> = spans.iter().collect();
    entries.sort_by_key(|(_, s)| s.offset);
    let mut text = format!("{INDEX_HEADER} {pack}\n");
    for (key, span) in entries {
        text.push_str(&format!("{key} {} {}\n", span.offset, span.length));
    }
    let tmp = dir.join(format!(".{INDEX}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, dir.join(INDEX))
}

/// What an entry holds: a workbook read, its report rows, and what the
/// command made of it (empty when nothing was kept).
pub struct Entry {
    pub workbook: WorkbookFacts,
    pub rows: Vec<ReportRow>,
    pub kept: Vec<u8>,
}

/// An entry: magic, payload length, payload, XXH3 checksum of the
/// payload. The payload: its texts once each (a workbook's facts repeat a
/// few dozen forms, items, columns, labels and headings), then the
/// workbook and its report rows with texts as indices into them, and
/// numbers as variable-length integers ([`crate::ingest::codec`]); last,
/// the bytes the command kept.
fn encode_entry(workbook: &WorkbookFacts, rows: &[ReportRow], kept: &[u8]) -> Vec<u8> {
    let mut w = Writer::default();
    w.workbook(workbook);
    w.uint(rows.len() as u64);
    for r in rows {
        w.report_row(r);
    }
    w.uint(kept.len() as u64);
    w.body.extend_from_slice(kept);
    let texts: usize = w.table.iter().map(|t| t.len() + 2).sum();
    let mut bytes = Vec::with_capacity(MAGIC.len() + 8 + 10 + texts + w.body.len() + 8);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&[0; 8]); // the payload's length, once known
    let start = bytes.len();
    put_uint(&mut bytes, w.table.len() as u64);
    for text in &w.table {
        put_uint(&mut bytes, text.len() as u64);
        bytes.extend_from_slice(text.as_bytes());
    }
    bytes.extend_from_slice(&w.body);
    let payload = &bytes[start..];
    let (length, sum) = (payload.len() as u64, checksum(payload));
    bytes[MAGIC.len()..start].copy_from_slice(&length.to_le_bytes());
    bytes.extend_from_slice(&sum.to_le_bytes());
    bytes
}

fn decode_entry(bytes: &[u8]) -> Option<Entry> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (length, rest) = rest.split_first_chunk::<8>()?;
    let length = usize::try_from(u64::from_le_bytes(*length)).ok()?;
    if rest.len() != length.checked_add(8)? {
        return None;
    }
    let (payload, sum) = rest.split_at(length);
    if checksum(payload).to_le_bytes() != sum {
        return None;
    }
    let mut r = Reader {
        c: Cursor::new(payload),
        table: Vec::new(),
        interned: Vec::new(),
    };
    let n = r.count()?;
    for _ in 0..n {
        r.table.push(r.c.str()?);
    }
    r.interned = vec![None; n];
    let workbook = r.workbook()?;
    let n = r.count()?;
    let rows = (0..n).map(|_| r.report_row()).collect::<Option<Vec<_>>>()?;
    let n = r.count()?;
    let kept = r.bytes(n)?.to_vec();
    r.is_empty().then_some(Entry {
        workbook,
        rows,
        kept,
    })
}

/// XXH3: enough to tell a damaged or truncated entry, and fast (a
/// re-run checks every entry; FNV-1a, a byte at a time, cost it 0.5 s of
/// CPU at 20,370 workbooks).
fn checksum(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

#[derive(Default)]
struct Writer<'a> {
    body: Vec<u8>,
    table: Vec<&'a str>,
    /// A fact's texts' places in `table`, by address and length: they are
    /// interned, so the same text is the same address, and hashing two
    /// integers is cheaper than hashing the text.
    by_address: foldhash::HashMap<(usize, usize), u64>,
    /// Other texts' (names, messages, file names repeated in every report
    /// row), by content.
    by_text: foldhash::HashMap<&'a str, u64>,
}

impl<'a> Writer<'a> {
    fn uint(&mut self, n: u64) {
        put_uint(&mut self.body, n);
    }

    fn int(&mut self, n: i128) {
        put_int(&mut self.body, n);
    }

    /// A text of a fact ([`crate::text::Text`]).
    fn text(&mut self, s: &'a str) {
        let next = self.table.len() as u64;
        let i = *self
            .by_address
            .entry((s.as_ptr() as usize, s.len()))
            .or_insert_with(|| {
                self.table.push(s);
                next
            });
        self.uint(i);
    }

    fn str(&mut self, s: &'a str) {
        let next = self.table.len() as u64;
        let i = *self.by_text.entry(s).or_insert_with(|| {
            self.table.push(s);
            next
        });
        self.uint(i);
    }

    fn opt(&mut self, s: Option<&'a str>) {
        match s {
            None => self.uint(0),
            Some(s) => {
                self.uint(1);
                self.str(s);
            }
        }
    }

    fn workbook(&mut self, w: &'a WorkbookFacts) {
        let wb: &'a Workbook = &w.workbook;
        self.str(&wb.file);
        self.identity(&wb.identity);
        self.uint(wb.cover_fields.len() as u64);
        for (k, v) in &wb.cover_fields {
            self.str(k);
            self.str(v);
        }
        self.uint(wb.fact_count as u64);
        for staff in wb.staff {
            match staff {
                None => self.uint(0),
                Some(n) => {
                    self.uint(1);
                    self.int(i128::from(n));
                }
            }
        }
        self.uint(w.facts.len() as u64);
        for f in &w.facts {
            self.fact(f);
        }
    }

    fn identity(&mut self, id: &'a Identity) {
        self.int(i128::from(id.year));
        self.str(&id.unit_id);
        self.opt(id.unit_code.as_deref());
        self.str(&id.unit_name);
        self.opt(id.dept_code.as_deref());
        self.str(&id.dept_name);
        self.opt(id.unit_kind.as_deref());
        self.str(&id.report_type);
        self.uint(u64::from(u32::from(id.family)));
        self.uint(match id.origin {
            Origin::Cover => 0,
            Origin::Sheet => 1,
            Origin::Path => 2,
        });
    }

    fn fact(&mut self, f: &Fact) {
        for text in [f.form, f.sheet, f.item, f.column] {
            self.text(text);
        }
        match f.subject_code {
            None => self.uint(0),
            Some(code) => {
                self.uint(1);
                self.text(code);
            }
        }
        self.int(f.amount.mantissa());
        self.uint(u64::from(f.amount.scale()));
        self.text(f.unit_of_measure);
        self.uint(u64::from(f.position.0));
        self.uint(u64::from(f.position.1));
        for text in [f.label, f.header, f.scale] {
            self.text(text);
        }
        self.uint(u64::from(f.inferred.bits()));
    }

    fn report_row(&mut self, r: &'a ReportRow) {
        for text in [&r.file, &r.sheet, &r.cell] {
            self.str(text);
        }
        self.uint(r.severity as u64);
        self.str(r.kind);
        self.str(&r.form);
        self.str(&r.message);
    }
}

struct Reader<'a> {
    c: Cursor<'a>,
    /// The entry's texts.
    table: Vec<&'a str>,
    /// Those a fact holds, interned the first time ([`crate::text::Text`]);
    /// the others (messages, names) are not kept for the process's life.
    interned: Vec<Option<&'static str>>,
}

impl<'a> std::ops::Deref for Reader<'a> {
    type Target = Cursor<'a>;

    fn deref(&self) -> &Cursor<'a> {
        &self.c
    }
}

impl std::ops::DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.c
    }
}

impl Reader<'_> {
    fn text(&mut self) -> Option<&'static str> {
        let i = self.count()?;
        let slot = self.interned.get_mut(i)?;
        Some(*slot.get_or_insert_with(|| intern(self.table[i])))
    }

    fn string(&mut self) -> Option<String> {
        let i = self.count()?;
        self.table.get(i).map(|s| s.to_string())
    }

    fn opt(&mut self) -> Option<Option<String>> {
        if self.flag()? {
            self.string().map(Some)
        } else {
            Some(None)
        }
    }

    fn workbook(&mut self) -> Option<WorkbookFacts> {
        let file = self.string()?;
        let identity = self.identity()?;
        let n = self.count()?;
        let mut cover_fields = BTreeMap::new();
        for _ in 0..n {
            let key = self.string()?;
            cover_fields.insert(key, self.string()?);
        }
        let fact_count = self.count()?;
        let mut staff = [None; 3];
        for slot in &mut staff {
            *slot = if self.flag()? {
                Some(i64::try_from(self.int()?).ok()?)
            } else {
                None
            };
        }
        let n = self.count()?;
        let facts = (0..n).map(|_| self.fact()).collect::<Option<Vec<_>>>()?;
        Some(WorkbookFacts {
            workbook: std::sync::Arc::new(Workbook {
                file: file.into(),
                identity,
                cover_fields,
                fact_count,
                staff,
            }),
            facts,
        })
    }

    fn identity(&mut self) -> Option<Identity> {
        Some(Identity {
            year: i32::try_from(self.int()?).ok()?,
            unit_id: self.string()?,
            unit_code: self.opt()?,
            unit_name: self.string()?,
            dept_code: self.opt()?,
            dept_name: self.string()?,
            unit_kind: self.opt()?,
            report_type: self.string()?,
            family: char::from_u32(u32::try_from(self.uint()?).ok()?)?,
            origin: match self.uint()? {
                0 => Origin::Cover,
                1 => Origin::Sheet,
                2 => Origin::Path,
                _ => return None,
            },
        })
    }

    fn fact(&mut self) -> Option<Fact> {
        Some(Fact {
            form: self.text()?,
            sheet: self.text()?,
            item: self.text()?,
            column: self.text()?,
            subject_code: if self.flag()? {
                Some(self.text()?)
            } else {
                None
            },
            amount: Decimal::try_from_i128_with_scale(
                self.int()?,
                u32::try_from(self.uint()?).ok()?,
            )
            .ok()?,
            unit_of_measure: self.text()?,
            position: (
                u32::try_from(self.uint()?).ok()?,
                u32::try_from(self.uint()?).ok()?,
            ),
            label: self.text()?,
            header: self.text()?,
            scale: self.text()?,
            inferred: Inferred::from_bits(u8::try_from(self.uint()?).ok()?),
        })
    }

    fn report_row(&mut self) -> Option<ReportRow> {
        Some(ReportRow {
            file: self.string()?,
            sheet: self.string()?,
            cell: self.string()?,
            severity: match self.uint()? {
                0 => Severity::Info,
                1 => Severity::Warning,
                2 => Severity::Error,
                _ => return None,
            },
            kind: self.text()?,
            form: self.string()?,
            message: self.string()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_entry_is_not_trusted() {
        let catalogue = crate::spec::Catalogue::builtin().expect("specs");
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/corpus/2023");
        let batch = crate::ingest::batch::ingest(&[root], &catalogue, false);
        let workbook = &batch.workbooks[0];
        let rows = vec![ReportRow {
            file: "a.xlsx".into(),
            sheet: "表1".into(),
            cell: "C7".into(),
            severity: Severity::Warning,
            kind: "unmapped",
            form: "income".into(),
            message: "某行".into(),
        }];
        let bytes = encode_entry(workbook, &rows, b"kept");
        let Entry {
            workbook: back,
            rows: back_rows,
            kept,
        } = decode_entry(&bytes).expect("decodes");
        assert_eq!(kept, b"kept");
        assert_eq!(back.facts.len(), workbook.facts.len());
        assert_eq!(format!("{:?}", back.facts), format!("{:?}", workbook.facts));
        assert_eq!(
            format!("{:?}", back.workbook),
            format!("{:?}", workbook.workbook)
        );
        assert_eq!(format!("{back_rows:?}"), format!("{rows:?}"));
        // Truncated, a byte flipped, another format: not trusted.
        assert!(decode_entry(&bytes[..bytes.len() - 1]).is_none());
        for at in [3, 20, bytes.len() / 2, bytes.len() - 3] {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x40;
            assert!(decode_entry(&flipped).is_none(), "flipped at {at}");
        }
        assert!(decode_entry(b"not a cache entry at all").is_none());
    }
}
