//! Read stage for narratives: a document file → its text as numbered lines.
//! `.txt` (UTF-8, UTF-16 with a byte-order mark, else GB18030/GBK), `.docx`
//! (its paragraphs, table rows as tab-separated lines), `.html`, and `.pdf`
//! (its text layer; lines a page wraps are joined back into their paragraph). What cannot be read — a legacy `.doc`,
//! an encrypted file, a scanned PDF — is an error naming the reason.

use std::io::Read;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::ingest::read::spreadsheetml::entity;

/// Extensions read as narrative documents (compared case-insensitively).
pub const DOCUMENT_EXTENSIONS: &[&str] = &["txt", "docx", "doc", "pdf", "html", "htm"];

/// One line of a document as a reader sees it: a paragraph, with where it
/// starts.
#[derive(Debug, Clone, Default)]
pub struct Line {
    /// 1-based page, for PDFs.
    pub page: Option<u32>,
    /// 1-based line of the file (of the page's text for PDFs) where it starts.
    pub number: u32,
    pub text: String,
}

/// A document's text.
#[derive(Debug, Clone)]
pub struct DocumentText {
    pub format: &'static str,
    pub lines: Vec<Line>,
}

pub fn is_document(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    !name.starts_with("~$")
        && path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e.as_str()))
}

/// Reads a document's text; the error says why it cannot be read.
pub fn read_document(path: &Path) -> Result<DocumentText, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let (format, lines) = match ext.as_str() {
        "doc" | "docx" if ole => {
            return Err(if ext == "doc" {
                "a legacy Word 97–2003 .doc is not read: save it as .docx or PDF".into()
            } else {
                "an encrypted (password-protected) .docx is not read".into()
            });
        }
        "doc" => return Err("a .doc that is not a Word 97–2003 file; save it as .docx".into()),
        "docx" => ("docx", numbered(docx_text(&bytes)?)),
        "pdf" => ("pdf", pdf_lines(&bytes)?),
        "html" | "htm" => ("html", numbered(html_text(&bytes))),
        _ => (
            "txt",
            numbered(clean_txt(&crate::ingest::read::html::decode(&bytes))),
        ),
    };
    if lines.iter().all(|l| l.text.trim().is_empty()) {
        return Err(match format {
            "pdf" => "the PDF has no text layer (a scanned document?): no text to read".into(),
            _ => "the document holds no text".into(),
        });
    }
    Ok(DocumentText { format, lines })
}

fn numbered(text: String) -> Vec<Line> {
    text.lines()
        .enumerate()
        .map(|(i, l)| Line {
            page: None,
            number: i as u32 + 1,
            text: l.trim_end().to_string(),
        })
        .collect()
}

/// A converter's marks left in text exports (`[image: ]`, `[bookmark: _Toc…]`)
/// are not the document's text.
fn clean_txt(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["[image:", "[bookmark:"]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
    {
        out.push_str(&rest[..at]);
        match rest[at..].find(']') {
            Some(end) => rest = &rest[at + end + 1..],
            None => {
                rest = &rest[at..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `word/document.xml`: a line per paragraph, a table row as its cells'
/// text joined by tabs.
fn docx_text(bytes: &[u8]) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a .docx (not a zip archive: {e})"))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|_| "not a .docx: it has no word/document.xml".to_string())?
        .read_to_string(&mut xml)
        .map_err(|e| format!("word/document.xml cannot be read: {e}"))?;
    let mut reader = Reader::from_str(&xml);
    let mut text = DocxText::default();
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "word/document.xml is not well-formed at byte {}: {e}",
                reader.buffer_position()
            )
        })?;
        match event {
            Event::Start(e) => text.start(e.local_name().as_ref().as_bytes()),
            Event::Empty(e) => text.empty(e.local_name().as_ref().as_bytes()),
            Event::End(e) => text.end(e.local_name().as_ref().as_bytes()),
            Event::Text(t) if text.in_run_text => text.out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if text.in_run_text => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => entity(&r),
                };
                text.out.extend(resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(text.out)
}

/// The text of `word/document.xml` as it is read.
#[derive(Default)]
struct DocxText {
    out: String,
    in_run_text: bool,
    /// Table cells open (tables nest).
    cells: usize,
}

impl DocxText {
    fn start(&mut self, name: &[u8]) {
        match name {
            b"t" => self.in_run_text = true,
            b"tc" => self.cells += 1,
            _ => {}
        }
    }

    fn empty(&mut self, name: &[u8]) {
        match name {
            b"tab" => self.out.push('\t'),
            b"br" | b"cr" if self.cells == 0 => self.out.push('\n'),
            b"br" | b"cr" => self.out.push(' '),
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"t" => self.in_run_text = false,
            // Paragraphs inside a cell stay on the row's line.
            b"p" if self.cells == 0 => self.out.push('\n'),
            b"p" => self.out.push(' '),
            b"tc" => {
                self.cells = self.cells.saturating_sub(1);
                if self.out.ends_with(' ') {
                    self.out.pop();
                }
                self.out.push('\t');
            }
            b"tr" => self.out.push('\n'),
            _ => {}
        }
    }
}

/// A PDF's text layer, page by page (`pdf-extract`); lines that only wrap
/// a paragraph are joined to it. The extractor runs behind a panic guard: a
/// malformed PDF is a reason, not a crash.
fn pdf_lines(bytes: &[u8]) -> Result<Vec<Line>, String> {
    let pages = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes))
        .map_err(|_| "the PDF could not be read (its structure is damaged)".to_string())?
        .map_err(|e| {
            let said = e.to_string();
            if said.contains("ncrypt") || said.contains("password") {
                format!("the PDF is encrypted: {said}")
            } else {
                format!("the PDF could not be read: {said}")
            }
        })?;
    let mut lines = Vec::new();
    for (page, text) in pages.iter().enumerate() {
        lines.extend(page_paragraphs(page as u32 + 1, text));
    }
    for line in &mut lines {
        line.text = squeeze_spaces(&line.text);
    }
    Ok(lines)
}

