# "Excel" export from a web reporting system: an HTML <table> with rowspan/colspan
# saved as .xls (§2). 三公 table, items as columns, 3-row header with rowspan/colspan,
# `单位：万元` in a header row, numbers with thousands separators as text, `&nbsp;`.
import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from lib import *
F = '攀枝花市城市管理行政执法局2023年度三公经费决算.xls'; S = None
items = ['sangong_total', 'abroad', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception']
vals = ['65.00', '0.00', '62.00', '0.00', '62.00', '3.00', '61.62', '0.00', '59.87', '0.00', '59.87', '1.75']
html = '''<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>
<table border="1">
<tr><td colspan="12" align="center"><b>财政拨款“三公”经费支出决算表</b></td></tr>
<tr><td colspan="6">部门：攀枝花市城市管理行政执法局</td><td colspan="6" align="right">单位：万元</td></tr>
<tr><td colspan="6">预算数</td><td colspan="6">决算数</td></tr>
<tr>''' + ''.join('<td rowspan="2">合计</td><td rowspan="2">因公出国（境）费</td><td colspan="3">公务用车购置及运行费</td><td rowspan="2">公务接待费</td>' for _ in range(2)) + '''</tr>
<tr>''' + ''.join('<td>小计</td><td>公务用车购置费</td><td>公务用车运行费</td>' for _ in range(2)) + '''</tr>
<tr>''' + ''.join(f'<td style="mso-number-format:\'\\#\\,\\#\\#0\\.00\'">&nbsp;{v}</td>' for v in vals) + '''</tr>
</table></body></html>'''
open(F, 'w', encoding='utf-8').write(html)
E = Expect(2023, '攀枝花市城市管理行政执法局')
# the tool names the single HTML table's sheet 'Sheet1'
for i, v in enumerate(vals):
    E.add(F, 'Sheet1', A1(6, 1+i), 'sangong', items[i % 6], 'budget' if i < 6 else 'actual', None, wan(v))
E.save('.')
