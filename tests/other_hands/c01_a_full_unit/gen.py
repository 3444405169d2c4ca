"""c01: complete 财决 单户表 as exported by the reporting software (seed 002 figures, in 元)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lib import *

C = Case("c01_a_full_unit")
UNIT, YEAR = "攀枝花市数字化城市联动指挥中心", 2020
FILE = "510400_攀枝花市数字化城市联动指挥中心_2020.xlsx"


def build(C, FILE, UNIT, YEAR, sheetnames, extra=None, cover_fields=None):
    wb = openpyxl.Workbook(); wb.remove(wb.active)
    cover(wb, cover_fields or {"单位名称": UNIT, "单位代码": "12510400MB1C23456X", "主管部门": "攀枝花市城市管理行政执法局",
                "主管部门代码": "510400013", "单位性质": "事业单位", "报表类型": "单户表", "年度": YEAR})
    # Z01
    ws = wb.create_sheet(sheetnames["01"]); ctx = Ctx(C, FILE, ws, UNIT, YEAR)
    head(ws, "收入支出决算总表", "财决01表", UNIT, YEAR, width=10)
    z01(ctx, {"gpb_approp_income": ("1850000.00", "1902200.00", "1902200.00"),
              "gov_fund_approp_income": (None, "4691600.00", "4691600.00"),
              "income_total": ("1850000.00", "6593800.00", "6593800.00"),
              "carryover_begin": (None, None, "1719900.00"),
              "income_grand_total": (None, None, "8313700.00")},
        {"208": ("115000.00", "119800.00", "119812.35"), "212": ("1620000.00", "8079400.00", "8079387.65"),
         "221": ("115000.00", "114500.00", "114500.00"),
         "expenditure_total": ("1850000.00", "8313700.00", "8313700.00"),
         "carryover_end": (None, None, "0"), "expenditure_grand_total": (None, None, "8313700.00")})
    # Z01_1
    ws = wb.create_sheet(sheetnames["01-1"]); ctx = Ctx(C, FILE, ws, UNIT, YEAR)
    head(ws, "财政拨款收入支出决算总表", "财决01-1表", UNIT, YEAR, width=11)
    z01_1(ctx, {"gpb_approp": ("1902200.00", "1902200.00"), "gov_fund_approp": ("4691600.00", "4691600.00"),
                "income_total": ("6593800.00", "6593800.00"), "carryover_begin": (None, "1719900.00"),
                "carryover_begin_gpb": (None, "1719900.00"), "income_grand_total": (None, "8313700.00")},
          {"208": ("119800.00", "119812.35", "119812.35", None, None),
           "212": ("8079400.00", "8079387.65", "3387787.65", "4691600.00", None),
           "221": ("114500.00", "114500.00", "114500.00", None, None),
           "expenditure_total": ("8313700.00", "8313700.00", "3622100.00", "4691600.00", None),
           "expenditure_grand_total": (None, "8313700.00", "3622100.00", "4691600.00", None)})
    # Z03 收入决算表
    ws = wb.create_sheet(sheetnames["03"]); ctx = Ctx(C, FILE, ws, UNIT, YEAR)
    head(ws, "收入决算表", "财决03表", UNIT, YEAR, width=9)
    z = None
    subject_table(ctx, "income", [("income_total", "本年收入合计"), ("fiscal_approp", "财政拨款收入"),
                                   ("superior_subsidy", "上级补助收入"), ("business", "事业收入"), ("operating", "经营收入"),
                                   ("affiliated_remit", "附属单位上缴收入"), ("other", "其他收入")],
                  [("total", ["6593800.00", "6593800.00", z, z, z, z, z]),
                   ("208", ["119812.35", "119812.35"]), ("20805", ["119812.35", "119812.35"]),
                   ("2080505", ["119812.35", "119812.35"]),
                   ("212", ["6359487.65", "6359487.65"]), ("21201", ["1667887.65", "1667887.65"]),
                   ("2120199", ["1667887.65", "1667887.65"]), ("21208", ["4691600.00", "4691600.00"]),
                   ("2120899", ["4691600.00", "4691600.00"]),
                   ("221", ["114500.00", "114500.00"]), ("22102", ["114500.00", "114500.00"]),
                   ("2210201", ["114500.00", "114500.00"])])
    # Z04 支出决算表
    ws = wb.create_sheet(sheetnames["04"]); ctx = Ctx(C, FILE, ws, UNIT, YEAR)
    head(ws, "支出决算表", "财决04表", UNIT, YEAR, width=8)
    subject_table(ctx, "expenditure", [("expenditure_total", "本年支出合计"), ("basic", "基本支出"), ("project", "项目支出"),
                                        ("upper_remit", "上缴上级支出"), ("operating", "经营支出"),
                                        ("affiliated_subsidy", "对附属单位补助支出")],
                  [("total", ["8313700.00", "1502600.00", "6811100.00"]),
                   ("208", ["119812.35", "119812.35", None]), ("20805", ["119812.35", "119812.35"]),
                   ("2080505", ["119812.35", "119812.35"]),
                   ("212", ["8079387.65", "1268287.65", "6811100.00"]),
                   ("21201", ["3387787.65", "1268287.65", "2119500.00"]),
                   ("2120101", ["1268287.65", "1268287.65"]), ("2120199", ["2119500.00", None, "2119500.00"]),
                   ("21208", ["4691600.00", None, "4691600.00"]), ("2120899", ["4691600.00", None, "4691600.00"]),
                   ("221", ["114500.00", "114500.00"]), ("22102", ["114500.00", "114500.00"]),
                   ("2210201", ["114500.00", "114500.00"])])
    # Z05 项目支出决算表: NOT 支出决算表
    ws = wb.create_sheet(sheetnames["05"])
    head(ws, "项目支出决算表", "财决05表", UNIT, YEAR, width=8)
    for i, h in enumerate(["项目名称", "科目代码", "本年支出合计", "工资福利支出", "商品和服务支出", "对个人和家庭的补助", "资本性支出", "其他"]):
        W(ws, 4, i + 1, h)
    foreign_table(C, FILE, ws, [["合计", None, 6811100.00, 0, 6811100.00, 0, 0, 0],
                                ["数字化城管运行经费", "2120199", 1452800.00, None, 1452800.00],
                                ["12345热线运行经费", "2120199", 666700.00, None, 666700.00],
                                ["城市综合管理服务平台建设", "2120899", 4691600.00, None, 4691600.00]], 5,
                  "项目支出决算表 is not 支出决算表")
    # Z07 一般公共预算财政拨款支出决算表
    ws = wb.create_sheet(sheetnames["07"]); ctx = Ctx(C, FILE, ws, UNIT, YEAR)
    head(ws, "一般公共预算财政拨款支出决算表", "财决07表", UNIT, YEAR, width=6)
    r = 4
    merge(ws, r, 1, r, 2, "项目"); W(ws, r + 1, 1, "科目代码"); W(ws, r + 1, 2, "科目名称")
    merge(ws, r, 3, r + 1, 3, "全年预算数"); merge(ws, r, 4, r, 6, "决算数")
    W(ws, r + 1, 4, "合计"); W(ws, r + 1, 5, "基本支出"); W(ws, r + 1, 6, "项目支出")
    merge(ws, r + 2, 1, r + 2, 2, "栏次")
    for i in range(4): W(ws, r + 2, 3 + i, i + 1)
    rows = [("total", ["3622100.00", "3622100.00", "1502600.00", "2119500.00"]),
            ("208", ["119800.00", "119812.35", "119812.35", None]), ("20805", ["119800.00", "119812.35", "119812.35", None]),
            ("2080505", ["119800.00", "119812.35", "119812.35", None]),
            ("212", ["3400000.00", "3387787.65", "1268287.65", "2119500.00"]),
            ("21201", ["3400000.00", "3387787.65", "1268287.65", "2119500.00"]),
            ("2120101", ["1270000.00", "1268287.65", "1268287.65", None]),
            ("2120199", ["2130000.00", "2119500.00", None, "2119500.00"]),
            ("221", ["114500.00", "114500.00", "114500.00", None]), ("22102", ["114500.00", "114500.00", "114500.00", None]),
            ("2210201", ["114500.00", "114500.00", "114500.00", None])]
    r += 3
    for code, vals in rows:
        if code == "total":
            merge(ws, r, 1, r, 2, "合计")
        else:
            W(ws, r, 1, code); W(ws, r, 2, SUBJECT_NAMES[code])
        for i, v in enumerate(vals):
            ctx.val(r, 3 + i, v, "gpb_expenditure", "total" if code == "total" else "subject",
                    ["budget_full", "actual_total", "basic", "project"][i], None if code == "total" else code)
        r += 1
    # Z08_1 基本支出明细 three panels
    ws = wb.create_sheet(sheetnames["08-1"]); ctx = Ctx(C, FILE, ws, UNIT, YEAR)
    head(ws, "一般公共预算财政拨款基本支出决算明细表", "财决08-1表", UNIT, YEAR, width=9)
    merge(ws, 4, 1, 4, 3, "人员经费"); merge(ws, 4, 4, 4, 9, "公用经费")
    for p in range(3):
        W(ws, 5, 1 + 3 * p, "科目编码"); W(ws, 5, 2 + 3 * p, "科目名称"); W(ws, 5, 3 + 3 * p, "决算数")
    p1 = [("301", "工资福利支出", "1265300.00"), ("30101", "基本工资", "420000.00"), ("30102", "津贴补贴", "310000.00"),
          ("30103", "奖金", "35000.00"), ("30107", "绩效工资", "180000.00"),
          ("30108", "机关事业单位基本养老保险缴费", "119812.35"), ("30110", "职工基本医疗保险缴费", "60000.00"),
          ("30113", "住房公积金", "114500.00"), ("30199", "其他工资福利支出", "25987.65"),
          ("303", "对个人和家庭的补助", "119000.00"), ("30302", "退休费", "100000.00"), ("30305", "生活补助", "19000.00")]
    p2 = [("302", "商品和服务支出", "118300.00"), ("30201", "办公费", "30000.00"), ("30205", "水费", "2000.00"),
          ("30206", "电费", "15000.00"), ("30207", "邮电费", "8000.00"), ("30211", "差旅费", "12000.00"),
          ("30212", "因公出国（境）费用", None), ("30213", "维修（护）费", "10000.00"), ("30217", "公务接待费", "1800.00"),
          ("30228", "工会经费", "9000.00"), ("30231", "公务用车运行维护费", "9400.00"), ("30299", "其他商品和服务支出", "21100.00")]
    p3 = [("307", "债务利息及费用支出", None), ("310", "资本性支出", None), ("31002", "办公设备购置", None),
          ("31013", "公务用车购置", None), ("399", "其他支出", None)]
    for p, lines in enumerate([p1, p2, p3]):
        for i, (code, name, v) in enumerate(lines):
            W(ws, 6 + i, 1 + 3 * p, code); W(ws, 6 + i, 2 + 3 * p, name)
            ctx.val(6 + i, 3 + 3 * p, v, "gpb_basic_detail", "subject", "actual", code)
    rr = 6 + 12
    merge(ws, rr, 1, rr, 2, "人员经费合计"); ctx.val(rr, 3, "1384300.00", "gpb_basic_detail", "personnel_total", "actual")
    merge(ws, rr, 4, rr, 8, "公用经费合计"); ctx.val(rr, 9, "118300.00", "gpb_basic_detail", "public_total", "actual")
    # Z09 政府性基金
    ws = wb.create_sheet(sheetnames["09"]); ctx = Ctx(C, FILE, ws, UNIT, YEAR)
    head(ws, "政府性基金预算财政拨款收入支出决算表", "财决09表", UNIT, YEAR, width=8)
    r = 4
    merge(ws, r, 1, r, 2, "项目"); W(ws, r + 2, 1, "科目代码"); W(ws, r + 2, 2, "科目名称")
    merge(ws, r, 3, r + 2, 3, "年初结转和结余"); merge(ws, r, 4, r + 2, 4, "本年收入")
    merge(ws, r, 5, r, 7, "本年支出"); merge(ws, r + 1, 5, r + 2, 5, "小计")
    merge(ws, r + 1, 6, r + 2, 6, "基本支出"); merge(ws, r + 1, 7, r + 2, 7, "项目支出"); merge(ws, r, 8, r + 2, 8, "年末结转和结余")
    merge(ws, r + 3, 1, r + 3, 2, "栏次")
    for i in range(6): W(ws, r + 3, 3 + i, i + 1)
    cols = ["carryover_begin", "income", "expenditure_total", "basic", "project", "carryover_end"]
    r += 4
    for code, vals in [("total", [None, "4691600.00", "4691600.00", None, "4691600.00", None]),
                       ("212", [None, "4691600.00", "4691600.00", None, "4691600.00", None]),
                       ("21208", [None, "4691600.00", "4691600.00", None, "4691600.00", None]),
                       ("2120899", [None, "4691600.00", "4691600.00", None, "4691600.00", None])]:
        if code == "total": merge(ws, r, 1, r, 2, "合计")
        else: W(ws, r, 1, code); W(ws, r, 2, SUBJECT_NAMES[code])
        for i, v in enumerate(vals):
            ctx.val(r, 3 + i, v, "gov_fund", "total" if code == "total" else "subject", cols[i], None if code == "total" else code)
        r += 1
    # Z10 国有资本经营: empty with note
    ws = wb.create_sheet(sheetnames["10"])
    head(ws, "国有资本经营预算财政拨款收入支出决算表", "财决10表", UNIT, YEAR, width=8)
    merge(ws, 4, 1, 4, 2, "项目"); W(ws, 5, 1, "科目代码"); W(ws, 5, 2, "科目名称")
    for i, h in enumerate(["年初结转和结余", "本年收入", "本年支出", "基本支出", "项目支出", "年末结转和结余"]):
        W(ws, 4, 3 + i, h)
    merge(ws, 6, 1, 6, 2, "合计")
    W(ws, 8, 1, "注：本单位无国有资本经营预算财政拨款收入和支出，故本表无数据。")
    # F06 三公 wide with 栏次
    ws = wb.create_sheet(sheetnames["sg"]); ctx = Ctx(C, FILE, ws, UNIT, YEAR)
    head(ws, "财政拨款“三公”经费支出决算表", "财决附02表", UNIT, YEAR, width=12)
    merge(ws, 4, 1, 4, 6, "预算数"); merge(ws, 4, 7, 4, 12, "决算数")
    for b in (0, 6):
        merge(ws, 5, 1 + b, 6, 1 + b, "合计"); merge(ws, 5, 2 + b, 6, 2 + b, "因公出国（境）费")
        merge(ws, 5, 3 + b, 5, 5 + b, "公务用车购置及运行费"); W(ws, 6, 3 + b, "小计"); W(ws, 6, 4 + b, "公务用车购置费")
        W(ws, 6, 5 + b, "公务用车运行费"); merge(ws, 5, 6 + b, 6, 6 + b, "公务接待费")
    for i in range(12): W(ws, 7, 1 + i, i + 1)
    items = ["sangong_total", "abroad", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception"]
    for i, v in enumerate(["19000.00", "0", "16200.00", "0", "16200.00", "2800.00"]):
        ctx.val(8, 1 + i, v, "sangong", items[i], "budget")
    for i, v in enumerate(["11200.00", "0", "9400.00", "0", "9400.00", "1800.00"]):
        ctx.val(8, 7 + i, v, "sangong", items[i], "actual")
    if extra: extra(wb)
    wb.save(C.path(FILE))


SN = {"01": "Z01 收入支出决算总表(财决01表)", "01-1": "Z01_1 财政拨款收入支出决算总表(财决01-1表)",
      "03": "Z03 收入决算表(财决03表)", "04": "Z04 支出决算表(财决04表)", "05": "Z05 项目支出决算表(财决05表)",
      "07": "Z07 一般公共预算财政拨款支出决算表(财决07表)", "08-1": "Z08_1 一般公共预算财政拨款基本支出决算明细表(财决08-",
      "09": "Z09 政府性基金预算财政拨款收入支出决算表(财决09表)", "10": "Z10 国有资本经营预算财政拨款收入支出决算表(财决10表)",
      "sg": "F06 财政拨款“三公”经费支出决算表(财决附02表)"}
if __name__ == "__main__":
    assert len(SN["08-1"]) == 31
    build(C, FILE, UNIT, YEAR, SN)
    C.save()
