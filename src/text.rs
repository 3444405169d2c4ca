//! Normalisation of the text found in real workbooks, so that labels typed by
//! hundreds of people in a dozen tools compare equal: full-width forms, stray
//! spaces inside labels (`因 公 出 国`), numbering (`一、`, `（一）`, `1.`),
//! `其中：` prefixes and quotes around 三公.

use std::fmt::Write;

/// Maps full-width ASCII (U+FF01–U+FF5E) and the ideographic space to their
/// half-width forms; other characters are kept.
pub fn to_half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The comparable form of a cell's text: half-width, no whitespace, no quotes,
/// brackets unified to `(`/`)`, colons to `:`.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalise_into(text, &mut out);
    out
}

/// [`normalise`], appending to `out`.
pub fn normalise_into(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    // Runs of characters that stay as they are are copied whole: ASCII other
    // than blanks, quotes and square brackets, and the CJK ideographs
    // (U+4000–U+9FFF, lead bytes E4–E9), which nothing maps.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if !matches!(b, b'\t'..=b'\r' | b' ' | b'"' | b'\'' | b'[' | b']') {
                i += 1;
                continue;
            }
        } else if (0xE4..=0xE9).contains(&b) {
            i += 3;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or_default();
        let mapped = normalise_char(c);
        if mapped == Some(c) {
            i += c.len_utf8();
            continue;
        }
        out.push_str(&text[run..i]);
        if let Some(m) = mapped {
            out.push(m);
        }
        i += c.len_utf8();
        run = i;
    }
    out.push_str(&text[run..]);
}

/// What [`normalise`] makes of one character (`None`: dropped).
fn normalise_char(c: char) -> Option<char> {
    let c = to_half_width(c);
    match c {
        c if dropped_by_normalise(c) => None,
        '〔' | '［' | '[' | '【' => Some('('),
        '〕' | '］' | ']' | '】' => Some(')'),
        '：' => Some(':'),
        '，' => Some(','),
        _ => Some(c),
    }
}

/// Whether [`normalise`] drops a (half-width) character: whitespace and quotes.
pub fn dropped_by_normalise(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」' | '《' | '》'
        )
}

/// A row label reduced to its words: normalised, then numbering such as `一、`,
/// `(一)`, `1.`, `1、`, `①` and a leading `其中:` removed.
pub fn label_key(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    label_key_into(text, &mut s);
    s
}

thread_local! {
    /// Label keys already worked out on this thread: the same row labels and
    /// headings come back in workbook after workbook.
    static LABEL_KEYS: std::cell::RefCell<foldhash::HashMap<Box<str>, Box<str>>> =
        Default::default();
}

/// Distinct texts remembered per thread before starting afresh.
const LABEL_KEYS_KEPT: usize = 1 << 16;

/// [`label_key`] into `out` (cleared first), reusing its allocation.
pub fn label_key_into(text: &str, out: &mut String) {
    LABEL_KEYS.with_borrow_mut(|known| {
        out.clear();
        if let Some(key) = known.get(text) {
            out.push_str(key);
            return;
        }
        work_out_label_key(text, out);
        if known.len() >= LABEL_KEYS_KEPT {
            known.clear();
        }
        known.insert(text.into(), out.as_str().into());
    });
}

fn work_out_label_key(text: &str, out: &mut String) {
    normalise_into(text, out);
    let (start, end) = label_key_span(out);
    out.truncate(end);
    if start > 0 {
        out.drain(..start);
    }
}

/// The byte range of a normalised text that [`label_key`] keeps.
fn label_key_span(normalised: &str) -> (usize, usize) {
    let mut s = normalised;
    // Only numbering and these prefixes are stripped: most labels start
    // with neither.
    let may_strip = s
        .chars()
        .next()
        .is_some_and(|c| is_numeral(c) || matches!(c, '(' | '①'..='⑳' | '其' | '减' | '加'));
    if may_strip {
        loop {
            let before = s.len();
            s = strip_numbering(s);
            for prefix in ["其中:", "其中", "减:", "加:"] {
                if let Some(rest) = s.strip_prefix(prefix)
                    && !rest.is_empty()
                {
                    s = rest;
                }
            }
            if s.len() == before {
                break;
            }
        }
    }
    let start = normalised.len() - s.len();
    (start, start + s.trim_end_matches(':').len())
}

