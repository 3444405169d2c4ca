//! A minimal writer for legacy Excel `.xls` workbooks (BIFF8 records inside an
//! OLE2 compound file).
//!
//! No maintained Rust crate writes `.xls`, yet the project's reader has to be
//! exercised on such files, so the sample generator serialises them itself.
//! Only what sample data needs is supported: numbers, text, merged ranges and
//! hidden rows, all in the default (General, unstyled) cell format.
//!
//! The layout follows MS-XLS: a workbook-globals substream (fonts, the
//! fifteen built-in style XFs plus one cell XF, sheet directory, shared string
//! table) followed by one worksheet substream per sheet. The output is fully
//! deterministic: nothing depends on the clock, on hash-map iteration order or
//! on the machine, so generated samples can be compared byte for byte.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{self, Cursor, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// One cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum XlsValue {
    /// A number, stored as an IEEE double (NUMBER record); must be finite.
    Number(f64),
    /// A string, stored once in the shared string table (LABELSST record).
    Text(String),
}

/// One worksheet.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct XlsSheet {
    /// Tab name: 1 to 31 characters, none of `[ ] : * ? / \`, not starting or
    /// ending with `'`, unique within the workbook (ignoring case).
    pub name: String,
    /// `(row, col, value)`, 0-based, in any order; rows below 65 536 and
    /// columns below 256 (the BIFF8 grid); at most one value per cell.
    pub cells: Vec<(u32, u16, XlsValue)>,
    /// `(first_row, last_row, first_col, last_col)`, inclusive, 0-based.
    /// Ranges must cover at least two cells and must not overlap.
    pub merges: Vec<(u32, u32, u16, u16)>,
    /// Rows (0-based) to hide; duplicates are ignored.
    pub hidden_rows: Vec<u32>,
}

/// Serialise sheets to the bytes of a BIFF8 .xls file (an OLE2 compound file with a `Workbook` stream).
///
/// Returns an [`io::ErrorKind::InvalidInput`] error when the sheets cannot be
/// represented in BIFF8 (no sheets, a bad or duplicate sheet name, a cell
/// outside the grid or given twice, a non-finite number, an over-long string,
/// an invalid or overlapping merge) instead of writing a file that Excel would
/// reject or "repair".
pub fn write_xls(sheets: &[XlsSheet]) -> io::Result<Vec<u8>> {
    let stream = workbook_stream(sheets)?;
    compound_file(&stream)
}

// ---------------------------------------------------------------------------
// Limits and record identifiers
// ---------------------------------------------------------------------------

/// Largest payload of one BIFF8 record; longer data goes into CONTINUE records.
const MAX_RECORD_DATA: usize = 8224;
/// Number of rows in a BIFF8 sheet.
const MAX_ROWS: u32 = 65_536;
/// Number of columns in a BIFF8 sheet.
const MAX_COLS: u16 = 256;
/// Longest text Excel accepts in a cell, in UTF-16 code units.
const MAX_CELL_TEXT: usize = 32_767;
/// Longest sheet name Excel accepts, in UTF-16 code units.
const MAX_SHEET_NAME: usize = 31;
/// Ranges per MERGEDCELLS record: 2 + 8 * 1026 = 8210 bytes fits one record.
const MERGES_PER_RECORD: usize = 1026;
/// Rows per row block: Excel groups ROW records and their cells by 32 rows.
const ROWS_PER_BLOCK: u32 = 32;
/// Index of the one cell XF (after the 15 style XFs) that every cell uses.
const CELL_XF: u16 = 15;
/// Excel writes Workbook streams of at least 4096 bytes, so the stream lives
/// in regular sectors rather than the mini stream; old readers expect that.
const MIN_WORKBOOK_STREAM: usize = 4096;
/// Seconds from the CFB epoch (1601-01-01) to the Unix epoch.
const CFB_EPOCH_TO_UNIX: u64 = 11_644_473_600;

const RT_EOF: u16 = 0x000A;
const RT_DATE1904: u16 = 0x0022;
const RT_FONT: u16 = 0x0031;
const RT_CONTINUE: u16 = 0x003C;
const RT_WINDOW1: u16 = 0x003D;
const RT_CODEPAGE: u16 = 0x0042;
const RT_BOUNDSHEET8: u16 = 0x0085;
const RT_XF: u16 = 0x00E0;
const RT_MERGEDCELLS: u16 = 0x00E5;
const RT_SST: u16 = 0x00FC;
const RT_LABELSST: u16 = 0x00FD;
const RT_EXTSST: u16 = 0x00FF;
const RT_DIMENSIONS: u16 = 0x0200;
const RT_NUMBER: u16 = 0x0203;
const RT_ROW: u16 = 0x0208;
const RT_WINDOW2: u16 = 0x023E;
const RT_STYLE: u16 = 0x0293;
const RT_BOF: u16 = 0x0809;

/// BOF `dt` for the workbook globals substream.
const BOF_GLOBALS: u16 = 0x0005;
/// BOF `dt` for a worksheet substream.
const BOF_WORKSHEET: u16 = 0x0010;

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

// ---------------------------------------------------------------------------
// Low-level helpers
// ---------------------------------------------------------------------------

/// Little-endian byte sink for record payloads.
trait PutLe {
    fn u8(&mut self, v: u8);
    fn u16(&mut self, v: u16);
    fn u32(&mut self, v: u32);
}

impl PutLe for Vec<u8> {
    fn u8(&mut self, v: u8) {
        self.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_le_bytes());
    }
}

/// Appends one record (type, length, payload) to `out`.
///
/// Oversized payloads are an error rather than a silent truncation: every
/// caller that can exceed the limit splits its data beforehand.
fn push_record(out: &mut Vec<u8>, typ: u16, data: &[u8]) -> io::Result<()> {
    let len = u16::try_from(data.len())
        .ok()
        .filter(|&l| usize::from(l) <= MAX_RECORD_DATA)
        .ok_or_else(|| {
            invalid(format!(
                "BIFF record 0x{typ:04X} would hold {} bytes (limit {MAX_RECORD_DATA})",
                data.len()
            ))
        })?;
    out.u16(typ);
    out.u16(len);
    out.extend_from_slice(data);
    Ok(())
}

