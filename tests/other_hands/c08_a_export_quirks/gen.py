"""c08: 财决 export quirks. Sheets named by code only (Z01, Z01_1, Z03, F06, Z08_1) with the unit name and
year inside the title; a 行次 column with no heading (项目 merged over it); 栏次 row with 甲/乙; 单位代码 stored
as a number; 三公 with 公务接待费 split into 国内接待/外事接待 and a 机关运行经费 column; a sheet whose year line
says 2022 in a 2023 workbook (template copied)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lib import *
C = Case("c08_a_export_quirks")
UNIT, YEAR = "江城市园林绿化服务中心", 2023
F = "江城市园林绿化服务中心.xlsx"
wb = openpyxl.Workbook(); wb.remove(wb.active)
ws = cover(wb, {"单位名称": UNIT, "单位代码": 305007, "主管部门": "江城市城市管理局", "主管部门代码": 305,
                "单位性质": "公益一类事业单位", "报表类型": "单户表", "年度": 2023})

# Z01 with unnamed 行次 column (项目 merged over A:B), 栏次 row 甲/乙
ws = wb.create_sheet("Z01"); ctx = Ctx(C, F, ws, UNIT, YEAR)
merge(ws, 1, 1, 1, 8, f"{UNIT}{YEAR}年度收入支出决算总表")
W(ws, 2, 8, "财决01表"); W(ws, 3, 8, "金额单位：元")
merge(ws, 4, 1, 4, 4, "收入"); merge(ws, 4, 5, 4, 8, "支出")
merge(ws, 5, 1, 5, 2, "项目"); W(ws, 5, 3, "全年预算数"); W(ws, 5, 4, "决算数")
merge(ws, 5, 5, 5, 6, "项目"); W(ws, 5, 7, "全年预算数"); W(ws, 5, 8, "决算数")
for c, v in zip(range(1, 9), ["甲", "乙", 1, 2, "甲", "乙", 3, 4]): W(ws, 6, c, v)
inc = [("gpb_approp_income", "一、一般公共预算财政拨款收入", "5000000.00", "4876543.21"),
       ("business_income", "五、事业收入", None, "123456.79"),
       ("income_total", "本年收入合计", "5000000.00", "5000000.00"),
       ("carryover_begin", "年初结转和结余", None, "300000.00"),
       ("income_grand_total", "总计", None, "5300000.00")]
exp = [("subject", "212", "一、城乡社区支出", "4600000.00", "4512345.67"),
       ("subject", "221", "二、住房保障支出", "400000.00", "387654.33"),
       ("expenditure_total", None, "本年支出合计", "5000000.00", "4900000.00"),
       ("carryover_end", None, "年末结转和结余", None, "400000.00"),
       ("expenditure_grand_total", None, "总计", None, "5300000.00")]
for i in range(5):
    r = 7 + i
    k, lab, b, a = inc[i]
    W(ws, r, 1, lab); W(ws, r, 2, i + 1)
    ctx.val(r, 3, b, "income_expenditure_total", k, "budget_full"); ctx.val(r, 4, a, "income_expenditure_total", k, "actual")
    k, code, lab, b, a = exp[i]
    W(ws, r, 5, lab); W(ws, r, 6, 20 + i)
    ctx.val(r, 7, b, "income_expenditure_total", k, "budget_full", code); ctx.val(r, 8, a, "income_expenditure_total", k, "actual", code)
    C.absent(F, "Z01", f"B{r}", "行次 number under a merged 项目 heading"); C.absent(F, "Z01", f"F{r}", "行次 number")

# Z03 收入决算表, sheet named by code only; year line copied from last year's template
ws = wb.create_sheet("Z03"); ctx = Ctx(C, F, ws, UNIT, YEAR)
merge(ws, 1, 1, 1, 4, "收入决算表"); W(ws, 2, 4, "财决03表")
W(ws, 3, 1, f"编制单位：{UNIT}"); W(ws, 3, 3, "2022年度"); W(ws, 3, 4, "金额单位：元")
subject_table(ctx, "income", [("income_total", "本年收入合计"), ("fiscal_approp", "财政拨款收入")],
              [("total", ["5000000.00", "4876543.21"]), ("212", ["4612345.67", "4488888.88"]), ("221", ["387654.33", "387654.33"])])
C.expect_report(F, "Z03", None, "sheet says 2022年度 inside a 2023 workbook")

# F06 三公 with 接待 split and 机关运行经费
ws = wb.create_sheet("F06"); ctx = Ctx(C, F, ws, UNIT, YEAR)
merge(ws, 1, 1, 1, 9, f"{UNIT}财政拨款“三公”经费支出决算表")
W(ws, 2, 9, "财决附02表"); W(ws, 3, 1, f"{YEAR}年度"); W(ws, 3, 9, "金额单位：元")
merge(ws, 4, 1, 6, 1, "项目")
merge(ws, 4, 2, 6, 2, "合计"); merge(ws, 4, 3, 6, 3, "因公出国（境）费")
merge(ws, 4, 4, 4, 6, "公务用车购置及运行费"); merge(ws, 5, 4, 6, 4, "小计"); merge(ws, 5, 5, 6, 5, "公务用车购置费"); merge(ws, 5, 6, 6, 6, "公务用车运行费")
merge(ws, 4, 7, 4, 9, "公务接待费"); merge(ws, 5, 7, 6, 7, "小计"); merge(ws, 5, 8, 6, 8, "国内接待费"); merge(ws, 5, 9, 6, 9, "外事接待费")
merge(ws, 4, 10, 6, 10, "机关运行经费")
items = ["sangong_total", "abroad", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception"]
for r, col, vals in [(7, "budget", ["96000.00", "0", "80000.00", "0", "80000.00", "16000.00", "15000.00", "1000.00", "350000.00"]),
                     (8, "actual", ["87654.32", "0", "76543.21", "0", "76543.21", "11111.11", "11111.11", "0", "345678.90"])]:
    W(ws, r, 1, "预算数" if col == "budget" else "决算数")
    for i, v in enumerate(vals):
        c = 2 + i
        if i < 6:
            ctx.val(r, c, v, "sangong", items[i], col)
        elif i in (6, 7):
            W(ws, r, c, num(v), "#,##0.00")
            C.absent(F, "F06", f"{L(c)}{r}", "国内/外事接待 are parts of 公务接待费, not the item itself")
            if D(v) != 0:
                C.exp.append(dict(kind="report", file=F, sheet="F06", cell=f"{L(c)}{r}", why="sub-column of 公务接待费 must be reported when not read"))
        else:
            ctx.val(r, c, v, "sangong", "admin_operating_cost", col)

# Z08_1 named by code only, title with unit and year
ws = wb.create_sheet("Z08_1"); ctx = Ctx(C, F, ws, UNIT, YEAR)
merge(ws, 1, 1, 1, 6, f"{UNIT}{YEAR}年度一般公共预算财政拨款基本支出决算明细表")
W(ws, 2, 6, "财决08-1表"); W(ws, 3, 6, "金额单位：元")
merge(ws, 4, 1, 4, 3, "人员经费"); merge(ws, 4, 4, 4, 6, "公用经费")
for p in range(2):
    W(ws, 5, 1 + 3 * p, "科目编码"); W(ws, 5, 2 + 3 * p, "科目名称"); W(ws, 5, 3 + 3 * p, "决算数")
p1 = [(30101, "基本工资", "1234567.89"), (30102, "津贴补贴", "765432.11"), (30301, "离休费", "50000.00")]
p2 = [(30201, "办公费", "12345.60"), (30231, "公务用车运行维护费", "76543.21"), (31013, "公务用车购置", None)]
for p, lines in enumerate([p1, p2]):
    for i, (code, name, v) in enumerate(lines):
        W(ws, 6 + i, 1 + 3 * p, code); W(ws, 6 + i, 2 + 3 * p, name)
        ctx.val(6 + i, 3 + 3 * p, v, "gpb_basic_detail", "subject", "actual", str(code))
merge(ws, 9, 1, 9, 2, "人员经费合计"); ctx.val(9, 3, "2050000.00", "gpb_basic_detail", "personnel_total", "actual")
merge(ws, 9, 4, 9, 5, "公用经费合计"); ctx.val(9, 6, "88888.81", "gpb_basic_detail", "public_total", "actual")
wb.save(C.path(F))
C.save()

# second workbook: 三公 in the usual orientation (预算数 | 决算数 groups) with 接待 split and 机关运行经费
F2 = "江城市园林绿化服务中心_三公.xlsx"
wb = openpyxl.Workbook(); wb.remove(wb.active)
cover(wb, {"单位名称": "江城市园林绿化养护所", "单位代码": 305008, "主管部门": "江城市城市管理局", "主管部门代码": 305,
           "单位性质": "事业单位", "报表类型": "单户表", "年度": 2023})
ws = wb.create_sheet("F06"); ctx = Ctx(C, F2, ws, "江城市园林绿化养护所", YEAR)
merge(ws, 1, 1, 1, 18, "财政拨款“三公”经费支出决算表"); W(ws, 2, 18, "财决附02表"); W(ws, 3, 1, "编制单位：江城市园林绿化养护所"); W(ws, 3, 18, "金额单位：元")
heads = ["合计", "因公出国（境）费", ("公务用车购置及运行费", ["小计", "公务用车购置费", "公务用车运行费"]), ("公务接待费", ["小计", "国内接待费", "外事接待费"])]
for b, grp in ((0, "预算数"), (8, "决算数")):
    merge(ws, 4, 1 + b, 4, 8 + b, grp)
    merge(ws, 5, 1 + b, 6, 1 + b, "合计"); merge(ws, 5, 2 + b, 6, 2 + b, "因公出国（境）费")
    merge(ws, 5, 3 + b, 5, 5 + b, "公务用车购置及运行费")
    for i, h in enumerate(["小计", "公务用车购置费", "公务用车运行费"]): W(ws, 6, 3 + b + i, h)
    merge(ws, 5, 6 + b, 5, 8 + b, "公务接待费")
    for i, h in enumerate(["小计", "国内接待费", "外事接待费"]): W(ws, 6, 6 + b + i, h)
merge(ws, 4, 17, 6, 17, "机关运行经费决算数")
keys = ["sangong_total", "abroad", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception", None, None]
for b, col, vals in ((0, "budget", ["96000.00", "0", "80000.00", "0", "80000.00", "16000.00", "15000.00", "1000.00"]),
                     (8, "actual", ["87654.32", "0", "76543.21", "0", "76543.21", "11111.11", "11111.11", "0"])):
    for i, v in enumerate(vals):
        if keys[i]:
            ctx.val(7, 1 + b + i, v, "sangong", keys[i], col)
        else:
            W(ws, 7, 1 + b + i, num(v), "#,##0.00")
            C.absent(F2, "F06", f"{L(1 + b + i)}7", "国内/外事接待 are parts of 公务接待费")
ctx.val(7, 17, "345678.90", "sangong", "admin_operating_cost", "actual")
wb.save(C.path(F2))
C.save()
