//! Digit analysis (DOMAIN §11, Nigrini): Benford's first-digit and
//! first-two-digit tests per department-year over its leaf figures, with
//! the MAD, its conformity band, and the excess MAD that corrects the MAD
//! for a department's small sample (`audit.toml` `[digits]`).

use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::audit::WorkbookAudit;
use super::measures::UNIT_REPORT;
use crate::ingest::batch::{Fact, WorkbookFacts};
use crate::ingest::identity::DeptKeys;

/// `[digits]` of `audit.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigitSpec {
    pub min_yuan: Decimal,
    pub min_figures: u32,
    pub first_digit_bands: [f64; 3],
    pub first_two_bands: [f64; 3],
}

/// How many leaf figures start with each digit (1–9) and each pair of
/// digits (10–99).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigitCounts {
    pub first: [u32; 9],
    pub first_two: [u32; 90],
}

impl Default for DigitCounts {
    fn default() -> Self {
        DigitCounts {
            first: [0; 9],
            first_two: [0; 90],
        }
    }
}

impl DigitCounts {
    /// Of a workbook's leaf figures, each distinct (code, amount) once.
    pub fn of<'f>(leaves: impl Iterator<Item = &'f Fact>, spec: &DigitSpec) -> Option<DigitCounts> {
        let mut seen: Vec<(&str, Decimal)> = leaves
            .filter_map(|f| Some((f.subject_code?, f.amount.abs())))
            .filter(|(_, amount)| *amount >= spec.min_yuan)
            .collect();
        seen.sort_unstable();
        seen.dedup();
        let mut counts = DigitCounts::default();
        for (_, amount) in seen {
            counts.add(amount);
        }
        (counts.n() > 0).then_some(counts)
    }

    /// Counts the leading digits of `amount` (a figure of one significant
    /// digit has no first two and is not counted).
    pub fn add(&mut self, amount: Decimal) {
        let mut m = amount.normalize().mantissa().unsigned_abs();
        if m < 10 {
            return;
        }
        while m >= 100 {
            m /= 10;
        }
        let two = m as usize; // 10–99
        self.first[two / 10 - 1] += 1;
        self.first_two[two - 10] += 1;
    }

    pub fn n(&self) -> u32 {
        self.first.iter().sum()
    }

    fn merge(&mut self, other: &DigitCounts) {
        for (a, b) in self.first.iter_mut().zip(&other.first) {
            *a += b;
        }
        for (a, b) in self.first_two.iter_mut().zip(&other.first_two) {
            *a += b;
        }
    }
}

/// Benford's proportion of figures whose leading digits are `d` (1–99).
pub fn benford(d: u32) -> f64 {
    (1.0 + 1.0 / f64::from(d)).log10()
}

/// One test's statistics: MAD, the MAD a conforming sample of this size is
/// expected to have, the excess, and the bands of the MAD and the excess.
#[derive(Debug, Clone, PartialEq)]
pub struct DigitStat {
    pub mad: f64,
    pub expected_mad: f64,
    pub excess_mad: f64,
    pub band: &'static str,
    pub excess_band: &'static str,
    /// The digits most over-represented (observed − expected), largest first.
    pub over: Vec<(u32, f64)>,
}

/// MAD and bands of `counts` (index `i` = digits `first + i`).
pub fn digit_stat(counts: &[u32], first: u32, bands: [f64; 3]) -> Option<DigitStat> {
    let n: u32 = counts.iter().sum();
    if n == 0 {
        return None;
    }
    let n = f64::from(n);
    let mut gaps: Vec<(u32, f64)> = Vec::with_capacity(counts.len());
    let (mut mad, mut expected) = (0.0, 0.0);
    for (i, &c) in counts.iter().enumerate() {
        let d = first + i as u32;
        let p = benford(d);
        let gap = f64::from(c) / n - p;
        mad += gap.abs();
        // E|p̂ − p| for a conforming sample (normal approximation).
        expected += (2.0 * p * (1.0 - p) / (std::f64::consts::PI * n)).sqrt();
        gaps.push((d, gap));
    }
    let k = counts.len() as f64;
    let (mad, expected) = (mad / k, expected / k);
    gaps.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let over = gaps.into_iter().filter(|g| g.1 > 0.0).take(3).collect();
    let excess = mad - expected;
    Some(DigitStat {
        mad,
        expected_mad: expected,
        excess_mad: excess,
        band: band(mad, bands),
        excess_band: band(excess, bands),
        over,
    })
}

/// Nigrini's conformity band of a MAD.
pub fn band(mad: f64, [close, acceptable, marginal]: [f64; 3]) -> &'static str {
    if mad <= close {
        "近似符合"
    } else if mad <= acceptable {
        "可接受"
    } else if mad <= marginal {
        "勉强符合"
    } else {
        "不符合"
    }
}

/// A department-year's digit tests.
#[derive(Debug, Clone)]
pub struct DigitTest {
    pub dept_id: String,
    pub dept_name: String,
    pub year: i32,
    /// Whose figures: 单户表（n 户） or the department's own workbook.
    pub basis: String,
    pub counts: DigitCounts,
    /// `None` below the spec's `min_figures` (数字过少).
    pub first_digit: Option<DigitStat>,
    pub first_two: Option<DigitStat>,
}

