//! `.xlsx`: the archive checked and re-packed before calamine opens it, so
//! that each sheet's merged regions come with its cells at no extra cost.
//!
//! calamine finds a sheet's `<mergeCells>` by parsing the sheet's XML from
//! the start, and they sit after `<sheetData>`: asking for them would
//! unpack and parse every sheet a second time. So juesuan unpacks each
//! worksheet part itself (what calamine would do when reading its cells),
//! takes the merged regions from the end of its XML, and hands calamine an
//! archive with the worksheets stored unpacked, so that calamine reads the
//! cells without unpacking them again; the other parts calamine reads
//! (shared strings, workbook) are unpacked once the same way. Each part
//! keeps its CRC-32, which the zip reader checks as calamine reads it. Which sheet is which part, juesuan
//! reads from `xl/workbook.xml` and its relationships, as calamine does.

use calamine::Dimensions;
use foldhash::HashMap;
use memchr::memmem;
use std::io::Cursor;

use super::{Limits, ReadError};

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
    match repack(&mut archive, &bytes) {
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

/// What juesuan takes from each sheet's XML itself, by sheet name.
pub(super) type Merges = HashMap<String, SheetXml>;

/// What a worksheet's XML says beyond its values.
#[derive(Default)]
pub(super) struct SheetXml {
    /// The merged regions.
    pub merges: Vec<Dimensions>,
    /// Cells holding a formula whose result was never saved (`<f>C12-D12</f>`
    /// with no `<v>`, as libraries write files they do not calculate): the
    /// file does not hold their figures.
    pub unsaved_formulas: Vec<(u32, u32)>,
}

/// The archive with the parts calamine reads (the worksheets, the shared
/// strings, the workbook and its relationships) unpacked and stored, the
/// others copied as they are and the unused ones left out; and each
/// sheet's merged regions by name. `None` when it cannot be re-packed
/// (a part encrypted or packed otherwise than deflated or stored).
fn repack(archive: &mut Archive, bytes: &[u8]) -> Option<(Vec<u8>, Merges)> {
    let mut out = StoredZip::with_capacity(bytes.len() * 8);
    // Merged regions by part, and the workbook's parts that name them.
    let mut by_part: HashMap<String, SheetXml> = HashMap::default();
    let (mut workbook, mut rels) = (String::new(), String::new());
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).ok()?;
        let name = part.name().ok()?.into_owned();
        if is_unused_part(&name) {
            continue;
        }
        if part.encrypted() {
            return None;
        }
        let start = usize::try_from(part.data_start()?).ok()?;
        let length = usize::try_from(part.compressed_size()).ok()?;
        let packed = bytes.get(start..start.checked_add(length)?)?;
        let entry = Entry {
            name: part.name_raw(),
            crc: part.crc32(),
            size: u32::try_from(part.size()).ok()?,
        };
        let kind = PartKind::of(&name);
        let deflated = part.compression() == zip::CompressionMethod::Deflated;
        if kind == PartKind::Other || !deflated {
            let method = match part.compression() {
                zip::CompressionMethod::Stored => 0,
                zip::CompressionMethod::Deflated => 8,
                _ => return None,
            };
            out.add(&entry, method, packed)?;
            if deflated || kind == PartKind::Other {
                continue;
            }
        }
        let xml = if deflated {
            let xml = inflate(packed, entry.size)?;
            out.add(&entry, 0, &xml)?;
            std::borrow::Cow::Owned(xml)
        } else {
            std::borrow::Cow::Borrowed(packed)
        };
        match kind {
            PartKind::Worksheet => {
                let sheet = SheetXml {
                    merges: merged_regions(&xml),
                    unsaved_formulas: unsaved_formulas(&xml),
                };
                by_part.insert(name, sheet);
            }
            PartKind::Workbook => workbook = String::from_utf8(xml.into_owned()).ok()?,
            PartKind::WorkbookRels => rels = String::from_utf8(xml.into_owned()).ok()?,
            PartKind::Read | PartKind::Other => {}
        }
    }
    let merges = sheet_parts(&workbook, &rels)
        .into_iter()
        .map(|(part, sheet)| (sheet, by_part.remove(&part).unwrap_or_default()))
        .collect();
    Some((out.finish()?, merges))
}

/// A deflated part unpacked to the size its entry declares, no more (so a
/// damaged or crafted entry cannot make it larger).
fn inflate(packed: &[u8], size: u32) -> Option<Vec<u8>> {
    let size = usize::try_from(size).ok()?;
    let mut xml = Vec::with_capacity(size);
    let mut inflater = flate2::Decompress::new(false);
    let status = inflater
        .decompress_vec(packed, &mut xml, flate2::FlushDecompress::Finish)
        .ok()?;
    (status == flate2::Status::StreamEnd && xml.len() == size).then_some(xml)
}

