//! Claims stage: a document's lines → its claims. A claim is a number with a
//! unit (万元, %, 辆 …); the words before it say what kind of figure it is
//! and what it is about ([`ClaimsSpec`]). Years, dates, 行次 and document
//! numbers carry no unit and are never claims; targets (`不低于95%`,
//! `50万元以上`) are skipped.

use rust_decimal::Decimal;
use std::str::FromStr;

use super::document::Line;
use super::spec::{ClaimsSpec, fold};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// An amount of money.
    Amount,
    /// A count of vehicles, people, receptions ….
    Count,
    /// `占…%`: a part's share of a total.
    Share,
    /// `增加/减少 … 万元`: a change in money on the previous year.
    Change,
    /// `增长/下降 …%`: a change in percent.
    ChangePercent,
    /// `完成预算…%`, `执行率…%`.
    Rate,
    /// Any other percentage.
    Percent,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Amount => "amount",
            Kind::Count => "count",
            Kind::Share => "share",
            Kind::Change => "change",
            Kind::ChangePercent => "change_percent",
            Kind::Rate => "rate",
            Kind::Percent => "percent",
        }
    }
}

/// Whether an amount is a budget or what was spent (received).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Basis {
    Actual,
    Budget,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Actual => "actual",
            Basis::Budget => "budget",
        }
    }
}

/// One stated figure.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Index of its line in the document.
    pub line: usize,
    /// Characters of the line the number and its unit take.
    pub span: (usize, usize),
    /// Characters of the line its sentence takes.
    pub sentence: (usize, usize),
    /// Its sentence's number in the document (claims of one sentence share it).
    pub sentence_id: usize,
    /// Subject key (`sangong`, `func:212`, `line:城乡社区/城乡社区管理事务/行政运行`).
    pub subject: Option<String>,
    pub subject_label: String,
    pub kind: Kind,
    /// As printed; changes signed by their direction word.
    pub value: Decimal,
    /// Digits printed after the decimal point.
    pub decimals: u32,
    pub unit: String,
    /// For money: the value in 元.
    pub yuan: Option<Decimal>,
    pub year: i32,
    /// The year a change compares with, when the sentence names it.
    pub comparison_year: Option<i32>,
    pub basis: Basis,
    /// For a share: the subject named after 占 (`占本年支出合计的96.19%`).
    pub share_of: Option<String>,
    /// For a part listed after 其中/主要用于: the claim of its total.
    pub parent: Option<usize>,
    /// The first subject the sentence names.
    pub lead_subject: Option<String>,
    /// The measure (measures.toml) an amount restates, by its subject and basis.
    pub measure: Option<String>,
    /// A minus sign was printed (`增加-3万元`).
    pub minus_printed: bool,
    /// For changes: one direction word, not a template's `增加/减少`.
    pub direction_stated: bool,
}

impl Claim {
    /// Half a unit of the last printed digit, in the printed unit: what
    /// rounding can hide. Amounts are printed to 0.01 (万元) even when
    /// trailing zeros are dropped (`340万元`, `0.5万元`).
    pub fn half_unit(&self) -> Decimal {
        let decimals = match self.kind {
            Kind::Amount | Kind::Change if self.yuan.is_some() => self.decimals.max(2),
            Kind::Count => return Decimal::ZERO,
            _ => self.decimals,
        };
        Decimal::new(5, decimals + 1)
    }

    /// [`Claim::half_unit`] in 元, for money.
    pub fn half_yuan(&self) -> Decimal {
        match self.yuan {
            Some(y) if !self.value.is_zero() => self.half_unit() * (y / self.value).abs(),
            _ => self.half_unit() * self.factor(),
        }
    }

    /// The figure as a measure holds it: money in 元, a count as counted.
    pub fn measured(&self) -> Option<Decimal> {
        self.yuan
            .or((self.kind == Kind::Count).then_some(self.value))
    }

    /// 元 per printed unit.
    pub fn factor(&self) -> Decimal {
        match self.unit.as_str() {
            "万元" => Decimal::from(10_000),
            "亿元" => Decimal::from(100_000_000),
            _ => Decimal::ONE,
        }
    }
}

