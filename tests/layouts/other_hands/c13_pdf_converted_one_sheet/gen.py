# A PDF-to-Excel conversion: several public tables stacked on ONE sheet, no merged
# cells, amounts as text with thousands separators, page footers `第 1 页，共 3 页`,
# and the 收入决算表 running over a page break so its header is REPEATED in the
# middle of the table (continuation rows must stay in 收入决算表). Identity only in the
# first line `攀枝花市城市管理行政执法局2023年度部门决算公开表`.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = 'pzh_cgj_2023_jsgk.xlsx'; S = 'Table 1'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
E = Expect(2023, '攀枝花市城市管理行政执法局')
r = 1
def put(row, vals):
    for j, v in enumerate(vals):
        if v is not None: ws.cell(row, 1+j, v)
def fmt(x): return f'{x:,.2f}'
put(r, ['攀枝花市城市管理行政执法局2023年度部门决算公开表']); r += 2
# --- 收入决算表 ---
put(r, ['收入决算表']); r += 1
put(r, ['公开02表', None, None, None, None, None, None, None, '单位：万元']); r += 1
hdr1 = ['科目编码', '科目名称', '本年收入合计', '财政拨款收入', '上级补助收入', '事业收入', '经营收入', '附属单位上缴收入', '其他收入']
keys = [None, None, 'income_total', 'fiscal_approp', 'superior_subsidy', 'business', 'operating', 'affiliated_remit', 'other']
put(r, hdr1); r += 1
inc = [(None, '合计', 8929.95, 8929.95), ('201', '一般公共服务支出', 2.68, 2.68), ('20132', '组织事务', 0.75, 0.75), ('2013299', '其他组织事务支出', 0.75, 0.75),
       ('20138', '市场监督管理事务', 1.93, 1.93), ('2013816', '食品安全监管', 1.93, 1.93), ('208', '社会保障和就业支出', 2705.84, 2705.84),
       ('20805', '行政事业单位养老支出', 2541.66, 2541.66)]
inc2 = [('2080501', '行政单位离退休', 197.48, 197.48), ('2080502', '事业单位离退休', 1620.38, 1620.38), ('2080505', '机关事业单位基本养老保险缴费支出', 636.84, 636.84),
        ('2080506', '机关事业单位职业年金缴费支出', 86.96, 86.96), ('212', '城乡社区支出', 5671.03, 5671.03), ('2120501', '城乡社区环境卫生', 4502.18, 4502.18)]
def incrow(row, code, name, a, b):
    put(row, [code, name, fmt(a), fmt(b)])
    E.add(F, S, A1(row, 3), 'income', 'total' if code is None else 'subject', 'income_total', code, wan(a))
    E.add(F, S, A1(row, 4), 'income', 'total' if code is None else 'subject', 'fiscal_approp', code, wan(b))
for code, name, a, b in inc:
    if code is None: put(r, ['合计']); put(r, [None, None, fmt(a), fmt(b)]); E.add(F, S, A1(r, 3), 'income', 'total', 'income_total', None, wan(a)); E.add(F, S, A1(r, 4), 'income', 'total', 'fiscal_approp', None, wan(b))
    else: incrow(r, code, name, a, b)
    r += 1
put(r, [None, None, None, None, '第 1 页，共 3 页']); r += 1
put(r, hdr1); r += 1          # header repeated after the page break
for code, name, a, b in inc2:
    incrow(r, code, name, a, b); r += 1
put(r, [None, None, None, None, '第 2 页，共 3 页']); r += 1
r += 1
# --- 支出决算表 ---
put(r, ['支出决算表']); r += 1
put(r, ['公开03表', None, None, None, None, None, None, '单位：万元']); r += 1
put(r, ['科目编码', '科目名称', '本年支出合计', '基本支出', '项目支出', '上缴上级支出', '经营支出', '对附属单位补助支出']); r += 1
exp = [(None, '合计', 8929.95, 7803.25, 1126.70), ('201', '一般公共服务支出', 2.68, 0, 2.68), ('208', '社会保障和就业支出', 2705.84, 2705.84, 0),
       ('212', '城乡社区支出', 5671.03, 4547.01, 1124.02), ('221', '住房保障支出', 550.40, 550.40, 0)]
for code, name, a, b, c in exp:
    put(r, [code if code else '合计', name if code else None, fmt(a), fmt(b), fmt(c)])
    for j, v in enumerate((a, b, c)):
        E.add(F, S, A1(r, 3+j), 'expenditure', 'total' if code is None else 'subject', ['expenditure_total', 'basic', 'project'][j], code, wan(v))
    r += 1
put(r, [None, None, None, None, '第 3 页，共 3 页']); r += 1
wb.save(F); E.save('.')