/// One part of an archive being written.
struct Entry<'n> {
    name: &'n [u8],
    /// The CRC-32 of the part's content: the original entry's, which the
    /// zip reader checks when calamine reads the content back.
    crc: u32,
    /// Its content's size, unpacked.
    size: u32,
}

/// An archive written part by part, a part's content as given (stored, or
/// deflated as it was), without data descriptors or extensions: the zip
/// reader calamine uses takes it as any zip.
struct StoredZip {
    bytes: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

impl StoredZip {
    fn with_capacity(capacity: usize) -> Self {
        StoredZip {
            bytes: Vec::with_capacity(capacity),
            central: Vec::new(),
            entries: 0,
        }
    }

    /// Adds a part whose content, packed by `method` (0 stored, 8
    /// deflated), is `data`. `None` beyond what a plain zip holds.
    fn add(&mut self, entry: &Entry, method: u16, data: &[u8]) -> Option<()> {
        let offset = u32::try_from(self.bytes.len()).ok()?;
        let packed = u32::try_from(data.len()).ok()?;
        let name_length = u16::try_from(entry.name.len()).ok()?;
        self.entries = self.entries.checked_add(1)?;
        // Version 2.0; bit 11: the name is UTF-8.
        let common = |out: &mut Vec<u8>| {
            for n in [20u16, 1 << 11, method, 0, 0] {
                out.extend_from_slice(&n.to_le_bytes());
            }
            for n in [entry.crc, packed, entry.size] {
                out.extend_from_slice(&n.to_le_bytes());
            }
            out.extend_from_slice(&name_length.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra field
        };
        self.bytes.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut self.bytes);
        self.bytes.extend_from_slice(entry.name);
        self.bytes.extend_from_slice(data);
        self.central
            .extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&20u16.to_le_bytes()); // made by
        common(&mut self.central);
        // Comment, disk, internal and external attributes, offset.
        for n in [0u16, 0, 0] {
            self.central.extend_from_slice(&n.to_le_bytes());
        }
        self.central.extend_from_slice(&0u32.to_le_bytes());
        self.central.extend_from_slice(&offset.to_le_bytes());
        self.central.extend_from_slice(entry.name);
        Some(())
    }

    fn finish(mut self) -> Option<Vec<u8>> {
        let offset = u32::try_from(self.bytes.len()).ok()?;
        let size = u32::try_from(self.central.len()).ok()?;
        self.bytes.extend_from_slice(&self.central);
        self.bytes.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        for n in [0u16, 0, self.entries, self.entries] {
            self.bytes.extend_from_slice(&n.to_le_bytes());
        }
        for n in [size, offset] {
            self.bytes.extend_from_slice(&n.to_le_bytes());
        }
        self.bytes.extend_from_slice(&0u16.to_le_bytes()); // comment
        Some(self.bytes)
    }
}

/// What calamine does with a part.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PartKind {
    /// A worksheet's cells (and merged regions).
    Worksheet,
    /// `xl/workbook.xml`: the sheets' names and relationship ids.
    Workbook,
    /// `xl/_rels/workbook.xml.rels`: the sheets' parts.
    WorkbookRels,
    /// Read when the workbook is opened: the shared strings, the package's
    /// relationships.
    Read,
    /// Never read.
    Other,
}

impl PartKind {
    fn of(name: &str) -> PartKind {
        let is = |part: &str| name.eq_ignore_ascii_case(part);
        if is_worksheet(name) {
            PartKind::Worksheet
        } else if is("xl/workbook.xml") {
            PartKind::Workbook
        } else if is("xl/_rels/workbook.xml.rels") {
            PartKind::WorkbookRels
        } else if is("xl/sharedStrings.xml") || is("_rels/.rels") {
            PartKind::Read
        } else {
            PartKind::Other
        }
    }
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

/// The sheets' names by worksheet part, from the workbook and its
/// relationships.
fn sheet_parts(workbook: &str, rels: &str) -> HashMap<String, String> {
    let mut targets: HashMap<String, String> = HashMap::default();
    for (id, target) in elements(rels, "Relationship", ["Id", "Target"]) {
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        };
        targets.insert(id, path);
    }
    // Only the `<sheets>` element: the rest of the workbook part (views,
    // defined names, calculation settings) names no sheet part.
    let start = workbook
        .find("sheets")
        .and_then(|at| workbook[..at].rfind('<'))
        .unwrap_or(0);
    let end = workbook
        .rfind("sheets>")
        .map_or(workbook.len(), |at| at + 7);
    let sheets = workbook.get(start..end).unwrap_or(workbook);
    elements(sheets, "sheet", ["name", "id"])
        .into_iter()
        .filter_map(|(name, id)| Some((targets.remove(&id)?, name)))
        .collect()
}

