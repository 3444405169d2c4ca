# 三公 with items as columns and one ROW per year/kind, as some districts publish:
# first column 年度/项目 with rows `2022年决算数`, `2023年预算数`, `2023年决算数`
# (prior year first). Expected: 2023 rows -> budget/actual of 2023; the 2022 row
# either a 2022 actual fact or reported - never a 2023 figure.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '攀枝花市城市管理行政执法局2023年度三公经费.xlsx'; S = '三公'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '攀枝花市城市管理行政执法局2023年度财政拨款“三公”经费支出决算表'; ws['G2'] = '单位：万元'
ws['A3'] = '项目'; ws.merge_cells('A3:A4'); ws['B3'] = '合计'; ws.merge_cells('B3:B4'); ws['C3'] = '因公出国（境）费'; ws.merge_cells('C3:C4')
ws['D3'] = '公务用车购置及运行费'; ws.merge_cells('D3:F3'); ws['D4'] = '小计'; ws['E4'] = '公务用车购置费'; ws['F4'] = '公务用车运行费'
ws['G3'] = '公务接待费'; ws.merge_cells('G3:G4')
items = ['sangong_total', 'abroad', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception']
E = Expect(2023, '攀枝花市城市管理行政执法局')
for r, lab, vals, col, year in [(5, '2022年决算数', [29.40, 0, 28.57, 0, 28.57, 0.83], 'actual', 2022),
                                 (6, '2023年预算数', [65.00, 0, 62.00, 0, 62.00, 3.00], 'budget', 2023),
                                 (7, '2023年决算数', [61.62, 0, 59.87, 0, 59.87, 1.75], 'actual', 2023)]:
    ws.cell(r, 1, lab)
    for j, v in enumerate(vals):
        ws.cell(r, 2+j, v)
        if year == 2023: E.add(F, S, A1(r, 2+j), 'sangong', items[j], col, None, wan(v))
        else: E.add(F, S, A1(r, 2+j), 'sangong', items[j], col, None, wan(v), year=2022)
wb.save(F); E.save('.')
