# 收入决算表 (公开02表) with subject codes split into 类 | 款 | 项 columns stored as
# NUMBERS, so leading zeros are lost (208 | 5 | 1 for 2080501); four-row header
# with 功能分类科目编码 merged over 类/款/项; 合计 row on top; 金额单位：万元 in row 3
# beside the 部门 line; zero columns left blank.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '2023年收入决算表.xlsx'; S = '收入决算表'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '收入决算表'; ws.merge_cells('A1:K1')
ws['K2'] = '公开02表'
ws['A3'] = '部门：攀枝花市城市管理行政执法局'; ws['K3'] = '金额单位：万元'
ws['A4'] = '项目'; ws.merge_cells('A4:D4')
cols = ['本年收入合计', '财政拨款收入', '上级补助收入', '事业收入', '经营收入', '附属单位上缴收入', '其他收入']
keys = ['income_total', 'fiscal_approp', 'superior_subsidy', 'business', 'operating', 'affiliated_remit', 'other']
for j, c in enumerate(cols):
    ws.cell(4, 5+j, c); ws.merge_cells(start_row=4, start_column=5+j, end_row=6, end_column=5+j)
ws['A5'] = '功能分类科目编码'; ws.merge_cells('A5:C5'); ws['D5'] = '科目名称'; ws.merge_cells('D5:D6')
ws['A6'] = '类'; ws['B6'] = '款'; ws['C6'] = '项'
data = [  # (类,款,项,name, total, fiscal, other)
 (None, None, None, '合计', 7718.77, 7708.77, 10.00),
 (208, None, None, '社会保障和就业支出', 1981.55, 1981.55, None),
 (208, 5, None, '行政事业单位养老支出', 1817.86, 1817.86, None),
 (208, 5, 1, '行政单位离退休', 197.48, 197.48, None),
 (208, 5, 2, '事业单位离退休', 1620.38, 1620.38, None),
 (208, 8, None, '抚恤', 163.69, 163.69, None),
 (208, 8, 1, '死亡抚恤', 163.69, 163.69, None),
 (212, None, None, '城乡社区支出', 5317.67, 5307.67, 10.00),
 (212, 1, None, '城乡社区管理事务', 1155.49, 1145.49, 10.00),
 (212, 1, 1, '行政运行', 755.60, 755.60, None),
 (212, 1, 99, '其他城乡社区管理事务支出', 399.89, 389.89, 10.00),
 (212, 5, None, '城乡社区环境卫生', 4162.18, 4162.18, None),
 (212, 5, 1, '城乡社区环境卫生', 4162.18, 4162.18, None),
 (221, None, None, '住房保障支出', 419.55, 419.55, None),
 (221, 2, None, '住房改革支出', 419.55, 419.55, None),
 (221, 2, 1, '住房公积金', 419.55, 419.55, None),
]
E = Expect(2023, '攀枝花市城市管理行政执法局')
E.notes.append('year: no year anywhere except none -> tool must not invent; see report')
for i, (l, k, x, name, tot, fis, oth) in enumerate(data):
    r = 7 + i
    if l is None:
        ws.cell(r, 1, name); ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        item, code = 'total', None
    else:
        ws.cell(r, 1, l); ws.cell(r, 2, k); ws.cell(r, 3, x); ws.cell(r, 4, name)
        item = 'subject'
        code = str(l) + ('' if k is None else f'{k:02d}') + ('' if x is None else f'{x:02d}')
    for j, v in [(0, tot), (1, fis), (6, oth)]:
        if v is not None:
            ws.cell(r, 5+j, v); E.add(F, S, A1(r, 5+j), 'income', item, keys[j], code, wan(v))
wb.save(F); E.save('.')