/// The values of two attributes (by local name: `id` finds `r:id`) of
/// every element named `local` (with or without a prefix) that has both,
/// unescaped. A scan of the tags, not an XML parser: these parts are
/// machine-written, a few elements each, and read once per workbook.
fn elements(xml: &str, local: &str, [first, second]: [&str; 2]) -> Vec<(String, String)> {
    let bytes = xml.as_bytes();
    let mut found = Vec::new();
    for open in memchr::memchr_iter(b'<', bytes) {
        let tag = &bytes[open + 1..];
        let name_end = tag
            .iter()
            .position(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'))
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        let name = name
            .iter()
            .rposition(|&b| b == b':')
            .map_or(name, |colon| &name[colon + 1..]);
        if name != local.as_bytes() {
            continue;
        }
        let end = memchr::memchr(b'>', tag).unwrap_or(tag.len());
        let Ok(body) = std::str::from_utf8(&tag[name_end..end]) else {
            continue;
        };
        if let (Some(a), Some(b)) = (attribute(body, first), attribute(body, second)) {
            found.push((a, b));
        }
    }
    found
}

/// The unescaped value of the attribute with local name `name` in a tag's
/// attributes (` name="A" r:id="rId1"`).
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let mut rest = attributes;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim();
        let key = key.rsplit(':').next().unwrap_or(key);
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let value_end = after[1..].find(quote)? + 1;
        if key == name {
            let value = &after[1..value_end];
            return quick_xml::escape::unescape(value)
                .ok()
                .map(|v| v.into_owned());
        }
        rest = &after[value_end + 1..];
    }
    None
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

/// The cells of a worksheet's XML with a formula and no saved result: an
/// `<f>` (or shared `<f …/>`) in a `<c>` without a `<v>` holding a value
/// (an empty `<v></v>` of a text result, `t="str"`, is a saved empty text).
fn unsaved_formulas(xml: &[u8]) -> Vec<(u32, u32)> {
    let mut cells = Vec::new();
    let mut at = 0;
    while let Some(found) = memmem::find(&xml[at..], b"<f") {
        let formula = at + found;
        at = formula + 2;
        if !matches!(xml.get(at), Some(b'>' | b' ' | b'/')) {
            continue;
        }
        let Some(open) = cell_start(&xml[..formula]) else {
            continue;
        };
        let end = memmem::find(&xml[at..], b"</c>").map_or(xml.len(), |e| at + e);
        let head_end = memchr::memchr(b'>', &xml[open..formula]).map_or(formula, |e| open + e);
        let head = String::from_utf8_lossy(&xml[open + 2..head_end]);
        let body = &xml[at..end];
        let value = memmem::find(body, b"<v>").map(|v| &body[v + 3..]);
        let saved = match value {
            Some(rest) => !rest.starts_with(b"</v>") || head.contains("t=\"str\""),
            None => false,
        };
        if !saved && let Some(cell) = attribute(&head, "r").as_deref().and_then(cell_of) {
            cells.push(cell);
        }
        at = end;
    }
    cells
}

/// Where the last `<c>` or `<c …>` element of `xml` starts.
fn cell_start(xml: &[u8]) -> Option<usize> {
    let mut end = xml.len();
    while let Some(at) = memmem::rfind(&xml[..end], b"<c") {
        if matches!(xml.get(at + 2), Some(b' ' | b'>')) {
            return Some(at);
        }
        end = at;
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_without_a_saved_result_are_found() {
        let xml = br#"<sheetData><row r="12"><c r="C12"><v>1</v></c><c r="E12"><f>C12-D12</f><v /></c><c r="F12" s="1"><f t="shared" si="0"/></c><c r="G12"><f>C12</f><v>3</v></c><c r="H12" t="str"><f>IF(C12,"","x")</f><v></v></c><c r="I12"><f>C12</f><v></v></c></row></sheetData><cols><col min="1"/></cols><pageMargins/><firstFooter/>"#;
        assert_eq!(unsaved_formulas(xml), vec![(11, 4), (11, 5), (11, 8)]);
    }

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
    fn sheets_are_named_from_the_workbook_and_its_relationships() {
        let workbook = r#"<?xml version="1.0"?><workbook xmlns:r="x"><bookViews><workbookView/></bookViews><sheets><sheet name="表1 收入&amp;支出" sheetId="1" r:id="rId2"/><sheet name='三公' sheetId="2" r:id="rId1"/></sheets><definedNames><definedName name="x">'表1'!A1</definedName></definedNames></workbook>"#;
        let rels = r#"<Relationships><Relationship Id="rId1" Type="t" Target="worksheets/sheet2.xml"/><Relationship Id="rId2" Type="t" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#;
        let parts = sheet_parts(workbook, rels);
        assert_eq!(
            parts.get("xl/worksheets/sheet1.xml").map(String::as_str),
            Some("表1 收入&支出")
        );
        assert_eq!(
            parts.get("xl/worksheets/sheet2.xml").map(String::as_str),
            Some("三公")
        );
        assert_eq!(parts.len(), 2);
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
