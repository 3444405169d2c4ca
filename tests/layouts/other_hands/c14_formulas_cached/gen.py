# 一般公共预算财政拨款支出决算表 (万元) whose 合计/类/款 rows are FORMULAS with cached
# values as Excel stores them (binary-float noise such as 2705.8399999999997 and
# 0.30000000000000004), plus one formula cell WITHOUT a cached value (E12, as written
# by a tool that never recalculated): it must be reported, not read as 0 nor dropped silently.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl, zipfile
F = '2023年度一般公共预算财政拨款支出决算表.xlsx'; S = '公开05表'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '一般公共预算财政拨款支出决算表'; ws['A2'] = '部门：攀枝花市城市管理行政执法局'; ws['E2'] = '单位：万元'
for j, h in enumerate(['科目编码', '科目名称', '合计', '基本支出', '项目支出']): ws.cell(3, 1+j, h)
E = Expect(2023, '攀枝花市城市管理行政执法局')
keys = ['actual_total', 'basic', 'project']
rows = [  # row, code, name, values or formulas
 (4, None, '合计', ['=C5+C9', '=D5+D9', '=E5+E9'], [2706.14, 2705.84, 0.30]),
 (5, '208', '社会保障和就业支出', ['=C6', '=D6', '=E6'], [2705.8399999999997, 2705.8399999999997, 0]),
 (6, '20805', '行政事业单位养老支出', ['=SUM(C7:C8)', '=SUM(D7:D8)', '=SUM(E7:E8)'], [2705.8399999999997, 2705.8399999999997, 0]),
 (7, '2080505', '机关事业单位基本养老保险缴费支出', [2618.88, 2618.88, 0], None),
 (8, '2080506', '机关事业单位职业年金缴费支出', [86.96, 86.96, 0], None),
 (9, '213', '农林水支出', ['=C10', '=D10', '=E10'], [0.30000000000000004, 0, 0.30000000000000004]),
 (10, '21305', '巩固脱贫攻坚成果衔接乡村振兴', ['=C11+C12', '=D11+D12', '=E11+E12'], [0.30000000000000004, 0, 0.30000000000000004]),
 (11, '2130599', '其他巩固脱贫攻坚成果衔接乡村振兴支出', [0.1, 0, 0.1], None),
 (12, '2130504', '农村基础设施建设', ['=0.2', 0, '=C12-D12'], [0.2, 0, None]),
]
cached = {}
for r, code, name, vals, cache in rows:
    ws.cell(r, 1, code); ws.cell(r, 2, name)
    for j, v in enumerate(vals):
        ws.cell(r, 3+j, v)
        real = cache[j] if cache else v
        if isinstance(v, str) and v.startswith('='):
            if real is not None: cached[A1(r, 3+j)] = repr(real)
        if real is None:
            E.absent(F, S, A1(r, 3+j), 'formula with no cached value: must be a warning, value 0.2 unknown to the reader')
        else:
            E.add(F, S, A1(r, 3+j), 'gpb_expenditure', 'total' if code is None else 'subject', keys[j], code, (wan(round(real, 2))))
wb.save(F)
set_cached_values(F, 'xl/worksheets/sheet1.xml', cached)
E.save('.')
