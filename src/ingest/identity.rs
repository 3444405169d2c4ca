//! Who and when a workbook is about: unit, department and year, from the
//! cover sheet (封面), then the titles and `编制单位` lines, then the folder
//! and file name. Disagreements are reported, never silently resolved.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::ingest::extract::SheetHints;
use crate::ingest::read::Sheet;
use crate::spec::{Catalogue, IdentitySpec};
use crate::text::{find_year, normalise, unit_name_key};

/// Fields read off a cover sheet, by canonical field name, with their cells.
pub type CoverFields = BTreeMap<String, (String, (u32, u32))>;

/// Reads the labelled fields of a cover sheet: `单位名称 | XX` or `单位名称：XX`.
pub fn read_cover(sheet: &Sheet, catalogue: &Catalogue) -> CoverFields {
    let mut fields = CoverFields::new();
    let Some(grid) = &sheet.grid else {
        return fields;
    };
    let labels: Vec<(String, &String)> = catalogue
        .cover
        .fields
        .iter()
        .flat_map(|(field, aliases)| aliases.iter().map(move |a| (a.clone(), field)))
        .collect();
    for row in grid.rows() {
        for col in grid.cols() {
            let Some(text) = grid.text(row, col) else {
                continue;
            };
            let text = normalise(text);
            let (head, inline) = match text.split_once(':') {
                Some((h, v)) => (h.to_string(), v.to_string()),
                None => (text.clone(), String::new()),
            };
            let Some((_, field)) = labels.iter().find(|(l, _)| *l == head) else {
                continue;
            };
            if fields.contains_key(*field) {
                continue;
            }
            let value = if inline.is_empty() {
                (col + 1..=grid.last_col)
                    .find_map(|c| grid.display(row, c).map(|v| (normalise(&v), (row, c))))
            } else {
                Some((inline, (row, col)))
            };
            if let Some((v, cell)) = value.filter(|(v, _)| !v.is_empty()) {
                fields.insert(field.to_string(), (v, cell));
            }
        }
    }
    // A cover title such as `2023年度部门决算报表` gives the year.
    if !fields.contains_key("year") {
        'outer: for row in grid.rows() {
            for (col, text) in grid.row_texts(row) {
                if let Some(y) = find_year(text) {
                    fields.insert("year".into(), (y.to_string(), (row, col)));
                    break 'outer;
                }
            }
        }
    }
    fields
}

/// Where an identity field came from, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Cover,
    Sheet,
    Path,
}

impl Origin {
    pub fn as_str(&self) -> &'static str {
        match self {
            Origin::Cover => "cover",
            Origin::Sheet => "title",
            Origin::Path => "path",
        }
    }
}

/// The identity of one workbook.
#[derive(Debug, Clone)]
pub struct Identity {
    pub year: i32,
    pub unit_id: String,
    pub unit_code: Option<String>,
    pub unit_name: String,
    pub dept_code: Option<String>,
    pub dept_name: String,
    pub unit_kind: Option<String>,
    pub report_type: String,
    pub family: char,
    pub origin: Origin,
}

/// Clues from the sheets of one workbook, gathered before resolving.
#[derive(Default)]
pub struct Clues {
    pub cover: Option<(String, CoverFields)>,
    /// (sheet name, hints) per recognised sheet.
    pub sheets: Vec<(String, SheetHints)>,
    pub family_a: bool,
}

