//! Form specifications: the domain knowledge of which tables exist and how
//! their rows and columns are named, kept as TOML data (`src/specs/`), embedded
//! as defaults and overridable with `--specs DIR`. Adding a form or a layout
//! variant is an edit to a spec file, not to this code.

use anyhow::{Context, Result, bail};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use crate::rules::{Rule, parse_rules};
use crate::text::{Text, intern, label_key, normalise};

/// The embedded default spec files, by file name.
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    ("common.toml", include_str!("specs/common.toml")),
    ("cover.toml", include_str!("specs/cover.toml")),
    (
        "classification.toml",
        include_str!("specs/classification.toml"),
    ),
    ("rules.toml", include_str!("specs/rules.toml")),
    ("measures.toml", include_str!("specs/measures.toml")),
    ("indicators.toml", include_str!("specs/indicators.toml")),
    ("flags.toml", include_str!("specs/flags.toml")),
    ("scoring.toml", include_str!("specs/scoring.toml")),
    ("claims.toml", include_str!("specs/claims.toml")),
    ("audit.toml", include_str!("specs/audit.toml")),
    ("review.toml", include_str!("specs/review.toml")),
    ("roster.toml", include_str!("specs/roster.toml")),
    (
        "forms/01_income_expenditure_total.toml",
        include_str!("specs/forms/01_income_expenditure_total.toml"),
    ),
    (
        "forms/02_fiscal_total.toml",
        include_str!("specs/forms/02_fiscal_total.toml"),
    ),
    (
        "forms/03_income.toml",
        include_str!("specs/forms/03_income.toml"),
    ),
    (
        "forms/04_expenditure.toml",
        include_str!("specs/forms/04_expenditure.toml"),
    ),
    (
        "forms/05_gpb_expenditure.toml",
        include_str!("specs/forms/05_gpb_expenditure.toml"),
    ),
    (
        "forms/06_gpb_basic_detail.toml",
        include_str!("specs/forms/06_gpb_basic_detail.toml"),
    ),
    (
        "forms/07_sangong.toml",
        include_str!("specs/forms/07_sangong.toml"),
    ),
    (
        "forms/08_gov_fund.toml",
        include_str!("specs/forms/08_gov_fund.toml"),
    ),
    (
        "forms/09_soe_capital.toml",
        include_str!("specs/forms/09_soe_capital.toml"),
    ),
    (
        "forms/10_operations.toml",
        include_str!("specs/forms/10_operations.toml"),
    ),
];

/// The years a rule, flag or scoring entry applies to, as a spec writes
/// them: `"2023-"` (from 2023 on), `"-2022"` (up to 2022), `"2021-2023"`,
/// `"2023"`; every year when the entry says none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Years {
    from: Option<i32>,
    to: Option<i32>,
}

impl Years {
    pub fn contains(&self, year: i32) -> bool {
        self.from.is_none_or(|f| year >= f) && self.to.is_none_or(|t| year <= t)
    }
}

impl TryFrom<String> for Years {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let year = |t: &str| -> Result<Option<i32>, String> {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse()
                .map(Some)
                .map_err(|_| format!("years = {text:?}: {t:?} is not a year (write \"2023-\", \"-2022\", \"2021-2023\" or \"2023\")"))
        };
        let (from, to) = match text.split_once('-') {
            Some((from, to)) => (year(from)?, year(to)?),
            None => (year(&text)?, year(&text)?),
        };
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(format!("years = {text:?}: {f} is after {t}"));
        }
        Ok(Years { from, to })
    }
}

/// Which kind of classification code a table's rows carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    /// 支出功能分类科目: 类 3 digits, 款 5, 项 7, starting with 2.
    Functional,
    /// 支出经济分类科目: 类 3 digits, 款 5, starting with 3.
    Economic,
}

