//! Read stage: bytes on disk → sheets of cells, with calamine. The format is
//! sniffed from the content, not trusted from the extension (WPS writes
//! `.xlsx` content under `.xls` names, web systems export HTML as `.xls`),
//! and the reasons a file cannot be read are told apart for the report.
//!
//! What one file may cost is bounded ([`Limits`]): a damaged or crafted
//! workbook is refused with a message before it can exhaust memory, and a
//! slow one is abandoned, so that one file never stalls or kills a batch.

use calamine::{DataRef, Dimensions, Reader, Sheets, Xls, Xlsx, XlsxError};
use std::io::Cursor;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::ingest::grid::Grid;
use crate::text::a1;

/// What one workbook may cost before it is refused. A final-account table
/// has a few thousand cells and its workbook unpacks to a few hundred KB;
/// the bounds leave real exports three orders of magnitude of room.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Values (non-empty cells) in one sheet; a sheet with more is refused
    /// as soon as it has more, before the rest is read.
    pub sheet_values: usize,
    /// Cells of the rectangle a sheet's values span (rows × columns): what
    /// the sheet's grid holds in memory. Two stray values at A1 and
    /// XFD1048576 span 17 billion cells.
    pub sheet_cells: u64,
    /// Bytes an `.xlsx` declares its parts unpack to, all parts together
    /// (the zip reader stops any part at its declared size, so a zip bomb
    /// cannot exceed what it declares).
    pub unpacked_bytes: u64,
    /// Wall time for one file, checked before each sheet and every 65,536
    /// cells of an `.xlsx` sheet.
    pub file_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            sheet_values: 2_000_000,
            sheet_cells: 1 << 22,
            unpacked_bytes: 512 << 20,
            file_time: Duration::from_secs(60),
        }
    }
}

