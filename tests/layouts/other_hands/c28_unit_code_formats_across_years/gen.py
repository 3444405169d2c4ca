# Same unit across years (A-family 单户表 with cover), identity written differently:
#  unit X: 2022 cover 单位代码 '00812345-6' (old organisation code, text), 2023 cover the
#          same code typed as a NUMBER 8123456 (zeros and dash lost) -> should line up or warn;
#  unit Y: 2022 统一社会信用代码 '12510400MB1534567K', 2023 '12510400mb1534567k ' (lower
#          case, trailing space); names differ only by bracket width (（本级） vs (本级)).
# Expected: one unit_id per unit across both years (or a warning that they may be one).
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
import openpyxl
E = Expect()
def book(F, year, name, code):
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = '封面'
    for r, (k, v) in enumerate([(f'{year}年度部门决算报表', None), ('单位名称', name), ('单位代码', code), ('主管部门', '攀枝花市城市管理行政执法局'),
                                ('单位性质', '事业单位'), ('报表类型', '单户表'), ('年度', year)], start=1):
        ws.cell(r, 1, k); ws.cell(r, 2, v)
    S = 'F06 财政拨款“三公”经费支出决算表(财决附02表)'
    ws = wb.create_sheet(S)
    ws['A1'] = '财政拨款“三公”经费支出决算表'; ws['A2'] = f'{year}年度'; ws['A3'] = f'编制单位：{name}'; ws['C3'] = '单位：元'
    ws['A4'] = '项目'; ws['B4'] = '预算数'; ws['C4'] = '决算数'
    for i, (lab, key, v) in enumerate([('合计', 'sangong_total', 11200), ('因公出国（境）费', 'abroad', 0), ('公务用车购置及运行费', 'vehicle_total', 9400),
                                       ('公务用车购置费', 'vehicle_purchase', 0), ('公务用车运行费', 'vehicle_operation', 9400), ('公务接待费', 'reception', 1800)]):
        ws.cell(5+i, 1, lab); ws.cell(5+i, 2, v); ws.cell(5+i, 3, v)
        E.add(F, S, A1(5+i, 2), 'sangong', key, 'budget', None, v, year=year, unit_name=name)
        E.add(F, S, A1(5+i, 3), 'sangong', key, 'actual', None, v, year=year, unit_name=name)
    wb.save(F)
book('X_2022.xlsx', 2022, '攀枝花市数字化城市联动指挥中心', '00812345-6')
book('X_2023.xlsx', 2023, '攀枝花市数字化城市联动指挥中心', 8123456)
book('Y_2022.xlsx', 2022, '攀枝花市园林绿化服务中心（本级）', '12510400MB1534567K')
book('Y_2023.xlsx', 2023, '攀枝花市园林绿化服务中心(本级)', '12510400mb1534567k ')
E.save('.')
