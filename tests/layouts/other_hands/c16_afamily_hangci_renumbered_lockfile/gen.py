# A-family (财决) workbook, 元: cover sheet; 财决01-1 where the unit DELETED the zero
# 国有资本经营预算 lines and the 行次 column was renumbered 1..7 (so 行次 3 is 本年收入合计,
# 行次 6 is 总计) - labels must win over 行次; 全年预算数 + 决算数 on both sides with a
# 栏次 row; the basic-detail sheet named with ANOTHER year's numbering and cut at 31
# chars (`Z05_1 一般公共预算财政拨款基本支出决算明细表(财决05-`) and no title row inside;
# a WPS lock file `~$<name>.xlsx` beside the workbook.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '101001_攀枝花市数字化城市联动指挥中心_2020.xlsx'
E = Expect(2020, '攀枝花市数字化城市联动指挥中心')
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '封面'
for r, (k, v) in enumerate([('2020年度部门决算报表', None), ('单位名称', '攀枝花市数字化城市联动指挥中心'), ('单位代码', '12510400MB1534567K'),
                            ('主管部门', '攀枝花市城市管理行政执法局'), ('主管部门代码', '101000'), ('单位性质', '其他事业单位'), ('报表类型', '单户表'), ('年度', '2020')], start=1):
    ws.cell(r, 1, k); ws.cell(r, 2, v)
S = 'Z01_1 财政拨款收入支出决算总表(财决01-1表)'
assert len(S) <= 31
ws = wb.create_sheet(S)
ws['A1'] = '财政拨款收入支出决算总表'; ws['A2'] = '2020年度'; ws['A3'] = '编制单位：攀枝花市数字化城市联动指挥中心'; ws['K3'] = '单位：元'
ws['A4'] = '收入'; ws.merge_cells('A4:D4'); ws['E4'] = '支出'; ws.merge_cells('E4:K4')
for c, h in zip('ABCDEFGH', ['项目', '行次', '全年预算数', '决算数', '项目', '行次', '全年预算数', '决算数']): ws[f'{c}5'] = h
ws.merge_cells('H5:K5'); ws['H6'] = '合计'; ws['I6'] = '一般公共预算财政拨款'; ws['J6'] = '政府性基金预算财政拨款'; ws['K6'] = '国有资本经营预算财政拨款'
for c in 'ABCDEFG': ws.merge_cells(f'{c}5:{c}6')
ws['A7'] = '栏次'
for c, n in zip('CDGHIJK', range(1, 8)): ws[f'{c}7'] = n
inc = [('一、一般公共预算财政拨款', 1, 1902200, 1902200, 'gpb_approp'), ('二、政府性基金预算财政拨款', 2, 4691600, 4691600, 'gov_fund_approp'),
       ('本年收入合计', 3, 6593800, 6593800, 'income_total'), ('年初财政拨款结转和结余', 4, None, 1719900, 'carryover_begin'),
       ('    一般公共预算财政拨款', 5, None, 19900, 'carryover_begin_gpb'), ('    政府性基金预算财政拨款', 6, None, 1700000, 'carryover_begin_gov_fund'),
       ('总计', 7, None, 8313700, 'income_grand_total')]
exp = [('一、社会保障和就业支出', None, 119800, [119800, 119800, 0, 0], 'subject', '208'), ('二、卫生健康支出', None, 48500, [48500, 48500, 0, 0], 'subject', '210'),
       ('三、城乡社区支出', None, 8145400, [8145400, 1733900, 6411500, 0], 'subject', '212'), ('本年支出合计', 30, 8313700, [8313700, 1902200, 6411500, 0], 'expenditure_total', None),
       ('年末财政拨款结转和结余', 31, None, [0, 0, 0, 0], 'carryover_end', None), ('总计', 32, None, [8313700, 1902200, 6411500, 0], 'expenditure_grand_total', None)]
for i in range(7):
    r = 8 + i
    lab, n, b, a, key = inc[i]
    ws.cell(r, 1, lab); ws.cell(r, 2, n); ws.cell(r, 3, b); ws.cell(r, 4, a)
    if b is not None: E.add(F, S, A1(r, 3), 'fiscal_total', key, 'budget_full', None, b)
    E.add(F, S, A1(r, 4), 'fiscal_total', key, 'actual', None, a)
    if i < len(exp):
        lab, n, b, vals, key, code = exp[i]
        ws.cell(r, 5, lab); ws.cell(r, 6, n); ws.cell(r, 7, b)
        if b is not None: E.add(F, S, A1(r, 7), 'fiscal_total', key, 'budget_full', code, b)
        for j, v in enumerate(vals):
            ws.cell(r, 8+j, v); E.add(F, S, A1(r, 8+j), 'fiscal_total', key, ['actual_total', 'actual_gpb', 'actual_gov_fund', 'actual_soe'][j], code, v)
S = 'Z05_1 一般公共预算财政拨款基本支出决算明细表(财决05-1表)'[:31]
ws = wb.create_sheet(S)
ws['A1'] = '编制单位：攀枝花市数字化城市联动指挥中心'; ws['F1'] = '单位：元'
for c, h in zip('ABCDEF', ['科目编码', '科目名称', '决算数', '科目编码', '科目名称', '决算数']): ws[f'{c}2'] = h
left = [('301', '工资福利支出', 1300000), ('30101', '基本工资', 500000), ('30102', '津贴补贴', 800000), ('303', '对个人和家庭的补助', 84300), ('30305', '生活补助', 84300)]
right = [('302', '商品和服务支出', 118300), ('30201', '办公费', 100600), ('30217', '公务接待费', 1800), ('30231', '公务用车运行维护费', 9400), ('30299', '其他商品和服务支出', 6500)]
for i in range(5):
    r = 3 + i
    for off, (code, name, v) in ((0, left[i]), (3, right[i])):
        ws.cell(r, 1+off, code); ws.cell(r, 2+off, name); ws.cell(r, 3+off, v)
        E.add(F, S, A1(r, 3+off), 'gpb_basic_detail', 'subject', 'actual', code, v)
ws['A8'] = '人员经费合计'; ws['C8'] = 1384300; ws['D8'] = '公用经费合计'; ws['F8'] = 118300
E.add(F, S, 'C8', 'gpb_basic_detail', 'personnel_total', 'actual', None, 1384300)
E.add(F, S, 'F8', 'gpb_basic_detail', 'public_total', 'actual', None, 118300)
wb.save(F)
with open('~$' + F[2:], 'wb') as f:   # WPS/Excel owner file: 1 byte len + user name, padded to 165 bytes
    name = 'caiwuke'.encode('utf-16-le')
    f.write(bytes([7]) + b'caiwuke' + b' ' * (54 - 8) + bytes([7, 0]) + name + b'\x00' * (165 - 56 - len(name)))
E.save('.')