/// The rectangle a sheet's values span, and how many there are.
#[derive(Debug, Default)]
struct Extent {
    values: usize,
    /// (first row, last row, first column, last column), 0-based.
    bounds: Option<(u32, u32, u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        self.values += 1;
        self.bounds = Some(match self.bounds {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn cells(&self) -> u64 {
        self.bounds.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }

    /// Why a sheet this size is refused, if it is.
    fn refusal(&self, limits: &Limits) -> Option<String> {
        if self.values > limits.sheet_values {
            return Some(format!(
                "more than {} values in one sheet (limit of juesuan's reader); \
                 split the sheet or remove what is not part of the table",
                limits.sheet_values
            ));
        }
        let (r0, r1, c0, c1) = self.bounds?;
        (self.cells() > limits.sheet_cells).then(|| {
            format!(
                "its {} values span {}:{} ({} cells), beyond the limit of {} cells; \
                 delete the stray cells far from the table",
                self.values,
                a1(r0, c0),
                a1(r1, c1),
                self.cells(),
                limits.sheet_cells
            )
        })
    }
}

/// One worksheet as read: its cells and, where the format gives them for
/// free, its merged regions (`.xls`; for `.xlsx` calamine would parse the
/// sheet XML a second time, so headers use a fill rule instead).
pub struct Sheet<'a> {
    pub name: &'a str,
    /// `None` when the sheet has no cells.
    pub grid: Option<Grid<'a>>,
    pub merges: Vec<Dimensions>,
}

/// A sheet that could not be read, inside a workbook that could.
pub struct SheetError {
    pub name: String,
    pub message: String,
}

/// A workbook open for reading. Its sheets are read one at a time and
/// handed on while the workbook lends them its shared strings, rather than
/// copied into sheets that outlive it.
pub struct Book {
    book: Sheets<Cursor<Vec<u8>>>,
    names: Vec<String>,
    limits: Limits,
    /// When the file's time is up: its opening plus [`Limits::file_time`].
    deadline: Instant,
}

impl Book {
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// Reads every sheet in workbook order, handing each to `each`, or the
    /// reason it cannot be read. Stops with [`ReadError::TimeLimit`] when
    /// the file's time is up: what was handed on is then incomplete.
    pub fn read_sheets(
        &mut self,
        mut each: impl FnMut(Result<&Sheet<'_>, SheetError>),
    ) -> Result<(), ReadError> {
        let Book {
            book,
            names,
            limits,
            deadline,
        } = self;
        let out_of_time = |sheet: &str| ReadError::TimeLimit {
            seconds: limits.file_time.as_secs_f64(),
            sheet: sheet.to_string(),
        };
        for name in names.iter() {
            if Instant::now() > *deadline {
                return Err(out_of_time(name));
            }
            let sheet_error = |message| SheetError {
                name: name.clone(),
                message,
            };
            match book {
                Sheets::Xlsx(xlsx) => match xlsx_values(xlsx, name, limits, *deadline) {
                    Ok(values) => each(Ok(&Sheet {
                        name,
                        grid: Grid::from_sparse(&values),
                        merges: Vec::new(),
                    })),
                    Err(SheetFailure::Reader(e)) => {
                        each(Err(sheet_error(calamine::Error::Xlsx(e).to_string())))
                    }
                    Err(SheetFailure::TooLarge(why)) => {
                        each(Err(sheet_error(format!("sheet refused: {why}"))))
                    }
                    Err(SheetFailure::OutOfTime) => return Err(out_of_time(name)),
                },
                Sheets::Xls(xls) => match xls.worksheet_range(name) {
                    Ok(range) => each(Ok(&Sheet {
                        name,
                        grid: Grid::new(&range),
                        merges: xls.merge_cells_by_sheet_name(name).unwrap_or_default(),
                    })),
                    Err(e) => each(Err(sheet_error(calamine::Error::Xls(e).to_string()))),
                },
                // Only the two formats above are ever opened.
                _ => each(Err(sheet_error("unsupported workbook format".into()))),
            }
        }
        Ok(())
    }
}

/// Why an `.xlsx` sheet was not read.
enum SheetFailure {
    Reader(XlsxError),
    TooLarge(String),
    OutOfTime,
}

/// A value with its 0-based (row, col).
type Positioned<'a> = ((u32, u32), DataRef<'a>);

/// The non-empty values of an `.xlsx` sheet with their positions, shared
/// strings borrowed: what calamine's `worksheet_range` reads before it
/// copies every string into a range of its own. Refused as soon as the
/// sheet holds more values than the limit, and when they span more cells.
fn xlsx_values<'a>(
    xlsx: &'a mut Xlsx<Cursor<Vec<u8>>>,
    name: &str,
    limits: &Limits,
    deadline: Instant,
) -> Result<Vec<Positioned<'a>>, SheetFailure> {
    let mut reader = match xlsx.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or the like: no cells, as calamine's ranges have it.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(SheetFailure::Reader(e)),
    };
    let mut values = Vec::new();
    let mut extent = Extent::default();
    let mut cells_read: u32 = 0;
    while let Some(cell) = reader.next_cell().map_err(SheetFailure::Reader)? {
        cells_read = cells_read.wrapping_add(1);
        if cells_read.is_multiple_of(65_536) && Instant::now() > deadline {
            return Err(SheetFailure::OutOfTime);
        }
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, col) = cell.get_position();
        extent.add(row, col);
        if extent.values > limits.sheet_values {
            return Err(SheetFailure::TooLarge(
                extent.refusal(limits).unwrap_or_default(),
            ));
        }
        values.push(((row, col), cell.get_value().clone()));
    }
    match extent.refusal(limits) {
        Some(why) => Err(SheetFailure::TooLarge(why)),
        None => Ok(values),
    }
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    Io(String),
    PasswordProtected,
    Corrupt(String),
    NotAWorkbook(String),
    Empty,
    /// Beyond one of the [`Limits`].
    TooLarge(String),
    /// [`Limits::file_time`] ran out while reading `sheet`.
    TimeLimit {
        seconds: f64,
        sheet: String,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read file: {e}"),
            ReadError::PasswordProtected => {
                write!(
                    f,
                    "workbook is password-protected (encrypted); save it without a password"
                )
            }
            ReadError::Corrupt(e) => write!(f, "corrupt or truncated workbook: {e}"),
            ReadError::NotAWorkbook(what) => write!(f, "not an Excel workbook ({what})"),
            ReadError::Empty => write!(f, "workbook has no sheets"),
            ReadError::TooLarge(why) => write!(f, "workbook refused: {why}"),
            ReadError::TimeLimit { seconds, sheet } => write!(
                f,
                "reading took longer than the {seconds} s allowed per file (--file-time-limit), \
                 at sheet {sheet:?}; nothing from this file is used"
            ),
        }
    }
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What the first bytes say the file is.
fn sniff(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::NotAWorkbook("empty file".into()));
    }
    if bytes.starts_with(b"PK") {
        return Ok(());
    }
    if bytes.starts_with(&CFB_MAGIC) {
        // An encrypted .xlsx is an OLE container holding the encrypted package.
        if let Ok(container) = cfb::CompoundFile::open(Cursor::new(bytes))
            && (container.exists("/EncryptedPackage") || container.exists("/EncryptionInfo"))
        {
            return Err(ReadError::PasswordProtected);
        }
        return Ok(());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    if head.contains("<html") || head.contains("<table") || head.contains("<!doctype") {
        return Err(ReadError::NotAWorkbook(
            "HTML page saved with an Excel extension".into(),
        ));
    }
    Err(ReadError::NotAWorkbook(
        "unknown content: neither OOXML (zip) nor BIFF (OLE)".into(),
    ))
}

