//! Anomaly flags (DOMAIN §8), each kind driven by `flags.toml`: every flag
//! names the unit or department, carries a Chinese sentence with the figures
//! and the threshold or peer statistic, and the source cells.

use anyhow::Result;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

use super::measures::{EntityYear, Level, UNIT_REPORT};
use super::metrics::{Metrics, to_f64};
use super::previous;
use super::spec::{AnalysisSpec, Flag, FlagKind, Side};
use crate::ingest::identity::DeptKeys;
use crate::validate::{Finding, SourceCell};

/// One raised flag.
#[derive(Debug, Clone)]
pub struct FlagRow {
    pub flag: String,
    pub label: String,
    pub level: Level,
    pub entity_id: String,
    pub entity_name: String,
    pub dept_name: String,
    pub unit_kind: Option<String>,
    pub year: i32,
    /// The measure or indicator the flag is about.
    pub metric: String,
    pub value: Option<f64>,
    /// The threshold, previous-year value, budget or peer median compared with.
    pub reference: Option<f64>,
    pub reason: String,
    pub cells: Vec<SourceCell>,
}

impl FlagRow {
    /// `flag` raised on `e` for `metric`, with what it was compared with.
    pub(crate) fn new(
        flag: &Flag,
        e: &EntityYear,
        metric: &str,
        (value, reference): (Option<f64>, Option<f64>),
        reason: String,
        cells: Vec<SourceCell>,
    ) -> FlagRow {
        FlagRow {
            flag: flag.key.clone(),
            label: flag.label.clone(),
            level: e.level,
            entity_id: e.id.clone(),
            entity_name: e.name.clone(),
            dept_name: e.dept_name.clone(),
            unit_kind: e.unit_kind.clone(),
            year: e.year,
            metric: metric.to_string(),
            value,
            reference,
            reason,
            cells,
        }
    }
}

/// Money in 万元 with separators; counts as they are.
pub fn show(value: f64, unit: &str) -> String {
    if unit == "元" {
        format!("{} 万元", thousands(value / 10_000.0, 2))
    } else {
        format!("{} {unit}", thousands(value, 0))
    }
}

