# 机构运行信息表 (财决附03) of an A-family workbook, one panel, rows in the unit's own
# order with its own 行次 (not the spec's), a 计量单位 column per row that DISAGREES with
# the sheet's unit line (`单位：万元` line, but 机关运行经费 row says 元), spaced labels
# (`编 制 人 数`), sub-lines `其中：行政编制人数` / `事业编制人数` (contain 编制人数 but are
# not it), counts as text. Seed 000: 282 staff (43 行政 + 239 事业), 30 vehicles,
# 机关运行经费 116.71万元 = 1,167,100 元.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
F = '2023_攀枝花市城市管理行政执法局_汇总表.xlsx'
E = Expect(2023, '攀枝花市城市管理行政执法局')
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '封面'
for r, (k, v) in enumerate([('2023年度部门决算报表', None), ('单位名称', '攀枝花市城市管理行政执法局'), ('主管部门', '攀枝花市城市管理行政执法局'),
                            ('单位性质', '行政单位'), ('报表类型', '汇总表'), ('年度', 2023)], start=1):
    ws.cell(r, 1, k); ws.cell(r, 2, v)
S = 'F09 机构运行信息表(财决附03表)'; ws = wb.create_sheet(S)
ws['A1'] = '机构运行信息表'; ws['A2'] = '2023年度'; ws['A3'] = '编制单位：攀枝花市城市管理行政执法局'; ws['D3'] = '单位：万元'
for j, h in enumerate(['项目', '行次', '计量单位', '数量']): ws.cell(4, 1+j, h)
rows = [('一、在职人数', '人', '282', 'staff_actual', 282, '人'),
        ('二、编 制 人 数', '人', 282, 'staff_authorized', 282, '人'),
        ('    其中：行政编制人数', '人', 43, None, None, None),
        ('          事业编制人数', '人', 239, None, None, None),
        ('三、机关运行经费', '元', 1167100, 'admin_operating_cost', 1167100, '元'),
        ('四、政府采购支出总额', '万元', 230.50, 'procurement_total', 2305000, '元'),
        ('五、公务用车保有量', '辆', 30, 'vehicles', 30, '辆'),
        ('六、国内公务接待批次', '个', 9, 'reception_batches', 9, '个'),
        ('七、国内公务接待人次', '人次', 53, 'reception_people', 53, '人次')]
for i, (lab, uom, v, key, x, xu) in enumerate(rows):
    r = 5 + i
    ws.cell(r, 1, lab); ws.cell(r, 2, i + 1); ws.cell(r, 3, uom); ws.cell(r, 4, v)
    if key: E.add(F, S, A1(r, 4), 'operations', key, 'value', None, x, uom=xu)
    else: E.absent(F, S, A1(r, 4), 'sub-line of 编制人数, not 编制人数 itself')
wb.save(F); E.save('.')
