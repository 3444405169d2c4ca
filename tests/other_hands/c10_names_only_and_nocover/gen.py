"""c10: (1) a public 一般公共预算财政拨款支出决算表 with 科目名称 only (no codes), 款/项 shown by indentation with
全角 spaces -- names such as 行政运行 exist under many 款, so a code may only come from the hierarchy or not at all;
(2) a department 汇总表 with no 封面, identity only from the 编制单位 line and the file name (…_汇总表.xlsx),
beside its 本级 unit's 单户表 (with cover) whose name is the same."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lib import *
sys.path.insert(0, os.path.join(CASES, "c01_a_full_unit"))
import importlib; g1 = importlib.import_module("gen")
C = Case("c10_names_only_and_nocover")

F = "江城市市场监督管理局2023年度部门决算公开表.xlsx"; DEPT = "江城市市场监督管理局"
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "一般公共预算财政拨款支出决算表"
merge(ws, 1, 1, 1, 4, "一般公共预算财政拨款支出决算表"); W(ws, 2, 1, f"部门：{DEPT}"); W(ws, 2, 2, "2023年度"); W(ws, 2, 4, "单位：万元")
merge(ws, 3, 1, 4, 1, "科目名称"); merge(ws, 3, 2, 3, 4, "本年支出"); W(ws, 4, 2, "小计"); W(ws, 4, 3, "基本支出"); W(ws, 4, 4, "项目支出")
ctx = Ctx(C, F, ws, DEPT, 2023, 10000)
rows = [("合计", "total", None, ["1500.00", "1200.00", "300.00"]),
        ("一般公共服务支出", "subject", "201", ["1000.00", "800.00", "200.00"]),
        ("\u3000市场监督管理事务", "subject", "20138", ["1000.00", "800.00", "200.00"]),
        ("\u3000\u3000行政运行", "subject", "2013801", ["800.00", "800.00", None]),
        ("\u3000\u3000市场监管执法", "subject", "2013812", ["200.00", None, "200.00"]),
        ("城乡社区支出", "subject", "212", ["500.00", "400.00", "100.00"]),
        ("\u3000城乡社区管理事务", "subject", "21201", ["500.00", "400.00", "100.00"]),
        ("\u3000\u3000行政运行", "subject", "2120101", ["400.00", "400.00", None]),
        ("\u3000\u3000城管执法", "subject", "2120104", ["100.00", None, "100.00"])]
for i, (lab, item, code, vals) in enumerate(rows):
    r = 5 + i
    W(ws, r, 1, lab)
    for j, v in enumerate(vals):
        ambiguous = code is not None and len(code) > 3
        ctx.val(r, 2 + j, v, "gpb_expenditure", item, ["actual_total", "basic", "project"][j], code,
                optional=ambiguous, note="name-only row; code only from hierarchy")
        if ambiguous and v is not None:
            # reading it is fine only with the right code (checked by the fact above); a wrong code is a misread
            pass
wb.save(C.path(F))

# (2) 汇总表 without cover, next to the 本级 单户表
DIR = "2023/江城市城市管理局/"
cf = {"单位名称": "江城市城市管理局", "单位代码": "11440800MB0000305A", "主管部门": "江城市城市管理局", "主管部门代码": "305",
      "单位性质": "行政单位", "报表类型": "单户表", "年度": 2023}
g1.build(C, DIR + "江城市城市管理局.xlsx", "江城市城市管理局", 2023, g1.SN, cover_fields=cf)
Ctx.mult = D(2)
def drop_cover(wb):
    del wb["封面"]
g1.build(C, DIR + "江城市城市管理局_汇总表.xlsx", "江城市城市管理局", 2023, g1.SN, cover_fields=cf, extra=drop_cover)
C.save()
