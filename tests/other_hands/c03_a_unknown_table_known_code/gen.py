"""c03: isolate c02 -- a table the catalogue does not have, alone in a workbook, identified only by
(v1) sheet-name code, (v2) code line in the sheet, (v3) title only; (v4) 财决08 by 经济分类 alone."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lib import *
C = Case("c03_a_unknown_table_known_code")
UNIT = "攀枝花市数字化城市联动指挥中心"
CF = {"单位名称": UNIT, "单位代码": "12510400MB1C23456X", "主管部门": "攀枝花市城市管理行政执法局",
      "主管部门代码": "510400013", "单位性质": "事业单位", "报表类型": "单户表", "年度": 2023}

def mk(fname, sheet, title, code_cell, kind):
    wb = openpyxl.Workbook(); wb.remove(wb.active)
    cf = dict(CF); cf["单位代码"] = "12510400MB1C2345" + str(len(C.exp) % 10) + "X"
    cover(wb, cf)
    ws = wb.create_sheet(sheet)
    merge(ws, 1, 1, 1, 7, title)
    if code_cell: W(ws, 2, 7, code_cell)
    W(ws, 3, 1, f"编制单位：{UNIT}"); W(ws, 3, 4, "2023年度"); W(ws, 3, 7, "金额单位：元")
    if kind == "detail05":
        merge(ws, 4, 1, 4, 2, "项目"); W(ws, 5, 1, "科目代码"); W(ws, 5, 2, "科目名称")
        for i, h in enumerate(["合计", "工资福利支出", "商品和服务支出", "对个人和家庭的补助", "资本性支出"]):
            merge(ws, 4, 3 + i, 5, 3 + i, h)
        foreign_table(C, fname, ws, [["合计", None, 8313700.00, 1265300.00, 6929400.00, 119000.00, 0],
                                     ["208", "社会保障和就业支出", 119812.35, 119812.35],
                                     ["212", "城乡社区支出", 8079387.65, 1145487.65, 6929400.00, 4500.00]], 6,
                      "支出决算明细表 (all funds) is not 一般公共预算财政拨款支出决算表")
    elif kind == "basic05_1":
        for p in range(2):
            W(ws, 4, 1 + 3 * p, "科目编码"); W(ws, 4, 2 + 3 * p, "科目名称"); W(ws, 4, 3 + 3 * p, "决算数")
        foreign_table(C, fname, ws, [["301", "工资福利支出", 1365300.00, "302", "商品和服务支出", 128300.00],
                                     ["30101", "基本工资", 470000.00, "30201", "办公费", 35000.00],
                                     ["人员经费合计", None, 1484300.00, "公用经费合计", None, 128300.00]], 5,
                      "基本支出决算明细表 (all funds) is not 一般公共预算财政拨款基本支出决算明细表")
    elif kind == "econ08":
        merge(ws, 4, 1, 4, 2, "项目"); W(ws, 5, 1, "科目编码"); W(ws, 5, 2, "科目名称")
        merge(ws, 4, 3, 5, 3, "合计"); merge(ws, 4, 4, 5, 4, "基本支出"); merge(ws, 4, 5, 5, 5, "项目支出")
        foreign_table(C, fname, ws, [["合计", None, 3622100.00, 1502600.00, 2119500.00],
                                     ["301", "工资福利支出", 1265300.00, 1265300.00, None],
                                     ["30101", "基本工资", 420000.00, 420000.00, None],
                                     ["302", "商品和服务支出", 2237800.00, 118300.00, 2119500.00],
                                     ["30201", "办公费", 30000.00, 30000.00, None],
                                     ["303", "对个人和家庭的补助", 119000.00, 119000.00, None]], 6,
                      "财决08 rows are 经济分类 codes (301..): not 功能分类 subjects of gpb_expenditure")
    wb.save(C.path(fname))

mk("v1_sheetcode.xlsx", "Z05 支出决算明细表(财决05表)", "支出决算明细表", None, "detail05")
mk("v2_codecell.xlsx", "支出决算明细表", "支出决算明细表", "财决05表", "detail05")
mk("v3_title_only.xlsx", "基本支出决算明细表", "基本支出决算明细表", None, "basic05_1")
C.exp.append({"kind": "pad"})
mk("v3b_sheetcode.xlsx", "Z05_1 基本支出决算明细表(财决05-1表)", "基本支出决算明细表", "财决05-1表", "basic05_1")
mk("v4_econ08.xlsx", "Z08 一般公共预算财政拨款支出决算明细表(财决08表)"[:31], "一般公共预算财政拨款支出决算明细表", "财决08表", "econ08")
# v4: the 合计 row of 财决08 is numerically the gpb total; accept it if read
for e in C.exp:
    if e.get("file") == "v4_econ08.xlsx" and e.get("cell") in ("C6", "D6", "E6"):
        e.update(kind="fact", form="gpb_expenditure", item="total", column={"C6": "actual_total", "D6": "basic", "E6": "project"}[e["cell"]],
                 subject_code=None, amount={"C6": "3622100.00", "D6": "1502600.00", "E6": "2119500.00"}[e["cell"]],
                 unit_name=UNIT, year=2023, optional=True, note="")
C.save()
