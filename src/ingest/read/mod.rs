//! Read stage: bytes on disk → sheets of cells, with calamine. The format is
//! sniffed from the content, not trusted from the extension (WPS writes
//! `.xlsx` content under `.xls` names, web systems export HTML as `.xls`),
//! and the reasons a file cannot be read are told apart for the report.
//!
//! What one file may cost is bounded ([`Limits`]): a damaged or crafted
//! workbook is refused with a message before it can exhaust memory, and a
//! slow one is abandoned, so that one file never stalls or kills a batch.

pub(crate) mod html;
pub(crate) mod spreadsheetml;
mod xls;
mod xlsx;

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

/// One worksheet as read: its cells and its merged regions.
pub struct Sheet<'a> {
    pub name: &'a str,
    /// `None` when the sheet has no cells.
    pub grid: Option<Grid<'a>>,
    /// The merged regions, `None` when the file does not say (an `.xlsx`
    /// whose archive could not be re-packed, `xlsx::prepare`).
    pub merges: Option<Vec<Dimensions>>,
    /// Cells with a formula whose result the file does not hold
    /// (`.xlsx` only; [`xlsx::SheetXml`]).
    pub unsaved_formulas: Vec<(u32, u32)>,
    /// Hidden in the workbook (`.xlsx` and `.xls`).
    pub hidden: bool,
}

/// Where a workbook's sheets come from. One per open file, so the size of
/// calamine's reader beside a vector does not matter.
#[allow(clippy::large_enum_variant)]
enum Source {
    /// `.xlsx` and `.xls`, read by calamine sheet by sheet.
    Calamine(Sheets<Cursor<Vec<u8>>>),
    /// HTML and SpreadsheetML, parsed whole when opened.
    Parsed(Vec<ParsedSheet>),
}

/// A sheet of a workbook juesuan parses itself ([`html`], [`spreadsheetml`]).
pub(crate) struct ParsedSheet {
    pub name: String,
    pub cells: Vec<((u32, u32), ParsedValue)>,
    pub merges: Vec<Dimensions>,
}

pub(crate) enum ParsedValue {
    Text(String),
    Number(f64),
}

