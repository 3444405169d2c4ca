//! The 情况说明 of each department-year, written from the figures the
//! generator made, in the seeds' wording (`../shared/seeds/000`), as `.docx`,
//! `.pdf`, GBK `.txt` or UTF-8 `.txt`. About one in three carries one planted
//! defect of the kinds a 决算公开检查 finds (DOMAIN §10), listed in
//! `truth.csv` with its file and line.

use anyhow::Result;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::{Decimal, RoundingStrategy};

use super::accounts::{SpendLine, UnitYear};
use super::generate::{GeneratedFile, TruthRow};

/// The defects planted, each with the rule that must find it.
const DEFECTS: &[(&str, &str)] = &[
    ("share", "narrative.share"),
    ("change_base", "narrative.change"),
    ("unit_slip", "narrative.unit_slip"),
    ("template", "narrative.template"),
    ("comparison_year", "narrative.comparison_year"),
    ("completion_wording", "narrative.completion_wording"),
    ("restated", "narrative.restated"),
    ("direction", "narrative.direction"),
    ("parts", "narrative.parts"),
];

/// 分 → 万元, to 0.01 (half away from zero), as printed.
fn wan(fen: i64) -> String {
    let v = Decimal::new(fen, 6).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    format!("{v:.2}")
}

/// `part / whole` in percent to 0.01, or 0 when `whole` is 0.
fn percent(part: i64, whole: i64) -> Decimal {
    if whole == 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn pct(v: Decimal) -> String {
    format!("{v:.2}")
}

/// A change sentence's words: (增加|减少, amount, 增长|下降, rate on `before`).
fn change(now: i64, before: i64) -> (&'static str, String, &'static str, String) {
    let delta = now - before;
    let (more, rise) = if delta >= 0 {
        ("增加", "增长")
    } else {
        ("减少", "下降")
    };
    (
        more,
        wan(delta.abs()),
        rise,
        pct(percent(delta.abs(), before)),
    )
}

/// One department-year's narrative: its lines, and the defect planted (with
/// the 1-based line it is on).
pub struct Narrative {
    pub lines: Vec<String>,
    pub defect: Option<(&'static str, &'static str, usize)>,
}

/// Writes the narrative of `d` (a department's consolidated accounts), with
/// `defect` planted when it applies to these figures.
pub fn narrative(d: &UnitYear, before: Option<&UnitYear>, defect: Option<usize>) -> Narrative {
    let mut w = Writer {
        lines: Vec::new(),
        defect: None,
        want: defect.map(|k| DEFECTS[k]),
    };
    let year = d.year;
    w.line(format!("{}{year}年度部门决算", d.dept_name));
    w.line(format!("第二部分 {year}年度部门决算情况说明"));
    w.line("一、收入支出决算总体情况说明".into());
    w.totals(d, before);
    w.line("二、一般公共预算财政拨款基本支出决算情况说明".into());
    let (personnel, public) = personnel_and_public(d);
    w.line(format!(
        "{year}年度一般公共预算财政拨款基本支出{}万元，其中：人员经费{}万元，公用经费{}万元。",
        wan(d.gpb_basic()),
        wan(personnel),
        wan(public)
    ));
    w.line("三、财政拨款“三公”经费支出决算情况说明".into());
    w.sangong(d, before);
    if d.operations.admin_operating_cost > 0 {
        w.line("四、机关运行经费支出情况".into());
        w.line(format!(
            "{year}年度，{}机关运行经费支出{}万元。",
            d.dept_name,
            wan(d.operations.admin_operating_cost)
        ));
    }
    if w.planting("restated") {
        let more = d.expenditure_total() + 1_234_000_000 / 1000;
        w.plant(format!("综上，{year}年度本年支出合计{}万元。", wan(more)));
    }
    Narrative {
        lines: w.lines,
        defect: w.defect,
    }
}

fn personnel_and_public(d: &UnitYear) -> (i64, i64) {
    let class = |c: &str| {
        d.economic
            .iter()
            .filter(|(k, _)| k.starts_with(c))
            .map(|(_, v)| v)
            .sum::<i64>()
    };
    (class("301") + class("303"), class("302") + class("310"))
}

struct Writer {
    lines: Vec<String>,
    defect: Option<(&'static str, &'static str, usize)>,
    want: Option<(&'static str, &'static str)>,
}

impl Writer {
    fn line(&mut self, text: String) {
        self.lines.push(text);
    }

    fn planting(&self, kind: &str) -> bool {
        self.defect.is_none() && self.want.is_some_and(|(k, _)| k == kind)
    }

    /// Adds the line that carries the wanted defect.
    fn plant(&mut self, text: String) {
        self.lines.push(text);
        if let Some((kind, rule)) = self.want {
            self.defect = Some((kind, rule, self.lines.len()));
        }
    }

    fn push(&mut self, planted: bool, text: String) {
        if planted {
            self.plant(text);
        } else {
            self.line(text);
        }
    }

    fn totals(&mut self, d: &UnitYear, before: Option<&UnitYear>) {
        let year = d.year;
        let total = d.expenditure_total();
        self.line(format!(
            "{year}年度本年收入合计{}万元，本年支出合计{}万元。",
            wan(d.income_total()),
            wan(total)
        ));
        if let Some(b) = before {
            let (more, amount, rise, rate) = change(total, b.expenditure_total());
            let planted = self.planting("comparison_year");
            let compared = if planted { year - 2 } else { year - 1 };
            self.push(
                planted,
                format!("与{compared}年度相比，本年支出合计{more}{amount}万元，{rise}{rate}%。"),
            );
        }
        let (basic, project) = (d.sum(SpendLine::basic), d.sum(SpendLine::project));
        let operating = d.sum(|l| l.operating);
        let share_planted = self.planting("share");
        let parts_planted = !share_planted && self.planting("parts");
        let basic_share = percent(basic, total)
            + if share_planted {
                Decimal::from(7)
            } else {
                Decimal::ZERO
            };
        let project_stated = if parts_planted {
            project + project / 5 + 100_000_000
        } else {
            project
        };
        let mut text = format!(
            "{year}年度本年支出合计{}万元，其中：基本支出{}万元，占{}%；项目支出{}万元，占{}%",
            wan(total),
            wan(basic),
            pct(basic_share),
            wan(project_stated),
            pct(percent(project, total))
        );
        if operating > 0 {
            text.push_str(&format!(
                "；经营支出{}万元，占{}%",
                wan(operating),
                pct(percent(operating, total))
            ));
        }
        text.push('。');
        self.push(share_planted || parts_planted, text);
    }

    fn sangong(&mut self, d: &UnitYear, before: Option<&UnitYear>) {
        let year = d.year;
        let s = &d.sangong_actual;
        let budget = d.sangong_budget.total();
        let total = s.total();
        let mut text = format!("{year}年度“三公”经费财政拨款支出决算为{}万元", wan(total));
        let exact = percent(total, budget);
        let below = budget > 0 && exact < Decimal::ONE_HUNDRED;
        let wording = self.planting("completion_wording") && below;
        let rate = if wording { Decimal::ONE_HUNDRED } else { exact };
        if budget > 0 {
            text.push_str(&format!("，完成预算{}%", pct(rate)));
        }
        let mut planted = wording;
        if let Some(b) = before.filter(|b| b.sangong_actual.total() > 0) {
            let (more, amount, rise, rate) = change(total, b.sangong_actual.total());
            if self.planting("template") {
                text.push_str(&format!("，较上年度增加/减少{amount}万元，{rise}{rate}%"));
                planted = true;
            } else if self.planting("direction") && total != b.sangong_actual.total() {
                // The rate's word says the opposite of the amount's.
                let opposite = if rise == "增长" { "下降" } else { "增长" };
                text.push_str(&format!("，较上年度{more}{amount}万元，{opposite}{rate}%"));
                planted = true;
            } else if self.planting("change_base") && total > 0 && before_rate_differs(total, b) {
                let wrong = pct(percent((total - b.sangong_actual.total()).abs(), total));
                text.push_str(&format!("，较上年度{more}{amount}万元，{rise}{wrong}%"));
                planted = true;
            } else {
                text.push_str(&format!("，较上年度{more}{amount}万元，{rise}{rate}%"));
            }
        }
        text.push('。');
        if below {
            text.push_str("决算数小于预算数的主要原因是厉行节约，严控“三公”经费支出。");
        } else if budget == total && budget > 0 {
            text.push_str("决算数等于预算数。");
        }
        self.push(planted, text);
        self.line(format!(
            "{year}年度“三公”经费财政拨款支出决算中，因公出国（境）费支出决算{}万元，占{}%；公务用车购置及运行维护费支出决算{}万元，占{}%；公务接待费支出决算{}万元，占{}%。",
            wan(s.abroad),
            pct(percent(s.abroad, total)),
            wan(s.vehicle_total()),
            pct(percent(s.vehicle_total(), total)),
            wan(s.reception),
            pct(percent(s.reception, total))
        ));
        self.line(format!(
            "其中：公务用车购置支出{}万元，公务用车运行维护费支出{}万元。",
            wan(s.vehicle_purchase),
            wan(s.vehicle_operation)
        ));
        let slip = self.planting("unit_slip") && s.reception > 0 && s.reception < 100_000_000;
        self.push(
            slip,
            format!(
                "公务接待费支出{}{}，主要用于上级部门检查指导工作的用餐费。",
                wan(s.reception),
                if slip { "元" } else { "万元" }
            ),
        );
    }
}

/// Whether a rate on the current figure differs from the rate on the
/// previous one by more than a rounding can explain.
fn before_rate_differs(total: i64, b: &UnitYear) -> bool {
    let before = b.sangong_actual.total();
    let delta = (total - before).abs();
    (percent(delta, total) - percent(delta, before)).abs() > Decimal::ONE
}

/// The narratives of every department-year, with their planted defects as
/// truth rows; `departments` are (code, name, consolidated accounts by
/// year), the years in order.
pub fn narrative_files(
    departments: &[(String, String, Vec<UnitYear>)],
    seed: u64,
) -> Result<(Vec<GeneratedFile>, Vec<TruthRow>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0051_4b4d_0000_0031);
    let (mut files, mut truth) = (Vec::new(), Vec::new());
    let mut next_defect = 0;
    for (d, (code, name, years)) in departments.iter().enumerate() {
        for (y, account) in years.iter().enumerate() {
            let before = y.checked_sub(1).map(|p| &years[p]);
            let defect = rng
                .random_bool(1.0 / 3.0)
                .then_some(next_defect % DEFECTS.len());
            let n = narrative(account, before, defect);
            if n.defect.is_some() {
                next_defect += 1;
            }
            let year = account.year;
            let format = ["docx", "gbk", "pdf", "txt"][(d + y) % 4];
            let ext = if format == "gbk" { "txt" } else { format };
            let rel_path = format!("corpus/{year}/说明/{name}{year}年度部门决算.{ext}");
            let text = n.lines.join("\n") + "\n";
            let bytes = match format {
                "docx" => docx_bytes(&n.lines)?,
                "gbk" => encoding_rs::GBK.encode(&text).0.into_owned(),
                "pdf" => super::pdf::pdf_bytes(&n.lines),
                _ => text.into_bytes(),
            };
            if let Some((kind, rule, line)) = n.defect {
                truth.push(TruthRow {
                    kind: "narrative_error".into(),
                    code: rule.into(),
                    year,
                    unit_name: name.clone(),
                    dept_code: code.clone(),
                    file: rel_path.clone(),
                    cell: format!("第{line}行"),
                    detail: format!("planted {kind}: {}", n.lines[line - 1]),
                    ..Default::default()
                });
            }
            files.push(GeneratedFile {
                rel_path,
                bytes,
                expected: Vec::new(),
            });
        }
    }
    Ok((files, truth))
}

/// A `.docx` of `lines`, a paragraph each, with fixed metadata (the same
/// lines are the same bytes).
pub fn docx_bytes(lines: &[String]) -> Result<Vec<u8>> {
    use std::io::Write;
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body: String = lines
        .iter()
        .map(|l| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                escape(l)
            )
        })
        .collect();
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string(),
        ),
        (
            "word/document.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in parts {
        zip.start_file(name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}
