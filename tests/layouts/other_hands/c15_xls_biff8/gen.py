# Legacy .xls (BIFF8, as WPS saves): 收入决算表 with split 类|款|项 numeric codes
# (zeros lost), merged 4-row header (write_merge), 合计 on top, `金额单位：万元`;
# plus a 三公 sheet with top-only merge and text amounts with full-width digits.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import xlwt
F = '攀枝花市城市管理行政执法局2023年度部门决算公开表.xls'
wb = xlwt.Workbook(encoding='utf-8')
E = Expect(2023, '攀枝花市城市管理行政执法局')
S = '收入决算表'; ws = wb.add_sheet(S)
ws.write_merge(0, 0, 0, 10, '收入决算表'); ws.write(1, 10, '公开02表')
ws.write(2, 0, '部门：攀枝花市城市管理行政执法局'); ws.write(2, 10, '金额单位：万元')
ws.write_merge(3, 3, 0, 3, '项目')
cols = ['本年收入合计', '财政拨款收入', '上级补助收入', '事业收入', '经营收入', '附属单位上缴收入', '其他收入']
keys = ['income_total', 'fiscal_approp', 'superior_subsidy', 'business', 'operating', 'affiliated_remit', 'other']
for j, c in enumerate(cols): ws.write_merge(3, 5, 4+j, 4+j, c)
ws.write_merge(4, 4, 0, 2, '功能分类科目编码'); ws.write_merge(4, 5, 3, 3, '科目名称')
ws.write(5, 0, '类'); ws.write(5, 1, '款'); ws.write(5, 2, '项')
data = [(None, None, None, '合计', 2135.06, 2135.06), (208, None, None, '社会保障和就业支出', 1981.55, 1981.55),
        (208, 5, None, '行政事业单位养老支出', 1817.86, 1817.86), (208, 5, 1, '行政单位离退休', 197.48, 197.48), (208, 5, 2, '事业单位离退休', 1620.38, 1620.38),
        (208, 8, None, '抚恤', 163.69, 163.69), (208, 8, 1, '死亡抚恤', 163.69, 163.69),
        (210, None, None, '卫生健康支出', 153.51, 153.51), (210, 11, None, '行政事业单位医疗', 153.51, 153.51), (210, 11, 1, '行政单位医疗', 47.66, 47.66),
        (210, 11, 2, '事业单位医疗', 10.91, 10.91), (210, 11, 3, '公务员医疗补助', 94.94, 94.94)]
for i, (l, k, x, name, a, b) in enumerate(data):
    r = 6 + i
    if l is None:
        ws.write_merge(r, r, 0, 3, name); code = None
    else:
        ws.write(r, 0, l);
        if k is not None: ws.write(r, 1, k)
        if x is not None: ws.write(r, 2, x)
        ws.write(r, 3, name); code = str(l) + ('' if k is None else f'{k:02d}') + ('' if x is None else f'{x:02d}')
    ws.write(r, 4, a); ws.write(r, 5, b)
    E.add(F, S, A1(r+1, 5), 'income', 'total' if code is None else 'subject', 'income_total', code, wan(a))
    E.add(F, S, A1(r+1, 6), 'income', 'total' if code is None else 'subject', 'fiscal_approp', code, wan(b))
S = '三公经费'; ws = wb.add_sheet(S)
ws.write_merge(0, 0, 0, 11, '财政拨款“三公”经费支出决算表'); ws.write(1, 11, '单位：万元')
ws.write_merge(2, 2, 0, 5, '预算数'); ws.write_merge(2, 2, 6, 11, '决算数')
for base in (0, 6):
    ws.write(3, base, '合计'); ws.write(3, base+1, '因公出国（境）费'); ws.write_merge(3, 3, base+2, base+4, '公务用车购置及运行费'); ws.write(3, base+5, '公务接待费')
    ws.write(4, base+2, '小计'); ws.write(4, base+3, '公务用车购置费'); ws.write(4, base+4, '公务用车运行费')
items = ['sangong_total', 'abroad', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception']
vals = ['６５．００', '０', '６２．００', '０', '６２．００', '３．００', '６１．６２', '０．００', '５９．８７', '０．００', '５９．８７', '１．７５']
real = [65.00, 0, 62.00, 0, 62.00, 3.00, 61.62, 0, 59.87, 0, 59.87, 1.75]
for i, (v, x) in enumerate(zip(vals, real)):
    ws.write(5, i, v); E.add(F, S, A1(6, 1+i), 'sangong', items[i % 6], 'budget' if i < 6 else 'actual', None, wan(x))
wb.save(F); E.save('.')