/// Opens a workbook held in memory; its time starts now.
pub fn open_bytes(bytes: Vec<u8>, limits: &Limits) -> Result<Book, ReadError> {
    let deadline = Instant::now() + limits.file_time;
    sniff(&bytes)?;
    // Open by the sniffed format: calamine's auto-detection would copy the
    // bytes for each format it tries.
    let book = if bytes.starts_with(b"PK") {
        let mut bytes = bytes;
        for part in check_parts(&bytes, limits)? {
            hide_part(&mut bytes, part);
        }
        Sheets::Xlsx(Xlsx::new(Cursor::new(bytes)).map_err(|e| classify(calamine::Error::Xlsx(e)))?)
    } else {
        check_xls_extent(&bytes, limits)?;
        Sheets::Xls(Xls::new(Cursor::new(bytes)).map_err(|e| classify(calamine::Error::Xls(e)))?)
    };
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(Book {
        book,
        names,
        limits: limits.clone(),
        deadline,
    })
}

/// Opens a workbook on disk.
pub fn open_path(path: &Path, limits: &Limits) -> Result<Book, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io(e.to_string()))?;
    open_bytes(bytes, limits)
}

/// calamine's open errors, told apart for the user.
fn classify(error: calamine::Error) -> ReadError {
    let text = error.to_string();
    let lower = text.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        ReadError::PasswordProtected
    } else {
        ReadError::Corrupt(text)
    }
}

/// Reads the central directory once, for two things. A zip bomb is
/// refused there, before anything is unpacked: what the parts declare
/// they unpack to must stay within [`Limits::unpacked_bytes`]. The declared
/// sizes can be trusted as a bound because the zip reader stops every part
/// at its declared size.
///
/// Returns where the central directory describes the parts juesuan does
/// not need calamine to read ([`is_unused_part`]), for [`hide_part`].
fn check_parts(bytes: &[u8], limits: &Limits) -> Result<Vec<usize>, ReadError> {
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(Vec::new()); // calamine reports what is wrong with the zip
    };
    let mut total: u64 = 0;
    let mut largest = (0, String::new());
    let mut unused = Vec::new();
    for index in 0..archive.len() {
        let Ok(part) = archive.by_index_data(index) else {
            continue;
        };
        if part.name().is_ok_and(|name| is_unused_part(&name))
            && let Ok(at) = usize::try_from(part.central_header_start())
        {
            unused.push(at);
        }
        total = total.saturating_add(part.size());
        if part.size() > largest.0 {
            largest = (part.size(), part.name().unwrap_or_default().to_string());
        }
    }
    if total > limits.unpacked_bytes {
        return Err(ReadError::TooLarge(format!(
            "its parts unpack to {total} bytes from a {}-byte file (largest: {} with {} bytes), \
             beyond the limit of {} bytes: a damaged file or a zip bomb",
            bytes.len(),
            largest.1,
            largest.0,
            limits.unpacked_bytes
        )));
    }
    Ok(unused)
}

