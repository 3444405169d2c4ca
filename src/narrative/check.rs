//! Check stage for narratives: every stated figure against the others —
//! shares, changes and rates recomputed, parts against their total, one
//! figure per quantity, wording against the figures — judged at the
//! precision each figure is printed with: a gap rounding can explain is
//! `rounding`, never `error`.

use rust_decimal::Decimal;
use std::collections::BTreeMap;

use super::claims::{Basis, Claim, Kind};
use super::document::Line;
use super::spec::{ClaimsSpec, fold};
use crate::rules::FindingSeverity;

/// A previous year's figure in 元, the slack rounding allows it, and the
/// claims it comes from.
type Implied = (Decimal, Decimal, Vec<usize>);

/// What the checks made of one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    NotCheckable,
    Holds,
    Rounding,
    Warning,
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotCheckable => "not_checkable",
            Verdict::Holds => "holds",
            Verdict::Rounding => "rounding",
            Verdict::Warning => "warning",
            Verdict::Error => "error",
        }
    }

    fn severity(self) -> Option<FindingSeverity> {
        match self {
            Verdict::Rounding => Some(FindingSeverity::Rounding),
            Verdict::Warning => Some(FindingSeverity::Warning),
            Verdict::Error => Some(FindingSeverity::Error),
            _ => None,
        }
    }
}

/// A finding about a document's own statements.
#[derive(Debug, Clone)]
pub struct NarrativeFinding {
    pub rule_id: &'static str,
    pub severity: FindingSeverity,
    pub description: String,
    /// Lines (indices into the document's lines) involved, first the one it is about.
    pub lines: Vec<usize>,
    /// Cells of the tables it is compared with.
    pub cells: Vec<crate::validate::SourceCell>,
    pub left: String,
    pub right: String,
    pub left_amount: Decimal,
    pub right_amount: Decimal,
    pub tolerance: Decimal,
}

/// The checks' results: a verdict (and its reason) per claim, and the findings.
pub struct Checked {
    pub verdicts: Vec<(Verdict, String)>,
    pub findings: Vec<NarrativeFinding>,
}

/// Runs every check on a document's claims.
pub fn check(lines: &[Line], claims: &[Claim], spec: &ClaimsSpec) -> Checked {
    let mut c = Checker {
        claims,
        spec,
        verdicts: vec![(Verdict::NotCheckable, String::new()); claims.len()],
        findings: Vec::new(),
    };
    for (i, claim) in claims.iter().enumerate() {
        match claim.kind {
            Kind::Share => c.share(i),
            Kind::ChangePercent => c.change_percent(i),
            Kind::Rate => c.rate(i, lines),
            Kind::Change => c.change_direction(i),
            _ => {}
        }
    }
    c.parts_within_total();
    c.identities();
    c.function_lines();
    c.restated();
    c.previous_years();
    c.unit_slips();
    c.comparison_years(lines);
    template_leftovers(lines, spec, &mut c.findings);
    super::tables::check_tables(lines, &mut c.findings);
    let Checker {
        mut verdicts,
        findings,
        ..
    } = c;
    for (claim, (verdict, reason)) in claims.iter().zip(&mut verdicts) {
        if *verdict == Verdict::NotCheckable && reason.is_empty() {
            *reason = unchecked_reason(claim).into();
        }
    }
    Checked { verdicts, findings }
}

fn unchecked_reason(claim: &Claim) -> &'static str {
    match claim.kind {
        _ if claim.subject.is_none() => "its subject is not one the spec knows",
        Kind::Count | Kind::Percent => "no check applies to this kind of figure",
        Kind::Share => "the total it is a share of is not stated",
        Kind::ChangePercent => "no change in money or current figure to recompute it from",
        Kind::Rate => "budget and actual are not both stated",
        _ => "stated once, in no sum, share or change",
    }
}

/// An interval check's outcome: the computed value and whether the stated
/// one equals it at its printed precision, within the bounds rounding
/// allows, or outside them.
fn judge(computed: Decimal, bounds: (Decimal, Decimal), stated: Decimal, half: Decimal) -> Verdict {
    if (computed - stated).abs() <= half {
        Verdict::Holds
    } else if bounds.0 <= stated + half && stated - half <= bounds.1 {
        Verdict::Rounding
    } else {
        Verdict::Error
    }
}

