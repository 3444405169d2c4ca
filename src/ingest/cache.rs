//! The reading cache of incremental runs: what reading one workbook gave
//! (its identity, facts and report rows) kept on disk under a key of the
//! program build, the specs, the file's path and its content's SHA-256, so
//! that a re-run reads only new or changed files. An entry is checked
//! (magic, length, checksum) and decoded in full before it is trusted; one
//! that fails is read again from the workbook and rewritten. Entries no
//! run used are removed after the run ([`ReadCache::prune`]).

use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::ingest::batch::Fact;
use crate::ingest::batch::{ReportRow, Severity, Workbook, WorkbookFacts};
use crate::ingest::extract::Inferred;
use crate::ingest::identity::{Identity, Origin};
use crate::text::intern;

/// First bytes of every entry, with the format's version.
const MAGIC: &[u8; 8] = b"JSCACHE1";

/// The cache folder of a run, with the key of each input.
pub struct ReadCache {
    dir: PathBuf,
    /// Input path → entry name.
    keys: HashMap<PathBuf, String>,
    /// Entries this run used or wrote.
    live: Mutex<HashSet<String>>,
    pub reused: AtomicUsize,
    pub read: AtomicUsize,
}

impl ReadCache {
    /// The cache in `dir` for `inputs` (path and content SHA-256 each),
    /// under `salt` (the build and the specs: what reading depends on
    /// besides the file).
    pub fn open(
        dir: &Path,
        salt: &str,
        inputs: &[(PathBuf, String)],
    ) -> std::io::Result<ReadCache> {
        std::fs::create_dir_all(dir)?;
        let keys = inputs
            .iter()
            .filter(|(_, sha)| !sha.is_empty())
            .map(|(path, sha)| {
                let key = format!("{salt}\0{}\0{sha}", path.display());
                (
                    path.clone(),
                    crate::manifest::sha256(key.as_bytes())[..32].to_string(),
                )
            })
            .collect();
        Ok(ReadCache {
            dir: dir.to_path_buf(),
            keys,
            live: Mutex::new(HashSet::new()),
            reused: AtomicUsize::new(0),
            read: AtomicUsize::new(0),
        })
    }

    fn entry(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.bin"))
    }

    fn mark_live(&self, name: &str) {
        if let Ok(mut live) = self.live.lock() {
            live.insert(name.to_string());
        }
    }

    /// What reading `path` gave last time, if kept and sound.
    pub fn get(&self, path: &Path) -> Option<(WorkbookFacts, Vec<ReportRow>)> {
        let name = self.keys.get(path)?;
        let bytes = std::fs::read(self.entry(name)).ok()?;
        let found = decode_entry(&bytes)?;
        self.mark_live(name);
        self.reused.fetch_add(1, Ordering::Relaxed);
        Some(found)
    }

