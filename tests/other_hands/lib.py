"""Shared helpers for building realistic 决算 workbooks and expected.json."""
import json, os
from decimal import Decimal as D
import openpyxl
from openpyxl.utils import get_column_letter as L
from openpyxl.styles import Alignment, Font

CASES = os.path.dirname(os.path.abspath(__file__))

CLASSES = [  # (code, name) as on 财决01 expenditure side
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
    ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"), ("210", "卫生健康支出"), ("211", "节能环保支出"),
    ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
    ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("224", "灾害防治及应急管理支出"), ("229", "其他支出"),
    ("231", "债务还本支出"), ("232", "债务付息支出"),
]
CN_NUM = "一二三四五六七八九十"
def cn(i):
    i += 1
    if i <= 10: return CN_NUM[i-1]
    if i < 20: return "十" + CN_NUM[i-11]
    t, o = divmod(i, 10)
    return CN_NUM[t-1] + "十" + (CN_NUM[o-1] if o else "")

SUBJECT_NAMES = {
    "201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101102": "事业单位医疗",
    "212": "城乡社区支出", "21201": "城乡社区管理事务", "2120101": "行政运行",
    "2120104": "城管执法", "2120199": "其他城乡社区管理事务支出",
    "21208": "国有土地使用权出让收入安排的支出", "2120899": "其他国有土地使用权出让收入安排的支出",
    "21299": "其他城乡社区支出", "2129999": "其他城乡社区支出",
    "213": "农林水支出", "21301": "农业农村", "2130199": "其他农业农村支出",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
}


class Case:
    def __init__(self, name):
        self.name = name
        self.dir = os.path.join(CASES, name)
        os.makedirs(self.dir, exist_ok=True)
        self.exp = []

    def path(self, rel):
        p = os.path.join(self.dir, "in", rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def fact(self, file, sheet, cell, form, item, column, subject_code, yuan, unit_name, year,
             optional=False, note=""):
        self.exp.append(dict(kind="fact", file=file, sheet=sheet, cell=cell, form=form, item=item,
                             column=column, subject_code=subject_code,
                             amount=str(D(str(yuan)).quantize(D("0.01"))),
                             unit_name=unit_name, year=year, optional=optional, note=note))

    def absent(self, file, sheet, cell, why, need_report=False):
        self.exp.append(dict(kind="absent", file=file, sheet=sheet, cell=cell, why=why,
                             need_report=need_report))

    def expect_report(self, file, sheet, cell, why):
        """a report row naming this sheet (and cell if given) must exist"""
        self.exp.append(dict(kind="report", file=file, sheet=sheet, cell=cell, why=why))

    def save(self):
        with open(os.path.join(self.dir, "expected.json"), "w") as f:
            json.dump(self.exp, f, ensure_ascii=False, indent=1)


def W(ws, row, col, v, fmt=None):
    c = ws.cell(row=row, column=col, value=v)
    if fmt:
        c.number_format = fmt
    return c


def merge(ws, r1, c1, r2, c2, v=None):
    if v is not None:
        W(ws, r1, c1, v)
    ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def num(x):
    """value as a float, the way Excel stores it"""
    return float(D(str(x)))


class Ctx:
    """writes facts for one file/sheet"""
    mult = D(1)
    def __init__(self, case, file, ws, unit_name, year, scale=1):
        self.case, self.file, self.ws, self.unit, self.year, self.scale = case, file, ws, unit_name, year, D(scale)

    def val(self, row, col, v, form, item, column, code=None, fmt="#,##0.00", optional=None, raw=None, note=""):
        """write v (in the sheet's unit) and expect it in 元"""
        if v is None:
            return
        if raw is None:
            v = (D(str(v)) * Ctx.mult).quantize(D("0.01")) if Ctx.mult != 1 else v
        W(self.ws, row, col, raw if raw is not None else num(v), fmt)
        if optional is None:
            optional = (D(str(v)) == 0)
        self.case.fact(self.file, self.ws.title, f"{L(col)}{row}", form, item, column, code,
                       D(str(v)) * self.scale, self.unit, self.year, optional=optional, note=note)


# ---------------------------------------------------------------- 财决 (A family)

def cover(wb, fields, title=None, layout="lr"):
    ws = wb.create_sheet("封面", 0)
    W(ws, 1, 1, title or f"{fields.get('年度','')}年度部门决算报表")
    r = 3
    for k, v in fields.items():
        if v is None:
            continue
        if layout == "lr":
            W(ws, r, 2, k); W(ws, r, 4, v)
            ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=7)
        else:  # label：value in one cell
            W(ws, r, 2, f"{k}：{v}")
        r += 2
    return ws