/// The parts of an `.xlsx` that calamine reads when it opens the file but
/// whose content juesuan never uses: the styles, from which calamine tells
/// date-formatted numbers from the others and which it resolves against
/// the theme's colours. A date's cell is read as its serial number either
/// way ([`crate::ingest::grid`]), and no colour or font is used. Parsing the two
/// was 3.7 % of `ingest`'s CPU at 5,040 workbooks (perf), for nothing.
fn is_unused_part(name: &str) -> bool {
    const THEMES: &str = "xl/theme/";
    name.eq_ignore_ascii_case("xl/styles.xml")
        || name
            .get(..THEMES.len())
            .is_some_and(|folder| folder.eq_ignore_ascii_case(THEMES))
}

/// Renames the part whose central directory entry starts at `at` (its
/// first letter becomes `~`), so that calamine, which finds parts by name,
/// finds it missing and goes on as for a workbook without it. Only the
/// central directory is touched; the part's bytes stay where they are.
/// Left alone when the entry is not where the zip reader said it is.
fn hide_part(bytes: &mut [u8], at: usize) {
    const CENTRAL_HEADER: [u8; 4] = *b"PK\x01\x02";
    const NAME_LENGTH: usize = 28;
    const NAME: usize = 46;
    let Some(header) = bytes.get(at..at + NAME) else {
        return;
    };
    let name_length = u16::from_le_bytes([header[NAME_LENGTH], header[NAME_LENGTH + 1]]);
    if header[..4] != CENTRAL_HEADER || name_length == 0 {
        return;
    }
    bytes[at + NAME] = b'~';
}

/// calamine reads every sheet of an `.xls` when it opens the file, into a
/// range spanning the sheet's cells, and reserves room for what the
/// sheet's DIMENSIONS record declares. A damaged record (the fuzzer found
/// one-byte flips asking for 3.5 PB and 96 GB, which abort the process)
/// is refused here, before calamine sees the file: the BIFF records of
/// every sheet are walked as calamine walks them and each sheet's extent
/// held to the [`Limits`].
fn check_xls_extent(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    use std::io::Read;
    let Ok(mut container) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Ok(()); // calamine reports what is wrong with the container
    };
    let mut stream = match container.open_stream("/Workbook") {
        Ok(s) => s,
        Err(_) => match container.open_stream("/Book") {
            Ok(s) => s,
            Err(_) => return Ok(()),
        },
    };
    let mut data = Vec::new();
    if stream.read_to_end(&mut data).is_err() {
        return Ok(());
    }
    const BOF: u16 = 0x0809;
    const EOF: u16 = 0x000A;
    const BOUNDSHEET: u16 = 0x0085;
    const DIMENSIONS: u16 = 0x0200;
    // The workbook globals name where each sheet's records start.
    let sheet_starts: Vec<usize> = biff_records(&data, 0)
        .take_while(|(kind, _)| *kind != EOF)
        .filter(|(kind, body)| *kind == BOUNDSHEET && body.len() >= 4)
        .map(|(_, body)| u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize)
        .collect();
    for (sheet, start) in sheet_starts.into_iter().enumerate() {
        let mut extent = Extent::default();
        // Embedded substreams (charts) are skipped, as calamine does.
        let mut depth = 0usize;
        for (kind, body) in biff_records(&data, start) {
            match kind {
                BOF => depth += 1,
                EOF if depth <= 1 => break,
                EOF => depth -= 1,
                _ if depth > 1 => {}
                DIMENSIONS => check_dimensions(body)?,
                _ => add_cells(kind, body, &mut extent),
            }
        }
        if let Some(why) = extent.refusal(limits) {
            return Err(ReadError::TooLarge(format!("sheet {}: {why}", sheet + 1)));
        }
    }
    Ok(())
}

