# 三公 items as rows, with the YEAR only in a merged group heading above
# 预算数/决算数: row 4 `2022年度` (over one column 决算数) | `2023年度` (over 预算数, 决算数);
# second file: columns 上年决算数 | 本年预算数 | 本年决算数 | 增减率 (no explicit year).
# Seed 000: 三公 2023 61.62 vs 2022 29.40 (+109.59%); 接待 1.75 vs 0.83.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
items = [('合计', 'sangong_total', 29.40, 65.00, 61.62), ('因公出国（境）费', 'abroad', 0, 0, 0),
         ('公务用车购置及运行费', 'vehicle_total', 28.57, 62.00, 59.87), ('其中：公务用车购置费', 'vehicle_purchase', 0, 0, 0),
         ('      公务用车运行费', 'vehicle_operation', 28.57, 62.00, 59.87), ('公务接待费', 'reception', 0.83, 3.00, 1.75)]
E = Expect(2023, '攀枝花市城市管理行政执法局')
# file 1: year in group heading
F = '2023年度三公经费决算表_年度分组.xlsx'; S = '三公经费'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '攀枝花市城市管理行政执法局财政拨款“三公”经费支出决算表'; ws['D2'] = '单位：万元'
ws['A3'] = '项目'; ws.merge_cells('A3:A4'); ws['B3'] = '2022年度'; ws['C3'] = '2023年度'; ws.merge_cells('C3:D3')
ws['B4'] = '决算数'; ws['C4'] = '预算数'; ws['D4'] = '决算数'
for i, (lab, key, prev, bud, act) in enumerate(items):
    r = 5 + i
    ws.cell(r, 1, lab); ws.cell(r, 2, prev); ws.cell(r, 3, bud); ws.cell(r, 4, act)
    E.add(F, S, A1(r, 3), 'sangong', key, 'budget', None, wan(bud))
    E.add(F, S, A1(r, 4), 'sangong', key, 'actual', None, wan(act))
    E.absent(F, S, A1(r, 2), '2022 决算数 must not be a 2023 figure (a 2022 fact is fine)')
wb.save(F)
# file 2: 上年/本年 wording
F = '2023年度三公经费决算表_上年本年.xlsx'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '攀枝花市城市管理行政执法局财政拨款“三公”经费支出决算表'; ws['E2'] = '单位：万元'
for j, h in enumerate(['项目', '上年决算数', '本年预算数', '本年决算数', '增减率']): ws.cell(3, 1+j, h)
for i, (lab, key, prev, bud, act) in enumerate(items):
    r = 4 + i
    ws.cell(r, 1, lab); ws.cell(r, 2, prev); ws.cell(r, 3, bud); ws.cell(r, 4, act)
    ws.cell(r, 5, round((act - prev) / prev, 4) if prev else '—')
    E.add(F, S, A1(r, 3), 'sangong', key, 'budget', None, wan(bud))
    E.add(F, S, A1(r, 4), 'sangong', key, 'actual', None, wan(act))
    E.absent(F, S, A1(r, 2), '上年决算数 must not be a 2023 figure')
    E.absent(F, S, A1(r, 5), '增减率 is a rate')
wb.save(F)
E.save('.')
