"""c07: identity across a folder. Same B department in 2022 and 2023 with its name spelled with 全角/半角
brackets and a space; year only in the folder name; unit names containing numbers (第2中学, 1978文化创意园);
an A workbook filed in the wrong year folder (cover says 2023, folder 2022); an A 2022/2023 pair with the
name changed in punctuation only."""
import sys, os, copy
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from lib import *
sys.path.insert(0, os.path.join(CASES, "c05_b_nine_tables"))
import importlib; g5 = importlib.import_module("gen")
sys.path.remove(os.path.join(CASES, "c05_b_nine_tables")); del sys.modules["gen"]
sys.path.insert(0, os.path.join(CASES, "c01_a_full_unit"))
g1 = importlib.import_module("gen")
C = Case("c07_identity_years")

# B: same department, 2022 vs 2023, punctuation differs
g5.book("2022/攀枝花市城市管理行政执法局(本级)2022年度部门决算公开表.xlsx", "攀枝花市城市管理行政执法局(本级)", 2022, g5.D001, g5.SN9, case=C)
g5.book("2023/攀枝花市城市管理行政执法局（本级）2023年度部门决算公开表.xlsx", "攀枝花市城市管理行政执法局（本级）", 2023, g5.D000, g5.SN9, case=C)
g5.book("2024/攀枝花市城市管理行政执法局 （本级）2024年度部门决算公开表.xlsx", "攀枝花市城市管理行政执法局 （本级）", 2024, g5.D001, g5.SN9, case=C)


# B: year only in the folder name; unit name with numbers
def strip_year(path):
    """remove every `20xx年度` text from a written workbook (year then only in the folder)"""
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and "年度" in c.value:
                    c.value = c.value.replace("2023年度", "").replace("2022年度", "") or None
    wb.save(path)

f = "2023/江城市第2中学部门决算公开表.xlsx"
g5.book(f, "江城市第2中学", 2023, g5.D001, g5.SN9, case=C); strip_year(C.path(f))
f = "2023/江城市1978文化创意园管理中心2023年度部门决算公开表.xlsx"
g5.book(f, "江城市1978文化创意园管理中心", 2023, g5.D001, g5.SN9, dept_style="编制单位", case=C)
f = "2022/江城市第2中学部门决算公开表.xlsx"
g5.book(f, "江城市第2中学", 2022, g5.D000, g5.SN9, case=C); strip_year(C.path(f))

# A: filed in the wrong folder -- cover 年度 2023, folder 2022; name punctuation changes between years
UA = "江城市数字化城市管理中心（本级）"
cf = {"单位名称": UA, "单位代码": None, "主管部门": "江城市城市管理局", "主管部门代码": "305",
      "单位性质": "参照公务员法管理事业单位", "报表类型": "单户表", "年度": "2023年"}
g1.build(C, "2022/305002_江城市数字化城市管理中心.xlsx", UA, 2023, g1.SN, cover_fields=cf)
cf2 = dict(cf, **{"单位名称": "江城市数字化城市管理中心(本级)", "年度": 2022})
g1.build(C, "2021/305002_江城市数字化城市管理中心.xlsx", "江城市数字化城市管理中心(本级)", 2022, g1.SN, cover_fields=cf2)
C.save()
