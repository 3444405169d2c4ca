# Identity lines worded as real offices word them, one workbook each (same 三公 table):
#  A `编制单位：攀枝花市城市管理行政执法局（盖章）`  -> name without the stamp note
#  B `编制单位（盖章）：攀枝花市园林绿化服务中心`
#  C `预算单位：攀枝花市数字化城市联动指挥中心`
#  D `单位：人民币万元` as the only 单位 line (money unit, NOT the unit name) with
#    `部门：安宁市城市管理综合服务中心` above it
# File names are generic (`2023年三公经费公开表_X.xlsx`). Expected: the unit name from
# the identity line, or a warning / rejection - never `三公经费公开表X`-like fragments.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
items = ['sangong_total', 'abroad', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception']
E = Expect(2023)
for tag, line2, line3, unit, scale in [('A', '编制单位：攀枝花市城市管理行政执法局（盖章）', '单位：万元', '攀枝花市城市管理行政执法局', 10000),
                                       ('B', '编制单位（盖章）：攀枝花市园林绿化服务中心', '单位：万元', '攀枝花市园林绿化服务中心', 10000),
                                       ('C', '预算单位：攀枝花市数字化城市联动指挥中心', '单位：万元', '攀枝花市数字化城市联动指挥中心', 10000),
                                       ('D', '部门：安宁市城市管理综合服务中心', '单位：人民币万元', '安宁市城市管理综合服务中心', 10000)]:
    F = f'2023年三公经费公开表_{tag}.xlsx'; S = '表7'
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
    ws['A1'] = '财政拨款“三公”经费支出决算表'; ws.merge_cells('A1:L1')
    ws['A2'] = line2; ws['L3'] = line3
    ws['A4'] = '预算数'; ws.merge_cells('A4:F4'); ws['G4'] = '决算数'; ws.merge_cells('G4:L4')
    for base in (1, 7):
        ws.cell(5, base, '合计'); ws.cell(5, base+1, '因公出国（境）费'); ws.cell(5, base+2, '公务用车购置及运行费')
        ws.merge_cells(start_row=5, start_column=base+2, end_row=5, end_column=base+4); ws.cell(5, base+5, '公务接待费')
        ws.cell(6, base+2, '小计'); ws.cell(6, base+3, '公务用车购置费'); ws.cell(6, base+4, '公务用车运行费')
    for i, v in enumerate([65.00, 0, 62.00, 0, 62.00, 3.00, 61.62, 0, 59.87, 0, 59.87, 1.75]):
        ws.cell(7, i+1, v); E.add(F, S, A1(7, i+1), 'sangong', items[i % 6], 'budget' if i < 6 else 'actual', None, wan(v), unit_name=unit)
    wb.save(F)
E.save('.')
