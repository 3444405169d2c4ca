//! `.xlsx`: the archive checked and re-packed before calamine opens it, so
//! that each sheet's merged regions come with its cells at no extra cost.
//!
//! calamine finds a sheet's `<mergeCells>` by parsing the sheet's XML from
//! the start, and they sit after `<sheetData>`: asking for them would
//! unpack and parse every sheet a second time. So juesuan unpacks each
//! worksheet part itself (what calamine would do when reading its cells),
//! takes the merged regions from the end of its XML, and hands calamine an
//! archive with the worksheets stored unpacked, so that calamine reads the
//! cells without unpacking them again. Which sheet is which part, juesuan
//! reads from `xl/workbook.xml` and its relationships, as calamine does.

use calamine::{DataRef, Dimensions, Xlsx, XlsxError};
use foldhash::HashMap;
use memchr::memmem;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read, Write};
use std::time::Instant;

use super::{Extent, Limits, ReadError};

/// An `.xlsx` ready for calamine.
pub(super) struct Prepared {
    pub bytes: Vec<u8>,
    /// Each sheet's merged regions, by sheet name; `None` when the archive
    /// could not be re-packed (calamine is then given the file as it is,
    /// and merges are unknown).
    pub merges: Option<Merges>,
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
            merges: None,
        });
    };
    check_declared_sizes(&archive, bytes.len(), limits)?;
    match repack(&mut archive, bytes.len()) {
        Some((repacked, merges)) => Ok(Prepared {
            bytes: repacked,
            merges: Some(merges),
        }),
        None => Ok(Prepared {
            bytes,
            merges: None,
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

type Archive<'b> = zip::ZipArchive<Cursor<&'b [u8]>>;

/// Each sheet's merged regions, by sheet name.
pub(super) type Merges = HashMap<String, Vec<Dimensions>>;

/// The archive with its worksheets unpacked, its other parts copied as they
/// are, the unused ones left out; and each sheet's merged regions by name.
/// `None` when the archive cannot be re-packed.
fn repack(archive: &mut Archive, size: usize) -> Option<(Vec<u8>, Merges)> {
    let sheets = sheet_parts(archive)?;
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(size * 8)));
    let mut merges = HashMap::default();
    let mut xml = Vec::new();
    for index in 0..archive.len() {
        let (name, declared) = {
            let part = archive.by_index_data(index).ok()?;
            (part.name().ok()?.into_owned(), part.size())
        };
        if is_unused_part(&name) {
            continue;
        }
        let Some(sheet) = sheets.get(name.as_str()) else {
            out.raw_copy_file(archive.by_index_raw(index).ok()?).ok()?;
            continue;
        };
        xml.clear();
        xml.reserve(usize::try_from(declared).unwrap_or(0));
        archive.by_index(index).ok()?.read_to_end(&mut xml).ok()?;
        merges.insert(sheet.clone(), merged_regions(&xml));
        out.start_file(name, stored).ok()?;
        out.write_all(&xml).ok()?;
    }
    let bytes = out.finish().ok()?.into_inner();
    Some((bytes, merges))
}

/// Worksheet parts by archive path, with their sheets' names, from
/// `xl/workbook.xml` and `xl/_rels/workbook.xml.rels`.
fn sheet_parts(archive: &mut Archive) -> Option<HashMap<String, String>> {
    let workbook = part_text(archive, "xl/workbook.xml")?;
    let rels = part_text(archive, "xl/_rels/workbook.xml.rels")?;
    let mut targets: HashMap<String, String> = HashMap::default();
    for (id, target) in elements(&rels, "Relationship", ["Id", "Target"]) {
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        };
        targets.insert(id, path);
    }
    let mut sheets = HashMap::default();
    for (name, id) in elements(&workbook, "sheet", ["name", "id"]) {
        if let Some(path) = targets.remove(&id) {
            sheets.insert(path, name);
        }
    }
    Some(sheets)
}

fn part_text(archive: &mut Archive, name: &str) -> Option<String> {
    let mut text = String::new();
    archive.by_name(name).ok()?.read_to_string(&mut text).ok()?;
    Some(text)
}

/// The values of two attributes (by local name) of every element named
/// `local` (by local name) that has both.
fn elements(xml: &str, local: &str, [first, second]: [&str; 2]) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == local => {
                let value = |name: &str| {
                    e.attributes().flatten().find_map(|a| {
                        (a.key.local_name().as_ref() == name)
                            .then(|| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
                            .flatten()
                            .map(|v| v.into_owned())
                    })
                };
                if let (Some(a), Some(b)) = (value(first), value(second)) {
                    found.push((a, b));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

/// The merged regions of a worksheet's XML: the `ref` of each `<mergeCell>`
/// of its `<mergeCells>`, which follows its cells.
fn merged_regions(xml: &[u8]) -> Vec<Dimensions> {
    // The element runs from the first `mergeCells` after the cells to the
    // next (its end tag, or the same when it is empty).
    let after_cells = memmem::rfind(xml, b"sheetData").unwrap_or(0);
    let Some(start) = memmem::find(&xml[after_cells..], b"mergeCells").map(|at| after_cells + at)
    else {
        return Vec::new();
    };
    let end =
        memmem::find(&xml[start + 10..], b"mergeCells").map_or(xml.len(), |at| start + 10 + at);
    let xml = &xml[..end];
    let mut regions = Vec::new();
    let mut at = start;
    while let Some(found) = memmem::find(&xml[at..], b"ref=\"") {
        let value = at + found + 5;
        let Some(len) = memchr::memchr(b'"', &xml[value..]) else {
            break;
        };
        if let Some(region) = std::str::from_utf8(&xml[value..value + len])
            .ok()
            .and_then(region_of)
        {
            regions.push(region);
        }
        at = value + len;
    }
    regions
}

/// `B3:D4` (or `B3`) as 0-based (row, column) corners.
fn region_of(text: &str) -> Option<Dimensions> {
    let (from, to) = text.split_once(':').unwrap_or((text, text));
    let (start, end) = (cell_of(from)?, cell_of(to)?);
    (start.0 <= end.0 && start.1 <= end.1).then_some(Dimensions { start, end })
}

fn cell_of(a1: &str) -> Option<(u32, u32)> {
    let a1 = a1.trim().trim_start_matches('$');
    let letters = a1.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = a1[..letters].bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u32 = a1[letters..].trim_start_matches('$').parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
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

    #[test]
    fn merged_regions_are_read_from_the_end_of_a_sheet() {
        let xml = br#"<worksheet><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ref="Z9:Z9"</t></is></c></row></sheetData><mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="$C$2:D30"/></mergeCells><conditionalFormatting sqref="E1:E9"/><hyperlinks><hyperlink ref="F1"/></hyperlinks></worksheet>"#;
        let regions: Vec<_> = merged_regions(xml)
            .iter()
            .map(|d| (d.start, d.end))
            .collect();
        assert_eq!(regions, [((0, 0), (0, 1)), ((1, 2), (29, 3))]);
        // With a namespace prefix.
        let xml = br#"<x:worksheet><x:sheetData/><x:mergeCells><x:mergeCell ref="AA1:AB2"/></x:mergeCells></x:worksheet>"#;
        let regions: Vec<_> = merged_regions(xml)
            .iter()
            .map(|d| (d.start, d.end))
            .collect();
        assert_eq!(regions, [((0, 26), (1, 27))]);
        assert!(merged_regions(b"<worksheet><sheetData/></worksheet>").is_empty());
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