/// The BIFF records of a stream from `start`: (type, body), CONTINUE
/// records left out (calamine appends them to the record before), ending
/// where the stream ends or is cut short.
fn biff_records(data: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    const CONTINUE: u16 = 0x003C;
    let mut at = start;
    std::iter::from_fn(move || {
        let head = data.get(at..at + 4)?;
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let body = data.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((kind, body))
    })
    .filter(|(kind, _)| *kind != CONTINUE)
}

/// BIFF8 sheets have at most 65,536 rows and 256 columns; calamine reserves
/// what DIMENSIONS declares.
fn check_dimensions(body: &[u8]) -> Result<(), ReadError> {
    if body.len() < 12 {
        return Ok(());
    }
    let u32_at = |i: usize| u32::from_le_bytes([body[i], body[i + 1], body[i + 2], body[i + 3]]);
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([body[i], body[i + 1]]));
    let (first_row, last_row) = (u32_at(0), u32_at(4));
    let (first_col, last_col) = (u16_at(8), u16_at(10));
    if last_row > 65_536 || last_col > 256 || first_row > last_row || first_col > last_col {
        return Err(ReadError::Corrupt(format!(
            "a sheet declares rows {first_row}–{last_row} and columns {first_col}–{last_col}, \
             beyond what .xls allows (65,536 rows × 256 columns): the file is damaged"
        )));
    }
    Ok(())
}