impl ParsedSheet {
    /// The sheet's values as calamine hands them on, refused as an
    /// `.xlsx` sheet is beyond the limits.
    fn values(&self, limits: &Limits) -> Result<Vec<Positioned<'_>>, String> {
        let mut extent = Extent::default();
        let values: Vec<Positioned<'_>> = self
            .cells
            .iter()
            .map(|(at, value)| {
                extent.add(at.0, at.1);
                let value = match value {
                    ParsedValue::Text(t) => DataRef::SharedString(t.as_str()),
                    ParsedValue::Number(n) => DataRef::Float(*n),
                };
                (*at, value)
            })
            .collect();
        match extent.refusal(limits) {
            Some(why) => Err(why),
            None => Ok(values),
        }
    }
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
    book: Source,
    /// An `.xlsx`'s merged regions by sheet ([`xlsx::Prepared`]); `None`
    /// when unknown.
    xlsx_merges: Option<xlsx::Merges>,
    names: Vec<String>,
    /// The sheets the workbook hides.
    hidden: Vec<String>,
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
            xlsx_merges,
            names,
            hidden,
            limits,
            deadline,
        } = self;
        let out_of_time = |sheet: &str| ReadError::TimeLimit {
            seconds: limits.file_time.as_secs_f64(),
            sheet: sheet.to_string(),
        };
        for name in names.iter() {
            let hidden = hidden.contains(name);
            if Instant::now() > *deadline {
                return Err(out_of_time(name));
            }
            let sheet_error = |message| SheetError {
                name: name.clone(),
                message,
            };
            let book = match book {
                Source::Calamine(book) => book,
                Source::Parsed(sheets) => {
                    let Some(parsed) = sheets.iter().find(|s| s.name == *name) else {
                        continue;
                    };
                    match parsed.values(limits) {
                        Ok(values) => each(Ok(&Sheet {
                            name,
                            grid: Grid::from_sparse(&values),
                            merges: Some(parsed.merges.clone()),
                            unsaved_formulas: Vec::new(),
                            hidden,
                        })),
                        Err(why) => each(Err(sheet_error(format!("sheet refused: {why}")))),
                    }
                    continue;
                }
            };
            match book {
                Sheets::Xlsx(xlsx) => {
                    // Read with the sheet's cells when the archive was re-packed.
                    let xml = xlsx_merges
                        .as_mut()
                        .map(|m| m.remove(name).unwrap_or_default());
                    let (merges, unsaved_formulas) = match xml {
                        Some(xml) => (Some(xml.merges), xml.unsaved_formulas),
                        None => (None, Vec::new()),
                    };
                    match xlsx_values(xlsx, name, limits, *deadline) {
                        Ok(values) => each(Ok(&Sheet {
                            name,
                            grid: Grid::from_sparse(&values),
                            merges,
                            unsaved_formulas,
                            hidden,
                        })),
                        Err(SheetFailure::Reader(e)) => {
                            each(Err(sheet_error(calamine::Error::Xlsx(e).to_string())))
                        }
                        Err(SheetFailure::TooLarge(why)) => {
                            each(Err(sheet_error(format!("sheet refused: {why}"))))
                        }
                        Err(SheetFailure::OutOfTime) => return Err(out_of_time(name)),
                    }
                }
                Sheets::Xls(xls) => match xls.worksheet_range(name) {
                    Ok(range) => each(Ok(&Sheet {
                        name,
                        grid: Grid::new(&range),
                        merges: Some(xls.merge_cells_by_sheet_name(name).unwrap_or_default()),
                        unsaved_formulas: Vec::new(),
                        hidden,
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

/// What a file's content is, whatever its extension says.
enum Format {
    Xlsx,
    Xls,
    Html,
    SpreadsheetMl,
}

/// What the first bytes say the file is.
fn sniff(bytes: &[u8]) -> Result<Format, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::NotAWorkbook("empty file".into()));
    }
    if bytes.starts_with(b"PK") {
        return Ok(Format::Xlsx);
    }
    if bytes.starts_with(&CFB_MAGIC) {
        // An encrypted .xlsx is an OLE container holding the encrypted package.
        if let Ok(container) = cfb::CompoundFile::open(Cursor::new(bytes))
            && (container.exists("/EncryptedPackage") || container.exists("/EncryptionInfo"))
        {
            return Err(ReadError::PasswordProtected);
        }
        return Ok(Format::Xls);
    }
    let head = &bytes[..bytes.len().min(4096)];
    if spreadsheetml::is_spreadsheetml(head) {
        return Ok(Format::SpreadsheetMl);
    }
    if html::is_html(head) {
        return Ok(Format::Html);
    }
    Err(ReadError::NotAWorkbook(
        "unknown content: neither OOXML (zip), BIFF (OLE), an HTML table nor SpreadsheetML".into(),
    ))
}

/// Opens a workbook held in memory; its time starts now.
pub fn open_bytes(bytes: Vec<u8>, limits: &Limits) -> Result<Book, ReadError> {
    let deadline = Instant::now() + limits.file_time;
    // Open by the sniffed format: calamine's auto-detection would copy the
    // bytes for each format it tries.
    let (book, xlsx_merges) = match sniff(&bytes)? {
        Format::Xlsx => {
            let prepared = xlsx::prepare(bytes, limits)?;
            let book = Xlsx::new(Cursor::new(prepared.bytes))
                .map_err(|e| classify(calamine::Error::Xlsx(e)))?;
            (Source::Calamine(Sheets::Xlsx(book)), prepared.merges)
        }
        Format::Xls => {
            xls::check_xls_extent(&bytes, limits)?;
            let book =
                Xls::new(Cursor::new(bytes)).map_err(|e| classify(calamine::Error::Xls(e)))?;
            (Source::Calamine(Sheets::Xls(book)), None)
        }
        Format::Html => (Source::Parsed(vec![html::parse(&bytes)]), None),
        Format::SpreadsheetMl => {
            let sheets = spreadsheetml::parse(&bytes).map_err(|e| {
                ReadError::Corrupt(format!(
                    "SpreadsheetML (Excel 2003 XML) that cannot be read: {e}"
                ))
            })?;
            (Source::Parsed(sheets), None)
        }
    };
    let hidden = match &book {
        Source::Calamine(book) => (book.sheets_metadata().iter())
            .filter(|s| s.visible != calamine::SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect(),
        Source::Parsed(_) => Vec::new(),
    };
    let names = match &book {
        Source::Calamine(book) => book.sheet_names(),
        Source::Parsed(sheets) => sheets.iter().map(|s| s.name.clone()).collect(),
    };
    if names.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(Book {
        book,
        xlsx_merges,
        names,
        hidden,
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

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::DataRef;
    use std::time::Duration;

    fn open(bytes: Vec<u8>) -> Result<Book, ReadError> {
        open_bytes(bytes, &Limits::default())
    }

    #[test]
    fn html_and_spreadsheetml_are_workbooks_and_garbage_is_not() {
        let html = open(b"<html><table><tr><td>1</td></tr></table></html>".to_vec());
        assert_eq!(html.expect("read").sheet_names(), ["Sheet1"]);
        let xml = br#"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="A"><Table/></Worksheet></Workbook>"#;
        assert_eq!(open(xml.to_vec()).expect("read").sheet_names(), ["A"]);
        let broken = br#"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet></Table>"#;
        assert!(matches!(open(broken.to_vec()), Err(ReadError::Corrupt(_))));
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
        sheet
            .merge_range(3, 0, 4, 1, "公务接待费", &Format::new())
            .expect("merged");
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
    fn styles_and_theme_are_hidden_from_calamine_and_cells_read_the_same() {
        let bytes = styled_workbook();
        let prepared = xlsx::prepare(bytes.clone(), &Limits::default()).expect("within limits");
        assert!(prepared.merges.is_some());
        let names: Vec<String> = zip::ZipArchive::new(Cursor::new(&prepared.bytes))
            .expect("still a zip")
            .file_names()
            .filter_map(|name| Some(name.ok()?.into_owned()))
            .collect();
        assert!(
            !names
                .iter()
                .any(|n| n == "xl/styles.xml" || n.starts_with("xl/theme/")),
            "{names:?}"
        );
        assert!(
            names.contains(&"xl/worksheets/sheet1.xml".to_string()),
            "{names:?}"
        );

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
        let Source::Calamine(Sheets::Xlsx(xlsx)) = &mut book.book else {
            panic!("opened as .xlsx")
        };
        let far = Instant::now() + Duration::from_secs(60);
        let values = xlsx_values(xlsx, "Sheet1", &Limits::default(), far).ok();
        let date = values.iter().flatten().find(|(at, _)| *at == (1, 0));
        assert!(matches!(date, Some((_, DataRef::Float(_)))), "{date:?}");
        let mut cells = Vec::new();
        let mut merges = None;
        book.read_sheets(|sheet| {
            let Ok(sheet) = sheet else {
                panic!("the sheet is not read")
            };
            merges = sheet.merges.clone();
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
                ((3, 0), Some("公务接待费".to_string()), None),
                ((3, 1), None, None),
            ]
            .into_iter()
            .map(|(at, text, number)| (at, (text, number)))
            .collect::<Vec<_>>()
        );
        let merged = calamine::Dimensions {
            start: (3, 0),
            end: (4, 1),
        };
        assert_eq!(
            merges,
            Some(vec![merged]),
            "the merged region comes with the cells"
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
