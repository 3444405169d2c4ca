-- title: 预算执行：各部门预算完成率（最低在前）
-- sheet: 预算完成率
-- order: 20
WITH spent AS (
  SELECT entity_id, year, value AS spent
  FROM metrics
  WHERE level = 'department' AND metric = 'expenditure_total'
), budget AS (
  SELECT entity_id, year, value AS budget
  FROM metrics
  WHERE level = 'department' AND metric = 'budget_full'
)
SELECT
  m.year AS "年度",
  m.entity_name AS "部门",
  m.unit_kind AS "单位性质",
  ROUND(s.spent / 10000, 6) AS "本年支出（万元）",
  ROUND(b.budget / 10000, 6) AS "全年预算数（万元）",
  m.value AS "预算完成率"
FROM metrics m
JOIN spent s ON s.entity_id = m.entity_id AND s.year = m.year
JOIN budget b ON b.entity_id = m.entity_id AND b.year = m.year
WHERE m.level = 'department' AND m.metric = 'budget_execution' AND m.value IS NOT NULL
ORDER BY m.year DESC, m.value, m.entity_name