pub fn thousands(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

pub fn percent(ratio: f64) -> String {
    format!("{:.2}%", ratio * 100.0)
}

fn signed_percent(ratio: f64) -> String {
    format!(
        "{}{:.2}%",
        if ratio >= 0.0 { "+" } else { "" },
        ratio * 100.0
    )
}

/// Raises every flag of the spec.
pub fn raise(
    entities: &[EntityYear],
    metrics: &Metrics,
    findings: &[Finding],
    keys: &DeptKeys,
    spec: &AnalysisSpec,
    copies: Vec<FlagRow>,
) -> Result<Vec<FlagRow>> {
    let info: HashMap<&str, (&str, &str)> = metrics
        .info
        .iter()
        .map(|m| (m.key.as_str(), (m.label.as_str(), m.unit.as_str())))
        .collect();
    let label = |m: &str| info.get(m).map_or(m.to_string(), |i| i.0.to_string());
    let unit = |m: &str| info.get(m).map_or("元", |i| i.1);
    let indicator_inputs: HashMap<&str, Vec<String>> = spec
        .indicators
        .iter()
        .map(|i| {
            (
                i.key.as_str(),
                i.formula.inputs().into_iter().map(|(m, _)| m).collect(),
            )
        })
        .collect();
    let mut out = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        let prev = previous(entities, i);
        let new_flag = |flag: &Flag, metric: &str, value, reference, reason: String, cells| {
            FlagRow::new(flag, e, metric, (value, reference), reason, cells)
        };
        let cells_of = |keys: &[&str], entities: &[&EntityYear]| -> Vec<SourceCell> {
            entities
                .iter()
                .flat_map(|x| keys.iter().flat_map(|k| x.measures.sources(k)))
                .cloned()
                .collect()
        };
        let stat = |metric: &str| metrics.row(i, metric).unwrap_or_default();
        for flag in &spec.flags {
            match flag.kind {
                FlagKind::Increase => {
                    let Some(p) = prev.filter(|p| p.basis == e.basis) else {
                        continue;
                    };
                    for m in &flag.measures {
                        let (Some(v), Some(pv)) = (e.measures.get(m), p.measures.get(m)) else {
                            continue;
                        };
                        if v <= pv {
                            continue;
                        }
                        let (v, pv) = (to_f64(v), to_f64(pv));
                        let rel = if pv > 0.0 {
                            format!("（{}）", signed_percent((v - pv) / pv))
                        } else {
                            String::new()
                        };
                        let reason = format!(
                            "{}{}年 {}，比{}年 {} 增加 {}{rel}",
                            label(m),
                            e.year,
                            show(v, unit(m)),
                            p.year,
                            show(pv, unit(m)),
                            show(v - pv, unit(m)),
                        );
                        out.push(new_flag(
                            flag,
                            m,
                            Some(v),
                            Some(pv),
                            reason,
                            cells_of(&[m], &[e, p]),
                        ));
                    }
                }
                FlagKind::Exceeds => {
                    for [a, b] in &flag.pairs {
                        let (Some(va), Some(vb)) = (e.measures.get(a), e.measures.get(b)) else {
                            continue;
                        };
                        if va <= vb {
                            continue;
                        }
                        let (va, vb) = (to_f64(va), to_f64(vb));
                        let over = if vb > 0.0 {
                            format!("（超出 {}）", percent((va - vb) / vb))
                        } else {
                            String::new()
                        };
                        let reason = format!(
                            "{} {} 超过{} {}，多 {}{over}",
                            label(a),
                            show(va, unit(a)),
                            label(b),
                            show(vb, unit(b)),
                            show(va - vb, unit(a)),
                        );
                        out.push(new_flag(
                            flag,
                            a,
                            Some(va),
                            Some(vb),
                            reason,
                            cells_of(&[a, b], &[e]),
                        ));
                    }
                }
                FlagKind::Below | FlagKind::Above => {
                    let (Some(ind), Some(threshold)) = (&flag.indicator, flag.threshold) else {
                        continue;
                    };
                    let Some(v) = stat(ind).value else { continue };
                    let below = flag.kind == FlagKind::Below;
                    if (below && v >= threshold) || (!below && v <= threshold) {
                        continue;
                    }
                    let reason = format!(
                        "{} {}，{}阈值 {}",
                        label(ind),
                        percent(v),
                        if below { "低于" } else { "高于" },
                        percent(threshold)
                    );
                    let inputs: Vec<&str> = indicator_inputs
                        .get(ind.as_str())
                        .map(|v| v.iter().map(String::as_str).collect())
                        .unwrap_or_default();
                    out.push(new_flag(
                        flag,
                        ind,
                        Some(v),
                        Some(threshold),
                        reason,
                        cells_of(&inputs, &[e]),
                    ));
                }
                FlagKind::PeerOutlier => {
                    // Required for this kind when flags.toml is loaded.
                    let (Some(limit), Some(min_peers), Some(side)) =
                        (flag.z, flag.min_peers, flag.side)
                    else {
                        continue;
                    };
                    let min_peers = min_peers as i64;
                    for ind in &flag.indicators {
                        let s = stat(ind);
                        let (Some(v), Some(z), Some(median), Some(mad), Some(n)) =
                            (s.value, s.z_score, s.peer_median, s.peer_mad, s.peer_n)
                        else {
                            continue;
                        };
                        let beyond = match side {
                            Side::High => z > limit,
                            Side::Low => z < -limit,
                            Side::Both => z.abs() > limit,
                        };
                        if !beyond || n < min_peers {
                            continue;
                        }
                        let shown =
                            |x: f64| {
                                if spec.indicators.iter().any(|i| {
                                    i.key == *ind && i.format == super::spec::Format::Percent
                                }) {
                                    percent(x)
                                } else {
                                    show(x, "元")
                                }
                            };
                        let reason = format!(
                            "{} {}，同类（{}，{} 个）中位数 {}，MAD {}，稳健 z 值 {:.2}（阈值 ±{limit}）",
                            label(ind),
                            shown(v),
                            e.unit_kind.as_deref().unwrap_or("未分类"),
                            n,
                            shown(median),
                            shown(mad),
                            z,
                        );
                        let inputs: Vec<&str> = indicator_inputs
                            .get(ind.as_str())
                            .map(|v| v.iter().map(String::as_str).collect())
                            .unwrap_or_default();
                        out.push(new_flag(
                            flag,
                            ind,
                            Some(v),
                            Some(median),
                            reason,
                            cells_of(&inputs, &[e]),
                        ));
                    }
                }
                FlagKind::Appears => {
                    let Some(p) = prev.filter(|p| p.basis == e.basis) else {
                        continue;
                    };
                    let keys: Vec<&str> = if flag.classes {
                        e.measures
                            .keys()
                            .filter(|k| k.starts_with(spec.class_prefix.as_str()))
                            .collect()
                    } else {
                        flag.measures.iter().map(String::as_str).collect()
                    };
                    for m in keys {
                        let Some(v) = e.measures.get(m) else { continue };
                        let before = p.measures.get(m).copied().unwrap_or(Decimal::ZERO);
                        if *v <= Decimal::ZERO || before != Decimal::ZERO {
                            continue;
                        }
                        let reason = format!(
                            "{}{}年 {}，{}年为零或未列示",
                            label(m),
                            e.year,
                            show(to_f64(v), unit(m)),
                            p.year
                        );
                        out.push(new_flag(
                            flag,
                            m,
                            Some(to_f64(v)),
                            Some(0.0),
                            reason,
                            cells_of(&[m], &[e]),
                        ));
                    }
                }
                FlagKind::Findings | FlagKind::UnitSlip | FlagKind::Unpaired | FlagKind::Copy => {}
            }
        }
    }
    out.extend(finding_flags(entities, findings, keys, spec));
    out.extend(unit_slip_flags(entities, metrics, spec, &label));
    out.extend(copies);
    out.extend(unpaired_flags(entities, spec, &label, &|v, m| {
        show(v, unit(m))
    }));
    // A flag raised only in the years its spec names.
    out.retain(|row| {
        spec.flags
            .iter()
            .find(|f| f.key == row.flag)
            .is_none_or(|f| f.years.contains(row.year))
    });
    out.sort_by(|a, b| {
        (a.level, a.year, &a.entity_id, &a.flag, &a.metric).cmp(&(
            b.level,
            b.year,
            &b.entity_id,
            &b.flag,
            &b.metric,
        ))
    });
    Ok(out)
}

