//! The "Excel exports" of web systems that are HTML pages saved as `.xls`:
//! every `<table>` of the page laid out on one sheet, one under another,
//! each cell where the browser would put it (`rowspan`/`colspan` taken as
//! merged regions), text outside the tables (a title in `<h2>`) on a row
//! of its own. The page's bytes are decoded as its `<meta charset>` or
//! byte-order mark says (GB2312/GBK pages are common), else as UTF-8, else
//! as GB18030.

use calamine::Dimensions;
use encoding_rs::{Encoding, GB18030, UTF_8};
use html5gum::{Token, Tokenizer};

use super::{ParsedSheet, ParsedValue};

/// Whether the first bytes look like an HTML page.
pub(super) fn is_html(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.contains("<html") || head.contains("<table") || head.contains("<!doctype html")
}

/// Text decoded as its byte-order mark or `charset=` says, else as UTF-8
/// when it is, else as GB18030 (which GBK and GB2312 are part of).
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let declared = head.find("charset=").and_then(|at| {
        let label: String = head[at + 8..]
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect();
        Encoding::for_label(label.as_bytes())
    });
    let encoding = declared.unwrap_or(match std::str::from_utf8(bytes) {
        Ok(_) => UTF_8,
        Err(_) => GB18030,
    });
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The page as one sheet, named after its `<title>` (else `Sheet1`).
pub(super) fn parse(bytes: &[u8]) -> ParsedSheet {
    let text = decode(bytes);
    let mut page = Page::default();
    for token in Tokenizer::new(text.as_str()).flatten() {
        match token {
            Token::StartTag(tag) => {
                let attr = |name: &str| {
                    tag.attributes
                        .get(name.as_bytes())
                        .and_then(|v| String::from_utf8_lossy(&v.value).trim().parse::<u32>().ok())
                };
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let span = (attr("rowspan").unwrap_or(1), attr("colspan").unwrap_or(1));
                page.start(&name, span);
            }
            Token::EndTag(tag) => {
                page.end(&String::from_utf8_lossy(&tag.name).to_ascii_lowercase())
            }
            Token::String(s) => page.text(&String::from_utf8_lossy(&s.value)),
            _ => {}
        }
    }
    page.finish()
}

/// The page being laid out.
#[derive(Default)]
struct Page {
    title: Option<String>,
    in_title: bool,
    /// Inside `<script>` or `<style>`: text that is not shown.
    hidden: bool,
    cells: Vec<((u32, u32), ParsedValue)>,
    merges: Vec<Dimensions>,
    /// The row of the cells being read, and the next row of the page.
    row: Option<u32>,
    next_row: u32,
    /// The row after the lowest cell laid out, spans included.
    bottom: u32,
    /// Cells of the table taken by a `rowspan` from above: (row, col).
    taken: std::collections::HashSet<(u32, u32)>,
    /// The cell being read: its position and text.
    cell: Option<((u32, u32), String)>,
    /// The column of the next cell of the row.
    col: u32,
    /// Text outside any table, shown on a row of its own.
    loose: String,
    depth: u32,
}

