//! Identity stage for narratives: unit, year and kind of document from its
//! title and first lines, else from sentences that name the unit and year
//! (`纳入XX局2023年度部门决算编制范围`, `核查单位：XX局`), else from the file name.

use std::path::Path;

use crate::text::find_year;

use super::document::Line;
use super::spec::IdentityWords;

/// The kind of a department's own report, and of a unit's.
pub const DEPARTMENT_REPORT: &str = "部门决算";
pub const UNIT_REPORT: &str = "单位决算";

/// Who and what a document is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentIdentity {
    pub unit_name: String,
    pub year: i32,
    /// 部门决算, 单位决算, 绩效自评 or 预算 (claims.toml `[identity] kinds`).
    pub kind: String,
    /// Where the unit's name was found: `title`, `text` or `path`.
    pub origin: &'static str,
}

/// Lines looked at for a title.
const TITLE_LINES: usize = 6;
/// Lines looked at for sentences naming the unit and year.
const OPENING_LINES: usize = 80;

/// The identity, or why it cannot be found.
pub fn identify(
    path: &Path,
    lines: &[Line],
    document_words: &[String],
    w: &IdentityWords,
) -> Result<DocumentIdentity, String> {
    let opening: Vec<&str> = lines
        .iter()
        .map(|l| l.text.trim())
        .filter(|t| !t.is_empty())
        .take(OPENING_LINES)
        .collect();
    let title = opening
        .iter()
        .take(TITLE_LINES)
        .find_map(|l| title_unit_year(l, w));
    // The sentences naming the unit may come late (a 绩效 table's 预算单位).
    let stated = lines
        .iter()
        .find_map(|l| stated_unit_year(l.text.trim(), w));
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let (_, path_name) = crate::ingest::identity::split_file_stem(&stem, document_words);
    let year = title
        .as_ref()
        .map(|t| t.1)
        .or(stated.as_ref().and_then(|s| s.1))
        .or_else(|| opening.iter().find_map(|l| report_year(l, w)))
        .or_else(|| find_year(&stem));
    let (unit_name, origin) = match (title, stated) {
        (Some((name, _)), _) => (Some(name), "title"),
        (None, Some((name, _))) => (Some(name), "text"),
        (None, None) => (path_name, "path"),
    };
    let kind = kind_of(&opening, w);
    match (unit_name, year) {
        (Some(unit_name), Some(year)) => Ok(DocumentIdentity { unit_name, year, kind, origin }),
        (None, _) => Err("missing unit: no title naming it, no 纳入…编制范围 or 单位： line, and no usable file name".into()),
        (_, None) => Err("missing year: no year in the title, the first lines or the file name".into()),
    }
}

/// `XX局2023年度部门决算` or `2022年XX局部门整体支出绩效自评报告`.
fn title_unit_year(line: &str, w: &IdentityWords) -> Option<(String, i32)> {
    let line: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if line.chars().count() > 60 || !w.title_words.iter().any(|t| line.contains(t.as_str())) {
        return None;
    }
    let year = find_year(&line)?;
    let (before, after) = line.split_once(&year.to_string())?;
    let before = before.trim_start_matches(|c: char| !c.is_alphanumeric());
    if let Some(name) = unit_name_at_end(before, w) {
        return Some((name, year));
    }
    let after = after.trim_start_matches(['年', '度']);
    let cut = w
        .title_ends
        .iter()
        .filter_map(|t| after.find(t.as_str()))
        .min()?;
    unit_name_at_end(&after[..cut], w).map(|n| (n, year))
}

/// A sentence naming the unit (and maybe the year): `纳入XX局2023年度部门决算编制范围`,
/// `核查单位：XX局`, `XX局(以下简称“区城管局”)`.
fn stated_unit_year(line: &str, w: &IdentityWords) -> Option<(String, Option<i32>)> {
    if let Some((_, rest)) = line.split_once("纳入")
        && let Some(year) = find_year(rest)
        && let Some((name, _)) = rest.split_once(&year.to_string())
        && let Some(name) = unit_name_at_end(name, w)
    {
        return Some((name, Some(year)));
    }
    for label in &w.unit_labels {
        if let Some(rest) = line.strip_prefix(label.as_str()) {
            let rest = rest.trim_start_matches([':', '：', ' ', '\t', '\u{3000}']);
            let name: String = rest
                .chars()
                .take_while(|c| !matches!(c, '（' | '(' | ' ' | '，' | ','))
                .collect();
            if let Some(name) = unit_name_at_end(&name, w) {
                let year = find_year(rest);
                return Some((name, year));
            }
        }
    }
    let at = line.find("(以下简称").or_else(|| line.find("（以下简称"))?;
    let before = &line[..at];
    let start = before
        .rfind([',', '，', '。', ' '])
        .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    unit_name_at_end(&before[start..], w).map(|n| (n, None))
}

/// `第二部分 2023年度部门决算情况说明`: the year a report is about.
fn report_year(line: &str, w: &IdentityWords) -> Option<i32> {
    let year = find_year(line)?;
    let after = line
        .split_once(&year.to_string())?
        .1
        .trim_start_matches(['年', '度', ' ']);
    w.report_words
        .iter()
        .any(|r| after.starts_with(r.as_str()))
        .then_some(year)
}

/// `text` when it is a unit's name: 2 to 40 characters ending like one.
fn unit_name_at_end(text: &str, w: &IdentityWords) -> Option<String> {
    let name =
        text.trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | '，' | ','));
    let name = name.trim_start_matches(w.before_name.as_slice());
    let n = name.chars().count();
    ((3..=40).contains(&n)
        && w.unit_endings.iter().any(|e| name.ends_with(e.as_str()))
        && !name.contains(['。', '；']))
    .then(|| name.to_string())
}

/// The document's kind: the first of the spec's kinds its opening lines tell.
fn kind_of(opening: &[&str], w: &IdentityWords) -> String {
    let head = opening
        .iter()
        .take(TITLE_LINES * 4)
        .copied()
        .collect::<Vec<_>>()
        .concat();
    let says = |words: &[String]| words.iter().any(|x| head.contains(x.as_str()));
    w.kinds
        .iter()
        .find(|k| says(&k.words) && !says(&k.unless))
        .map_or_else(|| w.default_kind.clone(), |k| k.kind.clone())
}