impl SubjectKind {
    /// Whether `code` is a well-formed code of this classification.
    pub fn accepts(self, code: &str) -> bool {
        let lead = match self {
            SubjectKind::Functional => '2',
            SubjectKind::Economic => '3',
        };
        let lengths: &[usize] = match self {
            SubjectKind::Functional => &[3, 5, 7],
            SubjectKind::Economic => &[3, 5],
        };
        code.starts_with(lead)
            && lengths.contains(&code.len())
            && code.chars().all(|c| c.is_ascii_digit())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    pub key: String,
    pub headers: Vec<String>,
    /// 栏次 number of the column in A-family exports.
    pub col_no: Option<u32>,
    /// A table of this form without this column is reported as incomplete.
    #[serde(default)]
    pub core: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemSpec {
    pub key: String,
    pub labels: Vec<String>,
    /// 行次 of the line in A-family exports.
    pub line: Option<u32>,
    /// This label means this item only right below the named item's line
    /// (`一般公共预算财政拨款` under `年初财政拨款结转和结余`).
    pub within: Option<String>,
    /// Unit of measure for counts (`人`, `辆`); money when absent.
    pub unit: Option<String>,
    /// The classification code the line stands for, for class lines listed by name.
    pub subject_code: Option<String>,
    /// A table of this form without this line is reported as incomplete.
    #[serde(default)]
    pub core: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelSpec {
    pub name: String,
    /// Rows carry classification codes (one cell, or split 类/款/项).
    pub subjects: Option<SubjectKind>,
    /// Lines named after 功能分类 classes map to item `subject` with the class code.
    pub class_labels: Option<SubjectKind>,
    /// The same panel repeats side by side (基本支出明细表's two or three panels).
    #[serde(default)]
    pub repeat: bool,
    /// Items may be named in the column headers (a wide one-row table such as 三公).
    #[serde(default)]
    pub header_items: bool,
    /// The column whose figures rows labelled by a year hold (`2023年`, in
    /// a one-row table laid out with a row per year).
    pub year_rows: Option<String>,
    pub columns: Vec<ColumnSpec>,
    #[serde(default)]
    pub items: Vec<ItemSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormSpec {
    pub key: String,
    pub name: String,
    pub code: String,
    pub families: Vec<String>,
    pub titles: Vec<String>,
    pub codes: Vec<String>,
    pub panels: Vec<PanelSpec>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CommonSpec {
    pub unit_line_prefixes: Vec<String>,
    /// Words beside a unit of money in a unit line that do not change it
    /// (`单位：人民币万元`, `单位：万元（人民币）`).
    #[serde(default)]
    pub unit_line_words: Vec<String>,
    pub scales: BTreeMap<String, String>,
    pub reading: ReadingSpec,
    pub identity: IdentitySpec,
    pub qualifiers: Vec<Qualifier>,
    #[serde(default)]
    pub whole_hundreds: WholeHundreds,
}

/// `[whole_hundreds]`: a 元 table of whole hundreds was typed in 万元.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WholeHundreds {
    pub step: u32,
    pub min_figures: usize,
}

impl Default for WholeHundreds {
    fn default() -> Self {
        WholeHundreds {
            step: 100,
            min_figures: 10,
        }
    }
}

/// Words in a column's heading that change what its figures are (a rate, a
/// difference, last year's, the 年初 budget, a count): a heading with one
/// matches a form's column or item only through an alias with a word of
/// the same kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qualifier {
    /// What such a column holds, for the report (`rate or percentage`).
    pub kind: String,
    pub words: Vec<String>,
    /// Decides a form's column, not which of its lines a heading names
    /// (`预算数/合计` is the budget of the 合计 line).
    #[serde(default)]
    pub columns_only: bool,
}

/// The kinds of [`Qualifier`] a text has, one bit per qualifier.
pub type Qualifiers = u32;

/// The [`Qualifiers`] of a label key (normalised words).
pub fn qualifiers_of(key: &str, qualifiers: &[Qualifier]) -> Qualifiers {
    qualifiers
        .iter()
        .enumerate()
        .filter(|(_, q)| q.words.iter().any(|w| key.contains(w.as_str())))
        .fold(0, |bits, (i, _)| bits | 1 << i)
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReadingSpec {
    pub nothing: Vec<String>,
    /// Headings of a group's total (`全年预算数/合计`): under a group they name
    /// the group's own column, not the form's column of that name.
    #[serde(default)]
    pub group_total_headers: Vec<String>,
    pub label_headers: Vec<String>,
    pub code_headers: Vec<String>,
    pub split_code_headers: Vec<String>,
    pub line_headers: Vec<String>,
    pub col_no_markers: Vec<String>,
    pub text_headers: Vec<String>,
    pub empty_note_words: Vec<String>,
    pub note_prefixes: Vec<String>,
    /// Words that, right before a form's title, make it the title of
    /// another table (`项目` in `项目支出决算表`).
    pub foreign_title_words: Vec<String>,
    /// Words that join two tables' names in one title (`及` in
    /// `三公经费及机关运行经费支出决算表`).
    pub title_joiners: Vec<String>,
    pub default_scale_a: String,
    pub default_scale_b: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct IdentitySpec {
    pub unit_line_prefixes: Vec<String>,
    pub title_year_pattern: String,
    /// Words of a report's title or file name after its unit and year.
    pub document_words: Vec<String>,
    /// How a unit's name ends (局, 中心 …).
    pub unit_name_endings: Vec<String>,
    /// Words between a unit's name and a form's title that are not the
    /// name (`XX中心财政拨款“三公”经费支出决算表`).
    #[serde(default)]
    pub title_name_trailers: Vec<String>,
    /// Words of a remark in brackets beside an identity line's head or
    /// value (`编制单位（盖章）：`, `XX局（盖章）`): the remark is dropped.
    #[serde(default)]
    pub stamp_words: Vec<String>,
    /// Words a file's name starts with that are not the unit's
    /// (`附件3：XX局2023年度部门决算公开表`), with the number after them.
    #[serde(default)]
    pub file_name_prefixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CoverSpec {
    pub sheet_names: Vec<String>,
    pub min_fields: usize,
    pub default_report_type_a: String,
    pub default_report_type_b: String,
    pub fields: BTreeMap<String, Vec<String>>,
    pub values: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ClassificationSpec {
    pub functional_classes: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub functional_subjects: BTreeMap<String, String>,
    #[serde(default)]
    pub economic_subjects: BTreeMap<String, String>,
}

/// A line item ready for matching.
#[derive(Debug, Clone)]
pub struct Item {
    /// Interned: shared by every fact of this item, with no per-fact copy
    /// or look-up.
    pub key: Text,
    pub line: Option<u32>,
    pub within: Option<String>,
    pub unit: Option<String>,
    pub subject_code: Option<String>,
    /// Whether another item of the panel names this one in `within`.
    pub is_section: bool,
    pub core: bool,
    /// Alias patterns for header matching: segments of a `/`-separated alias.
    pub header_patterns: Vec<Pattern>,
}

/// A heading alias ready for matching: its `/`-separated segments as label
/// keys, and the [`Qualifiers`] it declares.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub segments: Vec<String>,
    pub qualifiers: Qualifiers,
}

/// A value column ready for matching.
#[derive(Debug, Clone)]
pub struct Column {
    /// Interned, as [`Item::key`].
    pub key: Text,
    pub col_no: Option<u32>,
    pub core: bool,
    pub patterns: Vec<Pattern>,
}

/// A panel with its lookup tables built.
#[derive(Debug, Clone)]
pub struct Panel {
    pub name: String,
    pub subjects: Option<SubjectKind>,
    pub repeat: bool,
    pub header_items: bool,
    /// [`PanelSpec::year_rows`], as an index into `columns`.
    pub year_rows: Option<usize>,
    pub items: Vec<Item>,
    pub columns: Vec<Column>,
    /// Normalised label → indices into `items`.
    pub by_label: foldhash::HashMap<String, Vec<usize>>,
    pub by_line: foldhash::HashMap<u32, usize>,
}

/// A form with its lookup tables built.
#[derive(Debug, Clone)]
pub struct Form {
    pub spec: FormSpec,
    /// `spec.key`, interned: every fact of the form holds it.
    pub key: Text,
    /// `subject`, interned as the items' keys are: the item of coded rows.
    pub subject_key: Text,
    pub panels: Vec<Panel>,
    pub title_keys: Vec<String>,
    pub code_keys: Vec<String>,
    /// Each item's wholes: the items whose sum rules (`rules.toml`) count
    /// it, directly or through another part (公务用车购置费 is part of
    /// 公务用车购置及运行费, and so of 三公经费合计).
    pub wholes: foldhash::HashMap<Arc<str>, Vec<Arc<str>>>,
}

impl Form {
    /// Whether `whole` counts `part` in this form's sum rules.
    pub fn is_whole_of(&self, whole: &str, part: &str) -> bool {
        self.wholes
            .get(part)
            .is_some_and(|w| w.iter().any(|w| &**w == whole))
    }
}

/// Everything the reader knows about forms, covers and conventions.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub forms: Vec<Form>,
    pub cover: CoverSpec,
    pub common: CommonSpec,
    /// Normalised nothing-markers.
    pub nothing: Vec<String>,
    /// Unit-of-money names (normalised) with their multiplier to 元, longest first.
    pub scales: Vec<(String, Decimal)>,
    /// 功能分类 and 经济分类 names.
    pub classification: ClassificationSpec,
    /// Consistency rules (勾稽关系), their terms checked against `forms`.
    pub rules: Vec<Rule>,
}

impl Catalogue {
    /// The embedded defaults.
    pub fn builtin() -> Result<Self> {
        Self::load(None)
    }

    /// Defaults, with any file of the same name in `dir` replacing the default,
    /// and extra `forms/*.toml` files adding forms.
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        let files = SpecFiles::load(dir)?;
        let get = |name: &str| files.get(name);
        let (origin, text) = get("common.toml")?;
        let mut common: CommonSpec =
            toml::from_str(text).with_context(|| format!("parsing {origin}"))?;
        let (origin, text) = get("cover.toml")?;
        let mut cover: CoverSpec =
            toml::from_str(text).with_context(|| format!("parsing {origin}"))?;
        normalise_word_lists(&mut common, &mut cover);
        let (origin, text) = get("classification.toml")?;
        let classes: ClassificationSpec =
            toml::from_str(text).with_context(|| format!("parsing {origin}"))?;
        let mut forms = Vec::new();
        for (name, (origin, text)) in files.0.iter().filter(|(n, _)| n.starts_with("forms/")) {
            let spec: FormSpec = toml::from_str(text)
                .with_context(|| format!("parsing form spec {origin} ({name})"))?;
            forms.push(
                Form::build(spec, &classes.functional_classes, &common.qualifiers)
                    .with_context(|| format!("in {origin}"))?,
            );
        }
        let mut keys: Vec<&str> = forms.iter().map(|f| f.spec.key.as_str()).collect();
        keys.sort();
        if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
            bail!("two form specs share the key {}", w[0]);
        }
        let mut scales = Vec::new();
        for (name, factor) in &common.scales {
            let factor = Decimal::from_str(factor)
                .with_context(|| format!("scale {name} = {factor:?} is not a number"))?;
            scales.push((normalise(name), factor));
        }
        scales.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        let (origin, text) = get("rules.toml")?;
        let rules = parse_rules(text, &forms).with_context(|| format!("parsing {origin}"))?;
        for form in &mut forms {
            form.wholes = wholes(&form.spec.key, &rules);
        }
        let nothing = common.reading.nothing.clone();
        Ok(Catalogue {
            forms,
            cover,
            common,
            nothing,
            scales,
            classification: classes,
            rules,
        })
    }

    pub fn form(&self, key: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.spec.key == key)
    }

    /// The multiplier to 元 of a unit-of-money name (`万元` → 10000).
    pub fn scale_of(&self, name: &str) -> Option<Decimal> {
        let name = normalise(name);
        self.scales
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }
}

/// The spec files by name (`rules.toml`, `forms/03_income.toml`): the
/// embedded defaults, each replaced by a file of the same name in the
/// user's folder, plus any extra `forms/*.toml` there.
pub struct SpecFiles(BTreeMap<String, (String, String)>);

impl SpecFiles {
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        let mut files: BTreeMap<String, (String, String)> = DEFAULT_FILES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (format!("(built-in) {name}"), text.to_string()),
                )
            })
            .collect();
        if let Some(dir) = dir {
            for sub in ["", "forms"] {
                let folder = dir.join(sub);
                if !folder.is_dir() {
                    continue;
                }
                let mut entries: Vec<_> = std::fs::read_dir(&folder)
                    .with_context(|| format!("reading spec folder {}", folder.display()))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                    .collect();
                entries.sort();
                for path in entries {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default();
                    let key = if sub.is_empty() {
                        name
                    } else {
                        format!("forms/{name}")
                    };
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("reading spec {}", path.display()))?;
                    files.insert(key, (path.display().to_string(), text));
                }
            }
        }
        Ok(SpecFiles(files))
    }

    /// (where it came from, its text).
    /// Each file's name, origin (`(built-in) name` or its path) and text.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        (self.0.iter())
            .map(|(name, (origin, text))| (name.as_str(), origin.as_str(), text.as_str()))
    }

    pub fn get(&self, name: &str) -> Result<&(String, String)> {
        self.0
            .get(name)
            .with_context(|| format!("spec file {name} missing"))
    }

    /// Parses one file into `T`, naming the file on error.
    pub fn parse<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T> {
        let (origin, text) = self.get(name)?;
        toml::from_str(text).with_context(|| format!("parsing {origin}"))
    }
}