    /// Keeps what reading `path` gave (workbooks read, not files rejected:
    /// a rejection may depend on the time a read took).
    pub fn put(&self, path: &Path, workbook: &WorkbookFacts, rows: &[ReportRow]) {
        self.read.fetch_add(1, Ordering::Relaxed);
        let Some(name) = self.keys.get(path) else {
            return;
        };
        let bytes = encode_entry(workbook, rows);
        let tmp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
        // A cache that cannot be written only makes the next run slower.
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, self.entry(name)).is_ok() {
            self.mark_live(name);
        } else {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Counts a file read without the cache (a rejection).
    pub fn missed(&self) {
        self.read.fetch_add(1, Ordering::Relaxed);
    }

    /// Removes the entries this run did not use (files changed or gone) and
    /// temporaries left by killed runs.
    pub fn prune(&self) {
        let Ok(live) = self.live.lock() else { return };
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let keep = name
                .strip_suffix(".bin")
                .is_some_and(|stem| live.contains(stem));
            if !keep {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// An entry: magic, payload length, payload, FNV-1a checksum of the payload.
fn encode_entry(workbook: &WorkbookFacts, rows: &[ReportRow]) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(64 * 1024));
    w.workbook(workbook);
    w.u32(rows.len() as u32);
    for r in rows {
        w.report_row(r);
    }
    let payload = w.0;
    let mut bytes = Vec::with_capacity(payload.len() + 24);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&payload);
    bytes.extend_from_slice(&checksum(&payload).to_le_bytes());
    bytes
}

fn decode_entry(bytes: &[u8]) -> Option<(WorkbookFacts, Vec<ReportRow>)> {
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
    let mut r = Reader(payload);
    let workbook = r.workbook()?;
    let n = r.u32()? as usize;
    let rows = (0..n).map(|_| r.report_row()).collect::<Option<Vec<_>>>()?;
    r.0.is_empty().then_some((workbook, rows))
}

/// 64-bit FNV-1a: enough to tell a damaged or truncated entry.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, n: u32) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            None => self.0.push(0),
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
        }
    }

    fn workbook(&mut self, w: &WorkbookFacts) {
        let wb = &w.workbook;
        self.str(&wb.file);
        self.identity(&wb.identity);
        self.u32(wb.cover_fields.len() as u32);
        for (k, v) in &wb.cover_fields {
            self.str(k);
            self.str(v);
        }
        self.u32(wb.fact_count as u32);
        for staff in wb.staff {
            match staff {
                None => self.0.push(0),
                Some(n) => {
                    self.0.push(1);
                    self.0.extend_from_slice(&n.to_le_bytes());
                }
            }
        }
        self.u32(w.facts.len() as u32);
        for f in &w.facts {
            self.fact(f);
        }
    }

    fn identity(&mut self, id: &Identity) {
        self.0.extend_from_slice(&id.year.to_le_bytes());
        self.str(&id.unit_id);
        self.opt(id.unit_code.as_deref());
        self.str(&id.unit_name);
        self.opt(id.dept_code.as_deref());
        self.str(&id.dept_name);
        self.opt(id.unit_kind.as_deref());
        self.str(&id.report_type);
        self.u32(u32::from(id.family));
        self.0.push(match id.origin {
            Origin::Cover => 0,
            Origin::Sheet => 1,
            Origin::Path => 2,
        });
    }

    fn fact(&mut self, f: &Fact) {
        for text in [f.form, f.sheet, f.item, f.column] {
            self.str(text);
        }
        self.opt(f.subject_code);
        self.0.extend_from_slice(&f.amount.serialize());
        self.str(f.unit_of_measure);
        self.u32(f.position.0);
        self.u32(f.position.1);
        for text in [f.label, f.header, f.scale] {
            self.str(text);
        }
        self.0.push(f.inferred.bits());
    }

    fn report_row(&mut self, r: &ReportRow) {
        for text in [&r.file, &r.sheet, &r.cell] {
            self.str(text);
        }
        self.0.push(r.severity as u8);
        self.str(r.kind);
        self.str(&r.form);
        self.str(&r.message);
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|[b]| b)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }

    fn str(&mut self) -> Option<&str> {
        let n = self.u32()? as usize;
        if self.0.len() < n {
            return None;
        }
        let (text, rest) = self.0.split_at(n);
        self.0 = rest;
        std::str::from_utf8(text).ok()
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }

    fn opt(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => self.string().map(Some),
            _ => None,
        }
    }

    fn workbook(&mut self) -> Option<WorkbookFacts> {
        let file = self.string()?;
        let identity = self.identity()?;
        let n = self.u32()? as usize;
        let mut cover_fields = BTreeMap::new();
        for _ in 0..n {
            let key = self.string()?;
            cover_fields.insert(key, self.string()?);
        }
        let fact_count = self.u32()? as usize;
        let mut staff = [None; 3];
        for slot in &mut staff {
            *slot = match self.u8()? {
                0 => None,
                1 => Some(i64::from_le_bytes(self.take::<8>()?)),
                _ => return None,
            };
        }
        let n = self.u32()? as usize;
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
            year: i32::from_le_bytes(self.take::<4>()?),
            unit_id: self.string()?,
            unit_code: self.opt()?,
            unit_name: self.string()?,
            dept_code: self.opt()?,
            dept_name: self.string()?,
            unit_kind: self.opt()?,
            report_type: self.string()?,
            family: char::from_u32(self.u32()?)?,
            origin: match self.u8()? {
                0 => Origin::Cover,
                1 => Origin::Sheet,
                2 => Origin::Path,
                _ => return None,
            },
        })
    }

    fn text(&mut self) -> Option<&'static str> {
        self.str().map(intern)
    }

    fn fact(&mut self) -> Option<Fact> {
        Some(Fact {
            form: self.text()?,
            sheet: self.text()?,
            item: self.text()?,
            column: self.text()?,
            subject_code: match self.u8()? {
                0 => None,
                1 => Some(self.text()?),
                _ => return None,
            },
            amount: Decimal::deserialize(self.take::<16>()?),
            unit_of_measure: self.text()?,
            position: (self.u32()?, self.u32()?),
            label: self.text()?,
            header: self.text()?,
            scale: self.text()?,
            inferred: Inferred::from_bits(self.u8()?),
        })
    }

    fn report_row(&mut self) -> Option<ReportRow> {
        Some(ReportRow {
            file: self.string()?,
            sheet: self.string()?,
            cell: self.string()?,
            severity: match self.u8()? {
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
        let bytes = encode_entry(workbook, &rows);
        let (back, back_rows) = decode_entry(&bytes).expect("decodes");
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