/// A string prepared for BIFF8: UTF-16 code units plus the storage form.
///
/// Pure ASCII is stored compressed (one byte per character, `fHighByte` = 0);
/// anything else, Chinese in particular, as UTF-16LE (`fHighByte` = 1).
struct BiffString {
    units: Vec<u16>,
    wide: bool,
}

impl BiffString {
    fn new(s: &str) -> Self {
        BiffString {
            units: s.encode_utf16().collect(),
            wide: !s.is_ascii(),
        }
    }

    /// Bytes per stored character.
    fn unit_size(&self) -> usize {
        if self.wide { 2 } else { 1 }
    }

    /// The option byte: only `fHighByte` is ever set (no rich text, no
    /// phonetic data).
    fn flags(&self) -> u8 {
        u8::from(self.wide)
    }

    /// Appends the stored form of `units[from..to]`.
    fn push_units(&self, out: &mut Vec<u8>, from: usize, to: usize) {
        for &u in &self.units[from..to] {
            if self.wide {
                out.u16(u);
            } else {
                // Compressed form is only chosen for ASCII, so the high byte
                // is zero and nothing is lost.
                out.u8(u as u8);
            }
        }
    }

    /// Appends a ShortXLUnicodeString (8-bit length), as used for sheet and
    /// font names.
    fn push_short(&self, out: &mut Vec<u8>, what: &str) -> io::Result<()> {
        let cch = u8::try_from(self.units.len())
            .map_err(|_| invalid(format!("{what} is longer than 255 characters")))?;
        out.u8(cch);
        out.u8(self.flags());
        self.push_units(out, 0, self.units.len());
        Ok(())
    }
}

fn is_high_surrogate(u: u16) -> bool {
    (0xD800..0xDC00).contains(&u)
}

// ---------------------------------------------------------------------------
// Validation and preparation
// ---------------------------------------------------------------------------

/// A sheet's content, checked and sorted the way the records need it.
struct PreparedSheet<'a> {
    /// `(row, col, value)` sorted by row, then column.
    cells: Vec<(u16, u16, &'a XlsValue)>,
    /// Rows that get a ROW record: those with cells and the hidden ones.
    rows: BTreeSet<u16>,
    hidden: BTreeSet<u16>,
    merges: Vec<[u16; 4]>,
}

fn check_sheet_name(name: &str, seen: &mut HashSet<String>) -> io::Result<()> {
    let len = name.encode_utf16().count();
    if len == 0 || len > MAX_SHEET_NAME {
        return Err(invalid(format!(
            "sheet name {name:?} must have 1 to {MAX_SHEET_NAME} characters, has {len}"
        )));
    }
    if let Some(c) = name.chars().find(|c| "[]:*?/\\".contains(*c)) {
        return Err(invalid(format!(
            "sheet name {name:?} contains the forbidden character {c:?}"
        )));
    }
    if name.starts_with('\'') || name.ends_with('\'') {
        return Err(invalid(format!(
            "sheet name {name:?} must not start or end with an apostrophe"
        )));
    }
    // Excel treats names that differ only in case as the same sheet.
    if !seen.insert(name.to_lowercase()) {
        return Err(invalid(format!("duplicate sheet name {name:?}")));
    }
    Ok(())
}

fn check_row(row: u32, what: &str, sheet: &str) -> io::Result<u16> {
    u16::try_from(row)
        .ok()
        .filter(|_| row < MAX_ROWS)
        .ok_or_else(|| {
            invalid(format!(
                "{what} row {row} in sheet {sheet:?} is beyond the BIFF8 limit of {MAX_ROWS} rows"
            ))
        })
}

fn check_col(col: u16, what: &str, sheet: &str) -> io::Result<u16> {
    if col < MAX_COLS {
        Ok(col)
    } else {
        Err(invalid(format!(
            "{what} column {col} in sheet {sheet:?} is beyond the BIFF8 limit of {MAX_COLS} columns"
        )))
    }
}

fn prepare_sheet(sheet: &XlsSheet) -> io::Result<PreparedSheet<'_>> {
    let name = sheet.name.as_str();
    let mut cells = Vec::with_capacity(sheet.cells.len());
    for (row, col, value) in &sheet.cells {
        let r = check_row(*row, "cell", name)?;
        let c = check_col(*col, "cell", name)?;
        match value {
            XlsValue::Number(n) if !n.is_finite() => {
                return Err(invalid(format!(
                    "cell ({row}, {col}) in sheet {name:?} holds {n}, which BIFF8 cannot store"
                )));
            }
            XlsValue::Text(t) if t.encode_utf16().count() > MAX_CELL_TEXT => {
                return Err(invalid(format!(
                    "cell ({row}, {col}) in sheet {name:?} holds more than {MAX_CELL_TEXT} characters"
                )));
            }
            _ => {}
        }
        cells.push((r, c, value));
    }
    cells.sort_by_key(|&(r, c, _)| (r, c));
    if let Some(w) = cells
        .windows(2)
        .find(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1))
    {
        return Err(invalid(format!(
            "cell ({}, {}) in sheet {name:?} is given more than once",
            w[0].0, w[0].1
        )));
    }

    let mut hidden = BTreeSet::new();
    for &row in &sheet.hidden_rows {
        hidden.insert(check_row(row, "hidden", name)?);
    }
    let mut rows: BTreeSet<u16> = cells.iter().map(|&(r, _, _)| r).collect();
    rows.extend(hidden.iter().copied());

    let mut merges = Vec::with_capacity(sheet.merges.len());
    for &(r1, r2, c1, c2) in &sheet.merges {
        let m = [
            check_row(r1, "merge", name)?,
            check_row(r2, "merge", name)?,
            check_col(c1, "merge", name)?,
            check_col(c2, "merge", name)?,
        ];
        if m[0] > m[1] || m[2] > m[3] {
            return Err(invalid(format!(
                "merge {:?} in sheet {name:?} has first > last",
                (r1, r2, c1, c2)
            )));
        }
        if m[0] == m[1] && m[2] == m[3] {
            return Err(invalid(format!(
                "merge {:?} in sheet {name:?} covers a single cell",
                (r1, r2, c1, c2)
            )));
        }
        merges.push(m);
    }
    check_merge_overlap(&merges, name)?;

    Ok(PreparedSheet {
        cells,
        rows,
        hidden,
        merges,
    })
}

