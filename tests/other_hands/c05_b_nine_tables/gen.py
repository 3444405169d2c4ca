"""c05: public nine-table workbooks (family B), 万元 to two decimals, seed 000 (攀枝花 城管执法局 2023, with a
政府性基金 table that has data and an empty 国有资本经营 table with a note) and seed 001 (安宁 2023, both fund
tables empty with notes). 支出决算表 合计 as printed (7803.25 + 1126.69 = 8929.94 ≠ 8929.95: read as written)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lib import *
C = Case("c05_b_nine_tables") if __name__ == "__main__" else None
F = "funcs"
SUB = dict(SUBJECT_NAMES)
SUB.update({"2120803": "城市建设支出", "21205": "城乡社区环境卫生", "2120501": "城乡社区环境卫生"})


def title_block(ws, title, code, dept, year, width, dept_style):
    merge(ws, 1, 1, 1, width, title)
    W(ws, 2, width, code)
    if dept_style == "部门":
        W(ws, 3, 1, f"部门：{dept}")
    else:
        W(ws, 3, 1, f"编制单位：{dept}")
    W(ws, 3, max(2, width // 2), f"{year}年度")
    W(ws, 3, width, "金额单位：万元")
    return 4


def book(file, dept, year, d, sheetnames, dept_style="部门", case=None):
    global C
    if case is not None: C = case
    wb = openpyxl.Workbook(); wb.remove(wb.active)
    S = 10000
    # 1 收入支出决算总表
    ws = wb.create_sheet(sheetnames[0]); ctx = Ctx(C, file, ws, dept, year, S)
    r = title_block(ws, "收入支出决算总表", "公开01表", dept, year, 4, dept_style)
    merge(ws, r, 1, r, 2, "收入"); merge(ws, r, 3, r, 4, "支出")
    for i, h in enumerate(["项目", "决算数", "项目", "决算数"]): W(ws, r + 1, 1 + i, h)
    r += 2
    inc = [("gpb_approp_income", "一、一般公共预算财政拨款收入"), ("gov_fund_approp_income", "二、政府性基金预算财政拨款收入"),
           ("soe_approp_income", "三、国有资本经营预算财政拨款收入"), ("superior_subsidy_income", "四、上级补助收入"),
           ("business_income", "五、事业收入"), ("operating_income", "六、经营收入"),
           ("affiliated_remit_income", "七、附属单位上缴收入"), ("other_income", "八、其他收入")]
    cls = [c for c in CLASSES if c[0] in d["exp_cls"]]
    n = max(len(inc), len(cls))
    for i in range(n):
        if i < len(inc):
            W(ws, r + i, 1, inc[i][1]); ctx.val(r + i, 2, d["inc"].get(inc[i][0], 0), "income_expenditure_total", inc[i][0], "actual")
        if i < len(cls):
            W(ws, r + i, 3, f"{cn(i)}、{cls[i][1]}")
            ctx.val(r + i, 4, d["exp_cls"][cls[i][0]], "income_expenditure_total", "subject", "actual", cls[i][0])
    r += n
    for (ki, li), (ke, le) in zip([("income_total", "本年收入合计"), ("nonfiscal_surplus_used", "使用非财政拨款结余"),
                                   ("carryover_begin", "年初结转和结余"), ("income_grand_total", "总计")],
                                  [("expenditure_total", "本年支出合计"), ("surplus_distribution", "结余分配"),
                                   ("carryover_end", "年末结转和结余"), ("expenditure_grand_total", "总计")]):
        W(ws, r, 1, li); ctx.val(r, 2, d["inc"].get(ki, 0), "income_expenditure_total", ki, "actual")
        W(ws, r, 3, le); ctx.val(r, 4, d["exp"].get(ke, 0), "income_expenditure_total", ke, "actual")
        r += 1
    W(ws, r + 1, 1, "注：本表反映部门本年度的总收支和年末结转结余情况。")
    # 2 收入决算表 / 3 支出决算表 / 5 一般公共预算
    for si, form, title, code, cols, rowsd in [
        (1, "income", "收入决算表", "公开02表", [("income_total", "本年收入合计"), ("fiscal_approp", "财政拨款收入"), ("superior_subsidy", "上级补助收入"),
                                            ("business", "事业收入"), ("operating", "经营收入"), ("affiliated_remit", "附属单位上缴收入"), ("other", "其他收入")], d["income"]),
        (2, "expenditure", "支出决算表", "公开03表", [("expenditure_total", "本年支出合计"), ("basic", "基本支出"), ("project", "项目支出"),
                                                 ("upper_remit", "上缴上级支出"), ("operating", "经营支出"), ("affiliated_subsidy", "对附属单位补助支出")], d["expenditure"])]:
        ws = wb.create_sheet(sheetnames[si]); ctx = Ctx(C, file, ws, dept, year, S)
        r = title_block(ws, title, code, dept, year, len(cols) + 2, dept_style)
        merge(ws, r, 1, r, 2, "项目"); W(ws, r + 1, 1, "科目编码"); W(ws, r + 1, 2, "科目名称")
        for i, (k, h) in enumerate(cols): merge(ws, r, 3 + i, r + 1, 3 + i, h)
        r += 2
        for code_, vals in rowsd:
            if code_ == "total": merge(ws, r, 1, r, 2, "合计")
            else: W(ws, r, 1, code_); W(ws, r, 2, SUB[code_])
            for i, v in enumerate(vals):
                ctx.val(r, 3 + i, v, form, "total" if code_ == "total" else "subject", cols[i][0], None if code_ == "total" else code_)
            r += 1
    # 4 财政拨款收入支出决算总表
    ws = wb.create_sheet(sheetnames[3]); ctx = Ctx(C, file, ws, dept, year, S)
    r = title_block(ws, "财政拨款收入支出决算总表", "公开04表", dept, year, 6, dept_style)
    merge(ws, r, 1, r, 2, "收入"); merge(ws, r, 3, r, 6, "支出")
    merge(ws, r + 1, 1, r + 2, 1, "项目"); merge(ws, r + 1, 2, r + 2, 2, "决算数"); merge(ws, r + 1, 3, r + 2, 3, "项目")
    merge(ws, r + 1, 4, r + 1, 6, "决算数"); 
    ws.unmerge_cells(start_row=r + 1, start_column=4, end_row=r + 1, end_column=6)
    merge(ws, r + 1, 4, r + 1, 7, "决算数")
    for i, h in enumerate(["合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]): W(ws, r + 2, 4 + i, h)
    r += 3
    fi = [("gpb_approp", "一、一般公共预算财政拨款"), ("gov_fund_approp", "二、政府性基金预算财政拨款"), ("soe_approp", "三、国有资本经营预算财政拨款")]
    cols = ["actual_total", "actual_gpb", "actual_gov_fund", "actual_soe"]
    fcls = [c for c in CLASSES if c[0] in d["fiscal_cls"]]
    n = max(len(fi), len(fcls))
    for i in range(n):
        if i < len(fi):
            W(ws, r + i, 1, fi[i][1]); ctx.val(r + i, 2, d["fiscal_inc"].get(fi[i][0], 0), "fiscal_total", fi[i][0], "actual")
        if i < len(fcls):
            W(ws, r + i, 3, f"{cn(i)}、{fcls[i][1]}")
            for j, v in enumerate(d["fiscal_cls"][fcls[i][0]]):
                ctx.val(r + i, 4 + j, v, "fiscal_total", "subject", cols[j], fcls[i][0])
    r += n
    ti = [("income_total", "本年收入合计"), ("carryover_begin", "年初财政拨款结转和结余"), ("carryover_begin_gpb", "一般公共预算财政拨款"),
          ("carryover_begin_gov_fund", "政府性基金预算财政拨款"), ("carryover_begin_soe", "国有资本经营预算财政拨款"), ("income_grand_total", "总计")]
    te = [("expenditure_total", "本年支出合计"), ("carryover_end", "年末财政拨款结转和结余"), ("carryover_end_gpb", "一般公共预算财政拨款"),
          ("carryover_end_gov_fund", "政府性基金预算财政拨款"), ("carryover_end_soe", "国有资本经营预算财政拨款"), ("expenditure_grand_total", "总计")]
    for (ki, li), (ke, le) in zip(ti, te):
        W(ws, r, 1, li); ctx.val(r, 2, d["fiscal_inc"].get(ki, 0), "fiscal_total", ki, "actual")
        W(ws, r, 3, le)
        for j, v in enumerate(d["fiscal_exp"].get(ke, (0, 0, 0, 0))):
            ctx.val(r, 4 + j, v, "fiscal_total", ke, cols[j])
        r += 1
    # 5 一般公共预算财政拨款支出决算表, 合计 at the bottom
    ws = wb.create_sheet(sheetnames[4]); ctx = Ctx(C, file, ws, dept, year, S)
    r = title_block(ws, "一般公共预算财政拨款支出决算表", "公开05表", dept, year, 5, dept_style)
    merge(ws, r, 1, r, 2, "项目"); W(ws, r + 1, 1, "科目编码"); W(ws, r + 1, 2, "科目名称")
    merge(ws, r, 3, r, 5, "本年支出"); W(ws, r + 1, 3, "小计"); W(ws, r + 1, 4, "基本支出"); W(ws, r + 1, 5, "项目支出")
    r += 2
    for code_, vals in d["gpb"]:
        if code_ == "total": merge(ws, r, 1, r, 2, "合计")
        else: W(ws, r, 1, code_); W(ws, r, 2, SUB[code_])
        for i, v in enumerate(vals):
            ctx.val(r, 3 + i, v, "gpb_expenditure", "total" if code_ == "total" else "subject", ["actual_total", "basic", "project"][i],
                    None if code_ == "total" else code_)
        r += 1
    # 6 基本支出
    ws = wb.create_sheet(sheetnames[5]); ctx = Ctx(C, file, ws, dept, year, S)
    r = title_block(ws, "一般公共预算财政拨款基本支出决算表", "公开06表", dept, year, 9, dept_style)
    merge(ws, r, 1, r, 3, "人员经费"); merge(ws, r, 4, r, 9, "公用经费")
    for p in range(3):
        W(ws, r + 1, 1 + 3 * p, "科目编码"); W(ws, r + 1, 2 + 3 * p, "科目名称"); W(ws, r + 1, 3 + 3 * p, "决算数")
    r += 2
    for p, lines in enumerate(d["basic_panels"]):
        for i, (code_, name, v) in enumerate(lines):
            W(ws, r + i, 1 + 3 * p, code_); W(ws, r + i, 2 + 3 * p, name)
            ctx.val(r + i, 3 + 3 * p, v, "gpb_basic_detail", "subject", "actual", code_)
    r += max(len(x) for x in d["basic_panels"])
    merge(ws, r, 1, r, 2, "人员经费合计"); ctx.val(r, 3, d["personnel"], "gpb_basic_detail", "personnel_total", "actual")
    merge(ws, r, 4, r, 8, "公用经费合计"); ctx.val(r, 9, d["public"], "gpb_basic_detail", "public_total", "actual")
    # 7 三公
    ws = wb.create_sheet(sheetnames[6]); ctx = Ctx(C, file, ws, dept, year, S)
    r = title_block(ws, "财政拨款“三公”经费支出决算表", "公开07表", dept, year, 12, dept_style)
    merge(ws, r, 1, r, 6, "预算数"); merge(ws, r, 7, r, 12, "决算数")
    for b in (0, 6):
        merge(ws, r + 1, 1 + b, r + 2, 1 + b, "合计"); merge(ws, r + 1, 2 + b, r + 2, 2 + b, "因公出国（境）费")
        merge(ws, r + 1, 3 + b, r + 1, 5 + b, "公务用车购置及运行费"); W(ws, r + 2, 3 + b, "小计"); W(ws, r + 2, 4 + b, "公务用车购置费")
        W(ws, r + 2, 5 + b, "公务用车运行费"); merge(ws, r + 1, 6 + b, r + 2, 6 + b, "公务接待费")
    items = ["sangong_total", "abroad", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception"]
    for i, v in enumerate(d["sg_budget"]): ctx.val(r + 3, 1 + i, v, "sangong", items[i], "budget")
    for i, v in enumerate(d["sg_actual"]): ctx.val(r + 3, 7 + i, v, "sangong", items[i], "actual")
    # 8 / 9 fund tables
    for si, form, title, code in [(7, "gov_fund", "政府性基金预算财政拨款收入支出决算表", "公开08表"),
                                  (8, "soe_capital", "国有资本经营预算财政拨款收入支出决算表", "公开09表")]:
        ws = wb.create_sheet(sheetnames[si]); ctx = Ctx(C, file, ws, dept, year, S)
        r = title_block(ws, title, code, dept, year, 8, dept_style)
        merge(ws, r, 1, r, 2, "项目"); W(ws, r + 2, 1, "科目编码"); W(ws, r + 2, 2, "科目名称")
        merge(ws, r, 3, r + 2, 3, "年初结转和结余"); merge(ws, r, 4, r + 2, 4, "本年收入")
        merge(ws, r, 5, r, 7, "本年支出"); merge(ws, r + 1, 5, r + 2, 5, "小计")
        merge(ws, r + 1, 6, r + 2, 6, "基本支出"); merge(ws, r + 1, 7, r + 2, 7, "项目支出"); merge(ws, r, 8, r + 2, 8, "年末结转和结余")
        r += 3
        rows = d.get(form)
        cols = ["carryover_begin", "income", "expenditure_total", "basic", "project", "carryover_end"]
        if rows:
            for code_, vals in rows:
                if code_ == "total": merge(ws, r, 1, r, 2, "合计")
                else: W(ws, r, 1, code_); W(ws, r, 2, SUB[code_])
                for i, v in enumerate(vals):
                    ctx.val(r, 3 + i, v, form, "total" if code_ == "total" else "subject", cols[i], None if code_ == "total" else code_)
                r += 1
        else:
            merge(ws, r, 1, r, 2, "合计")
            for i in range(6): W(ws, r, 3 + i, None)
            r += 1
            kind = "政府性基金预算" if form == "gov_fund" else "国有资本经营预算"
            W(ws, r + 1, 1, f"注：本单位无{kind}财政拨款收入和支出，故本表无数据。")
    wb.save(C.path(file))


D000 = {
    "inc": {"gpb_approp_income": "8589.95", "gov_fund_approp_income": "340.00", "income_total": "8929.95", "carryover_begin": "0", "income_grand_total": "8929.95"},
    "exp": {"expenditure_total": "8929.95", "carryover_end": "0", "expenditure_grand_total": "8929.95"},
    "exp_cls": {"201": "2.68", "208": "2705.84", "210": "129.92", "212": "5671.03", "213": "0.93", "221": "419.55"},
    "income": [("total", ["8929.95", "8929.95"]), ("201", ["2.68", "2.68"]), ("208", ["2705.84", "2705.84"]), ("210", ["129.92", "129.92"]),
               ("212", ["5671.03", "5671.03"]), ("21201", ["5331.03", "5331.03"]), ("21208", ["340.00", "340.00"]),
               ("213", ["0.93", "0.93"]), ("221", ["419.55", "419.55"])],
    "expenditure": [("total", ["8929.95", "7803.25", "1126.69"]), ("201", ["2.68", "2.68"]), ("208", ["2705.84", "2705.84"]),
                    ("210", ["129.92", "129.92"]), ("212", ["5671.03", "4545.26", "1125.76"]), ("213", ["0.93", None, "0.93"]),
                    ("221", ["419.55", "419.55"])],
    "fiscal_inc": {"gpb_approp": "8589.95", "gov_fund_approp": "340.00", "income_total": "8929.95", "carryover_begin": "0", "income_grand_total": "8929.95"},
    "fiscal_cls": {"201": ("2.68", "2.68"), "208": ("2705.84", "2705.84"), "210": ("129.92", "129.92"), "212": ("5671.03", "5331.03", "340.00"),
                   "213": ("0.93", "0.93"), "221": ("419.55", "419.55")},
    "fiscal_exp": {"expenditure_total": ("8929.95", "8589.95", "340.00", None), "carryover_end": ("0", None, None, None),
                   "expenditure_grand_total": ("8929.95", "8589.95", "340.00", None)},
    "gpb": [("201", ["2.68", "2.68", None]), ("20103", ["2.68", "2.68", None]), ("2010301", ["2.68", "2.68", None]),
            ("208", ["2705.84", "2705.84", None]), ("212", ["5331.03", "4545.26", "785.77"]), ("21201", ["5331.03", "4545.26", "785.77"]),
            ("213", ["0.93", None, "0.93"]), ("221", ["419.55", "419.55", None]), ("total", ["8589.95", "7673.33", "786.70"])],
    "basic_panels": [[("301", "工资福利支出", "6512.30"), ("30101", "基本工资", "1820.45"), ("30102", "津贴补贴", "2210.60"),
                      ("303", "对个人和家庭的补助", "899.57"), ("30302", "退休费", "880.12")],
                     [("302", "商品和服务支出", "381.38"), ("30201", "办公费", "45.20"), ("30217", "公务接待费", "1.75"),
                      ("30231", "公务用车运行维护费", "59.87")],
                     [("310", "资本性支出", "10.00"), ("31002", "办公设备购置", "10.00")]],
    "personnel": "7411.87", "public": "391.38",
    "sg_budget": ["65.00", "0", "62.00", "0", "62.00", "3.00"], "sg_actual": ["61.62", "0", "59.87", "0", "59.87", "1.75"],
    "gov_fund": [("total", [None, "340.00", "340.00", None, "340.00", None]), ("212", [None, "340.00", "340.00", None, "340.00", None]),
                 ("21208", [None, "340.00", "340.00", None, "340.00", None]), ("2120803", [None, "340.00", "340.00", None, "340.00", None])],
}
D001 = {
    "inc": {"gpb_approp_income": "1320.73", "income_total": "1320.73", "income_grand_total": "1320.73"},
    "exp": {"expenditure_total": "1320.73", "expenditure_grand_total": "1320.73"},
    "exp_cls": {"208": "166.21", "210": "61.35", "212": "1012.37", "221": "80.80"},
    "income": [("total", ["1320.73", "1320.73"]), ("208", ["166.21", "166.21"]), ("210", ["61.35", "61.35"]),
               ("212", ["1012.37", "1012.37"]), ("221", ["80.80", "80.80"])],
    "expenditure": [("total", ["1320.73", "1317.84", "2.89"]), ("208", ["166.21", "166.21"]), ("210", ["61.35", "61.35"]),
                    ("212", ["1012.37", "1009.48", "2.89"]), ("221", ["80.80", "80.80"])],
    "fiscal_inc": {"gpb_approp": "1320.73", "income_total": "1320.73", "income_grand_total": "1320.73"},
    "fiscal_cls": {"208": ("166.21", "166.21"), "210": ("61.35", "61.35"), "212": ("1012.37", "1012.37"), "221": ("80.80", "80.80")},
    "fiscal_exp": {"expenditure_total": ("1320.73", "1320.73", None, None), "expenditure_grand_total": ("1320.73", "1320.73", None, None)},
    "gpb": [("208", ["166.21", "166.21", None]), ("210", ["61.35", "61.35", None]), ("212", ["1012.37", "1009.48", "2.89"]),
            ("221", ["80.80", "80.80", None]), ("total", ["1320.73", "1317.84", "2.89"])],
    "basic_panels": [[("301", "工资福利支出", "1180.02"), ("303", "对个人和家庭的补助", "73.35")],
                     [("302", "商品和服务支出", "64.47"), ("30201", "办公费", "8.10")], []],
    "personnel": "1253.37", "public": "64.47",
    "sg_budget": ["3.00", "0", "2.00", "0", "2.00", "1.00"], "sg_actual": ["1.20", "0", "0.90", "0", "0.90", "0.30"],
}
SN9 = ["表1 收入支出决算总表", "表2 收入决算表", "表3 支出决算表", "表4 财政拨款收入支出决算总表", "表5 一般公共预算财政拨款支出决算表",
      "表6 一般公共预算财政拨款基本支出决算表", "表7 “三公”经费支出决算表", "表8 政府性基金预算财政拨款收入支出决算表", "表9 国有资本经营预算财政拨款收入支出决算表"]
if __name__ == "__main__":
    book("攀枝花市城市管理行政执法局2023年度部门决算公开表.xlsx", "攀枝花市城市管理行政执法局", 2023, D000,
         ["表1 收入支出决算总表", "表2 收入决算表", "表3 支出决算表", "表4 财政拨款收入支出决算总表", "表5 一般公共预算财政拨款支出决算表",
          "表6 一般公共预算财政拨款基本支出决算表", "表7 “三公”经费支出决算表", "表8 政府性基金预算财政拨款收入支出决算表", "表9 国有资本经营预算财政拨款收入支出决算表"])
    book("附件2：安宁市城市管理综合服务中心2023年度部门决算公开表.xlsx", "安宁市城市管理综合服务中心", 2023, D001,
         ["1.收入支出决算总表", "2.收入决算表", "3.支出决算表", "4.财政拨款收入支出决算总表", "5.一般公共预算财政拨款支出决算表",
          "6.一般公共预算财政拨款基本支出决算表", "7.三公经费", "8.政府性基金", "9.国有资本经营"], dept_style="编制单位")
    C.save()
