//! `claims.toml`: the narrative's vocabulary — units, the words that make a
//! number a share, a change or a rate, and the subjects figures are about.

use anyhow::{Context, Result, bail};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use crate::spec::SpecFiles;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecFile {
    units: UnitsFile,
    identity: IdentityWords,
    kinds: Kinds,
    words: Words,
    subjects: Vec<Subject>,
    #[serde(default)]
    identities: Vec<PartsIdentity>,
    #[serde(default)]
    rows: RowsFile,
}

/// `[rows]`: the tables a narrative's 功能分类 figures are compared with.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RowsFile {
    #[serde(default)]
    tables: Vec<TableColumn>,
    #[serde(default)]
    classes_under: Vec<String>,
}

/// A column of a form whose rows are 功能分类 codes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableColumn {
    pub form: String,
    pub column: String,
}

/// Where a narrative's 类 and 类/款/项 lines are found in the tables: the
/// first of `tables` holding the row's code; a 类 only when stated as a
/// part of (or in a sentence about) one of `classes_under`. `class_names`
/// are each 类's names ([`name_key`]), by code.
#[derive(Debug, Clone, Default)]
pub struct TableRows {
    pub tables: Vec<TableColumn>,
    pub classes_under: Vec<String>,
    pub class_names: BTreeMap<String, Vec<String>>,
}

/// A 功能分类 name as compared: folded, without spaces and without a
/// trailing 支出 (`其他组织事务支出` and `其他组织事务` are one line).
pub fn name_key(name: &str) -> String {
    let folded: String = fold(name).chars().filter(|c| !c.is_whitespace()).collect();
    folded
        .strip_suffix("支出")
        .filter(|s| !s.is_empty())
        .unwrap_or(&folded)
        .to_string()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    money: BTreeMap<String, String>,
    counts: Vec<String>,
}

/// Words before a number that say what kind of figure it is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kinds {
    pub share: Vec<String>,
    pub increase: Vec<String>,
    pub decrease: Vec<String>,
    pub flat: Vec<String>,
    pub rate: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub targets: Vec<String>,
    pub parts_follow: Vec<String>,
    pub unknown_subject_endings: Vec<String>,
    pub connectors: Vec<String>,
    pub budget: Vec<String>,
    pub actual: Vec<String>,
    pub template_leftovers: Vec<String>,
    pub actual_below_budget: Vec<String>,
    pub actual_above_budget: Vec<String>,
    pub actual_equals_budget: Vec<String>,
}

/// The words a document's identity is found by (`[identity]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityWords {
    pub unit_endings: Vec<String>,
    pub before_name: Vec<char>,
    pub title_words: Vec<String>,
    pub title_ends: Vec<String>,
    pub unit_labels: Vec<String>,
    pub report_words: Vec<String>,
    pub kinds: Vec<DocumentKind>,
    pub default_kind: String,
}

/// A kind of document and the words that tell it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentKind {
    pub kind: String,
    pub words: Vec<String>,
    #[serde(default)]
    pub unless: Vec<String>,
}

/// What a figure is about.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub key: String,
    pub label: String,
    pub aliases: Vec<String>,
    /// The measure (measures.toml) an actual figure of this subject restates.
    #[serde(default)]
    pub measure: Option<String>,
    /// The measure a budget figure of this subject restates.
    #[serde(default)]
    pub budget_measure: Option<String>,
    /// The measure a count of this subject restates, by the count's unit.
    #[serde(default)]
    pub counts: BTreeMap<String, String>,
    /// One figure per year and basis in a document.
    #[serde(default)]
    pub unique: bool,
}

/// A total that is the sum of its parts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartsIdentity {
    pub total: String,
    pub parts: Vec<String>,
}

/// The loaded spec, its words folded as the text is ([`fold`]).
#[derive(Debug)]
pub struct ClaimsSpec {
    /// Units of money and their value in 元, longest first.
    pub money: Vec<(String, Decimal)>,
    /// Units of counts, longest first.
    pub counts: Vec<String>,
    pub kinds: Kinds,
    pub words: Words,
    pub identity: IdentityWords,
    pub subjects: Vec<Subject>,
    pub identities: Vec<PartsIdentity>,
    /// (folded alias, subject index), longest alias first.
    pub aliases: Vec<(String, usize)>,
    /// Every alias of `aliases` (pattern `i` is `aliases[i]`), found in one
    /// pass, overlapping matches included.
    pub alias_finder: aho_corasick::AhoCorasick,
    pub rows: TableRows,
}

