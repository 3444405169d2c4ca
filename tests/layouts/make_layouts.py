#!/usr/bin/env python3
"""Write the hand-made layout workbooks of tests/layouts/ and their sidecars.

Each workbook is one unit-year laid out the way a real finance office lays it
out (DOMAIN.md §2), written by hand cell by cell in its own function below,
independently of juesuan's reader and of its sample generator.  Beside each
workbook NAME.EXT goes NAME.expected.csv, the facts a correct reader must
produce from it (and the numeric cells it must report instead of reading),
and the set is described in layouts.toml.

    /tmp/layvenv/bin/python tests/layouts/make_layouts.py

needs openpyxl and xlwt (and xlrd, only to read the .xls files back for the
self-check).  The script checks itself before it finishes: every workbook is
read back (openpyxl, xlrd, an HTML table parser, an XML parser) and compared
cell by cell with what was meant, every numeric-looking cell of every sheet
must be in the sidecar or be a code / 行次 / 栏次 / year, and the facts of
every table must add up (合计 = Σ parts, 类 = Σ 款 = Σ 项, 小计 = 购置 + 运行 …).
"""

import csv
import datetime
import html
import html.parser
import io
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from decimal import Decimal as D

import openpyxl
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, column_index_from_string
import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))
WAN = D(10000)   # 万元 → 元
YUAN = D(1)      # 元 → 元
FIXED_TIME = datetime.datetime(2024, 5, 20, 9, 0, 0)

# ---------------------------------------------------------------------------
# The in-memory sheet: cells placed by hand, and what each numeric cell means
# ---------------------------------------------------------------------------


class Text(str):
    """A number written as text in the cell (`8,589.95`, `１２３．４５`, `（25.00）`)."""


def rc(ref):
    """'B7' → (7, 2), 1-based."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return int(m.group(2)), column_index_from_string(m.group(1))


def ref_of(r, c):
    return f"{get_column_letter(c)}{r}"


def shift(ref, dr=0, dc=0):
    r, c = rc(ref)
    return ref_of(r + dr, c + dc)


def fmt_amount(a):
    q = a.quantize(D("0.01"))
    if q == q.to_integral_value():
        return str(q.to_integral_value())
    s = format(q, "f").rstrip("0")
    return s


class Sheet:
    def __init__(self, name):
        self.name = name
        self.cells = {}          # (r, c) -> str (text) | D (number)
        self.merges = []         # (r1, c1, r2, c2)
        self.hidden_rows = set()
        self.widths = {}
        self.expect = {}         # (r, c) -> (form, item, code, column, amount) | "report"
        self.skip = set()        # numeric cells that are codes / 行次 / 栏次 / years
        self.formulas = {}       # (r, c) -> formula text (xlsx only; cached value in cells)
        self.html_tables = None  # for HTML: list of (first_row, last_row)

    # -- placing ----------------------------------------------------------
    def put(self, ref, value):
        r, c = rc(ref)
        if value is None:
            return
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = D(repr(value)) if isinstance(value, float) else D(value)
        assert (r, c) not in self.cells, f"{self.name}!{ref} written twice"
        self.cells[(r, c)] = value

    def row(self, ref, values):
        """Text cells across from ref; None leaves a cell empty."""
        r, c = rc(ref)
        for i, v in enumerate(values):
            if v is not None:
                self.put(ref_of(r, c + i), v)

    def col(self, ref, values):
        r, c = rc(ref)
        for i, v in enumerate(values):
            if v is not None:
                self.put(ref_of(r + i, c), v)

    def merge(self, rng, value=None):
        a, b = rng.split(":")
        r1, c1 = rc(a)
        r2, c2 = rc(b)
        self.merges.append((r1, c1, r2, c2))
        if value is not None:
            self.put(a, value)

    def width(self, col, w):
        self.widths[col] = w

    def hide_row(self, r):
        self.hidden_rows.add(r)

    # -- meaning ----------------------------------------------------------
    def _num(self, ref, value):
        if isinstance(value, Text):
            self.put(ref, str(value))
        else:
            self.put(ref, D(str(value)))

    def fact(self, ref, value, form, item, code, column, scale, amount=None):
        """A money (or count) cell that must become the fact (form, item, code, column)."""
        self._num(ref, value)
        if amount is None:
            assert not isinstance(value, Text), "give the amount of a text number"
            amount = D(str(value)) * scale
        self.expect[rc(ref)] = (form, item, str(code or ""), column, D(amount))

    def report(self, ref, value):
        """A numeric cell a reader must report and never turn into a fact."""
        self._num(ref, value)
        self.expect[rc(ref)] = "report"

    def code(self, ref, value):
        """A code, 行次, 栏次 or year written as a number: not listed in the sidecar."""
        if isinstance(value, int):
            self.put(ref, D(value))
        else:
            self.put(ref, value)
        self.skip.add(rc(ref))

    def formula(self, ref, text, cached, form, item, code, column, scale):
        """A formula whose cached value is the only value (xlsx)."""
        self.fact(ref, cached, form, item, code, column, scale)
        self.formulas[rc(ref)] = text


class Book:
    def __init__(self, file, klass, unit_name, year, notes, companions=()):
        self.file = file
        self.klass = klass
        self.unit_name = unit_name
        self.year = year
        self.notes = notes
        self.companions = list(companions)
        self.sheets = []

    def sheet(self, name):
        s = Sheet(name)
        self.sheets.append(s)
        return s


# ---------------------------------------------------------------------------
# Figures (万元 unless said).  Real ones come from shared/seeds; where a seed
# gives none they are invented so that every table adds up.
# ---------------------------------------------------------------------------

FUNC = {  # 功能分类 names as printed
    "201": "一般公共服务支出", "20132": "组织事务", "2013299": "其他组织事务支出",
    "20138": "市场监督管理事务", "2013816": "食品安全监管",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
    "2080501": "行政单位离退休", "2080502": "事业单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "20808": "抚恤", "2080801": "死亡抚恤", "20810": "社会福利", "2081001": "儿童福利",
    "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗",
    "2101102": "事业单位医疗", "2101103": "公务员医疗补助", "2101199": "其他行政事业单位医疗支出",
    "21099": "其他卫生健康支出", "2109999": "其他卫生健康支出",
    "212": "城乡社区支出", "21201": "城乡社区管理事务", "2120101": "行政运行",
    "2120102": "一般行政管理事务", "2120104": "城管执法", "2120199": "其他城乡社区管理事务支出",
    "21205": "城乡社区环境卫生", "2120501": "城乡社区环境卫生",
    "21208": "国有土地使用权出让收入安排的支出", "2120899": "其他国有土地使用权出让收入安排的支出",
    "213": "农林水支出", "21301": "农业农村", "2130199": "其他农业农村支出",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
    "223": "国有资本经营预算支出", "22301": "解决历史遗留问题及改革成本支出",
    "2230105": "国有企业退休人员社会化管理补助支出",
}

ECON = {  # 经济分类 names
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金",
    "30107": "绩效工资", "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费", "30111": "公务员医疗补助缴费", "30112": "其他社会保障缴费",
    "30113": "住房公积金", "30199": "其他工资福利支出",
    "302": "商品和服务支出", "30201": "办公费", "30205": "水费", "30206": "电费", "30207": "邮电费",
    "30211": "差旅费", "30213": "维修（护）费", "30215": "会议费", "30216": "培训费",
    "30217": "公务接待费", "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费",
    "30239": "其他交通费用", "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助", "30301": "离休费", "30302": "退休费", "30304": "抚恤金",
    "30305": "生活补助", "30399": "其他对个人和家庭的补助",
    "310": "资本性支出", "31002": "办公设备购置", "31013": "公务用车购置",
}


def tree(leaves):
    """Leaves [(code7, {col: 'x.xx'})] → rows [(code, values)] in 类, 款, 项 order,
    with 类 and 款 the sums of their 项.  Values are Decimals; a column absent
    from every leaf of a group stays absent."""
    out = []
    by_class = defaultdict(list)
    order = []
    for code, vals in leaves:
        k = code[:3]
        if k not in by_class:
            order.append(k)
        by_class[k].append((code, {c: D(v) for c, v in vals.items()}))

    def add(rows):
        tot = {}
        for _, v in rows:
            for c, x in v.items():
                tot[c] = tot.get(c, D(0)) + x
        return tot

    for k in order:
        rows = by_class[k]
        out.append((k, add(rows)))
        kuans = []
        for code, v in rows:
            if code[:5] not in kuans:
                kuans.append(code[:5])
        for kk in kuans:
            sub = [(c, v) for c, v in rows if c[:5] == kk]
            out.append((kk, add(sub)))
            out.extend(sub)
    return out


def total_of(rows):
    tot = {}
    for code, v in rows:
        if len(code) == 3:
            for c, x in v.items():
                tot[c] = tot.get(c, D(0)) + x
    return tot


def s2(x):
    """A Decimal as printed with two decimals."""
    return format(D(x).quantize(D("0.01")), "f")


# 攀枝花市城市管理行政执法局 2023 (seed 000).  三公 决算 real (61.62 = 0 + 59.87 + 1.75);
# the 预算数 is invented (the report says both 完成预算100% and 决算数小于预算数).
P23 = "攀枝花市城市管理行政执法局"
P23_SG = [  # item, 预算数, 决算数
    ("sangong_total", "62.00", "61.62"),
    ("abroad", "0.00", "0.00"),
    ("vehicle_total", "60.00", "59.87"),
    ("vehicle_purchase", "0.00", "0.00"),
    ("vehicle_operation", "60.00", "59.87"),
    ("reception", "2.00", "1.75"),
]
P23_SG_2022 = {"sangong_total": "29.40", "abroad": "0.00", "vehicle_total": "28.57",
               "vehicle_purchase": "0.00", "vehicle_operation": "28.57", "reception": "0.83"}
# 一般公共预算财政拨款支出 8589.95 over 19 项 (seed), split into 基本 / 项目 (invented split;
# 死亡抚恤 163.69→163.68 and 其他城乡社区管理事务 389.89→389.88 so that the printed
# class figures 2705.84 and 5331.03 are the sums of their 项).
P23_GPB_LEAVES = [
    ("2013299", {"basic": "0", "project": "0.75"}),
    ("2013816", {"basic": "0", "project": "1.93"}),
    ("2080501", {"basic": "197.48", "project": "0"}),
    ("2080502", {"basic": "1620.38", "project": "0"}),
    ("2080505", {"basic": "636.84", "project": "0"}),
    ("2080506", {"basic": "86.96", "project": "0"}),
    ("2080801", {"basic": "163.68", "project": "0"}),
    ("2081001", {"basic": "0.50", "project": "0"}),
    ("2101101", {"basic": "47.66", "project": "0"}),
    ("2101102", {"basic": "10.91", "project": "0"}),
    ("2101103", {"basic": "34.19", "project": "0"}),
    ("2101199", {"basic": "36.50", "project": "0"}),
    ("2109999", {"basic": "0.66", "project": "0"}),
    ("2120101", {"basic": "755.60", "project": "0"}),
    ("2120102", {"basic": "0", "project": "23.37"}),
    ("2120199", {"basic": "0", "project": "389.88"}),
    ("2120501", {"basic": "3792.34", "project": "369.84"}),
    ("2130199", {"basic": "0", "project": "0.93"}),
    ("2210201", {"basic": "419.55", "project": "0"}),
]
# 政府性基金预算财政拨款支出 340 (seed), all 项目支出.
P23_FUND_LEAF = ("2120899", {"basic": "0", "project": "340.00"})


def p23_gpb_rows():
    rows = []
    for code, v in P23_GPB_LEAVES:
        rows.append((code, {"total": D(v["basic"]) + D(v["project"]), "basic": D(v["basic"]),
                            "project": D(v["project"])}))
    t = tree([(c, {k: str(x) for k, x in v.items()}) for c, v in rows])
    tot = total_of(t)
    assert tot["total"] == D("8589.95") and tot["basic"] == D("7803.25"), tot
    assert tot["project"] == D("786.70")
    return t, tot


def p23_all_rows():
    """支出决算表 / 收入决算表 rows of P23: 一般公共预算 and 政府性基金 together."""
    leaves = list(P23_GPB_LEAVES)
    leaves.insert(17, P23_FUND_LEAF)   # after 2120501, in code order
    rows = []
    for code, v in leaves:
        rows.append((code, {"total": str(D(v["basic"]) + D(v["project"])), "basic": v["basic"],
                            "project": v["project"]}))
    t = tree(rows)
    tot = total_of(t)
    assert tot["total"] == D("8929.95") and tot["basic"] == D("7803.25")
    assert tot["project"] == D("1126.70")
    return t, tot


# 一般公共预算财政拨款基本支出 7803.25 = 人员经费 7411.87 + 公用经费 391.38 (seed); lines invented.
P23_BASIC = {
    "301": [("30101", "1250.36"), ("30102", "860.42"), ("30103", "310.15"), ("30107", "1020.88"),
            ("30108", "636.84"), ("30109", "86.96"), ("30110", "94.76"), ("30111", "34.19"),
            ("30112", "12.40"), ("30113", "419.55"), ("30199", "75.62")],
    "303": [("30301", "120.30"), ("30302", "1697.56"), ("30304", "163.68"), ("30305", "560.20"),
            ("30399", "68.00")],
    "302": [("30201", "45.20"), ("30205", "6.80"), ("30206", "28.40"), ("30207", "12.35"),
            ("30211", "18.60"), ("30213", "22.10"), ("30215", "3.20"), ("30216", "5.40"),
            ("30217", "1.75"), ("30228", "60.12"), ("30229", "35.00"), ("30231", "59.87"),
            ("30239", "70.50"), ("30299", "15.89")],
    "310": [("31002", "6.20")],
}


def basic_sum(lines):
    return sum((D(v) for _, v in lines), D(0))


assert basic_sum(P23_BASIC["301"]) + basic_sum(P23_BASIC["303"]) == D("7411.87")
assert basic_sum(P23_BASIC["302"]) + basic_sum(P23_BASIC["310"]) == D("391.38")

# 攀枝花市数字化城市联动指挥中心 2020 (seed 002): 收支总计 831.37; 本年收入 659.38 =
# 一般公共预算 190.22 + 政府性基金 469.16; 年初结转 171.99 (put on the fund); 基本 150.26,
# 项目 681.11; 三公 1.12 = 用车 0.94 + 接待 0.18, 完成预算 59% (预算 1.90 invented).
D20 = "攀枝花市数字化城市联动指挥中心"
D20_SG = [
    ("sangong_total", "1.90", "1.12"),
    ("abroad", "0.00", "0.00"),
    ("vehicle_total", "1.60", "0.94"),
    ("vehicle_purchase", "0.00", "0.00"),
    ("vehicle_operation", "1.60", "0.94"),
    ("reception", "0.30", "0.18"),
]
D20_LEAVES = [  # 项, 基本, 项目 (一般公共预算 and 政府性基金 together)
    ("2080505", "15.20", "0"),
    ("2080506", "7.20", "0"),
    ("2101102", "8.10", "0"),
    ("2120199", "103.24", "39.96"),
    ("2120899", "0", "641.15"),
    ("2210201", "16.52", "0"),
]


def d20_rows(gpb_only=False):
    rows = []
    for code, b, p in D20_LEAVES:
        if gpb_only and code == "2120899":
            continue
        rows.append((code, {"total": str(D(b) + D(p)), "basic": b, "project": p}))
    t = tree(rows)
    tot = total_of(t)
    if gpb_only:
        assert tot["total"] == D("190.22") and tot["basic"] == D("150.26")
    else:
        assert tot["total"] == D("831.37") and tot["basic"] == D("150.26")
        assert tot["project"] == D("681.11")
    return t, tot


# 湛江市城市管理和综合执法局 2022 (seed 004): 三公 预算 45.3, 决算 43.38 (parts invented).
Z22 = "湛江市城市管理和综合执法局"
Z22_SG = [
    ("sangong_total", "45.30", "43.38"),
    ("abroad", "0.00", "0.00"),
    ("vehicle_total", "38.50", "37.96"),
    ("vehicle_purchase", "25.00", "24.86"),
    ("vehicle_operation", "13.50", "13.10"),
    ("reception", "6.80", "5.42"),
]
Z22_SG_YUAN = [
    ("sangong_total", "453000.00", "433812.36"),
    ("abroad", "0.00", "0.00"),
    ("vehicle_total", "385000.00", "379603.16"),
    ("vehicle_purchase", "250000.00", "248600.00"),
    ("vehicle_operation", "135000.00", "131003.16"),
    ("reception", "68000.00", "54209.20"),
]
Z22_ADMIN = ("530.00", "521.35")   # 机关运行经费 预算 / 决算 (invented)

# 安宁市城市管理综合服务中心 2023 (seed 001): 收支 1320.73 = 基本 1317.84 + 项目 2.89;
# 人员 1253.37 + 公用 64.47.  All 财政拨款.  Lines invented, given in 元 so that every
# line rounds to the 万元 figure printed elsewhere.
A23 = "安宁市城市管理综合服务中心"
A23_LEAVES_YUAN = [  # 项, 基本, 项目 (元)
    ("2080505", "1012254.60", "0"),
    ("2080506", "126543.20", "0"),
    ("2101102", "498765.43", "0"),
    ("2120199", "10890820.98", "28903.79"),
    ("2210201", "650012.00", "0"),
]
A23_LEAVES_WAN = [
    ("2080505", "101.23", "0"),
    ("2080506", "12.65", "0"),
    ("2101102", "49.88", "0"),
    ("2120199", "1089.08", "2.89"),
    ("2210201", "65.00", "0"),
]
A23_SG = {  # 年初预算数, 全年预算数, 决算数
    "sangong_total": ("2.50", "2.20", "1.96"),
    "abroad": ("0.00", "0.00", "0.00"),
    "vehicle_total": ("1.80", "1.60", "1.52"),
    "vehicle_purchase": ("0.00", "0.00", "0.00"),
    "vehicle_operation": ("1.80", "1.60", "1.52"),
    "reception": ("0.70", "0.60", "0.44"),
}


def a23_rows(leaves):
    rows = [(c, {"total": str(D(b) + D(p)), "basic": b, "project": p}) for c, b, p in leaves]
    t = tree(rows)
    return t, total_of(t)


# 米易县城市管理局 2023: figures invented (一般公共预算 1998.87, 政府性基金 86.50,
# 国有资本经营 12.60).
M23 = "米易县城市管理局"
M23_GPB_LEAVES = [
    ("2080501", "35.60", "0"),
    ("2080505", "48.22", "0"),
    ("2080506", "6.03", "0"),
    ("2101101", "21.47", "0"),
    ("2120101", "402.18", "0"),
    ("2120104", "0", "156.30"),
    ("2120199", "0", "88.40"),
    ("2120501", "0", "1210.55"),
    ("2210201", "30.12", "0"),
]
M23_FUND_LEAF = ("2120899", "0", "86.50")
M23_SOE_LEAF = ("2230105", "0", "12.60")
M23_SG = [
    ("sangong_total", "18.00", "16.90"),
    ("abroad", "0.00", "0.00"),
    ("vehicle_total", "15.00", "14.53"),
    ("vehicle_purchase", "9.80", "9.65"),
    ("vehicle_operation", "5.20", "4.88"),
    ("reception", "3.00", "2.37"),
]
M23_ADMIN = ("62.00", "58.46")


def m23_rows(with_funds=False):
    leaves = list(M23_GPB_LEAVES)
    if with_funds:
        leaves.insert(8, M23_FUND_LEAF)
        leaves.append(M23_SOE_LEAF)
    rows = [(c, {"total": str(D(b) + D(p)), "basic": b, "project": p}) for c, b, p in leaves]
    t = tree(rows)
    tot = total_of(t)
    if not with_funds:
        assert tot["total"] == D("1998.87") and tot["basic"] == D("543.62"), tot
    else:
        assert tot["total"] == D("2097.97"), tot
    return t, tot


# 盐边县城市管理局 2023: invented; no 政府性基金.
YB23 = "盐边县城市管理局"
YB23_LEAVES = [
    ("2080505", "32.16", "0"),
    ("2080506", "4.02", "0"),
    ("2101101", "12.75", "0"),
    ("2120101", "268.40", "0"),
    ("2120104", "0", "95.00"),
    ("2120501", "0", "420.36"),
    ("2210201", "22.50", "0"),
]
YB23_SG = [
    ("sangong_total", "8.00", "7.12"),
    ("abroad", "0.00", "0.00"),
    ("vehicle_total", "6.50", "6.05"),
    ("vehicle_purchase", "0.00", "0.00"),
    ("vehicle_operation", "6.50", "6.05"),
    ("reception", "1.50", "1.07"),
]

# 仁和区城市管理和综合执法局 2023: invented.
R23 = "仁和区城市管理和综合执法局"
R23_LEAVES = [
    ("2013299", "0", "5.20"),
    ("2080501", "88.60", "0"),
    ("2080505", "152.30", "0"),
    ("2080506", "19.04", "0"),
    ("2080801", "50.50", "0"),
    ("2101101", "70.18", "0"),
    ("2101103", "26.00", "0"),
    ("2120101", "1120.35", "0"),
    ("2120104", "0", "380.00"),
    ("2120199", "0", "129.70"),
    ("2120501", "0", "1000.00"),
    ("2210201", "98.66", "0"),
]
R23_SG = [
    ("sangong_total", "25.00", "21.43"),
    ("abroad", "3.00", "2.85"),
    ("vehicle_total", "16.00", "14.36"),
    ("vehicle_purchase", "0.00", "0.00"),
    ("vehicle_operation", "16.00", "14.36"),
    ("reception", "6.00", "4.22"),
]


def simple_rows(leaves):
    rows = [(c, {"total": str(D(b) + D(p)), "basic": b, "project": p}) for c, b, p in leaves]
    t = tree(rows)
    return t, total_of(t)


# 攀枝花市东区城市管理和综合执法局 2023: invented (numbers-as-text and formula layouts).
DQ23 = "攀枝花市东区城市管理和综合执法局"
DQ23_SG = [
    ("sangong_total", "12.00", "10.86"),
    ("abroad", "0.00", "0.00"),
    ("vehicle_total", "9.50", "8.74"),
    ("vehicle_purchase", "0.00", "0.00"),
    ("vehicle_operation", "9.50", "8.74"),
    ("reception", "2.50", "2.12"),
]

# 攀枝花市园林绿化服务中心 2023 (sub-unit named in seed 000): invented, in 元.
Y23 = "攀枝花市园林绿化服务中心"
Y23_LEAVES_YUAN = [
    ("2080505", "2310420.00", "0"),
    ("2080506", "290112.40", "0"),
    ("2101102", "1045310.88", "0"),
    ("2120501", "18423600.55", "6512044.00"),
    ("2210201", "1506228.00", "0"),
]
Y23_SG_YUAN = [
    ("sangong_total", "125000.00", "118436.50"),
    ("abroad", "0.00", "0.00"),
    ("vehicle_total", "110000.00", "106236.50"),
    ("vehicle_purchase", "0.00", "0.00"),
    ("vehicle_operation", "110000.00", "106236.50"),
    ("reception", "15000.00", "12200.00"),
]

SG_LABEL = {
    "sangong_total": "合计", "abroad": "因公出国（境）费", "vehicle_total": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行费", "reception": "公务接待费",
}


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------

def covered(sheet):
    """Cells hidden under a merge (not its top-left cell)."""
    out = set()
    for r1, c1, r2, c2 in sheet.merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    out.add((r, c))
    return out


def write_xlsx(book, path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sh in book.sheets:
        ws = wb.create_sheet(sh.name)
        for (r, c), v in sorted(sh.cells.items()):
            cell = ws.cell(row=r, column=c)
            if (r, c) in sh.formulas:
                cell.value = sh.formulas[(r, c)]
                cell.number_format = "#,##0.00"
            elif isinstance(v, D):
                cell.value = int(v) if v == v.to_integral_value() and "." not in str(v) else float(v)
                if (r, c) in sh.expect and sh.expect[(r, c)] != "report":
                    cell.number_format = "#,##0.00" if "." in str(v) else "0"
                elif "." in str(v):
                    cell.number_format = "0.00"
            else:
                cell.value = v
        for r1, c1, r2, c2 in sh.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
            ws.cell(row=r1, column=c1).alignment = Alignment(horizontal="center", vertical="center",
                                                             wrap_text=True)
        for r in sh.hidden_rows:
            ws.row_dimensions[r].hidden = True
        for col, w in sh.widths.items():
            ws.column_dimensions[col].width = w
        pct = getattr(sh, "percent_cells", set())
        for (r, c) in pct:
            ws.cell(row=r, column=c).number_format = "0.00%"
    wb.properties.creator = "财务科"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)
    _normalise_xlsx(book, path)


def _normalise_xlsx(book, path):
    """Fixed zip timestamps and core.xml dates (same bytes on every run), and the
    cached value of each formula cell (openpyxl writes formulas without one)."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    sheet_files = {}
    for idx, sh in enumerate(book.sheets, start=1):
        sheet_files[f"xl/worksheets/sheet{idx}.xml"] = sh
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            name = info.filename
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-05-20T09:00:00Z", data)
            if name in sheet_files and sheet_files[name].formulas:
                sh = sheet_files[name]
                text = data.decode("utf-8")
                for (r, c), f in sh.formulas.items():
                    ref = ref_of(r, c)
                    val = str(sh.cells[(r, c)])
                    pat = re.compile(r'(<c r="%s"[^>]*>)<f>([^<]*)</f><v\s*/>' % ref)
                    text, n = pat.subn(lambda m: f"{m.group(1)}<f>{m.group(2)}</f><v>{val}</v>", text)
                    assert n == 1, (name, ref)
                data = text.encode("utf-8")
            zi = zipfile.ZipInfo(name, date_time=(2024, 5, 20, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            z.writestr(zi, data)
    with open(path, "wb") as f:
        f.write(out.getvalue())


def write_xls(book, path):
    wb = xlwt.Workbook(encoding="utf-8")
    num = xlwt.easyxf(num_format_str="#,##0.00")
    intf = xlwt.easyxf(num_format_str="0")
    head = xlwt.easyxf("align: horiz center, vert center, wrap on")
    for sh in book.sheets:
        ws = wb.add_sheet(sh.name)
        cov = covered(sh)
        tops = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in sh.merges}
        for (r1, c1), (r2, c2) in tops.items():
            v = sh.cells.get((r1, c1), "")
            ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, _xls_value(v), head)
        for (r, c), v in sorted(sh.cells.items()):
            if (r, c) in tops:
                continue
            assert (r, c) not in cov, (sh.name, ref_of(r, c))
            if isinstance(v, D):
                ws.write(r - 1, c - 1, float(v), num if "." in str(v) else intf)
            else:
                ws.write(r - 1, c - 1, v)
        for r in sh.hidden_rows:
            ws.row(r - 1).hidden = True
        for col, w in sh.widths.items():
            ws.col(column_index_from_string(col) - 1).width = int(w * 256)
    wb.save(path)