/// `a / b × 100` and its bounds when `a` and `b` may each be off by their
/// halves; `None` when `b` may be 0.
fn percent_of(
    a: Decimal,
    ha: Decimal,
    b: Decimal,
    hb: Decimal,
) -> Option<(Decimal, (Decimal, Decimal))> {
    if b.abs() <= hb {
        return None;
    }
    let hundred = Decimal::ONE_HUNDRED;
    let corners = [
        (a - ha) / (b - hb),
        (a - ha) / (b + hb),
        (a + ha) / (b - hb),
        (a + ha) / (b + hb),
    ];
    let lo = corners.iter().copied().min()?;
    let hi = corners.iter().copied().max()?;
    Some(((a / b * hundred).round_dp(6), (lo * hundred, hi * hundred)))
}

struct Checker<'a> {
    claims: &'a [Claim],
    spec: &'a ClaimsSpec,
    verdicts: Vec<(Verdict, String)>,
    findings: Vec<NarrativeFinding>,
}

impl Checker<'_> {
    /// Records a verdict on the claims involved (keeping the worst) and,
    /// unless it holds, a finding.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        rule_id: &'static str,
        verdict: Verdict,
        involved: &[usize],
        description: String,
        (left, left_amount): (String, Decimal),
        (right, right_amount): (String, Decimal),
        tolerance: Decimal,
    ) {
        for &i in involved {
            if verdict >= self.verdicts[i].0 {
                self.verdicts[i] = (verdict, description.clone());
            }
        }
        if let Some(severity) = verdict.severity() {
            let mut lines: Vec<usize> = involved.iter().map(|&i| self.claims[i].line).collect();
            lines.dedup();
            self.findings.push(NarrativeFinding {
                rule_id,
                severity,
                description,
                lines,
                cells: Vec::new(),
                left,
                right,
                left_amount,
                right_amount,
                tolerance,
            });
        }
    }

    /// The first amount stated for `subject` in `year` on `basis`.
    fn value_of(&self, subject: &str, year: i32, basis: Basis) -> Option<usize> {
        self.claims.iter().position(|c| {
            c.kind == Kind::Amount
                && c.year == year
                && c.basis == basis
                && c.subject.as_deref() == Some(subject)
        })
    }

    /// The amount claim before `i` in its sentence about the same subject.
    fn amount_before(&self, i: usize, kind: Kind) -> Option<usize> {
        let c = &self.claims[i];
        (0..i)
            .rev()
            .take_while(|&j| self.claims[j].sentence_id == c.sentence_id)
            .find(|&j| self.claims[j].kind == kind && self.claims[j].subject == c.subject)
    }

    fn stated_in_sentence(&self, subject: &str, sentence_id: usize) -> bool {
        self.claims.iter().any(|c| {
            c.sentence_id == sentence_id
                && c.kind == Kind::Amount
                && c.subject.as_deref() == Some(subject)
        })
    }

    fn label(&self, i: usize) -> String {
        let c = &self.claims[i];
        let text = if c.subject_label.is_empty() {
            "（未识别）"
        } else {
            &c.subject_label
        };
        format!("{text} {}{}", c.value.normalize(), c.unit)
    }

    /// `占X%`: the part over its total.
    fn share(&mut self, i: usize) {
        let c = &self.claims[i];
        let Some(part) = self.amount_before(i, Kind::Amount) else {
            return;
        };
        let p = &self.claims[part];
        let base = match (&c.share_of, p.parent) {
            (Some(of), _) => self.value_of(of, c.year, p.basis),
            (None, Some(parent)) => Some(parent),
            // `三公经费支出决算中，因公出国…占0%`: the subject the sentence is
            // about, named without a figure of its own there.
            (None, None) => c
                .lead_subject
                .as_deref()
                .filter(|lead| !self.stated_in_sentence(lead, c.sentence_id))
                .and_then(|lead| self.value_of(lead, c.year, p.basis)),
        };
        let Some(base) = base else { return };
        let b = &self.claims[base];
        let (Some(pa), Some(ba)) = (p.yuan, b.yuan) else {
            return;
        };
        let Some((computed, bounds)) = percent_of(pa, p.half_yuan(), ba, b.half_yuan()) else {
            self.verdicts[i].1 = "its total is 0".into();
            return;
        };
        let mut verdict = judge(computed, bounds, c.value, c.half_unit());
        // A share moved by one unit of its last digit so that the list adds
        // up to 100% (尾差调整) is rounding, not an error.
        if verdict == Verdict::Error
            && (computed - c.value).abs() <= c.half_unit() * Decimal::from(3)
        {
            verdict = Verdict::Rounding;
        }
        let description = format!(
            "{} 占 {} 的 {}%，按所列数字应为 {}%",
            self.label(part),
            self.label(base),
            c.value.normalize(),
            computed.round_dp(2)
        );
        self.record(
            "narrative.share",
            verdict,
            &[i, part, base],
            description,
            (format!("stated share of {}", p.subject_label), c.value),
            ("part / total × 100".into(), computed.round_dp(4)),
            c.half_unit(),
        );
    }

    /// `增加X万元，增长Y%`: Y against X over the previous year's figure.
    fn change_percent(&mut self, i: usize) {
        let c = &self.claims[i];
        let Some(subject) = c.subject.clone() else {
            return;
        };
        let Some(delta) = self.amount_before(i, Kind::Change) else {
            return;
        };
        let now = self
            .amount_before(delta, Kind::Amount)
            .or_else(|| self.value_of(&subject, c.year, Basis::Actual));
        let Some(now) = now else { return };
        let (d, n) = (&self.claims[delta], &self.claims[now]);
        let (Some(dy), Some(ny)) = (d.yuan, n.yuan) else {
            return;
        };
        if !d.direction_stated || !c.direction_stated {
            return;
        }
        if (d.value < Decimal::ZERO) != (c.value < Decimal::ZERO)
            && !d.value.is_zero()
            && !c.value.is_zero()
        {
            let description = format!("{}：金额与百分比的增减方向相反", d.subject_label);
            self.record(
                "narrative.direction",
                Verdict::Error,
                &[i, delta],
                description,
                ("change".into(), d.value),
                ("change %".into(), c.value),
                Decimal::ZERO,
            );
            return;
        }
        let (hd, hn) = (d.half_yuan(), n.half_yuan());
        let Some((computed, bounds)) = percent_of(dy, hd, ny - dy, hn + hd) else {
            return;
        };
        let verdict = judge(computed, bounds, c.value, c.half_unit());
        let previous = (ny - dy) / n.factor();
        let description = format!(
            "{} {}{}，较上年变动 {}{}，上年应为 {}{}，变动率应为 {}%，说明为 {}%",
            n.subject_label,
            n.value.normalize(),
            n.unit,
            d.value.normalize(),
            d.unit,
            previous.round_dp(2).normalize(),
            n.unit,
            computed.round_dp(2),
            c.value.normalize()
        );
        self.record(
            "narrative.change",
            verdict,
            &[i, delta, now],
            description,
            ("stated change %".into(), c.value),
            (
                "change / (current − change) × 100".into(),
                computed.round_dp(4),
            ),
            c.half_unit(),
        );
    }

    /// `增加-3万元`: a minus sign after a direction word.
    fn change_direction(&mut self, i: usize) {
        let c = &self.claims[i];
        if !c.minus_printed {
            return;
        }
        let description = format!(
            "{}：增减词后又写了负号（{}{}）",
            c.subject_label,
            c.value.normalize(),
            c.unit
        );
        self.record(
            "narrative.direction",
            Verdict::Error,
            &[i],
            description,
            ("change".into(), c.value),
            ("sign of the direction word".into(), Decimal::ZERO),
            Decimal::ZERO,
        );
    }

    /// `完成预算X%` against the budget and actual stated beside it, and
    /// against the words 决算数小于/等于/大于预算数 on its line.
    fn rate(&mut self, i: usize, lines: &[Line]) {
        let c = &self.claims[i];
        let line = fold(&lines[c.line].text);
        let w = &self.spec.words;
        let says = |list: &[String]| list.iter().any(|x| line.contains(x.as_str()));
        let hundred = Decimal::ONE_HUNDRED;
        let contradiction = if says(&w.actual_below_budget) && c.value >= hundred {
            Some("决算数小于预算数")
        } else if says(&w.actual_above_budget) && c.value <= hundred {
            Some("决算数大于预算数")
        } else if says(&w.actual_equals_budget) && (c.value - hundred).abs() > c.half_unit() {
            Some("决算数等于预算数")
        } else {
            None
        };
        if let Some(words) = contradiction {
            let description = format!("完成预算 {}%，同一段又说{}", c.value.normalize(), words);
            self.record(
                "narrative.completion_wording",
                Verdict::Error,
                &[i],
                description,
                ("stated completion %".into(), c.value),
                (words.into(), hundred),
                Decimal::ZERO,
            );
        }
        let in_sentence = |basis: Basis| {
            (0..i)
                .rev()
                .take_while(|&j| self.claims[j].sentence_id == c.sentence_id)
                .find(|&j| self.claims[j].kind == Kind::Amount && self.claims[j].basis == basis)
        };
        let (Some(budget), Some(actual)) = (in_sentence(Basis::Budget), in_sentence(Basis::Actual))
        else {
            return;
        };
        let (b, a) = (&self.claims[budget], &self.claims[actual]);
        let (Some(by), Some(ay)) = (b.yuan, a.yuan) else {
            return;
        };
        let Some((computed, bounds)) = percent_of(ay, a.half_yuan(), by, b.half_yuan()) else {
            return;
        };
        let verdict = judge(computed, bounds, c.value, c.half_unit());
        let description = format!(
            "执行 {}{} / 预算 {}{} = {}%，说明为 {}%",
            a.value.normalize(),
            a.unit,
            b.value.normalize(),
            b.unit,
            computed.round_dp(2),
            c.value.normalize()
        );
        self.record(
            "narrative.rate",
            verdict,
            &[i, budget, actual],
            description,
            ("stated rate %".into(), c.value),
            ("actual / budget × 100".into(), computed.round_dp(4)),
            c.half_unit(),
        );
    }

    /// Parts listed after `其中` cannot add up to more than their total.
    fn parts_within_total(&mut self) {
        let mut parts: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, c) in self.claims.iter().enumerate() {
            if let Some(p) = c.parent
                && c.yuan.is_some()
                && self.claims[p].yuan.is_some()
            {
                parts.entry(p).or_default().push(i);
            }
        }
        for (total, parts) in parts {
            let t = &self.claims[total];
            let sum: Decimal = parts.iter().filter_map(|&i| self.claims[i].yuan).sum();
            let slack: Decimal = parts
                .iter()
                .map(|&i| self.claims[i].half_yuan())
                .sum::<Decimal>()
                + t.half_yuan();
            let Some(ty) = t.yuan else { continue };
            if sum <= ty + slack {
                continue;
            }
            let description = format!(
                "{} 的其中各项合计 {}{}，超过总数",
                self.label(total),
                (sum / t.factor()).round_dp(2).normalize(),
                t.unit
            );
            let mut involved = vec![total];
            involved.extend(&parts);
            self.record(
                "narrative.parts",
                Verdict::Error,
                &involved,
                description,
                (format!("sum of the parts of {}", t.subject_label), sum),
                (t.subject_label.clone(), ty),
                slack,
            );
        }
    }

    /// The spec's totals against their parts, this year's figures and the
    /// previous year's derived from the stated changes.
    fn identities(&mut self) {
        let years: Vec<(i32, Basis)> = {
            let mut y: Vec<(i32, Basis)> = self.claims.iter().map(|c| (c.year, c.basis)).collect();
            y.sort();
            y.dedup();
            y
        };
        for identity in &self.spec.identities {
            for &(year, basis) in &years {
                let total = self.value_of(&identity.total, year, basis);
                let parts: Option<Vec<usize>> = identity
                    .parts
                    .iter()
                    .map(|p| self.value_of(p, year, basis))
                    .collect();
                let (Some(total), Some(parts)) = (total, parts) else {
                    continue;
                };
                self.sum_check(total, &parts);
            }
        }
    }

    /// A total against the sum of its parts: (verdict, total, sum, slack) in 元.
    fn sum_of(
        &self,
        total: usize,
        parts: &[usize],
    ) -> Option<(Verdict, Decimal, Decimal, Decimal)> {
        let ty = self.claims[total].yuan?;
        let sum = parts
            .iter()
            .map(|&i| self.claims[i].yuan)
            .sum::<Option<Decimal>>()?;
        let slack: Decimal = parts
            .iter()
            .map(|&i| self.claims[i].half_yuan())
            .sum::<Decimal>()
            + self.claims[total].half_yuan();
        let gap = (sum - ty).abs();
        let verdict = if gap.is_zero() {
            Verdict::Holds
        } else if gap <= slack {
            Verdict::Rounding
        } else {
            Verdict::Error
        };
        Some((verdict, ty, sum, slack))
    }

    fn sum_check(&mut self, total: usize, parts: &[usize]) {
        let Some((verdict, ty, sum, slack)) = self.sum_of(total, parts) else {
            return;
        };
        let t = &self.claims[total];
        let names: Vec<String> = parts.iter().map(|&i| self.label(i)).collect();
        let description = format!(
            "{} ≠ {}（合计 {}{}）",
            self.label(total),
            names.join(" + "),
            (sum / t.factor()).round_dp(2).normalize(),
            t.unit
        );
        let mut involved = vec![total];
        involved.extend(parts);
        self.record(
            "narrative.parts",
            verdict,
            &involved,
            description,
            (t.subject_label.clone(), ty),
            ("sum of its parts".into(), sum),
            slack,
        );
    }

    /// The 类/款/项 lines a report lists (`1.城乡社区（类）…（项）:支出决算为…`)
    /// against the total they make up and against each class stated. A
    /// list more than 5 % short of its total is taken for a selection of
    /// lines, not all of them, and not judged.
    fn function_lines(&mut self) {
        let mut lines: Vec<usize> = Vec::new();
        for (i, c) in self.claims.iter().enumerate() {
            let line = c.subject.as_deref().is_some_and(|s| s.starts_with("line:"));
            let first = lines.iter().all(|&j| self.claims[j].subject != c.subject);
            if line
                && first
                && c.kind == Kind::Amount
                && c.basis == Basis::Actual
                && c.yuan.is_some()
            {
                lines.push(i);
            }
        }
        if lines.len() < 2 {
            return;
        }
        let year = self.claims[lines[0]].year;
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        if let Some(total) = self.value_of("gpb_expenditure", year, Basis::Actual) {
            groups.push((total, lines.clone()));
        }
        let mut by_class: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &i in &lines {
            if let Some(class) = self.class_of(i) {
                by_class.entry(class).or_default().push(i);
            }
        }
        for (class, parts) in by_class {
            if let Some(total) = self.value_of(&class, year, Basis::Actual) {
                groups.push((total, parts));
            }
        }
        for (total, parts) in groups {
            let Some((verdict, ty, sum, slack)) = self.sum_of(total, &parts) else {
                continue;
            };
            if ty.is_zero() || (ty - sum) / ty > Decimal::new(5, 2) {
                continue;
            }
            let t = &self.claims[total];
            let description = format!(
                "{} ≠ 所列 {} 个项级科目之和 {}{}",
                self.label(total),
                parts.len(),
                (sum / t.factor()).round_dp(2).normalize(),
                t.unit
            );
            let mut involved = vec![total];
            involved.extend(&parts);
            self.record(
                "narrative.function_lines",
                verdict,
                &involved,
                description,
                (t.subject_label.clone(), ty),
                ("sum of its 项 lines".into(), sum),
                slack,
            );
        }
    }

    /// The 功能分类 class subject (`func:212`) a 类/款/项 line belongs to.
    fn class_of(&self, i: usize) -> Option<String> {
        let path = self.claims[i].subject.as_deref()?.strip_prefix("line:")?;
        let class = path.split('/').next()?;
        let class = super::spec::fold(class);
        self.spec
            .aliases
            .iter()
            .find(|(alias, s)| *alias == class && self.spec.subjects[*s].key.starts_with("func:"))
            .or_else(|| {
                let with = format!("{class}支出");
                self.spec.aliases.iter().find(|(alias, s)| {
                    *alias == with && self.spec.subjects[*s].key.starts_with("func:")
                })
            })
            .map(|(_, s)| self.spec.subjects[*s].key.clone())
    }

    /// One quantity, one figure: a subject stated once per year and basis
    /// restated with another value.
    fn restated(&mut self) {
        let mut first: BTreeMap<(&str, i32, Basis), usize> = BTreeMap::new();
        let mut pairs = Vec::new();
        for (i, c) in self.claims.iter().enumerate() {
            let Some(subject) = c.subject.as_deref() else {
                continue;
            };
            let unique = self.spec.subject(subject).is_some_and(|s| s.unique);
            if c.kind != Kind::Amount || !unique || c.yuan.is_none() {
                continue;
            }
            match first.get(&(subject, c.year, c.basis)) {
                Some(&f) if self.claims[f].yuan != c.yuan => pairs.push((f, i)),
                Some(_) => {}
                None => {
                    first.insert((subject, c.year, c.basis), i);
                }
            }
        }
        for (f, i) in pairs {
            let (a, b) = (&self.claims[f], &self.claims[i]);
            let (Some(ay), Some(by)) = (a.yuan, b.yuan) else {
                continue;
            };
            let slack = a.half_yuan() + b.half_yuan();
            let verdict = if (ay - by).abs() <= slack {
                Verdict::Rounding
            } else {
                Verdict::Error
            };
            let description = format!(
                "{} 前后不一：{}{} 与 {}{}",
                a.subject_label,
                a.value.normalize(),
                a.unit,
                b.value.normalize(),
                b.unit
            );
            self.record(
                "narrative.restated",
                verdict,
                &[i, f],
                description,
                (format!("{} (restated)", b.subject_label), by),
                (format!("{} (first stated)", a.subject_label), ay),
                slack,
            );
        }
    }

    /// The previous year's figure a change implies (this year's less the
    /// change) against the other changes stated for the same quantity and
    /// against the previous year's figure where it is stated itself.
    fn previous_years(&mut self) {
        // (subject, year, basis) → (the previous year's figure in 元, its slack, claims).
        let mut implied: BTreeMap<(String, i32, Basis), Vec<Implied>> = BTreeMap::new();
        for (i, d) in self.claims.iter().enumerate() {
            let (Some(subject), Some(delta)) = (d.subject.clone(), d.yuan) else {
                continue;
            };
            if d.kind != Kind::Change
                || !d.direction_stated
                || d.comparison_year.is_some_and(|y| y != d.year - 1)
            {
                continue;
            }
            let now = self
                .amount_before(i, Kind::Amount)
                .or_else(|| self.value_of(&subject, d.year, d.basis));
            let Some(now) = now else { continue };
            let Some(now_yuan) = self.claims[now].yuan else {
                continue;
            };
            let slack = self.claims[now].half_yuan() + d.half_yuan();
            implied
                .entry((subject, d.year, d.basis))
                .or_default()
                .push((now_yuan - delta, slack, vec![i, now]));
        }
        for ((subject, year, basis), derived) in implied {
            let stated = self.value_of(&subject, year - 1, basis).map(|p| {
                let c = &self.claims[p];
                (c.yuan.unwrap_or_default(), c.half_yuan(), vec![p])
            });
            let first = stated.clone().unwrap_or_else(|| derived[0].clone());
            for other in derived.iter().skip(usize::from(stated.is_none())) {
                let gap = (first.0 - other.0).abs();
                if gap.is_zero() {
                    continue;
                }
                let slack = first.1 + other.1;
                let verdict = if gap <= slack {
                    Verdict::Rounding
                } else {
                    Verdict::Error
                };
                let label = self.claims[other.2[1]].subject_label.clone();
                let description = format!(
                    "{label} 上年数不一：按所述增减为 {}万元，另处为 {}万元",
                    (other.0 / Decimal::from(10_000)).round_dp(2).normalize(),
                    (first.0 / Decimal::from(10_000)).round_dp(2).normalize()
                );
                let mut involved = other.2.clone();
                involved.extend(&first.2);
                self.record(
                    "narrative.previous_year",
                    verdict,
                    &involved,
                    description,
                    (format!("{label} previous year from the change"), other.0),
                    (format!("{label} previous year elsewhere"), first.0),
                    slack,
                );
            }
        }
    }

    /// 元 written for 万元: a figure in 元 with 分 printed and under 10,000
    /// in a document that states its money in 万元.
    fn unit_slips(&mut self) {
        let in_wan = self.claims.iter().filter(|c| c.unit == "万元").count();
        let in_yuan = self.claims.iter().filter(|c| c.unit == "元").count();
        if in_wan < 5 || in_yuan * 2 > in_wan {
            return;
        }
        for i in 0..self.claims.len() {
            let c = &self.claims[i];
            let small = c.value.abs() < Decimal::from(10_000) && !c.value.is_zero();
            if c.kind != Kind::Amount || c.unit != "元" || c.decimals != 2 || !small {
                continue;
            }
            let elsewhere = self
                .claims
                .iter()
                .position(|o| o.unit == "万元" && o.value == c.value && o.kind == Kind::Amount);
            let description = match elsewhere {
                Some(o) => format!(
                    "{}元 在以万元表述的说明中；同一数字在第 {} 行为 {}万元",
                    c.value.normalize(),
                    self.claims[o].line + 1,
                    c.value.normalize()
                ),
                None => format!(
                    "{}元 在以万元表述的说明中，应为 {}万元？",
                    c.value.normalize(),
                    c.value.normalize()
                ),
            };
            let (verdict, involved) = match elsewhere {
                Some(o) => (Verdict::Error, vec![i, o]),
                None => (Verdict::Warning, vec![i]),
            };
            self.record(
                "narrative.unit_slip",
                verdict,
                &involved,
                description,
                ("stated (元)".into(), c.value),
                ("as 万元, in 元".into(), c.value * Decimal::from(10_000)),
                Decimal::ZERO,
            );
        }
    }

    /// A change compared with a year other than the one before.
    fn comparison_years(&mut self, lines: &[Line]) {
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..self.claims.len() {
            let c = &self.claims[i];
            let Some(compared) = c.comparison_year else {
                continue;
            };
            let change = matches!(c.kind, Kind::Change | Kind::ChangePercent);
            if !change || compared == c.year - 1 || !seen.insert(c.sentence_id) {
                continue;
            }
            let sentence: String = lines[c.line]
                .text
                .chars()
                .skip(c.sentence.0)
                .take(c.sentence.1 - c.sentence.0)
                .collect();
            let description = format!(
                "{} 年的说明与 {} 年比较（应与 {} 年比较）：{}",
                c.year,
                compared,
                c.year - 1,
                sentence.trim()
            );
            self.record(
                "narrative.comparison_year",
                Verdict::Error,
                &[i],
                description,
                ("comparison year".into(), Decimal::from(compared)),
                ("previous year".into(), Decimal::from(c.year - 1)),
                Decimal::ZERO,
            );
        }
    }
}

/// `增加/减少`, `XX万元`: a template's choices left in the text.
fn template_leftovers(lines: &[Line], spec: &ClaimsSpec, findings: &mut Vec<NarrativeFinding>) {
    for (i, line) in lines.iter().enumerate() {
        let folded = fold(&line.text);
        for word in &spec.words.template_leftovers {
            if folded.contains(word.as_str()) {
                findings.push(NarrativeFinding {
                    rule_id: "narrative.template",
                    severity: FindingSeverity::Error,
                    description: format!("模板文字未改：“{word}”"),
                    lines: vec![i],
                    cells: Vec::new(),
                    left: word.clone(),
                    right: String::new(),
                    left_amount: Decimal::ZERO,
                    right_amount: Decimal::ZERO,
                    tolerance: Decimal::ZERO,
                });
            }
        }
    }
}
