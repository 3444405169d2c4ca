//! `.xlsx`: the archive checked and re-packed before calamine opens it, so
//! that each sheet's merged regions come with its cells at no extra cost.
//!
//! calamine finds a sheet's `<mergeCells>` by parsing the sheet's XML from
//! the start, and they sit after `<sheetData>`: asking for them would
//! unpack and parse every sheet a second time. So juesuan unpacks each
//! worksheet part itself (what calamine would do when reading its cells),
//! moves the `<mergeCells>` element in front of `<sheetData>` (an empty one
//! when the sheet has none) and hands calamine an archive with the
//! worksheets stored unpacked: calamine then reads the cells without
//! unpacking them again and finds the merged regions among the first
//! elements of the sheet.

use calamine::{DataRef, Xlsx, XlsxError};
use memchr::memmem;
use std::io::{Cursor, Read, Write};
use std::time::Instant;

use super::{Extent, Limits, ReadError};

/// An `.xlsx` ready for calamine.
pub(super) struct Prepared {
    pub bytes: Vec<u8>,
    /// Whether every worksheet's merged regions were put where calamine
    /// finds them at once. Not when the archive could not be re-packed
    /// (calamine is then given the file as it is, and merges are unknown).
    pub merges_known: bool,
}

/// Checks what the parts declare they unpack to against
/// [`Limits::unpacked_bytes`] (a zip bomb is refused before anything is
/// unpacked: the zip reader stops every part at its declared size, so the
/// declaration bounds what can come out), then re-packs the archive as the
/// module's docs say, leaving out the parts juesuan never uses
/// ([`is_unused_part`]).
pub(super) fn prepare(bytes: Vec<u8>, limits: &Limits) -> Result<Prepared, ReadError> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes.as_slice())) else {
        // calamine reports what is wrong with the zip.
        return Ok(Prepared {
            bytes,
            merges_known: false,
        });
    };
    check_declared_sizes(&archive, bytes.len(), limits)?;
    match repack(&mut archive, bytes.len()) {
        Ok(repacked) => Ok(Prepared {
            bytes: repacked,
            merges_known: true,
        }),
        Err(_) => Ok(Prepared {
            bytes,
            merges_known: false,
        }),
    }
}

fn check_declared_sizes(
    archive: &zip::ZipArchive<Cursor<&[u8]>>,
    file_size: usize,
    limits: &Limits,
) -> Result<(), ReadError> {
    let mut total: u64 = 0;
    let mut largest = (0, String::new());
    for index in 0..archive.len() {
        let Ok(part) = archive.by_index_data(index) else {
            continue;
        };
        total = total.saturating_add(part.size());
        if part.size() > largest.0 {
            largest = (part.size(), part.name().unwrap_or_default().to_string());
        }
    }
    if total > limits.unpacked_bytes {
        return Err(ReadError::TooLarge(format!(
            "its parts unpack to {total} bytes from a {file_size}-byte file (largest: {} with {} bytes), \
             beyond the limit of {} bytes: a damaged file or a zip bomb",
            largest.1, largest.0, limits.unpacked_bytes
        )));
    }
    Ok(())
}

/// The archive with its worksheets unpacked and their merged regions
/// first, its other parts copied as they are, the unused ones left out.
fn repack(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    size: usize,
) -> zip::result::ZipResult<Vec<u8>> {
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(size * 4)));
    let mut xml = Vec::new();
    for index in 0..archive.len() {
        let (unused, worksheet, name) = {
            let part = archive.by_index_data(index)?;
            let name = part.name()?.into_owned();
            (is_unused_part(&name), is_worksheet(&name), name)
        };
        if unused {
            continue;
        }
        if !worksheet {
            out.raw_copy_file(archive.by_index_raw(index)?)?;
            continue;
        }
        xml.clear();
        archive.by_index(index)?.read_to_end(&mut xml)?;
        out.start_file(name, stored)?;
        write_merges_first(&xml, &mut out)?;
    }
    Ok(out.finish()?.into_inner())
}

/// A worksheet part: `xl/worksheets/sheet1.xml`, not its `_rels`.
fn is_worksheet(name: &str) -> bool {
    const FOLDER: &str = "xl/worksheets/";
    name.get(..FOLDER.len())
        .is_some_and(|folder| folder.eq_ignore_ascii_case(FOLDER))
        && !name[FOLDER.len()..].contains('/')
        && name.len() > FOLDER.len() + 4
        && name[name.len() - 4..].eq_ignore_ascii_case(".xml")
}

/// The parts of an `.xlsx` that calamine reads when it opens the file but
/// whose content juesuan never uses: the styles, from which calamine tells
/// date-formatted numbers from the others and which it resolves against
/// the theme's colours. A date's cell is read as its serial number either
/// way ([`crate::ingest::grid`]), and no colour or font is used. Parsing
/// the two was 3.7 % of `ingest`'s CPU at 5,040 workbooks (perf), for
/// nothing.
fn is_unused_part(name: &str) -> bool {
    const THEMES: &str = "xl/theme/";
    name.eq_ignore_ascii_case("xl/styles.xml")
        || name
            .get(..THEMES.len())
            .is_some_and(|folder| folder.eq_ignore_ascii_case(THEMES))
}