def _xls_value(v):
    return float(v) if isinstance(v, D) else v


def _cell_text(v):
    return str(v) if isinstance(v, D) else v


def write_html(book, path, encoding, meta, title=None):
    """One HTML page, one <table> per range in sheet.html_tables, as web systems
    export 'Excel' files.  Everything (titles, unit lines) is inside the tables."""
    sh = book.sheets[0]
    assert len(book.sheets) == 1
    cov = covered(sh)
    tops = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in sh.merges}
    lines = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" '
             'xmlns:x="urn:schemas-microsoft-com:office:excel" '
             'xmlns="http://www.w3.org/TR/REC-html40">', "<head>", meta]
    if title:
        lines.append(f"<title>{html.escape(title)}</title>")
    lines.append('<style>td{mso-number-format:"\\@";border:.5pt solid windowtext;}</style>')
    lines.append("</head>")
    lines.append("<body>")
    for a, b in sh.html_tables:
        maxc = 0
        for (r, c) in list(sh.cells) + [(r2, c2) for (r2, c2) in tops.values()]:
            if a <= r <= b:
                maxc = max(maxc, c)
        for (r1, c1), (r2, c2) in tops.items():
            if a <= r1 <= b:
                maxc = max(maxc, c2)
        lines.append('<table border="1" cellspacing="0" cellpadding="0">')
        for r in range(a, b + 1):
            tds = []
            for c in range(1, maxc + 1):
                if (r, c) in cov:
                    continue
                attrs = ""
                if (r, c) in tops:
                    r2, c2 = tops[(r, c)]
                    if r2 > r:
                        attrs += f' rowspan="{r2 - r + 1}"'
                    if c2 > c:
                        attrs += f' colspan="{c2 - c + 1}"'
                v = sh.cells.get((r, c))
                text = "" if v is None else html.escape(_cell_text(v))
                tds.append(f"<td{attrs}>{text}</td>")
            lines.append("<tr>" + "".join(tds) + "</tr>")
        lines.append("</table>")
    lines.append("</body>")
    lines.append("</html>")
    data = "\r\n".join(lines) + "\r\n"
    with open(path, "wb") as f:
        f.write(data.encode(encoding))


def write_spreadsheetml(book, path):
    out = ['<?xml version="1.0"?>', '<?mso-application progid="Excel.Sheet"?>',
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:html="http://www.w3.org/TR/REC-html40">',
           ' <DocumentProperties xmlns="urn:schemas-microsoft-com:office:office">',
           '  <Author>财务科</Author>', '  <Created>2024-05-20T09:00:00Z</Created>',
           ' </DocumentProperties>',
           ' <Styles>', '  <Style ss:ID="Default" ss:Name="Normal"><Alignment ss:Vertical="Center"/></Style>',
           '  <Style ss:ID="h"><Alignment ss:Horizontal="Center" ss:Vertical="Center" ss:WrapText="1"/></Style>',
           '  <Style ss:ID="n"><NumberFormat ss:Format="#,##0.00"/></Style>', ' </Styles>']
    for sh in book.sheets:
        cov = covered(sh)
        tops = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in sh.merges}
        out.append(f' <Worksheet ss:Name="{html.escape(sh.name)}">')
        out.append('  <Table>')
        rows = sorted({r for r, _ in sh.cells} | {r for r, _ in tops})
        prev_r = 0
        for r in rows:
            cells = sorted(c for (rr, c) in sh.cells if rr == r)
            if not cells:
                continue
            attrs = ""
            if r != prev_r + 1:
                attrs += f' ss:Index="{r}"'
            if r in sh.hidden_rows:
                attrs += ' ss:Hidden="1"'
            out.append(f"   <Row{attrs}>")
            prev_c = 0
            for c in cells:
                assert (r, c) not in cov
                a = ""
                if c != prev_c + 1:
                    a += f' ss:Index="{c}"'
                style = ""
                if (r, c) in tops:
                    r2, c2 = tops[(r, c)]
                    if c2 > c:
                        a += f' ss:MergeAcross="{c2 - c}"'
                    if r2 > r:
                        a += f' ss:MergeDown="{r2 - r}"'
                    style = ' ss:StyleID="h"'
                    last_c = c2
                else:
                    last_c = c
                v = sh.cells[(r, c)]
                if isinstance(v, D):
                    data = f'<Data ss:Type="Number">{v}</Data>'
                    style = ' ss:StyleID="n"'
                else:
                    data = f'<Data ss:Type="String">{html.escape(v, quote=False)}</Data>'
                out.append(f"    <Cell{a}{style}>{data}</Cell>")
                prev_c = last_c
            out.append("   </Row>")
            prev_r = r
        out.append('  </Table>')
        out.append(' </Worksheet>')
    out.append('</Workbook>')
    with open(path, "wb") as f:
        f.write(("\r\n".join(out) + "\r\n").encode("utf-8"))


def write_lock_file(path):
    """What Excel/WPS leaves beside an open workbook: 165 bytes, owner name."""
    name = "Administrator"
    data = bytes([len(name)]) + name.encode("ascii").ljust(53, b" ")
    data += bytes([len(name), 0]) + name.encode("utf-16-le")
    data = data.ljust(165, b" ")
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------------------
# Reading back (the self-check)
# ---------------------------------------------------------------------------