fn is_numeral(c: char) -> bool {
    matches!(
        c,
        '0'..='9' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Removes one leading numbering token: `一、`, `(一)`, `(1)`, `1.`, `1、`, `①`.
fn strip_numbering(s: &str) -> &str {
    let Some(first) = s.chars().next() else {
        return s;
    };
    if ('①'..='⑳').contains(&first) {
        return &s[first.len_utf8()..];
    }
    // (一) / (1)
    if first == '(' {
        if let Some(close) = s.find(')') {
            let inner = &s[1..close];
            if !inner.is_empty() && inner.chars().all(is_numeral) {
                return &s[close + 1..];
            }
        }
        return s;
    }
    // 一、 / 1. / 1、 / 12、
    let numeral_end = s
        .char_indices()
        .find(|&(_, c)| !is_numeral(c))
        .map_or(s.len(), |(i, _)| i);
    if numeral_end > 0 && numeral_end < s.len() {
        let mut rest = s[numeral_end..].chars();
        let sep = rest.next().unwrap_or_default();
        if matches!(sep, '、' | '.' | '．' | ',') {
            // `1.5` is a number, not numbering.
            let next_is_digit = rest.next().is_some_and(|c| c.is_ascii_digit());
            if !(sep == '.' && next_is_digit) {
                return &s[numeral_end + sep.len_utf8()..];
            }
        }
    }
    s
}

/// Name of a unit made comparable across years and tools: normalised, with
/// brackets and punctuation removed (`攀枝花市城市管理行政执法局（本级）` and
/// `攀枝花市城市管理行政执法局(本级)` are the same unit).
pub fn unit_name_key(name: &str) -> String {
    normalise(name)
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '·' | '.' | ',' | '、' | '-' | '_' | ':'))
        .collect()
}

/// A1 reference of a 0-based (row, col) position.
/// The column of a position that is a narrative document's line, not a cell.
pub const DOCUMENT_LINE: u32 = u32::MAX;

/// A position as a reader names it: a cell in A1 form, or a document's line
/// (`第12行`) when its column is [`DOCUMENT_LINE`].
pub fn cell_ref(row: u32, col: u32) -> String {
    if col == DOCUMENT_LINE {
        format!("第{}行", u64::from(row) + 1)
    } else {
        a1(row, col)
    }
}

pub fn a1(row: u32, col: u32) -> String {
    let mut text = String::with_capacity(8);
    push_a1(&mut text, row, col);
    text
}

/// [`a1`], appended to `out`: the column's letters (0 → `A`, 26 → `AA`),
/// then the row's number.
pub fn push_a1(out: &mut String, row: u32, col: u32) {
    // Seven letters hold any u32 (26^7 > 2^32).
    let mut letters = [0u8; 7];
    let mut at = letters.len();
    let mut col = col;
    loop {
        at -= 1;
        letters[at] = b'A' + (col % 26) as u8;
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.extend(letters[at..].iter().map(|&b| char::from(b)));
    let _ = write!(out, "{}", u64::from(row) + 1);
}

/// The first calendar year (1990–2099) written in `text`, as in `2023年度`:
/// a run of exactly four digits (full-width ones too).
pub fn find_year(text: &str) -> Option<i32> {
    let mut run = 0usize;
    let mut value = 0i32;
    for c in text.chars().map(to_half_width).chain(std::iter::once(' ')) {
        if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
            run += 1;
            if run <= 4 {
                value = value * 10 + d as i32;
            }
            continue;
        }
        if run == 4 && (1990..=2099).contains(&value) {
            return Some(value);
        }
        run = 0;
        value = 0;
    }
    None
}

/// A text a fact carries: its form, item and column keys, subject code,
/// unit of measure, sheet name, row label, column heading and unit of money.
///
/// These are a small vocabulary — the spec's keys, the 功能分类 and 经济分类
/// codes and names, the headings and sheet names of a few export tools —
/// repeated in every fact of every workbook, so each distinct text is kept
/// once for the life of the process ([`intern`]) and a fact holds plain
/// references. A fact is then plain data: made, handed to the writer thread
/// and let go without an allocation or a reference count, which facts
/// made on one core and dropped on another used to contend for.
pub type Text = &'static str;

thread_local! {
    /// This thread's interned texts: each reading worker keeps its own, so
    /// interning takes no lock (a text seen by two workers is kept twice).
    /// A row label's text maps to its label key once [`intern_label`] has
    /// been asked for it.
    static INTERNED: std::cell::RefCell<foldhash::HashMap<Text, Option<Text>>> =
        Default::default();
}

/// `text` as a [`Text`], kept for the rest of the process the first time
/// this thread sees it.
pub fn intern(text: &str) -> Text {
    if text.is_empty() {
        return "";
    }
    INTERNED.with_borrow_mut(|known| match known.get_key_value(text) {
        Some((&kept, _)) => kept,
        None => {
            let kept: Text = Box::leak(Box::from(text));
            known.insert(kept, None);
            kept
        }
    })
}

