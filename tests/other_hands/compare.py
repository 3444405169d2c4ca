"""python3 compare.py CASE_DIR [--no-run] : run juesuan on CASE/in, compare facts with expected.json"""
import json, os, subprocess, sys, csv
from decimal import Decimal as D
import polars as pl

case = sys.argv[1].rstrip("/")
out = os.path.join(case, "out")
if "--no-run" not in sys.argv:
    p = subprocess.run(["/tmp/helper2/juesuan", "ingest", os.path.join(case, "in"), "--out", out, "--no-cache", "-q"],
                       capture_output=True, text=True)
    print("rc", p.returncode, (p.stdout + p.stderr).strip()[-1500:])
exp = json.load(open(os.path.join(case, "expected.json")))
facts = pl.read_parquet(os.path.join(out, "facts.parquet")).to_dicts()
rep = list(csv.DictReader(open(os.path.join(out, "ingest_report.csv"), encoding="utf-8-sig")))

def rel(f):
    i = f.find("/in/")
    return f[i + 4:] if i >= 0 else f

idx = {}
for f in facts:
    idx.setdefault((rel(f["source_file"]), f["source_sheet"], f["source_cell"]), []).append(f)

def reports(file, sheet, cell=None):
    res = []
    for r in rep:
        if rel(r["file"]) == file and (sheet is None or r["sheet"] == sheet or r["sheet"] == ""):
            if cell is None or r["cell"] == cell or (cell and cell in r["message"]):
                res.append(r)
    return res

seen = set()
bad = 0
for e in [x for x in exp if x.get("kind") in ("fact","absent","report","not_amount")]:
    k = (e["file"], e["sheet"], e["cell"])
    got = idx.get(k, [])
    if e["kind"] == "fact":
        seen.add(k)
        if not got:
            if e["optional"]:
                continue
            rr = [r for r in reports(e["file"], e["sheet"], e["cell"]) if r["cell"] == e["cell"]]
            tag = "REPORTED" if rr else "SILENT-DROP"
            bad += 1
            print(f"[{tag}] missing {k} exp {e['form']}.{e['item']}.{e['column']} {e['subject_code']} {e['amount']} {e['note']}")
            for r in rr[:3]:
                print("     report:", r["severity"], r["kind"], r["message"][:200])
            continue
        f = got[0]
        diffs = []
        nz = lambda x: str(x).replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "") if x is not None else x
        for key in ["form", "item", "column", "subject_code", "unit_name", "year"]:
            if key == "unit_name" and nz(f[key]) == nz(e[key]):
                continue
            if str(f[key]) != str(e[key]) and not (f[key] is None and e[key] is None):
                diffs.append(f"{key}: exp {e[key]!r} got {f[key]!r}")
        if D(str(f["amount"])) != D(e["amount"]):
            diffs.append(f"amount: exp {e['amount']} got {f['amount']}")
        if len(got) > 1:
            diffs.append(f"{len(got)} facts from one cell")
        if diffs:
            bad += 1
            rr = [r for r in reports(e["file"], e["sheet"], e["cell"]) if r["cell"] == e["cell"]]
            print(f"[MISMATCH{' +report' if rr else ''}] {k} " + "; ".join(diffs) + (f"  ({e['note']})" if e['note'] else ""))
            for r in rr[:2]:
                print("     report:", r["severity"], r["kind"], r["message"][:200])
    elif e["kind"] == "absent":
        seen.add(k)
        if got:
            bad += 1
            f = got[0]
            print(f"[SHOULD-BE-ABSENT] {k} read as {f['form']}.{f['item']}.{f['column']} {f['subject_code']} {f['amount']} -- {e['why']}")
        elif e.get("need_report"):
            rr = reports(e["file"], e["sheet"], e["cell"])
            if not rr:
                bad += 1
                print(f"[ABSENT-NO-REPORT] {k} -- {e['why']}")
    elif e["kind"] == "not_amount":
        if got and D(str(got[0]["amount"])) == D(e["amount"]):
            bad += 1
            print(f"[WRONG-VALUE] {k} {e['why']}")
    elif e["kind"] == "report":
        rr = reports(e["file"], e["sheet"], e["cell"])
        rr = [r for r in rr if r["severity"] in ("warning", "error")]
        if not rr:
            bad += 1
            print(f"[NO-WARNING] {k} -- {e['why']}")
        else:
            print(f"[ok-warned] {k}: {rr[0]['kind']} {rr[0]['message'][:160]}")

for k, fs in idx.items():
    if k not in seen:
        for f in fs:
            bad += 1
            print(f"[EXTRA] {k} {f['form']}.{f['item']}.{f['column']} {f['subject_code']} {f['amount']} label={f['source_label']!r} hdr={f['source_header']!r}")
# unit identity summary
ids = sorted({(f["year"], f["unit_id"], f["unit_code"], f["unit_name"], f["dept_code"], f["report_type"], f["family"], rel(f["source_file"])) for f in facts})
print("units:")
for i in ids:
    print("  ", i)
print("non-info report rows:")
for r in rep:
    if r["severity"] != "info":
        print("  ", r["severity"], r["kind"], rel(r["file"]), r["sheet"], r["cell"], r["form"], r["message"][:220])
print("TOTAL discrepancies:", bad)
