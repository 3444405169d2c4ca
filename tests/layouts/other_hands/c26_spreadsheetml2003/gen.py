# SpreadsheetML 2003 XML saved as .xls (§2). 支出决算表 in 万元. As Excel writes it:
# merged cells use ss:MergeAcross / ss:MergeDown and the covered cells are NOT written,
# so the cell after a MergeAcross lands after the merge WITHOUT an ss:Index; cells to the
# right of a MergeDown region in the next row carry ss:Index. The 合计 label is merged
# across 科目编码+科目名称 (A:B) so its numbers start in column C with no ss:Index.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
F = '攀枝花市园林绿化服务中心2023年度支出决算表.xls'; S = '支出决算表'
def cell(v, t=None, extra=''):
    if v is None: return f'<Cell{extra}/>'
    t = t or ('Number' if isinstance(v, (int, float)) else 'String')
    return f'<Cell{extra}><Data ss:Type="{t}">{v}</Data></Cell>'
rows = []
rows.append('<Row>' + cell('支出决算表', extra=' ss:MergeAcross="7"') + '</Row>')
rows.append('<Row>' + cell('编制单位：攀枝花市园林绿化服务中心', extra=' ss:MergeAcross="5"') + cell('单位：万元', extra=' ss:MergeAcross="1"') + '</Row>')
rows.append('<Row>' + cell('项目', extra=' ss:MergeAcross="1"') + ''.join(cell(h, extra=' ss:MergeDown="1"') for h in ['本年支出合计', '基本支出', '项目支出', '上缴上级支出', '经营支出', '对附属单位补助支出']) + '</Row>')
rows.append('<Row>' + cell('科目编码') + cell('科目名称') + '</Row>')   # C..H covered by MergeDown
data = [(None, '合计', [4826.33, 1364.15, 3462.18, 0, 0, 0]), ('208', '社会保障和就业支出', [664.15, 664.15, 0, 0, 0, 0]),
        ('2080505', '机关事业单位基本养老保险缴费支出', [664.15, 664.15, 0, 0, 0, 0]), ('212', '城乡社区支出', [4162.18, 700.00, 3462.18, 0, 0, 0]),
        ('2120501', '城乡社区环境卫生', [4162.18, 700.00, 3462.18, 0, 0, 0])]
E = Expect(2023, '攀枝花市园林绿化服务中心')
keys = ['expenditure_total', 'basic', 'project', 'upper_remit', 'operating', 'affiliated_subsidy']
for i, (code, name, vals) in enumerate(data):
    r = 5 + i
    lab = cell('合计', extra=' ss:MergeAcross="1"') if code is None else cell(code, 'String') + cell(name)
    rows.append('<Row>' + lab + ''.join(cell(v) for v in vals) + '</Row>')
    for j, v in enumerate(vals):
        E.add(F, S, A1(r, 3+j), 'expenditure', 'total' if code is None else 'subject', keys[j], code, wan(v))
xml = f'''<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="{S}"><Table>
{chr(10).join(rows)}
</Table></Worksheet></Workbook>'''
open(F, 'w', encoding='utf-8').write(xml)
E.save('.')
