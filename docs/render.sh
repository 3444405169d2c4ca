#!/usr/bin/env bash
# Renders what a user sees in league_tables.xlsx: the 总览 sheet, the first
# page of the 三公经费 league sheet, of the 说明核对 sheet (the narratives'
# findings) and of the 数字特征 sheet (Benford tests), as PNG under docs/, from a run on the
# bundled sample. Needs LibreOffice (libreoffice-calc), poppler-utils and a CJK
# font (fonts-noto-cjk): apt-get install libreoffice-calc poppler-utils fonts-noto-cjk
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run -q -- run sample_data --out "$work/out" -q 2>/dev/null
cp "$work/out/league_tables.xlsx" "$work/"
(cd "$work" && soffice --headless --convert-to pdf league_tables.xlsx >/dev/null 2>&1)
pdf="$work/league_tables.pdf"
page_of() { # first page whose text starts with $1
  local pages
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  for ((p = 1; p <= pages; p++)); do
    if [[ "$(pdftotext -f "$p" -l "$p" "$pdf" - | sed -n 1p)" == "$1"* ]]; then
      echo "$p"
      return
    fi
  done
  echo "no page starts with $1" >&2
  exit 1
}
render() { # page, output name
  pdftoppm -f "$1" -l "$1" -png -r 80 -singlefile "$pdf" "docs/$2"
}
overview=$(page_of 部门决算分析总览)
league=$(page_of 三公经费：部门排名)
narratives=$(page_of 说明核对)
digits=$(page_of 数字特征)
render "$overview" overview
render "$league" league_sangong
render "$narratives" narrative_checks
render "$digits" digit_tests
echo "wrote docs/overview.png, docs/league_sangong.png, docs/narrative_checks.png and docs/digit_tests.png"
