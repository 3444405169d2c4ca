//! Analyse stage: measures per unit and department, indicators, changes on
//! the previous year, ranks and peer statistics, anomaly flags and the
//! scorecard, all driven by the specs in `measures.toml`, `indicators.toml`,
//! `flags.toml` and `scoring.toml`.

pub mod audit;
pub mod copies;
pub mod digits;
pub mod flags;
pub mod formula;
pub mod measures;
pub mod metrics;
pub mod score;
pub mod spec;

use anyhow::Result;
use std::sync::Arc;

use crate::ingest::batch::WorkbookFacts;
use crate::ingest::identity::{DeptKeys, Identity};
use crate::spec::Catalogue;
use crate::validate::Finding;
use flags::FlagRow;
use measures::{EntityYear, Measures, entities};
use metrics::{Metrics, compute, metric_info};
use score::ScoreRow;
use spec::AnalysisSpec;

/// Everything the analysis found.
pub struct Analysis {
    pub entities: Vec<EntityYear>,
    pub metrics: Metrics,
    pub flags: Vec<FlagRow>,
    pub scores: Vec<ScoreRow>,
    /// Each department-year's digit tests (数字特征).
    pub digits: Vec<digits::DigitTest>,
}

/// Analyses the workbooks from their measures (`measured[i]` those of
/// `workbooks[i]`, from [`measures::Measurer`]), and the department-years
/// known only from what their narratives `stated`.
pub fn analyse(
    workbooks: &[Arc<WorkbookFacts>],
    mut measured: Vec<Measures>,
    stated: Vec<(Identity, Measures)>,
    findings: &[Finding],
    spec: &AnalysisSpec,
    catalogue: &Catalogue,
) -> Result<Analysis> {
    let keys = DeptKeys::new(workbooks.iter().map(|w| &w.identity));
    // What the audit tests kept of each workbook, out of its measures.
    let audits: Vec<_> = measured.iter_mut().map(|m| m.audit.take()).collect();
    let started = std::time::Instant::now();
    let digits = digits::digit_tests(workbooks, &audits, &keys, &spec.digits);
    audit::spent_since(started);
    let entities = entities(workbooks, measured, stated, &keys);
    let started = std::time::Instant::now();
    let copies = copies::copy_flags(workbooks, &audits, &entities, &spec.flags);
    drop(audits);
    audit::spent_since(started);
    let info = metric_info(spec, catalogue, &entities);
    let metrics = compute(&entities, &info, spec)?;
    let flags = flags::raise(&entities, &metrics, findings, &keys, spec, copies)?;
    let scores = score::score(&metrics, spec)?;
    Ok(Analysis {
        entities,
        metrics,
        flags,
        scores,
        digits,
    })
}

/// The entity-year before `i` in `entities` (sorted by level, id, year), if
/// it is the same unit or department.
pub fn previous(entities: &[EntityYear], i: usize) -> Option<&EntityYear> {
    let e = &entities[i];
    i.checked_sub(1)
        .map(|j| &entities[j])
        .filter(|p| p.level == e.level && p.id == e.id)
}

/// Why an indicator has no value — which inputs are missing, or which
/// divisor is zero — for each indicator of the spec (in its order) and
/// each entity (in `entities`' order); `None` where it has a value, as
/// `has_value(indicator, entity)` says.
fn indicator_notes(
    entities: &[EntityYear],
    spec: &AnalysisSpec,
    has_value: impl Fn(usize, usize) -> bool,
) -> Vec<Vec<Option<String>>> {
    let label = |key: &str| {
        spec.measures
            .iter()
            .find(|m| m.key == key)
            .map_or(key.to_string(), |m| m.label.clone())
    };
    let mut notes = vec![vec![None; entities.len()]; spec.indicators.len()];
    for (i, e) in entities.iter().enumerate() {
        let prev = previous(entities, i);
        let value = |m: &str, is_prev: bool| {
            let source = if is_prev { prev? } else { e };
            source.measures.get(m).map(metrics::to_f64)
        };
        for (k, (ind, notes)) in spec.indicators.iter().zip(&mut notes).enumerate() {
            if has_value(k, i) {
                continue;
            }
            let missing: Vec<String> = ind
                .formula
                .inputs()
                .into_iter()
                .filter(|(m, p)| value(m, *p).is_none())
                .map(|(m, p)| {
                    if p {
                        format!("上年{}", label(&m))
                    } else {
                        label(&m)
                    }
                })
                .collect();
            notes[i] = Some(if missing.is_empty() {
                format!("分母为零（{}）", ind.formula.text())
            } else {
                format!("缺少{}", missing.join("、"))
            });
        }
    }
    notes
}
