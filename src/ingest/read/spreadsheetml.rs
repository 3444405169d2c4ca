//! SpreadsheetML 2003 (`<?mso-application progid="Excel.Sheet"?>`), the XML
//! that Excel 2003 and some web systems save under `.xls`: each
//! `<Worksheet>` a sheet, cells placed by `ss:Index` as Excel places them
//! (a cell without one follows the previous cell and its `ss:MergeAcross`),
//! `ss:MergeAcross`/`ss:MergeDown` kept as merged regions.

use calamine::Dimensions;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{ParsedSheet, ParsedValue};

/// Whether the first bytes look like SpreadsheetML.
pub(super) fn is_spreadsheetml(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(head);
    head.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with("<?xml")
        && (head.contains("urn:schemas-microsoft-com:office:spreadsheet")
            || head.contains("progid=\"Excel.Sheet\""))
}

/// The worksheets, or why the XML cannot be read.
pub(super) fn parse(bytes: &[u8]) -> Result<Vec<ParsedSheet>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut reader = Reader::from_str(text);
    let mut sheets = Vec::new();
    let mut sheet: Option<ParsedSheet> = None;
    let mut row = 0u32;
    let mut col = 0u32;
    // The cell being read: position, its type, its text.
    let mut cell: Option<((u32, u32), bool, String)> = None;
    let mut in_data = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("XML error at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "Worksheet" => {
                    let name =
                        attr(&e, "Name").unwrap_or_else(|| format!("Sheet{}", sheets.len() + 1));
                    sheet = Some(ParsedSheet {
                        name,
                        cells: Vec::new(),
                        merges: Vec::new(),
                    });
                    row = 0;
                }
                "Row" => {
                    if let Some(index) = number(&e, "Index") {
                        row = index.saturating_sub(1);
                    }
                    col = 0;
                }
                "Cell" => {
                    if let Some(index) = number(&e, "Index") {
                        col = index.saturating_sub(1);
                    }
                    let across = number(&e, "MergeAcross").unwrap_or(0).min(1000);
                    let down = number(&e, "MergeDown").unwrap_or(0).min(1000);
                    if (across > 0 || down > 0)
                        && let Some(s) = &mut sheet
                    {
                        s.merges.push(Dimensions {
                            start: (row, col),
                            end: (row + down, col + across),
                        });
                    }
                    cell = Some(((row, col), false, String::new()));
                    col += across + 1;
                }
                "Data" => {
                    in_data = true;
                    if let Some((_, numeric, _)) = &mut cell {
                        *numeric = attr(&e, "Type").as_deref() == Some("Number");
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_data => {
                if let Some((_, _, text)) = &mut cell {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) if in_data => {
                if let Some((_, _, text)) = &mut cell {
                    text.push_str(&t);
                }
            }
            Event::GeneralRef(r) if in_data => {
                if let Some((_, _, text)) = &mut cell {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match &*r {
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "amp" => Some('&'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    text.extend(resolved);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "Data" => in_data = false,
                "Cell" => {
                    if let (Some((at, numeric, text)), Some(s)) = (cell.take(), &mut sheet) {
                        let value = match text.trim().parse::<f64>() {
                            Ok(n) if numeric => Some(ParsedValue::Number(n)),
                            _ if text.trim().is_empty() => None,
                            _ => Some(ParsedValue::Text(text)),
                        };
                        s.cells.extend(value.map(|v| (at, v)));
                    }
                }
                "Row" => row += 1,
                "Worksheet" => sheets.extend(sheet.take()),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    sheets.extend(sheet);
    Ok(sheets)
}

/// An attribute by its local name (`ss:Index` → `Index`).
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

fn number(e: &BytesStart, name: &str) -> Option<u32> {
    attr(e, name)?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_go_where_excel_puts_them() {
        let xml = r#"<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="三公">
  <Table>
   <Row><Cell ss:MergeAcross="1" ss:MergeDown="1"><Data ss:Type="String">合计</Data></Cell>
        <Cell><Data ss:Type="String">A&amp;B</Data></Cell></Row>
   <Row><Cell ss:Index="3"><Data ss:Type="Number">61.62</Data></Cell></Row>
   <Row ss:Index="5"><Cell><Data ss:Type="String">0.5</Data></Cell></Row>
  </Table>
 </Worksheet>
</Workbook>"#;
        assert!(is_spreadsheetml(xml.as_bytes()));
        let sheets = parse(xml.as_bytes()).expect("parses");
        assert_eq!(sheets.len(), 1);
        let s = &sheets[0];
        assert_eq!(s.name, "三公");
        let cells: Vec<String> = s
            .cells
            .iter()
            .map(|(at, v)| match v {
                ParsedValue::Text(t) => format!("{at:?} {t}"),
                ParsedValue::Number(n) => format!("{at:?} #{n}"),
            })
            .collect();
        assert_eq!(
            cells,
            ["(0, 0) 合计", "(0, 2) A&B", "(1, 2) #61.62", "(4, 0) 0.5"]
        );
        assert_eq!(s.merges.len(), 1);
        assert_eq!((s.merges[0].start, s.merges[0].end), ((0, 0), (1, 1)));
    }
}