/// Word lists are only ever compared with normalised cell text, so they are
/// normalised once here (a spec may write `金额单位：` or full-width brackets)
/// rather than on every comparison.
fn normalise_word_lists(common: &mut CommonSpec, cover: &mut CoverSpec) {
    let r = &mut common.reading;
    let lists = [
        &mut common.unit_line_prefixes,
        &mut common.unit_line_words,
        &mut common.identity.unit_line_prefixes,
        &mut common.identity.document_words,
        &mut common.identity.unit_name_endings,
        &mut common.identity.title_name_trailers,
        &mut common.identity.stamp_words,
        &mut common.identity.file_name_prefixes,
        &mut r.nothing,
        &mut r.group_total_headers,
        &mut r.label_headers,
        &mut r.code_headers,
        &mut r.split_code_headers,
        &mut r.line_headers,
        &mut r.col_no_markers,
        &mut r.text_headers,
        &mut r.note_prefixes,
        &mut r.foreign_title_words,
        &mut r.title_joiners,
        &mut r.empty_note_words,
        &mut cover.sheet_names,
    ];
    for q in &mut common.qualifiers {
        q.words.iter_mut().for_each(|w| *w = label_key(w));
    }
    let cover_aliases = cover
        .fields
        .values_mut()
        .chain(cover.values.values_mut().flat_map(|v| v.values_mut()));
    for list in lists.into_iter().chain(cover_aliases) {
        list.iter_mut().for_each(|w| *w = normalise(w));
    }
}

