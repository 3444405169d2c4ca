"""Shared helpers for hand-made juesuan test cases.
Each case folder has gen.py (writes workbook(s) + expected.json) beside the workbook."""
import json, os, re, zipfile, shutil
from decimal import Decimal
from openpyxl.utils import get_column_letter

class Expect:
    def __init__(self, year=None, unit_name=None):
        self.rows = []
        self.year = year
        self.unit_name = unit_name
        self.notes = []
    def add(self, file, sheet, cell, form, item, column, subject, amount_yuan, uom='元', year=None, unit_name=None):
        self.rows.append(dict(file=file, sheet=sheet, cell=cell, form=form, item=item, column=column,
                              subject_code=subject, amount=str(Decimal(str(amount_yuan)).quantize(Decimal('0.01'))),
                              uom=uom, year=year or self.year, unit_name=unit_name or self.unit_name))
    def absent(self, file, sheet, cell, why):
        """a cell that must NOT become a fact (or only with a warning)"""
        self.rows.append(dict(file=file, sheet=sheet, cell=cell, absent=True, why=why))
    def save(self, folder, **extra):
        with open(os.path.join(folder, 'expected.json'), 'w') as f:
            json.dump(dict(rows=self.rows, notes=self.notes, **extra), f, ensure_ascii=False, indent=1)

def A1(r, c):
    return f"{get_column_letter(c)}{r}"

def wan(x):
    """万元 -> 元 as Decimal string"""
    return Decimal(str(x)) * 10000

def set_cached_values(path, sheet_xml, values):
    """Give formula cells a cached value in an openpyxl-written xlsx.
    values: {A1: number}. sheet_xml e.g. 'xl/worksheets/sheet1.xml'"""
    tmp = path + '.tmp'
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, 'w', zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == sheet_xml:
                s = data.decode('utf-8')
                for cell, v in values.items():
                    pat = re.compile(r'(<c r="%s"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?' % cell)
                    m = pat.search(s)
                    assert m, cell
                    s = s[:m.start()] + m.group(1) + m.group(2) + f'<v>{v}</v>' + s[m.end():]
                data = s.encode('utf-8')
            zout.writestr(item, data)
    shutil.move(tmp, path)
