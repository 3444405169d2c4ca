//! Consistency rules (勾稽关系) as data.
//!
//! `specs/rules.toml` lists every rule; this module parses it and checks
//! each term against the form catalogue, so that a misspelt item or column
//! is an error when the rules are loaded rather than a rule that silently
//! never fires. [`crate::validate`] evaluates the rules on the facts.
//!
//! A term names one figure: `[-][form:]item[[code]][@column]`.
//!
//! - `income_total` — the item in the rule's `form`, in the column being checked;
//! - `income:total@fiscal_approp` — a fixed form, item and column;
//! - `subject[30212]@actual` — a subject row by its classification code;
//! - `@basic` — the row being checked, column `basic` (the rule runs over
//!   every row of the form);
//! - `subject[*]@actual` — every subject code of `digits` digits (the rule runs
//!   over every such code present in either side);
//! - a leading `-` subtracts the term.
//!
//! A rule runs over the columns of its form when a term leaves the column
//! out, over rows when a term leaves the item out, over subject codes when a
//! term has `[*]`. Nothing else has to be declared.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::spec::Form;

/// How bad a broken rule is when the gap is beyond rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingSeverity {
    /// Within what rounding the source's unit of money allows.
    Rounding,
    /// May legitimately differ (三公 paid partly from project funds).
    Warning,
    Error,
}

impl FindingSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingSeverity::Rounding => "rounding",
            FindingSeverity::Warning => "warning",
            FindingSeverity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// `left = Σ right`.
    #[default]
    Sum,
    /// 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 by code prefix, in every column.
    Tree,
    /// No negative amount of money.
    NonNegative,
    /// A department's 汇总表 = Σ its units' 单户表, line by line.
    Consolidation,
}

/// How a `sum` rule's left side must stand to the sum of its right side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Relation {
    /// `left = Σ right`.
    #[default]
    #[serde(rename = "=")]
    Equal,
    /// `left ≥ Σ right`: only a left short of the right is a finding.
    #[serde(rename = ">=")]
    AtLeast,
    /// `left ≤ Σ right`.
    #[serde(rename = "<=")]
    AtMost,
}