def head(ws, title, code, unit_name, year, unit="元", width=10, r=1):
    merge(ws, r, 1, r, width, title)
    W(ws, r + 1, width, code)
    W(ws, r + 2, 1, f"编制单位：{unit_name}")
    W(ws, r + 2, width // 2, f"{year}年度")
    W(ws, r + 2, width, f"金额单位：{unit}")
    return r + 3


def z01(ctx, inc, exp, begin_row=4, classes=CLASSES, lines=True):
    """收入支出决算总表 财决01. inc: dict key->(b0,b1,act); exp: class code-> (b0,b1,act), plus totals."""
    ws = ctx.ws
    r = begin_row
    merge(ws, r, 1, r, 5, "收入"); merge(ws, r, 6, r, 10, "支出")
    hdr = ["项目", "行次", "年初预算数", "全年预算数", "决算数"]
    for i, h in enumerate(hdr):
        W(ws, r + 1, 1 + i, h); W(ws, r + 1, 6 + i, h)
    W(ws, r + 2, 1, "栏次"); W(ws, r + 2, 6, "栏次")
    for i in range(3):
        W(ws, r + 2, 3 + i, i + 1); W(ws, r + 2, 8 + i, i + 4)
    r0 = r + 3
    inc_lines = [("gpb_approp_income", "一、一般公共预算财政拨款收入"), ("gov_fund_approp_income", "二、政府性基金预算财政拨款收入"),
                 ("soe_approp_income", "三、国有资本经营预算财政拨款收入"), ("superior_subsidy_income", "四、上级补助收入"),
                 ("business_income", "五、事业收入"), ("operating_income", "六、经营收入"),
                 ("affiliated_remit_income", "七、附属单位上缴收入"), ("other_income", "八、其他收入")]
    for i, (k, lab) in enumerate(inc_lines):
        W(ws, r0 + i, 1, lab); W(ws, r0 + i, 2, i + 1)
        for j, col in enumerate(["budget_initial", "budget_full", "actual"]):
            v = inc.get(k, (None, None, None))[j]
            ctx.val(r0 + i, 3 + j, v, "income_expenditure_total", k, col)
    for i, (code, name) in enumerate(classes):
        W(ws, r0 + i, 6, f"{cn(i)}、{name}"); W(ws, r0 + i, 7, 32 + i)
        for j, col in enumerate(["budget_initial", "budget_full", "actual"]):
            v = exp.get(code, (None, None, None))[j]
            ctx.val(r0 + i, 8 + j, v, "income_expenditure_total", "subject", col, code)
    rt = r0 + max(len(inc_lines), len(classes))
    tail_i = [("income_total", "本年收入合计"), ("nonfiscal_surplus_used", "使用非财政拨款结余（含专用结余）"),
              ("carryover_begin", "年初结转和结余"), ("income_grand_total", "总计")]
    tail_e = [("expenditure_total", "本年支出合计"), ("surplus_distribution", "结余分配"),
              ("carryover_end", "年末结转和结余"), ("expenditure_grand_total", "总计")]
    for i in range(4):
        (ki, li), (ke, le) = tail_i[i], tail_e[i]
        W(ws, rt + i, 1, li); W(ws, rt + i, 2, 9 + i + 20); W(ws, rt + i, 6, le); W(ws, rt + i, 7, 60 + i)
        for j, col in enumerate(["budget_initial", "budget_full", "actual"]):
            ctx.val(rt + i, 3 + j, inc.get(ki, (None, None, None))[j], "income_expenditure_total", ki, col)
            ctx.val(rt + i, 8 + j, exp.get(ke, (None, None, None))[j], "income_expenditure_total", ke, col)
    return rt + 4


def z01_1(ctx, inc, exp, begin_row=4, classes=None):
    """财政拨款收入支出决算总表 财决01-1.
    inc: key->(budget_full, actual); exp: code/key -> (budget_full, total, gpb, gov, soe)"""
    ws = ctx.ws
    r = begin_row
    merge(ws, r, 1, r, 4, "收入"); merge(ws, r, 5, r, 11, "支出")
    for i, h in enumerate(["项目", "行次", "全年预算数", "决算数"]):
        merge(ws, r + 1, 1 + i, r + 2, 1 + i, h)
    for i, h in enumerate(["项目", "行次", "全年预算数"]):
        merge(ws, r + 1, 5 + i, r + 2, 5 + i, h)
    merge(ws, r + 1, 8, r + 1, 11, "决算数")
    for i, h in enumerate(["小计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]):
        W(ws, r + 2, 8 + i, h)
    W(ws, r + 3, 1, "栏次"); W(ws, r + 3, 5, "栏次")
    W(ws, r + 3, 3, 1); W(ws, r + 3, 4, 2)
    for i in range(5):
        W(ws, r + 3, 7 + i, 3 + i)
    r0 = r + 4
    inc_lines = [("gpb_approp", "一、一般公共预算财政拨款"), ("gov_fund_approp", "二、政府性基金预算财政拨款"),
                 ("soe_approp", "三、国有资本经营预算财政拨款")]
    classes = classes or [c for c in CLASSES if c[0] in exp]
    for i, (k, lab) in enumerate(inc_lines):
        W(ws, r0 + i, 1, lab); W(ws, r0 + i, 2, i + 1)
        for j, col in enumerate(["budget_full", "actual"]):
            ctx.val(r0 + i, 3 + j, inc.get(k, (None, None))[j], "fiscal_total", k, col)
    cols_e = ["budget_full", "actual_total", "actual_gpb", "actual_gov_fund", "actual_soe"]
    for i, (code, name) in enumerate(classes):
        W(ws, r0 + i, 5, f"{cn(i)}、{name}"); W(ws, r0 + i, 6, 32 + i)
        for j, col in enumerate(cols_e):
            ctx.val(r0 + i, 7 + j, exp.get(code, (None,) * 5)[j], "fiscal_total", "subject", col, code)
    rt = r0 + max(len(inc_lines), len(classes)) + 1
    ti = [("income_total", "本年收入合计"), ("carryover_begin", "年初财政拨款结转和结余"),
          ("carryover_begin_gpb", "    一般公共预算财政拨款"), ("carryover_begin_gov_fund", "    政府性基金预算财政拨款"),
          ("carryover_begin_soe", "    国有资本经营预算财政拨款"), (None, None), ("income_grand_total", "总计")]
    te = [("expenditure_total", "本年支出合计"), ("carryover_end", "年末财政拨款结转和结余"),
          ("carryover_end_gpb", "    一般公共预算财政拨款"), ("carryover_end_gov_fund", "    政府性基金预算财政拨款"),
          ("carryover_end_soe", "    国有资本经营预算财政拨款"), (None, None), ("expenditure_grand_total", "总计")]
    for i in range(len(ti)):
        (ki, li), (ke, le) = ti[i], te[i]
        if li:
            W(ws, rt + i, 1, li); W(ws, rt + i, 2, 20 + i)
            for j, col in enumerate(["budget_full", "actual"]):
                ctx.val(rt + i, 3 + j, inc.get(ki, (None, None))[j], "fiscal_total", ki, col)
        if le:
            W(ws, rt + i, 5, le); W(ws, rt + i, 6, 60 + i)
            for j, col in enumerate(cols_e):
                ctx.val(rt + i, 7 + j, exp.get(ke, (None,) * 5)[j], "fiscal_total", ke, col)
    return rt + len(ti)


def subject_table(ctx, form, colspecs, rows, begin_row=4, total_label="合计", col_no=True, total_first=True,
                  budget_group=None, code_header="科目代码"):
    """功能分类 subject table. colspecs: [(key, header)], rows: [(code, [values])]; total: ('total', values)"""
    ws = ctx.ws
    r = begin_row
    ncol = len(colspecs)
    merge(ws, r, 1, r, 2, "项目")
    W(ws, r + 1, 1, code_header); W(ws, r + 1, 2, "科目名称")
    for i, (k, h) in enumerate(colspecs):
        merge(ws, r, 3 + i, r + 1, 3 + i, h)
    r += 2
    if col_no:
        merge(ws, r, 1, r, 2, "栏次")
        for i in range(ncol):
            W(ws, r, 3 + i, i + 1)
        r += 1
    body = list(rows)
    for code, vals in body:
        if code == "total":
            merge(ws, r, 1, r, 2, total_label)
            for i, v in enumerate(vals):
                ctx.val(r, 3 + i, v, form, "total", colspecs[i][0])
        else:
            W(ws, r, 1, code); W(ws, r, 2, SUBJECT_NAMES.get(code, "其他"))
            ws.cell(row=r, column=1).number_format = "@"
            for i, v in enumerate(vals):
                ctx.val(r, 3 + i, v, form, "subject", colspecs[i][0], code)
        r += 1
    return r


def foreign_table(case, file, ws, rows, begin_row, why):
    """write rows of numbers that must NOT be read"""
    for r, vals in enumerate(rows):
        for c, v in enumerate(vals):
            if isinstance(v, (int, float)):
                W(ws, begin_row + r, c + 1, v, "#,##0.00")
                case.absent(file, ws.title, f"{L(c+1)}{begin_row + r}", why)
            elif v is not None:
                W(ws, begin_row + r, c + 1, v)