/// Resolves a workbook's identity. Returns the identity (or `None` when no
/// year or unit can be found) and the conflicts worth reporting.
pub fn resolve(
    path: &Path,
    clues: &Clues,
    catalogue: &Catalogue,
) -> (Option<Identity>, Vec<String>) {
    let mut notes = Vec::new();
    let cover = clues.cover.as_ref().map(|(_, f)| f);
    let field = |name: &str| cover.and_then(|f| f.get(name)).map(|(v, _)| v.clone());

    let cover_year = field("year").and_then(|y| find_year(&y));
    let (year, mut origin) = year_of(path, clues, cover_year, &mut notes);

    let best_sheet_name = name_from_sheets(clues, field("unit_name").is_some(), &mut notes);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let identity = &catalogue.common.identity;
    let stem = without_file_name_prefix(&stem, identity);
    let (path_code, path_name) = split_file_stem(stem, &identity.document_words);
    // A file name is the last resort: it names the unit only when what it
    // holds ends as a unit's name does.
    let (path_name, not_a_name) = match path_name {
        Some(n) if !is_unit_name(&n, identity) => (None, Some(n)),
        n => (n, None),
    };
    let unit_name = match (field("unit_name"), best_sheet_name) {
        (Some(n), sheet) => {
            if let Some(s) = sheet.filter(|s| unit_name_key(s) != unit_name_key(&n)) {
                notes.push(format!(
                    "unit name conflict: cover says {n:?}, a sheet says {s:?}"
                ));
            }
            Some(n)
        }
        (None, Some(s)) => {
            if origin == Origin::Path {
                origin = Origin::Sheet;
            }
            Some(s)
        }
        (None, None) => path_name,
    };

    let (Some(year), Some(unit_name)) = (year, unit_name) else {
        if year.is_none() {
            notes.push(
                "missing year: no 年度 on a cover, no year in a title, and none in the file path"
                    .into(),
            );
        } else {
            let mut note = String::from(
                "missing unit: no 单位名称 on a cover, no 编制单位 line or title naming the unit, and no usable file name",
            );
            if let Some(n) = not_a_name {
                note.push_str(&format!(
                    " ({n:?} from the file name does not end as units' names do: {})",
                    identity.unit_name_endings.join(" ")
                ));
            }
            notes.push(note);
        }
        return (None, notes);
    };

    let unit_code = field("unit_code").or(path_code).map(|c| code_key(&c));
    let canonical = |field_name: &str, raw: Option<String>| -> Option<String> {
        let raw = raw?;
        let values = catalogue.cover.values.get(field_name)?;
        values
            .iter()
            .find(|(_, aliases)| aliases.contains(&raw))
            .map(|(k, _)| k.clone())
            .or(Some(raw))
    };
    let unit_kind = canonical("unit_kind", field("unit_kind"));
    let family = if clues.family_a { 'A' } else { 'B' };
    let report_type = canonical("report_type", field("report_type"))
        .or_else(|| {
            (family == 'A')
                .then(|| report_type_named(stem, catalogue))
                .flatten()
        })
        .unwrap_or_else(|| {
            let cover = &catalogue.cover;
            if family == 'B' {
                cover.default_report_type_b.clone()
            } else {
                cover.default_report_type_a.clone()
            }
        });
    let dept_name = field("dept_name").unwrap_or_else(|| unit_name.clone());
    let dept_code = field("dept_code").map(|c| code_key(&c)).or_else(|| {
        if field("dept_name").is_none() {
            unit_code.clone()
        } else {
            None
        }
    });
    let unit_id = unit_code
        .clone()
        .unwrap_or_else(|| format!("name:{}", unit_name_key(&unit_name)));
    (
        Some(Identity {
            year,
            unit_id,
            unit_code,
            unit_name,
            dept_code,
            dept_name,
            unit_kind,
            report_type,
            family,
            origin,
        }),
        notes,
    )
}

/// The year: the cover's, else the one most sheets state, else the path's;
/// every other year stated is a note.
fn year_of(
    path: &Path,
    clues: &Clues,
    cover_year: Option<i32>,
    notes: &mut Vec<String>,
) -> (Option<i32>, Origin) {
    let mut sheet_years: BTreeMap<i32, Vec<&str>> = BTreeMap::new();
    for (sheet, hints) in &clues.sheets {
        for (y, _) in &hints.years {
            sheet_years.entry(*y).or_default().push(sheet);
        }
    }
    let path_year = path_components(path)
        .iter()
        .rev()
        .find_map(|c| find_year(c));
    let sheet_year = sheet_years
        .iter()
        .max_by_key(|(y, s)| (s.len(), **y))
        .map(|(y, _)| *y);
    let (year, origin) = match (cover_year, sheet_year, path_year) {
        (Some(y), _, _) => (Some(y), Origin::Cover),
        (None, Some(y), _) => (Some(y), Origin::Sheet),
        (None, None, Some(y)) => (Some(y), Origin::Path),
        _ => (None, Origin::Path),
    };
    if let Some(y) = year {
        for (other, sheets) in &sheet_years {
            if *other != y {
                notes.push(format!(
                    "year conflict: {} says {y}, sheet(s) {} say {other}",
                    origin.as_str(),
                    sheets.join(", ")
                ));
            }
        }
        if let Some(p) = path_year.filter(|p| *p != y && origin != Origin::Path) {
            notes.push(format!(
                "year conflict: {} says {y}, the file path says {p}",
                origin.as_str()
            ));
        }
    }
    (year, origin)
}

