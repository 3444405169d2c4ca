"""c04: a department 汇总表 beside its units' 单户表. The 汇总表's 单位代码 equals the units' 主管部门代码;
the 本级 unit has the same name as the department; covers laid out differently (label/value cells, `label：value`)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lib import *
sys.path.insert(0, os.path.join(CASES, "c01_a_full_unit"))
import importlib; g1 = importlib.import_module("gen")
C = Case("c04_a_dept_consolidation")
DEPT, DCODE = "攀枝花市城市管理行政执法局", "510400013"
units = [  # file, name, code, type, mult, cover layout
    ("2023/510400013攀枝花市城市管理行政执法局/510400013_攀枝花市城市管理行政执法局_汇总表.xlsx", DEPT, DCODE, "汇总表", 3, "lr"),
    ("2023/510400013攀枝花市城市管理行政执法局/11510400MB0123456P_攀枝花市城市管理行政执法局.xlsx", DEPT, "11510400MB0123456P", "单户表", 1, "one"),
    ("2023/510400013攀枝花市城市管理行政执法局/12510400MB1C23456X_攀枝花市数字化城市联动指挥中心.xlsx", "攀枝花市数字化城市联动指挥中心", "12510400MB1C23456X", "单户表", 2, "lr"),
]
for f, name, code, typ, mult, lay in units:
    Ctx.mult = D(mult)
    cf = {"单位名称": name, "单位代码": code, "主管部门": DEPT, "主管部门代码": DCODE,
          "单位性质": "行政单位" if code != "12510400MB1C23456X" else "事业单位", "报表类型": typ, "年度": 2023}
    orig = g1.cover
    def cov(wb, fields, title=None, layout="lr", _lay=lay):
        return orig(wb, fields, title=f"2023年度部门决算{typ}", layout=_lay)
    g1.cover = cov
    g1.build(C, f, name, 2023, g1.SN, cover_fields=cf)
    g1.cover = orig
C.save()