impl Page {
    fn start(&mut self, name: &str, (rows, cols): (u32, u32)) {
        match name {
            "title" => self.in_title = true,
            "script" | "style" => self.hidden = true,
            "table" => {
                self.flush_loose();
                if self.depth == 0 {
                    self.taken.clear();
                }
                self.depth += 1;
            }
            "tr" if self.depth > 0 => {
                self.end_cell();
                let row = self.next_row;
                self.row = Some(row);
                self.next_row = row + 1;
                self.col = 0;
            }
            "td" | "th" if self.depth > 0 => {
                self.end_cell();
                let row = self.row.unwrap_or_else(|| {
                    let row = self.next_row;
                    self.next_row += 1;
                    self.row = Some(row);
                    row
                });
                while self.taken.contains(&(row, self.col)) {
                    self.col += 1;
                }
                let (rows, cols) = (rows.clamp(1, 1000), cols.clamp(1, 1000));
                let at = (row, self.col);
                for r in row..row + rows {
                    for c in self.col..self.col + cols {
                        self.taken.insert((r, c));
                    }
                }
                if rows > 1 || cols > 1 {
                    self.merges.push(Dimensions {
                        start: at,
                        end: (row + rows - 1, self.col + cols - 1),
                    });
                }
                self.bottom = self.bottom.max(row + rows);
                self.col += cols;
                self.cell = Some((at, String::new()));
            }
            "br" | "p" | "div" if self.cell.is_some() => self.text("\n"),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "title" => self.in_title = false,
            "script" | "style" => self.hidden = false,
            "td" | "th" => self.end_cell(),
            "tr" => {
                self.end_cell();
                self.row = None;
            }
            "table" => {
                self.end_cell();
                self.row = None;
                self.depth = self.depth.saturating_sub(1);
                // The next table goes below this one's last spanned row.
                self.next_row = self.next_row.max(self.bottom);
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.hidden {
            return;
        }
        if self.in_title {
            self.title.get_or_insert_with(String::new).push_str(text);
        } else if let Some((_, cell)) = &mut self.cell {
            cell.push_str(text);
        } else if self.depth == 0 {
            self.loose.push_str(text);
        }
    }

    fn end_cell(&mut self) {
        if let Some((at, text)) = self.cell.take() {
            let text = text.trim();
            if !text.is_empty() {
                self.cells.push((at, ParsedValue::Text(text.to_string())));
            }
        }
    }

    fn flush_loose(&mut self) {
        let text = std::mem::take(&mut self.loose);
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            self.cells
                .push(((self.next_row, 0), ParsedValue::Text(line.to_string())));
            self.next_row += 1;
        }
    }

    fn finish(mut self) -> ParsedSheet {
        self.end_cell();
        self.flush_loose();
        let name = self
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "Sheet1".to_string());
        ParsedSheet {
            name,
            cells: self.cells,
            merges: self.merges,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at(sheet: &ParsedSheet, at: (u32, u32)) -> Option<&str> {
        sheet
            .cells
            .iter()
            .find(|(p, _)| *p == at)
            .and_then(|(_, v)| match v {
                ParsedValue::Text(t) => Some(t.as_str()),
                ParsedValue::Number(_) => None,
            })
    }

    #[test]
    fn spans_are_laid_out_as_a_browser_does_and_kept_as_merges() {
        let page = "<html><head><title>三公</title></head><body><h2>标题</h2><table>\
            <tr><td rowspan=2>合计</td><td colspan=2>公务接待费</td></tr>\
            <tr><td>预算数</td><td>决算数</td></tr>\
            <tr><td>1.00</td><td>2.00</td><td>3.00</td></tr></table>\
            <table><tr><td>注：x</td></tr></table></body></html>";
        let sheet = parse(page.as_bytes());
        assert_eq!(sheet.name, "三公");
        assert_eq!(text_at(&sheet, (0, 0)), Some("标题"));
        assert_eq!(text_at(&sheet, (1, 0)), Some("合计"));
        assert_eq!(text_at(&sheet, (1, 1)), Some("公务接待费"));
        assert_eq!(
            text_at(&sheet, (2, 1)),
            Some("预算数"),
            "the rowspan's cell skipped"
        );
        assert_eq!(text_at(&sheet, (2, 2)), Some("决算数"));
        assert_eq!(text_at(&sheet, (3, 2)), Some("3.00"));
        assert_eq!(
            text_at(&sheet, (4, 0)),
            Some("注：x"),
            "the next table below"
        );
        let spans: Vec<_> = sheet.merges.iter().map(|m| (m.start, m.end)).collect();
        assert_eq!(spans, vec![((1, 0), (2, 0)), ((1, 1), (1, 2))]);
    }

    #[test]
    fn a_gbk_page_is_decoded_as_its_meta_says() {
        let (bytes, _, _) = GB18030.encode(
            "<html><meta charset=gb2312><table><tr><td>公务接待费</td></tr></table></html>",
        );
        assert!(std::str::from_utf8(&bytes).is_err());
        let sheet = parse(&bytes);
        assert_eq!(text_at(&sheet, (0, 0)), Some("公务接待费"));
    }
}
