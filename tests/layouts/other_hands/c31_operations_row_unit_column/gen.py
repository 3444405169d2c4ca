# 机构运行信息表 laid out exactly like the 财决附03 template (two panels, 行次 1-15 as
# in the form, 计量单位 column), but the money rows' 计量单位 says 万元 while the sheet's
# unit line says `单位：元` (file P), and the reverse (file Q: line `单位：万元`, rows `元`).
# The per-row 计量单位 is the unit of that figure. Seed 000: 机关运行经费 116.71万元.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
E = Expect(2023)
for F, unit, line, rowunit in [('P_2023_攀枝花市城市管理行政执法局.xlsx', '攀枝花市城市管理行政执法局', '单位：元', '万元'),
                               ('Q_2023_攀枝花市园林绿化服务中心.xlsx', '攀枝花市园林绿化服务中心', '单位：万元', '元')]:
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = '封面'
    for r, (k, v) in enumerate([('单位名称', unit), ('单位性质', '行政单位'), ('报表类型', '单户表'), ('年度', 2023)], start=1):
        ws.cell(r, 1, k); ws.cell(r, 2, v)
    S = 'F09 机构运行信息表(财决附03表)'; ws = wb.create_sheet(S)
    ws['A1'] = '机构运行信息表'; ws['A2'] = '2023年度'; ws['A3'] = f'编制单位：{unit}'; ws['H3'] = line
    for j, h in enumerate(['项目', '行次', '计量单位', '数量', '项目', '行次', '计量单位', '数量']): ws.cell(4, 1+j, h)
    ws['A5'] = '栏次'; ws['D5'] = 1; ws['H5'] = 2
    def money(wan_value):  # value as written in the row's unit, and expected 元
        return (wan_value, wan(wan_value)) if rowunit == '万元' else (int(wan(wan_value)), wan(wan_value))
    left = [('一、编制人数', 1, '人', 282, 'staff_authorized', 282, '人'), ('二、离退休人数', 3, '人', 0, 'retirees', 0, '人'),
            ('三、政府采购支出总额', 5, rowunit, *money(230.50)[:1], 'procurement_total', money(230.50)[1], '元'),
            ('    工程', 7, rowunit, 0, 'procurement_works', 0, '元'), ('五、授予中小企业合同金额', 9, rowunit, *money(200.00)[:1], 'sme_contracts', money(200.00)[1], '元')]
    right = [('一、在职人数', 2, '人', 282, 'staff_actual', 282, '人'), ('二、机关运行经费', 4, rowunit, *money(116.71)[:1], 'admin_operating_cost', money(116.71)[1], '元'),
             ('    货物', 6, rowunit, *money(30.50)[:1], 'procurement_goods', money(30.50)[1], '元'), ('    服务', 8, rowunit, *money(200.00)[:1], 'procurement_services', money(200.00)[1], '元'),
             ('五、公务用车保有量', 10, '辆', 30, 'vehicles', 30, '辆')]
    for i in range(5):
        r = 6 + i
        for off, (lab, n, u, v, key, x, xu) in ((0, left[i]), (4, right[i])):
            ws.cell(r, 1+off, lab); ws.cell(r, 2+off, n); ws.cell(r, 3+off, u); ws.cell(r, 4+off, v)
            E.add(F, S, A1(r, 4+off), 'operations', key, 'value', None, x, uom=xu, unit_name=unit)
    wb.save(F)
E.save('.')
