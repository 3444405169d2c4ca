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
    b = Book("sangong_wide_merged_empty_middle.xls",
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
             "Counts from seed 000 (9 批次, 53 人次, 30 辆) in M7:O7 are report: the 三公 form has no "
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
             "`2023年度`. F5 and F7 are '—' text.")
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
             "year's row as 决算数. F7 is '—'.")
    s = b.sheet("三公经费")
    s.merge("A1:G1", "财政拨款“三公”经费支出决算表")
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
            s.put(f"E{r}", "0%")
            s.expect[(r, 5)] = "report"
        else:
            s.report(f"E{r}", Text(pct[item]))
    return b, write_xlsx