/// The cells a BIFF cell record puts on the sheet, as calamine reads them.
fn add_cells(kind: u16, body: &[u8], extent: &mut Extent) {
    const FORMULA: u16 = 0x0006;
    const RSTRING: u16 = 0x00D6;
    const LABELSST: u16 = 0x00FD;
    const NUMBER: u16 = 0x0203;
    const LABEL: u16 = 0x0204;
    const BOOLERR: u16 = 0x0205;
    const RK: u16 = 0x027E;
    const MULRK: u16 = 0x00BD;
    if body.len() < 6 {
        return;
    }
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([body[i], body[i + 1]]));
    let (row, col) = (u16_at(0), u16_at(2));
    match kind {
        FORMULA | RSTRING | LABELSST | NUMBER | LABEL | BOOLERR | RK => extent.add(row, col),
        MULRK => {
            let last = u16_at(body.len() - 2);
            if last >= col {
                extent.add(row, col);
            }
            if last > col {
                extent.add(row, last);
                extent.values += (last - col - 1) as usize;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(bytes: Vec<u8>) -> Result<Book, ReadError> {
        open_bytes(bytes, &Limits::default())
    }

    #[test]
    fn html_and_garbage_are_not_workbooks() {
        assert!(matches!(
            open(b"<html><table><tr><td>1</td></tr></table></html>".to_vec()),
            Err(ReadError::NotAWorkbook(_))
        ));
        assert!(matches!(
            open(vec![1, 2, 3, 4]),
            Err(ReadError::NotAWorkbook(_))
        ));
        assert!(matches!(open(Vec::new()), Err(ReadError::NotAWorkbook(_))));
    }

    #[test]
    fn truncated_zip_is_corrupt() {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0u8; 40]);
        assert!(matches!(open(bytes), Err(ReadError::Corrupt(_))));
    }

    /// A workbook with a date-formatted number, a percentage and text, as
    /// the export tools write them (styles and theme parts included).
    fn styled_workbook() -> Vec<u8> {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let percent = Format::new().set_num_format("0.00%").set_bold();
        let when = ExcelDateTime::from_ymd(2023, 12, 31).expect("a date");
        sheet.write_string(0, 0, "编制单位：某局").expect("written");
        sheet
            .write_datetime_with_format(1, 0, &when, &date)
            .expect("written");
        sheet
            .write_number_with_format(1, 1, 0.125, &percent)
            .expect("written");
        sheet.write_number(2, 1, 616_200.0).expect("written");
        book.save_to_buffer().expect("saved")
    }

    fn owned(cell: crate::ingest::grid::Cell<'_>) -> (Option<String>, Option<f64>) {
        match cell {
            crate::ingest::grid::Cell::Text(t) => (Some(t.to_string()), None),
            crate::ingest::grid::Cell::Number(n) => (None, Some(n)),
            _ => (None, None),
        }
    }

    #[test]
    fn unused_parts_are_the_styles_and_the_themes_whatever_their_case() {
        for name in [
            "xl/styles.xml",
            "XL/Styles.xml",
            "xl/theme/theme1.xml",
            "xl/Theme/t.xml",
        ] {
            assert!(is_unused_part(name), "{name}");
        }
        for name in [
            "xl/sharedStrings.xml",
            "xl/worksheets/sheet1.xml",
            "xl/theme",
            "xl/",
        ] {
            assert!(!is_unused_part(name), "{name}");
        }
    }

    #[test]
    fn styles_and_theme_are_hidden_from_calamine_and_cells_read_the_same() {
        let bytes = styled_workbook();
        let unused = check_parts(&bytes, &Limits::default()).expect("within limits");
        assert_eq!(unused.len(), 2, "xl/styles.xml and xl/theme/theme1.xml");
        let mut hidden = bytes.clone();
        for part in unused {
            hide_part(&mut hidden, part);
        }
        let names: Vec<String> = zip::ZipArchive::new(Cursor::new(&hidden))
            .expect("still a zip")
            .file_names()
            .filter_map(|name| Some(name.ok()?.into_owned()))
            .collect();
        assert!(names.iter().all(|n| !is_unused_part(n)), "{names:?}");
        assert!(names.contains(&"~l/styles.xml".to_string()), "{names:?}");

        // calamine, given every part, sees a date; juesuan reads its serial
        // number, the same as calamine gives without the styles.
        let mut full = Xlsx::new(Cursor::new(bytes.clone())).expect("opens");
        let range = full.worksheet_range("Sheet1").expect("reads");
        assert!(matches!(
            range.get((1, 0)),
            Some(calamine::Data::DateTime(_))
        ));
        let mut book = open(bytes).expect("opens");
        // What calamine gives juesuan: without the styles, a plain number.
        let Sheets::Xlsx(xlsx) = &mut book.book else {
            panic!("opened as .xlsx")
        };
        let far = Instant::now() + Duration::from_secs(60);
        let values = xlsx_values(xlsx, "Sheet1", &Limits::default(), far).ok();
        let date = values.iter().flatten().find(|(at, _)| *at == (1, 0));
        assert!(matches!(date, Some((_, DataRef::Float(_)))), "{date:?}");
        let mut cells = Vec::new();
        book.read_sheets(|sheet| {
            let Ok(sheet) = sheet else {
                panic!("the sheet is not read")
            };
            let grid = sheet.grid.as_ref().expect("cells");
            for row in grid.rows() {
                for col in grid.cols() {
                    cells.push(((row, col), owned(grid.cell(row, col))));
                }
            }
        })
        .expect("read");
        let serial = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 12, 31)
            .expect("a date")
            .to_excel();
        assert_eq!(
            cells,
            vec![
                ((0, 0), Some("编制单位：某局".to_string()), None),
                ((0, 1), None, None),
                ((1, 0), None, Some(serial)),
                ((1, 1), None, Some(0.125)),
                ((2, 0), None, None),
                ((2, 1), None, Some(616_200.0)),
            ]
            .into_iter()
            .map(|(at, text, number)| (at, (text, number)))
            .collect::<Vec<_>>()
        );
    }

    #[test]
    fn extent_counts_values_and_the_cells_they_span() {
        let mut extent = Extent::default();
        extent.add(0, 0);
        extent.add(1_048_575, 16_383);
        assert_eq!(extent.cells(), 1_048_576 * 16_384);
        let limits = Limits::default();
        let why = extent.refusal(&limits).expect("refused");
        assert!(why.contains("A1:XFD1048576"), "{why}");
        let small = Limits {
            sheet_values: 1,
            sheet_cells: u64::MAX,
            ..Limits::default()
        };
        assert!(
            extent
                .refusal(&small)
                .expect("refused")
                .contains("more than 1 values")
        );
        let mut table = Extent::default();
        table.add(3, 1);
        table.add(40, 12);
        assert_eq!(table.cells(), 38 * 12);
        assert!(table.refusal(&limits).is_none());
    }
}
