# 三公 with ITEMS on the top header row and 预算数 | 决算数 UNDER each item (the
# opposite nesting of the standard form). Three header rows: row 4 items (合计,
# 因公出国（境）费, 公务用车购置及运行费 (merged over 6), 公务接待费), row 5 sub-items under
# 公务用车 only (小计, 公务用车购置费, 公务用车运行费 each merged over 2) and NOTHING in
# the middle row under the other items (cells empty, NOT merged), row 6 预算数/决算数.
# Plus counts in extra columns: 公务用车保有量（辆） and 公务接待批次/人次, in a 万元 table.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '2020年三公经费.xlsx'; S = '表7'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '攀枝花市数字化城市联动指挥中心2020年度财政拨款“三公”经费支出决算表'; ws.merge_cells('A1:O1')
ws['O3'] = '单位：万元'
ws['A4'] = '合计'; ws.merge_cells('A4:B4'); ws['C4'] = '因公出国（境）费'; ws.merge_cells('C4:D4')
ws['E4'] = '公务用车购置及运行费'; ws.merge_cells('E4:J4'); ws['K4'] = '公务接待费'; ws.merge_cells('K4:L4')
ws['M4'] = '公务用车保有量（辆）'; ws['N4'] = '公务接待批次（批）'; ws['O4'] = '公务接待人次（人次）'
for c in 'MNO': ws.merge_cells(f'{c}4:{c}6')
ws['E5'] = '小计'; ws.merge_cells('E5:F5'); ws['G5'] = '公务用车购置费'; ws.merge_cells('G5:H5'); ws['I5'] = '公务用车运行费'; ws.merge_cells('I5:J5')
for j in range(12): ws.cell(6, 1+j, '预算数' if j % 2 == 0 else '决算数')
items = ['sangong_total', 'abroad', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception']
vals = [1.90, 1.12, 0, 0, 1.50, 0.94, 0, 0, 1.50, 0.94, 0.40, 0.18]
E = Expect(2020, '攀枝花市数字化城市联动指挥中心')
for j, v in enumerate(vals):
    ws.cell(7, 1+j, v); E.add(F, S, A1(7, 1+j), 'sangong', items[j // 2], 'budget' if j % 2 == 0 else 'actual', None, wan(v))
for c, v in zip('MNO', [2, 1, 9]):
    ws[f'{c}7'] = v; E.absent(F, S, f'{c}7', f'count {v}: not money')
wb.save(F); E.save('.')
