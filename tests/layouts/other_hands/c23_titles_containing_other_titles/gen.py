# Extra tables whose titles CONTAIN a nine-table title but are different tables:
#  sheet 项目支出: `一般公共预算财政拨款项目支出决算表` (功能科目 rows; columns 项目支出 by
#     经济分类: 合计 | 商品和服务支出 | 资本性支出) - not 一般公共预算财政拨款支出决算表;
#  sheet 机关运行经费: `机关运行经费支出决算表` (经济分类 302xx rows, 决算数) - not 支出决算表;
#  sheet 政府采购: `政府采购支出决算表` (货物/工程/服务) - not 支出决算表.
# The workbook has NO real 支出决算表 nor 一般公共预算财政拨款支出决算表, so nothing may
# slip into those forms silently. Only the 三公 sheet is a nine-table form.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '攀枝花市城市管理行政执法局2023年度部门决算公开表（补充表）.xlsx'
E = Expect(2023, '攀枝花市城市管理行政执法局')
wb = openpyxl.Workbook()
S = '项目支出'; ws = wb.active; ws.title = S
ws['A1'] = '一般公共预算财政拨款项目支出决算表'; ws['E2'] = '单位：万元'
for j, h in enumerate(['科目编码', '科目名称', '合计', '商品和服务支出', '资本性支出']): ws.cell(3, 1+j, h)
for i, (c, n, a, b, d) in enumerate([(None, '合计', 786.70, 700.00, 86.70), ('212', '城乡社区支出', 786.70, 700.00, 86.70), ('2120501', '城乡社区环境卫生', 786.70, 700.00, 86.70)]):
    r = 4 + i; ws.cell(r, 1, c if c else '合计'); ws.cell(r, 2, n if c else None)
    for j, v in enumerate((a, b, d)):
        ws.cell(r, 3+j, v); E.absent(F, S, A1(r, 3+j), 'project-expenditure table: not gpb_expenditure/expenditure')
S = '机关运行经费'; ws = wb.create_sheet(S)
ws['A1'] = '机关运行经费支出决算表'; ws['C2'] = '单位：万元'
for j, h in enumerate(['科目编码', '科目名称', '决算数']): ws.cell(3, 1+j, h)
for i, (c, n, v) in enumerate([(None, '合计', 116.71), ('30201', '办公费', 52.00), ('30217', '公务接待费', 1.75), ('30231', '公务用车运行维护费', 59.87), ('30299', '其他商品和服务支出', 3.09)]):
    r = 4 + i; ws.cell(r, 1, c if c else '合计'); ws.cell(r, 2, n if c else None); ws.cell(r, 3, v)
    E.absent(F, S, A1(r, 3), '机关运行经费 table: not 支出决算表')
S = '政府采购'; ws = wb.create_sheet(S)
ws['A1'] = '政府采购支出决算表'; ws['B2'] = '单位：万元'
for i, (n, v) in enumerate([('项目', '决算数'), ('合计', 230.50), ('货物', 30.50), ('工程', 0), ('服务', 200.00)]):
    ws.cell(3+i, 1, n); ws.cell(3+i, 2, v)
    if i: E.absent(F, S, A1(3+i, 2), '政府采购 table: not 支出决算表')
S = '三公'; ws = wb.create_sheet(S)
ws['A1'] = '财政拨款“三公”经费支出决算表'; ws['C2'] = '单位：万元'
ws['A3'] = '项目'; ws['B3'] = '预算数'; ws['C3'] = '决算数'
items = [('合计', 'sangong_total'), ('因公出国（境）费', 'abroad'), ('公务用车购置及运行费', 'vehicle_total'), ('公务用车购置费', 'vehicle_purchase'), ('公务用车运行费', 'vehicle_operation'), ('公务接待费', 'reception')]
for i, ((lab, key), b, a) in enumerate(zip(items, [65.00, 0, 62.00, 0, 62.00, 3.00], [61.62, 0, 59.87, 0, 59.87, 1.75])):
    ws.cell(4+i, 1, lab); ws.cell(4+i, 2, b); ws.cell(4+i, 3, a)
    E.add(F, S, A1(4+i, 2), 'sangong', key, 'budget', None, wan(b)); E.add(F, S, A1(4+i, 3), 'sangong', key, 'actual', None, wan(a))
wb.save(F); E.save('.')
