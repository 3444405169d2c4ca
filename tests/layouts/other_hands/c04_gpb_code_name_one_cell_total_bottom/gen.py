# 一般公共预算财政拨款支出决算表 with code and name in ONE cell in several styles
# (`[2080501]行政单位离退休`, `2080501 行政单位离退休`, `2080501　行政单位离退休`
# (full-width space), `20805-行政事业单位养老支出`), 合计 at the BOTTOM,
# label column headed 功能分类科目; unit line `单位:万元` (half-width colon) in row 2;
# identity in title `XX局2023年度一般公共预算财政拨款支出决算表`.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = 'gpb.xlsx'; S = '公开05表'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '攀枝花市城市管理行政执法局2023年度一般公共预算财政拨款支出决算表'; ws.merge_cells('A1:D1')
ws['D2'] = '单位:万元'
ws['A3'] = '功能分类科目'; ws['B3'] = '合计'; ws['C3'] = '基本支出'; ws['D3'] = '项目支出'
data = [
 ('[208]社会保障和就业支出', '208', 1981.55, 1981.55, 0),
 ('[20805]行政事业单位养老支出', '20805', 1817.86, 1817.86, 0),
 ('[2080501]行政单位离退休', '2080501', 197.48, 197.48, 0),
 ('2080502 事业单位离退休', '2080502', 1620.38, 1620.38, 0),
 ('20808　抚恤', '20808', 163.69, 163.69, 0),
 ('2080801　死亡抚恤', '2080801', 163.69, 163.69, 0),
 ('212-城乡社区支出', '212', 4917.78, 755.60, 4162.18),
 ('21201-城乡社区管理事务', '21201', 755.60, 755.60, 0),
 ('2120101-行政运行', '2120101', 755.60, 755.60, 0),
 ('21205 城乡社区环境卫生', '21205', 4162.18, 0, 4162.18),
 ('2120501 城乡社区环境卫生', '2120501', 4162.18, 0, 4162.18),
 ('合计', None, 6899.33, 2737.15, 4162.18),
]
keys = ['actual_total', 'basic', 'project']
E = Expect(2023, '攀枝花市城市管理行政执法局')
for i, (lab, code, *vals) in enumerate(data):
    r = 4 + i
    ws.cell(r, 1, lab)
    for j, v in enumerate(vals):
        ws.cell(r, 2+j, v)
        E.add(F, S, A1(r, 2+j), 'gpb_expenditure', 'total' if code is None else 'subject', keys[j], code, wan(v))
wb.save(F); E.save('.')