/// Extraction puts a space between Chinese and a number (`支出 61.62 万元`);
/// Chinese text has none there, and a sentence reads as written without it.
fn squeeze_spaces(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let wide = |c: Option<&char>| c.is_some_and(|c| *c as u32 >= 0x2E80);
    chars
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            !(**c == ' ' && (wide(chars.get(i.wrapping_sub(1))) || wide(chars.get(i + 1))))
        })
        .map(|(_, c)| *c)
        .collect()
}

/// A page's lines joined into paragraphs: a line as wide as the page's
/// widest that does not end a sentence was wrapped, and the next goes on it.
fn page_paragraphs(page: u32, text: &str) -> Vec<Line> {
    let width = text
        .lines()
        .map(|l| l.trim().chars().count())
        .max()
        .unwrap_or(0);
    let wrapped = |line: &str| {
        let n = line.chars().count();
        n * 10 >= width * 8 && !line.ends_with(['。', '：', ':', '；', '！', '？'])
    };
    let mut lines = Vec::new();
    let mut paragraph: Option<(Line, bool)> = None;
    for (i, raw) in text.lines().enumerate() {
        let raw = raw.trim();
        match &mut paragraph {
            Some((p, open)) if *open && !raw.is_empty() && !starts_paragraph(raw) => {
                p.text.push_str(raw);
                *open = wrapped(raw);
            }
            _ => {
                lines.extend(paragraph.take().map(|(p, _)| p));
                if !raw.is_empty() {
                    let line = Line {
                        page: Some(page),
                        number: i as u32 + 1,
                        text: raw.to_string(),
                    };
                    paragraph = Some((line, wrapped(raw)));
                }
            }
        }
    }
    lines.extend(paragraph.map(|(p, _)| p));
    lines
}

/// A line starting so starts a paragraph: a numbered heading or item.
fn starts_paragraph(line: &str) -> bool {
    let first = line.chars().next().unwrap_or(' ');
    matches!(
        first,
        '（' | '('
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '第'
            | '•'
    ) || (first.is_ascii_digit() && line.chars().take(4).any(|c| matches!(c, '.' | '、' | '．')))
}

/// An HTML page's visible text, a line per block and a table row as its
/// cells joined by tabs.
fn html_text(bytes: &[u8]) -> String {
    use html5gum::{Token, Tokenizer};
    let text = crate::ingest::read::html::decode(bytes);
    let mut out = String::new();
    let mut hidden = false;
    for token in Tokenizer::new(text.as_str()).flatten() {
        match token {
            Token::StartTag(tag) => match tag.name.as_slice() {
                b"script" | b"style" | b"title" => hidden = true,
                b"br" => out.push('\n'),
                _ => {}
            },
            Token::EndTag(tag) => match tag.name.as_slice() {
                b"script" | b"style" | b"title" => hidden = false,
                b"td" | b"th" => out.push('\t'),
                b"p" | b"div" | b"tr" | b"li" | b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6"
                | b"table" => out.push('\n'),
                _ => {}
            },
            Token::String(s) if !hidden => {
                let s = String::from_utf8_lossy(&s.value);
                out.push_str(&s.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            _ => {}
        }
    }
    out
}