/// The 元/万元 slips: a measure whose ratio to the same measure the year
/// before — or, with no year before, to its peer group's median (groups of
/// at least the flag's `min_peers`) — is 10,000 (or 1/10,000) within the
/// flag's `threshold` (relative).
fn unit_slip_flags(
    entities: &[EntityYear],
    metrics: &Metrics,
    spec: &AnalysisSpec,
    label: &dyn Fn(&str) -> String,
) -> Vec<FlagRow> {
    let mut out = Vec::new();
    for flag in spec.flags.iter().filter(|f| f.kind == FlagKind::UnitSlip) {
        let tolerance = flag.threshold.unwrap_or(0.05);
        let min_peers = flag.min_peers.unwrap_or(5) as i64;
        for (i, e) in entities.iter().enumerate() {
            let prev = previous(entities, i);
            for m in &flag.measures {
                let Some(v) = e.measures.get(m).map(to_f64) else {
                    continue;
                };
                let (reference, against, cells) =
                    match prev.and_then(|p| Some((p, p.measures.get(m)?))) {
                        Some((p, pv)) => (
                            to_f64(pv),
                            format!("{}年 {:.2} 元", p.year, to_f64(pv)),
                            p.measures.sources(m),
                        ),
                        None => {
                            let row = metrics.row(i, m).unwrap_or_default();
                            let (Some(median), Some(n)) = (row.peer_median, row.peer_n) else {
                                continue;
                            };
                            if n < min_peers {
                                continue;
                            }
                            (
                                median,
                                format!("同类（{n} 个）中位数 {median:.2} 元"),
                                &[][..],
                            )
                        }
                    };
                let Some(up) = slipped(v, reference, tolerance) else {
                    continue;
                };
                let ratio = v / reference;
                let reason = format!(
                    "{}{}年 {:.2} 元，是{against}的 {}：疑为{}",
                    label(m),
                    e.year,
                    v,
                    if up {
                        format!("{ratio:.0} 倍")
                    } else {
                        format!("1/{:.0}", 1.0 / ratio)
                    },
                    if up {
                        "元数填入了以万元计的表（大了 10,000 倍）"
                    } else {
                        "万元数填入了以元计的表（小了 10,000 倍）"
                    }
                );
                let cells = e.measures.sources(m).iter().chain(cells).cloned().collect();
                out.push(FlagRow::new(
                    flag,
                    e,
                    m,
                    (Some(v), Some(reference)),
                    reason,
                    cells,
                ));
            }
        }
    }
    out
}

