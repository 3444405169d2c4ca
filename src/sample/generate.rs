//! The corpus itself: departments, units, years, drift, plants, styles.

use anyhow::{Context, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

use super::accounts::{Carryover, FormData, Operations, Sangong, SpendLine, UnitYear, forms};
use super::layout::{Expected, Heading, Out, SheetOut, Style, sheet_name, write_form};
use super::{SEEDS_TOML, SampleConfig, SeedFile, xls_bytes, xlsx_bytes};
use crate::spec::Catalogue;
use crate::text::a1;

/// One generated workbook and the facts it must yield.
#[derive(Debug, Clone)]
pub struct GeneratedFile {
    /// Path relative to the corpus folder, `/`-separated.
    pub rel_path: String,
    pub bytes: Vec<u8>,
    pub expected: Vec<Expected>,
}

/// A planted anomaly or consistency error.
#[derive(Debug, Clone, Default)]
pub struct TruthRow {
    /// `anomaly`, `consistency_error`, `audit` (a case for the audit tests:
    /// `code` names the flag or rule that finds it) or `narrative_error`.
    pub kind: String,
    pub code: String,
    pub year: i32,
    pub unit_code: String,
    pub unit_name: String,
    pub dept_code: String,
    pub file: String,
    pub sheet: String,
    pub cell: String,
    pub form: String,
    pub item: String,
    pub column: String,
    pub subject_code: String,
    /// 元, as text (the correct figure for errors; the previous year's for growth).
    pub expected: String,
    pub actual: String,
    pub detail: String,
}

impl TruthRow {
    pub const HEADER: [&'static str; 16] = [
        "kind",
        "code",
        "year",
        "unit_code",
        "unit_name",
        "dept_code",
        "file",
        "sheet",
        "cell",
        "form",
        "item",
        "column",
        "subject_code",
        "expected",
        "actual",
        "detail",
    ];
    pub fn record(&self) -> Vec<String> {
        vec![
            self.kind.clone(),
            self.code.clone(),
            self.year.to_string(),
            self.unit_code.clone(),
            self.unit_name.clone(),
            self.dept_code.clone(),
            self.file.clone(),
            self.sheet.clone(),
            self.cell.clone(),
            self.form.clone(),
            self.item.clone(),
            self.column.clone(),
            self.subject_code.clone(),
            self.expected.clone(),
            self.actual.clone(),
            self.detail.clone(),
        ]
    }
}

#[derive(Debug, Default)]
pub struct Corpus {
    pub files: Vec<GeneratedFile>,
    pub truth: Vec<TruthRow>,
}

const CITY: &str = "江城市";
/// (department, main 功能分类 class, admin line, project lines)
const DEPARTMENTS: &[(&str, &str, &str, &[&str])] = &[
    (
        "城市管理行政执法局",
        "212",
        "2120101",
        &["2120102", "2120199", "2120501"],
    ),
    (
        "住房和城乡建设局",
        "212",
        "2120101",
        &["2120102", "2129999"],
    ),
    ("人大常委会办公室", "201", "2010101", &["2012999"]),
    ("市场监督管理局", "201", "2010101", &["2013816"]),
    ("委组织部", "201", "2010101", &["2013299"]),
    ("教育局", "205", "2050803", &["2050803"]),
    ("文化广播电视和旅游局", "207", "2070109", &["2070109"]),
    ("民政局", "208", "2010101", &["2081001"]),
    ("生态环境局", "211", "2110301", &["2110301"]),
    ("农业农村局", "213", "2130199", &["2130199"]),
    ("交通运输局", "214", "2140106", &["2140106"]),
    ("应急管理局", "224", "2240106", &["2240106"]),
    ("卫生健康委员会", "210", "2109999", &["2109999"]),
    ("总工会", "201", "2012999", &["2012999"]),
];
const SUB_UNITS: &[&str] = &[
    "综合服务中心",
    "事务中心",
    "监测站",
    "信息中心",
    "执法支队",
    "研究所",
    "培训中心",
    "保障中心",
];

#[derive(Debug, Clone)]
struct Profile {
    code: String,
    name: String,
    kind: &'static str,
    dept: usize,
    staff: i64,
    /// 分 per person per year.
    personnel_per_capita: i64,
    public_per_capita: i64,
    project_permille: i64,
    gov_fund: bool,
    business_permille: i64,
    vehicles: i64,
    abroad: bool,
    reception: i64,
}

#[derive(Debug, Clone)]
struct Department {
    code: String,
    name: String,
    /// Index into DEPARTMENTS.
    kind: usize,
    units: Vec<usize>,
    /// Files in the A family (财决 exports), the B family (public tables), or both.
    family_a: bool,
    family_b: bool,
    consolidated: bool,
}

/// The anomalies planted, one each on a different unit-year (DOMAIN.md §8).
const ANOMALIES: &[&str] = &[
    "sangong_increase",
    "sangong_over_budget",
    "low_execution",
    "carryover_high",
    "staff_over_establishment",
    "new_functional_class",
    "new_sangong_item",
];

/// Cases for the audit tests (DOMAIN §11), each on its own unit in the last
/// year, named by the flag or rule that finds it: a basic-expenditure 30217
/// line above its 三公 item, receptions with no batches, a 三公 table keyed in
/// 元 where 万元 belongs, a workbook copied from another unit, and one
/// repeating the unit's previous year.
const AUDIT_CASES: &[&str] = &[
    "cross.sangong_reception",
    "unit_cost_unpaired",
    "unit_slip",
    "copied_other_unit",
    "copied_previous_year",
];

fn yuan(rng: &mut ChaCha8Rng, low: i64, high: i64) -> i64 {
    rng.random_range(low..=high) * 100
}

/// Splits `total` over weights (‰), in whole 元 but the last share taking the rest.
fn split(total: i64, weights: &[(&str, i64)]) -> Vec<(String, i64)> {
    let sum: i64 = weights.iter().map(|(_, w)| w).sum();
    let mut out = Vec::new();
    let mut used = 0;
    for (i, (code, w)) in weights.iter().enumerate() {
        let v = if i + 1 == weights.len() {
            total - used
        } else {
            total * w / sum / 100 * 100
        };
        used += v;
        out.push((code.to_string(), v));
    }
    out
}

const PERSONNEL: &[(&str, i64)] = &[
    ("30101", 220),
    ("30102", 250),
    ("30103", 50),
    ("30107", 150),
    ("30108", 100),
    ("30109", 40),
    ("30110", 50),
    ("30112", 10),
    ("30113", 80),
    ("30199", 20),
    ("30302", 20),
    ("30305", 10),
];
const PUBLIC: &[(&str, i64)] = &[
    ("30201", 200),
    ("30205", 50),
    ("30206", 100),
    ("30207", 60),
    ("30211", 120),
    ("30213", 100),
    ("30215", 20),
    ("30216", 30),
    ("30228", 80),
    ("30229", 90),
    ("30239", 50),
    ("30299", 100),
];

fn unit_year(
    p: &Profile,
    dept: &Department,
    year: i32,
    growth: i64,
    sangong_factor: i64,
    plant: Option<&str>,
    rng: &mut ChaCha8Rng,
) -> UnitYear {
    let (_, _, admin_code, project_codes) = DEPARTMENTS[dept.kind];
    let staff_actual = if plant == Some("staff_over_establishment") {
        p.staff + rng.random_range(3..=9)
    } else {
        p.staff - (p.staff / 12).min(rng.random_range(0..=3))
    };
    let personnel = staff_actual * p.personnel_per_capita * growth / 1000 / 100 * 100;
    let mut sangong = Sangong {
        abroad: if p.abroad {
            4_000_000 * sangong_factor / 1000 / 100 * 100
        } else {
            0
        },
        vehicle_purchase: 0,
        vehicle_operation: p.vehicles * 1_200_000 * sangong_factor / 1000 / 100 * 100,
        reception: p.reception * sangong_factor / 1000 / 100 * 100,
    };
    match plant {
        Some("sangong_increase") => {
            sangong.vehicle_operation =
                sangong.vehicle_operation * rng.random_range(17..=24) / 10 + 2_000_000;
            sangong.reception = sangong.reception * 2 + 500_000;
        }
        Some("new_sangong_item") => sangong.vehicle_purchase = yuan(rng, 180_000, 250_000),
        _ => {}
    }
    let public =
        (staff_actual * p.public_per_capita * growth / 1000).max(sangong.total() + 5_000_000) / 100
            * 100;
    let mut sangong_budget = Sangong {
        abroad: sangong.abroad,
        vehicle_purchase: sangong.vehicle_purchase,
        vehicle_operation: sangong.vehicle_operation * 105 / 100 / 100 * 100,
        reception: sangong.reception * 110 / 100 / 100 * 100,
    };
    if plant == Some("sangong_over_budget") {
        sangong_budget.reception = sangong.reception * 70 / 100 / 100 * 100;
        sangong_budget.vehicle_operation = sangong.vehicle_operation * 80 / 100 / 100 * 100;
    }

    // 经济分类 of 一般公共预算 basic spending.
    let mut economic: BTreeMap<String, i64> = split(personnel, PERSONNEL).into_iter().collect();
    let rest = public - sangong.total();
    economic.extend(split(rest, PUBLIC));
    for (code, v) in [
        ("30212", sangong.abroad),
        ("30217", sangong.reception),
        ("30231", sangong.vehicle_operation),
        ("31013", sangong.vehicle_purchase),
    ] {
        if v > 0 {
            *economic.entry(code.to_string()).or_default() += v;
        }
    }
    let basic = personnel + public;
    // Basic spending by function: social-security lines follow their 经济分类 codes.
    let pension = economic["30108"] + economic["30109"];
    let medical = economic["30110"];
    let housing = economic["30113"];
    let retirees = economic["30302"] + economic["30305"];
    let administrative = p.kind != "事业单位";
    let mut lines = vec![
        SpendLine {
            code: "2080505".into(),
            basic_gpb: economic["30108"],
            ..Default::default()
        },
        SpendLine {
            code: "2080506".into(),
            basic_gpb: economic["30109"],
            ..Default::default()
        },
        SpendLine {
            code: if administrative { "2101101" } else { "2101102" }.into(),
            basic_gpb: medical,
            ..Default::default()
        },
        SpendLine {
            code: "2210201".into(),
            basic_gpb: housing,
            ..Default::default()
        },
        SpendLine {
            code: if administrative { "2080501" } else { "2080502" }.into(),
            basic_gpb: retirees,
            ..Default::default()
        },
        SpendLine {
            code: admin_code.into(),
            basic_gpb: basic - pension - medical - housing - retirees,
            ..Default::default()
        },
    ];
    let project = basic * p.project_permille * growth / 1000 / 1000 / 100 * 100;
    let shares = split(
        project,
        &project_codes.iter().map(|c| (*c, 1000)).collect::<Vec<_>>(),
    );
    for (code, v) in shares {
        match lines.iter_mut().find(|l| l.code == code) {
            Some(l) => l.project_gpb += v,
            None => lines.push(SpendLine {
                code,
                project_gpb: v,
                ..Default::default()
            }),
        }
    }
    if p.gov_fund {
        lines.push(SpendLine {
            code: "2120899".into(),
            project_gov_fund: project * 3 / 10 / 100 * 100 + 1_000_000,
            ..Default::default()
        });
    }
    if plant == Some("new_functional_class") {
        lines.push(SpendLine {
            code: "2240106".into(),
            project_gpb: yuan(rng, 200_000, 800_000),
            ..Default::default()
        });
    }
    let business_income = if p.business_permille > 0 {
        personnel * p.business_permille / 1000 / 100 * 100
    } else {
        0
    };
    if business_income > 0
        && let Some(l) = lines.iter_mut().find(|l| l.code == admin_code)
    {
        l.basic_other += business_income * 6 / 10 / 100 * 100;
        l.project_other += business_income - business_income * 6 / 10 / 100 * 100;
    }
    lines.sort_by(|a, b| a.code.cmp(&b.code));
    let gpb_spend: i64 = lines.iter().map(SpendLine::gpb).sum();
    let carry_begin_gpb = gpb_spend * rng.random_range(0..=30) / 1000 / 100 * 100;
    let carry_end_gpb = if plant == Some("carryover_high") {
        gpb_spend * rng.random_range(350..=450) / 1000 / 100 * 100
    } else {
        gpb_spend * rng.random_range(0..=30) / 1000 / 100 * 100
    };
    plant_in_sangong(plant, &mut sangong, &mut sangong_budget);
    let (reception_batches, reception_people) = if plant == Some("unit_cost_unpaired") {
        (0, 0)
    } else {
        (p.reception / 300_000, p.reception / 60_000)
    };
    let full_permille = if plant == Some("low_execution") {
        rng.random_range(1150..=1280)
    } else {
        rng.random_range(1000..=1050)
    };
    UnitYear {
        year,
        unit_code: p.code.clone(),
        unit_name: p.name.clone(),
        dept_code: dept.code.clone(),
        dept_name: dept.name.clone(),
        unit_kind: p.kind.into(),
        report_type: "单户表".into(),
        business_income,
        carryover_begin: Carryover {
            gpb: carry_begin_gpb,
            gov_fund: 0,
            other: 0,
        },
        carryover_end: Carryover {
            gpb: carry_end_gpb,
            gov_fund: 0,
            other: 0,
        },
        lines,
        budget_initial_permille: rng.random_range(900..=1000),
        budget_full_permille: full_permille,
        economic,
        sangong_budget,
        sangong_actual: sangong,
        operations: Operations {
            staff_authorized: p.staff,
            staff_actual,
            retirees: p.staff / 4,
            admin_operating_cost: if administrative {
                public * 3 / 10 / 100 * 100
            } else {
                0
            },
            procurement_goods: project / 20 / 100 * 100,
            procurement_works: 0,
            procurement_services: project / 10 / 100 * 100,
            sme_contracts: project / 10 / 100 * 100,
            vehicles: p.vehicles + i64::from(plant == Some("new_sangong_item")),
            abroad_groups: i64::from(p.abroad),
            abroad_people: if p.abroad { 3 } else { 0 },
            reception_batches,
            reception_people,
            vehicles_purchased: i64::from(plant == Some("new_sangong_item")),
        },
        ..Default::default()
    }
}

/// The audit cases planted in a unit's 三公, once its 经济分类 lines are made
/// from the figures as they were.
fn plant_in_sangong(plant: Option<&str>, actual: &mut Sangong, budget: &mut Sangong) {
    match plant {
        // The 30217 line keeps the reception it was made with; the 三公 item
        // reports 60 % of it.
        Some("cross.sangong_reception") => actual.reception = actual.reception * 6 / 10 / 100 * 100,
        // The 三公 table keyed in 元 where 万元 belongs: 10,000× each figure.
        Some("unit_slip") => {
            for s in [actual, budget] {
                s.abroad *= 10_000;
                s.vehicle_purchase *= 10_000;
                s.vehicle_operation *= 10_000;
                s.reception *= 10_000;
            }
        }
        _ => {}
    }
}

/// The planted copies: a unit's accounts of the year replaced by those of
/// the next unit with 单户表 and nothing planted (`copied_other_unit`), or by
/// its own of the year before (`copied_previous_year`), under its own name.
fn copy_planted(
    plants: &BTreeMap<(usize, i32), &str>,
    units: usize,
    in_family_a: &dyn Fn(usize) -> bool,
    accounts: &mut BTreeMap<(usize, i32), UnitYear>,
) -> BTreeMap<(usize, i32), usize> {
    let mut copied_from = BTreeMap::new();
    for (&(p, year), &case) in plants {
        let source = match case {
            "copied_other_unit" => (1..units)
                .map(|k| (p + k) % units)
                .find(|&q| in_family_a(q) && !plants.contains_key(&(q, year)))
                .map(|q| (q, year)),
            "copied_previous_year" => Some((p, year - 1)),
            _ => None,
        };
        let Some(copied) = source.and_then(|s| accounts.get(&s)).cloned() else {
            continue;
        };
        if let Some((q, y)) = source
            && y == year
        {
            copied_from.insert((p, year), q);
        }
        let Some(own) = accounts.get_mut(&(p, year)) else {
            continue;
        };
        *own = UnitYear {
            year,
            unit_code: own.unit_code.clone(),
            unit_name: own.unit_name.clone(),
            dept_code: own.dept_code.clone(),
            dept_name: own.dept_name.clone(),
            unit_kind: own.unit_kind.clone(),
            ..copied
        };
    }
    copied_from
}

fn style(rng: &mut ChaCha8Rng, family_a: bool) -> Style {
    let markers: [Option<&'static str>; 5] = [None, Some(""), Some("—"), Some("-"), Some("/")];
    Style {
        family_a,
        xls: rng.random_bool(0.2),
        title_rows: if family_a {
            rng.random_range(3..=4)
        } else {
            rng.random_range(1..=4)
        },
        unit_phrase: rng.random_range(0..4),
        wan: !family_a || rng.random_bool(0.1),
        numbered: family_a && rng.random_bool(0.85),
        split_codes: rng.random_bool(0.35),
        codes_as_numbers: rng.random_bool(0.3),
        label_numbering: rng.random_bool(0.5),
        full_width: rng.random_bool(0.5),
        spaced_labels: rng.random_bool(0.2),
        text_numbers: [0, 0, 0, 0, 0, 0, 0, 1, 1, 2][rng.random_range(0..10)],
        zero_marker: markers[rng.random_range(0..markers.len())],
        hidden_row: rng.random_bool(0.2),
        totals_bottom: rng.random_bool(0.3),
        formulas: rng.random_bool(0.3),
        sheet_names: if family_a {
            [0, 0, 0, 0, 1, 2][rng.random_range(0..6)]
        } else {
            rng.random_range(1..=2)
        },
        wide_sangong: rng.random_bool(0.7),
        basic_panels: rng.random_range(2..=3),
        notes: rng.random_bool(0.3),
        title_with_unit_name: !family_a && rng.random_bool(0.6),
    }
}

fn cover(u: &UnitYear, inline: bool) -> SheetOut {
    let mut s = SheetOut {
        name: "封面".into(),
        ..Default::default()
    };
    s.text(0, 0, format!("{}年度部门决算报表", u.year));
    let kind = match u.unit_kind.as_str() {
        "参公事业单位" => "参照公务员法管理事业单位",
        k => k,
    };
    let fields = [
        ("单位名称", u.unit_name.as_str()),
        ("单位代码", u.unit_code.as_str()),
        ("主管部门", u.dept_name.as_str()),
        ("主管部门代码", u.dept_code.as_str()),
        ("单位性质", kind),
        ("报表类型", u.report_type.as_str()),
    ];
    for (i, (label, value)) in fields.iter().enumerate() {
        let r = i as u32 + 2;
        if inline {
            s.text(r, 0, format!("{label}：{value}"));
        } else {
            s.text(r, 0, *label);
            if !value.is_empty() {
                s.text(r, 1, *value);
            }
        }
    }
    s.text(9, 0, "年度");
    s.put(9, 1, Out::Number(f64::from(u.year)));
    s.widths.insert(0, 16.0);
    s.widths.insert(1, 40.0);
    s
}

/// Builds one workbook's sheets and expected facts.
fn workbook(
    u: &UnitYear,
    family_a: bool,
    st: &Style,
    catalogue: &Catalogue,
    rng: &mut ChaCha8Rng,
) -> Result<(Vec<SheetOut>, Vec<Expected>)> {
    let mut sheets = Vec::new();
    let mut expected = Vec::new();
    if family_a {
        sheets.push(cover(u, rng.random_bool(0.3)));
    }
    let heading = Heading {
        unit_name: u.unit_name.clone(),
        year: u.year,
    };
    let data: Vec<FormData> = forms(u, family_a, &catalogue.classification.functional_classes);
    for (i, d) in data.iter().enumerate() {
        let form = catalogue
            .form(d.form)
            .with_context(|| format!("no spec for form {}", d.form))?;
        let (mut sheet, exp) = write_form(d, form, catalogue, st, &heading);
        sheet.name = sheet_name(form, st, i);
        if sheets.iter().any(|s: &SheetOut| s.name == sheet.name) {
            sheet.name = format!("{}{}", sheet.name.chars().take(28).collect::<String>(), i);
        }
        expected.extend(exp.into_iter().map(|mut e| {
            e.sheet = sheet.name.clone();
            e
        }));
        sheets.push(sheet);
    }
    if rng.random_bool(0.1) {
        let mut notes = SheetOut {
            name: "填表说明".into(),
            ..Default::default()
        };
        notes.text(0, 0, "填表说明：本套报表金额保留两位小数。");
        notes.text(1, 0, "各表之间的勾稽关系见财政部部门决算编报手册。");
        sheets.push(notes);
    }
    if rng.random_bool(0.1) {
        sheets.push(SheetOut {
            name: "Sheet1".into(),
            ..Default::default()
        });
    }
    Ok((sheets, expected))
}

fn serialise(sheets: &[SheetOut], xls: bool) -> Result<Vec<u8>> {
    if xls {
        xls_bytes(sheets)
    } else {
        xlsx_bytes(sheets)
    }
}

/// Changes one written figure by `delta` 分 (as read) and records the error.
fn tamper(
    sheets: &mut [SheetOut],
    expected: &mut [Expected],
    st: &Style,
    target: &Tamper,
    delta_fen: i64,
) -> Option<(Expected, i64)> {
    let (_, form, item, column, class_only) = *target;
    let target = expected.iter_mut().find(|e| {
        e.form == form
            && e.item == item
            && e.column == column
            && e.amount > 0
            && (!class_only || e.subject_code.as_ref().is_some_and(|c| c.len() == 3))
    })?;
    let before = target.clone();
    let delta_read = if st.wan {
        (delta_fen / 10_000) * 10_000
    } else {
        delta_fen
    };
    target.amount += delta_read;
    let sheet = sheets.iter_mut().find(|s| s.name == target.sheet)?;
    let written = if st.wan {
        target.amount as f64 / 1_000_000.0
    } else {
        target.amount as f64 / 100.0
    };
    let written = (written * 100.0).round() / 100.0;
    sheet.put(target.cell.0, target.cell.1, Out::Number(written));
    Some((before, target.amount))
}

/// A planted consistency error: (code, form, item, column, on a 类 line only).
type Tamper = (&'static str, &'static str, &'static str, &'static str, bool);

const TAMPERS: &[Tamper] = &[
    (
        "class_sum",
        "expenditure",
        "subject",
        "expenditure_total",
        true,
    ),
    (
        "sangong_subtotal",
        "sangong",
        "vehicle_total",
        "actual",
        false,
    ),
    (
        "grand_total",
        "income_expenditure_total",
        "income_grand_total",
        "actual",
        false,
    ),
    (
        "cross_table_income",
        "income",
        "total",
        "fiscal_approp",
        false,
    ),
    (
        "basic_detail_total",
        "gpb_basic_detail",
        "public_total",
        "actual",
        false,
    ),
];

pub fn generate(config: &SampleConfig, catalogue: &Catalogue) -> Result<Corpus> {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut profiles: Vec<Profile> = Vec::new();
    let mut departments: Vec<Department> = Vec::new();
    for d in 0..config.departments {
        let kind = d % DEPARTMENTS.len();
        let round = d / DEPARTMENTS.len();
        let base_name = DEPARTMENTS[kind].0;
        let name = if round == 0 {
            format!("{CITY}{base_name}")
        } else {
            format!("{CITY}第{}{base_name}", round + 1)
        };
        let code = format!("{:03}000", 101 + d);
        let n_units = [1, 1, 1, 2, 2, 2, 2, 3, 3, 4][rng.random_range(0..10)];
        let family = rng.random_range(0..20);
        let mut dept = Department {
            code: code.clone(),
            name: name.clone(),
            kind,
            units: Vec::new(),
            family_a: family < 15,
            family_b: family >= 12,
            consolidated: n_units > 1 && rng.random_bool(0.5),
        };
        for u in 0..n_units {
            let (unit_name, unit_kind) = if u == 0 {
                (
                    format!("{name}（本级）"),
                    if rng.random_bool(0.8) {
                        "行政单位"
                    } else {
                        "参公事业单位"
                    },
                )
            } else {
                let sub = SUB_UNITS[(d + u) % SUB_UNITS.len()];
                (
                    format!("{}{}", name.trim_end_matches(['局', '会', '部']), sub),
                    if rng.random_bool(0.2) {
                        "参公事业单位"
                    } else {
                        "事业单位"
                    },
                )
            };
            let staff = rng.random_range(12..=160);
            dept.units.push(profiles.len());
            profiles.push(Profile {
                code: format!("{:03}{:03}", 101 + d, u + 1),
                name: unit_name,
                kind: unit_kind,
                dept: departments.len(),
                staff,
                personnel_per_capita: yuan(&mut rng, 110_000, 190_000) * 100 / 100,
                public_per_capita: yuan(&mut rng, 9_000, 22_000),
                project_permille: rng.random_range(80..=1400),
                gov_fund: rng.random_bool(0.15),
                business_permille: if unit_kind == "事业单位" && rng.random_bool(0.3) {
                    rng.random_range(50..=300)
                } else {
                    0
                },
                vehicles: rng.random_range(0..=6),
                abroad: rng.random_bool(0.15),
                reception: yuan(&mut rng, 2_000, 30_000),
            });
        }
        departments.push(dept);
    }

    // Plants: each anomaly on its own unit in a year that has a previous year.
    let mut plants: BTreeMap<(usize, i32), &str> = BTreeMap::new();
    let years: Vec<i32> = (config.first_year..=config.last_year).collect();
    if years.len() >= 2 && !profiles.is_empty() {
        let mut candidates: Vec<usize> = (0..profiles.len())
            .filter(|&p| departments[profiles[p].dept].family_a)
            .collect();
        for (k, anomaly) in ANOMALIES.iter().enumerate() {
            if candidates.is_empty() {
                break;
            }
            let unit = candidates.remove((k * 7 + 3) % candidates.len());
            let year = years[1 + k % (years.len() - 1)];
            plants.insert((unit, year), anomaly);
        }
        for (k, case) in AUDIT_CASES.iter().enumerate() {
            if candidates.len() < 2 {
                break;
            }
            let unit = candidates.remove((k * 5 + 1) % candidates.len());
            plants.insert((unit, config.last_year), case);
        }
    }

    let mut corpus = Corpus::default();
    let mut accounts: BTreeMap<(usize, i32), UnitYear> = BTreeMap::new();
    for (p, profile) in profiles.iter().enumerate() {
        let mut growth = 1000;
        let mut sangong_factor = 1000;
        for &year in &years {
            let plant = plants.get(&(p, year)).copied();
            let u = unit_year(
                profile,
                &departments[profile.dept],
                year,
                growth,
                sangong_factor,
                plant,
                &mut rng,
            );
            accounts.insert((p, year), u);
            growth = growth * rng.random_range(980..=1070) / 1000;
            sangong_factor = sangong_factor * rng.random_range(880..=1000) / 1000;
        }
    }
    let in_family_a = |p: usize| departments[profiles[p].dept].family_a;
    let copied_from = copy_planted(&plants, profiles.len(), &in_family_a, &mut accounts);
    for ((p, year), anomaly) in &plants {
        let u = &accounts[&(*p, *year)];
        let prev = accounts.get(&(*p, year - 1));
        let detail = match (*anomaly, prev) {
            ("sangong_increase", Some(prev)) => format!(
                "三公 actual {} 元 against {} 元 the year before",
                u.sangong_actual.total() as f64 / 100.0,
                prev.sangong_actual.total() as f64 / 100.0
            ),
            ("copied_other_unit", _) => "its figures are another unit's of the year".into(),
            ("copied_previous_year", _) => "its figures are its own of the year before".into(),
            ("unit_slip", _) => "三公 table keyed in 元 where 万元 belongs (10,000×)".into(),
            ("unit_cost_unpaired", _) => "公务接待费 with no batches and no people".into(),
            ("cross.sangong_reception", _) => "30217 above the 三公 公务接待费".into(),
            _ => String::new(),
        };
        let kind = if AUDIT_CASES.contains(anomaly) {
            "audit"
        } else {
            "anomaly"
        };
        corpus.truth.push(TruthRow {
            kind: kind.into(),
            code: anomaly.to_string(),
            year: *year,
            unit_code: u.unit_code.clone(),
            unit_name: u.unit_name.clone(),
            dept_code: u.dept_code.clone(),
            detail,
            ..Default::default()
        });
        // The unit copied from: its figures are the copier's too.
        if let Some(q) = copied_from.get(&(*p, *year)) {
            let source = &accounts[&(*q, *year)];
            corpus.truth.push(TruthRow {
                kind: kind.into(),
                code: anomaly.to_string(),
                year: *year,
                unit_code: source.unit_code.clone(),
                unit_name: source.unit_name.clone(),
                dept_code: source.dept_code.clone(),
                detail: format!("its figures were copied by {}", u.unit_code),
                ..Default::default()
            });
        }
    }

    let mut tamper_next = 0usize;
    for &year in &years {
        for dept in &departments {
            let folder = format!("corpus/{year}/{}{}", dept.code, dept.name);
            let units: Vec<UnitYear> = dept
                .units
                .iter()
                .map(|p| accounts[&(*p, year)].clone())
                .collect();
            let mut books: Vec<(String, UnitYear, bool)> = Vec::new();
            if dept.family_a {
                for u in &units {
                    books.push((
                        format!("{folder}/{}_{}", u.unit_code, u.unit_name),
                        u.clone(),
                        true,
                    ));
                }
                if dept.consolidated {
                    let total = UnitYear::consolidate(&units, &dept.code, &dept.name, year);
                    books.push((
                        format!("{folder}/{}_{}_汇总", dept.code, dept.name),
                        total,
                        true,
                    ));
                }
            }
            if dept.family_b {
                let total = UnitYear::consolidate(&units, &dept.code, &dept.name, year);
                let name = if rng.random_bool(0.3) {
                    dept.name.clone()
                } else {
                    format!("{}{year}年度部门决算公开表", dept.name)
                };
                books.push((format!("corpus/{year}/公开/{name}"), total, false));
            }
            for (path, u, family_a) in books {
                let st = style(&mut rng, family_a);
                let (mut sheets, mut expected) = workbook(&u, family_a, &st, catalogue, &mut rng)?;
                let rel_path = format!("{path}.{}", if st.xls { "xls" } else { "xlsx" });
                // The file of a unit an audit case is planted on.
                if let Some(t) = corpus.truth.iter_mut().find(|t| {
                    t.kind == "audit"
                        && t.year == year
                        && t.unit_code == u.unit_code
                        && u.report_type == "单户表"
                }) {
                    t.file = rel_path.clone();
                }
                // A consistency error in about one workbook in twelve.
                if rng.random_range(0..12) == 0 {
                    let planted = &TAMPERS[tamper_next % TAMPERS.len()];
                    let (code, form, item, column, _) = *planted;
                    let delta = 1_234_500 + rng.random_range(0..100) * 10_000;
                    if let Some((before, after)) =
                        tamper(&mut sheets, &mut expected, &st, planted, delta)
                    {
                        tamper_next += 1;
                        corpus.truth.push(TruthRow {
                            kind: "consistency_error".into(),
                            code: code.into(),
                            year,
                            unit_code: u.unit_code.clone(),
                            unit_name: u.unit_name.clone(),
                            dept_code: u.dept_code.clone(),
                            file: rel_path.clone(),
                            sheet: before.sheet.clone(),
                            cell: a1(before.cell.0, before.cell.1),
                            form: form.into(),
                            item: item.into(),
                            column: column.into(),
                            subject_code: before.subject_code.clone().unwrap_or_default(),
                            expected: format!("{:.2}", before.amount as f64 / 100.0),
                            actual: format!("{:.2}", after as f64 / 100.0),
                            detail: format!(
                                "{form}.{item}.{column} changed by {:.2} 元",
                                (after - before.amount) as f64 / 100.0
                            ),
                        });
                    }
                }
                let bytes = serialise(&sheets, st.xls)?;
                corpus.files.push(GeneratedFile {
                    rel_path,
                    bytes,
                    expected,
                });
            }
        }
    }
    if config.with_seed_units {
        corpus.files.extend(seed_files(catalogue)?);
    }
    if config.narratives {
        let (files, truth) = narratives(&departments, &accounts, &years, config.seed)?;
        corpus.files.extend(files);
        corpus.truth.extend(truth);
    }
    Ok(corpus)
}

/// Each department-year's 情况说明, from the department's consolidated
/// accounts and random numbers of their own: the workbooks stay as they were.
fn narratives(
    departments: &[Department],
    accounts: &BTreeMap<(usize, i32), UnitYear>,
    years: &[i32],
    seed: u64,
) -> Result<(Vec<GeneratedFile>, Vec<TruthRow>)> {
    let consolidated: Vec<(String, String, Vec<UnitYear>)> = departments
        .iter()
        .map(|dept| {
            let by_year = years
                .iter()
                .map(|&year| {
                    let units: Vec<UnitYear> = dept
                        .units
                        .iter()
                        .map(|p| accounts[&(*p, year)].clone())
                        .collect();
                    UnitYear::consolidate(&units, &dept.code, &dept.name, year)
                })
                .collect();
            (dept.code.clone(), dept.name.clone(), by_year)
        })
        .collect();
    super::narrative::narrative_files(&consolidated, seed)
}

/// One workbook of `u` laid out in style `st`, with the facts it must yield.
pub fn workbook_file(
    u: &UnitYear,
    st: &Style,
    catalogue: &Catalogue,
    rel_path: &str,
) -> Result<GeneratedFile> {
    let mut rng = ChaCha8Rng::seed_from_u64(20_231_231);
    let (sheets, expected) = workbook(u, st.family_a, st, catalogue, &mut rng)?;
    Ok(GeneratedFile {
        rel_path: rel_path.to_string(),
        bytes: serialise(&sheets, st.xls)?,
        expected,
    })
}

/// The seed units' accounts (published figures; see sample_data/seeds/README.md).
pub fn seed_units() -> Result<Vec<UnitYear>> {
    let seeds: SeedFile = toml::from_str(SEEDS_TOML).context("parsing the built-in seeds.toml")?;
    Ok(seeds.unit)
}

impl Style {
    /// The plain layout of a 财决 export: 元, 行次/栏次, codes in one cell.
    pub fn plain_a() -> Style {
        Style {
            family_a: true,
            xls: false,
            title_rows: 3,
            unit_phrase: 1,
            wan: false,
            numbered: true,
            split_codes: false,
            codes_as_numbers: false,
            label_numbering: true,
            full_width: true,
            spaced_labels: false,
            text_numbers: 0,
            zero_marker: None,
            hidden_row: false,
            totals_bottom: false,
            formulas: false,
            sheet_names: 0,
            wide_sangong: true,
            basic_panels: 2,
            notes: false,
            title_with_unit_name: false,
        }
    }
}

/// The seed units' workbooks: A family, in 元, the plain style.
pub fn seed_files(catalogue: &Catalogue) -> Result<Vec<GeneratedFile>> {
    seed_units()?
        .iter()
        .map(|u| {
            let rel_path = format!("seeds/{}_{}_{}.xlsx", u.year, u.unit_name, u.report_type);
            workbook_file(u, &Style::plain_a(), catalogue, &rel_path)
        })
        .collect()
}
