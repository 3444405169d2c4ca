-- title: 功能结构变化：各部门功能分类支出占本年支出的比重及与上年相比的变化
-- sheet: 功能结构变化
-- order: 50
WITH classes AS (
  SELECT entity_id, entity_name, year, label, value, prev_value
  FROM metrics
  WHERE level = 'department' AND kind = 'class'
), totals AS (
  SELECT entity_id, year, value AS total, prev_value AS prev_total
  FROM metrics
  WHERE level = 'department' AND metric = 'expenditure_total'
), shares AS (
  SELECT
    c.year,
    c.entity_name,
    c.label,
    c.value / NULLIF(t.total, 0) AS share,
    COALESCE(c.prev_value, 0) / NULLIF(t.prev_total, 0) AS prev_share
  FROM classes c
  JOIN totals t ON t.entity_id = c.entity_id AND t.year = c.year
  WHERE t.prev_total IS NOT NULL
)
SELECT
  year AS "年度",
  entity_name AS "部门",
  label AS "功能分类",
  share AS "本年占比",
  prev_share AS "上年占比",
  share - prev_share AS "占比变化"
FROM shares
ORDER BY year DESC, ABS(share - prev_share) DESC, entity_name, label
