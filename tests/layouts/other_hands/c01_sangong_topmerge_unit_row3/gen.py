# 公开表 三公 (items as columns), three-row header merged only on the top row
# (公务用车购置及运行费 merged across its 3 columns on row 5; 合计 etc. NOT merged
# down, middle/bottom cells left empty); unit line in row 3; identity only in a
# `部门：XX（2023年度）` line; amounts in 万元 (seed 000 figures).
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '2023年三公经费公开表.xlsx'; S = '表7'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '财政拨款“三公”经费支出决算表'; ws.merge_cells('A1:L1')
ws['A2'] = '部门：攀枝花市城市管理行政执法局（2023年度）'
ws['L3'] = '单位：万元'
ws['A4'] = '预算数'; ws.merge_cells('A4:F4'); ws['G4'] = '决算数'; ws.merge_cells('G4:L4')
for base in (1, 7):
    ws.cell(5, base, '合计'); ws.cell(5, base+1, '因公出国（境）费'); ws.cell(5, base+2, '公务用车购置及运行费')
    ws.merge_cells(start_row=5, start_column=base+2, end_row=5, end_column=base+4)
    ws.cell(5, base+5, '公务接待费')
    ws.cell(6, base+2, '小计'); ws.cell(6, base+3, '公务用车购置费'); ws.cell(6, base+4, '公务用车运行费')
budget = [65.00, 0, 62.00, 0, 62.00, 3.00]
actual = [61.62, 0, 59.87, 0, 59.87, 1.75]
items = ['sangong_total', 'abroad', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception']
E = Expect(2023, '攀枝花市城市管理行政执法局')
for i, v in enumerate(budget + actual):
    ws.cell(7, i+1, v)
    E.add(F, S, A1(7, i+1), 'sangong', items[i % 6], 'budget' if i < 6 else 'actual', None, wan(v))
ws['A8'] = '注：2023年度“三公”经费财政拨款支出决算为61.62万元，完成预算94.8%。'
wb.save(F); E.save('.')