/// Whether `v` is about 10,000× `reference` (`Some(true)`) or 1/10,000 of
/// it (`Some(false)`), within `tolerance` relative.
fn slipped(v: f64, reference: f64, tolerance: f64) -> Option<bool> {
    const FACTOR: f64 = 10_000.0;
    if v <= 0.0 || reference <= 0.0 {
        return None;
    }
    let near = |r: f64| (r / FACTOR - 1.0).abs() <= tolerance;
    let ratio = v / reference;
    if near(ratio) {
        Some(true)
    } else if near(1.0 / ratio) {
        Some(false)
    } else {
        None
    }
}

/// A cost with nothing counted, or a count with no cost: of each pair
/// [cost, count] both stated, one above zero and the other zero.
fn unpaired_flags(
    entities: &[EntityYear],
    spec: &AnalysisSpec,
    label: &dyn Fn(&str) -> String,
    shown: &dyn Fn(f64, &str) -> String,
) -> Vec<FlagRow> {
    let mut out = Vec::new();
    for flag in spec.flags.iter().filter(|f| f.kind == FlagKind::Unpaired) {
        for e in entities {
            for [cost, count] in &flag.pairs {
                let (Some(c), Some(n)) = (e.measures.get(cost), e.measures.get(count)) else {
                    continue;
                };
                let (c, n) = (to_f64(c), to_f64(n));
                let reason = match (c > 0.0, n > 0.0) {
                    (true, false) => {
                        format!("{} {}，{}为 0", label(cost), shown(c, cost), label(count))
                    }
                    (false, true) => {
                        format!("{} {}，{}为 0", label(count), shown(n, count), label(cost))
                    }
                    _ => continue,
                };
                let cells = [cost, count]
                    .iter()
                    .flat_map(|k| e.measures.sources(k))
                    .cloned()
                    .collect();
                out.push(FlagRow::new(
                    flag,
                    e,
                    cost,
                    (Some(c), Some(n)),
                    reason,
                    cells,
                ));
            }
        }
    }
    out
}

/// One flag per unit or department whose workbooks have findings of the
/// flag's severity.
fn finding_flags(
    entities: &[EntityYear],
    findings: &[Finding],
    keys: &DeptKeys,
    spec: &AnalysisSpec,
) -> Vec<FlagRow> {
    let mut out = Vec::new();
    for flag in spec.flags.iter().filter(|f| f.kind == FlagKind::Findings) {
        let severity = flag.finding_severity();
        // (level, id, year) → findings
        let mut by_entity: BTreeMap<(Level, String, i32), Vec<&Finding>> = BTreeMap::new();
        let of_rules =
            |f: &&Finding| flag.rules.is_empty() || flag.rules.iter().any(|r| **r == *f.rule_id);
        for f in findings
            .iter()
            .filter(|f| f.severity.as_str() == severity)
            .filter(of_rules)
        {
            let id = &f.workbook.identity;
            let entity = if id.report_type == UNIT_REPORT {
                (Level::Unit, id.unit_id.clone())
            } else {
                (Level::Department, keys.key(id))
            };
            by_entity
                .entry((entity.0, entity.1, id.year))
                .or_default()
                .push(f);
        }
        for ((level, id, year), found) in by_entity {
            let Some(e) = entities
                .iter()
                .find(|e| e.level == level && e.id == id && e.year == year)
            else {
                continue;
            };
            let mut rules: Vec<&str> = found.iter().map(|f| &*f.rule_id).collect();
            rules.dedup();
            // A flag of named rules says what they found; the others count.
            let reason = if flag.rules.is_empty() {
                format!(
                    "{} {} 处：{}（见勾稽校验）",
                    flag.label,
                    found.len(),
                    rules.join("、")
                )
            } else {
                let said: Vec<&str> = found.iter().map(|f| &*f.description).collect();
                said.join("；")
            };
            let cells = found.iter().flat_map(|f| f.cells.iter().cloned()).collect();
            let value = Some(found.len() as f64);
            out.push(FlagRow::new(
                flag,
                e,
                "findings",
                (value, None),
                reason,
                cells,
            ));
        }
    }
    out
}
