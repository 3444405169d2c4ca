//! The scorecard (DOMAIN §7): points per indicator from `scoring.toml`,
//! total, share of attainable points and grade.

use anyhow::Result;
use std::collections::BTreeMap;

use super::metrics::Metrics;
use super::spec::{AnalysisSpec, ScoreRule, ScoreSide};

#[derive(Debug, Clone)]
pub struct ScoreRow {
    pub level: String,
    pub entity_id: String,
    pub year: i32,
    /// (indicator, value, points, attainable) per rule with a value.
    pub items: Vec<(String, f64, f64, f64)>,
    pub total: f64,
    pub attainable: f64,
    pub grade: String,
}

impl ScoreRow {
    /// Share of attainable points, in %.
    pub fn share(&self) -> Option<f64> {
        (self.attainable > 0.0).then(|| self.total / self.attainable * 100.0)
    }
}

/// Points of one rule for an indicator value: full while on the right side
/// of `full_at`, minus `deduct` per percentage point beyond, never below 0;
/// or the points of the first band reached.
pub fn points(rule: &ScoreRule, value: f64) -> f64 {
    if !rule.bands.is_empty() {
        return rule
            .bands
            .iter()
            .find(|(threshold, _)| value >= *threshold - 1e-12)
            .map_or(0.0, |(_, p)| *p);
    }
    let (Some(full_at), Some(deduct)) = (rule.full_at, rule.deduct) else {
        return 0.0;
    };
    let beyond_points = match rule.side.unwrap_or(ScoreSide::AtLeast) {
        ScoreSide::AtLeast => (full_at - value) * 100.0,
        ScoreSide::AtMost => (value - full_at) * 100.0,
    };
    // Rounded to 1e-9 so 95.00% − 95% is exactly zero points beyond.
    let beyond = (beyond_points * 1e9).round() / 1e9;
    (rule.points - beyond.max(0.0) * deduct).max(0.0)
}

pub fn score(metrics: &Metrics, spec: &AnalysisSpec) -> Result<Vec<ScoreRow>> {
    let mut rows: BTreeMap<(String, String, i32), ScoreRow> = BTreeMap::new();
    for rule in &spec.scoring.rules {
        for ((level, id, year), value) in metrics.values_of(&rule.indicator)? {
            if !rule.years.contains(year) {
                continue;
            }
            let row = rows
                .entry((level.clone(), id.clone(), year))
                .or_insert_with(|| ScoreRow {
                    level,
                    entity_id: id,
                    year,
                    items: Vec::new(),
                    total: 0.0,
                    attainable: 0.0,
                    grade: String::new(),
                });
            let p = points(rule, value);
            row.items
                .push((rule.indicator.clone(), value, p, rule.points));
            row.total += p;
            row.attainable += rule.points;
        }
    }
    let g = &spec.scoring.grades;
    Ok(rows
        .into_values()
        .map(|mut r| {
            r.grade = match r.share() {
                Some(s) if s >= g.excellent => "优".into(),
                Some(s) if s >= g.good => "良".into(),
                Some(s) if s >= g.fair => "中".into(),
                _ => g.below.clone(),
            };
            r
        })
        .collect())
}