/// Overlapping merged ranges make Excel "repair" the file, so they are
/// refused. Sorting by first row keeps the scan near-linear for typical
/// layouts (each range is only compared with ranges that start inside it).
fn check_merge_overlap(merges: &[[u16; 4]], sheet: &str) -> io::Result<()> {
    let mut sorted: Vec<&[u16; 4]> = merges.iter().collect();
    sorted.sort();
    for (i, a) in sorted.iter().enumerate() {
        for b in &sorted[i + 1..] {
            if b[0] > a[1] {
                break;
            }
            if b[2] <= a[3] && a[2] <= b[3] {
                return Err(invalid(format!(
                    "merges {a:?} and {b:?} (rows, rows, cols, cols) in sheet {sheet:?} overlap"
                )));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Workbook stream
// ---------------------------------------------------------------------------

/// Builds the whole `Workbook` stream: globals, then every worksheet.
fn workbook_stream(sheets: &[XlsSheet]) -> io::Result<Vec<u8>> {
    if sheets.is_empty() {
        return Err(invalid("a workbook needs at least one sheet".into()));
    }
    let mut seen = HashSet::new();
    for sheet in sheets {
        check_sheet_name(&sheet.name, &mut seen)?;
    }
    let prepared = sheets
        .iter()
        .map(prepare_sheet)
        .collect::<io::Result<Vec<_>>>()?;

    // Shared string table in first-use order (sheet order, then row-major),
    // which keeps the output independent of hash-map iteration order.
    let mut sst_index: HashMap<&str, u32> = HashMap::new();
    let mut sst_strings: Vec<&str> = Vec::new();
    let mut sst_total: u32 = 0;
    for sheet in &prepared {
        for &(_, _, value) in &sheet.cells {
            if let XlsValue::Text(t) = value {
                sst_total = sst_total
                    .checked_add(1)
                    .ok_or_else(|| invalid("too many text cells".into()))?;
                if !sst_index.contains_key(t.as_str()) {
                    let idx = u32::try_from(sst_strings.len())
                        .map_err(|_| invalid("too many distinct strings".into()))?;
                    sst_index.insert(t, idx);
                    sst_strings.push(t);
                }
            }
        }
    }

    let sheet_streams = prepared
        .iter()
        .enumerate()
        .map(|(i, sheet)| worksheet_substream(sheet, i == 0, &sst_index))
        .collect::<io::Result<Vec<_>>>()?;

    let (mut stream, offset_slots) = globals_substream(sheets, &sst_strings, sst_total)?;

    // Each BOUNDSHEET8 holds the absolute stream position of its sheet's BOF,
    // known only now that the globals are complete.
    for (slot, sheet_stream) in offset_slots.into_iter().zip(&sheet_streams) {
        let pos = u32::try_from(stream.len())
            .map_err(|_| invalid("workbook stream exceeds 4 GiB".into()))?;
        stream[slot..slot + 4].copy_from_slice(&pos.to_le_bytes());
        stream.extend_from_slice(sheet_stream);
    }
    if stream.len() < MIN_WORKBOOK_STREAM {
        // Padding after the last EOF is never read as records.
        stream.resize(MIN_WORKBOOK_STREAM, 0);
    }
    Ok(stream)
}

fn push_bof(out: &mut Vec<u8>, dt: u16) -> io::Result<()> {
    let mut d = Vec::with_capacity(16);
    d.u16(0x0600); // BIFF8
    d.u16(dt);
    d.u16(0x0DBB); // rupBuild: the build Excel 97 wrote
    d.u16(0x07CC); // rupYear: 1996
    d.u32(0); // no file history flags
    d.u32(0x0006); // lowest BIFF version that can read this file: BIFF8
    push_record(out, RT_BOF, &d)
}

/// Writes the globals substream; returns it with the byte positions of the
/// BOUNDSHEET8 stream-offset fields, to be filled in by the caller.
fn globals_substream(
    sheets: &[XlsSheet],
    sst_strings: &[&str],
    sst_total: u32,
) -> io::Result<(Vec<u8>, Vec<usize>)> {
    let mut out = Vec::new();
    push_bof(&mut out, BOF_GLOBALS)?;

    // CODEPAGE 1200: strings are Unicode (UTF-16).
    push_record(&mut out, RT_CODEPAGE, &1200u16.to_le_bytes())?;

    // WINDOW1: one workbook window showing the first tab, with scroll bars
    // and the tab strip.
    let mut d = Vec::with_capacity(18);
    d.u16(0x0168); // xWn
    d.u16(0x001E); // yWn
    d.u16(0x3A5C); // dxWn
    d.u16(0x2328); // dyWn
    d.u16(0x0038); // fDspHScroll | fDspVScroll | fBotAdornment
    d.u16(0); // itabCur
    d.u16(0); // itabFirst
    d.u16(1); // ctabSel
    d.u16(0x0258); // wTabRatio (60.0%)
    push_record(&mut out, RT_WINDOW1, &d)?;

    // DATE1904 = 0: the 1900 date system, stated explicitly for readers.
    push_record(&mut out, RT_DATE1904, &0u16.to_le_bytes())?;

    // FONT: Excel expects the default font at indices 0-3 and 5 (index 4
    // does not exist), so the same font is written five times, as Excel does.
    let font_name = BiffString::new("Arial");
    for _ in 0..5 {
        let mut d = Vec::with_capacity(24);
        d.u16(200); // dyHeight: 10 pt in twips
        d.u16(0); // no italic / strike-out
        d.u16(0x7FFF); // icv: automatic colour
        d.u16(400); // bls: normal weight
        d.u16(0); // sss: no super/subscript
        d.u8(0); // uls: no underline
        d.u8(0); // bFamily
        d.u8(0); // bCharSet: ANSI (text itself is Unicode)
        d.u8(0); // reserved
        font_name.push_short(&mut d, "font name")?;
        push_record(&mut out, RT_FONT, &d)?;
    }

    // XF: 15 style XFs (index 0 is the Normal style) and one cell XF (15),
    // the minimum Excel requires; every cell refers to XF 15.
    for i in 0..=CELL_XF {
        let is_cell = i == CELL_XF;
        let mut d = Vec::with_capacity(20);
        d.u16(0); // ifnt: the default font
        d.u16(0); // ifmt: General
        // Cell XF: locked, parent style 0. Style XF: locked, fStyle, parent 0xFFF.
        d.u16(if is_cell { 0x0001 } else { 0xFFF5 });
        d.u8(0x20); // horizontal General, vertical bottom, no wrap
        d.u8(0); // no rotation
        d.u8(0); // no indent, no shrink, context reading order
        // Used-attribute flags: the Normal style and the cell XF define (or
        // inherit) everything; the other styles only the font.
        d.u8(if is_cell || i == 0 { 0x00 } else { 0xF4 });
        d.u32(0); // no borders
        d.u32(0); // no border colours, no fill pattern
        d.u16(0x20C0); // pattern colours: system foreground/background
        push_record(&mut out, RT_XF, &d)?;
    }

    // STYLE: the built-in Normal style bound to style XF 0.
    let mut d = Vec::with_capacity(4);
    d.u16(0x8000); // fBuiltIn | ixfe 0
    d.u8(0); // istyBuiltIn: Normal
    d.u8(0xFF); // iLevel: not an outline style
    push_record(&mut out, RT_STYLE, &d)?;

    // BOUNDSHEET8 per sheet; lbPlyPos is patched once the offsets are known.
    let mut slots = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        let mut d = Vec::with_capacity(8 + 2 * MAX_SHEET_NAME);
        d.u32(0); // lbPlyPos placeholder
        d.u8(0); // visible
        d.u8(0); // worksheet
        BiffString::new(&sheet.name).push_short(&mut d, "sheet name")?;
        slots.push(out.len() + 4);
        push_record(&mut out, RT_BOUNDSHEET8, &d)?;
    }

    let strings: Vec<BiffString> = sst_strings.iter().map(|s| BiffString::new(s)).collect();
    push_sst(&mut out, &strings, sst_total)?;

    push_record(&mut out, RT_EOF, &[])?;
    Ok((out, slots))
}

/// Writes SST (plus CONTINUE records) and EXTSST.
///
/// SST data that exceeds one record continues in CONTINUE records. Following
/// MS-XLS 2.5.293 and Excel's behaviour, a string's header (length and
/// option byte) always stays together with its first character: if they do
/// not fit, the whole string moves to the next CONTINUE record. A string cut
/// later on resumes in the CONTINUE record after a repeated option byte
/// (`fHighByte`). Cuts fall only between characters, never inside a UTF-16
/// surrogate pair, so every piece decodes on its own.
///
/// EXTSST lists, for every `dsst`-th string, its absolute stream position
/// and its offset within the record holding it (record header included),
/// which Excel uses as a lookup index into the SST.
fn push_sst(out: &mut Vec<u8>, strings: &[BiffString], total: u32) -> io::Result<()> {
    let unique =
        u32::try_from(strings.len()).map_err(|_| invalid("too many distinct strings".into()))?;
    // At most 128 buckets, each of at least 8 strings, as Excel writes it.
    let dsst = u16::try_from((strings.len().div_ceil(128)).max(8))
        .map_err(|_| invalid("too many distinct strings for EXTSST".into()))?;

    let mut extsst = Vec::new();
    extsst.u16(dsst);

    let mut rec = SstRecords {
        data: Vec::with_capacity(MAX_RECORD_DATA),
        typ: RT_SST,
        start: out.len(),
    };
    rec.data.u32(total);
    rec.data.u32(unique);

    for (i, s) in strings.iter().enumerate() {
        let len = s.units.len();
        let cch = u16::try_from(len)
            .map_err(|_| invalid("string longer than 65535 characters".into()))?;
        // Header (cch + option byte) and first character stay together.
        let first_units = match s.units.first() {
            None => 0,
            Some(&u) if is_high_surrogate(u) => 2,
            Some(_) => 1,
        };
        if rec.data.len() + 3 + first_units * s.unit_size() > MAX_RECORD_DATA {
            rec.next(out)?;
        }
        if i % usize::from(dsst) == 0 {
            let in_record = rec.data.len() + 4;
            let ib = u32::try_from(rec.start + in_record)
                .map_err(|_| invalid("workbook stream exceeds 4 GiB".into()))?;
            extsst.u32(ib);
            // A record is at most 8228 bytes with its header, so this fits.
            extsst.u16(in_record as u16);
            extsst.u16(0);
        }
        rec.data.u16(cch);
        rec.data.u8(s.flags());
        let mut pos = 0;
        loop {
            let room = (MAX_RECORD_DATA - rec.data.len()) / s.unit_size();
            let mut end = len.min(pos + room);
            if end < len && end > pos && is_high_surrogate(s.units[end - 1]) {
                end -= 1;
            }
            s.push_units(&mut rec.data, pos, end);
            pos = end;
            if pos == len {
                break;
            }
            // The rest of the string continues after a repeated option byte.
            rec.next(out)?;
            rec.data.u8(s.flags());
        }
    }
    push_record(out, rec.typ, &rec.data)?;
    push_record(out, RT_EXTSST, &extsst)
}

/// The SST or CONTINUE record being filled.
struct SstRecords {
    data: Vec<u8>,
    typ: u16,
    /// Absolute stream position of this record's header.
    start: usize,
}

impl SstRecords {
    /// Writes the current record and starts an empty CONTINUE record.
    fn next(&mut self, out: &mut Vec<u8>) -> io::Result<()> {
        push_record(out, self.typ, &self.data)?;
        self.data.clear();
        self.typ = RT_CONTINUE;
        self.start = out.len();
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Worksheet substream
// ---------------------------------------------------------------------------

fn worksheet_substream(
    sheet: &PreparedSheet<'_>,
    selected: bool,
    sst_index: &HashMap<&str, u32>,
) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    push_bof(&mut out, BOF_WORKSHEET)?;

    // DIMENSIONS: the used range (last row / column + 1); all zero if empty.
    let mut d = Vec::with_capacity(14);
    if sheet.cells.is_empty() {
        d.extend_from_slice(&[0; 12]);
    } else {
        let first_row = sheet.cells.first().map_or(0, |c| c.0);
        let last_row = sheet.cells.last().map_or(0, |c| c.0);
        let first_col = sheet.cells.iter().map(|c| c.1).min().unwrap_or(0);
        let last_col = sheet.cells.iter().map(|c| c.1).max().unwrap_or(0);
        d.u32(u32::from(first_row));
        d.u32(u32::from(last_row) + 1);
        d.u16(first_col);
        d.u16(last_col + 1);
    }
    d.u16(0);
    push_record(&mut out, RT_DIMENSIONS, &d)?;

    // Row blocks: ROW records for up to 32 consecutive rows, then the cells of
    // those rows, mirroring Excel's layout. (DBCELL/INDEX are optional for
    // readers and omitted.)
    let rows: Vec<u16> = sheet.rows.iter().copied().collect();
    let mut cell_at = 0;
    let mut row_at = 0;
    while row_at < rows.len() {
        let block = u32::from(rows[row_at]) / ROWS_PER_BLOCK;
        let block_end = rows[row_at..]
            .iter()
            .position(|&r| u32::from(r) / ROWS_PER_BLOCK != block)
            .map_or(rows.len(), |n| row_at + n);
        let block_rows = &rows[row_at..block_end];
        let cells_end = sheet.cells[cell_at..]
            .iter()
            .position(|c| u32::from(c.0) / ROWS_PER_BLOCK != block)
            .map_or(sheet.cells.len(), |n| cell_at + n);
        let block_cells = &sheet.cells[cell_at..cells_end];

        for &row in block_rows {
            // Cells are sorted by (row, col): this row's cells are one run.
            let lo = block_cells.partition_point(|c| c.0 < row);
            let hi = block_cells.partition_point(|c| c.0 <= row);
            let row_cells = &block_cells[lo..hi];
            let (col_mic, col_mac) = match (row_cells.first(), row_cells.last()) {
                (Some(first), Some(last)) => (first.1, last.1 + 1),
                _ => (0, 0),
            };
            let mut d = Vec::with_capacity(16);
            d.u16(row);
            d.u16(col_mic);
            d.u16(col_mac);
            d.u16(0x00FF); // miyRw: default height, 12.75 pt
            d.u16(0); // reserved
            d.u16(0); // unused
            // Reserved byte must be 1 (0x0100); fDyZero (0x20) hides the row.
            d.u16(if sheet.hidden.contains(&row) {
                0x0120
            } else {
                0x0100
            });
            d.u16(CELL_XF); // ixfe_val (only used with fGhostDirty)
            push_record(&mut out, RT_ROW, &d)?;
        }

        for &(row, col, value) in block_cells {
            let mut d = Vec::with_capacity(14);
            d.u16(row);
            d.u16(col);
            d.u16(CELL_XF);
            match value {
                XlsValue::Number(n) => {
                    d.extend_from_slice(&n.to_le_bytes());
                    push_record(&mut out, RT_NUMBER, &d)?;
                }
                XlsValue::Text(t) => {
                    let isst = sst_index.get(t.as_str()).copied().ok_or_else(|| {
                        io::Error::other("string missing from the shared string table")
                    })?;
                    d.u32(isst);
                    push_record(&mut out, RT_LABELSST, &d)?;
                }
            }
        }
        row_at = block_end;
        cell_at = cells_end;
    }

    // WINDOW2: gridlines, headers, zeros, automatic grid colour, outline
    // symbols; the first sheet is also selected and shown.
    let mut d = Vec::with_capacity(18);
    d.u16(if selected { 0x06B6 } else { 0x00B6 });
    d.u16(0); // rwTop
    d.u16(0); // colLeft
    d.u16(0x0040); // icvHdr: default grid colour
    d.u16(0); // reserved
    d.u16(0); // wScaleSLV: default
    d.u16(0); // wScaleNormal: default
    d.u16(0); // unused
    d.u16(0); // reserved
    push_record(&mut out, RT_WINDOW2, &d)?;

    // MERGEDCELLS follows the sheet view settings, as Excel writes it; more
    // than 1026 ranges take several records (Excel does not use CONTINUE here).
    for chunk in sheet.merges.chunks(MERGES_PER_RECORD) {
        let mut d = Vec::with_capacity(2 + 8 * chunk.len());
        // chunks() yields at most MERGES_PER_RECORD (1026) ranges.
        d.u16(chunk.len() as u16);
        for m in chunk {
            for &v in m {
                d.u16(v);
            }
        }
        push_record(&mut out, RT_MERGEDCELLS, &d)?;
    }

    push_record(&mut out, RT_EOF, &[])?;
    Ok(out)
}

// ---------------------------------------------------------------------------
// Compound file
// ---------------------------------------------------------------------------

/// Wraps the workbook stream in an OLE2 compound file (version 3, 512-byte
/// sectors, as Excel writes `.xls`).
///
/// cfb stores zero timestamps for streams and for a new root entry; the root
/// times are nevertheless set explicitly to the CFB epoch (stored as 0) so
/// that the output stays byte-identical even if the crate's defaults change.
fn compound_file(stream: &[u8]) -> io::Result<Vec<u8>> {
    let mut cfb =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
    {
        let mut s = cfb.create_stream("/Workbook")?;
        s.write_all(stream)?;
        s.flush()?;
    }
    let cfb_epoch: SystemTime = UNIX_EPOCH
        .checked_sub(Duration::from_secs(CFB_EPOCH_TO_UNIX))
        .unwrap_or(UNIX_EPOCH);
    cfb.set_created_time("/", cfb_epoch)?;
    cfb.set_modified_time("/", cfb_epoch)?;
    cfb.flush()?;
    Ok(cfb.into_inner().into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xls};

    /// A 31-character Chinese sheet name (the BIFF8 maximum).
    const LONG_NAME: &str = "二零二四年度部门决算收入支出决算总表附表一二三四五六七八九十甲";

    fn open(bytes: Vec<u8>) -> Xls<Cursor<Vec<u8>>> {
        Xls::new(Cursor::new(bytes)).expect("calamine opens the generated file")
    }

    fn num(r: u32, c: u16, v: f64) -> (u32, u16, XlsValue) {
        (r, c, XlsValue::Number(v))
    }

    fn text(r: u32, c: u16, v: &str) -> (u32, u16, XlsValue) {
        (r, c, XlsValue::Text(v.to_string()))
    }

    /// Splits a BIFF stream into `(offset, type, payload)` records, stopping
    /// at the zero padding after the last EOF.
    fn records(stream: &[u8]) -> Vec<(usize, u16, &[u8])> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos + 4 <= stream.len() {
            let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
            let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
            if typ == 0 && len == 0 {
                break;
            }
            out.push((pos, typ, &stream[pos + 4..pos + 4 + len]));
            pos += 4 + len;
        }
        out
    }

    fn sample_sheet() -> XlsSheet {
        XlsSheet {
            name: LONG_NAME.to_string(),
            cells: vec![
                text(0, 0, "收入支出决算总表"),
                text(1, 0, "项目"),
                text(1, 1, "Amount"),
                text(2, 0, "一般公共预算财政拨款收入"),
                num(2, 1, 8929.95),
                text(3, 0, "other income"),
                num(3, 1, 0.0),
                num(4, 1, 89_299_500.12),
                num(5, 1, -1234.56),
                num(6, 3, 1e15),
                // Given out of order on purpose, and a repeated string.
                text(40, 2, "项目"),
                num(33, 0, 7.0),
            ],
            merges: vec![(0, 0, 0, 3), (7, 9, 1, 2)],
            hidden_rows: vec![5, 35, 35],
        }
    }

    #[test]
    fn round_trips_names_numbers_text_and_merges() {
        let bytes = write_xls(&[sample_sheet()]).expect("write");
        let mut wb = open(bytes);
        assert_eq!(wb.sheet_names(), vec![LONG_NAME.to_string()]);
        assert_eq!(LONG_NAME.chars().count(), 31);

        let range = wb.worksheet_range(LONG_NAME).expect("range");
        let at = |r: u32, c: u32| range.get_value((r, c)).cloned();
        assert_eq!(at(0, 0), Some(Data::String("收入支出决算总表".into())));
        assert_eq!(at(1, 0), Some(Data::String("项目".into())));
        assert_eq!(at(1, 1), Some(Data::String("Amount".into())));
        assert_eq!(
            at(2, 0),
            Some(Data::String("一般公共预算财政拨款收入".into()))
        );
        assert_eq!(at(2, 1), Some(Data::Float(8929.95)));
        assert_eq!(at(3, 0), Some(Data::String("other income".into())));
        assert_eq!(at(3, 1), Some(Data::Float(0.0)));
        assert_eq!(at(4, 1), Some(Data::Float(89_299_500.12)));
        assert_eq!(at(5, 1), Some(Data::Float(-1234.56)));
        assert_eq!(at(6, 3), Some(Data::Float(1e15)));
        assert_eq!(at(33, 0), Some(Data::Float(7.0)));
        assert_eq!(at(40, 2), Some(Data::String("项目".into())));
        assert_eq!(at(0, 1), Some(Data::Empty));

        let merges: Vec<_> = wb
            .merge_cells_by_sheet_name(LONG_NAME)
            .expect("merges")
            .into_iter()
            .map(|d| (d.start, d.end))
            .collect();
        assert_eq!(merges, vec![((0, 0), (0, 3)), ((7, 1), (9, 2))]);
    }

    #[test]
    fn two_sheets_keep_their_own_contents() {
        let first = sample_sheet();
        let second = XlsSheet {
            name: "Sheet2 附表".to_string(),
            cells: vec![
                text(0, 0, "支出"),
                num(0, 1, 42.5),
                text(2, 255, "last column"),
                num(65_535, 0, -1.0),
            ],
            merges: vec![(10, 20, 0, 0)],
            hidden_rows: vec![],
        };
        let empty = XlsSheet {
            name: "empty".to_string(),
            ..XlsSheet::default()
        };
        let bytes = write_xls(&[first, second, empty]).expect("write");
        let mut wb = open(bytes);
        assert_eq!(
            wb.sheet_names(),
            vec![LONG_NAME.to_string(), "Sheet2 附表".into(), "empty".into()]
        );

        let r2 = wb.worksheet_range("Sheet2 附表").expect("range");
        assert_eq!(r2.get_value((0, 0)), Some(&Data::String("支出".into())));
        assert_eq!(r2.get_value((0, 1)), Some(&Data::Float(42.5)));
        assert_eq!(
            r2.get_value((2, 255)),
            Some(&Data::String("last column".into()))
        );
        assert_eq!(r2.get_value((65_535, 0)), Some(&Data::Float(-1.0)));
        assert_eq!(r2.used_cells().count(), 4);

        let r1 = wb.worksheet_range(LONG_NAME).expect("range");
        assert_eq!(r1.get_value((2, 1)), Some(&Data::Float(8929.95)));
        assert_eq!(r1.used_cells().count(), 12);

        let m2 = wb.merge_cells_by_sheet_name("Sheet2 附表").expect("merges");
        assert_eq!(m2.len(), 1);
        assert_eq!((m2[0].start, m2[0].end), ((10, 0), (20, 0)));

        let r3 = wb.worksheet_range("empty").expect("range");
        assert!(r3.is_empty());
    }

    /// Thousands of distinct long strings force the SST over many CONTINUE
    /// records; Chinese, ASCII and non-BMP (surrogate pair) strings must all
    /// survive being cut at a record boundary.
    #[test]
    fn sst_spanning_continue_records_round_trips() {
        let mut cells = Vec::new();
        let mut expected = Vec::new();
        for i in 0..6000u32 {
            let s = match i % 4 {
                0 => format!("第{i}项一般公共预算财政拨款收入支出决算明细说明文字"),
                1 => format!("row {i}: plain ASCII text that is reasonably long ......"),
                2 => format!("{i}号😀𠀀混合emoji与扩展汉字😀"),
                _ => "重复".repeat(usize::try_from(i % 300).unwrap_or(0) + 1),
            };
            let row = i / 4;
            let col = u16::try_from(i % 4).unwrap_or(0);
            cells.push((row, col, XlsValue::Text(s.clone())));
            expected.push((row, u32::from(col), s));
        }
        // One string longer than a whole record.
        let huge = "长".repeat(9000);
        cells.push((2000, 0, XlsValue::Text(huge.clone())));
        expected.push((2000, 0, huge));
        let sheet = XlsSheet {
            name: "字符串".into(),
            cells,
            ..XlsSheet::default()
        };

        let stream = workbook_stream(std::slice::from_ref(&sheet)).expect("stream");
        let recs = records(&stream);
        let sst_at = recs.iter().position(|r| r.1 == RT_SST).expect("SST record");
        let continues = recs[sst_at + 1..]
            .iter()
            .take_while(|r| r.1 == RT_CONTINUE)
            .count();
        assert!(continues > 20, "only {continues} CONTINUE records");
        assert!(recs.iter().all(|r| r.2.len() <= MAX_RECORD_DATA));

        let mut wb = open(write_xls(&[sheet]).expect("write"));
        let range = wb.worksheet_range("字符串").expect("range");
        for (r, c, s) in &expected {
            assert_eq!(
                range.get_value((*r, *c)),
                Some(&Data::String(s.clone())),
                "cell ({r}, {c})"
            );
        }
    }

    /// Decodes the SST by the letter of MS-XLS, independently of calamine:
    /// a string's header and first character share a record, a string cut at
    /// a record boundary resumes after a repeated option byte, and no piece
    /// ends inside a UTF-16 surrogate pair.
    #[test]
    fn sst_continue_layout_follows_the_spec() {
        let mut expected: Vec<String> = (0..4000)
            .map(|i| match i % 3 {
                0 => format!("{i}部门决算收入支出决算总表明细"),
                1 => format!("ascii string number {i} ........"),
                _ => format!("{i}😀𠀀😀"),
            })
            .collect();
        expected.push(String::new());
        expected.push("长".repeat(10_000));
        expected.push("x".repeat(20_000));
        let cells = expected
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let i = u32::try_from(i).unwrap_or(0);
                (i, 0, XlsValue::Text(s.clone()))
            })
            .collect();
        let sheet = XlsSheet {
            name: "s".into(),
            cells,
            ..XlsSheet::default()
        };
        let stream = workbook_stream(&[sheet]).expect("stream");
        let recs = records(&stream);
        let sst_at = recs.iter().position(|r| r.1 == RT_SST).expect("SST");
        let parts: Vec<&[u8]> = std::iter::once(recs[sst_at].2)
            .chain(
                recs[sst_at + 1..]
                    .iter()
                    .take_while(|r| r.1 == RT_CONTINUE)
                    .map(|r| r.2),
            )
            .collect();
        let sst = parts[0];
        let count =
            |at: usize| u32::from_le_bytes([sst[at], sst[at + 1], sst[at + 2], sst[at + 3]]);
        assert_eq!(count(0) as usize, expected.len());
        assert_eq!(count(4) as usize, expected.len());

        let (mut part, mut pos) = (0, 8);
        let mut straddling = 0;
        for want in &expected {
            if pos == parts[part].len() {
                // The string starts afresh in the next CONTINUE record.
                part += 1;
                pos = 0;
            }
            let rec = parts[part];
            let cch = usize::from(u16::from_le_bytes([rec[pos], rec[pos + 1]]));
            let flags = rec[pos + 2];
            assert_eq!(flags & !1, 0, "no rich text / phonetic flags");
            let mut wide = flags & 1 == 1;
            assert_eq!(wide, !want.is_ascii());
            pos += 3;
            if cch > 0 {
                assert!(pos + if wide { 2 } else { 1 } <= rec.len(), "header alone");
            }
            let mut got = String::new();
            let mut left = cch;
            while left > 0 {
                if pos == parts[part].len() {
                    part += 1;
                    let repeated = parts[part][0];
                    assert_eq!(repeated, flags & 1, "repeated option byte");
                    wide = repeated == 1;
                    pos = 1;
                    straddling += 1;
                }
                let rec = parts[part];
                let size = if wide { 2 } else { 1 };
                let n = left.min((rec.len() - pos) / size);
                assert!(n > 0);
                let units: Vec<u16> = rec[pos..pos + n * size]
                    .chunks(size)
                    .map(|c| {
                        if wide {
                            u16::from_le_bytes([c[0], c[1]])
                        } else {
                            u16::from(c[0])
                        }
                    })
                    .collect();
                // Each piece must decode on its own: no split surrogate pair.
                got.push_str(&String::from_utf16(&units).expect("whole characters"));
                pos += n * size;
                left -= n;
            }
            assert_eq!(&got, want);
        }
        assert_eq!(part, parts.len() - 1);
        assert_eq!(pos, parts[part].len());
        assert!(
            straddling >= 5,
            "only {straddling} strings crossed a boundary"
        );
    }

    /// EXTSST entries must point at the string headers they index.
    #[test]
    fn extsst_points_at_string_starts() {
        let strings: Vec<String> = (0..3000).map(|i| format!("字符串{i}号")).collect();
        let cells = strings
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let i = u32::try_from(i).unwrap_or(0);
                (i, 0, XlsValue::Text(s.clone()))
            })
            .collect();
        let sheet = XlsSheet {
            name: "s".into(),
            cells,
            ..XlsSheet::default()
        };
        let stream = workbook_stream(&[sheet]).expect("stream");
        let recs = records(&stream);
        let ext = recs.iter().find(|r| r.1 == RT_EXTSST).expect("EXTSST").2;
        let dsst = usize::from(u16::from_le_bytes([ext[0], ext[1]]));
        assert_eq!(dsst, 3000usize.div_ceil(128));
        let buckets = ext[2..].chunks(8).collect::<Vec<_>>();
        assert_eq!(buckets.len(), 3000usize.div_ceil(dsst));
        for (k, b) in buckets.iter().enumerate() {
            let ib = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
            let cb = usize::from(u16::from_le_bytes([b[4], b[5]]));
            let s = &strings[k * dsst];
            let cch = u16::from_le_bytes([stream[ib], stream[ib + 1]]);
            assert_eq!(usize::from(cch), s.encode_utf16().count());
            assert_eq!(stream[ib + 2], 1, "fHighByte for Chinese text");
            // The record holding the string starts cb bytes before it.
            let rec_start = ib - cb;
            assert!(
                recs.iter()
                    .any(|r| r.0 == rec_start && (r.1 == RT_SST || r.1 == RT_CONTINUE))
            );
        }
    }

    #[test]
    fn many_merges_are_split_over_records() {
        let merges: Vec<_> = (0..3000u32).map(|i| (i, i, 0u16, 1u16)).collect();
        let sheet = XlsSheet {
            name: "合并".into(),
            cells: vec![num(0, 0, 1.0)],
            merges: merges.clone(),
            hidden_rows: vec![],
        };
        let stream = workbook_stream(std::slice::from_ref(&sheet)).expect("stream");
        let merge_records = records(&stream)
            .iter()
            .filter(|r| r.1 == RT_MERGEDCELLS)
            .count();
        assert_eq!(merge_records, 3);

        let wb = open(write_xls(&[sheet]).expect("write"));
        let got: Vec<_> = wb
            .merge_cells_by_sheet_name("合并")
            .expect("merges")
            .into_iter()
            .map(|d| (d.start.0, d.end.0, d.start.1, d.end.1))
            .collect();
        let want: Vec<_> = merges
            .iter()
            .map(|&(a, b, c, d)| (a, b, u32::from(c), u32::from(d)))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn hidden_rows_set_fdyzero_and_sheet_offsets_point_at_bofs() {
        let other = XlsSheet {
            name: "第二页".into(),
            cells: vec![num(1, 1, 2.0)],
            ..XlsSheet::default()
        };
        let stream = workbook_stream(&[sample_sheet(), other]).expect("stream");
        let recs = records(&stream);

        let offsets: Vec<usize> = recs
            .iter()
            .filter(|r| r.1 == RT_BOUNDSHEET8)
            .map(|r| u32::from_le_bytes([r.2[0], r.2[1], r.2[2], r.2[3]]) as usize)
            .collect();
        assert_eq!(offsets.len(), 2);
        for &off in &offsets {
            let rec = recs.iter().find(|r| r.0 == off).expect("record at offset");
            assert_eq!(rec.1, RT_BOF);
            assert_eq!(u16::from_le_bytes([rec.2[0], rec.2[1]]), 0x0600);
            assert_eq!(u16::from_le_bytes([rec.2[2], rec.2[3]]), BOF_WORKSHEET);
        }

        // Rows of the first sheet: 5 (with a cell) and 35 (empty) are hidden.
        let first_sheet_end = offsets[1];
        let hidden: Vec<u16> = recs
            .iter()
            .filter(|r| r.0 < first_sheet_end && r.1 == RT_ROW)
            .filter(|r| u16::from_le_bytes([r.2[12], r.2[13]]) & 0x0020 != 0)
            .map(|r| u16::from_le_bytes([r.2[0], r.2[1]]))
            .collect();
        assert_eq!(hidden, vec![5, 35]);

        // Globals carry the required formatting records.
        assert_eq!(recs.iter().filter(|r| r.1 == RT_XF).count(), 16);
        assert!(recs.iter().any(|r| r.1 == RT_FONT));
        assert!(recs.iter().any(|r| r.1 == RT_STYLE));
        assert!(recs.iter().any(|r| r.1 == RT_WINDOW1));
        let codepage = recs.iter().find(|r| r.1 == RT_CODEPAGE).expect("CODEPAGE");
        assert_eq!(codepage.2, &1200u16.to_le_bytes());
    }

    #[test]
    fn output_is_deterministic_and_a_valid_compound_file() {
        let sheets = [sample_sheet()];
        let a = write_xls(&sheets).expect("write");
        let b = write_xls(&sheets).expect("write");
        assert_eq!(a, b);

        // The Workbook stream inside the container is exactly what was built,
        // and the root entry carries no wall-clock time.
        let mut cf = cfb::CompoundFile::open(Cursor::new(a)).expect("cfb");
        assert!(cf.is_stream("/Workbook"));
        assert_eq!(cf.root_entry().created(), cf.root_entry().modified());
        let mut inner = Vec::new();
        std::io::Read::read_to_end(
            &mut cf.open_stream("/Workbook").expect("stream"),
            &mut inner,
        )
        .expect("read");
        assert_eq!(inner, workbook_stream(&sheets).expect("stream"));
    }

    #[test]
    fn invalid_input_is_an_error() {
        let check = |sheets: &[XlsSheet]| {
            let err = write_xls(sheets).expect_err("must be rejected");
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
        };
        let named = |name: &str| XlsSheet {
            name: name.into(),
            ..XlsSheet::default()
        };
        check(&[]);
        check(&[named("")]);
        check(&[named(&"长".repeat(32))]);
        check(&[named("a/b")]);
        check(&[named("'quoted'")]);
        check(&[named("Data"), named("DATA")]);

        let with = |cells: Vec<(u32, u16, XlsValue)>, merges: Vec<(u32, u32, u16, u16)>| XlsSheet {
            name: "s".into(),
            cells,
            merges,
            hidden_rows: vec![],
        };
        check(&[with(vec![num(65_536, 0, 1.0)], vec![])]);
        check(&[with(vec![num(0, 256, 1.0)], vec![])]);
        check(&[with(vec![num(0, 0, f64::NAN)], vec![])]);
        check(&[with(vec![num(0, 0, f64::INFINITY)], vec![])]);
        check(&[with(vec![num(1, 1, 1.0), text(1, 1, "x")], vec![])]);
        check(&[with(
            vec![(0, 0, XlsValue::Text("x".repeat(32_768)))],
            vec![],
        )]);
        check(&[with(vec![], vec![(2, 1, 0, 0)])]);
        check(&[with(vec![], vec![(0, 0, 3, 3)])]);
        check(&[with(vec![], vec![(0, 2, 0, 2), (2, 3, 2, 4)])]);
        check(&[XlsSheet {
            name: "s".into(),
            hidden_rows: vec![70_000],
            ..XlsSheet::default()
        }]);

        // Boundary values are fine.
        let ok = with(
            vec![
                (0, 0, XlsValue::Text("x".repeat(32_767))),
                num(65_535, 255, 1.0),
            ],
            vec![(0, 2, 0, 2), (3, 3, 0, 2), (65_534, 65_535, 254, 255)],
        );
        assert!(write_xls(&[ok, named(&"长".repeat(31))]).is_ok());
    }
}
