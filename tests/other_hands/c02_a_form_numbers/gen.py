"""c02: form numbers that shift between years; sheet codes that point at another form in the catalogue;
tables the catalogue does not have but whose code it knows (财决05 支出决算明细表, 财决05-1 基本支出决算明细表 (all funds),
财决08 一般公共预算财政拨款支出决算明细表 by 经济分类)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lib import *
sys.path.insert(0, os.path.join(CASES, "c01_a_full_unit"))
import importlib; g1 = importlib.import_module("gen")

C = Case("c02_a_form_numbers")
UNIT = "攀枝花市数字化城市联动指挥中心"

# 2019: old numbering. basic detail = 财决05-1; gov fund = 财决06; SOE = 财决07 (code of gpb_expenditure in newer years)
SN19 = {"01": "Z01 收入支出决算总表(财决01表)", "01-1": "Z01_1 财政拨款收入支出决算总表(财决01-1表)",
        "03": "Z03 收入决算表(财决03表)", "04": "Z04 支出决算表(财决04表)", "05": "Z10 项目支出决算表(财决10表)",
        "07": "Z05 一般公共预算财政拨款支出决算表(财决05表)", "08-1": "Z05_1 一般公共预算财政拨款基本支出决算明细表(财决05-",
        "09": "Z06 政府性基金预算财政拨款收入支出决算表(财决06表)", "10": "Z07 国有资本经营预算财政拨款收入支出决算表(财决07表)",
        "sg": "F02 财政拨款“三公”经费支出决算表(财决附02表)"}
SN19 = {k: v[:31] for k, v in SN19.items()}
F19 = "2019/510400_攀枝花市数字化城市联动指挥中心.xlsx"
g1.build(C, F19, UNIT, 2019, SN19, cover_fields={"单位名称": UNIT, "单位代码": "12510400MB1C23456X",
         "主管部门": "攀枝花市城市管理行政执法局", "主管部门代码": "510400013", "单位性质": "事业单位", "报表类型": "单户表", "年度": 2019})

# 2023: newer numbering + extra tables not in the catalogue whose codes the catalogue knows
SN23 = {"01": "Z01 收入支出决算总表(财决01表)", "01-1": "Z01_1 财政拨款收入支出决算总表(财决01-1表)",
        "03": "Z03 收入决算表(财决03表)", "04": "Z04 支出决算表(财决04表)", "05": "Z06 项目收入支出决算表(财决06表)",
        "07": "Z07 一般公共预算财政拨款支出决算表(财决07表)", "08-1": "Z08_1 一般公共预算财政拨款基本支出决算明细表(财决08-",
        "09": "Z09 政府性基金预算财政拨款收入支出决算表(财决09表)", "10": "Z10 国有资本经营预算财政拨款收入支出决算表(财决10表)",
        "sg": "F06 财政拨款“三公”经费支出决算表(财决附02表)"}
F23 = "2023/510400_攀枝花市数字化城市联动指挥中心.xlsx"


def extra(wb):
    # 财决05 支出决算明细表: functional rows x economic columns, ALL funds.  Not 一般公共预算财政拨款支出决算表.
    ws = wb.create_sheet("Z05 支出决算明细表(财决05表)", 5)
    head(ws, "支出决算明细表", "财决05表", UNIT, 2023, width=7)
    merge(ws, 4, 1, 4, 2, "项目"); W(ws, 5, 1, "科目代码"); W(ws, 5, 2, "科目名称")
    for i, h in enumerate(["合计", "工资福利支出", "商品和服务支出", "对个人和家庭的补助", "资本性支出"]):
        merge(ws, 4, 3 + i, 5, 3 + i, h)
    foreign_table(C, F23, ws, [["合计", None, 8313700.00, 1265300.00, 6929400.00, 119000.00, 0],
                               ["208", "社会保障和就业支出", 119812.35, 119812.35],
                               ["212", "城乡社区支出", 8079387.65, 1145487.65, 6929400.00, 4500.00],
                               ["221", "住房保障支出", 114500.00, None, None, 114500.00]], 6,
                  "支出决算明细表 (财决05, all funds, economic columns) is not 一般公共预算财政拨款支出决算表")
    ws["A6"] = "合计"
    # 财决05-1 基本支出决算明细表 (all funds): not the 一般公共预算财政拨款 one
    ws = wb.create_sheet("Z05_1 基本支出决算明细表(财决05-1表)", 6)
    head(ws, "基本支出决算明细表", "财决05-1表", UNIT, 2023, width=6)
    for p in range(2):
        W(ws, 4, 1 + 3 * p, "科目编码"); W(ws, 4, 2 + 3 * p, "科目名称"); W(ws, 4, 3 + 3 * p, "决算数")
    foreign_table(C, F23, ws, [["301", "工资福利支出", 1365300.00, "302", "商品和服务支出", 128300.00],
                               ["30101", "基本工资", 470000.00, "30201", "办公费", 35000.00],
                               ["303", "对个人和家庭的补助", 119000.00, "310", "资本性支出", 0],
                               ["人员经费合计", None, 1484300.00, "公用经费合计", None, 128300.00]], 5,
                  "基本支出决算明细表 (财决05-1, all funds) is not 一般公共预算财政拨款基本支出决算明细表")
    # 财决08 一般公共预算财政拨款支出决算明细表 by 经济分类 (rows 301..): economic codes are not 功能分类 subjects
    ws = wb.create_sheet("Z08 一般公共预算财政拨款支出决算明细表(财决08表)"[:31], 8)
    head(ws, "一般公共预算财政拨款支出决算明细表", "财决08表", UNIT, 2023, width=5)
    merge(ws, 4, 1, 4, 2, "项目"); W(ws, 5, 1, "科目编码"); W(ws, 5, 2, "科目名称")
    merge(ws, 4, 3, 5, 3, "合计"); merge(ws, 4, 4, 5, 4, "基本支出"); merge(ws, 4, 5, 5, 5, "项目支出")
    foreign_table(C, F23, ws, [["合计", None, 3622100.00, 1502600.00, 2119500.00],
                               ["301", "工资福利支出", 1265300.00, 1265300.00, None],
                               ["30101", "基本工资", 420000.00, 420000.00, None],
                               ["302", "商品和服务支出", 2237800.00, 118300.00, 2119500.00],
                               ["30201", "办公费", 30000.00, 30000.00, None],
                               ["303", "对个人和家庭的补助", 119000.00, 119000.00, None]], 6,
                  "财决08 by 经济分类 codes: must not become 功能分类 subject facts of gpb_expenditure")


g1.build(C, F23, UNIT, 2023, SN23, extra=extra, cover_fields={"单位名称": UNIT, "单位代码": "12510400MB1C23456X",
         "主管部门": "攀枝花市城市管理行政执法局", "主管部门代码": "510400013", "单位性质": "事业单位", "报表类型": "单户表", "年度": 2023})
# Z06 项目收入支出决算表 replaced 项目支出决算表 content; its cells already marked absent by build()
C.save()
