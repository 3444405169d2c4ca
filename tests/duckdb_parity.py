"""Every shipped query gives the same rows in DuckDB as in juesuan (Polars SQL).

Usage: python tests/duckdb_parity.py JUESUAN_BINARY RUN_OUTPUT_FOLDER
Runs each queries/*.sql with `juesuan query` (CSV) and with DuckDB over views
of the run's Parquet files (single files, or the Hive-style folders by year
of `--partition`, read by DuckDB's own hive partitioning), and compares row
by row (numbers to 1e-9 relative). Exits 1 on any difference.
"""

import csv
import io
import math
import subprocess
import sys
from pathlib import Path

import duckdb

TABLES = ["facts", "units", "metrics", "flags", "findings", "scores"]


def juesuan_rows(binary: str, sql: Path, data: Path) -> list[list[str]]:
    out = subprocess.run(
        [binary, "query", str(sql), "--data", str(data)],
        check=True, capture_output=True, text=True,
    ).stdout
    return list(csv.reader(io.StringIO(out)))


def duckdb_rows(sql: Path, data: Path) -> list[list[str]]:
    con = duckdb.connect()
    for table in TABLES:
        path, folder = data / f"{table}.parquet", data / table
        if path.exists():
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
        elif folder.is_dir():
            con.execute(
                f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{folder}/*/*.parquet', "
                "hive_partitioning = true, hive_types = {'year': INTEGER})"
            )
    con.execute("CREATE VIEW measures AS SELECT * FROM metrics WHERE kind IN ('measure', 'class')")
    cursor = con.execute(sql.read_text(encoding="utf-8"))
    header = [d[0] for d in cursor.description]
    return [header] + [["" if v is None else str(v) for v in row] for row in cursor.fetchall()]


def same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)


def main() -> int:
    binary, data = sys.argv[1], Path(sys.argv[2])
    failures = 0
    queries = sorted(Path(__file__).resolve().parent.parent.joinpath("queries").glob("*.sql"))
    assert queries, "no queries found"
    for sql in queries:
        ours, theirs = juesuan_rows(binary, sql, data), duckdb_rows(sql, data)
        problems = []
        if ours[0] != theirs[0]:
            problems.append(f"columns {ours[0]} vs {theirs[0]}")
        if len(ours) != len(theirs):
            problems.append(f"{len(ours) - 1} rows vs {len(theirs) - 1}")
        for i, (a, b) in enumerate(zip(ours[1:], theirs[1:]), start=1):
            if len(a) != len(b) or not all(same(x, y) for x, y in zip(a, b)):
                problems.append(f"row {i}: {a} vs {b}")
                break
        status = "same" if not problems else "DIFFERENT: " + "; ".join(problems)
        print(f"{sql.name}: {len(ours) - 1} rows, {status}")
        failures += bool(problems)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
