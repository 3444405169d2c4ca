# 支出决算表 with split 类|款|项 columns where each level is written only where it
# changes (类 left blank on 款/项 rows, 款 blank on 项 rows), codes as TEXT with their
# zeros ('05', '01'), as a finance office types them. Expected codes from context
# (2080505 etc.) or a warning; never a bare '05'/'01' or a code from the wrong class.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '2023年度支出决算表.xlsx'; S = '支出决算表'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '攀枝花市园林绿化服务中心支出决算表'; ws['F2'] = '单位：万元'
ws['A3'] = '科目编码'; ws.merge_cells('A3:C3'); ws['D3'] = '科目名称'; ws['E3'] = '本年支出合计'; ws['F3'] = '基本支出'; ws['G3'] = '项目支出'
for c in 'DEFG': ws.merge_cells(f'{c}3:{c}4')
ws['A4'] = '类'; ws['B4'] = '款'; ws['C4'] = '项'
rows = [(None, None, None, '合计', '', [4826.33, 1364.15, 3462.18]),
        ('208', None, None, '社会保障和就业支出', '208', [664.15, 664.15, 0]),
        (None, '05', None, '行政事业单位养老支出', '20805', [664.15, 664.15, 0]),
        (None, None, '05', '机关事业单位基本养老保险缴费支出', '2080505', [577.19, 577.19, 0]),
        (None, None, '06', '机关事业单位职业年金缴费支出', '2080506', [86.96, 86.96, 0]),
        ('212', None, None, '城乡社区支出', '212', [4162.18, 700.00, 3462.18]),
        (None, '05', None, '城乡社区环境卫生', '21205', [4162.18, 700.00, 3462.18]),
        (None, None, '01', '城乡社区环境卫生', '2120501', [4162.18, 700.00, 3462.18])]
E = Expect(2023, '攀枝花市园林绿化服务中心')
for i, (l, k, x, name, code, vals) in enumerate(rows):
    r = 5 + i
    if name == '合计':
        ws.cell(r, 1, '合计'); ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    else:
        for c, v in ((1, l), (2, k), (3, x)):
            if v is not None: ws.cell(r, c, v)
        ws.cell(r, 4, name)
    for j, v in enumerate(vals):
        ws.cell(r, 5+j, v); E.add(F, S, A1(r, 5+j), 'expenditure', 'total' if not code else 'subject', ['expenditure_total', 'basic', 'project'][j], code or None, wan(v))
wb.save(F); E.save('.')
