"""c09: 财决01-1 whose 全年预算数 is split by fund (小计/一般公共预算/政府性基金/国有资本经营) like 决算数, and
财决07 whose 全年预算数 is split into 合计/基本支出/项目支出 like 决算数. Budget sub-columns must not be read as
决算 figures (actual_gpb, basic, project …)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lib import *
C = Case("c09_a_budget_split")
UNIT, YEAR = "江城市城市管理局（本级）", 2023
F = "305001_江城市城市管理局（本级）.xlsx"
wb = openpyxl.Workbook(); wb.remove(wb.active)
cover(wb, {"单位名称": UNIT, "单位代码": "11440800007654321A", "主管部门": "江城市城市管理局", "主管部门代码": "305",
           "单位性质": "行政单位", "报表类型": "单户表", "年度": YEAR})
# ---- 财决01-1, expenditure side only needs the split; income side as usual
ws = wb.create_sheet("Z01_1 财政拨款收入支出决算总表(财决01-1表)"); ctx = Ctx(C, F, ws, UNIT, YEAR)
head(ws, "财政拨款收入支出决算总表", "财决01-1表", UNIT, YEAR, width=14)
r = 4
merge(ws, r, 1, r, 4, "收入"); merge(ws, r, 5, r, 14, "支出")
for i, h in enumerate(["项目", "行次", "全年预算数", "决算数"]): merge(ws, r + 1, 1 + i, r + 2, 1 + i, h)
merge(ws, r + 1, 5, r + 2, 5, "项目"); merge(ws, r + 1, 6, r + 2, 6, "行次")
merge(ws, r + 1, 7, r + 1, 10, "全年预算数"); merge(ws, r + 1, 11, r + 1, 14, "决算数")
subs = ["小计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
for i, h in enumerate(subs): W(ws, r + 2, 7 + i, h); W(ws, r + 2, 11 + i, h)
W(ws, r + 3, 1, "栏次"); W(ws, r + 3, 5, "栏次"); W(ws, r + 3, 3, 1); W(ws, r + 3, 4, 2)
for i in range(8): W(ws, r + 3, 7 + i, 3 + i)
r0 = r + 4
W(ws, r0, 1, "一、一般公共预算财政拨款"); W(ws, r0, 2, 1); ctx.val(r0, 3, "9000000.00", "fiscal_total", "gpb_approp", "budget_full"); ctx.val(r0, 4, "8765432.10", "fiscal_total", "gpb_approp", "actual")
W(ws, r0 + 1, 1, "二、政府性基金预算财政拨款"); W(ws, r0 + 1, 2, 2); ctx.val(r0 + 1, 3, "500000.00", "fiscal_total", "gov_fund_approp", "budget_full"); ctx.val(r0 + 1, 4, "456789.00", "fiscal_total", "gov_fund_approp", "actual")
W(ws, r0 + 2, 1, "三、国有资本经营预算财政拨款"); W(ws, r0 + 2, 2, 3)
W(ws, r0 + 3, 1, "本年收入合计"); W(ws, r0 + 3, 2, 4); ctx.val(r0 + 3, 3, "9500000.00", "fiscal_total", "income_total", "budget_full"); ctx.val(r0 + 3, 4, "9222221.10", "fiscal_total", "income_total", "actual")
lines = [("subject", "212", "一、城乡社区支出", ["8600000.00", "8100000.00", "500000.00", None], ["8400000.00", "7943211.00", "456789.00", None]),
         ("subject", "221", "二、住房保障支出", ["900000.00", "900000.00", None, None], ["822221.10", "822221.10", None, None]),
         ("expenditure_total", None, "本年支出合计", ["9500000.00", "9000000.00", "500000.00", None], ["9222221.10", "8765432.10", "456789.00", None])]
for i, (item, code, lab, bud, act) in enumerate(lines):
    rr = r0 + i
    W(ws, rr, 5, lab); W(ws, rr, 6, 32 + i)
    for j, v in enumerate(bud):
        if v is None: continue
        W(ws, rr, 7 + j, num(v), "#,##0.00")
        if j == 0:
            C.fact(F, ws.title, f"{L(7)}{rr}", "fiscal_total", item, "budget_full", code, v, UNIT, YEAR)
        else:
            C.absent(F, ws.title, f"{L(7 + j)}{rr}", "全年预算数 by fund: budget, not 决算 (no key in spec)", need_report=True)
    for j, v in enumerate(act):
        ctx.val(rr, 11 + j, v, "fiscal_total", item, ["actual_total", "actual_gpb", "actual_gov_fund", "actual_soe"][j], code)

# ---- 财决07 with 全年预算数 split
ws = wb.create_sheet("Z07 一般公共预算财政拨款支出决算表(财决07表)"); ctx = Ctx(C, F, ws, UNIT, YEAR)
head(ws, "一般公共预算财政拨款支出决算表", "财决07表", UNIT, YEAR, width=8)
merge(ws, 4, 1, 4, 2, "项目"); W(ws, 5, 1, "科目代码"); W(ws, 5, 2, "科目名称")
merge(ws, 4, 3, 4, 5, "全年预算数"); merge(ws, 4, 6, 4, 8, "决算数")
for i, h in enumerate(["合计", "基本支出", "项目支出"]): W(ws, 5, 3 + i, h); W(ws, 5, 6 + i, h)
merge(ws, 6, 1, 6, 2, "栏次")
for i in range(6): W(ws, 6, 3 + i, i + 1)
rows = [("total", ["9000000.00", "6000000.00", "3000000.00"], ["8765432.10", "5876543.21", "2888888.89"]),
        ("212", ["8100000.00", "5100000.00", "3000000.00"], ["7943211.00", "5054322.11", "2888888.89"]),
        ("221", ["900000.00", "900000.00", None], ["822221.10", "822221.10", None])]
for i, (code, bud, act) in enumerate(rows):
    rr = 7 + i
    if code == "total": merge(ws, rr, 1, rr, 2, "合计")
    else: W(ws, rr, 1, code); W(ws, rr, 2, {"212": "城乡社区支出", "221": "住房保障支出"}[code])
    item = "total" if code == "total" else "subject"; sc = None if code == "total" else code
    for j, v in enumerate(bud):
        if v is None: continue
        W(ws, rr, 3 + j, num(v), "#,##0.00")
        if j == 0:
            C.fact(F, ws.title, f"C{rr}", "gpb_expenditure", item, "budget_full", sc, v, UNIT, YEAR)
        else:
            C.absent(F, ws.title, f"{L(3 + j)}{rr}", "全年预算数/基本支出|项目支出 is budget, not 决算", need_report=True)
    for j, v in enumerate(act):
        ctx.val(rr, 6 + j, v, "gpb_expenditure", item, ["actual_total", "basic", "project"][j], sc)
wb.save(C.path(F))
C.save()

# ---- second file: the budget sub-column has a figure where the 决算 cell is blank (nothing spent)
F2 = "305009_江城市环境卫生管理处.xlsx"; U2 = "江城市环境卫生管理处"
wb = openpyxl.Workbook(); wb.remove(wb.active)
cover(wb, {"单位名称": U2, "单位代码": "12440800007654329B", "主管部门": "江城市城市管理局", "主管部门代码": "305",
           "单位性质": "事业单位", "报表类型": "单户表", "年度": YEAR})
ws = wb.create_sheet("Z07 一般公共预算财政拨款支出决算表(财决07表)"); ctx = Ctx(C, F2, ws, U2, YEAR)
head(ws, "一般公共预算财政拨款支出决算表", "财决07表", U2, YEAR, width=8)
merge(ws, 4, 1, 4, 2, "项目"); W(ws, 5, 1, "科目代码"); W(ws, 5, 2, "科目名称")
merge(ws, 4, 3, 4, 5, "全年预算数"); merge(ws, 4, 6, 4, 8, "决算数")
for i, h in enumerate(["合计", "基本支出", "项目支出"]): W(ws, 5, 3 + i, h); W(ws, 5, 6 + i, h)
rows = [("212", ["2500000.00", "2000000.00", "500000.00"], ["2000000.00", "2000000.00", None]),   # project budgeted, nothing spent
        ("21205", ["2500000.00", "2000000.00", "500000.00"], ["2000000.00", "2000000.00", "—"])]
for i, (code, bud, act) in enumerate(rows):
    rr = 6 + i
    W(ws, rr, 1, code); W(ws, rr, 2, SUBJECT_NAMES.get(code, "城乡社区环境卫生"))
    for j, v in enumerate(bud):
        W(ws, rr, 3 + j, num(v), "#,##0.00")
        if j == 0:
            C.fact(F2, ws.title, f"C{rr}", "gpb_expenditure", "subject", "budget_full", code, v, U2, YEAR)
        else:
            C.absent(F2, ws.title, f"{L(3 + j)}{rr}", "全年预算数 sub-column is budget; 决算 of that column is blank/—", need_report=True)
    for j, v in enumerate(act):
        if v == "—": W(ws, rr, 6 + j, "—"); continue
        ctx.val(rr, 6 + j, v, "gpb_expenditure", "subject", ["actual_total", "basic", "project"][j], code)
wb.save(C.path(F2))
C.save()