/// A row label interned, with its [`label_key`] interned too: the label
/// of every row is kept with its facts and its key names the row's item,
/// and one look-up gives both (the key is worked out the first time).
/// Titles and unit lines, which name units and so are no small vocabulary,
/// go through [`label_key`]'s bounded memo instead and are never interned.
pub fn intern_label(text: &str) -> (Text, Text) {
    if text.is_empty() {
        return ("", "");
    }
    let known = INTERNED.with_borrow(|known| known.get_key_value(text).map(|(&t, &key)| (t, key)));
    if let Some((kept, Some(key))) = known {
        return (kept, key);
    }
    let kept = intern(text);
    let mut key = String::with_capacity(text.len());
    work_out_label_key(text, &mut key);
    let key = intern(&key);
    INTERNED.with_borrow_mut(|known| known.insert(kept, Some(key)));
    (kept, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_lose_numbering_spaces_and_width() {
        assert_eq!(
            label_key("一、一般公共预算财政拨款收入"),
            "一般公共预算财政拨款收入"
        );
        assert_eq!(label_key("（一）基本支出"), "基本支出");
        assert_eq!(label_key("1.因 公 出 国（境）费"), "因公出国(境)费");
        assert_eq!(label_key("  其中：公务用车购置费"), "公务用车购置费");
        assert_eq!(label_key("财政拨款“三公”经费"), "财政拨款三公经费");
        assert_eq!(label_key("①货物"), "货物");
        assert_eq!(label_key("(1)工程"), "工程");
        assert_eq!(label_key("１２、住房保障支出"), "住房保障支出");
    }

    /// The character-by-character definition [`normalise`] must agree with.
    fn normalise_reference(text: &str) -> String {
        text.chars().filter_map(normalise_char).collect()
    }

    #[test]
    fn normalise_agrees_with_its_definition() {
        let samples = [
            "",
            " ",
            "项目",
            "一、一般公共预算财政拨款收入",
            "  其中：公务用车购置费 ",
            "财政拨款“三公”经费\t支出",
            "〔2023〕【注】［a］[b] 「c」《d》‘e’'f'\"g\"",
            "单位：万元，人",
            "ＡＢＣ１２３　全角",
            "\u{a0}\u{2003}x\u{3000}y\u{85}z",
            "¥€→①⑳ 𠀀 emoji 🙂 ок",
        ];
        for s in samples {
            assert_eq!(normalise(s), normalise_reference(s), "{s:?}");
        }
        // Every character of the BMP and some beyond, alone and in context.
        for cp in 0..0x3_0000u32 {
            if let Some(c) = char::from_u32(cp) {
                let s = format!("a{c}中{c}");
                assert_eq!(normalise(&s), normalise_reference(&s), "{cp:X}");
            }
        }
    }

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(4, 701), "ZZ5");
        assert_eq!(a1(4, 702), "AAA5");
        assert_eq!(a1(u32::MAX, u32::MAX), "MWLQKWV4294967296");
    }

    #[test]
    fn years_in_titles_and_paths() {
        assert_eq!(
            find_year("攀枝花市城市管理行政执法局2023年度部门决算"),
            Some(2023)
        );
        assert_eq!(find_year("２０２２年度"), Some(2022));
        assert_eq!(find_year("编码20805012023"), None);
        assert_eq!(find_year("501001_2021_xx.xlsx"), Some(2021));
    }

    #[test]
    fn unit_names_ignore_punctuation() {
        assert_eq!(
            unit_name_key("攀枝花市城市管理行政执法局（本级）"),
            unit_name_key("攀枝花市城市管理行政执法局(本级)")
        );
    }

    #[test]
    fn interned_texts_are_kept_once_by_content() {
        let label = String::from("一般公共服务支出");
        let first = intern(&label);
        let again = intern(&String::from("一般公共服务支出"));
        assert_eq!(first, label);
        assert!(std::ptr::eq(first, again), "one copy per distinct text");
        assert!(!std::ptr::eq(intern("基本支出"), first));
        assert_eq!(intern(""), "");
    }

    #[test]
    fn an_interned_label_comes_with_its_label_key() {
        for text in [
            "（一）基本支出",
            "基本支出",
            "1.因 公 出 国（境）费",
            "一、",
            "",
        ] {
            // Whether or not the text was interned before as a plain text.
            for _ in 0..2 {
                let (kept, key) = intern_label(text);
                assert!(std::ptr::eq(kept, intern(text)));
                assert_eq!(key, label_key(text));
                assert!(std::ptr::eq(key, intern(&label_key(text))));
            }
        }
        intern("二、项目支出");
        assert_eq!(intern_label("二、项目支出").1, "项目支出");
    }
}
