# Hidden rows, a hidden column and a hidden sheet, as left behind by an office that
# re-uses last year's workbook:
#  - 支出决算表: zero 款/项 rows hidden (rows 7-8, with data: they must still be read);
#  - 三公 (items as rows): a HIDDEN column C `决算数` holding last year's figures, left of
#    the visible `决算数` column D holding this year's (must not silently take C);
#  - a hidden sheet `2022` holding last year's 支出决算表 with title `支出决算表` and
#    `2022年度` in row 2, placed BEFORE the visible 2023 sheet.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl, os
VARIANT = os.environ.get('VARIANT', 'a')
F = '攀枝花市园林绿化服务中心2023年度部门决算公开表.xlsx'
E = Expect(2023, '攀枝花市园林绿化服务中心')
wb = openpyxl.Workbook()
def exp_sheet(ws, year, vals, record):
    ws['A1'] = '支出决算表'; ws['A2'] = f'{year}年度'; ws['E2'] = '单位：万元'
    for j, h in enumerate(['科目编码', '科目名称', '本年支出合计', '基本支出', '项目支出']): ws.cell(3, 1+j, h)
    rows = [(None, '合计'), ('208', '社会保障和就业支出'), ('20805', '行政事业单位养老支出'), ('2080505', '机关事业单位基本养老保险缴费支出'),
            ('213', '农林水支出'), ('21301', '农业农村'), ('2130199', '其他农业农村支出')]
    for i, ((code, name), v) in enumerate(zip(rows, vals)):
        r = 4 + i
        ws.cell(r, 1, code if code else '合计'); ws.cell(r, 2, name if code else None)
        for j, x in enumerate(v):
            ws.cell(r, 3+j, x)
            if record: E.add(F, ws.title, A1(r, 3+j), 'expenditure', 'subject' if code else 'total', ['expenditure_total', 'basic', 'project'][j], code, wan(x))
old = wb.active; old.title = '2022'
exp_sheet(old, 2022, [[500.00, 499.00, 1.00], [499.00, 499.00, 0], [499.00, 499.00, 0], [499.00, 499.00, 0], [1.00, 0, 1.00], [1.00, 0, 1.00], [1.00, 0, 1.00]], False)
old.sheet_state = 'hidden'
for r in range(4, 11):
    for c in range(3, 6): E.absent(F, '2022', A1(r, c), 'hidden sheet with 2022 figures: must not become 2023 facts')
ws = wb.create_sheet('支出决算表')
exp_sheet(ws, 2023, [[636.84, 636.84, 0], [636.84, 636.84, 0], [636.84, 636.84, 0], [636.84, 636.84, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]], True)
for r in (8, 9, 10): ws.row_dimensions[r].hidden = True
S = '三公'; ws = wb.create_sheet(S)
ws['A1'] = '财政拨款“三公”经费支出决算表'; ws['D2'] = '单位：万元'
for c, h in zip('ABCD', ['项目', '预算数', '决算数', '决算数']): ws[f'{c}3'] = h
ws.column_dimensions['C'].hidden = True
items = [('合计', 'sangong_total', 12.00, 9.00, 11.20), ('因公出国（境）费', 'abroad', 0, 0, 0), ('公务用车购置及运行费', 'vehicle_total', 10.00, 8.00, 9.40),
         ('公务用车购置费', 'vehicle_purchase', 0, 0, 0), ('公务用车运行费', 'vehicle_operation', 10.00, 8.00, 9.40), ('公务接待费', 'reception', 2.00, 1.00, 1.80)]
for i, (lab, key, b, old_a, a) in enumerate(items):
    r = 4 + i
    ws.cell(r, 1, lab); ws.cell(r, 2, b); ws.cell(r, 3, old_a); ws.cell(r, 4, a)
    E.add(F, S, A1(r, 2), 'sangong', key, 'budget', None, wan(b))
    E.add(F, S, A1(r, 4), 'sangong', key, 'actual', None, wan(a))
    E.absent(F, S, A1(r, 3), 'hidden column with last year\'s 决算数')
wb.save(F); E.save('.')