/// A document's claims, in reading order.
pub fn claims_of(lines: &[Line], year: i32, spec: &ClaimsSpec) -> Vec<Claim> {
    let mut claims = Vec::new();
    let mut sentence_id = 0;
    for (i, line) in lines.iter().enumerate() {
        let folded: Vec<char> = fold(&line.text).chars().collect();
        let line_start = claims.len();
        for (start, end) in sentences(&folded) {
            // A sentence that says neither 预算 nor 决算 goes on about what
            // the one before it on the line was about.
            let basis = claims[line_start..]
                .last()
                .map_or(Basis::Actual, |c: &Claim| c.basis);
            let mut reader = SentenceReader {
                spec,
                chars: &folded,
                sentence: (start, end),
                sentence_id,
                line: i,
                year,
                first: claims.len(),
                basis,
            };
            reader.read(&mut claims);
            sentence_id += 1;
        }
    }
    claims
}

/// Sentences of a line: cut after 。！？ (folded `!`, `?`).
fn sentences(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '。' | '!' | '?') {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < chars.len() {
        out.push((start, chars.len()));
    }
    out
}

/// A number and its unit as written.
struct Number {
    start: usize,
    end: usize,
    value: Decimal,
    decimals: u32,
    unit: String,
    /// 元 per unit, for money.
    factor: Option<Decimal>,
}

struct SentenceReader<'a> {
    spec: &'a ClaimsSpec,
    chars: &'a [char],
    sentence: (usize, usize),
    sentence_id: usize,
    line: usize,
    year: i32,
    /// Index of the sentence's first claim in the document's claims.
    first: usize,
    /// The basis of figures the sentence's words do not set.
    basis: Basis,
}

