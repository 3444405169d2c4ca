# Unit line and column heading DISAGREE (§2: "the unit of money in a column heading
# ... instead of, or disagreeing with, a unit line"). Sheet states `单位：元` in row 2
# (left over from the template) but the value columns are headed `预算数（万元）` /
# `决算数（万元）` and the figures are plainly 万元 (61.62). Expected: 万元 taken from the
# heading, or at least a warning naming the disagreement - not a silent 元.
# Second file: the reverse - `单位：万元` line, headings `预算数（元）`/`决算数（元）`, figures in 元.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
items = [('合计', 'sangong_total'), ('因公出国（境）费', 'abroad'), ('公务用车购置及运行费', 'vehicle_total'), ('公务用车购置费', 'vehicle_purchase'), ('公务用车运行费', 'vehicle_operation'), ('公务接待费', 'reception')]
bud = [65.00, 0, 62.00, 0, 62.00, 3.00]; act = [61.62, 0, 59.87, 0, 59.87, 1.75]
E = Expect(2023)
for F, unit, line, hdrunit, scale in [('攀枝花市城市管理行政执法局2023年三公.xlsx', '攀枝花市城市管理行政执法局', '单位：元', '（万元）', 10000),
                                       ('攀枝花市园林绿化服务中心2023年三公.xlsx', '攀枝花市园林绿化服务中心', '单位：万元', '（元）', 1)]:
    S = '三公'
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
    ws['A1'] = f'{unit}财政拨款“三公”经费支出决算表'; ws['A2'] = '2023年度'; ws['C2'] = line
    ws['A3'] = '项目'; ws['B3'] = '预算数' + hdrunit; ws['C3'] = '决算数' + hdrunit
    for i, ((lab, key), b, a) in enumerate(zip(items, bud, act)):
        b2, a2 = (b, a) if scale == 10000 else (int(round(b * 10000)), int(round(a * 10000)))
        ws.cell(4+i, 1, lab); ws.cell(4+i, 2, b2); ws.cell(4+i, 3, a2)
        E.add(F, S, A1(4+i, 2), 'sangong', key, 'budget', None, wan(b), unit_name=unit)
        E.add(F, S, A1(4+i, 3), 'sangong', key, 'actual', None, wan(a), unit_name=unit)
    wb.save(F)
E.save('.')
