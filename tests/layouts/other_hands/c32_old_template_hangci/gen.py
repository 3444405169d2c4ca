# 财决01 收入支出决算总表 from an OLDER template (as used up to ~2018), A family, 元:
# income lines `一、财政拨款收入` (行次1, one line for all appropriations) with
# `其中：政府性基金预算财政拨款` (行次2), then 二、上级补助收入 (3), 三、事业收入 (4),
# 四、经营收入 (5), 五、附属单位上缴收入 (6), 六、其他收入 (7); 本年收入合计 (8);
# 用事业基金弥补收支差额 (9); 年初结转和结余 (10); 总计 (11).
# The current form's 行次 1/2/3 mean 一般公共预算/政府性基金/国有资本经营, so mapping by
# 行次 would misfile 财政拨款收入 (all funds) as 一般公共预算, and 上级补助收入 as 国有资本经营.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '2018_攀枝花市数字化城市联动指挥中心.xlsx'
E = Expect(2018, '攀枝花市数字化城市联动指挥中心')
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '封面'
for r, (k, v) in enumerate([('单位名称', '攀枝花市数字化城市联动指挥中心'), ('单位性质', '事业单位'), ('报表类型', '单户表'), ('年度', 2018)], start=1):
    ws.cell(r, 1, k); ws.cell(r, 2, v)
S = 'Z01 收入支出决算总表(财决01表)'; ws = wb.create_sheet(S)
ws['A1'] = '收入支出决算总表'; ws['A2'] = '2018年度'; ws['A3'] = '编制单位：攀枝花市数字化城市联动指挥中心'; ws['H3'] = '单位：元'
ws['A4'] = '收入'; ws.merge_cells('A4:D4'); ws['E4'] = '支出'; ws.merge_cells('E4:H4')
for c, h in zip('ABCDEFGH', ['项目', '行次', '全年预算数', '决算数', '项目', '行次', '全年预算数', '决算数']): ws[f'{c}5'] = h
ws['A6'] = '栏次'; ws['C6'] = 1; ws['D6'] = 2; ws['G6'] = 3; ws['H6'] = 4
inc = [('一、财政拨款收入', 1, 6593800, 6593800, None), ('    其中：政府性基金预算财政拨款', 2, 4691600, 4691600, 'gov_fund_approp_income'),
       ('二、上级补助收入', 3, 150000, 150000, 'superior_subsidy_income'), ('三、事业收入', 4, 0, 0, 'business_income'),
       ('四、经营收入', 5, 0, 0, 'operating_income'), ('五、附属单位上缴收入', 6, 0, 0, 'affiliated_remit_income'), ('六、其他收入', 7, 20000, 20000, 'other_income'),
       ('本年收入合计', 8, 6763800, 6763800, 'income_total'), ('用事业基金弥补收支差额', 9, 0, 0, 'nonfiscal_surplus_used'),
       ('年初结转和结余', 10, 0, 1719900, 'carryover_begin'), ('总计', 11, 6763800, 8483700, 'income_grand_total')]
for i, (lab, n, b, a, key) in enumerate(inc):
    r = 7 + i
    ws.cell(r, 1, lab); ws.cell(r, 2, n); ws.cell(r, 3, b); ws.cell(r, 4, a)
    if key:
        E.add(F, S, A1(r, 3), 'income_expenditure_total', key, 'budget_full', None, b); E.add(F, S, A1(r, 4), 'income_expenditure_total', key, 'actual', None, a)
    else:
        for c in (3, 4): E.absent(F, S, A1(r, c), '财政拨款收入 (all funds): no key in the current form; must not become gpb_approp_income (一般公共预算 only = 1,902,200)')
exp = [('一、社会保障和就业支出', 12, 119800, 119800, 'subject', '208'), ('二、城乡社区支出', 13, 6644000, 8363900, 'subject', '212'),
       ('本年支出合计', 30, 6763800, 8483700, 'expenditure_total', None), ('结余分配', 31, 0, 0, 'surplus_distribution', None),
       ('年末结转和结余', 32, 0, 0, 'carryover_end', None), ('总计', 33, 6763800, 8483700, 'expenditure_grand_total', None)]
for i, (lab, n, b, a, key, code) in enumerate(exp):
    r = 7 + i
    ws.cell(r, 5, lab); ws.cell(r, 6, n); ws.cell(r, 7, b); ws.cell(r, 8, a)
    E.add(F, S, A1(r, 7), 'income_expenditure_total', key, 'budget_full', code, b); E.add(F, S, A1(r, 8), 'income_expenditure_total', key, 'actual', code, a)
wb.save(F); E.save('.')