/// Writes a worksheet's XML with its `<mergeCells>` element moved in front
/// of `<sheetData>`, or an empty one put there when it has none, so that
/// calamine's search for merged regions stops before the cells. The XML is
/// written as it is when it has no `<sheetData>`.
fn write_merges_first(xml: &[u8], out: &mut impl Write) -> std::io::Result<()> {
    let Some(data) = element_start(xml, b"sheetData", 0) else {
        return out.write_all(xml);
    };
    match merge_cells_span(xml, data) {
        Some((start, end)) => {
            out.write_all(&xml[..data])?;
            out.write_all(&xml[start..end])?;
            out.write_all(&xml[data..start])?;
            out.write_all(&xml[end..])
        }
        None => {
            out.write_all(&xml[..data])?;
            out.write_all(b"<mergeCells></mergeCells>")?;
            out.write_all(&xml[data..])
        }
    }
}

/// Where the first element named `local` (with or without a namespace
/// prefix) at or after `from` starts: the position of its `<`.
fn element_start(xml: &[u8], local: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let found = at + memmem::find(xml.get(at..)?, local)?;
        // `<sheetData`, or `<x:sheetData` with a prefix; not `</sheetData`.
        let open = xml[..found].iter().rposition(|&b| b == b'<')?;
        let between = &xml[open + 1..found];
        let is_name_end = xml
            .get(found + local.len())
            .is_some_and(|&b| matches!(b, b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n'));
        let prefixed = between.is_empty()
            || (between.last() == Some(&b':')
                && between[..between.len() - 1]
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric()));
        if prefixed && is_name_end {
            return Some(open);
        }
        at = found + local.len();
    }
}

/// The `<mergeCells>…</mergeCells>` element after `<sheetData>` (which
/// starts at `data`), as a byte range.
fn merge_cells_span(xml: &[u8], data: usize) -> Option<(usize, usize)> {
    const LOCAL: &[u8] = b"mergeCells";
    let start = element_start(xml, LOCAL, data)?;
    let tag_end = start + memchr::memchr(b'>', &xml[start..])?;
    if xml[tag_end - 1] == b'/' {
        return Some((start, tag_end + 1));
    }
    let name_end = start + memmem::find(&xml[start..], LOCAL)? + LOCAL.len();
    let close = name_end + memmem::find(&xml[name_end..], b"mergeCells>")?;
    Some((start, close + LOCAL.len() + 1))
}

/// Why an `.xlsx` sheet was not read.
pub(super) enum SheetFailure {
    Reader(XlsxError),
    TooLarge(String),
    OutOfTime,
}

/// A value with its 0-based (row, col).
pub(crate) type Positioned<'a> = ((u32, u32), DataRef<'a>);

/// The non-empty values of an `.xlsx` sheet with their positions, shared
/// strings borrowed: what calamine's `worksheet_range` reads before it
/// copies every string into a range of its own. Refused as soon as the
/// sheet holds more values than the limit, and when they span more cells.
pub(super) fn xlsx_values<'a>(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(xml: &str) -> String {
        let mut out = Vec::new();
        write_merges_first(xml.as_bytes(), &mut out).expect("written");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn merged_regions_move_in_front_of_the_cells() {
        let xml = r#"<worksheet><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><pageMargins/></worksheet>"#;
        assert_eq!(
            moved(xml),
            r#"<worksheet><dimension ref="A1:C3"/><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><pageMargins/></worksheet>"#
        );
        // With a namespace prefix, and without attributes.
        let xml = r#"<x:worksheet><x:sheetData/><x:mergeCells><x:mergeCell ref="A1:A2"/></x:mergeCells></x:worksheet>"#;
        assert_eq!(
            moved(xml),
            r#"<x:worksheet><x:mergeCells><x:mergeCell ref="A1:A2"/></x:mergeCells><x:sheetData/></x:worksheet>"#
        );
        // None: an empty element, found at once.
        assert_eq!(
            moved("<worksheet><sheetData></sheetData></worksheet>"),
            "<worksheet><mergeCells></mergeCells><sheetData></sheetData></worksheet>"
        );
        // No cells at all: left as it is.
        assert_eq!(moved("<chartsheet/>"), "<chartsheet/>");
    }

    #[test]
    fn worksheet_parts_are_told_from_the_others() {
        for name in ["xl/worksheets/sheet1.xml", "XL/Worksheets/Sheet12.XML"] {
            assert!(is_worksheet(name), "{name}");
        }
        for name in [
            "xl/worksheets/_rels/sheet1.xml.rels",
            "xl/worksheets/",
            "xl/workbook.xml",
            "xl/chartsheets/sheet1.xml",
        ] {
            assert!(!is_worksheet(name), "{name}");
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
}