fn split_pattern(alias: &str, qualifiers: &[Qualifier]) -> Pattern {
    let segments: Vec<String> = alias
        .split('/')
        .map(label_key)
        .filter(|s| !s.is_empty())
        .collect();
    let qualifiers = segments
        .iter()
        .fold(0, |bits, s| bits | qualifiers_of(s, qualifiers));
    Pattern {
        segments,
        qualifiers,
    }
}

/// The wholes of each item of `form`: from every sum rule of the form whose
/// left-hand and right-hand terms name items of it, the left-hand item is a
/// whole of each right-hand one, and so of their parts in turn.
fn wholes(form: &str, rules: &[Rule]) -> foldhash::HashMap<Arc<str>, Vec<Arc<str>>> {
    use crate::rules::{Check, ItemRef};
    let named = |t: &crate::rules::Term| match &t.item {
        ItemRef::Named(item) if &*t.form == form && !t.negate => Some(item.clone()),
        _ => None,
    };
    let mut direct: Vec<(Arc<str>, Arc<str>)> = Vec::new();
    for rule in rules {
        if let Check::Sum { left, right, .. } = &rule.check
            && let Some(whole) = named(left)
        {
            direct.extend(
                right
                    .iter()
                    .filter_map(named)
                    .map(|part| (part, whole.clone())),
            );
        }
    }
    let mut wholes: foldhash::HashMap<Arc<str>, Vec<Arc<str>>> = Default::default();
    for (part, _) in &direct {
        // Up the chain of wholes, each counted once.
        let mut found: Vec<Arc<str>> = Vec::new();
        let mut frontier = vec![part.clone()];
        while let Some(item) = frontier.pop() {
            for (p, whole) in &direct {
                if *p == item && *whole != *part && !found.contains(whole) {
                    found.push(whole.clone());
                    frontier.push(whole.clone());
                }
            }
        }
        wholes.insert(part.clone(), found);
    }
    wholes
}