impl DigitTest {
    /// The verdict: the excess MAD's band of the first-digit test.
    pub fn verdict(&self) -> &'static str {
        self.first_digit
            .as_ref()
            .map_or("数字过少", |s| s.excess_band)
    }
}

/// The digit tests of every department-year: its units' leaf figures, or
/// where it has no 单户表, those of its first other workbook.
pub fn digit_tests(
    workbooks: &[Arc<WorkbookFacts>],
    audits: &[Option<Box<WorkbookAudit>>],
    keys: &DeptKeys,
    spec: &DigitSpec,
) -> Vec<DigitTest> {
    // (dept key, year) → (name, units' counts and number, first other's counts)
    type Sums = (String, DigitCounts, usize, Option<DigitCounts>);
    let mut by_dept: BTreeMap<(String, i32), Sums> = BTreeMap::new();
    for (w, audit) in workbooks.iter().zip(audits) {
        let Some(counts) = audit.as_ref().and_then(|a| a.digits.as_ref()) else {
            continue;
        };
        let id = &w.identity;
        let entry = by_dept
            .entry((keys.key(id), id.year))
            .or_insert_with(|| (id.dept_name.clone(), DigitCounts::default(), 0, None));
        if id.report_type == UNIT_REPORT {
            entry.1.merge(counts);
            entry.2 += 1;
        } else if entry.3.is_none() {
            entry.3 = Some(counts.clone());
        }
    }
    by_dept
        .into_iter()
        .map(|((dept_id, year), (dept_name, units, n_units, own))| {
            let (counts, basis) = match own {
                Some(own) if n_units == 0 => (own, "部门报表".to_string()),
                _ => (units, format!("{UNIT_REPORT}（{n_units} 户）")),
            };
            let (first_digit, first_two) = judge(&counts, spec);
            DigitTest {
                dept_id,
                dept_name,
                year,
                basis,
                first_digit,
                first_two,
                counts,
            }
        })
        .collect()
}

/// The first-digit and first-two-digit statistics, or none below the
/// spec's `min_figures`.
pub fn judge(counts: &DigitCounts, spec: &DigitSpec) -> (Option<DigitStat>, Option<DigitStat>) {
    if counts.n() < spec.min_figures {
        return (None, None);
    }
    (
        digit_stat(&counts.first, 1, spec.first_digit_bands),
        digit_stat(&counts.first_two, 10, spec.first_two_bands),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_digits_of_amounts() {
        let mut c = DigitCounts::default();
        for a in ["10.00", "123456.78", "0.5", "9", "98765", "100"] {
            c.add(a.parse().expect("decimal"));
        }
        // 0.5 and 9 have one digit only: not counted (the spec's floor is 10 元).
        assert_eq!(c.n(), 4);
        assert_eq!(c.first[0], 3);
        assert_eq!(c.first[8], 1);
        assert_eq!(c.first_two[0], 2); // 10, 100
        assert_eq!(c.first_two[2], 1); // 12
        assert_eq!(c.first_two[88], 1); // 98
    }

    /// MAD of a fixed first-digit table, against the figures computed by
    /// hand (Python: `sum(abs(c/n - log10(1+1/d)))/9`).
    #[test]
    fn mad_equals_a_reference_computation() {
        let counts = [30, 18, 12, 10, 8, 7, 6, 5, 4]; // n = 100
        let s = digit_stat(&counts, 1, [0.006, 0.012, 0.015]).expect("stat");
        // |0.30−0.30103| + |0.18−0.17609| + |0.12−0.12494| + |0.10−0.09691|
        // + |0.08−0.07918| + |0.07−0.06695| + |0.06−0.05799| + |0.05−0.05115|
        // + |0.04−0.04576| = 0.025757…, / 9:
        assert!((s.mad - 0.002_861_9).abs() < 1e-6, "{}", s.mad);
        assert_eq!(s.band, "近似符合");
        // Expected MAD for N = 100: 0.234847/√100.
        assert!(
            (s.expected_mad - 0.023_484_7).abs() < 1e-6,
            "{}",
            s.expected_mad
        );
        assert!(s.excess_mad < 0.0);
        assert_eq!(s.over[0].0, 2);
        // All 100 figures starting with 9: far from Benford.
        let skewed = [0, 0, 0, 0, 0, 0, 0, 0, 100];
        let s = digit_stat(&skewed, 1, [0.006, 0.012, 0.015]).expect("stat");
        assert_eq!(s.excess_band, "不符合");
        assert_eq!(s.over, vec![(9, 1.0 - benford(9))]);
    }

    #[test]
    fn below_the_stated_sample_size_there_is_no_verdict() {
        let spec: DigitSpec = toml::from_str::<toml::Table>(include_str!("../specs/audit.toml"))
            .expect("audit.toml")
            .get("digits")
            .cloned()
            .expect("[digits]")
            .try_into()
            .expect("digit spec");
        let mut counts = DigitCounts::default();
        for i in 0..spec.min_figures - 1 {
            counts.add(Decimal::from(100 + i * 37));
        }
        assert_eq!(judge(&counts, &spec), (None, None));
        counts.add(Decimal::from(12_345));
        let (first, two) = judge(&counts, &spec);
        assert!(first.is_some() && two.is_some());
    }
}