/// The unit's name the sheets give most often; without a cover naming the
/// unit, sheets naming another are a note.
fn name_from_sheets(clues: &Clues, cover_named: bool, notes: &mut Vec<String>) -> Option<String> {
    // Each name the sheets give: as first written, how often, and where.
    let mut sheet_names: BTreeMap<String, (String, usize, Vec<&str>)> = BTreeMap::new();
    for (sheet, hints) in &clues.sheets {
        for (name, _) in &hints.unit_names {
            let entry =
                (sheet_names.entry(unit_name_key(name))).or_insert((name.clone(), 0, Vec::new()));
            entry.1 += 1;
            if !entry.2.contains(&sheet.as_str()) {
                entry.2.push(sheet);
            }
        }
    }
    let best = sheet_names
        .values()
        .max_by_key(|(n, count, _)| (*count, n.clone()))
        .map(|(n, _, _)| n.clone())?;
    if !cover_named && sheet_names.len() > 1 {
        let others: Vec<String> = (sheet_names.values())
            .filter(|(n, _, _)| *n != best)
            .map(|(n, _, sheets)| format!("sheet(s) {} say {n:?}", sheets.join(", ")))
            .collect();
        notes.push(format!(
            "unit name conflict: {}; the whole file is read as {best:?}'s, named most often",
            others.join("; ")
        ));
    }
    Some(best)
}

/// A unit's or department's code as one spelling, so that a code lines up
/// across years however it was typed: blanks and hyphens dropped, letters
/// upper case (`12510400mb1534567k ` → `12510400MB1534567K`), and an
/// all-digit code without the leading zeros a cell formatted as a number
/// loses (`00812345-6` and `8123456` → `8123456`).
pub fn code_key(code: &str) -> String {
    let mut key: String = (code.chars())
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if key.chars().all(|c| c.is_ascii_digit()) {
        let zeros = key.len() - key.trim_start_matches('0').len();
        key.drain(..zeros.min(key.len().saturating_sub(1)));
    }
    key
}

/// The report type a 财决 file's name states when it has no cover
/// (`XX局_汇总表.xlsx`): the longest alias of a report type (not a digit
/// code) the name contains.
fn report_type_named(stem: &str, catalogue: &Catalogue) -> Option<String> {
    let values = catalogue.cover.values.get("report_type")?;
    let stem = normalise(stem);
    (values.iter())
        .flat_map(|(canonical, aliases)| aliases.iter().map(move |a| (canonical, a)))
        .filter(|(_, alias)| alias.chars().count() >= 2 && stem.contains(alias.as_str()))
        .max_by_key(|(_, alias)| alias.len())
        .map(|(canonical, _)| canonical.clone())
}

/// Whether a text reads as a unit's name: at least three characters ending
/// as units' names do (局, 中心 …), a remark in brackets (`(本级)`) aside.
pub(crate) fn is_unit_name(text: &str, identity: &IdentitySpec) -> bool {
    let core = text
        .strip_suffix(')')
        .and_then(|t| t.rfind('('))
        .map_or(text, |open| &text[..open]);
    core.chars().count() >= 3
        && (identity.unit_name_endings.iter()).any(|e| core.ends_with(e.as_str()))
}

/// `XX局(盖章)` → `XX局`, `编制单位(盖章)` → `编制单位`: remarks in brackets
/// holding a stamp word dropped, from normalised text.
pub(crate) fn without_stamps<'t>(text: &'t str, identity: &IdentitySpec) -> Cow<'t, str> {
    let is_stamp =
        |remark: &str| (identity.stamp_words.iter()).any(|w| remark.contains(w.as_str()));
    let mut out = Cow::Borrowed(text);
    let mut from = 0;
    while let Some(open) = out[from..].find('(').map(|at| from + at) {
        let Some(close) = out[open..].find(')').map(|at| open + at) else {
            break;
        };
        if is_stamp(&out[open..close]) {
            let mut kept = out[..open].to_string();
            kept.push_str(&out[close + 1..]);
            out = Cow::Owned(kept);
            from = open;
        } else {
            from = close + 1;
        }
    }
    out
}

/// A file's name without a leading `附件3：` (a prefix of
/// `file_name_prefixes`, its number and separators).
fn without_file_name_prefix<'s>(stem: &'s str, identity: &IdentitySpec) -> &'s str {
    for prefix in &identity.file_name_prefixes {
        if let Some(rest) = stem.strip_prefix(prefix.as_str()) {
            let rest =
                rest.trim_start_matches(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c));
            return rest.trim_start_matches([':', '：', '、', ' ', '_', '-', '.', '　']);
        }
    }
    stem
}

fn path_components(path: &Path) -> Vec<String> {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect()
}