impl Form {
    fn build(
        spec: FormSpec,
        classes: &BTreeMap<String, Vec<String>>,
        qualifiers: &[Qualifier],
    ) -> Result<Self> {
        if spec.panels.is_empty() {
            bail!("form {} has no panels", spec.key);
        }
        let panels = spec
            .panels
            .iter()
            .map(|p| Panel::build(p, classes, qualifiers))
            .collect::<Result<Vec<_>>>()?;
        let title_keys = spec.titles.iter().map(|t| label_key(t)).collect();
        let code_keys = spec.codes.iter().map(|c| normalise(c)).collect();
        Ok(Form {
            key: intern(&spec.key),
            subject_key: intern("subject"),
            spec,
            panels,
            title_keys,
            code_keys,
            wholes: Default::default(),
        })
    }
}

/// Label keys with the index of the item each names.
type LabelKeys = Vec<(String, usize)>;

impl Panel {
    fn build(
        p: &PanelSpec,
        classes: &BTreeMap<String, Vec<String>>,
        qualifiers: &[Qualifier],
    ) -> Result<Self> {
        let (items, labels) = Self::items(p, classes, qualifiers)?;
        let mut by_label: foldhash::HashMap<String, Vec<usize>> = Default::default();
        for (label, idx) in labels {
            let entry = by_label.entry(label).or_default();
            if !entry.contains(&idx) {
                entry.push(idx);
            }
        }
        let by_line = items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| it.line.map(|l| (l, i)))
            .collect();
        let columns: Vec<Column> = p
            .columns
            .iter()
            .map(|c| Column {
                key: intern(&c.key),
                col_no: c.col_no,
                core: c.core,
                patterns: c
                    .headers
                    .iter()
                    .map(|h| split_pattern(h, qualifiers))
                    .collect(),
            })
            .collect();
        let year_rows = match &p.year_rows {
            Some(key) => Some(
                columns
                    .iter()
                    .position(|c: &Column| *c.key == **key)
                    .with_context(|| format!("year_rows names no column {key}"))?,
            ),
            None => None,
        };
        Ok(Panel {
            name: p.name.clone(),
            subjects: p.subjects,
            repeat: p.repeat,
            header_items: p.header_items,
            year_rows,
            items,
            columns,
            by_label,
            by_line,
        })
    }

    /// The panel's items (with one per 类 of functional subjects when its
    /// labels are class names), sections marked, and every label's key
    /// with its item.
    fn items(
        p: &PanelSpec,
        classes: &BTreeMap<String, Vec<String>>,
        qualifiers: &[Qualifier],
    ) -> Result<(Vec<Item>, LabelKeys)> {
        let mut items: Vec<Item> = Vec::new();
        let mut labels = LabelKeys::new();
        for it in &p.items {
            let idx = items.len();
            labels.extend(it.labels.iter().map(|l| (label_key(l), idx)));
            items.push(Item {
                key: intern(&it.key),
                line: it.line,
                within: it.within.clone(),
                unit: it.unit.clone(),
                subject_code: it.subject_code.clone(),
                is_section: false,
                core: it.core,
                header_patterns: it
                    .labels
                    .iter()
                    .map(|l| split_pattern(l, qualifiers))
                    .collect(),
            });
        }
        if p.class_labels == Some(SubjectKind::Functional) {
            for (code, names) in classes {
                let idx = items.len();
                labels.extend(names.iter().map(|n| (label_key(n), idx)));
                items.push(Item {
                    key: intern("subject"),
                    line: None,
                    within: None,
                    unit: None,
                    subject_code: Some(code.clone()),
                    is_section: false,
                    core: false,
                    header_patterns: Vec::new(),
                });
            }
        }
        for i in 0..items.len() {
            if let Some(parent) = items[i].within.clone() {
                let Some(j) = items.iter().position(|x| *x.key == *parent) else {
                    bail!("item {} is `within` unknown item {parent}", items[i].key);
                };
                items[j].is_section = true;
            }
        }
        Ok((items, labels))
    }
}

