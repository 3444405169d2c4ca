//! Normalisation of the text found in real workbooks, so that labels typed by
//! hundreds of people in a dozen tools compare equal: full-width forms, stray
//! spaces inside labels (`因 公 出 国`), numbering (`一、`, `（一）`, `1.`),
//! `其中：` prefixes and quotes around 三公.

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
    for c in text.chars() {
        let c = to_half_width(c);
        match c {
            c if c.is_whitespace() => {}
            '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」' | '《' | '》' => {}
            '〔' | '［' | '[' | '【' => out.push('('),
            '〕' | '］' | ']' | '】' => out.push(')'),
            '：' => out.push(':'),
            '，' => out.push(','),
            _ => out.push(c),
        }
    }
    out
}

/// A row label reduced to its words: normalised, then numbering such as `一、`,
/// `(一)`, `1.`, `1、`, `①` and a leading `其中:` removed.
pub fn label_key(text: &str) -> String {
    let mut s = normalise(text);
    loop {
        let before = s.len();
        s = strip_numbering(&s).to_string();
        for prefix in ["其中:", "其中", "减:", "加:"] {
            if let Some(rest) = s.strip_prefix(prefix)
                && !rest.is_empty()
            {
                s = rest.to_string();
            }
        }
        if s.len() == before {
            break;
        }
    }
    s.trim_end_matches(':').to_string()
}

const CHINESE_NUMERALS: &str = "一二三四五六七八九十";

/// Removes one leading numbering token: `一、`, `(一)`, `(1)`, `1.`, `1、`, `①`.
fn strip_numbering(s: &str) -> &str {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    if chars.is_empty() {
        return s;
    }
    let first = chars[0].1;
    if ('①'..='⑳').contains(&first) {
        return &s[first.len_utf8()..];
    }
    // (一) / (1)
    if first == '(' {
        if let Some(close) = s.find(')') {
            let inner = &s[1..close];
            if !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || CHINESE_NUMERALS.contains(c))
            {
                return &s[close + 1..];
            }
        }
        return s;
    }
    // 一、 / 1. / 1、 / 12、
    let numeral_end = chars
        .iter()
        .take_while(|(_, c)| c.is_ascii_digit() || CHINESE_NUMERALS.contains(*c))
        .count();
    if numeral_end > 0 && numeral_end < chars.len() {
        let sep = chars[numeral_end].1;
        if matches!(sep, '、' | '.' | '．' | ',') {
            // `1.5` is a number, not numbering.
            let next_is_digit = chars
                .get(numeral_end + 1)
                .is_some_and(|(_, c)| c.is_ascii_digit());
            if !(sep == '.' && next_is_digit) {
                let cut = chars
                    .get(numeral_end + 1)
                    .map(|(i, _)| *i)
                    .unwrap_or(s.len());
                return &s[cut..];
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

/// Excel column letters for a 0-based column index (0 → `A`, 26 → `AA`).
pub fn column_letters(mut col: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push((b'A' + (col % 26) as u8) as char);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// A1 reference of a 0-based (row, col) position.
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// The first calendar year (1990–2099) written in `text`, as in `2023年度`.
pub fn find_year(text: &str) -> Option<i32> {
    let bytes: Vec<char> = text.chars().map(to_half_width).collect();
    for window_start in 0..bytes.len().saturating_sub(3) {
        let window = &bytes[window_start..window_start + 4];
        if !window.iter().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let before_is_digit = window_start > 0 && bytes[window_start - 1].is_ascii_digit();
        let after_is_digit = bytes
            .get(window_start + 4)
            .is_some_and(|c| c.is_ascii_digit());
        if before_is_digit || after_is_digit {
            continue;
        }
        let year: i32 = window.iter().collect::<String>().parse().ok()?;
        if (1990..=2099).contains(&year) {
            return Some(year);
        }
    }
    None
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

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(4, 701), "ZZ5");
        assert_eq!(a1(4, 702), "AAA5");
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
}
