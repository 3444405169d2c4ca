"""c06: tricky money. Negative figures written several ways, 合计 ≠ Σ parts (read as written), 亿元-range
figures, 万元 with 4/5/7 decimals, float noise from formulas, text cells with a leading apostrophe
(quotePrefix and a literal ' char), scientific-notation text, merged value cells, a 亿元 table."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lib import *
from openpyxl.styles import Font
C = Case("c06_tricky_money")
RED = '#,##0.00;[Red](#,##0.00)'

# ---------------- B workbook in 万元: 支出决算表 with awkward cells
FB = "江城市应急管理局2023年度部门决算公开表.xlsx"
DEPT = "江城市应急管理局"
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "支出决算表"
merge(ws, 1, 1, 1, 5, "支出决算表"); W(ws, 2, 5, "公开03表")
W(ws, 3, 1, f"部门：{DEPT}"); W(ws, 3, 3, "2023年度"); W(ws, 3, 5, "金额单位：万元")
merge(ws, 4, 1, 4, 2, "项目"); W(ws, 5, 1, "科目编码"); W(ws, 5, 2, "科目名称")
merge(ws, 4, 3, 5, 3, "本年支出合计"); merge(ws, 4, 4, 5, 4, "基本支出"); merge(ws, 4, 5, 5, 5, "项目支出")
ctx = Ctx(C, FB, ws, DEPT, 2023, 10000)
rows = [
    # code, name, [(value, raw, fmt, note)] per column
    ("total", "合计", [("98765432.12", None, None, "亿元 range (9876亿元)"), ("12.3456", None, None, "4 decimals in 万元"), ("98765419.7744", None, None, "4 decimals")]),
    ("201", "一般公共服务支出", [("8929.95", 8929.950000000001, None, "float noise from a formula"), ("7803.25", None, None, ""), ("1126.69", None, None, "")]),
    ("20103", "政府办公厅（室）及相关机构事务", [("4.35", None, None, "4.35*10000 = 43499.999.. in f64"), ("1.15", None, None, "1.15*10000 in f64"), ("0.07", None, None, "")]),
    ("2010301", "行政运行", [("-25.00", None, None, "negative number"), ("-25.00", None, RED, "red parentheses format"), ("0.29", None, None, "")]),
    ("208", "社会保障和就业支出", [("0.0001", None, None, "1 元 in 万元"), ("1.23456", None, None, "5 decimals in 万元 = 12345.6 元"), ("2.675", None, None, "")]),
    ("20805", "行政事业单位养老支出", [("1234.56", "'1234.56", None, "literal apostrophe text"), ("1234.56", "1234.56", "@", "text cell quotePrefix"), ("-25.00", "-25.00", "@", "negative as text")]),
    ("2080505", "机关事业单位基本养老保险缴费支出", [("-25.00", "(25.00)", "@", "half-width parentheses text"), ("100.00", None, None, ""), ("200.00", None, None, "")]),
]
r = 6
for code, name, vals in rows:
    if code == "total": merge(ws, r, 1, r, 2, "合计")
    else: W(ws, r, 1, code); W(ws, r, 2, name)
    for i, (v, raw, fmt, note) in enumerate(vals):
        ctx.val(r, 3 + i, v, "expenditure", "total" if code == "total" else "subject", ["expenditure_total", "basic", "project"][i],
                None if code == "total" else code, fmt=fmt or "#,##0.00", raw=raw, note=note)
        if fmt == "@" or (isinstance(raw, str)):
            ws.cell(row=r, column=3 + i).quotePrefix = True if raw and not raw.startswith("'") else False
    r += 1
# row with a merged value (C:D) -- which column? must not be silently given to one of them
W(ws, r, 1, "210"); W(ws, r, 2, "卫生健康支出"); W(ws, r, 3, 50.0, "#,##0.00"); merge(ws, r, 3, r, 4)
W(ws, r, 5, 0.0)
C.expect_report(FB, "支出决算表", f"C{r}", "value merged over 本年支出合计 and 基本支出: ambiguous")
C.fact(FB, "支出决算表", f"C{r}", "expenditure", "subject", "expenditure_total", "210", "500000.00", DEPT, 2023, optional=True, note="merged C:D")
C.absent(FB, "支出决算表", f"D{r}", "D is covered by the merge")
r += 1
# 7 decimals: 0.001 元 -> not exact to 分
W(ws, r, 1, "213"); W(ws, r, 2, "农林水支出"); W(ws, r, 3, 1.2345678, "0.0000000")
C.fact(FB, "支出决算表", f"C{r}", "expenditure", "subject", "expenditure_total", "213", "12345.68", DEPT, 2023, optional=True, note="7 decimals: 12345.678 元")
C.expect_report(FB, "支出决算表", f"C{r}", "12345.678 元 is not exact to 分")
# scientific-notation text (number turned to text by Excel): precision already lost
W(ws, r, 4, "1.23457E+11", "@")
C.expect_report(FB, "支出决算表", f"D{r}", "text '1.23457E+11' has lost precision")
C.fact(FB, "支出决算表", f"D{r}", "expenditure", "subject", "basic", "213", "1234570000000000", DEPT, 2023, optional=True)
# △ as a minus sign
W(ws, r, 5, "△25.00", "@")
C.fact(FB, "支出决算表", f"E{r}", "expenditure", "subject", "project", "213", "-250000.00", DEPT, 2023, optional=True, note="△ = minus")
C.exp.append(dict(kind="not_amount", file=FB, sheet="支出决算表", cell=f"E{r}", amount="250000.00", why="△25.00 read as +25"))
r += 2
W(ws, r, 1, "注：本表合计数与各分项之和的差异系四舍五入所致。")
wb.save(C.path(FB))

# ---------------- A workbook in 元 with a 亿元 table among 元 tables
FA = "江城市交通运输局_2023_单户表.xlsx"
UNIT = "江城市交通运输局（本级）"
wb = openpyxl.Workbook(); wb.remove(wb.active)
cover(wb, {"单位名称": UNIT, "单位代码": "11440800MB2E00001K", "主管部门": "江城市交通运输局", "主管部门代码": "117",
           "单位性质": "行政单位", "报表类型": "单户表", "年度": 2023})
ws = wb.create_sheet("Z03 收入决算表(财决03表)")
head(ws, "收入决算表", "财决03表", UNIT, 2023, width=4)
ctx = Ctx(C, FA, ws, UNIT, 2023)
subject_table(ctx, "income", [("income_total", "本年收入合计"), ("fiscal_approp", "财政拨款收入")],
              [("total", ["123456789012.34", "123456789012.34"]), ("214", ["123456789012.34", "123456789012.34"]),
               ("21401", ["1234.56", "1234.56"])])  # 合计 ≠ parts for the 款: read as written
ws = wb.create_sheet("Z04 支出决算表(财决04表)")
head(ws, "支出决算表", "财决04表", UNIT, 2023, width=5, unit="亿元")
ctx = Ctx(C, FA, ws, UNIT, 2023, 100000000)
subject_table(ctx, "expenditure", [("expenditure_total", "本年支出合计"), ("basic", "基本支出"), ("project", "项目支出")],
              [("total", ["1234.5678", "0.1234", "1234.4444"]), ("214", ["1234.5678", "0.1234", "1234.4444"])])
# negative 年末结转 in Z01, red parentheses
ws = wb.create_sheet("Z01 收入支出决算总表(财决01表)"); ctx = Ctx(C, FA, ws, UNIT, 2023)
head(ws, "收入支出决算总表", "财决01表", UNIT, 2023, width=10)
z01(ctx, {"gpb_approp_income": (None, None, "123456789012.34"), "income_total": (None, None, "123456789012.34"),
          "carryover_begin": (None, None, "0"), "income_grand_total": (None, None, "123456789012.34")},
    {"214": (None, None, "123456789037.34"), "expenditure_total": (None, None, "123456789037.34"),
     "carryover_end": (None, None, "-25.00"), "expenditure_grand_total": (None, None, "123456789012.34")})
for row in ws.iter_rows():
    for c in row:
        if isinstance(c.value, float) and c.value < 0: c.number_format = RED
wb.save(C.path(FA))

# ---------------- 万元 shown by number format over 元 values (`0!.0000`): the value stored is 元
FC = "江城市水务局2023年度部门决算公开表.xlsx"
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "三公经费"
merge(ws, 1, 1, 1, 3, "财政拨款“三公”经费支出决算表"); W(ws, 2, 1, "部门：江城市水务局"); W(ws, 2, 2, "2023年度"); W(ws, 2, 3, "单位：万元")
for i, h in enumerate(["项目", "预算数", "决算数"]): W(ws, 3, 1 + i, h)
ctx = Ctx(C, FC, ws, "江城市水务局", 2023, 1)
for i, (k, lab, b, a) in enumerate([("sangong_total", "合计", 256000, 234567), ("abroad", "因公出国（境）费", 0, 0),
                                     ("vehicle_total", "公务用车购置及运行费", 200000, 198765), ("vehicle_purchase", "其中：公务用车购置费", 0, 0),
                                     ("vehicle_operation", "公务用车运行费", 200000, 198765), ("reception", "公务接待费", 56000, 35802)]):
    W(ws, 4 + i, 1, lab)
    for j, (col, v) in enumerate([("budget", b), ("actual", a)]):
        W(ws, 4 + i, 2 + j, v, '0!.0000')   # displays 23.4567 (万元) for 234567 (元)
        C.fact(FC, "三公经费", f"{L(2 + j)}{4 + i}", "sangong", k, col, None, str(v), "江城市水务局", 2023, optional=(v == 0),
               note="stored 元, displayed 万元 via format 0!.0000; x10000 would be a unit slip")
wb.save(C.path(FC))
C.save()