impl SentenceReader<'_> {
    fn read(&mut self, claims: &mut Vec<Claim>) {
        let (start, end) = self.sentence;
        let mut at = start;
        let mut segment_start = start;
        // The total whose parts are being listed, per depth of brackets.
        let mut parents: Vec<Option<usize>> = vec![None];
        let mut lead = None;
        while let Some(number) = self.next_number(at, end) {
            at = number.end;
            if self.is_target(&number) {
                segment_start = number.end;
                continue;
            }
            let segment = (segment_start, number.start);
            segment_start = number.end;
            if claims.len() == self.first {
                lead = self.first_subject_in(start, number.start);
            }
            let depth = self.depth_at(number.start);
            parents.resize(depth + 1, None);
            if self.contains_any(segment, &self.spec.words.parts_follow) {
                // The total is the last amount inside the same brackets.
                let opened = self.bracket_opened(number.start);
                let ours = &claims[self.first..];
                parents[depth] = ours
                    .iter()
                    .rposition(|c| {
                        c.kind == Kind::Amount
                            && c.span.0 > opened
                            && self.depth_at(c.span.0) == depth
                    })
                    .map(|p| self.first + p);
            }
            let claim = self.claim(
                number,
                segment,
                claims[self.first..].last(),
                parents[depth],
                lead.clone(),
            );
            claims.push(claim);
        }
    }

    /// Where the innermost bracket open at `at` opened (the sentence's
    /// start when none is).
    fn bracket_opened(&self, at: usize) -> usize {
        let mut open = vec![self.sentence.0];
        for (i, c) in self.chars[self.sentence.0..at].iter().enumerate() {
            match c {
                '(' | '[' | '【' => open.push(self.sentence.0 + i),
                ')' | ']' | '】' if open.len() > 1 => {
                    open.pop();
                }
                _ => {}
            }
        }
        open.last().copied().unwrap_or(self.sentence.0)
    }

    /// Brackets open at `at` in the sentence.
    fn depth_at(&self, at: usize) -> usize {
        let mut depth: usize = 0;
        for c in &self.chars[self.sentence.0..at] {
            match c {
                '(' | '[' | '【' => depth += 1,
                ')' | ']' | '】' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        depth
    }

    fn claim(
        &self,
        number: Number,
        segment: (usize, usize),
        before: Option<&Claim>,
        parent: Option<usize>,
        lead_subject: Option<String>,
    ) -> Claim {
        let named = self.subject_in(segment.0, segment.1);
        let (subject, subject_label) = match (&named, before) {
            (Some((key, label, _)), _) => (Some(key.clone()), label.clone()),
            (None, Some(b)) if self.carries_subject(segment) => {
                (b.subject.clone(), b.subject_label.clone())
            }
            _ => (None, String::new()),
        };
        // The kind words count only after the subject's name.
        let after_subject = named.as_ref().map_or(segment.0, |(_, _, end)| *end);
        let (kind, sign) = self.kind_of(&number, (after_subject, segment.1));
        let direction_stated = !self.both_directions((after_subject, segment.1));
        let (year, comparison_year) = self.years_before(number.start);
        let share_of = (kind == Kind::Share)
            .then(|| self.subject_in(after_subject, number.start))
            .flatten()
            .map(|(key, _, _)| key);
        let value = number.value * sign;
        let basis = self.basis_before(number.start);
        let measure = subject
            .as_deref()
            .and_then(|s| self.spec.subject(s))
            .and_then(|s| match (kind, basis) {
                (Kind::Amount, Basis::Actual) => s.measure.clone(),
                (Kind::Amount, Basis::Budget) => s.budget_measure.clone(),
                (Kind::Count, Basis::Actual) => s.counts.get(&number.unit).cloned(),
                _ => None,
            });
        Claim {
            line: self.line,
            span: (number.start, number.end),
            sentence: self.sentence,
            sentence_id: self.sentence_id,
            subject,
            subject_label,
            kind,
            value,
            decimals: number.decimals,
            yuan: number.factor.map(|f| value * f),
            unit: number.unit,
            year: year.unwrap_or(self.year),
            comparison_year,
            basis,
            measure,
            share_of,
            parent: parent.filter(|_| kind == Kind::Amount),
            lead_subject,
            minus_printed: number.value < Decimal::ZERO,
            direction_stated,
        }
    }

    /// The next number with a unit from `at` on.
    fn next_number(&self, mut at: usize, end: usize) -> Option<Number> {
        while at < end {
            let c = self.chars[at];
            let joined =
                at > 0 && (self.chars[at - 1].is_ascii_alphanumeric() || self.chars[at - 1] == '.');
            if !c.is_ascii_digit() || joined {
                at += 1;
                continue;
            }
            let mut stop = at;
            while stop < end && (self.chars[stop].is_ascii_digit() || self.chars[stop] == ',') {
                stop += 1;
            }
            if stop + 1 < end && self.chars[stop] == '.' && self.chars[stop + 1].is_ascii_digit() {
                stop += 1;
                while stop < end && self.chars[stop].is_ascii_digit() {
                    stop += 1;
                }
            }
            let digits: String = self.chars[at..stop].iter().filter(|c| **c != ',').collect();
            // A minus sign, not the dash of a range (`7-10万元`).
            let negative = at > 0
                && matches!(self.chars[at - 1], '-' | '−')
                && (at < 2 || !self.chars[at - 2].is_ascii_digit());
            let start = if negative { at - 1 } else { at };
            if let Some(number) = self.unit_after(start, stop, &digits, negative, end) {
                return Some(number);
            }
            at = stop;
        }
        None
    }

    fn unit_after(
        &self,
        start: usize,
        stop: usize,
        digits: &str,
        negative: bool,
        end: usize,
    ) -> Option<Number> {
        let mut unit_at = stop;
        while unit_at < end && self.chars[unit_at] == ' ' {
            unit_at += 1;
        }
        let (unit, factor) = if self.chars.get(unit_at) == Some(&'%') {
            ("%".to_string(), None)
        } else if let Some((u, f)) = self
            .spec
            .money
            .iter()
            .find(|(u, _)| self.starts_with(unit_at, u))
        {
            (u.clone(), Some(*f))
        } else {
            let u = self
                .spec
                .counts
                .iter()
                .find(|u| self.starts_with(unit_at, u))?;
            (u.clone(), None)
        };
        let mut value = Decimal::from_str(digits).ok()?;
        if negative {
            value = -value;
        }
        let decimals = digits.split_once('.').map_or(0, |(_, d)| d.len() as u32);
        Some(Number {
            start,
            end: unit_at + unit.chars().count(),
            value,
            decimals,
            unit,
            factor,
        })
    }

    /// A threshold, not a figure: `不低于95%`, `50万元以上`.
    fn is_target(&self, n: &Number) -> bool {
        let from = n.start.saturating_sub(4).max(self.sentence.0);
        let before: String = self.chars[from..n.start].iter().collect();
        let after: String = self.chars[n.end..(n.end + 2).min(self.sentence.1)]
            .iter()
            .collect();
        self.spec
            .words
            .targets
            .iter()
            .any(|t| before.ends_with(t.as_str()) || after.starts_with(t.as_str()))
            || ["以上", "以下", "以内"]
                .iter()
                .any(|t| after.starts_with(t))
    }

    /// The kind of a number and the sign its direction word gives.
    fn kind_of(&self, n: &Number, words: (usize, usize)) -> (Kind, Decimal) {
        let k = &self.spec.kinds;
        let last = |list: &[String]| self.last_end(words, list);
        let found = [
            (last(&k.share), Kind::Share, Decimal::ONE),
            (last(&k.increase), Kind::Change, Decimal::ONE),
            (last(&k.decrease), Kind::Change, Decimal::NEGATIVE_ONE),
            (last(&k.rate), Kind::Rate, Decimal::ONE),
        ]
        .into_iter()
        .filter_map(|(end, kind, sign)| end.map(|e| (e, kind, sign)))
        .max_by_key(|(end, _, _)| *end);
        let percent = n.unit == "%";
        match found {
            Some((_, Kind::Change, sign)) if percent => (Kind::ChangePercent, sign),
            Some((_, Kind::Change, sign)) if n.factor.is_some() => (Kind::Change, sign),
            Some((_, kind @ (Kind::Share | Kind::Rate), _)) if percent => (kind, Decimal::ONE),
            _ if percent => (Kind::Percent, Decimal::ONE),
            _ if n.factor.is_some() => (Kind::Amount, Decimal::ONE),
            _ => (Kind::Count, Decimal::ONE),
        }
    }

    /// Whether a figure after `segment` is about the same subject as the
    /// figure before it: not when a list goes on (`；`, `、`), after 其中, or
    /// when the words name something the spec does not know (`上级补助收入0万元`).
    fn carries_subject(&self, (from, to): (usize, usize)) -> bool {
        let text: String = self.chars[from..to].iter().collect();
        let text = text.trim();
        let words = &self.spec.words;
        // After 其中 come the parts of a total, not the total again.
        if text.contains([';', '、'])
            || words
                .unknown_subject_endings
                .iter()
                .any(|e| text.ends_with(e.as_str()))
            || words.parts_follow.iter().any(|w| text.contains(w.as_str()))
        {
            return false;
        }
        let k = &self.spec.kinds;
        let mut rest = text.to_string();
        for word in [
            &k.share,
            &k.increase,
            &k.decrease,
            &k.flat,
            &k.rate,
            &self.spec.words.connectors,
        ]
        .into_iter()
        .flatten()
        {
            rest = rest.replace(word.as_str(), "");
        }
        rest.chars().filter(|c| *c as u32 >= 0x4E00).count() < 3
    }

    /// Both an increase and a decrease word (`增加/减少`): no direction.
    fn both_directions(&self, words: (usize, usize)) -> bool {
        let k = &self.spec.kinds;
        self.last_end(words, &k.increase).is_some() && self.last_end(words, &k.decrease).is_some()
    }

    /// The subject named first in `[from, to)`: what a sentence is about
    /// (the earliest alias, the longest of those starting there).
    fn first_subject_in(&self, from: usize, to: usize) -> Option<String> {
        let text: String = self.chars[from..to].iter().collect();
        let best = self
            .spec
            .alias_finder
            .find_overlapping_iter(&text)
            .min_by_key(|m| (m.start(), std::cmp::Reverse(m.len()), m.pattern()))?;
        let subject = self.spec.aliases[best.pattern().as_usize()].1;
        Some(self.spec.subjects[subject].key.clone())
    }

    /// The subject named in `[from, to)`: a 类/款/项 line, else the alias
    /// that ends last (the longest of those). Returns (key, label, end).
    fn subject_in(&self, from: usize, to: usize) -> Option<(String, String, usize)> {
        let text: String = self.chars[from..to].iter().collect();
        if let Some(line) = function_line(&text) {
            return Some((line.0, line.1, to));
        }
        let best = self
            .spec
            .alias_finder
            .find_overlapping_iter(&text)
            .max_by_key(|m| (m.end(), m.len(), std::cmp::Reverse(m.pattern())))?;
        let end = text[..best.end()].chars().count();
        let s = &self.spec.subjects[self.spec.aliases[best.pattern().as_usize()].1];
        Some((s.key.clone(), s.label.clone(), from + end))
    }

    /// The year of the figure at `at` and the year it is compared with:
    /// the last `2023年` before it, unless it follows 与/比/较 or precedes 相比.
    fn years_before(&self, at: usize) -> (Option<i32>, Option<i32>) {
        let (mut year, mut compared) = (None, None);
        let mut i = self.sentence.0;
        while i + 4 < at {
            let four: String = self.chars[i..i + 4].iter().collect();
            let is_year = self.chars[i + 4] == '年'
                && four.chars().all(|c| c.is_ascii_digit())
                && (i == 0 || !self.chars[i - 1].is_ascii_digit());
            if let (true, Ok(y)) = (is_year, four.parse::<i32>()) {
                let before = if i > 0 { self.chars[i - 1] } else { ' ' };
                let after: String = self.chars[i + 5..(i + 10).min(self.chars.len())]
                    .iter()
                    .collect();
                if matches!(before, '与' | '比' | '较' | '同')
                    || after.trim_start_matches('度').starts_with("相比")
                {
                    compared = Some(y);
                } else {
                    year = Some(y);
                }
                i += 5;
                continue;
            }
            i += 1;
        }
        (year, compared)
    }

    /// Budget when a budget word comes after the last actual word before
    /// `at`. A budget word that names what a rate is of (`预算支出完成率`)
    /// does not make the amounts after it budgets.
    fn basis_before(&self, at: usize) -> Basis {
        let span = (self.sentence.0, at);
        let text: String = self.chars[span.0..span.1].iter().collect();
        let budget = self
            .spec
            .words
            .budget
            .iter()
            .flat_map(|w| {
                text.match_indices(w.as_str())
                    .map(|(at, w)| at + w.len())
                    .filter(|&end| {
                        let after = text[end..].trim_start_matches('的');
                        !self
                            .spec
                            .kinds
                            .rate
                            .iter()
                            .any(|r| after.starts_with(r.as_str()))
                    })
                    .map(|end| text[..end].chars().count())
                    .collect::<Vec<_>>()
            })
            .max();
        let actual = self.last_end(span, &self.spec.words.actual);
        match (budget, actual) {
            (Some(b), Some(a)) if b > a => Basis::Budget,
            (Some(_), None) => Basis::Budget,
            (None, None) => self.basis,
            _ => Basis::Actual,
        }
    }

    /// Where the last of `words` in `[from, to)` ends.
    fn last_end(&self, (from, to): (usize, usize), words: &[String]) -> Option<usize> {
        let text: String = self.chars[from..to].iter().collect();
        words
            .iter()
            .filter_map(|w| {
                text.rfind(w.as_str())
                    .map(|at| text[..at].chars().count() + w.chars().count())
            })
            .max()
    }

    fn contains_any(&self, (from, to): (usize, usize), words: &[String]) -> bool {
        let text: String = self.chars[from..to].iter().collect();
        words.iter().any(|w| text.contains(w.as_str()))
    }

    fn starts_with(&self, at: usize, word: &str) -> bool {
        word.chars()
            .enumerate()
            .all(|(k, c)| self.chars.get(at + k) == Some(&c))
    }
}

/// `1.一般公共服务(类)组织事务(款)其他组织事务(项):支出决算为` → the line's key
/// (`line:一般公共服务/组织事务/其他组织事务`) and label.
fn function_line(text: &str) -> Option<(String, String)> {
    let end = text.rfind("(项)")?;
    let head = &text[..end + "(项)".len()];
    let from = head.rfind([':', ';', ',', '。']).map_or(0, |i| i + 1);
    let label = head[from..]
        .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '、' | ' '))
        .trim();
    let parts: Vec<&str> = label
        .split(['(', ')'])
        .map(str::trim)
        .filter(|p| !p.is_empty() && !matches!(*p, "类" | "款" | "项"))
        .collect();
    (!parts.is_empty()).then(|| (format!("line:{}", parts.join("/")), label.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(text: &str) -> Vec<Claim> {
        let spec = ClaimsSpec::builtin().expect("claims spec");
        let lines = vec![Line {
            page: None,
            number: 1,
            text: text.to_string(),
        }];
        claims_of(&lines, 2023, &spec)
    }

    fn kinds(text: &str) -> Vec<(Kind, String, String)> {
        claims(text)
            .iter()
            .map(|c| {
                (
                    c.kind,
                    c.value.normalize().to_string(),
                    c.subject.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    fn k(kind: Kind, value: &str, subject: &str) -> (Kind, String, String) {
        (kind, value.into(), subject.into())
    }

    #[test]
    fn each_kind_of_claim_with_its_subject() {
        assert_eq!(
            kinds(
                "2023年度“三公”经费财政拨款支出决算为61.62万元，完成预算100%，较上年度增加32.22万元，增长109.59%。"
            ),
            [
                k(Kind::Amount, "61.62", "sangong"),
                k(Kind::Rate, "100", "sangong"),
                k(Kind::Change, "32.22", "sangong"),
                k(Kind::ChangePercent, "109.59", "sangong"),
            ]
        );
        assert_eq!(
            kinds(
                "其中：基本支出7803.25万元，占87.38%；一般公共预算财政拨款支出减少252.07万元，下降2.85%。"
            ),
            [
                k(Kind::Amount, "7803.25", "basic_expenditure"),
                k(Kind::Share, "87.38", "basic_expenditure"),
                k(Kind::Change, "-252.07", "gpb_expenditure"),
                k(Kind::ChangePercent, "-2.85", "gpb_expenditure"),
            ]
        );
        assert_eq!(
            kinds("国内公务接待9批次，53人次，共有车辆30辆，执行率为96.5%，其他比例12%。"),
            [
                k(Kind::Count, "9", "reception_domestic"),
                k(Kind::Count, "53", "reception_domestic"),
                k(Kind::Count, "30", "vehicles"),
                k(Kind::Rate, "96.5", "vehicles"),
                k(Kind::Percent, "12", ""),
            ]
        );
        // A 类/款/项 line is its own subject; money in 元 and 亿元 in 元.
        let line =
            claims("1.城乡社区（类）城乡社区管理事务（款）行政运行（项）:支出决算为755.6万元。");
        assert_eq!(
            line[0].subject.as_deref(),
            Some("line:城乡社区/城乡社区管理事务/行政运行")
        );
        assert_eq!(line[0].yuan, Some(Decimal::from(7_556_000)));
        let money = claims("分配费用43560元，总投资1.2亿元。");
        let yuan: Vec<_> = money.iter().map(|c| c.yuan).collect();
        assert_eq!(
            yuan,
            [
                Some(Decimal::from(43_560)),
                Some(Decimal::from(120_000_000))
            ]
        );
    }

    #[test]
    fn years_dates_numbers_and_targets_are_not_figures() {
        let none = [
            "根据《通知》（攀编发〔2019〕26号）文件精神，于2023年10月19日开工，2023年11月10日完工。",
            "第3行次，见表5第12行，12345热线，1—12月预算执行。",
            "满意度不低于95%，及时率≥98%，单价50万元以上通用设备，投诉率控制在5%以内。",
        ];
        for text in none {
            assert!(claims(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn a_minus_sign_is_not_a_ranges_dash() {
        let c = claims("较上年增加-3.5万元，每项7-10万元。");
        let signs: Vec<(String, bool)> = c
            .iter()
            .map(|c| (c.value.normalize().to_string(), c.minus_printed))
            .collect();
        assert_eq!(
            signs,
            [("-3.5".to_string(), true), ("10".to_string(), false)]
        );
    }

    #[test]
    fn budget_and_actual_and_the_year_compared_with() {
        let c = claims("项目全年预算数145.7万元，执行数为145.28万元，与2019年相比减少0.33万元。");
        let bases: Vec<Basis> = c.iter().map(|c| c.basis).collect();
        assert_eq!(bases, [Basis::Budget, Basis::Actual, Basis::Actual]);
        assert_eq!(c[2].comparison_year, Some(2019));
        assert_eq!(c[2].year, 2023);
    }
}