def read_back(book, path):
    """{sheet name: ({(r, c): value}, merges, hidden rows)} as a reader would see it."""
    ext = os.path.splitext(path)[1].lower()
    with open(path, "rb") as f:
        head = f.read(512)
    if ext == ".xlsx":
        return _read_xlsx(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _read_xls(path)
    if b"<?mso-application" in head:
        return _read_spreadsheetml(path)
    return _read_html(book, path)


def _norm_num(x):
    if isinstance(x, bool):
        raise ValueError
    if isinstance(x, int):
        return D(x)
    return D(repr(x))


def _read_xlsx(path):
    out = {}
    wb = openpyxl.load_workbook(path, data_only=True)
    wbf = openpyxl.load_workbook(path, data_only=False)
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                v = cell.value
                cells[(cell.row, cell.column)] = _norm_num(v) if isinstance(v, (int, float)) else v
        merges = sorted((m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges)
        hidden = {r for r, d in ws.row_dimensions.items() if d.hidden}
        formulas = {}
        for row in wbf[ws.title].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    formulas[(cell.row, cell.column)] = cell.value
        out[ws.title] = (cells, merges, hidden, formulas)
    return out


def _read_xls(path):
    import xlrd
    out = {}
    bk = xlrd.open_workbook(path, formatting_info=True)
    for sh in bk.sheets():
        cells = {}
        for r in range(sh.nrows):
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_NUMBER:
                    cells[(r + 1, c + 1)] = _norm_num(cell.value)
                elif cell.ctype == xlrd.XL_CELL_TEXT and cell.value != "":
                    cells[(r + 1, c + 1)] = cell.value
        merges = sorted((rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sh.merged_cells)
        hidden = {r + 1 for r, info in sh.rowinfo_map.items() if info.hidden}
        out[sh.name] = (cells, merges, hidden, {})
    return out


def _read_spreadsheetml(path):
    ns = {"ss": "urn:schemas-microsoft-com:office:spreadsheet"}
    S = "{urn:schemas-microsoft-com:office:spreadsheet}"
    root = ET.parse(path).getroot()
    out = {}
    for ws in root.findall("ss:Worksheet", ns):
        cells, merges, hidden = {}, [], set()
        taken = set()
        r = 0
        for row in ws.find("ss:Table", ns).findall("ss:Row", ns):
            r = int(row.get(S + "Index", r + 1))
            if row.get(S + "Hidden") == "1":
                hidden.add(r)
            c = 0
            for cell in row.findall("ss:Cell", ns):
                c = int(cell.get(S + "Index", c + 1))
                while (r, c) in taken and cell.get(S + "Index") is None:
                    c += 1
                ma = int(cell.get(S + "MergeAcross", 0))
                md = int(cell.get(S + "MergeDown", 0))
                data = cell.find("ss:Data", ns)
                if data is not None and data.text is not None:
                    cells[(r, c)] = D(data.text) if data.get(S + "Type") == "Number" else data.text
                if ma or md:
                    merges.append((r, c, r + md, c + ma))
                    for rr in range(r, r + md + 1):
                        for cc in range(c, c + ma + 1):
                            taken.add((rr, cc))
                c += ma
        out[ws.get(S + "Name")] = (cells, sorted(merges), hidden, {})
    return out


class _HTMLGrid(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self.merges, self.taken = {}, [], set()
        self.r = 0
        self.c = 0
        self.in_td = False
        self.buf = ""
        self.span = (1, 1)
        self.title = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "title":
            self._in_title = True
            self.title = ""
        if tag == "tr":
            self.r += 1
            self.c = 0
        if tag in ("td", "th"):
            self.c += 1
            while (self.r, self.c) in self.taken:
                self.c += 1
            self.in_td = True
            self.buf = ""
            self.span = (int(a.get("rowspan", 1)), int(a.get("colspan", 1)))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in ("td", "th") and self.in_td:
            rs, cs = self.span
            if self.buf != "":
                self.cells[(self.r, self.c)] = html.unescape(self.buf)
            if rs > 1 or cs > 1:
                self.merges.append((self.r, self.c, self.r + rs - 1, self.c + cs - 1))
            for rr in range(self.r, self.r + rs):
                for cc in range(self.c, self.c + cs):
                    self.taken.add((rr, cc))
            self.c += cs - 1
            self.in_td = False

    def handle_data(self, data):
        if self.in_td:
            self.buf += data
        if self._in_title:
            self.title += data


def _read_html(book, path):
    raw = open(path, "rb").read()
    m = re.search(rb"charset=([A-Za-z0-9_-]+)", raw[:1024])
    enc = m.group(1).decode().lower()
    enc = {"gb2312": "gb18030", "gbk": "gb18030"}.get(enc, enc)
    p = _HTMLGrid()
    p.feed(raw.decode(enc))
    name = p.title or "Sheet1"
    return {name: (p.cells, sorted(p.merges), set(), {})}


# ---------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------

FW = str.maketrans("０１２３４５６７８９．，－（）％＋", "0123456789.,-()%+")


def numeric_looking(v):
    if isinstance(v, D):
        return True
    t = v.translate(FW).replace(" ", "").replace("\u3000", "")
    return bool(re.fullmatch(r"\(?[-+]?\d[\d,]*(\.\d+)?\)?%?", t))


def check_book(book, path):
    got = read_back(book, path)
    is_html = os.path.splitext(path)[1] == ".xls" and book.sheets[0].html_tables is not None
    for sh in book.sheets:
        assert sh.name in got, (path, sh.name, list(got))
        cells, merges, hidden, formulas = got[sh.name]
        want = {}
        for k, v in sh.cells.items():
            if is_html:
                want[k] = _cell_text(v)
            else:
                want[k] = v
        for k in set(want) | set(cells):
            a, b = want.get(k), cells.get(k)
            if isinstance(a, D) and isinstance(b, D):
                ok = a == b
            else:
                ok = a == b
            assert ok, f"{path} {sh.name}!{ref_of(*k)}: meant {a!r}, reads {b!r}"
        assert sorted(merges) == sorted(sh.merges), (path, sh.name, merges, sh.merges)
        if not is_html and not path.endswith(".xml"):
            if os.path.splitext(path)[1] == ".xlsx" or hidden:
                assert hidden == sh.hidden_rows, (path, sh.name, hidden, sh.hidden_rows)
        for k, f in sh.formulas.items():
            assert formulas.get(k) == f, (path, sh.name, k, formulas.get(k), f)
        for k, v in cells.items():
            if numeric_looking(v):
                assert k in sh.expect or k in sh.skip, \
                    f"{path} {sh.name}!{ref_of(*k)} = {v!r} is a number the sidecar does not list"
        for k in list(sh.expect) + list(sh.skip):
            assert k in cells, f"{path} {sh.name}!{ref_of(*k)} listed but empty"
    check_arithmetic(book)


def check_arithmetic(book):
    facts = defaultdict(dict)
    for sh in book.sheets:
        for k, e in sh.expect.items():
            if e == "report":
                continue
            form, item, code, col, amt = e
            key = (item, code, col)
            assert key not in facts[form], f"{book.file}: {form} {key} twice"
            facts[form][key] = amt
    for form, fs in facts.items():
        cols = {c for (_, _, c) in fs}

        def g(item, code="", col=None):
            return fs.get((item, code, col), D(0))

        def has(item, code="", col=None):
            return (item, code, col) in fs

        def eq(a, b, what):
            assert a == b, f"{book.file}: {form} {what}: {a} != {b}"

        if form == "sangong":
            for col in cols:
                if has("sangong_total", "", col):
                    eq(g("sangong_total", "", col),
                       g("abroad", "", col) + g("vehicle_total", "", col) + g("reception", "", col),
                       f"合计 {col}")
                if has("vehicle_total", "", col) and (has("vehicle_purchase", "", col)
                                                      or has("vehicle_operation", "", col)):
                    eq(g("vehicle_total", "", col),
                       g("vehicle_purchase", "", col) + g("vehicle_operation", "", col), f"小计 {col}")
        if form in ("income", "expenditure", "gpb_expenditure", "gov_fund", "soe_capital",
                    "gpb_basic_detail"):
            codes = {code for (item, code, _) in fs if item == "subject"}
            for col in cols:
                sub = {code: g("subject", code, col) for code in codes if has("subject", code, col)}
                if has("total", "", col):
                    eq(g("total", "", col), sum((v for c, v in sub.items() if len(c) == 3), D(0)),
                       f"合计 {col}")
                for code in codes:
                    kids = [c for c in codes if c.startswith(code) and len(c) == len(code) + 2]
                    if kids and any(has("subject", k, col) for k in kids):
                        eq(g("subject", code, col), sum((g("subject", k, col) for k in kids), D(0)),
                           f"{code} {col}")
            rows = {(item, code) for (item, code, _) in fs}
            for item, code in rows:
                def rg(col):
                    return g(item, code, col)
                if form == "expenditure" and has(item, code, "expenditure_total"):
                    eq(rg("expenditure_total"), rg("basic") + rg("project") + rg("upper_remit")
                       + rg("operating") + rg("affiliated_subsidy"), f"row {item} {code}")
                if form == "gpb_expenditure" and has(item, code, "actual_total"):
                    eq(rg("actual_total"), rg("basic") + rg("project"), f"row {item} {code}")
                if form == "income" and has(item, code, "income_total"):
                    eq(rg("income_total"), rg("fiscal_approp") + rg("superior_subsidy") + rg("business")
                       + rg("operating") + rg("affiliated_remit") + rg("other"), f"row {item} {code}")
                if form in ("gov_fund", "soe_capital"):
                    if has(item, code, "expenditure_total"):
                        eq(rg("expenditure_total"), rg("basic") + rg("project"), f"row {item} {code}")
                    if has(item, code, "income"):
                        eq(rg("carryover_end"), rg("carryover_begin") + rg("income") - rg("expenditure_total"),
                           f"carry {item} {code}")
            if form == "gpb_basic_detail":
                col = "actual"
                if has("personnel_total", "", col):
                    eq(g("personnel_total", "", col), g("subject", "301", col) + g("subject", "303", col),
                       "人员经费合计")
                if has("public_total", "", col):
                    eq(g("public_total", "", col), sum((g("subject", c, col) for c in
                                                        ("302", "307", "309", "310", "399")), D(0)),
                       "公用经费合计")
        if form == "income_expenditure_total":
            for col in cols:
                srcs = ["gpb_approp_income", "gov_fund_approp_income", "soe_approp_income",
                        "superior_subsidy_income", "business_income", "operating_income",
                        "affiliated_remit_income", "other_income"]
                if has("income_total", "", col):
                    eq(g("income_total", "", col), sum((g(s, "", col) for s in srcs), D(0)), f"本年收入 {col}")
                if has("income_grand_total", "", col):
                    eq(g("income_grand_total", "", col), g("income_total", "", col)
                       + g("nonfiscal_surplus_used", "", col) + g("carryover_begin", "", col), f"收入总计 {col}")
                if has("expenditure_total", "", col):
                    eq(g("expenditure_total", "", col),
                       sum((v for (i, c, cc), v in fs.items() if i == "subject" and cc == col), D(0)),
                       f"本年支出 {col}")
                if has("expenditure_grand_total", "", col):
                    eq(g("expenditure_grand_total", "", col), g("expenditure_total", "", col)
                       + g("surplus_distribution", "", col) + g("carryover_end", "", col), f"支出总计 {col}")
                    eq(g("expenditure_grand_total", "", col), g("income_grand_total", "", col), f"收=支 {col}")
        if form == "fiscal_total":
            for col in cols:
                if has("income_total", "", col):
                    eq(g("income_total", "", col), g("gpb_approp", "", col) + g("gov_fund_approp", "", col)
                       + g("soe_approp", "", col), f"本年收入 {col}")
                if has("carryover_begin", "", col) and any(has(k, "", col) for k in (
                        "carryover_begin_gpb", "carryover_begin_gov_fund", "carryover_begin_soe")):
                    eq(g("carryover_begin", "", col), g("carryover_begin_gpb", "", col)
                       + g("carryover_begin_gov_fund", "", col) + g("carryover_begin_soe", "", col), "年初")
                if has("income_grand_total", "", col):
                    eq(g("income_grand_total", "", col), g("income_total", "", col)
                       + g("carryover_begin", "", col), f"收入总计 {col}")
                if has("expenditure_total", "", col):
                    eq(g("expenditure_total", "", col),
                       sum((v for (i, c, cc), v in fs.items() if i == "subject" and cc == col), D(0)),
                       f"本年支出 {col}")
                if has("expenditure_grand_total", "", col):
                    eq(g("expenditure_grand_total", "", col), g("expenditure_total", "", col)
                       + g("carryover_end", "", col), f"支出总计 {col}")
            rows = {(item, code) for (item, code, _) in fs}
            for item, code in rows:
                if has(item, code, "actual_total"):
                    eq(g(item, code, "actual_total"), g(item, code, "actual_gpb")
                       + g(item, code, "actual_gov_fund") + g(item, code, "actual_soe"), f"row {item} {code}")
            if has("income_grand_total", "", "actual"):
                eq(g("income_grand_total", "", "actual"), g("expenditure_grand_total", "", "actual_total"),
                   "收=支")
        if form == "operations":
            if has("procurement_total", "", "value"):
                eq(g("procurement_total", "", "value"), g("procurement_goods", "", "value")
                   + g("procurement_works", "", "value") + g("procurement_services", "", "value"), "采购")


# ---------------------------------------------------------------------------
# Output of one layout: workbook, sidecar
# ---------------------------------------------------------------------------

def write_sidecar(book, path):
    rows = []
    for sh in book.sheets:
        for (r, c) in sorted(sh.expect):
            e = sh.expect[(r, c)]
            if e == "report":
                rows.append([sh.name, ref_of(r, c), "", "", "", "", "report"])
            else:
                form, item, code, col, amt = e
                rows.append([sh.name, ref_of(r, c), form, item, code, col, fmt_amount(amt)])
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sheet", "cell", "form", "item", "subject_code", "column", "amount"])
        w.writerows(rows)
    return rows


# ---------------------------------------------------------------------------
# Layouts.  Each function places its cells by hand and returns (Book, writer).
# ---------------------------------------------------------------------------

LAYOUTS = []


def layout(fn):
    LAYOUTS.append(fn)
    return fn


def sg_pairs(s, r, c0, figs, scale):
    """The one data row of a wide 三公 table whose items run across in the usual
    order, 预算数 then 决算数 under each: 12 cells from column c0."""
    for i, (item, b, a) in enumerate(figs):
        s.fact(ref_of(r, c0 + 2 * i), b, "sangong", item, "", "budget", scale)
        s.fact(ref_of(r, c0 + 2 * i + 1), a, "sangong", item, "", "actual", scale)


@layout
def sangong_wide_merged_empty_middle():
    """Wide 三公 table, items across: 公务接待费 (and 合计, 因公出国（境）费) head two
    columns and are merged down over the empty middle heading row; 公务用车购置及运行费
    has the middle row 小计 | 公务用车购置费 | 公务用车运行费; 预算数/决算数 on the third row."""
    b = Book("sangong_wide_merged_empty_middle.xlsx",
             "wide 三公, three heading rows, top cells merged down over the empty middle row",
             P23, 2023,
             "Real 决算 figures of seed 000 (61.62 = 0 + 59.87 + 1.75); the 预算数 row is invented "
             "(62.00). A7:L7 is the only data row.")
    s = b.sheet("公开07表")
    s.merge("A1:L1", "财政拨款“三公”经费支出决算表")
    s.put("L2", "公开07表")
    s.put("A3", "编制单位：攀枝花市城市管理行政执法局")
    s.put("F3", "2023年度")
    s.put("L3", "单位：万元")
    s.merge("A4:B5", "合计")
    s.merge("C4:D5", "因公出国（境）费")
    s.merge("E4:J4", "公务用车购置及运行费")
    s.merge("K4:L5", "公务接待费")
    s.merge("E5:F5", "小计")
    s.merge("G5:H5", "公务用车购置费")
    s.merge("I5:J5", "公务用车运行费")
    s.row("A6", ["预算数", "决算数"] * 6)
    sg_pairs(s, 7, 1, P23_SG, WAN)
    return b, write_xlsx


@layout
def sangong_wide_top_merge_only():
    """The same wide 三公 table, but 合计, 因公出国（境）费 and 公务接待费 are merged
    only across on the top row; the middle-row cells under them are empty and
    NOT merged (as after someone unmerged and re-merged by hand in WPS)."""
    b = Book("sangong_wide_top_merge_only.xlsx",
             "wide 三公, group headings merged across on the top row only, middle row left empty and unmerged",
             P23, 2023,
             "Same figures as sangong_wide_merged_empty_middle.xlsx. A5, B5, C5, D5, K5, L5 are empty "
             "cells, not merged: the heading of K6/L6 is 公务接待费 from K4:L4.")
    s = b.sheet("三公经费")
    s.merge("A1:L1", "财政拨款“三公”经费支出决算表")
    s.put("A2", "编制单位：攀枝花市城市管理行政执法局")
    s.put("L2", "单位：万元")
    s.put("A3", "2023年度")
    s.merge("A4:B4", "合计")
    s.merge("C4:D4", "因公出国（境）费")
    s.merge("E4:J4", "公务用车购置及运行费")
    s.merge("K4:L4", "公务接待费")
    s.merge("E5:F5", "小计")
    s.merge("G5:H5", "公务用车购置费")
    s.merge("I5:J5", "公务用车运行费")
    s.row("A6", ["预算数", "决算数"] * 6)
    sg_pairs(s, 7, 1, P23_SG, WAN)
    return b, write_xlsx


@layout
def sangong_wide_merged_empty_middle_xls():
    """The wide 三公 table of sangong_wide_merged_empty_middle in legacy .xls
    (BIFF8, as WPS and older tools save it), merged regions in the MERGEDCELLS record."""
    b = Book("sangong_wide_merged_empty_middle_biff8.xls",
             "legacy .xls (BIFF8) with merged heading cells; wide 三公",
             P23, 2023,
             "Same cells as sangong_wide_merged_empty_middle.xlsx, written by xlwt.")
    s = b.sheet("公开07表")
    s.merge("A1:L1", "财政拨款“三公”经费支出决算表")
    s.put("L2", "公开07表")
    s.put("A3", "编制单位：攀枝花市城市管理行政执法局")
    s.put("F3", "2023年度")
    s.put("L3", "单位：万元")
    s.merge("A4:B5", "合计")
    s.merge("C4:D5", "因公出国（境）费")
    s.merge("E4:J4", "公务用车购置及运行费")
    s.merge("K4:L5", "公务接待费")
    s.merge("E5:F5", "小计")
    s.merge("G5:H5", "公务用车购置费")
    s.merge("I5:J5", "公务用车运行费")
    s.row("A6", ["预算数", "决算数"] * 6)
    sg_pairs(s, 7, 1, P23_SG, WAN)
    return b, write_xls


@layout
def sangong_items_as_rows():
    """三公 with items as rows (项目 | 预算数 | 决算数), numbered labels as offices write
    them, `其中：` sub-rows for 购置/运行, 公务接待费（含外宾接待）, and a last row
    二、机关运行经费 (admin_operating_cost)."""
    b = Book("sangong_items_as_rows.xlsx",
             "三公 items as rows with numbering, 其中 sub-rows and a 机关运行经费 row",
             Z22, 2022,
             "三公 预算 45.30 / 决算 43.38 are seed 004's; the parts and 机关运行经费 (530.00 / 521.35) "
             "are invented. Row 10 (二、机关运行经费) is admin_operating_cost.")
    s = b.sheet("Sheet1")
    s.width("A", 34)
    s.merge("A1:C1", "财政拨款“三公”经费支出决算表")
    s.put("A2", "编制单位：湛江市城市管理和综合执法局（2022年度）")
    s.put("C2", "单位：万元")
    s.row("A3", ["项目", "预算数", "决算数"])
    labels = {
        "sangong_total": "一、“三公”经费支出合计",
        "abroad": "1.因公出国（境）费",
        "vehicle_total": "2.公务用车购置及运行费",
        "vehicle_purchase": "其中：（1）公务用车购置费",
        "vehicle_operation": "（2）公务用车运行费",
        "reception": "3.公务接待费（含外宾接待）",
    }
    for i, (item, bud, act) in enumerate(Z22_SG):
        r = 4 + i
        s.put(f"A{r}", labels[item])
        s.fact(f"B{r}", bud, "sangong", item, "", "budget", WAN)
        s.fact(f"C{r}", act, "sangong", item, "", "actual", WAN)
    s.put("A10", "二、机关运行经费")
    s.fact("B10", Z22_ADMIN[0], "sangong", "admin_operating_cost", "", "budget", WAN)
    s.fact("C10", Z22_ADMIN[1], "sangong", "admin_operating_cost", "", "actual", WAN)
    s.merge("A11:C11", "注：“三公”经费指用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。")
    return b, write_xlsx


@layout
def sangong_completion_rate():
    """三公 as rows with a 完成预算% column beside 预算数 and 决算数: the rate column's
    heading contains 预算, the rates (58.95, 58.75, 60.00) are not money."""
    b = Book("sangong_completion_rate.xlsx",
             "三公 with a 完成预算% column (heading contains 预算)",
             D20, 2020,
             "Seed 002: 三公 1.12 (用车 0.94, 接待 0.18), 完成预算 59%; 预算数 1.90 invented. Column D "
             "(完成预算%) is all report; D5 and D7 are '—' text (nothing).")
    s = b.sheet("三公经费支出决算表")
    s.merge("A1:D1", "2020年度财政拨款“三公”经费支出决算表")
    s.put("A2", "编制单位：攀枝花市数字化城市联动指挥中心")
    s.put("D2", "金额单位：万元")
    s.row("A3", ["项目", "预算数", "决算数", "完成预算%"])
    labels = ["合计", "因公出国（境）费", "公务用车购置及运行费", "  其中：公务用车购置费",
              "        公务用车运行费", "公务接待费"]
    rates = ["58.95", None, "58.75", None, "58.75", "60.00"]
    for i, (item, bud, act) in enumerate(D20_SG):
        r = 4 + i
        s.put(f"A{r}", labels[i])
        s.fact(f"B{r}", bud, "sangong", item, "", "budget", WAN)
        s.fact(f"C{r}", act, "sangong", item, "", "actual", WAN)
        if rates[i] is None:
            s.put(f"D{r}", "—")
        else:
            s.report(f"D{r}", rates[i])
    return b, write_xlsx


@layout
def sangong_wide_execution_rate():
    """Wide 三公 with three columns under each item: 预算数 | 决算数 | 执行率, the rate
    stored as a fraction formatted as a percentage (0.8905 shown as 89.05%)."""
    b = Book("sangong_wide_execution_rate.xlsx",
             "wide 三公 with an 执行率 column per item, rates stored as fractions (percent format)",
             YB23, 2023,
             "Figures invented. Every third value column (执行率) is report: the cells hold 0.89 … "
             "numbers that look like small 万元 amounts. 因公出国 and 购置 执行率 cells are '-' text.")
    s = b.sheet("表7")
    s.percent_cells = set()
    s.merge("A1:R1", "盐边县城市管理局2023年度财政拨款“三公”经费支出决算表")
    s.put("R2", "单位：万元")
    s.merge("A3:C4", "合计")
    s.merge("D3:F4", "因公出国（境）费")
    s.merge("G3:O3", "公务用车购置及运行费")
    s.merge("P3:R4", "公务接待费")
    s.merge("G4:I4", "小计")
    s.merge("J4:L4", "公务用车购置费")
    s.merge("M4:O4", "公务用车运行费")
    s.row("A5", ["预算数", "决算数", "执行率"] * 6)
    rates = {"sangong_total": "0.89", "abroad": None, "vehicle_total": "0.9308",
             "vehicle_purchase": None, "vehicle_operation": "0.9308", "reception": "0.7133"}
    for i, (item, bud, act) in enumerate(YB23_SG):
        c = 1 + 3 * i
        s.fact(ref_of(6, c), bud, "sangong", item, "", "budget", WAN)
        s.fact(ref_of(6, c + 1), act, "sangong", item, "", "actual", WAN)
        if rates[item] is None:
            s.put(ref_of(6, c + 2), "-")
        else:
            s.report(ref_of(6, c + 2), rates[item])
            s.percent_cells.add((6, c + 2))
    return b, write_xlsx


@layout
def sangong_with_counts():
    """Wide 三公 with count columns beside the money: 公务接待批次（个）, 公务接待人次（人）,
    公务用车保有量（辆）, each merged down over the three heading rows."""
    b = Book("sangong_with_counts.xlsx",
             "wide 三公 with count columns (批次, 人次, 辆) beside the money",
             P23, 2023,
             "Counts from seed 000 (9 批次, 53 人次, 30 辆) in M6:O6 are report: the 三公 form has no "
             "count item. Money as in sangong_wide_merged_empty_middle.xlsx.")
    s = b.sheet("三公经费")
    s.merge("A1:O1", "攀枝花市城市管理行政执法局2023年度财政拨款“三公”经费支出决算表")
    s.put("O2", "单位：万元")
    s.merge("A3:B4", "合计")
    s.merge("C3:D4", "因公出国（境）费")
    s.merge("E3:J3", "公务用车购置及运行费")
    s.merge("K3:L4", "公务接待费")
    s.merge("M3:M5", "公务接待批次（个）")
    s.merge("N3:N5", "公务接待人次（人）")
    s.merge("O3:O5", "公务用车保有量（辆）")
    s.merge("E4:F4", "小计")
    s.merge("G4:H4", "公务用车购置费")
    s.merge("I4:J4", "公务用车运行费")
    s.row("A5", ["预算数", "决算数"] * 6)
    sg_pairs(s, 6, 1, P23_SG, WAN)
    s.report("M6", 9)
    s.report("N6", 53)
    s.report("O6", 30)
    return b, write_xlsx


@layout
def sangong_prior_year_change():
    """三公 as rows in a 2023 workbook with this year's 预算数/决算数 under `2023年度`,
    the previous year's `2022年决算数`, and `决算数比上年增减` split into 增减额 / 增减%."""
    b = Book("sangong_prior_year_change.xlsx",
             "三公 with the previous year's 决算数 and 增减额 / 增减% columns",
             P23, 2023,
             "Seed 000: 61.62, +32.22, +109.59% on 2022 (29.40); 接待 +0.92, +110.84%. Columns D "
             "(2022年决算数), E (增减额) and F (增减%) are report. B/C are under the merged heading "
             "`2023年度`. F6 and F8 are '—' text.")
    s = b.sheet("三公")
    s.width("A", 28)
    s.merge("A1:F1", "财政拨款“三公”经费支出决算表")
    s.put("A2", "部门：攀枝花市城市管理行政执法局")
    s.put("F2", "单位：万元")
    s.merge("A3:A4", "项目")
    s.merge("B3:C3", "2023年度")
    s.merge("D3:D4", "2022年决算数")
    s.merge("E3:F3", "决算数比上年增减")
    s.row("B4", ["预算数", "决算数", None, "增减额", "增减%"])
    labels = ["合计", "因公出国（境）费", "公务用车购置及运行费", "其中：公务用车购置费",
              "      公务用车运行费", "公务接待费"]
    pct = {"sangong_total": "109.59", "abroad": None, "vehicle_total": "109.56",
           "vehicle_purchase": None, "vehicle_operation": "109.56", "reception": "110.84"}
    for i, (item, bud, act) in enumerate(P23_SG):
        r = 5 + i
        prev = P23_SG_2022[item]
        s.put(f"A{r}", labels[i])
        s.fact(f"B{r}", bud, "sangong", item, "", "budget", WAN)
        s.fact(f"C{r}", act, "sangong", item, "", "actual", WAN)
        s.report(f"D{r}", prev)
        s.report(f"E{r}", s2(D(act) - D(prev)))
        if pct[item] is None:
            s.put(f"F{r}", "—")
        else:
            s.report(f"F{r}", pct[item])
    return b, write_xlsx


@layout
def sangong_initial_and_full_budget():
    """三公 as rows with 年初预算数 beside 全年预算数 and 决算数: only 全年预算数 is the
    三公 budget; the form has no 年初 column."""
    b = Book("sangong_initial_and_full_budget.xlsx",
             "三公 with 年初预算数 beside 全年预算数 and 决算数",
             A23, 2023,
             "Figures invented for seed 001's unit. Column B (年初预算数) is report; C (全年预算数) "
             "is budget.")
    s = b.sheet("财政拨款三公经费支出决算表")
    s.width("A", 26)
    s.merge("A1:D1", "财政拨款“三公”经费支出决算表")
    s.put("A2", "单位名称：安宁市城市管理综合服务中心")
    s.put("C2", "2023年度")
    s.put("D2", "单位：万元")
    s.row("A3", ["项目", "年初预算数", "全年预算数", "决算数"])
    order = ["sangong_total", "abroad", "vehicle_total", "vehicle_purchase", "vehicle_operation",
             "reception"]
    labels = ["合计", "因公出国（境）费", "公务用车购置及运行费", "  公务用车购置费", "  公务用车运行费",
              "公务接待费"]
    for i, item in enumerate(order):
        r = 4 + i
        ini, full, act = A23_SG[item]
        s.put(f"A{r}", labels[i])
        s.report(f"B{r}", ini)
        s.fact(f"C{r}", full, "sangong", item, "", "budget", WAN)
        s.fact(f"D{r}", act, "sangong", item, "", "actual", WAN)
    return b, write_xlsx


@layout
def sangong_and_admin_cost_title():
    """Shanghai-style 三公 table whose title names a broader table
    (`…“三公”经费及机关运行经费支出决算表`): twelve 三公 columns under a top heading
    `一般公共预算财政拨款“三公”经费`, and a 13th column `机关运行经费决算数` merged down over
    the four heading rows.  The unit is named only in this title."""
    b = Book("sangong_and_admin_cost_title.xlsx",
             "title containing another table's title (“三公”经费及机关运行经费支出决算表); 机关运行经费 as an extra column",
             M23, 2023,
             "It is the sangong form, not 支出决算表. M6 (机关运行经费决算数) is admin_operating_cost/actual. "
             "Figures invented.")
    s = b.sheet("Sheet1")
    s.merge("A1:M1", "米易县城市管理局2023年度一般公共预算财政拨款“三公”经费及机关运行经费支出决算表")
    s.put("M2", "单位：万元")
    s.merge("A3:L3", "一般公共预算财政拨款“三公”经费")
    s.merge("M3:M6", "机关运行经费决算数")
    s.merge("A4:B5", "合计")
    s.merge("C4:D5", "因公出国（境）费")
    s.merge("E4:J4", "公务用车购置及运行费")
    s.merge("K4:L5", "公务接待费")
    s.merge("E5:F5", "小计")
    s.merge("G5:H5", "公务用车购置费")
    s.merge("I5:J5", "公务用车运行费")
    s.row("A6", ["预算数", "决算数"] * 6)
    sg_pairs(s, 7, 1, M23_SG, WAN)
    s.fact("M7", M23_ADMIN[1], "sangong", "admin_operating_cost", "", "actual", WAN)
    return b, write_xlsx


@layout
def sangong_budget_actual_on_top():
    """The central template's arrangement: 预算数 heads the first six columns and 决算数
    the last six; under each, 合计 | 因公出国（境）费 | 公务用车购置及运行费 (小计, 购置费,
    运行费) | 公务接待费, merged down where they have no sub-heading."""
    b = Book("sangong_budget_actual_on_top.xlsx",
             "wide 三公 with 预算数 / 决算数 as the top heading and the items under them",
             R23, 2023,
             "Figures invented; 因公出国 is not zero here (3.00 / 2.85), so items and columns cannot "
             "be swapped unnoticed.")
    s = b.sheet("公开表7")
    s.merge("A1:L1", "财政拨款“三公”经费支出决算表")
    s.put("L2", "公开07表")
    s.put("A3", "部门：仁和区城市管理和综合执法局")
    s.put("G3", "2023年度")
    s.put("L3", "单位：万元")
    s.merge("A4:F4", "预算数")
    s.merge("G4:L4", "决算数")
    for c0 in (1, 7):
        s.merge(f"{ref_of(5, c0)}:{ref_of(6, c0)}", "合计")
        s.merge(f"{ref_of(5, c0 + 1)}:{ref_of(6, c0 + 1)}", "因公出国（境）费")
        s.merge(f"{ref_of(5, c0 + 2)}:{ref_of(5, c0 + 4)}", "公务用车购置及运行费")
        s.merge(f"{ref_of(5, c0 + 5)}:{ref_of(6, c0 + 5)}", "公务接待费")
        s.row(ref_of(6, c0 + 2), ["小计", "公务用车购置费", "公务用车运行费"])
    for i, (item, bud, act) in enumerate(R23_SG):
        s.fact(ref_of(7, 1 + i), bud, "sangong", item, "", "budget", WAN)
        s.fact(ref_of(7, 7 + i), act, "sangong", item, "", "actual", WAN)
    return b, write_xlsx


@layout
def sangong_spaced_labels():
    """三公 as rows with labels as typed in offices: spaces inside (`合  计`,
    `因 公 出 国（境）费`), half-width brackets, the 运行维护费 wording, `（1）公务用车购置`
    without 费, and 接待 before 用车."""
    b = Book("sangong_spaced_labels.xlsx",
             "三公 rows with spaced labels, half-width brackets, other wording and order",
             A23, 2023,
             "Same 全年预算数/决算数 as sangong_initial_and_full_budget.xlsx.")
    s = b.sheet("表七")
    s.width("A", 30)
    s.merge("A1:C1", "安宁市城市管理综合服务中心2023年度财政拨款“三公”经费支出决算表")
    s.put("C2", "单位:万元")
    s.row("A3", ["项    目", "预算数", "决算数"])
    rows = [("合  计", "sangong_total"), ("1.因 公 出 国(境)费", "abroad"),
            ("2.公 务 接 待 费", "reception"), ("3.公务用车购置及运行维护费", "vehicle_total"),
            ("  其中:(1)公务用车购置", "vehicle_purchase"), ("       (2)公务用车运行维护费", "vehicle_operation")]
    for i, (label, item) in enumerate(rows):
        r = 4 + i
        _, full, act = A23_SG[item]
        s.put(f"A{r}", label)
        s.fact(f"B{r}", full, "sangong", item, "", "budget", WAN)
        s.fact(f"C{r}", act, "sangong", item, "", "actual", WAN)
    return b, write_xlsx


@layout
def sangong_years_as_rows():
    """三公 with items across (合计 | 因公出国（境）费 | 公务接待费 | 公务用车购置及运行维护费
    with 小计/车辆购置/车辆运行) and the years as rows: a `2022年` row, a `2023年` row and
    a `2023年比2022年增减%` row, no budget (the 衢江/施甸 style of county reports)."""
    b = Book("sangong_years_as_rows.xlsx",
             "三公 with items across and years as rows (上年 row, 本年 row, 增减% row)",
             P23, 2023,
             "Only row 6 (2023年) is facts (actual); row 5 (2022年) and row 7 (增减%) are report. "
             "There is no 预算数 here. The row labels are years: a reader must take the current "
             "year's row as 决算数. C7 and F7 are '—'.")
    s = b.sheet("三公经费")
    s.merge("A1:G1", "2023年度财政拨款“三公”经费支出决算表")
    s.put("A2", "编制单位：攀枝花市城市管理行政执法局")
    s.put("G2", "单位：万元")
    s.merge("A3:A4", "年度")
    s.merge("B3:B4", "合计")
    s.merge("C3:C4", "因公出国（境）费")
    s.merge("D3:D4", "公务接待费")
    s.merge("E3:G3", "公务用车购置及运行维护费")
    s.row("E4", ["小计", "车辆购置", "车辆运行"])
    order = ["sangong_total", "abroad", "reception", "vehicle_total", "vehicle_purchase",
             "vehicle_operation"]
    act = {item: a for item, _, a in P23_SG}
    pct = {"sangong_total": "109.59", "abroad": None, "reception": "110.84", "vehicle_total": "109.56",
           "vehicle_purchase": None, "vehicle_operation": "109.56"}
    s.put("A5", "2022年")
    s.put("A6", "2023年")
    s.put("A7", "2023年比2022年增减%")
    for i, item in enumerate(order):
        c = 2 + i
        s.report(ref_of(5, c), P23_SG_2022[item])
        s.fact(ref_of(6, c), act[item], "sangong", item, "", "actual", WAN)
        if pct[item] is None:
            s.put(ref_of(7, c), "—")
        else:
            s.report(ref_of(7, c), pct[item])
    return b, write_xlsx


@layout
def sangong_last_year_this_year():
    """三公 rows headed 上年决算数 | 本年决算数 | 增、减金额 | 增、减幅度 (no years written in
    the headings), half-width brackets, 公务接待费 listed before 公务用车."""
    b = Book("sangong_last_year_this_year.xlsx",
             "三公 with 上年决算数 / 本年决算数 and 增减 columns, no year in the headings",
             YB23, 2023,
             "Figures invented (2022: 7.60). Only column C (本年决算数) is facts. B (上年决算数), "
             "D (增、减金额, negative numbers) and E (增、减幅度, text with %) are report.")
    s = b.sheet("Sheet1")
    s.width("A", 28)
    s.merge("A1:E1", "盐边县城市管理局2023年度“三公”经费支出决算表")
    s.put("E2", "单位:万元")
    s.merge("A3:A4", "项目")
    s.merge("B3:B4", "上年决算数")
    s.merge("C3:C4", "本年决算数")
    s.merge("D3:E3", "比上年增、减情况")
    s.row("D4", ["增、减金额", "增、减幅度"])
    prev = {"sangong_total": "7.60", "abroad": "0.00", "reception": "1.20", "vehicle_total": "6.40",
            "vehicle_purchase": "0.00", "vehicle_operation": "6.40"}
    pct = {"sangong_total": "-6.32%", "abroad": None, "reception": "-10.83%", "vehicle_total": "-5.47%",
           "vehicle_purchase": None, "vehicle_operation": "-5.47%"}
    act = {item: a for item, _, a in YB23_SG}
    rows = [("合计", "sangong_total"), ("1.因公出国(境)费", "abroad"), ("2.公务接待费", "reception"),
            ("3.公务用车购置及运行费", "vehicle_total"), ("其中:(1)公务用车购置费", "vehicle_purchase"),
            ("(2)公务用车运行费", "vehicle_operation")]
    for i, (label, item) in enumerate(rows):
        r = 5 + i
        s.put(f"A{r}", label)
        s.report(f"B{r}", prev[item])
        s.fact(f"C{r}", act[item], "sangong", item, "", "actual", WAN)
        s.report(f"D{r}", s2(D(act[item]) - D(prev[item])))
        if pct[item] is None:
            s.report(f"E{r}", Text("0.00%"))
        else:
            s.report(f"E{r}", Text(pct[item]))
    return b, write_xlsx


def put_vals(s, r, colmap, vals, form, item, code, scale, blank_zero=True):
    """Value cells of one row: colmap {data key: (column letter, canonical column)}."""
    for key, (letter, column) in colmap.items():
        v = vals.get(key)
        if v is None or (blank_zero and D(v) == 0):
            continue
        s.fact(f"{letter}{r}", s2(v), form, item, code, column, scale)


@layout
def expenditure_merged_label_subheading():
    """支出决算表 whose label heading `项目` (and `科目编码`) is merged down over two heading
    rows, with `决算数` over a sub-heading row that starts with `合计`
    (合计 | 基本支出 | 项目支出 | …): that sub-heading row is not the 合计 data row."""
    b = Book("expenditure_merged_label_subheading.xlsx",
             "支出决算表: label heading merged over two rows; sub-heading row starting with 合计",
             D20, 2020,
             "Seed 002: 本年支出 831.37 = 基本 150.26 + 项目 681.11; lines invented. Row 5 is headings "
             "(C5 `合计` = the expenditure_total column); row 6 is the 合计 data row. Zero cells are blank.")
    s = b.sheet("支出决算表")
    s.width("B", 36)
    s.merge("A1:H1", "支出决算表")
    s.put("H2", "公开03表")
    s.put("A3", "编制单位：攀枝花市数字化城市联动指挥中心")
    s.put("D3", "2020年度")
    s.put("H3", "金额单位：万元")
    s.merge("A4:A5", "科目编码")
    s.merge("B4:B5", "项目")
    s.merge("C4:H4", "决算数")
    s.row("C5", ["合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"])
    rows, tot = d20_rows()
    cm = {"total": ("C", "expenditure_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.put("B6", "合计")
    put_vals(s, 6, cm, tot, "expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        r = 7 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, vals, "expenditure", "subject", code, WAN)
    return b, write_xlsx


@layout
def gpb_expenditure_code_name_one_cell():
    """一般公共预算财政拨款支出决算表 whose label column `功能分类科目` holds code and name in
    one cell (`2080505 机关事业单位基本养老保险缴费支出`), indented by level; 合计 on top."""
    b = Book("gpb_expenditure_code_name_one_cell.xlsx",
             "功能分类科目 column with code and name in one cell (`2080505 名称`)",
             P23, 2023,
             "Seed 000's 19 项 (8589.95), two 项 adjusted by 0.01 so that classes add up; 基本/项目 "
             "split invented (7803.25 / 786.70). Codes are inside the label text.")
    s = b.sheet("一般公共预算财政拨款支出决算表")
    s.width("A", 46)
    s.merge("A1:D1", "一般公共预算财政拨款支出决算表")
    s.put("A2", "部门：攀枝花市城市管理行政执法局")
    s.put("C2", "2023年度")
    s.put("D2", "单位：万元")
    s.row("A3", ["功能分类科目", "合计", "基本支出", "项目支出"])
    rows, tot = p23_gpb_rows()
    cm = {"total": ("B", "actual_total"), "basic": ("C", "basic"), "project": ("D", "project")}
    s.put("A4", "合计")
    put_vals(s, 4, cm, tot, "gpb_expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        r = 5 + i
        indent = {3: "", 5: "  ", 7: "    "}[len(code)]
        s.put(f"A{r}", f"{indent}{code} {FUNC[code]}")
        put_vals(s, r, cm, vals, "gpb_expenditure", "subject", code, WAN)
    return b, write_xlsx


@layout
def gpb_expenditure_bracket_code():
    """一般公共预算财政拨款支出决算表 as 预算管理一体化 systems export it: `[2080505]名称`
    in one cell, `本年支出` over 合计 | 基本支出 | 项目支出, and 合计 as the LAST row."""
    b = Book("gpb_expenditure_bracket_code.xlsx",
             "codes in brackets inside the label (`[2080505]名称`); 合计 at the bottom",
             D20, 2020,
             "Seed 002: 一般公共预算 190.22, 基本 150.26; lines invented. Total row is row 18 (last).")
    s = b.sheet("Sheet1")
    s.width("A", 48)
    s.merge("A1:D1", "一般公共预算财政拨款支出决算表")
    s.put("A2", "编制单位：攀枝花市数字化城市联动指挥中心")
    s.put("B2", "2020年度")
    s.put("D2", "单位：万元")
    s.merge("A3:A4", "项目")
    s.merge("B3:D3", "本年支出")
    s.row("B4", ["合计", "基本支出", "项目支出"])
    rows, tot = d20_rows(gpb_only=True)
    cm = {"total": ("B", "actual_total"), "basic": ("C", "basic"), "project": ("D", "project")}
    for i, (code, vals) in enumerate(rows):
        r = 5 + i
        s.put(f"A{r}", f"[{code}]{FUNC[code]}")
        put_vals(s, r, cm, vals, "gpb_expenditure", "subject", code, WAN)
    r = 5 + len(rows)
    s.put(f"A{r}", "合计")
    put_vals(s, r, cm, tot, "gpb_expenditure", "total", "", WAN)
    return b, write_xlsx


@layout
def income_code_and_name_columns():
    """收入决算表 with `项目` merged across `科目编码` | `科目名称`, codes as text in their own
    column, and the 合计 label merged across both label columns."""
    b = Book("income_code_and_name_columns.xlsx",
             "收入决算表 with 科目编码 + 科目名称 columns under a merged 项目 heading",
             P23, 2023,
             "All income is 财政拨款 (seed 000: 8589.95 + 340.00); by subject it equals the spending "
             "lines. Columns E–I are empty.")
    s = b.sheet("收入决算表")
    s.width("B", 36)
    s.merge("A1:I1", "2023年度收入决算表")
    s.put("I2", "公开02表")
    s.put("A3", "部门：攀枝花市城市管理行政执法局")
    s.put("I3", "单位：万元")
    s.merge("A4:B4", "项目")
    s.row("A5", ["科目编码", "科目名称"])
    for letter, head in zip("CDEFGHI", ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入",
                                         "经营收入", "附属单位上缴收入", "其他收入"]):
        s.merge(f"{letter}4:{letter}5", head)
    rows, tot = p23_all_rows()
    cm = {"total": ("C", "income_total"), "fiscal": ("D", "fiscal_approp")}
    s.merge("A6:B6", "合计")
    put_vals(s, 6, cm, {"total": tot["total"], "fiscal": tot["total"]}, "income", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        r = 7 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, {"total": vals["total"], "fiscal": vals["total"]}, "income", "subject", code, WAN)
    return b, write_xlsx


@layout
def expenditure_split_codes_lost_zeros():
    """支出决算表 with the code split into 类 | 款 | 项 columns stored as numbers, so the
    leading zeros are gone (`208`, `5`, `1` for 2080501), and 类/款 left blank on the
    rows that continue the one above (a 项 row has only its 项)."""
    b = Book("expenditure_split_codes_lost_zeros.xlsx",
             "split 类/款/项 code columns, numbers with leading zeros lost, blanks continuing the row above",
             P23, 2023,
             "A 款 row has only B (款) filled and a 项 row only C (项): e.g. row 13 (B13 = 5) is 20805 "
             "and row 14 (C14 = 1) is 2080501. 合计 row 6.")
    s = b.sheet("支出决算表")
    s.width("D", 36)
    s.merge("A1:J1", "2023年度支出决算表")
    s.put("J2", "公开03表")
    s.put("A3", "部门：攀枝花市城市管理行政执法局")
    s.put("J3", "单位：万元")
    s.merge("A4:C4", "科目编码")
    s.row("A5", ["类", "款", "项"])
    for letter, head in zip("DEFGHIJ", ["科目名称", "本年支出合计", "基本支出", "项目支出", "上缴上级支出",
                                         "经营支出", "对附属单位补助支出"]):
        s.merge(f"{letter}4:{letter}5", head)
    rows, tot = p23_all_rows()
    cm = {"total": ("E", "expenditure_total"), "basic": ("F", "basic"), "project": ("G", "project")}
    s.merge("A6:D6", "合计")
    put_vals(s, 6, cm, tot, "expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        r = 7 + i
        if len(code) == 3:
            s.code(f"A{r}", int(code))
        elif len(code) == 5:
            s.code(f"B{r}", int(code[3:5]))
        else:
            s.code(f"C{r}", int(code[5:7]))
        s.put(f"D{r}", FUNC[code])
        put_vals(s, r, cm, vals, "expenditure", "subject", code, WAN)
    return b, write_xlsx


@layout
def caijue04_split_codes_text_xls():
    """A 财决 export in legacy .xls: 封面 and `Z04 支出决算表(财决04表)`, code split into
    类 | 款 | 项 as text with zeros kept (`208`, `05`, `01`) and repeated on every row,
    a 行次 column, a 栏次 row, amounts in 元."""
    b = Book("caijue04_split_codes_text.xls",
             "A-family .xls: 类/款/项 text columns with zeros, 行次 column and 栏次 row, 元",
             M23, 2023,
             "Figures of 米易县城市管理局 (invented) in 元 (the 万元 figures × 10000, so whole hundreds). "
             "行次 (E) and 栏次 (row 6) numbers are not listed. 政府性基金 2120899 and 国有资本经营 "
             "2230105 lines are included.")
    c = b.sheet("封面")
    c.merge("A1:D1", "2023年度部门决算报表")
    c.row("A3", ["单位名称", "米易县城市管理局"])
    c.row("A4", ["单位代码", "11510421MB1562834K"])
    c.row("A5", ["主管部门", "米易县城市管理局"])
    c.put("A6", "主管部门代码")
    c.code("B6", "421001")
    c.row("A7", ["单位性质", "行政单位"])
    c.row("A8", ["报表类型", "单户表"])
    c.put("A9", "年度")
    c.code("B9", 2023)
    c.row("A10", ["单位负责人", "张明"])
    c.row("A11", ["财务负责人", "李芳"])
    s = b.sheet("Z04 支出决算表(财决04表)")
    s.merge("A1:K1", "支出决算表")
    s.put("K2", "财决04表")
    s.put("A3", "编制单位：米易县城市管理局")
    s.put("F3", "2023年度")
    s.put("K3", "金额单位：元")
    s.merge("A4:D4", "项目")
    s.row("A5", ["类", "款", "项", "科目名称"])
    s.merge("E4:E5", "行次")
    for letter, head in zip("FGHIJK", ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                                        "对附属单位补助支出"]):
        s.merge(f"{letter}4:{letter}5", head)
    s.merge("A6:D6", "栏次")
    s.put("E6", "—")
    for i, letter in enumerate("FGHIJK"):
        s.code(f"{letter}6", i + 1)
    rows, tot = m23_rows(with_funds=True)
    cm = {"total": ("F", "expenditure_total"), "basic": ("G", "basic"), "project": ("H", "project")}
    s.merge("A7:D7", "合计")
    s.code("E7", 1)
    yuan = {k: v * WAN for k, v in tot.items()}
    put_vals(s, 7, cm, yuan, "expenditure", "total", "", YUAN)
    for i, (code, vals) in enumerate(rows):
        r = 8 + i
        s.code(f"A{r}", code[:3])
        if len(code) >= 5:
            s.code(f"B{r}", code[3:5])
        if len(code) == 7:
            s.code(f"C{r}", code[5:7])
        s.put(f"D{r}", FUNC[code])
        s.code(f"E{r}", i + 2)
        put_vals(s, r, cm, {k: v * WAN for k, v in vals.items()}, "expenditure", "subject", code, YUAN)
    return b, write_xls


@layout
def identity_dept_line():
    """Identity only in a `部门：XX（2020年度）` line above each table; plain titles, a
    neutral file name, no cover.  收入决算表 and 支出决算表 on two sheets."""
    b = Book("identity_dept_line.xlsx",
             "identity only in a `部门：XX（2020年度）` line",
             D20, 2020,
             "Seed 002: 本年收入 659.38 = 一般公共预算 190.22 + 政府性基金 469.16; 本年支出 831.37 "
             "(with 171.99 carried over). The unit and the year are only in A2 of each sheet.")
    s = b.sheet("收入决算表")
    s.width("B", 36)
    s.merge("A1:I1", "收入决算表")
    s.put("A2", "部门：攀枝花市数字化城市联动指挥中心（2020年度）")
    s.put("I2", "单位：万元")
    s.row("A3", ["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                 "附属单位上缴收入", "其他收入"])
    inc_leaves = [("2080505", "15.20", "0"), ("2080506", "7.20", "0"), ("2101102", "8.10", "0"),
                  ("2120199", "143.20", "0"), ("2120899", "469.16", "0"), ("2210201", "16.52", "0")]
    rows, tot = simple_rows(inc_leaves)
    assert tot["total"] == D("659.38")
    cm = {"total": ("C", "income_total"), "fiscal": ("D", "fiscal_approp")}
    s.put("B4", "合计")
    put_vals(s, 4, cm, {"total": tot["total"], "fiscal": tot["total"]}, "income", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        r = 5 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, {"total": vals["total"], "fiscal": vals["total"]}, "income", "subject", code, WAN)

    s = b.sheet("支出决算表")
    s.width("B", 36)
    s.merge("A1:H1", "支出决算表")
    s.put("A2", "部门：攀枝花市数字化城市联动指挥中心（2020年度）")
    s.put("H2", "单位：万元")
    s.row("A3", ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                 "对附属单位补助支出"])
    rows, tot = d20_rows()
    cm = {"total": ("C", "expenditure_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.put("B4", "合计")
    put_vals(s, 4, cm, tot, "expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        r = 5 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, vals, "expenditure", "subject", code, WAN)
    return b, write_xlsx


def basic_detail_three_panels(s, top, unit_line_left, scale_text):
    """一般公共预算财政拨款基本支出决算表 of P23 from row `top`: 人员经费 panel (A:C) and two
    公用经费 panels (D:F, G:I), closing line 人员经费合计 / 公用经费合计.  Returns next row."""
    s.merge(f"A{top}:I{top}", "一般公共预算财政拨款基本支出决算表")
    s.put(f"I{top + 1}", "公开06表")
    s.put(f"A{top + 2}", unit_line_left)
    s.put(f"I{top + 2}", scale_text)
    h = top + 3
    s.merge(f"A{h}:C{h}", "人员经费")
    s.merge(f"D{h}:I{h}", "公用经费")
    s.row(f"A{h + 1}", ["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数", "科目编码",
                        "科目名称", "决算数"])
    first = h + 2

    def panel(col_code, col_name, col_amt, groups, start):
        r = start
        for head, lines in groups:
            s.code(f"{col_code}{r}", head)
            s.put(f"{col_name}{r}", ECON[head])
            s.fact(f"{col_amt}{r}", s2(basic_sum(lines)), "gpb_basic_detail", "subject", head, "actual", WAN)
            r += 1
            for code, v in lines:
                s.code(f"{col_code}{r}", code)
                s.put(f"{col_name}{r}", ECON[code])
                s.fact(f"{col_amt}{r}", v, "gpb_basic_detail", "subject", code, "actual", WAN)
                r += 1
        return r

    end1 = panel("A", "B", "C", [("301", P23_BASIC["301"]), ("303", P23_BASIC["303"])], first)
    end2 = panel("D", "E", "F", [("302", P23_BASIC["302"])], first)
    # third panel: 310 资本性支出 with one line, and 31013 公务用车购置 printed empty
    r = first
    s.code(f"G{r}", "310")
    s.put(f"H{r}", ECON["310"])
    s.fact(f"I{r}", s2(basic_sum(P23_BASIC["310"])), "gpb_basic_detail", "subject", "310", "actual", WAN)
    s.code(f"G{r + 1}", "31002")
    s.put(f"H{r + 1}", ECON["31002"])
    s.fact(f"I{r + 1}", P23_BASIC["310"][0][1], "gpb_basic_detail", "subject", "31002", "actual", WAN)
    s.code(f"G{r + 2}", "31013")
    s.put(f"H{r + 2}", ECON["31013"])
    last = max(end1, end2)
    s.merge(f"A{last}:B{last}", "人员经费合计")
    s.fact(f"C{last}", "7411.87", "gpb_basic_detail", "personnel_total", "", "actual", WAN)
    s.merge(f"D{last}:H{last}", "公用经费合计")
    s.fact(f"I{last}", "391.38", "gpb_basic_detail", "public_total", "", "actual", WAN)
    return last + 1


@layout
def gpb_basic_detail_three_panels():
    """一般公共预算财政拨款基本支出决算表 (public table 6): three code | name | 决算数 panels
    side by side (人员经费; 公用经费 in two), 经济分类 codes as text, closing line with
    人员经费合计 under the first panel and 公用经费合计 under the last."""
    b = Book("gpb_basic_detail_three_panels.xlsx",
             "基本支出决算表 with three code/name/amount panels and 人员经费合计 / 公用经费合计",
             P23, 2023,
             "Seed 000: 基本支出 7803.25 = 人员经费 7411.87 + 公用经费 391.38; the 经济分类 lines are "
             "invented. H8 (31013 公务用车购置) has no amount. Closing line is row 24.")
    s = b.sheet("基本支出决算表")
    for col in "BEH":
        s.width(col, 26)
    basic_detail_three_panels(s, 1, "部门：攀枝花市城市管理行政执法局（2023年度）", "单位：万元")
    return b, write_xlsx


CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
      "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五", "二十六"]
INC_LINES = [("gpb_approp_income", "一般公共预算财政拨款收入"),
             ("gov_fund_approp_income", "政府性基金预算财政拨款收入"),
             ("soe_approp_income", "国有资本经营预算财政拨款收入"),
             ("superior_subsidy_income", "上级补助收入"), ("business_income", "事业收入"),
             ("operating_income", "经营收入"), ("affiliated_remit_income", "附属单位上缴收入"),
             ("other_income", "其他收入")]
CLASSES = [("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
           ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
           ("208", "社会保障和就业支出"), ("210", "卫生健康支出"), ("211", "节能环保支出"),
           ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
           ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
           ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
           ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"), ("224", "灾害防治及应急管理支出"),
           ("229", "其他支出"), ("231", "债务还本支出"), ("232", "债务付息支出"),
           ("234", "抗疫特别国债安排的支出")]

# 收入支出决算总表 figures (万元), per unit: income lines, classes, bottom lines.
P23_IE = {
    "income": {"gpb_approp_income": "8589.95", "gov_fund_approp_income": "340.00"},
    "income_total": "8929.95", "nonfiscal_surplus_used": None, "carryover_begin": None,
    "income_grand_total": "8929.95",
    "classes": {"201": "2.68", "208": "2705.84", "210": "129.92", "212": "5671.03", "213": "0.93",
                "221": "419.55"},
    "expenditure_total": "8929.95", "surplus_distribution": None, "carryover_end": None,
    "expenditure_grand_total": "8929.95",
}
D20_IE = {
    "income": {"gpb_approp_income": "190.22", "gov_fund_approp_income": "469.16"},
    "income_total": "659.38", "nonfiscal_surplus_used": None, "carryover_begin": "171.99",
    "income_grand_total": "831.37",
    "classes": {"208": "22.40", "210": "8.10", "212": "784.35", "221": "16.52"},
    "expenditure_total": "831.37", "surplus_distribution": None, "carryover_end": None,
    "expenditure_grand_total": "831.37",
}
M23_IE = {
    "income": {"gpb_approp_income": "1998.87", "gov_fund_approp_income": "96.50",
               "soe_approp_income": "12.60", "other_income": "3.20"},
    "income_total": "2111.17", "nonfiscal_surplus_used": None, "carryover_begin": "25.00",
    "income_grand_total": "2136.17",
    "classes": {"208": "89.85", "210": "21.47", "212": "1943.93", "221": "30.12", "223": "12.60"},
    "expenditure_total": "2097.97", "surplus_distribution": None, "carryover_end": "38.20",
    "expenditure_grand_total": "2136.17",
}
R23_IE = {
    "income": {"gpb_approp_income": "3120.45", "other_income": "15.30"},
    "income_total": "3135.75", "nonfiscal_surplus_used": None, "carryover_begin": "48.60",
    "income_grand_total": "3184.35",
    "classes": {"201": "5.20", "208": "310.44", "210": "96.18", "212": "2630.05", "221": "98.66"},
    "expenditure_total": "3140.53", "surplus_distribution": None, "carryover_end": "43.82",
    "expenditure_grand_total": "3184.35",
}
A23_IE = {
    "income": {"gpb_approp_income": "1320.73"},
    "income_total": "1320.73", "nonfiscal_surplus_used": None, "carryover_begin": None,
    "income_grand_total": "1320.73",
    "classes": {"208": "113.88", "210": "49.88", "212": "1091.97", "221": "65.00"},
    "expenditure_total": "1320.73", "surplus_distribution": None, "carryover_end": None,
    "expenditure_grand_total": "1320.73",
}

IE_BOTTOM = [("income_total", "本年收入合计", "expenditure_total", "本年支出合计"),
             ("nonfiscal_surplus_used", "使用非财政拨款结余（含专用结余）", "surplus_distribution", "结余分配"),
             ("carryover_begin", "年初结转和结余", "carryover_end", "年末结转和结余"),
             ("income_grand_total", "总计", "expenditure_grand_total", "总计")]


def ie_total_public(s, top, left_line, fig, all_classes=True, form_no="公开01表", title="收入支出决算总表",
                    unit="单位：万元"):
    """Public 收入支出决算总表 from row `top`, income A:B and expenditure C:D side by side,
    classes numbered 一、二、… as in the template.  Returns the next free row."""
    s.merge(f"A{top}:D{top}", title)
    if form_no:
        s.put(f"D{top + 1}", form_no)
    if left_line:
        s.put(f"A{top + 2}", left_line)
    s.put(f"D{top + 2}", unit)
    h = top + 3
    s.merge(f"A{h}:B{h}", "收入")
    s.merge(f"C{h}:D{h}", "支出")
    s.row(f"A{h + 1}", ["项目", "决算数", "项目", "决算数"])
    r0 = h + 2
    for i, (item, label) in enumerate(INC_LINES):
        s.put(f"A{r0 + i}", f"{CN[i]}、{label}")
        v = fig["income"].get(item)
        if v is not None:
            s.fact(f"B{r0 + i}", v, "income_expenditure_total", item, "", "actual", WAN)
    classes = CLASSES if all_classes else [(c, n) for c, n in CLASSES if c in fig["classes"]]
    for i, (code, name) in enumerate(classes):
        s.put(f"C{r0 + i}", f"{CN[i]}、{name}")
        v = fig["classes"].get(code)
        if v is not None:
            s.fact(f"D{r0 + i}", v, "income_expenditure_total", "subject", code, "actual", WAN)
    r = r0 + max(len(classes), len(INC_LINES))
    for li, ll, ri, rl in IE_BOTTOM:
        s.put(f"A{r}", ll)
        s.put(f"C{r}", rl)
        if fig[li] is not None:
            s.fact(f"B{r}", fig[li], "income_expenditure_total", li, "", "actual", WAN)
        if fig[ri] is not None:
            s.fact(f"D{r}", fig[ri], "income_expenditure_total", ri, "", "actual", WAN)
        r += 1
    return r


# 财政拨款收入支出决算总表 figures: income lines, carry-over begin by fund,
# classes by fund (合计, 一般公共预算, 政府性基金, 国有资本经营).
P23_FT = {
    "income": {"gpb_approp": "8589.95", "gov_fund_approp": "340.00"},
    "income_total": "8929.95", "carryover_begin": {}, "income_grand_total": "8929.95",
    "classes": {"201": ("2.68", "2.68", None), "208": ("2705.84", "2705.84", None),
                "210": ("129.92", "129.92", None), "212": ("5671.03", "5331.03", "340.00"),
                "213": ("0.93", "0.93", None), "221": ("419.55", "419.55", None)},
    "expenditure_total": ("8929.95", "8589.95", "340.00"), "carryover_end": None,
    "expenditure_grand_total": ("8929.95", "8589.95", "340.00"),
}
D20_FT = {
    "income": {"gpb_approp": "190.22", "gov_fund_approp": "469.16"},
    "income_total": "659.38", "carryover_begin": {"carryover_begin_gov_fund": "171.99"},
    "carryover_begin_total": "171.99", "income_grand_total": "831.37",
    "classes": {"208": ("22.40", "22.40", None), "210": ("8.10", "8.10", None),
                "212": ("784.35", "143.20", "641.15"), "221": ("16.52", "16.52", None)},
    "expenditure_total": ("831.37", "190.22", "641.15"), "carryover_end": None,
    "expenditure_grand_total": ("831.37", "190.22", "641.15"),
}


def fiscal_total_public(s, top, left_line, fig, all_classes=True):
    """Public 财政拨款收入支出决算总表 from row `top`: income A:B, expenditure C:G with
    合计 | 一般公共预算财政拨款 | 政府性基金预算财政拨款 | 国有资本经营预算财政拨款; the
    年初财政拨款结转和结余 section repeats the fund names as its sub-lines."""
    s.merge(f"A{top}:G{top}", "财政拨款收入支出决算总表")
    s.put(f"G{top + 1}", "公开04表")
    s.put(f"A{top + 2}", left_line)
    s.put(f"G{top + 2}", "单位：万元")
    h = top + 3
    s.merge(f"A{h}:B{h}", "收入")
    s.merge(f"C{h}:G{h}", "支出")
    s.row(f"A{h + 1}", ["项目", "金额", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
                        "国有资本经营预算财政拨款"])
    r0 = h + 2
    for i, (item, label) in enumerate([("gpb_approp", "一般公共预算财政拨款"),
                                       ("gov_fund_approp", "政府性基金预算财政拨款"),
                                       ("soe_approp", "国有资本经营预算财政拨款")]):
        s.put(f"A{r0 + i}", f"{CN[i]}、{label}")
        v = fig["income"].get(item)
        if v is not None:
            s.fact(f"B{r0 + i}", v, "fiscal_total", item, "", "actual", WAN)
    cols = [("D", "actual_total"), ("E", "actual_gpb"), ("F", "actual_gov_fund")]
    classes = CLASSES if all_classes else [(c, n) for c, n in CLASSES if c in fig["classes"]]
    for i, (code, name) in enumerate(classes):
        r = r0 + i
        s.put(f"C{r}", f"{CN[i]}、{name}")
        for (letter, col), v in zip(cols, fig["classes"].get(code, (None, None, None))):
            if v is not None:
                s.fact(f"{letter}{r}", v, "fiscal_total", "subject", code, col, WAN)
    r = r0 + len(classes)
    s.put(f"A{r}", "本年收入合计")
    s.fact(f"B{r}", fig["income_total"], "fiscal_total", "income_total", "", "actual", WAN)
    s.put(f"C{r}", "本年支出合计")
    for (letter, col), v in zip(cols, fig["expenditure_total"]):
        if v is not None:
            s.fact(f"{letter}{r}", v, "fiscal_total", "expenditure_total", "", col, WAN)
    r += 1
    s.put(f"A{r}", "年初财政拨款结转和结余")
    if fig.get("carryover_begin_total"):
        s.fact(f"B{r}", fig["carryover_begin_total"], "fiscal_total", "carryover_begin", "", "actual", WAN)
    s.put(f"C{r}", "年末财政拨款结转和结余")
    r += 1
    for item, label in [("carryover_begin_gpb", "一般公共预算财政拨款"),
                        ("carryover_begin_gov_fund", "政府性基金预算财政拨款"),
                        ("carryover_begin_soe", "国有资本经营预算财政拨款")]:
        s.put(f"A{r}", label)
        v = fig["carryover_begin"].get(item)
        if v is not None:
            s.fact(f"B{r}", v, "fiscal_total", item, "", "actual", WAN)
        r += 1
    s.put(f"A{r}", "总计")
    s.fact(f"B{r}", fig["income_grand_total"], "fiscal_total", "income_grand_total", "", "actual", WAN)
    s.put(f"C{r}", "总计")
    for (letter, col), v in zip(cols, fig["expenditure_grand_total"]):
        if v is not None:
            s.fact(f"{letter}{r}", v, "fiscal_total", "expenditure_grand_total", "", col, WAN)
    return r + 1


@layout
def ie_total_side_by_side():
    """Public 收入支出决算总表 (B family, 万元): income and expenditure side by side, all 26
    功能分类 classes listed by name with Chinese numbering, zero lines left blank."""
    b = Book("ie_total_side_by_side.xlsx",
             "收入支出决算总表 with income and expenditure side by side, classes by name",
             P23, 2023,
             "Seed 000: 收支总计 8929.95; 城乡社区支出 5671.03 = 一般公共预算 5331.03 + 政府性基金 340. "
             "Class rows carry item subject with the class code (D6 = 201 …).")
    s = b.sheet("收入支出决算总表")
    s.width("A", 34)
    s.width("C", 34)
    ie_total_public(s, 1, "部门：攀枝花市城市管理行政执法局（2023年度）", P23_IE)
    return b, write_xlsx


@layout
def ie_total_stacked():
    """收入支出决算总表 with the two sides stacked in one label column: a 收入 block, then a
    支出 block, each ending in a `总计` line (the same label meaning income_grand_total
    and expenditure_grand_total by section)."""
    b = Book("ie_total_stacked.xlsx",
             "收入支出决算总表 stacked: income rows then expenditure rows in one label column",
             D20, 2020,
             "Seed 002: 本年收入 659.38 + 年初结转和结余 171.99 = 总计 831.37. B11 is "
             "income_grand_total, B19 expenditure_grand_total (both labelled 总计). Rows 4 and 12 are "
             "section headings without figures.")
    s = b.sheet("收支总表")
    s.width("A", 34)
    s.merge("A1:B1", "攀枝花市数字化城市联动指挥中心2020年度收入支出决算总表")
    s.put("B2", "单位：万元")
    s.row("A3", ["项目", "决算数"])
    s.put("A4", "收入")
    s.put("A5", "一般公共预算财政拨款收入")
    s.fact("B5", "190.22", "income_expenditure_total", "gpb_approp_income", "", "actual", WAN)
    s.put("A6", "政府性基金预算财政拨款收入")
    s.fact("B6", "469.16", "income_expenditure_total", "gov_fund_approp_income", "", "actual", WAN)
    s.put("A7", "其他收入")
    s.put("A8", "本年收入合计")
    s.fact("B8", "659.38", "income_expenditure_total", "income_total", "", "actual", WAN)
    s.put("A9", "使用非财政拨款结余")
    s.put("A10", "年初结转和结余")
    s.fact("B10", "171.99", "income_expenditure_total", "carryover_begin", "", "actual", WAN)
    s.put("A11", "总计")
    s.fact("B11", "831.37", "income_expenditure_total", "income_grand_total", "", "actual", WAN)
    s.put("A12", "支出")
    for i, (code, v) in enumerate([("208", "22.40"), ("210", "8.10"), ("212", "784.35"), ("221", "16.52")]):
        r = 13 + i
        s.put(f"A{r}", dict(CLASSES)[code])
        s.fact(f"B{r}", v, "income_expenditure_total", "subject", code, "actual", WAN)
    s.put("A17", "本年支出合计")
    s.fact("B17", "831.37", "income_expenditure_total", "expenditure_total", "", "actual", WAN)
    s.put("A18", "年末结转和结余")
    s.put("A19", "总计")
    s.fact("B19", "831.37", "income_expenditure_total", "expenditure_grand_total", "", "actual", WAN)
    return b, write_xlsx


@layout
def fiscal_total_carryover_sections():
    """财政拨款收入支出决算总表 whose 年初财政拨款结转和结余 section has sub-lines that repeat
    the fund names of the income lines (一般公共预算财政拨款 …): the same label is
    gpb_approp at the top and carryover_begin_gpb in the section."""
    b = Book("fiscal_total_carryover_sections.xlsx",
             "财政拨款收入支出决算总表 with the 年初结转和结余 section repeating the fund names",
             D20, 2020,
             "Seed 002: 年初结转 171.99, put on 政府性基金 (invented). B7 = gov_fund_approp 469.16 "
             "but B13 = carryover_begin_gov_fund 171.99 under the same label (A7 `二、政府性基金预算财政拨款`, "
             "A13 `政府性基金预算财政拨款`); B11 is carryover_begin. Only classes with figures are listed.")
    s = b.sheet("财政拨款收入支出决算总表")
    s.width("A", 28)
    s.width("C", 28)
    fiscal_total_public(s, 1, "编制单位：攀枝花市数字化城市联动指挥中心    2020年度", D20_FT, all_classes=False)
    return b, write_xlsx


def sg_rows(s, top, figs, scale, labels=None, budget_col="B", actual_col="C"):
    """三公 items as rows from row `top` (合计 first).  Returns the next row."""
    labels = labels or ["合计", "因公出国（境）费", "公务用车购置及运行费", "  其中：公务用车购置费",
                        "        公务用车运行费", "公务接待费"]
    for i, (item, bud, act) in enumerate(figs):
        r = top + i
        s.put(f"A{r}", labels[i])
        s.fact(f"{budget_col}{r}", bud, "sangong", item, "", "budget", scale)
        s.fact(f"{actual_col}{r}", act, "sangong", item, "", "actual", scale)
    return top + len(figs)


@layout
def unit_in_headings_yuan():
    """A public-disclosure workbook whose tables state their unit only in the column
    headings (`预算数（元）`, `决算数（元）`, `合计（元）`) with no unit line anywhere: a
    reader falling back to the B-family default of 万元 would be 10,000× off."""
    b = Book("unit_in_headings_yuan.xlsx",
             "unit of money only in the column headings (（元）), no unit line, public workbook",
             Y23, 2023,
             "Figures invented, in 元 with fen. No `单位：` line on any sheet: every amount is in 元 "
             "because its heading says （元）.")
    s = b.sheet("三公经费")
    s.width("A", 28)
    s.merge("A1:C1", "攀枝花市园林绿化服务中心2023年度财政拨款“三公”经费支出决算表")
    s.row("A2", ["项目", "预算数（元）", "决算数（元）"])
    sg_rows(s, 3, Y23_SG_YUAN, YUAN)
    s = b.sheet("一般公共预算财政拨款支出")
    s.width("B", 34)
    s.merge("A1:E1", "一般公共预算财政拨款支出决算表")
    s.put("A2", "编制单位：攀枝花市园林绿化服务中心")
    s.row("A3", ["科目编码", "科目名称", "合计（元）", "基本支出（元）", "项目支出（元）"])
    rows, tot = simple_rows(Y23_LEAVES_YUAN)
    cm = {"total": ("C", "actual_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.put("B4", "合计")
    put_vals(s, 4, cm, tot, "gpb_expenditure", "total", "", YUAN)
    for i, (code, vals) in enumerate(rows):
        r = 5 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, vals, "gpb_expenditure", "subject", code, YUAN)
    return b, write_xlsx


@layout
def sangong_wan_in_yuan_book():
    """A workbook whose 收入决算表 and 支出决算表 are in 元 (`单位：元`) and whose 三公 table
    is in 万元 (`单位：万元`), each table with its own unit line."""
    b = Book("sangong_wan_in_yuan_book.xlsx",
             "三公 in 万元 inside a workbook whose other tables are in 元",
             A23, 2023,
             "Seed 001: 1320.73万 = 13,207,300.00元 (基本 13,178,396.21, 项目 28,903.79); lines invented. "
             "Sheets 1–2 in 元, sheet 3 (三公) in 万元.")
    rows, tot = a23_rows(A23_LEAVES_YUAN)
    assert tot["total"] == D("13207300.00") and tot["basic"] == D("13178396.21")
    s = b.sheet("收入决算表")
    s.width("B", 34)
    s.merge("A1:I1", "收入决算表")
    s.put("A2", "编制单位：安宁市城市管理综合服务中心")
    s.put("E2", "2023年度")
    s.put("I2", "单位：元")
    s.row("A3", ["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                 "附属单位上缴收入", "其他收入"])
    cm = {"total": ("C", "income_total"), "fiscal": ("D", "fiscal_approp")}
    s.put("B4", "合计")
    put_vals(s, 4, cm, {"total": tot["total"], "fiscal": tot["total"]}, "income", "total", "", YUAN)
    for i, (code, vals) in enumerate(rows):
        r = 5 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, {"total": vals["total"], "fiscal": vals["total"]}, "income", "subject", code, YUAN)
    s = b.sheet("支出决算表")
    s.width("B", 34)
    s.merge("A1:H1", "支出决算表")
    s.put("A2", "编制单位：安宁市城市管理综合服务中心")
    s.put("E2", "2023年度")
    s.put("H2", "单位：元")
    s.row("A3", ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                 "对附属单位补助支出"])
    cm = {"total": ("C", "expenditure_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.put("B4", "合计")
    put_vals(s, 4, cm, tot, "expenditure", "total", "", YUAN)
    for i, (code, vals) in enumerate(rows):
        r = 5 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, vals, "expenditure", "subject", code, YUAN)
    s = b.sheet("三公经费")
    s.width("A", 28)
    s.merge("A1:C1", "财政拨款“三公”经费支出决算表")
    s.put("A2", "编制单位：安宁市城市管理综合服务中心")
    s.put("C2", "单位：万元")
    s.row("A3", ["项目", "预算数", "决算数"])
    figs = [(item, A23_SG[item][1], A23_SG[item][2]) for item, _, _ in P23_SG]
    sg_rows(s, 4, figs, WAN)
    return b, write_xlsx


@layout
def sangong_over_gov_fund_one_sheet():
    """Two tables on one sheet: the wide 三公 table above 政府性基金预算财政拨款收入支出决算表
    (coded rows 212, 21208, 2120899), each with its own title, unit line and headings."""
    b = Book("sangong_over_gov_fund_one_sheet.xlsx",
             "two tables on one sheet: 三公 above 政府性基金, each with title, unit line, header",
             P23, 2023,
             "Seed 000: 政府性基金 340 (all 项目支出). Rows 1–6 三公, rows 9–16 政府性基金. The fund "
             "table's 本年支出 小计 (E) is expenditure_total.")
    s = b.sheet("表7-8")
    s.width("B", 30)
    s.merge("A1:L1", "财政拨款“三公”经费支出决算表")
    s.put("A2", "部门：攀枝花市城市管理行政执法局（2023年度）")
    s.put("L2", "单位：万元")
    s.merge("A3:B4", "合计")
    s.merge("C3:D4", "因公出国（境）费")
    s.merge("E3:J3", "公务用车购置及运行费")
    s.merge("K3:L4", "公务接待费")
    s.merge("E4:F4", "小计")
    s.merge("G4:H4", "公务用车购置费")
    s.merge("I4:J4", "公务用车运行费")
    s.row("A5", ["预算数", "决算数"] * 6)
    sg_pairs(s, 6, 1, P23_SG, WAN)
    s.merge("A9:H9", "政府性基金预算财政拨款收入支出决算表")
    s.put("A10", "部门：攀枝花市城市管理行政执法局")
    s.put("H10", "单位：万元")
    s.merge("A11:B11", "项目")
    s.row("A12", ["科目编码", "科目名称"])
    s.merge("C11:C12", "年初结转和结余")
    s.merge("D11:D12", "本年收入")
    s.merge("E11:G11", "本年支出")
    s.row("E12", ["小计", "基本支出", "项目支出"])
    s.merge("H11:H12", "年末结转和结余")
    s.merge("A13:B13", "合计")
    for col, key in (("D", "income"), ("E", "expenditure_total"), ("G", "project")):
        s.fact(f"{col}13", "340.00", "gov_fund", "total", "", key, WAN)
    for r, code in ((14, "212"), (15, "21208"), (16, "2120899")):
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        for col, key in (("D", "income"), ("E", "expenditure_total"), ("G", "project")):
            s.fact(f"{col}{r}", "340.00", "gov_fund", "subject", code, key, WAN)
    return b, write_xlsx


@layout
def two_tables_side_by_side():
    """Two tables side by side on one sheet, separated by an empty column: 三公 (items
    as rows) in A:C, 政府性基金预算财政拨款收入支出决算表 in E:L, titles on the same row."""
    b = Book("two_tables_side_by_side.xlsx",
             "two tables side by side on one sheet, separated by a blank column",
             M23, 2023,
             "Figures invented. Rows 5–10 hold both tables: a row's A:C belong to 三公, its E:L to the "
             "fund table (rows 9–10 have only 三公). Fund: 本年收入 96.50, 支出 86.50, 年末 10.00.")
    s = b.sheet("三公及政府性基金")
    s.width("A", 26)
    s.width("F", 30)
    s.merge("A1:C1", "2023年度财政拨款“三公”经费支出决算表")
    s.merge("E1:L1", "政府性基金预算财政拨款收入支出决算表")
    s.put("A2", "编制单位：米易县城市管理局")
    s.put("C2", "单位：万元")
    s.put("E2", "编制单位：米易县城市管理局")
    s.put("L2", "单位：万元")
    s.merge("A3:A4", "项目")
    s.merge("B3:B4", "预算数")
    s.merge("C3:C4", "决算数")
    sg_rows(s, 5, M23_SG, WAN)
    s.merge("E3:F3", "项目")
    s.row("E4", ["科目编码", "科目名称"])
    s.merge("G3:G4", "年初结转和结余")
    s.merge("H3:H4", "本年收入")
    s.merge("I3:K3", "本年支出")
    s.row("I4", ["小计", "基本支出", "项目支出"])
    s.merge("L3:L4", "年末结转和结余")
    s.put("F5", "合计")
    fund = {"income": "96.50", "expenditure_total": "86.50", "project": "86.50", "carryover_end": "10.00"}
    cols = {"income": "H", "expenditure_total": "I", "project": "K", "carryover_end": "L"}
    for key, v in fund.items():
        s.fact(f"{cols[key]}5", v, "gov_fund", "total", "", key, WAN)
    for r, code in ((6, "212"), (7, "21208"), (8, "2120899")):
        s.code(f"E{r}", code)
        s.put(f"F{r}", FUNC[code])
        for key, v in fund.items():
            s.fact(f"{cols[key]}{r}", v, "gov_fund", "subject", code, key, WAN)
    return b, write_xlsx


@layout
def project_table_not_in_catalogue():
    """A catalogued 三公 sheet beside a sheet titled `…项目支出决算表` (a project list with
    全年预算数 | 执行数 | 完成率): not one of the nine tables, though its title ends in
    支出决算表, so all its numbers are reported, none read as 支出决算表."""
    b = Book("project_table_not_in_catalogue.xlsx",
             "a table not in the catalogue whose title contains 支出决算表 (项目支出决算表)",
             D20, 2020,
             "Seed 002's four projects (145.7→145.28, 323.88, 14→11.34, 28.62). Every number on sheet "
             "项目支出决算表 is report.")
    s = b.sheet("三公经费支出决算表")
    s.width("A", 28)
    s.merge("A1:C1", "财政拨款“三公”经费支出决算表")
    s.put("A2", "编制单位：攀枝花市数字化城市联动指挥中心（2020年度）")
    s.put("C2", "单位：万元")
    s.row("A3", ["项目", "预算数", "决算数"])
    sg_rows(s, 4, D20_SG, WAN)
    s = b.sheet("项目支出决算表")
    s.width("A", 36)
    s.merge("A1:D1", "攀枝花市数字化城市联动指挥中心2020年度项目支出决算表")
    s.put("D2", "单位：万元")
    s.row("A3", ["项目名称", "全年预算数", "执行数", "完成率（%）"])
    projects = [("攀枝花市民热线12345服务采购项目", "145.70", "145.28", "99.71"),
                ("数字城管信息采集等外包项目", "323.88", "323.88", "100.00"),
                ("数字城管系统软件升级及硬件维护项目", "14.00", "11.34", "81.00"),
                ("城管通数据业务及光纤租赁项目", "28.62", "28.62", "100.00"),
                ("合计", "512.20", "509.12", "99.40")]
    for i, (name, bud, act, rate) in enumerate(projects):
        r = 4 + i
        s.put(f"A{r}", name)
        s.report(f"B{r}", bud)
        s.report(f"C{r}", act)
        s.report(f"D{r}", rate)
    return b, write_xlsx


@layout
def gongkai():
    """Identity only in a title row above the tables (`XX局2023年度部门决算公开表`): no
    编制单位 line, no cover, a neutral file name (gongkai.xlsx).  收入支出决算总表 and 三公
    below it on the same sheet, with plain titles."""
    b = Book("gongkai.xlsx",
             "identity only in a title row `XX局2023年度部门决算公开表` above the tables; neutral file name",
             R23, 2023,
             "Figures invented. Unit and year are only in A1. 收入支出决算总表 rows 3–19, 三公 rows 22–30.")
    s = b.sheet("Sheet1")
    s.width("A", 34)
    s.width("C", 30)
    s.merge("A1:D1", "仁和区城市管理和综合执法局2023年度部门决算公开表")
    r = ie_total_public(s, 3, None, R23_IE, all_classes=False, form_no=None)
    r += 2
    s.merge(f"A{r}:C{r}", "财政拨款“三公”经费支出决算表")
    s.put(f"C{r + 1}", "单位：万元")
    s.row(f"A{r + 2}", ["项目", "预算数", "决算数"])
    sg_rows(s, r + 3, R23_SG, WAN)
    return b, write_xlsx


@layout
def identity_one_title():
    """The unit named only in the first table's title (`XX局2023年度收入支出决算总表`);
    the other sheets' titles are plain (支出决算表, 财政拨款“三公”经费支出决算表)."""
    b = Book("identity_one_title.xlsx",
             "unit and year named only in one table's title",
             M23, 2023,
             "Figures invented. The unit and the year are only in sheet 1's title (A1).")
    s = b.sheet("表1")
    s.width("A", 34)
    s.width("C", 30)
    ie_total_public(s, 1, None, M23_IE, all_classes=False, title="米易县城市管理局2023年度收入支出决算总表")
    s = b.sheet("表3")
    s.width("B", 36)
    s.merge("A1:H1", "支出决算表")
    s.put("H2", "单位：万元")
    s.row("A3", ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                 "对附属单位补助支出"])
    rows, tot = m23_rows(with_funds=True)
    cm = {"total": ("C", "expenditure_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.put("B4", "合计")
    put_vals(s, 4, cm, tot, "expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        r = 5 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, vals, "expenditure", "subject", code, WAN)
    s = b.sheet("表7")
    s.width("A", 28)
    s.merge("A1:C1", "财政拨款“三公”经费支出决算表")
    s.put("C2", "单位：万元")
    s.row("A3", ["项目", "预算数", "决算数"])
    sg_rows(s, 4, M23_SG, WAN)
    return b, write_xlsx


@layout
def identity_file_name_only():
    """Identity only in the file name (`盐边县城市管理局2023年度部门决算.xlsx`): plain
    titles, no unit line naming the unit, and no year anywhere inside the workbook."""
    b = Book("盐边县城市管理局2023年度部门决算.xlsx",
             "identity and year only in the file name",
             YB23, 2023,
             "Figures invented. The unit is 盐边县城市管理局, not the whole file stem; 2023 is only "
             "in the file name.")
    s = b.sheet("表5")
    s.width("B", 36)
    s.merge("A1:E1", "一般公共预算财政拨款支出决算表")
    s.put("E2", "单位：万元")
    s.row("A3", ["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    rows, tot = simple_rows(YB23_LEAVES)
    assert tot["total"] == D("855.19")
    cm = {"total": ("C", "actual_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.put("B4", "合计")
    put_vals(s, 4, cm, tot, "gpb_expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        r = 5 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, vals, "gpb_expenditure", "subject", code, WAN)
    s = b.sheet("表7")
    s.width("A", 28)
    s.merge("A1:C1", "财政拨款“三公”经费支出决算表")
    s.put("C2", "单位：万元")
    s.row("A3", ["项目", "预算数", "决算数"])
    sg_rows(s, 4, YB23_SG, WAN)
    return b, write_xlsx


@layout
def gpb_total_bottom_empty_fund():
    """一般公共预算财政拨款支出决算表 with 合计 as the last row, and a 政府性基金 table that is
    only headings and a note `注：本单位无政府性基金预算财政拨款收入和支出，故本表无数据`."""
    b = Book("gpb_total_bottom_empty_fund.xlsx",
             "totals at the bottom; an empty fund table with a note under it",
             YB23, 2023,
             "Figures invented. Sheet 政府性基金 has no figures (empty on purpose, not an error). "
             "合计 is row 21 (the last) of sheet 一般公共预算.")
    s = b.sheet("一般公共预算")
    s.width("B", 36)
    s.merge("A1:E1", "一般公共预算财政拨款支出决算表")
    s.put("A2", "编制单位：盐边县城市管理局")
    s.put("C2", "2023年度")
    s.put("E2", "单位：万元")
    s.merge("A3:B3", "项目")
    s.row("A4", ["科目编码", "科目名称"])
    s.merge("C3:E3", "本年支出")
    s.row("C4", ["小计", "基本支出", "项目支出"])
    rows, tot = simple_rows(YB23_LEAVES)
    cm = {"total": ("C", "actual_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    for i, (code, vals) in enumerate(rows):
        r = 5 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, vals, "gpb_expenditure", "subject", code, WAN)
    r = 5 + len(rows)
    s.merge(f"A{r}:B{r}", "合计")
    put_vals(s, r, cm, tot, "gpb_expenditure", "total", "", WAN)
    s = b.sheet("政府性基金")
    s.width("B", 30)
    s.merge("A1:H1", "政府性基金预算财政拨款收入支出决算表")
    s.put("A2", "编制单位：盐边县城市管理局")
    s.put("H2", "单位：万元")
    s.merge("A3:B3", "项目")
    s.row("A4", ["科目编码", "科目名称"])
    s.merge("C3:C4", "年初结转和结余")
    s.merge("D3:D4", "本年收入")
    s.merge("E3:G3", "本年支出")
    s.row("E4", ["小计", "基本支出", "项目支出"])
    s.merge("H3:H4", "年末结转和结余")
    s.merge("A5:B5", "合计")
    s.merge("A6:H6", "注：本单位无政府性基金预算财政拨款收入和支出，故本表无数据。")
    return b, write_xlsx


@layout
def hidden_rows_extra_sheets():
    """支出决算表 with a hidden row inside the table (a 项 line hidden by the office, still
    part of the table and of its sums), between a 目录 sheet and a 说明 sheet of text; a
    WPS/Excel lock file `~$hidden_rows_extra_sheets.xlsx` lies beside the workbook."""
    b = Book("hidden_rows_extra_sheets.xlsx",
             "hidden rows inside a table, extra sheets (目录, 说明), a lock file ~$… beside the workbook",
             R23, 2023,
             "Figures invented. Row 13 (2080506) is hidden and its facts are expected. Sheets 目录 and "
             "说明 hold text only. The lock file ~$hidden_rows_extra_sheets.xlsx (165 bytes, not a "
             "workbook) must be ignored without an error.",
             companions=["~$hidden_rows_extra_sheets.xlsx"])
    t = b.sheet("目录")
    t.width("A", 50)
    t.put("A1", "仁和区城市管理和综合执法局2023年度部门决算公开表目录")
    t.col("A3", ["一、收入支出决算总表", "二、收入决算表", "三、支出决算表", "四、财政拨款收入支出决算总表",
                 "五、一般公共预算财政拨款支出决算表", "六、一般公共预算财政拨款基本支出决算表",
                 "七、财政拨款“三公”经费支出决算表", "八、政府性基金预算财政拨款收入支出决算表",
                 "九、国有资本经营预算财政拨款收入支出决算表"])
    s = b.sheet("支出决算表")
    s.width("B", 36)
    s.merge("A1:H1", "支出决算表")
    s.put("H2", "公开03表")
    s.put("A3", "编制单位：仁和区城市管理和综合执法局")
    s.put("D3", "2023年度")
    s.put("H3", "单位：万元")
    s.row("A4", ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                 "对附属单位补助支出"])
    rows, tot = simple_rows(R23_LEAVES)
    assert tot["total"] == D("3140.53") and tot["basic"] == D("1625.63")
    cm = {"total": ("C", "expenditure_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.put("B5", "合计")
    put_vals(s, 5, cm, tot, "expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        r = 6 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, vals, "expenditure", "subject", code, WAN)
        if code == "2080506":
            s.hide_row(r)
    assert 13 in s.hidden_rows
    n = b.sheet("说明")
    n.width("A", 90)
    n.col("A1", ["说明",
                 "1.本表数据来源于2023年度部门决算报表，金额单位为万元。",
                 "2.本部门2023年度无政府性基金预算财政拨款收入和支出，无国有资本经营预算财政拨款收入和支出。",
                 "3.“三公”经费支出决算较上年下降，主要原因是严格落实过紧日子要求。"])
    return b, write_xlsx


@layout
def unit_in_header_row():
    """Units stated three ways on three sheets: `单位：万元` in the rightmost cell of the
    first heading row (beside the headings, not above them); `单位:元` with a half-width
    colon on a 元 三公 table; `金额单位：万元` on the fund table."""
    b = Book("unit_in_header_row.xlsx",
             "unit in a heading-row cell; `单位:元` (half-width colon); `金额单位：万元`",
             M23, 2023,
             "Figures invented. Sheet 1's unit is F3 (in the first heading row, right of the "
             "table); sheet 三公经费 is in 元; sheet 政府性基金 in 万元.")
    s = b.sheet("一般公共预算财政拨款支出决算表")
    s.width("B", 36)
    s.merge("A1:E1", "一般公共预算财政拨款支出决算表")
    s.put("A2", "编制单位：米易县城市管理局")
    s.put("C2", "2023年度")
    s.merge("A3:A4", "科目编码")
    s.merge("B3:B4", "科目名称")
    s.merge("C3:C4", "合计")
    s.merge("D3:D4", "基本支出")
    s.merge("E3:E4", "项目支出")
    s.put("F3", "单位：万元")
    rows, tot = m23_rows()
    cm = {"total": ("C", "actual_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.put("B5", "合计")
    put_vals(s, 5, cm, tot, "gpb_expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        r = 6 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, vals, "gpb_expenditure", "subject", code, WAN)
    s = b.sheet("三公经费")
    s.width("A", 28)
    s.merge("A1:C1", "财政拨款“三公”经费支出决算表")
    s.put("A2", "编制单位：米易县城市管理局")
    s.put("C2", "单位:元")
    s.row("A3", ["项目", "预算数", "决算数"])
    sg_rows(s, 4, [(i, s2(D(bb) * WAN), s2(D(a) * WAN)) for i, bb, a in M23_SG], YUAN)
    s = b.sheet("政府性基金")
    s.width("B", 30)
    s.merge("A1:H1", "政府性基金预算财政拨款收入支出决算表")
    s.put("A2", "编制单位：米易县城市管理局")
    s.put("H2", "金额单位：万元")
    s.row("A3", ["科目编码", "科目名称", "年初结转和结余", "本年收入", "本年支出合计", "基本支出", "项目支出",
                 "年末结转和结余"])
    fund = {"income": "96.50", "expenditure_total": "86.50", "project": "86.50", "carryover_end": "10.00"}
    cols = {"income": "D", "expenditure_total": "E", "project": "G", "carryover_end": "H"}
    s.put("B4", "合计")
    for key, v in fund.items():
        s.fact(f"{cols[key]}4", v, "gov_fund", "total", "", key, WAN)
    for r, code in ((5, "212"), (6, "21208"), (7, "2120899")):
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        for key, v in fund.items():
            s.fact(f"{cols[key]}{r}", v, "gov_fund", "subject", code, key, WAN)
    return b, write_xlsx


@layout
def numbers_as_text():
    """收入支出决算总表 whose figures are text, as after a PDF or web export: thousands
    separators (`2,468.30`), full-width digits (`１２０．００`), spaces, `（25.00）` for a
    negative, and `—`, `-`, `/`, `——`, blank for nothing."""
    b = Book("numbers_as_text.xlsx",
             "numbers as text: thousands separators, full-width digits, （25.00） negatives, —/-// for nothing",
             DQ23, 2023,
             "Figures invented. D15 `（25.00）` is 年末结转和结余 = -250000 (an overspend; the check "
             "`no negative amounts` should flag it, but it must be read). B14 `0.00` is a fact of 0. "
             "B7 `—`, B8 `-`, B9 `/`, B11 `——`, D5 `—`, D14 `-` are nothing (no fact).")
    s = b.sheet("收入支出决算总表")
    s.width("A", 34)
    s.width("C", 30)
    s.merge("A1:D1", "收入支出决算总表")
    s.put("A2", "编制单位：攀枝花市东区城市管理和综合执法局")
    s.put("C2", "2023年度")
    s.put("D2", "单位：万元")
    s.merge("A3:B3", "收入")
    s.merge("C3:D3", "支出")
    s.row("A4", ["项目", "决算数", "项目", "决算数"])
    F = "income_expenditure_total"
    s.col("A5", [label for _, label in INC_LINES])
    s.fact("B5", Text("2,468.30"), F, "gpb_approp_income", "", "actual", WAN, amount="24683000")
    s.fact("B6", Text("１２０．００"), F, "gov_fund_approp_income", "", "actual", WAN, amount="1200000")
    s.put("B7", "—")
    s.put("B8", "-")
    s.put("B9", "/")
    s.put("B11", "——")
    s.fact("B12", Text(" 6.50 "), F, "other_income", "", "actual", WAN, amount="65000")
    s.col("C5", ["一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "城乡社区支出", "住房保障支出"])
    s.put("D5", "—")
    s.fact("D6", Text("256.40"), F, "subject", "208", "actual", WAN, amount="2564000")
    s.fact("D7", Text("８８．１２"), F, "subject", "210", "actual", WAN, amount="881200")
    s.fact("D8", Text("2,231.38"), F, "subject", "212", "actual", WAN, amount="22313800")
    s.fact("D9", Text("79.10"), F, "subject", "221", "actual", WAN, amount="791000")
    s.row("A13", ["本年收入合计", None, "本年支出合计"])
    s.fact("B13", Text("2,594.80"), F, "income_total", "", "actual", WAN, amount="25948000")
    s.fact("D13", Text("2,655.00"), F, "expenditure_total", "", "actual", WAN, amount="26550000")
    s.row("A14", ["使用非财政拨款结余（含专用结余）", None, "结余分配"])
    s.fact("B14", Text("0.00"), F, "nonfiscal_surplus_used", "", "actual", WAN, amount="0")
    s.put("D14", "-")
    s.row("A15", ["年初结转和结余", None, "年末结转和结余"])
    s.fact("B15", Text("35.20"), F, "carryover_begin", "", "actual", WAN, amount="352000")
    s.fact("D15", Text("（25.00）"), F, "carryover_end", "", "actual", WAN, amount="-250000")
    s.row("A16", ["总计", None, "总计"])
    s.fact("B16", Text("2,630.00"), F, "income_grand_total", "", "actual", WAN, amount="26300000")
    s.fact("D16", Text("2,630.00"), F, "expenditure_grand_total", "", "actual", WAN, amount="26300000")
    return b, write_xlsx


@layout
def formulas_cached_values():
    """Totals written as formulas (=B5+B6+B9, =SUM(C7:C8)) whose cached value is the
    only value in the file: 三公 合计 and 小计, and every 类/款/合计 line of 支出决算表."""
    b = Book("formulas_cached_values.xlsx",
             "formulas whose cached value is the only value",
             DQ23, 2023,
             "Figures invented. Every total cell holds a formula and its cached <v>; a reader must "
             "use the cached value (nothing to evaluate). openpyxl cannot write cached values; the "
             "script patches <v> into the sheet XML after saving.")
    s = b.sheet("三公经费")
    s.width("A", 28)
    s.merge("A1:C1", "2023年度财政拨款“三公”经费支出决算表")
    s.put("A2", "编制单位：攀枝花市东区城市管理和综合执法局")
    s.put("C2", "单位：万元")
    s.row("A3", ["项目", "预算数", "决算数"])
    labels = ["合计", "因公出国（境）费", "公务用车购置及运行费", "  其中：公务用车购置费",
              "        公务用车运行费", "公务接待费"]
    for i, (item, bud, act) in enumerate(DQ23_SG):
        r = 4 + i
        s.put(f"A{r}", labels[i])
        for col, v, key in (("B", bud, "budget"), ("C", act, "actual")):
            if item == "sangong_total":
                s.formula(f"{col}{r}", f"={col}5+{col}6+{col}9", v, "sangong", item, "", key, WAN)
            elif item == "vehicle_total":
                s.formula(f"{col}{r}", f"={col}7+{col}8", v, "sangong", item, "", key, WAN)
            else:
                s.fact(f"{col}{r}", v, "sangong", item, "", key, WAN)
    s = b.sheet("支出决算表")
    s.width("B", 36)
    s.merge("A1:E1", "支出决算表")
    s.put("A2", "编制单位：攀枝花市东区城市管理和综合执法局")
    s.put("E2", "单位：万元")
    s.row("A3", ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"])
    leaves = [("2080505", "180.00", "0"), ("2080506", "22.40", "0"), ("2080801", "54.00", "0"),
              ("2101101", "88.12", "0"), ("2120101", "1205.38", "0"), ("2120104", "0", "906.00"),
              ("2120899", "0", "120.00"), ("2210201", "79.10", "0")]
    rows, tot = simple_rows(leaves)
    assert tot["total"] == D("2655.00")
    first = 5
    rownum = {code: first + i for i, (code, _) in enumerate(rows)}
    s.put("B4", "合计")
    cols = (("C", "total", "expenditure_total"), ("D", "basic", "basic"), ("E", "project", "project"))
    class_rows = [rownum[c] for c, _ in rows if len(c) == 3]
    for letter, key, col in cols:
        f = "=" + "+".join(f"{letter}{r}" for r in class_rows)
        s.formula(f"{letter}4", f, s2(tot[key]), "expenditure", "total", "", col, WAN)
    for code, vals in rows:
        r = rownum[code]
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        kids = [rownum[c] for c, _ in rows if c.startswith(code) and len(c) == len(code) + 2]
        for letter, key, col in cols:
            v = vals[key]
            if kids:
                f = f"=SUM({letter}{min(kids)}:{letter}{max(kids)})" if kids == list(
                    range(min(kids), max(kids) + 1)) else "=" + "+".join(f"{letter}{k}" for k in kids)
                s.formula(f"{letter}{r}", f, s2(v), "expenditure", "subject", code, col, WAN)
            elif key == "total":
                s.formula(f"{letter}{r}", f"=D{r}+E{r}", s2(v), "expenditure", "subject", code, col, WAN)
            elif v != 0:
                s.fact(f"{letter}{r}", s2(v), "expenditure", "subject", code, col, WAN)
    return b, write_xlsx


@layout
def caijue_a_export():
    """A 财决 export (A family, one unit's 单户表): 封面 with 单位名称/单位代码/主管部门/单位性质/
    报表类型/年度; `Z01 收入支出决算总表(财决01表)` with 行次 columns, a 栏次 row and
    年初预算数 | 全年预算数 | 决算数 on both sides; `Z08_1 一般公共预算财政拨款基本支出决算明细表(财决08-`
    (name cut at 31 characters); the 三公 form 财决附02 with 统计数 rows (counts); and
    机构运行信息表 财决附03 (counts and money).  Amounts in 元."""
    b = Book("caijue_a_export.xlsx",
             "A-family 财决 export: cover, sheet names with form codes (one cut at 31 chars), 行次/栏次, 元, budget columns",
             Z22, 2022,
             "Seed 004's totals in 元 (收入 69,827.21万 = 698,272,104.23元 …; 年末结转 111.43 not 111.44, "
             "年初预算 其他收入 88.71 not 88.72, so that the table adds up). On F02 the 国内/外事接待费 "
             "sub-rows and the 相关统计数 counts are report (no 三公 item for them); on F03 the same "
             "counts are operations facts. 行次 and 栏次 numbers are not listed.")
    c = b.sheet("封面")
    c.width("A", 16)
    c.width("B", 36)
    c.merge("A1:B1", "2022年度部门决算报表")
    c.row("A3", ["单位名称", Z22])
    c.row("A4", ["单位代码", "11440800MB2C71635D"])
    c.row("A5", ["主管部门", Z22])
    c.put("A6", "主管部门代码")
    c.code("B6", "329001")
    c.row("A7", ["单位性质", "行政单位"])
    c.row("A8", ["报表类型", "单户表"])
    c.put("A9", "年度")
    c.code("B9", 2022)
    c.row("A10", ["单位负责人", "陈志强"])
    c.row("A11", ["财务负责人", "林晓燕"])
    c.row("A12", ["填表人", "黄海"])

    s = b.sheet("Z01 收入支出决算总表(财决01表)")
    s.width("A", 34)
    s.width("F", 30)
    s.merge("A1:J1", "收入支出决算总表")
    s.put("J2", "财决01表")
    s.put("A3", "编制单位：湛江市城市管理和综合执法局")
    s.put("F3", "2022年度")
    s.put("J3", "金额单位：元")
    s.merge("A4:E4", "收入")
    s.merge("F4:J4", "支出")
    s.row("A5", ["项目", "行次", "年初预算数", "全年预算数", "决算数", "项目", "行次", "年初预算数", "全年预算数",
                 "决算数"])
    s.put("A6", "栏次")
    s.put("F6", "栏次")
    for letter, n in zip("CDEHIJ", range(1, 7)):
        s.code(f"{letter}6", n)
    F = "income_expenditure_total"
    inc = {  # item: (年初, 全年, 决算)
        "gpb_approp_income": ("118352200.00", "487260000.00", "485149137.52"),
        "gov_fund_approp_income": ("651351100.00", "154723580.00", "154723580.00"),
        "other_income": ("887100.00", "3993612.40", "3993612.40"),
    }
    for i, (item, label) in enumerate(INC_LINES):
        r = 7 + i
        s.put(f"A{r}", f"{CN[i]}、{label}")
        s.code(f"B{r}", i + 1)
        for letter, col, v in zip("CDE", ("budget_initial", "budget_full", "actual"), inc.get(item, (None,) * 3)):
            if v is not None:
                s.fact(f"{letter}{r}", v, F, item, "", col, YUAN)
    classes = list(CLASSES)
    classes.insert(22, ("227", "预备费"))
    cls = {"208": ("20100000.00", "21500000.00", "21456300.18"),
           "210": ("6500000.00", "6900000.00", "6842115.60"),
           "212": ("736890400.00", "664368223.04", "661245952.51"),
           "221": ("7100000.00", "7614743.67", "7613443.27")}
    for i, (code, name) in enumerate(classes):
        r = 7 + i
        s.put(f"F{r}", name)
        s.code(f"G{r}", 13 + i)
        for letter, col, v in zip("HIJ", ("budget_initial", "budget_full", "actual"), cls.get(code, (None,) * 3)):
            if v is not None:
                s.fact(f"{letter}{r}", v, F, "subject", code, col, YUAN)
    bottom = [("income_total", "本年收入合计", 9, ("770590400.00", "645977192.40", "643866329.92"),
               "expenditure_total", "本年支出合计", 40, ("770590400.00", "700382966.71", "697157811.56")),
              ("nonfiscal_surplus_used", "使用非财政拨款结余（含专用结余）", 10, (None, "19200.00", "19200.00"),
               "surplus_distribution", "结余分配", 41, (None, None, None)),
              ("carryover_begin", "年初结转和结余", 11, (None, "54386574.31", "54386574.31"),
               "carryover_end", "年末结转和结余", 42, (None, None, "1114292.67")),
              ("income_grand_total", "总计", 12, ("770590400.00", "700382966.71", "698272104.23"),
               "expenditure_grand_total", "总计", 43, ("770590400.00", "700382966.71", "698272104.23"))]
    r = 7 + len(classes)
    assert r == 34
    for li, ll, ln, lv, ri, rl, rn, rv in bottom:
        s.put(f"A{r}", ll)
        s.code(f"B{r}", ln)
        s.put(f"F{r}", rl)
        s.code(f"G{r}", rn)
        for letter, col, v in zip("CDE", ("budget_initial", "budget_full", "actual"), lv):
            if v is not None:
                s.fact(f"{letter}{r}", v, F, li, "", col, YUAN)
        for letter, col, v in zip("HIJ", ("budget_initial", "budget_full", "actual"), rv):
            if v is not None:
                s.fact(f"{letter}{r}", v, F, ri, "", col, YUAN)
        r += 1

    s = b.sheet("Z08_1 一般公共预算财政拨款基本支出决算明细表(财决08-")
    assert len(s.name) == 31
    s.width("B", 30)
    s.width("E", 30)
    s.merge("A1:F1", "一般公共预算财政拨款基本支出决算明细表")
    s.put("F2", "财决08-1表")
    s.put("A3", "编制单位：湛江市城市管理和综合执法局")
    s.put("D3", "2022年度")
    s.put("F3", "金额单位：元")
    s.merge("A4:C4", "人员经费")
    s.merge("D4:F4", "公用经费")
    s.row("A5", ["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"])
    pers = [("301", [("30101", "18652300.00"), ("30102", "24310556.40"), ("30107", "15200000.00"),
                     ("30108", "8915420.36"), ("30113", "6420118.00")]),
            ("303", [("30302", "3120450.00"), ("30305", "860000.00")])]
    pub302 = [("30201", "1203450.22"), ("30211", "486320.00"), ("30217", "54209.20"), ("30228", "612000.00"),
              ("30231", "131003.16")]
    pub310 = [("31002", "302150.00"), ("31013", "248600.00")]
    rest = D("6048800.00") - basic_sum(pub302) - basic_sum(pub310)
    pub302.append(("30299", s2(rest)))
    pub = [("302", pub302), ("310", pub310)]
    G = "gpb_basic_detail"
    for cc, cn, ca, groups in (("A", "B", "C", pers), ("D", "E", "F", pub)):
        r = 6
        for head, lines in groups:
            s.code(f"{cc}{r}", head)
            s.put(f"{cn}{r}", ECON[head])
            s.fact(f"{ca}{r}", s2(basic_sum(lines)), G, "subject", head, "actual", YUAN)
            r += 1
            for code, v in lines:
                s.code(f"{cc}{r}", code)
                s.put(f"{cn}{r}", ECON[code])
                s.fact(f"{ca}{r}", v, G, "subject", code, "actual", YUAN)
                r += 1
    last = 6 + max(2 + 7, 2 + 8)
    s.merge(f"A{last}:B{last}", "人员经费合计")
    pers_total = sum((basic_sum(l) for _, l in pers), D(0))
    s.fact(f"C{last}", s2(pers_total), G, "personnel_total", "", "actual", YUAN)
    s.merge(f"D{last}:E{last}", "公用经费合计")
    s.fact(f"F{last}", "6048800.00", G, "public_total", "", "actual", YUAN)

    s = b.sheet("F02 财政拨款“三公”经费支出决算表(财决附02表)")
    s.width("A", 36)
    s.merge("A1:D1", "财政拨款“三公”经费支出决算表")
    s.put("D2", "财决附02表")
    s.put("A3", "编制单位：湛江市城市管理和综合执法局")
    s.put("D3", "金额单位：元")
    s.row("A4", ["项目", "行次", "预算数", "决算数"])
    s.row("A5", ["栏次", None])
    s.code("C5", 1)
    s.code("D5", 2)
    labels = ["一、“三公”经费支出合计", "（一）因公出国（境）费", "（二）公务用车购置及运行费",
              "    其中：1.公务用车购置费", "          2.公务用车运行费", "（三）公务接待费"]
    for i, (item, bud, act) in enumerate(Z22_SG_YUAN):
        r = 6 + i
        s.put(f"A{r}", labels[i])
        s.code(f"B{r}", i + 1)
        s.fact(f"C{r}", bud, "sangong", item, "", "budget", YUAN)
        s.fact(f"D{r}", act, "sangong", item, "", "actual", YUAN)
    s.put("A12", "    其中：1.国内接待费")
    s.code("B12", 7)
    s.report("D12", "54209.20")
    s.put("A13", "          2.外事接待费")
    s.code("B13", 8)
    s.report("D13", "0.00")
    s.put("A14", "二、相关统计数")
    stats = [("（一）因公出国（境）团组数（个）", 0), ("（二）因公出国（境）人次数（人）", 0),
             ("（三）公务用车购置数（辆）", 2), ("（四）公务用车保有量（辆）", 24),
             ("（五）国内公务接待批次（个）", 36), ("（六）国内公务接待人次（人）", 410)]
    for i, (label, n) in enumerate(stats):
        r = 15 + i
        s.put(f"A{r}", label)
        s.code(f"B{r}", 9 + i)
        s.put(f"C{r}", "—")
        s.report(f"D{r}", n)

    s = b.sheet("F03 机构运行信息表(财决附03表)")
    s.width("A", 36)
    s.merge("A1:D1", "机构运行信息表")
    s.put("D2", "财决附03表")
    s.put("A3", "编制单位：湛江市城市管理和综合执法局")
    s.put("D3", "金额单位：元")
    s.row("A4", ["项目", "行次", "计量单位", "决算数"])
    s.row("A5", ["栏次", None, None])
    s.code("D5", 1)
    ops = [("一、人员情况", None, None, None),
           ("编制人数", "staff_authorized", "人", "158"), ("在职人数", "staff_actual", "人", "145"),
           ("离退休人数", "retirees", "人", "62"),
           ("二、机关运行经费", "admin_operating_cost", "元", "5213460.25"),
           ("三、政府采购支出总额", "procurement_total", "元", "12860000.00"),
           ("    其中：货物", "procurement_goods", "元", "2150000.00"),
           ("          工程", "procurement_works", "元", "8400000.00"),
           ("          服务", "procurement_services", "元", "2310000.00"),
           ("    授予中小企业合同金额", "sme_contracts", "元", "10120000.00"),
           ("四、公务用车保有量", "vehicles", "辆", "24"),
           ("五、因公出国（境）团组数", "abroad_groups", "个", "0"),
           ("    因公出国（境）人次", "abroad_people", "人次", "0"),
           ("六、国内公务接待批次", "reception_batches", "个", "36"),
           ("    国内公务接待人次", "reception_people", "人次", "410"),
           ("七、公务用车购置数", "vehicles_purchased", "辆", "2")]
    line = 1
    for i, (label, item, unit, v) in enumerate(ops):
        r = 6 + i
        s.put(f"A{r}", label)
        if item is None:
            continue
        s.code(f"B{r}", line)
        line += 1
        s.put(f"C{r}", unit)
        s.fact(f"D{r}", v, "operations", item, "", "value", YUAN)
    return b, write_xlsx


@layout
def nine_tables_one_sheet():
    """The whole nine-table public report on ONE sheet, one table under another, as
    after a PDF-to-Excel conversion: each table with its title, `公开0N表`, a
    `部门：` / `单位：万元` line and its own headings, two empty rows between tables."""
    b = Book("nine_tables_one_sheet.xlsx",
             "the nine public tables stacked on one sheet (PDF-to-Excel conversion)",
             P23, 2023,
             "Seed 000 figures throughout (see the other P23 layouts). 国有资本经营 table (the last) "
             "is empty with a note. Every table restates its own unit line.")
    s = b.sheet("Sheet1")
    for col, w in (("A", 30), ("B", 30), ("C", 30), ("E", 26), ("H", 26)):
        s.width(col, w)
    dept = "部门：攀枝花市城市管理行政执法局"
    # 1 收入支出决算总表
    r = ie_total_public(s, 1, dept + "（2023年度）", P23_IE)
    r += 2
    # 2 收入决算表
    s.merge(f"A{r}:I{r}", "收入决算表")
    s.put(f"I{r + 1}", "公开02表")
    s.put(f"A{r + 2}", dept)
    s.put(f"I{r + 2}", "单位：万元")
    h = r + 3
    s.row(f"A{h}", ["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                    "附属单位上缴收入", "其他收入"])
    rows, tot = p23_all_rows()
    cm = {"total": ("C", "income_total"), "fiscal": ("D", "fiscal_approp")}
    s.put(f"B{h + 1}", "合计")
    put_vals(s, h + 1, cm, {"total": tot["total"], "fiscal": tot["total"]}, "income", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        rr = h + 2 + i
        s.code(f"A{rr}", code)
        s.put(f"B{rr}", FUNC[code])
        put_vals(s, rr, cm, {"total": vals["total"], "fiscal": vals["total"]}, "income", "subject", code, WAN)
    r = h + 2 + len(rows) + 2
    # 3 支出决算表
    s.merge(f"A{r}:H{r}", "支出决算表")
    s.put(f"H{r + 1}", "公开03表")
    s.put(f"A{r + 2}", dept)
    s.put(f"H{r + 2}", "单位：万元")
    h = r + 3
    s.row(f"A{h}", ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                    "对附属单位补助支出"])
    cm = {"total": ("C", "expenditure_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.put(f"B{h + 1}", "合计")
    put_vals(s, h + 1, cm, tot, "expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        rr = h + 2 + i
        s.code(f"A{rr}", code)
        s.put(f"B{rr}", FUNC[code])
        put_vals(s, rr, cm, vals, "expenditure", "subject", code, WAN)
    r = h + 2 + len(rows) + 2
    # 4 财政拨款收入支出决算总表
    r = fiscal_total_public(s, r, dept, P23_FT) + 2
    # 5 一般公共预算财政拨款支出决算表
    s.merge(f"A{r}:E{r}", "一般公共预算财政拨款支出决算表")
    s.put(f"E{r + 1}", "公开05表")
    s.put(f"A{r + 2}", dept)
    s.put(f"E{r + 2}", "单位：万元")
    h = r + 3
    s.row(f"A{h}", ["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    grows, gtot = p23_gpb_rows()
    cm = {"total": ("C", "actual_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.put(f"B{h + 1}", "合计")
    put_vals(s, h + 1, cm, gtot, "gpb_expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(grows):
        rr = h + 2 + i
        s.code(f"A{rr}", code)
        s.put(f"B{rr}", FUNC[code])
        put_vals(s, rr, cm, vals, "gpb_expenditure", "subject", code, WAN)
    r = h + 2 + len(grows) + 2
    # 6 一般公共预算财政拨款基本支出决算表
    r = basic_detail_three_panels(s, r, dept, "单位：万元") + 2
    # 7 三公
    s.merge(f"A{r}:L{r}", "财政拨款“三公”经费支出决算表")
    s.put(f"L{r + 1}", "公开07表")
    s.put(f"A{r + 2}", dept)
    s.put(f"L{r + 2}", "单位：万元")
    h = r + 3
    s.merge(f"A{h}:B{h + 1}", "合计")
    s.merge(f"C{h}:D{h + 1}", "因公出国（境）费")
    s.merge(f"E{h}:J{h}", "公务用车购置及运行费")
    s.merge(f"K{h}:L{h + 1}", "公务接待费")
    s.merge(f"E{h + 1}:F{h + 1}", "小计")
    s.merge(f"G{h + 1}:H{h + 1}", "公务用车购置费")
    s.merge(f"I{h + 1}:J{h + 1}", "公务用车运行费")
    s.row(f"A{h + 2}", ["预算数", "决算数"] * 6)
    sg_pairs(s, h + 3, 1, P23_SG, WAN)
    r = h + 4 + 2
    # 8 政府性基金
    for n, title, fund in ((8, "政府性基金预算财政拨款收入支出决算表", True),
                           (9, "国有资本经营预算财政拨款收入支出决算表", False)):
        s.merge(f"A{r}:H{r}", title)
        s.put(f"H{r + 1}", f"公开0{n}表")
        s.put(f"A{r + 2}", dept)
        s.put(f"H{r + 2}", "单位：万元")
        h = r + 3
        s.merge(f"A{h}:B{h}", "项目")
        s.row(f"A{h + 1}", ["科目编码", "科目名称"])
        s.merge(f"C{h}:C{h + 1}", "年初结转和结余")
        s.merge(f"D{h}:D{h + 1}", "本年收入")
        s.merge(f"E{h}:G{h}", "本年支出")
        s.row(f"E{h + 1}", ["小计", "基本支出", "项目支出"])
        s.merge(f"H{h}:H{h + 1}", "年末结转和结余")
        s.merge(f"A{h + 2}:B{h + 2}", "合计")
        if fund:
            form = "gov_fund"
            for col, key in (("D", "income"), ("E", "expenditure_total"), ("G", "project")):
                s.fact(f"{col}{h + 2}", "340.00", form, "total", "", key, WAN)
            for i, code in enumerate(("212", "21208", "2120899")):
                rr = h + 3 + i
                s.code(f"A{rr}", code)
                s.put(f"B{rr}", FUNC[code])
                for col, key in (("D", "income"), ("E", "expenditure_total"), ("G", "project")):
                    s.fact(f"{col}{rr}", "340.00", form, "subject", code, key, WAN)
            r = h + 6 + 2
        else:
            s.merge(f"A{h + 3}:H{h + 3}", "注：本部门2023年度无国有资本经营预算财政拨款收入和支出，故本表无数据。")
    return b, write_xlsx


META_UTF8 = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
META_GB = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


@layout
def html_utf8_sangong():
    """An 'Excel' file from a web system: an HTML <table> (UTF-8) saved as .xls, with
    the title and unit line as rows of the table and the 三公 headings laid out with
    rowspan/colspan."""
    b = Book("html_utf8_sangong.xls",
             "HTML table saved as .xls (UTF-8) with rowspan/colspan headings",
             Z22, 2022,
             "Sheet name = the page <title> (财政拨款三公经费支出决算表). Cells are the table grid "
             "after rowspan/colspan, rows from 1 at the first <tr>. Figures as sangong_items_as_rows.xlsx.")
    s = b.sheet("财政拨款三公经费支出决算表")
    s.html_tables = [(1, 6)]
    s.merge("A1:L1", "财政拨款“三公”经费支出决算表")
    s.merge("A2:F2", "编制单位：湛江市城市管理和综合执法局")
    s.merge("G2:I2", "2022年度")
    s.merge("J2:L2", "单位：万元")
    s.merge("A3:B4", "合计")
    s.merge("C3:D4", "因公出国（境）费")
    s.merge("E3:J3", "公务用车购置及运行费")
    s.merge("K3:L4", "公务接待费")
    s.merge("E4:F4", "小计")
    s.merge("G4:H4", "公务用车购置费")
    s.merge("I4:J4", "公务用车运行费")
    s.row("A5", ["预算数", "决算数"] * 6)
    sg_pairs(s, 6, 1, Z22_SG, WAN)
    return b, lambda bk, p: write_html(bk, p, "utf-8", META_UTF8, title="财政拨款三公经费支出决算表")


def with_thousands(s):
    """Rewrite the fact cells ≥ 1000 of an HTML sheet as `1,320.73` text."""
    for k, e in list(s.expect.items()):
        v = s.cells[k]
        if e != "report" and isinstance(v, D) and abs(v) >= 1000:
            s.cells[k] = f"{v:,}"


@layout
def html_gbk_multi_tables():
    """A web-system export in GB2312/GBK (bytes GB18030, `<meta … charset=gb2312>`)
    saved as .xls: three <table>s in one page (收入支出决算总表, 一般公共预算财政拨款支出
    决算表, 三公), thousands separators in the figures."""
    b = Book("html_gbk_multi_tables.xls",
             "HTML saved as .xls in GBK/GB18030 (meta charset=gb2312), several tables in one page",
             A23, 2023,
             "No <title>: sheet name Sheet1. One grid for the page: rows run on from one <table> to "
             "the next (table 1 rows 1–17, table 2 rows 18–35, table 3 rows 36–45). Figures ≥ 1000 are "
             "written `1,320.73`.")
    s = b.sheet("Sheet1")
    r1 = ie_total_public(s, 1, "编制单位：安宁市城市管理综合服务中心（2023年度）", A23_IE, all_classes=False)
    s.merge(f"A{r1}:E{r1}", "一般公共预算财政拨款支出决算表")
    s.put(f"E{r1 + 1}", "公开05表")
    s.put(f"E{r1 + 2}", "单位：万元")
    h = r1 + 3
    s.row(f"A{h}", ["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    rows, tot = a23_rows(A23_LEAVES_WAN)
    assert tot["total"] == D("1320.73")
    cm = {"total": ("C", "actual_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.put(f"B{h + 1}", "合计")
    put_vals(s, h + 1, cm, tot, "gpb_expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        rr = h + 2 + i
        s.code(f"A{rr}", code)
        s.put(f"B{rr}", FUNC[code])
        put_vals(s, rr, cm, vals, "gpb_expenditure", "subject", code, WAN)
    r2 = h + 2 + len(rows)
    s.merge(f"A{r2}:C{r2}", "财政拨款“三公”经费支出决算表")
    s.put(f"C{r2 + 1}", "公开07表")
    s.put(f"C{r2 + 2}", "单位：万元")
    s.row(f"A{r2 + 3}", ["项目", "预算数", "决算数"])
    figs = [(item, A23_SG[item][1], A23_SG[item][2]) for item, _, _ in P23_SG]
    r3 = sg_rows(s, r2 + 4, figs, WAN)
    s.html_tables = [(1, r1 - 1), (r1, r2 - 1), (r2, r3 - 1)]
    assert s.html_tables == [(1, 17), (18, 35), (36, 45)], s.html_tables
    with_thousands(s)
    return b, lambda bk, p: write_html(bk, p, "gb18030", META_GB)


@layout
def spreadsheetml_2003():
    """SpreadsheetML 2003 XML saved as .xls (`<?mso-application progid="Excel.Sheet"?>`):
    merged headings by ss:MergeAcross / ss:MergeDown, cells after a merge placed with
    ss:Index, two worksheets (三公, 一般公共预算财政拨款支出决算表)."""
    b = Book("spreadsheetml_2003.xls",
             "SpreadsheetML 2003 XML saved as .xls (ss:MergeAcross, ss:MergeDown, ss:Index)",
             M23, 2023,
             "Sheet names are the ss:Name of the worksheets. Figures invented (米易县城市管理局).")
    s = b.sheet("三公经费")
    s.merge("A1:L1", "财政拨款“三公”经费支出决算表")
    s.put("A2", "编制单位：米易县城市管理局")
    s.put("F2", "2023年度")
    s.put("L2", "单位：万元")
    s.merge("A3:B4", "合计")
    s.merge("C3:D4", "因公出国（境）费")
    s.merge("E3:J3", "公务用车购置及运行费")
    s.merge("K3:L4", "公务接待费")
    s.merge("E4:F4", "小计")
    s.merge("G4:H4", "公务用车购置费")
    s.merge("I4:J4", "公务用车运行费")
    s.row("A5", ["预算数", "决算数"] * 6)
    sg_pairs(s, 6, 1, M23_SG, WAN)
    s = b.sheet("一般公共预算财政拨款支出决算表")
    s.merge("A1:E1", "一般公共预算财政拨款支出决算表")
    s.put("A2", "编制单位：米易县城市管理局")
    s.put("E2", "单位：万元")
    s.merge("A3:B3", "项目")
    s.row("A4", ["科目编码", "科目名称"])
    s.merge("C3:C4", "合计")
    s.merge("D3:D4", "基本支出")
    s.merge("E3:E4", "项目支出")
    rows, tot = m23_rows()
    cm = {"total": ("C", "actual_total"), "basic": ("D", "basic"), "project": ("E", "project")}
    s.merge("A5:B5", "合计")
    put_vals(s, 5, cm, tot, "gpb_expenditure", "total", "", WAN)
    for i, (code, vals) in enumerate(rows):
        r = 6 + i
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        put_vals(s, r, cm, vals, "gpb_expenditure", "subject", code, WAN)
    return b, write_spreadsheetml


@layout
def unit_heading_overrides_line():
    """A unit line left over from the template (`单位：万元`) while the office filled the
    table in 元 and said so in the column headings (`预算数（元）`, `决算数（元）`): the
    heading's unit applies to its column, not the line's."""
    b = Book("unit_heading_overrides_line.xlsx",
             "unit in the column headings disagreeing with the table's unit line (heading wins)",
             M23, 2023,
             "Figures of 米易县城市管理局 (invented) in 元. The unit line C2 says 万元; the headings "
             "B3/C3 say （元）, which applies: B4 = 180000.00 is 180,000 元, not 18 亿元.")
    s = b.sheet("三公经费")
    s.width("A", 28)
    s.merge("A1:C1", "财政拨款“三公”经费支出决算表")
    s.put("A2", "编制单位：米易县城市管理局")
    s.put("B2", "2023年度")
    s.put("C2", "单位：万元")
    s.row("A3", ["项目", "预算数（元）", "决算数（元）"])
    sg_rows(s, 4, [(i, s2(D(bb) * WAN), s2(D(a) * WAN)) for i, bb, a in M23_SG], YUAN)
    return b, write_xlsx


@layout
def soe_capital_expenditure_only():
    """国有资本经营预算财政拨款支出决算表 (the expenditure-only variant of public table 9,
    whose title ends in 支出决算表 but is not 支出决算表): 科目编码 | 科目名称 | 本年支出
    (合计 | 基本支出 | 项目支出), with one coded line 2230105."""
    b = Book("soe_capital_expenditure_only.xlsx",
             "国有资本经营 table with figures, expenditure-only title variant (…支出决算表)",
             M23, 2023,
             "Figures invented (国有资本经营预算 12.60, all 项目支出). The form is soe_capital, not "
             "expenditure; 本年支出/合计 (C) is expenditure_total. No 本年收入 / 结转 columns here.")
    s = b.sheet("表9")
    s.width("B", 36)
    s.merge("A1:E1", "国有资本经营预算财政拨款支出决算表")
    s.put("E2", "公开09表")
    s.put("A3", "部门：米易县城市管理局（2023年度）")
    s.put("E3", "单位：万元")
    s.merge("A4:B4", "项目")
    s.row("A5", ["科目编码", "科目名称"])
    s.merge("C4:E4", "本年支出")
    s.row("C5", ["合计", "基本支出", "项目支出"])
    s.merge("A6:B6", "合计")
    for col, key in (("C", "expenditure_total"), ("E", "project")):
        s.fact(f"{col}6", "12.60", "soe_capital", "total", "", key, WAN)
    for r, code in ((7, "223"), (8, "22301"), (9, "2230105")):
        s.code(f"A{r}", code)
        s.put(f"B{r}", FUNC[code])
        for col, key in (("C", "expenditure_total"), ("E", "project")):
            s.fact(f"{col}{r}", "12.60", "soe_capital", "subject", code, key, WAN)
    return b, write_xlsx


# ---------------------------------------------------------------------------

def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    metas = []
    for fn in LAYOUTS:
        book, writer = fn()
        path = os.path.join(HERE, book.file)
        writer(book, path)
        check_book(book, path)
        stem = os.path.splitext(book.file)[0]
        rows = write_sidecar(book, os.path.join(HERE, stem + ".expected.csv"))
        for comp in book.companions:
            write_lock_file(os.path.join(HERE, comp))
        nf = sum(1 for r in rows if r[6] != "report")
        nr = len(rows) - nf
        metas.append((fn, book, nf, nr))
    with open(os.path.join(HERE, "layouts.toml"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Hand-made layout workbooks: one [[layout]] per workbook (written by make_layouts.py).\n")
        f.write("# file: the workbook; class: the variation (DOMAIN.md §2) it exercises; unit_name and\n")
        f.write("# year: the identity a correct reader finds; notes: what to know, which cells are traps.\n")
        f.write("# Expected facts: FILE_STEM.expected.csv beside the workbook.\n")
        for fn, book, nf, nr in metas:
            f.write("\n[[layout]]\n")
            f.write(f"file = {toml_str(book.file)}\n")
            f.write(f"class = {toml_str(book.klass)}\n")
            f.write(f"unit_name = {toml_str(book.unit_name)}\n")
            f.write(f"year = {book.year}\n")
            f.write(f"facts = {nf}\n")
            f.write(f"reports = {nr}\n")
            if book.companions:
                f.write("companions = [" + ", ".join(toml_str(c) for c in book.companions) + "]\n")
            f.write(f"notes = {toml_str(book.notes)}\n")
    if "--table" in sys.argv:
        for fn, book, nf, nr in metas:
            print(f"| `{book.file}` | {book.klass} | {book.unit_name} {book.year} | {nf} | {nr} |")
    print(f"{len(metas)} layouts written and checked in {HERE}")


if __name__ == "__main__":
    main()