/// How well a `/`-pattern matches a header path: each part must be contained
/// in a distinct segment, in order. Returns (deepest segment used, matched
/// length) so that the most specific alias wins: items nest downwards
/// (`公务用车购置及运行费` / `公务用车购置费`), so depth comes first.
pub fn pattern_score(pattern: &[String], path: &[String]) -> Option<(usize, usize)> {
    let mut seg = 0;
    let mut deepest = 0;
    let mut length = 0;
    for part in pattern {
        let found = (seg..path.len()).find(|&i| path[i].contains(part.as_str()))?;
        deepest = found;
        length += part.chars().count();
        seg = found + 1;
    }
    if pattern.is_empty() {
        None
    } else {
        Some((deepest, length))
    }
}

/// The segments of `path` a pattern matches (each part in the first
/// segment at or after the previous part's that contains it).
pub fn pattern_segments(pattern: &[String], path: &[String]) -> Vec<usize> {
    let mut seg = 0;
    let mut used = Vec::with_capacity(pattern.len());
    for part in pattern {
        let Some(found) = (seg..path.len()).find(|&i| path[i].contains(part.as_str())) else {
            break;
        };
        used.push(found);
        seg = found + 1;
    }
    used
}

/// How each candidate among `(index, patterns)` matches a header path with
/// the given [`Qualifiers`]: its best score ([`pattern_score`]) and the
/// pattern that gave it, for the candidates with a pattern that matches and
/// declares every qualifier of the path.
pub fn pattern_matches<'a, I>(
    candidates: I,
    path: &[String],
    qualifiers: Qualifiers,
) -> Vec<((usize, usize), usize, &'a Pattern)>
where
    I: IntoIterator<Item = (usize, &'a [Pattern])>,
{
    let mut found = Vec::new();
    for (idx, patterns) in candidates {
        let mut best: Option<((usize, usize), &Pattern)> = None;
        for p in patterns {
            if qualifiers & !p.qualifiers != 0 {
                continue;
            }
            if let Some(score) = pattern_score(&p.segments, path)
                && best.is_none_or(|(s, _)| score > s)
            {
                best = Some((score, p));
            }
        }
        if let Some((score, p)) = best {
            found.push((score, idx, p));
        }
    }
    found
}

/// The best-scoring candidate for a header path ([`pattern_matches`]).
pub fn best_match<'a, I>(candidates: I, path: &[String], qualifiers: Qualifiers) -> Option<usize>
where
    I: IntoIterator<Item = (usize, &'a [Pattern])>,
{
    pattern_matches(candidates, path, qualifiers)
        .into_iter()
        .fold(
            None,
            |best: Option<((usize, usize), usize)>, (score, idx, _)| match best {
                Some((s, _)) if s >= score => best,
                _ => Some((score, idx)),
            },
        )
        .map(|(_, i)| i)
}

#[cfg(test)]
mod tests {

    #[test]
    fn years_as_spec_entries_write_them() {
        let years = |t: &str| Years::try_from(t.to_string());
        let from_2023 = years("2023-").expect("2023-");
        assert!(!from_2023.contains(2022) && from_2023.contains(2023) && from_2023.contains(2030));
        let to_2022 = years("-2022").expect("-2022");
        assert!(to_2022.contains(2019) && to_2022.contains(2022) && !to_2022.contains(2023));
        let span = years("2021-2023").expect("span");
        assert!(!span.contains(2020) && span.contains(2022) && !span.contains(2024));
        let one = years("2023").expect("one year");
        assert!(one.contains(2023) && !one.contains(2022) && !one.contains(2024));
        assert!(Years::default().contains(1999));
        assert!(years("2024-2023").is_err() && years("twenty").is_err());
    }

    use super::*;

    #[test]
    fn builtin_specs_load_and_cover_every_domain_form() {
        let cat = Catalogue::builtin().expect("built-in specs parse");
        let keys: Vec<&str> = cat.forms.iter().map(|f| f.spec.key.as_str()).collect();
        for k in [
            "income_expenditure_total",
            "fiscal_total",
            "income",
            "expenditure",
            "gpb_expenditure",
            "gpb_basic_detail",
            "sangong",
            "gov_fund",
            "soe_capital",
            "operations",
        ] {
            assert!(keys.contains(&k), "missing form {k}");
        }
        assert_eq!(cat.scale_of("万元"), Some(Decimal::from(10000)));
    }

    #[test]
    fn spec_words_are_normalised_at_load() {
        let dir = tempfile::tempdir().expect("tempdir");
        let common = DEFAULT_FILES[0].1.replace(
            "unit_line_prefixes = [\"金额单位\"",
            "unit_line_prefixes = [\"金 额 单 位\"",
        );
        std::fs::write(dir.path().join("common.toml"), common).expect("write");
        let cat = Catalogue::load(Some(dir.path())).expect("load");
        assert_eq!(cat.common.unit_line_prefixes[0], "金额单位");
        assert!(cat.cover.fields["unit_name"].contains(&"单位名称".to_string()));
    }

    #[test]
    fn deeper_header_alias_wins() {
        let path: Vec<String> = ["预算数", "公务用车购置及运行费", "公务用车购置费"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let total = vec![split_pattern("公务用车购置及运行费", &[])];
        let purchase = vec![split_pattern("公务用车购置费", &[])];
        let pick = best_match([(0, total.as_slice()), (1, purchase.as_slice())], &path, 0);
        assert_eq!(pick, Some(1));
    }
}
