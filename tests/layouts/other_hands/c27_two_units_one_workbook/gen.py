# One workbook holding tables of TWO units (a department that publishes its own table
# and a sub-unit's in one file): sheet 1 三公 with `编制单位：攀枝花市城市管理行政执法局`,
# sheet 2 收入决算表 with `编制单位：攀枝花市园林绿化服务中心`. Expected: each sheet's
# facts under its own unit, or a warning about the identity conflict - never the
# sub-unit's income silently filed under the department.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '2023年度部门决算公开表.xlsx'
E = Expect(2023)
wb = openpyxl.Workbook(); ws = wb.active; S = '三公'; ws.title = S
ws['A1'] = '财政拨款“三公”经费支出决算表'; ws['A2'] = '编制单位：攀枝花市城市管理行政执法局'; ws['C2'] = '单位：万元'
ws['A3'] = '项目'; ws['B3'] = '预算数'; ws['C3'] = '决算数'
items = [('合计', 'sangong_total'), ('因公出国（境）费', 'abroad'), ('公务用车购置及运行费', 'vehicle_total'), ('公务用车购置费', 'vehicle_purchase'), ('公务用车运行费', 'vehicle_operation'), ('公务接待费', 'reception')]
for i, ((lab, key), b, a) in enumerate(zip(items, [65.00, 0, 62.00, 0, 62.00, 3.00], [61.62, 0, 59.87, 0, 59.87, 1.75])):
    ws.cell(4+i, 1, lab); ws.cell(4+i, 2, b); ws.cell(4+i, 3, a)
    E.add(F, S, A1(4+i, 2), 'sangong', key, 'budget', None, wan(b), unit_name='攀枝花市城市管理行政执法局')
    E.add(F, S, A1(4+i, 3), 'sangong', key, 'actual', None, wan(a), unit_name='攀枝花市城市管理行政执法局')
S = '收入决算表'; ws = wb.create_sheet(S)
ws['A1'] = '收入决算表'; ws['A2'] = '编制单位：攀枝花市园林绿化服务中心'; ws['D2'] = '单位：万元'
for j, h in enumerate(['科目编码', '科目名称', '本年收入合计', '财政拨款收入']): ws.cell(3, 1+j, h)
for i, (c, n, a) in enumerate([(None, '合计', 4162.18), ('212', '城乡社区支出', 4162.18), ('2120501', '城乡社区环境卫生', 4162.18)]):
    r = 4 + i; ws.cell(r, 1, c if c else '合计'); ws.cell(r, 2, n if c else None); ws.cell(r, 3, a); ws.cell(r, 4, a)
    for j in range(2):
        E.add(F, S, A1(r, 3+j), 'income', 'subject' if c else 'total', ['income_total', 'fiscal_approp'][j], c, wan(a), unit_name='攀枝花市园林绿化服务中心')
wb.save(F); E.save('.')