/// `501001_攀枝花市城管局_2023` → (Some("501001"), Some("攀枝花市城管局")).
/// A leading token of 6–18 letters/digits is taken as a unit code; the
/// name is what is left of the other tokens without their year and the
/// document's own words (`盐边县城市管理局2023年度部门决算` → 盐边县城市管理局).
pub(crate) fn split_file_stem(
    stem: &str,
    document_words: &[String],
) -> (Option<String>, Option<String>) {
    let tokens: Vec<&str> = stem
        .split(['_', '-', ' ', '.'])
        .filter(|t| !t.is_empty())
        .collect();
    let mut code = None;
    let mut name_parts = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let alnum = token.chars().all(|c| c.is_ascii_alphanumeric());
        let len = token.chars().count();
        if i == 0
            && alnum
            && (6..=18).contains(&len)
            && token.chars().any(|c| c.is_ascii_digit())
            && find_year(token) != Some(token.parse().unwrap_or(0))
        {
            code = Some(token.to_string());
        } else if !token.is_ascii() {
            let name = name_in_token(token, document_words);
            if !name.is_empty() {
                name_parts.push(name);
            }
        }
    }
    let name = name_parts.concat();
    (code, (!name.is_empty()).then_some(name))
}

/// A file name's token without its year and document words: the text
/// before a year (or after it, when the year comes first), less the
/// document's own words at its end.
fn name_in_token(token: &str, document_words: &[String]) -> String {
    let mut name = token;
    if let Some(year) = find_year(token) {
        let (before, after) = token.split_once(&year.to_string()).unwrap_or((token, ""));
        name = if before.chars().count() >= 2 {
            before
        } else {
            after.trim_start_matches(['年', '度'])
        };
    }
    let mut name = normalise(name);
    loop {
        let before = name.len();
        for word in document_words {
            if let Some(rest) = name.strip_suffix(word.as_str()) {
                name.truncate(rest.len());
            }
        }
        if name.len() == before {
            return name;
        }
    }
}

/// Department keys: a department's code, also for workbooks that only name
/// it (public disclosures) when another workbook of the batch links that
/// name to a code; else `name:` and the normalised name.
pub struct DeptKeys(HashMap<String, String>);

impl DeptKeys {
    pub fn new<'a>(identities: impl IntoIterator<Item = &'a Identity>) -> Self {
        let mut codes = HashMap::new();
        for id in identities {
            if let Some(code) = &id.dept_code {
                codes
                    .entry(unit_name_key(&id.dept_name))
                    .or_insert_with(|| code.clone());
            }
        }
        DeptKeys(codes)
    }

    pub fn key(&self, identity: &Identity) -> String {
        let name = unit_name_key(&identity.dept_name);
        identity
            .dept_code
            .clone()
            .or_else(|| self.0.get(&name).cloned())
            .unwrap_or_else(|| format!("name:{name}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_dropped_wherever_they_stand() {
        let catalogue = Catalogue::builtin().expect("specs");
        let identity = &catalogue.common.identity;
        assert_eq!(without_stamps("某局(本级)(盖章)", identity), "某局(本级)");
        assert_eq!(without_stamps("编制单位(盖章)", identity), "编制单位");
        assert_eq!(without_stamps("某局(本级)", identity), "某局(本级)");
        assert_eq!(without_stamps("某局(", identity), "某局(");
    }

    #[test]
    fn codes_line_up_however_they_were_typed() {
        assert_eq!(code_key("00812345-6"), code_key("8123456"));
        assert_eq!(code_key("12510400mb1534567k "), "12510400MB1534567K");
        assert_eq!(code_key("1001001"), "1001001");
        assert_eq!(code_key("000"), "0");
        assert_eq!(code_key(""), "");
    }

    #[test]
    fn file_names_give_code_and_name() {
        let catalogue = Catalogue::builtin().expect("specs");
        let words = &catalogue.common.identity.document_words;
        let cases = [
            (
                "501001_攀枝花市城管局_2023",
                (Some("501001"), Some("攀枝花市城管局")),
            ),
            ("2023_攀枝花市城管局", (None, Some("攀枝花市城管局"))),
            (
                "盐边县城市管理局2023年度部门决算",
                (None, Some("盐边县城市管理局")),
            ),
            (
                "2023年度盐边县城市管理局部门决算公开表",
                (None, Some("盐边县城市管理局")),
            ),
            (
                "盐边县城市管理局_2023年_部门决算",
                (None, Some("盐边县城市管理局")),
            ),
            ("report", (None, None)),
        ];
        for (stem, (code, name)) in cases {
            assert_eq!(
                split_file_stem(stem, words),
                (code.map(String::from), name.map(String::from)),
                "{stem}"
            );
        }
    }
}
