# 一般公共预算财政拨款支出决算表 with columns beside 决算数 that are NOT this year's
# amounts: 年初预算数 | 全年预算数 | 决算数 (合计/基本支出/项目支出, merged group
# heading over 3) | 2022年决算数 | 增减额 | 增减% | 完成预算%. Prior-year column placed
# BEFORE the current one as some regions do? No: here to the right. 万元, seed 000.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '2023_gpb_yoy.xlsx'; S = 'Sheet1'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '攀枝花市城市管理行政执法局一般公共预算财政拨款支出决算表'; ws.merge_cells('A1:K1')
ws['A2'] = '2023年度'; ws['K2'] = '单位：万元'
hdr = ['科目编码', '科目名称', '年初预算数', '全年预算数', '决算数', None, None, '2022年决算数', '增减额', '增减%', '完成预算%']
for j, h in enumerate(hdr): ws.cell(3, 1+j, h)
ws.merge_cells('E3:G3'); ws['E4'] = '合计'; ws['F4'] = '基本支出'; ws['G4'] = '项目支出'
for c in 'ABCDHIJK': ws.merge_cells(f'{c}3:{c}4')
rows = [  # code, name, 年初, 全年, 合计, 基本, 项目, 上年, 增减额, 增减%, 完成%
 (None, '合计', 8000.00, 8589.95, 8589.95, 7803.25, 786.70, 8842.02, -252.07, '-2.85%', '100.00%'),
 ('212', '城乡社区支出', 5000.00, 5331.03, 5331.03, 4568.93, 762.10, 5500.00, -168.97, -0.0307, 1),
 ('2120101', '行政运行', 700.00, 755.60, 755.60, 755.60, 0, 745.10, 10.50, 0.0141, 1),
 ('2120501', '城乡社区环境卫生', 4300.00, 4575.43, 4575.43, 3813.33, 762.10, 4754.90, -179.47, -0.0377, 1),
]
E = Expect(2023, '攀枝花市城市管理行政执法局')
for i, row in enumerate(rows):
    r = 5 + i
    code, name = row[:2]
    ws.cell(r, 1, code); ws.cell(r, 2, name)
    item = 'total' if code is None else 'subject'
    for j, v in enumerate(row[2:]):
        c = 3 + j; ws.cell(r, c, v)
        key = {3: 'budget_initial?', 4: 'budget_full', 5: 'actual_total', 6: 'basic', 7: 'project'}.get(c)
        if key == 'budget_initial?':
            E.absent(F, S, A1(r, c), '年初预算数: no key in spec; must be reported, not mapped to another column')
        elif key:
            E.add(F, S, A1(r, c), 'gpb_expenditure', item, key, code, wan(v))
        else:
            E.absent(F, S, A1(r, c), f'{hdr[c-1]}: not a 2023 amount')
wb.save(F); E.save('.')
