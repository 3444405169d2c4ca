# 收入支出决算总表 (public, 决算数 only) side by side, WITH a 行次 column on each side
# and a 栏次 row numbering the two value columns 1 and 2 (a public-table 栏次 that
# does not follow the 财决01 numbering where 1/2 are 年初/全年预算); unit line in row
# 4 `金额单位：人民币万元`; rows numbered 一、二、; seed 000 figures.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '攀枝花市城市管理行政执法局2023年度部门决算.xlsx'; S = '收入支出决算总表'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '收入支出决算总表'; ws.merge_cells('A1:F1')
ws['F2'] = '公开01表'
ws['A3'] = '部门：攀枝花市城市管理行政执法局'
ws['F4'] = '金额单位：人民币万元'
ws['A5'] = '收入'; ws.merge_cells('A5:C5'); ws['D5'] = '支出'; ws.merge_cells('D5:F5')
for b in (1, 4):
    ws.cell(6, b, '项目'); ws.cell(6, b+1, '行次'); ws.cell(6, b+2, '决算数')
ws['A7'] = '栏次'; ws['C7'] = 1; ws['D7'] = '栏次'; ws['F7'] = 2
inc = [('一、一般公共预算财政拨款收入', 1, 8589.95, 'gpb_approp_income'), ('二、政府性基金预算财政拨款收入', 2, 340.00, 'gov_fund_approp_income'),
       ('三、国有资本经营预算财政拨款收入', 3, None, None), ('四、上级补助收入', 4, None, None), ('五、事业收入', 5, None, None),
       ('六、经营收入', 6, None, None), ('七、附属单位上缴收入', 7, None, None), ('八、其他收入', 8, None, None)]
exp = [('一、一般公共服务支出', 32, 2.68, '201'), ('二、社会保障和就业支出', 33, 2705.84, '208'), ('三、卫生健康支出', 34, 129.92, '210'),
       ('四、城乡社区支出', 35, 5671.03, '212'), ('五、农林水支出', 36, 0.93, '213'), ('六、住房保障支出', 37, 419.55, '221'),
       (None, None, None, None), (None, None, None, None)]
E = Expect(2023, '攀枝花市城市管理行政执法局')
for i in range(8):
    r = 8 + i
    l, n, v, key = inc[i]
    ws.cell(r, 1, l); ws.cell(r, 2, n)
    if v is not None:
        ws.cell(r, 3, v); E.add(F, S, A1(r, 3), 'income_expenditure_total', key, 'actual', None, wan(v))
    l, n, v, code = exp[i]
    if l:
        ws.cell(r, 4, l); ws.cell(r, 5, n); ws.cell(r, 6, v)
        E.add(F, S, A1(r, 6), 'income_expenditure_total', 'subject', 'actual', code, wan(v))
tail = [('本年收入合计', 9, 8929.95, 'income_total', '本年支出合计', 38, 8929.95, 'expenditure_total'),
        ('使用非财政拨款结余（含专用结余）', 10, '—', None, '结余分配', 39, '—', None),
        ('年初结转和结余', 11, 0, 'carryover_begin', '年末结转和结余', 40, 0, 'carryover_end'),
        ('总计', 12, 8929.95, 'income_grand_total', '总计', 41, 8929.95, 'expenditure_grand_total')]
for i, (l1, n1, v1, k1, l2, n2, v2, k2) in enumerate(tail):
    r = 16 + i
    ws.cell(r, 1, l1); ws.cell(r, 2, n1); ws.cell(r, 3, v1); ws.cell(r, 4, l2); ws.cell(r, 5, n2); ws.cell(r, 6, v2)
    if k1: E.add(F, S, A1(r, 3), 'income_expenditure_total', k1, 'actual', None, wan(v1))
    if k2: E.add(F, S, A1(r, 6), 'income_expenditure_total', k2, 'actual', None, wan(v2))
wb.save(F); E.save('.')
