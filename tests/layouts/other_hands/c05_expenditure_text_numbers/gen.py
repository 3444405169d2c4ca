# 支出决算表 in 元 with 7-digit codes in a 科目编码 column + 科目名称 column;
# amounts as TEXT: thousands separators, full-width digits and comma/point,
# `（25.00）` and `(1,200.50)` negatives, `-3,000.00`, padded spaces; `—`, `-`, `/`,
# blank and `0` for nothing; unit `单位：元` split over two cells (`单位：` | `元`).
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '2023年度支出决算表.xlsx'; S = '支出决算表'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '支出决算表'; ws.merge_cells('A1:H1')
ws['A2'] = '编制单位：攀枝花市园林绿化服务中心'; ws['G2'] = '单位：'; ws['H2'] = '元'
hdr = ['科目编码', '科目名称', '本年支出合计', '基本支出', '项目支出', '上缴上级支出', '经营支出', '对附属单位补助支出']
keys = [None, None, 'expenditure_total', 'basic', 'project', 'upper_remit', 'operating', 'affiliated_subsidy']
for j, h in enumerate(hdr): ws.cell(3, 1+j, h)
# (code, name, [values as written], [expected 元 or None for nothing])
rows = [
 ('', '合计', ['21,776,300.00', '17,856,300.00', '3,920,000.00', '—', '-', '/'], [21776300, 17856300, 3920000, None, None, None]),
 ('208', '社会保障和就业支出', ['１８，１７８，６００．００', '１８１７８６００', '0', '', '—', '—'], [18178600, 18178600, 0, None, None, None]),
 ('2080501', '行政单位离退休', ['1974800', ' 1,974,800.00 ', '-', '/', '/', '/'], [1974800, 1974800, None, None, None, None]),
 ('2080502', '事业单位离退休', [16203800.0, '16,203,800', None, None, None, None], [16203800, 16203800, None, None, None, None]),
 ('212', '城乡社区支出', ['3,597,700.00', '-322,300.00', '3,920,000.00', None, None, None], [3597700, -322300, 3920000, None, None, None]),
 ('2120501', '城乡社区环境卫生', ['3,597,700.00', '（322,300.00）', '3,920,000.00', '(1,200.50)', '（25）', None], [3597700, -322300, 3920000, -1200.50, -25, None]),
]
E = Expect(2023, '攀枝花市园林绿化服务中心')
for i, (code, name, vals, exp) in enumerate(rows):
    r = 4 + i
    ws.cell(r, 1, code or None); ws.cell(r, 2, name)
    for j, (v, x) in enumerate(zip(vals, exp)):
        c = 3 + j
        if v is not None: ws.cell(r, c, v)
        if x is not None:
            E.add(F, S, A1(r, c), 'expenditure', 'total' if not code else 'subject', keys[c-1], code or None, x)
ws['A11'] = '注：本表反映部门本年度各项支出情况。'
wb.save(F); E.save('.')
