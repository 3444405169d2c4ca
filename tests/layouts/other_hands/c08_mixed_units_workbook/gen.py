# One workbook, tables in 元 except the 三公 table in 万元 (§2: "三公 tables in 万元
# inside a workbook whose other tables are in 元"). The 元 sheet states `单位：元`;
# the 三公 sheet states its unit in a common but less standard way:
# row 2 `（单位：万元）` on sheet 三公A, and `单位：人民币万元` on sheet 三公B
# (two copies of the same table, one per wording; each should read 616,200 元).
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
E = Expect(2023)
for unit, sname, unitline in [('攀枝花市城市管理行政执法局', '三公A', '（单位：万元）'), ('攀枝花市园林绿化服务中心', '三公B', '单位：人民币万元')]:
  F = f'{unit}2023年度部门决算公开表.xlsx'
  wb = openpyxl.Workbook(); ws = wb.active; ws.title = '一般公共预算财政拨款支出决算表'
  E.unit_name = unit
  S = ws.title
  ws['A1'] = '一般公共预算财政拨款支出决算表'; ws['D2'] = '单位：元'
  ws['A3'] = '科目编码'; ws['B3'] = '科目名称'; ws['C3'] = '合计'; ws['D3'] = '基本支出'; ws['E3'] = '项目支出'
  for r, (code, name, t, b, p) in enumerate([(None, '合计', 4195500, 4195500, 0), ('221', '住房保障支出', 4195500, 4195500, 0), ('2210201', '住房公积金', 4195500, 4195500, 0)], start=4):
      ws.cell(r, 1, code); ws.cell(r, 2, name)
      for j, v in enumerate((t, b, p)):
          ws.cell(r, 3+j, v); E.add(F, S, A1(r, 3+j), 'gpb_expenditure', 'total' if code is None else 'subject', ['actual_total', 'basic', 'project'][j], code, v)
  items = ['sangong_total', 'abroad', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception']
  if True:
      ws = wb.create_sheet(sname)
      ws['A1'] = '财政拨款“三公”经费支出决算表'; ws['A2'] = unitline
      ws['A3'] = '预算数'; ws.merge_cells('A3:F3'); ws['G3'] = '决算数'; ws.merge_cells('G3:L3')
      for base in (1, 7):
          ws.cell(4, base, '合计'); ws.cell(4, base+1, '因公出国（境）费'); ws.cell(4, base+2, '公务用车购置及运行费'); ws.merge_cells(start_row=4, start_column=base+2, end_row=4, end_column=base+4)
          ws.cell(4, base+5, '公务接待费'); ws.cell(5, base+2, '小计'); ws.cell(5, base+3, '公务用车购置费'); ws.cell(5, base+4, '公务用车运行费')
          for c in (0, 1, 5): ws.merge_cells(start_row=4, start_column=base+c, end_row=5, end_column=base+c)
      for i, v in enumerate([65.00, 0, 62.00, 0, 62.00, 3.00, 61.62, 0, 59.87, 0, 59.87, 1.75]):
          ws.cell(6, 1+i, v); E.add(F, sname, A1(6, 1+i), 'sangong', items[i % 6], 'budget' if i < 6 else 'actual', None, wan(v))
  wb.save(F)
E.save('.')
