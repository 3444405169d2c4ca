# Identity only in the table title, in common title shapes, inside files named the
# way published attachments are named (`附件3：2023年度部门决算公开表.xlsx`).
#  file A: title `2023年度攀枝花市城市管理行政执法局“三公”经费支出决算表` (year first)
#  file B: title `攀枝花市园林绿化服务中心（本级）财政拨款“三公”经费支出决算表`, 年度 in row 2
#  file C: title `攀枝花市数字化城市联动指挥中心部门“三公”经费支出决算表`, `2023年度` in row 2
# Expected: unit_name from the title (or the file rejected / a warning) - never a
# fragment of the file name such as `附件3`.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
items = ['sangong_total', 'abroad', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception']
E = Expect(2023)
for F, title, row2, unit, vals in [
    ('附件3：2023年度部门决算公开表.xlsx', '2023年度攀枝花市城市管理行政执法局“三公”经费支出决算表', None, '攀枝花市城市管理行政执法局', [61.62, 0, 59.87, 0, 59.87, 1.75]),
    ('附件2 2023年部门决算公开表.xlsx', '攀枝花市园林绿化服务中心（本级）财政拨款“三公”经费支出决算表', '2023年度', '攀枝花市园林绿化服务中心（本级）', [12.00, 0, 10.00, 0, 10.00, 2.00]),
    ('2023年决算公开（三公）.xlsx', '攀枝花市数字化城市联动指挥中心部门“三公”经费支出决算表', '2023年度', '攀枝花市数字化城市联动指挥中心', [1.12, 0, 0.94, 0, 0.94, 0.18])]:
    S = '三公'
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
    ws['A1'] = title; ws.merge_cells('A1:C1')
    if row2: ws['A2'] = row2
    ws['C2'] = '单位：万元'
    ws['A3'] = '项目'; ws['B3'] = '预算数'; ws['C3'] = '决算数'
    for i, (lab, key, v) in enumerate(zip(['合计', '因公出国（境）费', '公务用车购置及运行费', '其中：公务用车购置费', '公务用车运行费', '公务接待费'], items, vals)):
        ws.cell(4+i, 1, lab); ws.cell(4+i, 2, v); ws.cell(4+i, 3, v)
        E.add(F, S, A1(4+i, 2), 'sangong', key, 'budget', None, wan(v), unit_name=unit)
        E.add(F, S, A1(4+i, 3), 'sangong', key, 'actual', None, wan(v), unit_name=unit)
    wb.save(F)
E.save('.')
