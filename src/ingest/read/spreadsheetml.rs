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
    let mut parser = Parser::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("XML error at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(e) | Event::Empty(e) => parser.start(&e),
            Event::Text(t) => parser.text(&t.xml10_content()),
            Event::CData(t) => parser.text(&t),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => entity(&r),
                };
                if let Some(c) = resolved {
                    parser.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::End(e) => parser.end(e.local_name().as_ref()),
            Event::Eof => break,
            _ => {}
        }
    }
    let Parser {
        mut sheets, sheet, ..
    } = parser;
    sheets.extend(sheet);
    Ok(sheets)
}

/// XML's five named entities.
pub(crate) fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// Where the parse stands.
#[derive(Default)]
struct Parser {
    sheets: Vec<ParsedSheet>,
    sheet: Option<ParsedSheet>,
    row: u32,
    col: u32,
    /// The cell being read: position, whether its type is Number, its text.
    cell: Option<((u32, u32), bool, String)>,
    in_data: bool,
}

impl Parser {
    fn start(&mut self, e: &BytesStart) {
        match e.local_name().as_ref() {
            "Worksheet" => {
                let name =
                    attr(e, "Name").unwrap_or_else(|| format!("Sheet{}", self.sheets.len() + 1));
                self.sheet = Some(ParsedSheet {
                    name,
                    cells: Vec::new(),
                    merges: Vec::new(),
                });
                self.row = 0;
            }
            "Row" => {
                if let Some(index) = number(e, "Index") {
                    self.row = index.saturating_sub(1);
                }
                self.col = 0;
            }
            "Cell" => self.start_cell(e),
            "Data" => {
                self.in_data = true;
                if let Some((_, numeric, _)) = &mut self.cell {
                    *numeric = attr(e, "Type").as_deref() == Some("Number");
                }
            }
            _ => {}
        }
    }

    /// A cell at its `ss:Index` or after the previous one and its merge.
    fn start_cell(&mut self, e: &BytesStart) {
        if let Some(index) = number(e, "Index") {
            self.col = index.saturating_sub(1);
        }
        let (row, col) = (self.row, self.col);
        let across = number(e, "MergeAcross").unwrap_or(0).min(1000);
        let down = number(e, "MergeDown").unwrap_or(0).min(1000);
        if (across > 0 || down > 0)
            && let Some(s) = &mut self.sheet
        {
            s.merges.push(Dimensions {
                start: (row, col),
                end: (row + down, col + across),
            });
        }
        self.cell = Some(((row, col), false, String::new()));
        self.col += across + 1;
    }

    fn text(&mut self, t: &str) {
        if let (true, Some((_, _, text))) = (self.in_data, &mut self.cell) {
            text.push_str(t);
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "Data" => self.in_data = false,
            "Cell" => {
                if let (Some((at, numeric, text)), Some(s)) = (self.cell.take(), &mut self.sheet) {
                    let value = match text.trim().parse::<f64>() {
                        Ok(n) if numeric => Some(ParsedValue::Number(n)),
                        _ if text.trim().is_empty() => None,
                        _ => Some(ParsedValue::Text(text)),
                    };
                    s.cells.extend(value.map(|v| (at, v)));
                }
            }
            "Row" => self.row += 1,
            "Worksheet" => self.sheets.extend(self.sheet.take()),
            _ => {}
        }
    }
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
