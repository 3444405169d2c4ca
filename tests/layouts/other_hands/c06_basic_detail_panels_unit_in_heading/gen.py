# 一般公共预算财政拨款基本支出决算表 (公开06表): three code|name|amount panels side by
# side under group headings 人员经费 / 公用经费 (row 4); the unit only in the column
# heading `决算数（万元）`, no unit line; 人员经费合计 / 公用经费合计 at the bottom with
# the 公用经费合计 label merged across panels 2-3. Seed 000: 人员 7411.87, 公用 391.38.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '2023年部门决算公开表（基本支出）.xlsx'; S = '基本支出'
wb = openpyxl.Workbook(); ws = wb.active; ws.title = S
ws['A1'] = '一般公共预算财政拨款基本支出决算表'; ws.merge_cells('A1:I1')
ws['I2'] = '公开06表'
ws['A3'] = '部门：攀枝花市城市管理行政执法局'
ws['A4'] = '人员经费'; ws.merge_cells('A4:C4'); ws['D4'] = '公用经费'; ws.merge_cells('D4:I4')
for p in range(3):
    ws.cell(5, 1+3*p, '科目编码'); ws.cell(5, 2+3*p, '科目名称'); ws.cell(5, 3+3*p, '决算数（万元）')
panels = [
 [('301', '工资福利支出', 6000.00), ('30101', '基本工资', 1500.00), ('30102', '津贴补贴', 1800.00), ('30107', '绩效工资', 2700.00),
  ('303', '对个人和家庭的补助', 1411.87), ('30302', '退休费', 1411.87)],
 [('302', '商品和服务支出', 380.38), ('30201', '办公费', 52.00), ('30217', '公务接待费', 1.75), ('30231', '公务用车运行维护费', 59.87), ('30299', '其他商品和服务支出', 266.76)],
 [('310', '资本性支出', 11.00), ('31002', '办公设备购置', 11.00)],
]
E = Expect(2023, '攀枝花市城市管理行政执法局')
for p, rows in enumerate(panels):
    for i, (code, name, v) in enumerate(rows):
        r = 6 + i
        ws.cell(r, 1+3*p, code); ws.cell(r, 2+3*p, name); ws.cell(r, 3+3*p, v)
        E.add(F, S, A1(r, 3+3*p), 'gpb_basic_detail', 'subject', 'actual', code, wan(v))
r = 12
ws.cell(r, 1, '人员经费合计'); ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2); ws.cell(r, 3, 7411.87)
ws.cell(r, 4, '公用经费合计'); ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=8); ws.cell(r, 9, 391.38)
E.add(F, S, 'C12', 'gpb_basic_detail', 'personnel_total', 'actual', None, wan(7411.87))
E.add(F, S, 'I12', 'gpb_basic_detail', 'public_total', 'actual', None, wan(391.38))
wb.save(F); E.save('.')