impl ClaimsSpec {
    pub fn builtin() -> Result<Self> {
        Self::load(None)
    }

    /// The built-in `claims.toml`, or the one in `dir`; the 功能分类 classes
    /// of `classification.toml` join the subjects (`func:201` …).
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        let files = SpecFiles::load(dir)?;
        let file: SpecFile = files.parse("claims.toml")?;
        let classes: Classes = files.parse("classification.toml")?;
        Self::build(file, classes)
    }

    fn build(file: SpecFile, classes: Classes) -> Result<Self> {
        let mut money = Vec::new();
        for (unit, factor) in file.units.money {
            let factor = Decimal::from_str(&factor).with_context(|| {
                format!("claims.toml: unit {unit} = {factor:?} is not a number")
            })?;
            money.push((fold(&unit), factor));
        }
        money.sort_by_key(|(u, _)| std::cmp::Reverse(u.chars().count()));
        let mut counts: Vec<String> = file.units.counts.iter().map(|c| fold(c)).collect();
        counts.sort_by_key(|c| std::cmp::Reverse(c.chars().count()));
        let mut subjects = file.subjects;
        let class_names = classes
            .functional_classes
            .iter()
            .map(|(code, names)| (code.clone(), names.iter().map(|n| name_key(n)).collect()))
            .collect();
        for (code, names) in classes.functional_classes {
            // A class's short name (`教育`, `其他`) is too common a word in
            // sentences to name it; its 支出 name and longer names do.
            let aliases = names
                .iter()
                .filter(|n| n.ends_with("支出") || n.chars().count() >= 4)
                .cloned()
                .collect();
            subjects.push(Subject {
                key: format!("func:{code}"),
                label: names.first().cloned().unwrap_or_else(|| code.clone()),
                aliases,
                measure: None,
                budget_measure: None,
                counts: BTreeMap::new(),
                unique: false,
            });
        }
        let known = |key: &str| subjects.iter().any(|s| s.key == key);
        for identity in &file.identities {
            if let Some(k) = std::iter::once(&identity.total)
                .chain(&identity.parts)
                .find(|k| !known(k))
            {
                bail!(
                    "claims.toml: identity of {} names an unknown subject {k}",
                    identity.total
                );
            }
        }
        let mut aliases: Vec<(String, usize)> = subjects
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.aliases.iter().map(move |a| (fold(a), i)))
            .collect();
        aliases.sort_by_key(|(a, i)| (std::cmp::Reverse(a.chars().count()), *i));
        let alias_finder = aho_corasick::AhoCorasick::new(aliases.iter().map(|(a, _)| a))
            .context("claims.toml: the subjects' aliases")?;
        Ok(ClaimsSpec {
            money,
            counts,
            kinds: fold_kinds(file.kinds),
            words: fold_words(file.words),
            identity: file.identity,
            subjects,
            identities: file.identities,
            aliases,
            alias_finder,
            rows: TableRows {
                tables: file.rows.tables,
                classes_under: file.rows.classes_under,
                class_names,
            },
        })
    }

    pub fn subject(&self, key: &str) -> Option<&Subject> {
        self.subjects.iter().find(|s| s.key == key)
    }
}

#[derive(Debug, Deserialize)]
struct Classes {
    functional_classes: BTreeMap<String, Vec<String>>,
}

fn fold_all(words: Vec<String>) -> Vec<String> {
    words.iter().map(|w| fold(w)).collect()
}

fn fold_kinds(k: Kinds) -> Kinds {
    Kinds {
        share: fold_all(k.share),
        increase: fold_all(k.increase),
        decrease: fold_all(k.decrease),
        flat: fold_all(k.flat),
        rate: fold_all(k.rate),
    }
}

fn fold_words(w: Words) -> Words {
    Words {
        targets: fold_all(w.targets),
        parts_follow: fold_all(w.parts_follow),
        unknown_subject_endings: fold_all(w.unknown_subject_endings),
        connectors: fold_all(w.connectors),
        budget: fold_all(w.budget),
        actual: fold_all(w.actual),
        template_leftovers: fold_all(w.template_leftovers),
        actual_below_budget: fold_all(w.actual_below_budget),
        actual_above_budget: fold_all(w.actual_above_budget),
        actual_equals_budget: fold_all(w.actual_equals_budget),
    }
}

/// Folds a text one character for one, so that positions stay those of
/// the text as written: full-width digits, letters and ASCII punctuation
/// to their ASCII forms, every kind of quote to `"`, and the ideographic
/// space to a space.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '“' | '”' | '‘' | '’' | '\'' | '「' | '」' => '"',
        _ => c,
    }
}
