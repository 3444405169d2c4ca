# Like c17 but isolating the hidden-sheet effect: visible 2023 支出决算表 FIRST,
# then a hidden sheet `2022` with last year's 支出决算表 (title `支出决算表`, `2022年度`),
# and no hidden column. Year only in the file name and in each sheet's row 2.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '攀枝花市园林绿化服务中心2023年度部门决算公开表.xlsx'
E = Expect(2023, '攀枝花市园林绿化服务中心')
wb = openpyxl.Workbook()
def exp_sheet(ws, year, vals, record):
    ws['A1'] = '支出决算表'; ws['A2'] = f'{year}年度'; ws['E2'] = '单位：万元'
    for j, h in enumerate(['科目编码', '科目名称', '本年支出合计', '基本支出', '项目支出']): ws.cell(3, 1+j, h)
    rows = [(None, '合计'), ('208', '社会保障和就业支出'), ('20805', '行政事业单位养老支出'), ('2080505', '机关事业单位基本养老保险缴费支出')]
    for i, ((code, name), v) in enumerate(zip(rows, vals)):
        r = 4 + i
        ws.cell(r, 1, code if code else '合计'); ws.cell(r, 2, name if code else None)
        for j, x in enumerate(v):
            ws.cell(r, 3+j, x)
            if record: E.add(F, ws.title, A1(r, 3+j), 'expenditure', 'subject' if code else 'total', ['expenditure_total', 'basic', 'project'][j], code, wan(x))
ws = wb.active; ws.title = '支出决算表'
exp_sheet(ws, 2023, [[636.84, 636.84, 0]] * 4, True)
old = wb.create_sheet('2022')
exp_sheet(old, 2022, [[499.00, 499.00, 0]] * 4, False)
old.sheet_state = 'hidden'
for r in range(4, 8):
    for c in range(3, 6): E.absent(F, '2022', A1(r, c), 'hidden sheet with 2022 figures')
wb.save(F); E.save('.')
