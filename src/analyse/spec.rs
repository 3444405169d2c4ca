//! The analysis specs: measures, indicators, flags and scoring, read from
//! `measures.toml`, `indicators.toml`, `flags.toml` and `scoring.toml`
//! (embedded, overridable with `--specs DIR`) and checked against each other
//! and the form catalogue when loaded.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

use super::formula::Formula;
use crate::rules::{CodeRef, ColumnRef, FindingSeverity, ItemRef, Term, parse_term};
use crate::spec::{Catalogue, SpecFiles};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureSpec {
    key: String,
    label: String,
    #[serde(default = "yuan")]
    unit: String,
    sources: Vec<String>,
    #[serde(default)]
    zero_when_blank: bool,
}

fn yuan() -> String {
    "元".to_string()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassesSpec {
    prefix: String,
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasuresFile {
    measures: Vec<MeasureSpec>,
    classes: ClassesSpec,
}

/// A measure: the first of its sources a workbook has.
#[derive(Debug, Clone)]
pub struct Measure {
    pub key: String,
    pub label: String,
    /// `元` for money; otherwise what is counted.
    pub unit: String,
    pub sources: Vec<Term>,
    /// 0 when its cell is blank or a marker for nothing in a table the
    /// workbook has (its first source's form read): a count of none.
    pub zero_when_blank: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
    None,
}

impl Direction {
    /// As written in metrics.parquet's `direction`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
            Direction::None => "none",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Percent,
    Wan,
    Number,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorSpec {
    key: String,
    label: String,
    formula: String,
    direction: Direction,
    format: Format,
    theme: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorsFile {
    peer_groups: Vec<String>,
    class_share_of: String,
    indicators: Vec<IndicatorSpec>,
}

/// Entity attributes that can make peer groups.
pub const PEER_ATTRIBUTES: [&str; 4] = ["unit_kind", "main_class", "dept_code", "basis"];

#[derive(Debug, Clone)]
pub struct Indicator {
    pub key: String,
    pub label: String,
    pub formula: Formula,
    pub direction: Direction,
    pub format: Format,
    pub theme: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    Increase,
    Exceeds,
    Below,
    Above,
    PeerOutlier,
    Appears,
    Findings,
    /// Of a pair [cost, count], one above zero and the other zero.
    Unpaired,
    /// A unit's leaf figures equal another's (`of`) in more than `threshold`
    /// of them.
    Copy,
    /// A measure about 10,000× (or 1/10,000 of) its value the year before:
    /// a figure keyed in 元 where 万元 belongs, or the other way round.
    UnitSlip,
}

/// Whose figures a `copy` flag compares a unit's with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyOf {
    /// Another unit's of the same year.
    OtherUnit,
    /// The unit's own of the latest year before.
    PreviousYear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    High,
    Low,
    Both,
}

/// One `[[flags]]` entry (fields by kind; see flags.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flag {
    pub key: String,
    pub label: String,
    pub kind: FlagKind,
    #[serde(default)]
    pub measures: Vec<String>,
    #[serde(default)]
    pub pairs: Vec<[String; 2]>,
    pub indicator: Option<String>,
    #[serde(default)]
    pub indicators: Vec<String>,
    pub threshold: Option<f64>,
    pub side: Option<Side>,
    pub z: Option<f64>,
    pub min_peers: Option<usize>,
    #[serde(default)]
    pub classes: bool,
    pub severity: Option<String>,
    /// For `findings`: only the findings of these rules (all when empty).
    #[serde(default)]
    pub rules: Vec<String>,
    /// For `copy`: whose figures a unit's are compared with.
    pub of: Option<CopyOf>,
    /// For `copy`: the leaf figures a workbook needs to be judged.
    pub min_figures: Option<u32>,
    /// For `copy`: a figure more workbooks than this hold is a common value.
    pub common_in: Option<usize>,
    /// The years it is raised for (`"2023-"`); all when absent.
    #[serde(default)]
    pub years: crate::spec::Years,
}

impl Flag {
    /// The severity of the findings a `findings` flag counts (`error` unless
    /// the spec says otherwise).
    pub fn finding_severity(&self) -> &str {
        self.severity.as_deref().unwrap_or("error")
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FlagsFile {
    flags: Vec<Flag>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreSide {
    AtLeast,
    AtMost,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRule {
    pub indicator: String,
    pub label: String,
    pub points: f64,
    pub full_at: Option<f64>,
    pub side: Option<ScoreSide>,
    pub deduct: Option<f64>,
    /// (threshold, points), highest first: the first band reached scores.
    #[serde(default)]
    pub bands: Vec<(f64, f64)>,
    /// The years it scores (`"2023-"`); all when absent.
    #[serde(default)]
    pub years: crate::spec::Years,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Grades {
    #[serde(rename = "优")]
    pub excellent: f64,
    #[serde(rename = "良")]
    pub good: f64,
    #[serde(rename = "中")]
    pub fair: f64,
    pub below: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub grades: Grades,
    pub rules: Vec<ScoreRule>,
}

/// Everything the analysis stage is told by its specs.
#[derive(Debug, Clone)]
pub struct AnalysisSpec {
    pub measures: Vec<Measure>,
    pub class_prefix: String,
    pub class_sources: Vec<Term>,
    pub indicators: Vec<Indicator>,
    /// Attributes making peer groups; the first is `peer_rank`'s and the z-scores'.
    pub peer_groups: Vec<String>,
    /// The measure each class is shown as a share of.
    pub class_share_of: String,
    pub flags: Vec<Flag>,
    pub scoring: Scoring,
    /// `audit.toml` `[leaves]` and `[digits]`.
    pub leaves: super::audit::LeafSpec,
    pub digits: super::digits::DigitSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditFile {
    leaves: super::audit::LeafSpec,
    digits: super::digits::DigitSpec,
}

impl AnalysisSpec {
    /// Whether a `findings` flag counts findings of `severity` (the analysis
    /// needs those one by one; the others only as totals).
    pub fn flags_findings_of(&self, severity: FindingSeverity) -> bool {
        self.flags
            .iter()
            .any(|f| f.kind == FlagKind::Findings && f.finding_severity() == severity.as_str())
    }

    pub fn load(dir: Option<&Path>, catalogue: &Catalogue) -> Result<Self> {
        let files = SpecFiles::load(dir)?;
        let measures_file: MeasuresFile = files.parse("measures.toml")?;
        let forms = &catalogue.forms;
        let fixed_term = |text: &str| -> Result<Term> {
            let term = parse_term(text, None, forms)?;
            if term.item == ItemRef::Current
                || term.code == CodeRef::Current
                || term.column == ColumnRef::Current
                || term.negate
            {
                bail!("source {text:?} must name form, item and column (no placeholders)");
            }
            Ok(term)
        };
        let mut measures = Vec::new();
        for m in measures_file.measures {
            let sources = m
                .sources
                .iter()
                .map(|s| fixed_term(s))
                .collect::<Result<Vec<_>>>()
                .with_context(|| format!("measures.toml: measure {}", m.key))?;
            measures.push(Measure {
                key: m.key,
                label: m.label,
                unit: m.unit,
                sources,
                zero_when_blank: m.zero_when_blank,
            });
        }
        let class_sources = measures_file
            .classes
            .sources
            .iter()
            .map(|s| {
                let term = parse_term(s, None, forms)?;
                if term.code != CodeRef::Current {
                    bail!("class source {s:?} must use subject[*]");
                }
                Ok(term)
            })
            .collect::<Result<Vec<_>>>()
            .context("measures.toml: [classes]")?;
        let known: BTreeSet<&str> = measures.iter().map(|m| m.key.as_str()).collect();
        if known.len() != measures.len() {
            bail!("measures.toml: two measures share a key");
        }

        let indicators_file: IndicatorsFile = files.parse("indicators.toml")?;
        let mut indicators = Vec::new();
        for i in indicators_file.indicators {
            let formula = Formula::parse(&i.formula)
                .with_context(|| format!("indicators.toml: indicator {}", i.key))?;
            for (name, _) in formula.inputs() {
                if !known.contains(name.as_str()) {
                    bail!(
                        "indicators.toml: indicator {} uses unknown measure {name}",
                        i.key
                    );
                }
            }
            indicators.push(Indicator {
                key: i.key,
                label: i.label,
                formula,
                direction: i.direction,
                format: i.format,
                theme: i.theme,
            });
        }
        let indicator_keys: BTreeSet<&str> = indicators.iter().map(|i| i.key.as_str()).collect();
        if indicators_file.peer_groups.is_empty() {
            bail!("indicators.toml: peer_groups needs at least one attribute");
        }
        for g in &indicators_file.peer_groups {
            if !PEER_ATTRIBUTES.contains(&g.as_str()) {
                bail!("indicators.toml: peer group {g:?} is none of {PEER_ATTRIBUTES:?}");
            }
        }
        if !known.contains(indicators_file.class_share_of.as_str()) {
            bail!(
                "indicators.toml: class_share_of names unknown measure {}",
                indicators_file.class_share_of
            );
        }

        let flags: FlagsFile = files.parse("flags.toml")?;
        for f in &flags.flags {
            let measures = f.measures.iter().chain(f.pairs.iter().flatten());
            for m in measures {
                if !known.contains(m.as_str()) {
                    bail!("flags.toml: flag {} uses unknown measure {m}", f.key);
                }
            }
            let missing = match f.kind {
                FlagKind::PeerOutlier
                    if f.z.is_none() || f.min_peers.is_none() || f.side.is_none() =>
                {
                    Some("z, min_peers and side")
                }
                FlagKind::Below | FlagKind::Above
                    if f.indicator.is_none() || f.threshold.is_none() =>
                {
                    Some("indicator and threshold")
                }
                FlagKind::Copy
                    if f.of.is_none() || f.threshold.is_none() || f.min_figures.is_none() =>
                {
                    Some("of, threshold and min_figures")
                }
                _ => None,
            };
            if let Some(fields) = missing {
                bail!("flags.toml: flag {} needs {fields}", f.key);
            }
            for i in f.indicator.iter().chain(&f.indicators) {
                if !indicator_keys.contains(i.as_str()) {
                    bail!("flags.toml: flag {} uses unknown indicator {i}", f.key);
                }
            }
        }
        let scoring: Scoring = files.parse("scoring.toml")?;
        for r in &scoring.rules {
            if !indicator_keys.contains(r.indicator.as_str()) {
                bail!("scoring.toml: unknown indicator {}", r.indicator);
            }
        }
        let audit: AuditFile = files.parse("audit.toml")?;
        Ok(AnalysisSpec {
            measures,
            class_prefix: measures_file.classes.prefix,
            class_sources,
            indicators,
            peer_groups: indicators_file.peer_groups,
            class_share_of: indicators_file.class_share_of,
            flags: flags.flags,
            scoring,
            leaves: audit.leaves,
            digits: audit.digits,
        })
    }
}
