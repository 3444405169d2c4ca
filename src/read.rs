//! Read stage: bytes on disk → sheets of cells, with calamine. The format is
//! sniffed from the content, not trusted from the extension (WPS writes
//! `.xlsx` content under `.xls` names, web systems export HTML as `.xls`),
//! and the reasons a file cannot be read are told apart for the report.

use calamine::{DataRef, Dimensions, Reader, Sheets, Xls, Xlsx, XlsxError};
use std::io::Cursor;
use std::path::Path;

use crate::grid::Grid;

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
}

impl Book {
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// Reads every sheet in workbook order, handing each to `each`, or the
    /// reason it cannot be read.
    pub fn read_sheets(&mut self, mut each: impl FnMut(Result<&Sheet<'_>, SheetError>)) {
        let Book { book, names } = self;
        for name in names.iter() {
            match book {
                Sheets::Xlsx(xlsx) => match xlsx_values(xlsx, name) {
                    Ok(values) => each(Ok(&Sheet {
                        name,
                        grid: Grid::from_sparse(&values),
                        merges: Vec::new(),
                    })),
                    Err(e) => each(Err(SheetError {
                        name: name.clone(),
                        message: calamine::Error::Xlsx(e).to_string(),
                    })),
                },
                Sheets::Xls(xls) => match xls.worksheet_range(name) {
                    Ok(range) => each(Ok(&Sheet {
                        name,
                        grid: Grid::new(&range),
                        merges: xls.merge_cells_by_sheet_name(name).unwrap_or_default(),
                    })),
                    Err(e) => each(Err(SheetError {
                        name: name.clone(),
                        message: calamine::Error::Xls(e).to_string(),
                    })),
                },
                // Only the two formats above are ever opened.
                _ => each(Err(SheetError {
                    name: name.clone(),
                    message: "unsupported workbook format".into(),
                })),
            }
        }
    }
}

/// A value with its 0-based (row, col).
type Positioned<'a> = ((u32, u32), DataRef<'a>);

/// The non-empty values of an `.xlsx` sheet with their positions, shared
/// strings borrowed: what calamine's `worksheet_range` reads before it
/// copies every string into a range of its own.
fn xlsx_values<'a>(
    xlsx: &'a mut Xlsx<Cursor<Vec<u8>>>,
    name: &str,
) -> Result<Vec<Positioned<'a>>, XlsxError> {
    let mut reader = match xlsx.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or the like: no cells, as calamine's ranges have it.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut values = Vec::new();
    while let Some(cell) = reader.next_cell()? {
        if !matches!(cell.get_value(), DataRef::Empty) {
            values.push((cell.get_position(), cell.get_value().clone()));
        }
    }
    Ok(values)
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    Io(String),
    PasswordProtected,
    Corrupt(String),
    NotAWorkbook(String),
    Empty,
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

/// Opens a workbook held in memory.
pub fn open_bytes(bytes: Vec<u8>) -> Result<Book, ReadError> {
    sniff(&bytes)?;
    // Open by the sniffed format: calamine's auto-detection would copy the
    // bytes for each format it tries.
    let book = if bytes.starts_with(b"PK") {
        Sheets::Xlsx(Xlsx::new(Cursor::new(bytes)).map_err(|e| classify(calamine::Error::Xlsx(e)))?)
    } else {
        check_xls_dimensions(&bytes)?;
        Sheets::Xls(Xls::new(Cursor::new(bytes)).map_err(|e| classify(calamine::Error::Xls(e)))?)
    };
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(Book { book, names })
}

/// Opens a workbook on disk.
pub fn open_path(path: &Path) -> Result<Book, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io(e.to_string()))?;
    open_bytes(bytes)
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

/// BIFF8 sheets have at most 65,536 rows and 256 columns. calamine sizes a
/// sheet by its DIMENSIONS record, so a damaged one (the fuzzer found a
/// one-byte flip asking for 3.5 PB, which aborts the process) is refused
/// here, before calamine sees the file.
fn check_xls_dimensions(bytes: &[u8]) -> Result<(), ReadError> {
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
    const DIMENSIONS: u16 = 0x0200;
    let mut at = 0;
    while at + 4 <= data.len() {
        let kind = u16::from_le_bytes([data[at], data[at + 1]]);
        let len = usize::from(u16::from_le_bytes([data[at + 2], data[at + 3]]));
        let body = &data[at + 4..(at + 4 + len).min(data.len())];
        if kind == DIMENSIONS && body.len() >= 12 {
            let u32_at =
                |i: usize| u32::from_le_bytes([body[i], body[i + 1], body[i + 2], body[i + 3]]);
            let u16_at = |i: usize| u32::from(u16::from_le_bytes([body[i], body[i + 1]]));
            let (first_row, last_row) = (u32_at(0), u32_at(4));
            let (first_col, last_col) = (u16_at(8), u16_at(10));
            if last_row > 65_536 || last_col > 256 || first_row > last_row || first_col > last_col {
                return Err(ReadError::Corrupt(format!(
                    "a sheet declares rows {first_row}–{last_row} and columns {first_col}–{last_col}, \
                     beyond what .xls allows (65,536 rows × 256 columns): the file is damaged"
                )));
            }
        }
        at += 4 + len;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_garbage_are_not_workbooks() {
        assert!(matches!(
            open_bytes(b"<html><table><tr><td>1</td></tr></table></html>".to_vec()),
            Err(ReadError::NotAWorkbook(_))
        ));
        assert!(matches!(
            open_bytes(vec![1, 2, 3, 4]),
            Err(ReadError::NotAWorkbook(_))
        ));
        assert!(matches!(
            open_bytes(Vec::new()),
            Err(ReadError::NotAWorkbook(_))
        ));
    }

    #[test]
    fn truncated_zip_is_corrupt() {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0u8; 40]);
        assert!(matches!(open_bytes(bytes), Err(ReadError::Corrupt(_))));
    }
}