impl Relation {
    /// Whether `left − Σ right = gap` keeps the relation.
    pub fn holds(self, gap: rust_decimal::Decimal) -> bool {
        match self {
            Relation::Equal => gap.is_zero(),
            Relation::AtLeast => !gap.is_sign_negative() || gap.is_zero(),
            Relation::AtMost => gap.is_sign_negative() || gap.is_zero(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Equal => "=",
            Relation::AtLeast => "≥",
            Relation::AtMost => "≤",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rules: Vec<RuleSpec>,
}

/// One `[[rules]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub description: String,
    pub severity: FindingSeverity,
    #[serde(default)]
    pub kind: RuleKind,
    /// Default form of terms that name none (`sum`).
    pub form: Option<String>,
    /// Forms a `tree` or `non_negative` rule applies to; `["*"]` for all.
    #[serde(default)]
    pub forms: Vec<String>,
    pub left: Option<String>,
    #[serde(default)]
    pub right: Vec<String>,
    /// `sum`: `=` (the default), `>=` or `<=` between left and Σ right.
    #[serde(default)]
    pub relation: Relation,
    /// The years whose accounts the rule applies to (`"2023-"`); all when absent.
    #[serde(default)]
    pub years: crate::spec::Years,
    /// Columns to check when a term leaves its column out (default: every
    /// column the left-hand item has).
    #[serde(default)]
    pub columns: Vec<String>,
    /// Length of the codes `[*]` runs over (default 3: 类).
    pub digits: Option<usize>,
    /// `tree`: the item holding the table's 合计 (checked = Σ top-level codes).
    pub total: Option<String>,
    /// `non_negative`: `form:item` lines that may be negative.
    #[serde(default)]
    pub except: Vec<String>,
    /// `consolidation`: the 报表类型 of the department's table and of its units'.
    pub consolidated: Option<String>,
    pub units: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemRef {
    Named(Arc<str>),
    /// The row being checked.
    Current,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeRef {
    None,
    Fixed(Arc<str>),
    /// Every code of the rule's `digits`.
    Current,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnRef {
    Named(Arc<str>),
    /// The column being checked.
    Current,
}

/// One figure of an identity, resolved against the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub negate: bool,
    pub form: Arc<str>,
    pub item: ItemRef,
    pub code: CodeRef,
    pub column: ColumnRef,
}

/// Which forms a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormSet {
    All,
    Only(Vec<Arc<str>>),
}

impl FormSet {
    pub fn contains(&self, form: &str) -> bool {
        match self {
            FormSet::All => true,
            FormSet::Only(forms) => forms.iter().any(|f| &**f == form),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Check {
    Sum {
        left: Term,
        right: Vec<Term>,
        columns: Vec<Arc<str>>,
        digits: usize,
    },
    Tree {
        forms: FormSet,
        total: Option<Arc<str>>,
    },
    NonNegative {
        forms: FormSet,
        except: Vec<(String, String)>,
    },
    Consolidation {
        consolidated: String,
        units: String,
    },
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: Arc<str>,
    pub description: Arc<str>,
    pub severity: FindingSeverity,
    /// Between a `sum` rule's sides.
    pub relation: Relation,
    /// The years whose accounts it applies to.
    pub years: crate::spec::Years,
    pub check: Check,
}

/// Parses the rules file and resolves every term against `forms`.
pub fn parse_rules(text: &str, forms: &[Form]) -> Result<Vec<Rule>> {
    let file: RulesFile = toml::from_str(text)?;
    let mut ids = BTreeSet::new();
    let mut rules = Vec::new();
    for spec in file.rules {
        if !ids.insert(spec.id.clone()) {
            bail!("two rules share the id {}", spec.id);
        }
        let rule = build(&spec, forms).with_context(|| format!("in rule {}", spec.id))?;
        rules.push(rule);
    }
    Ok(rules)
}

fn build(spec: &RuleSpec, forms: &[Form]) -> Result<Rule> {
    let form_set = || -> Result<FormSet> {
        if spec.forms.iter().any(|f| f == "*") {
            return Ok(FormSet::All);
        }
        if spec.forms.is_empty() {
            bail!("`forms` is required (a list of form keys, or [\"*\"])");
        }
        for f in &spec.forms {
            find_form(forms, f)?;
        }
        Ok(FormSet::Only(
            spec.forms.iter().map(|f| Arc::from(f.as_str())).collect(),
        ))
    };
    let check = match spec.kind {
        RuleKind::Sum => {
            let left = spec.left.as_deref().context("`left` is required")?;
            if spec.right.is_empty() {
                bail!("`right` is required");
            }
            let default_form = spec.form.as_deref();
            let left = parse_term(left, default_form, forms)?;
            let right = spec
                .right
                .iter()
                .map(|t| parse_term(t, default_form, forms))
                .collect::<Result<Vec<_>>>()?;
            let form = find_form(forms, &left.form)?;
            for c in &spec.columns {
                if !form_columns(form).contains(c.as_str()) {
                    bail!("form {} has no column {c}", left.form);
                }
            }
            if right.iter().any(|t| t.item == ItemRef::Current) && left.item != ItemRef::Current {
                bail!("a right-hand term checks every row but the left-hand one does not");
            }
            Check::Sum {
                left,
                right,
                columns: spec.columns.iter().map(|c| Arc::from(c.as_str())).collect(),
                digits: spec.digits.unwrap_or(3),
            }
        }
        RuleKind::Tree => {
            let forms_set = form_set()?;
            if let (Some(total), FormSet::Only(list)) = (&spec.total, &forms_set) {
                for f in list {
                    if !form_items(find_form(forms, f)?).contains(total.as_str()) {
                        bail!("form {f} has no item {total}");
                    }
                }
            }
            Check::Tree {
                forms: forms_set,
                total: spec.total.as_deref().map(Arc::from),
            }
        }
        RuleKind::NonNegative => {
            let except = spec
                .except
                .iter()
                .map(|e| {
                    let (form, item) = e
                        .split_once(':')
                        .with_context(|| format!("except {e:?} is not `form:item`"))?;
                    if !form_items(find_form(forms, form)?).contains(item) {
                        bail!("form {form} has no item {item}");
                    }
                    Ok((form.to_string(), item.to_string()))
                })
                .collect::<Result<Vec<_>>>()?;
            Check::NonNegative {
                forms: form_set()?,
                except,
            }
        }
        RuleKind::Consolidation => Check::Consolidation {
            consolidated: spec
                .consolidated
                .clone()
                .context("`consolidated` (报表类型 of the department's table) is required")?,
            units: spec
                .units
                .clone()
                .context("`units` (报表类型 of the units' tables) is required")?,
        },
    };
    Ok(Rule {
        id: Arc::from(spec.id.as_str()),
        description: Arc::from(spec.description.as_str()),
        severity: spec.severity,
        relation: spec.relation,
        years: spec.years,
        check,
    })
}

fn find_form<'a>(forms: &'a [Form], key: &str) -> Result<&'a Form> {
    forms
        .iter()
        .find(|f| f.spec.key == key)
        .with_context(|| format!("no form {key} in the catalogue"))
}

/// Item keys a form's facts can carry (`subject` for coded rows).
fn form_items(form: &Form) -> BTreeSet<&str> {
    let mut keys: BTreeSet<&str> = form
        .panels
        .iter()
        .flat_map(|p| p.items.iter().map(|i| i.key))
        .collect();
    if form.panels.iter().any(|p| p.subjects.is_some()) {
        keys.insert("subject");
    }
    keys
}

fn form_columns(form: &Form) -> BTreeSet<&str> {
    form.panels
        .iter()
        .flat_map(|p| p.columns.iter().map(|c| c.key))
        .collect()
}

/// Parses `[-][form:]item[[code]][@column]` (see the module docs).
pub fn parse_term(text: &str, default_form: Option<&str>, forms: &[Form]) -> Result<Term> {
    let trimmed = text.trim();
    let (negate, rest) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, trimmed),
    };
    let (form_key, rest) = match rest.split_once(':') {
        Some((form, rest)) => (form, rest),
        None => (
            default_form.with_context(|| {
                format!("term {text:?} names no form and the rule has no `form`")
            })?,
            rest,
        ),
    };
    let (rest, column) = match rest.split_once('@') {
        Some((rest, column)) => (rest, Some(column)),
        None => (rest, None),
    };
    let (item, code) = match rest.split_once('[') {
        Some((item, code)) => {
            let code = code
                .strip_suffix(']')
                .with_context(|| format!("term {text:?}: `[` without `]`"))?;
            let code = if code == "*" {
                CodeRef::Current
            } else if !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) {
                CodeRef::Fixed(Arc::from(code))
            } else {
                bail!("term {text:?}: code {code:?} is neither digits nor *");
            };
            (item, code)
        }
        None => (rest, CodeRef::None),
    };
    let form = find_form(forms, form_key).with_context(|| format!("term {text:?}"))?;
    let item = if item.is_empty() {
        if code != CodeRef::None {
            bail!("term {text:?}: a code needs an item (`subject[208]`)");
        }
        ItemRef::Current
    } else {
        if !form_items(form).contains(item) {
            bail!("term {text:?}: form {form_key} has no item {item}");
        }
        ItemRef::Named(Arc::from(item))
    };
    let column = match column {
        Some(c) => {
            if !form_columns(form).contains(c) {
                bail!("term {text:?}: form {form_key} has no column {c}");
            }
            ColumnRef::Named(Arc::from(c))
        }
        None => ColumnRef::Current,
    };
    Ok(Term {
        negate,
        form: Arc::from(form_key),
        item,
        code,
        column,
    })
}
