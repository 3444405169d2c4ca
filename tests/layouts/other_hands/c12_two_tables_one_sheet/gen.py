# Two tables on one sheet: 三公 (items as columns, 万元) on top, then, after two
# blank rows, 政府性基金预算财政拨款收入支出决算表 with its own title, unit line and
# header, subject rows and a note underneath. Identity in a `编制单位：` line.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '2023年部门决算公开表（表7-表8）.xlsx'; S = '表7-8'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
E = Expect(2023, '攀枝花市城市管理行政执法局')
ws['A1'] = '财政拨款“三公”经费支出决算表'; ws.merge_cells('A1:L1')
ws['A2'] = '编制单位：攀枝花市城市管理行政执法局'; ws['L2'] = '单位：万元'
ws['A3'] = '预算数'; ws.merge_cells('A3:F3'); ws['G3'] = '决算数'; ws.merge_cells('G3:L3')
for base in (1, 7):
    ws.cell(4, base, '合计'); ws.cell(4, base+1, '因公出国（境）费'); ws.cell(4, base+2, '公务用车购置及运行费'); ws.merge_cells(start_row=4, start_column=base+2, end_row=4, end_column=base+4)
    ws.cell(4, base+5, '公务接待费'); ws.cell(5, base+2, '小计'); ws.cell(5, base+3, '公务用车购置费'); ws.cell(5, base+4, '公务用车运行费')
    for c in (0, 1, 5): ws.merge_cells(start_row=4, start_column=base+c, end_row=5, end_column=base+c)
items = ['sangong_total', 'abroad', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception']
for i, v in enumerate([65.00, 0, 62.00, 0, 62.00, 3.00, 61.62, 0, 59.87, 0, 59.87, 1.75]):
    ws.cell(6, 1+i, v); E.add(F, S, A1(6, 1+i), 'sangong', items[i % 6], 'budget' if i < 6 else 'actual', None, wan(v))
# second table
ws['A9'] = '政府性基金预算财政拨款收入支出决算表'; ws.merge_cells('A9:H9')
ws['H10'] = '单位：万元'
ws['A11'] = '科目编码'; ws['B11'] = '科目名称'; ws['C11'] = '年初结转和结余'; ws['D11'] = '本年收入'; ws['E11'] = '本年支出'; ws.merge_cells('E11:G11'); ws['H11'] = '年末结转和结余'
ws['E12'] = '小计'; ws['F12'] = '基本支出'; ws['G12'] = '项目支出'
for c in 'ABCDH': ws.merge_cells(f'{c}11:{c}12')
keys = ['carryover_begin', 'income', 'expenditure_total', 'basic', 'project', 'carryover_end']
rows = [(None, '合计', [0, 340.00, 340.00, 0, 340.00, 0]),
        ('212', '城乡社区支出', [0, 340.00, 340.00, 0, 340.00, 0]),
        ('21208', '国有土地使用权出让收入安排的支出', [0, 340.00, 340.00, 0, 340.00, 0]),
        ('2120803', '城市建设支出', [0, 340.00, 340.00, 0, 340.00, 0])]
for i, (code, name, vals) in enumerate(rows):
    r = 13 + i
    ws.cell(r, 1, code); ws.cell(r, 2, name)
    if code is None: ws.cell(r, 1, name); ws.cell(r, 2, None)
    for j, v in enumerate(vals):
        ws.cell(r, 3+j, v); E.add(F, S, A1(r, 3+j), 'gov_fund', 'total' if code is None else 'subject', keys[j], code, wan(v))
ws['A17'] = '注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。'
wb.save(F); E.save('.')
