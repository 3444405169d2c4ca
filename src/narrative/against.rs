//! A narrative against its tables: every stated figure whose subject names
//! a measure (`claims.toml`) compared with that measure of the same
//! unit-year's workbook, when the batch holds one — equal at the precision
//! the narrative prints (a 万元 figure to 0.01万元), else a finding that
//! names the sentence's line and the table's cells.

use rust_decimal::Decimal;
use std::sync::Arc;

use super::check::{NarrativeFinding, Verdict};
use super::{Narrative, Narratives};
use crate::analyse::measures::{DEPARTMENT_REPORT, Measures, UNIT_REPORT};
use crate::ingest::batch::WorkbookFacts;
use crate::rules::FindingSeverity;
use crate::text::unit_name_key;

/// Compares each narrative with the workbook of its unit-year;
/// `measured[i]` are the measures of `workbooks[i]`.
pub fn compare(
    narratives: &mut Narratives,
    workbooks: &[Arc<WorkbookFacts>],
    measured: &[Measures],
) {
    for n in &mut narratives.read {
        if let Some(i) = paired_workbook(n, workbooks) {
            compare_one(n, &workbooks[i].file, &measured[i]);
        }
    }
}

/// The workbook a narrative restates: same year and unit (or department)
/// name; for a department's report its 汇总表 first, then its public
/// tables, then the 单户表 of a department of one unit; for a unit's report
/// its 单户表 first.
fn paired_workbook(n: &Narrative, workbooks: &[Arc<WorkbookFacts>]) -> Option<usize> {
    let key = unit_name_key(&n.identity.unit_name);
    let order: &[&str] = if n.identity.kind == super::identity::UNIT_REPORT {
        &[UNIT_REPORT, DEPARTMENT_REPORT]
    } else {
        &[DEPARTMENT_REPORT, "部门公开", UNIT_REPORT]
    };
    let candidates: Vec<usize> = workbooks
        .iter()
        .enumerate()
        .filter(|(_, w)| {
            let id = &w.identity;
            id.year == n.identity.year
                && (unit_name_key(&id.unit_name) == key || unit_name_key(&id.dept_name) == key)
        })
        .map(|(i, _)| i)
        .collect();
    let rank = |i: &usize| {
        let report = workbooks[*i].identity.report_type.as_str();
        order
            .iter()
            .position(|r| *r == report)
            .unwrap_or(order.len())
    };
    let best = candidates.iter().copied().min_by_key(|i| (rank(i), *i))?;
    // A department's report restates the department's figures: one unit's
    // own accounts stand for them only when it is the department's only unit.
    let one_of_several = n.identity.kind != super::identity::UNIT_REPORT
        && workbooks[best].identity.report_type == UNIT_REPORT
        && candidates.len() > 1;
    (!one_of_several).then_some(best)
}

fn compare_one(n: &mut Narrative, file: &Arc<str>, measures: &Measures) {
    n.paired_workbook = Some(file.clone());
    let mut found = Vec::new();
    for (i, c) in n.claims.iter().enumerate() {
        let (Some(measure), Some(stated)) = (c.measure.as_deref(), c.measured()) else {
            continue;
        };
        if c.year != n.identity.year {
            continue;
        }
        let Some(table) = measures.get(measure).copied() else {
            continue;
        };
        // The table's 元 to 分 and the narrative's rounding of it.
        let tolerance = c.half_yuan() + Decimal::new(5, 3);
        let holds = (stated - table).abs() <= tolerance;
        let verdict = if holds {
            Verdict::Holds
        } else {
            Verdict::Error
        };
        let in_table = match c.yuan {
            Some(_) => format!(
                "{}万元",
                (table / Decimal::from(10_000)).round_dp(2).normalize()
            ),
            None => format!("{}{}", table.normalize(), c.unit),
        };
        let description = format!(
            "说明 {} {}{}，表中 {measure} 为 {in_table}",
            c.subject_label,
            c.value.normalize(),
            c.unit,
        );
        if verdict >= n.verdicts[i].0 || n.verdicts[i].0 == Verdict::NotCheckable {
            n.verdicts[i] = (verdict, description.clone());
        }
        if !holds {
            found.push(NarrativeFinding {
                rule_id: "narrative.table",
                severity: FindingSeverity::Error,
                description,
                lines: vec![c.line],
                cells: measures.sources(measure).to_vec(),
                left: format!("stated {}", c.subject_label),
                right: format!("{measure} in {file}"),
                left_amount: stated,
                right_amount: table,
                tolerance,
            });
        }
    }
    n.findings.extend(found);
}
