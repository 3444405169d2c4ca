# 三公 with items as ROWS (项目 | 预算数（万元） | 决算数（万元）): unit only in the
# column headings; numbered and spaced labels (`1.因 公 出 国（境）费`,
# `其中：（1）公务用车购置费`); counts inside the table (批次, 人次, 辆);
# 机关运行经费 as an extra row; title `XX“三公”经费及机关运行经费支出决算表` carries
# the identity; year in row 2 only. Seed 002 figures (三公 1.12 = 0.94 + 0.18).
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = 'szcg_2020_sangong.xlsx'; S = 'Sheet1'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '攀枝花市数字化城市联动指挥中心“三公”经费及机关运行经费支出决算表'; ws.merge_cells('A1:C1')
ws['A2'] = '2020年度'
ws['A4'] = '项目'; ws['B4'] = '预算数（万元）'; ws['C4'] = '决算数（万元）'
rows = [
 ('合计', 1.90, 1.12, 'sangong_total'),
 ('1.因 公 出 国（境）费', 0, 0, 'abroad'),
 ('2.公务用车购置及运行维护费', 1.50, 0.94, 'vehicle_total'),
 ('  其中：（1）公务用车购置费', 0, 0, 'vehicle_purchase'),
 ('        （2）公务用车运行维护费', 1.50, 0.94, 'vehicle_operation'),
 ('3.公务接待费', 0.40, 0.18, 'reception'),
 ('  其中：国内公务接待批次（批）', '—', 1, None),
 ('        国内公务接待人次（人次）', '—', 9, None),
 ('公务用车保有量（辆）', '—', 2, None),
 ('机关运行经费', 20.00, 18.35, 'admin_operating_cost'),
]
E = Expect(2020, '攀枝花市数字化城市联动指挥中心')
for i, (lab, b, a, key) in enumerate(rows):
    r = 5 + i
    ws.cell(r, 1, lab); ws.cell(r, 2, b); ws.cell(r, 3, a)
    if key:
        E.add(F, S, A1(r, 2), 'sangong', key, 'budget', None, wan(b))
        E.add(F, S, A1(r, 3), 'sangong', key, 'actual', None, wan(a))
    else:
        E.absent(F, S, A1(r, 3), f'count {lab.strip()} = {a}: must not be money (×10000) nor another item')
wb.save(F); E.save('.')
