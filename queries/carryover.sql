-- title: 结转结余：各部门年末结转和结余及结转结余率（最高在前）
-- sheet: 结转结余率
-- order: 30
WITH carried AS (
  SELECT entity_id, year, value AS carried
  FROM metrics
  WHERE level = 'department' AND metric = 'carryover_end'
)
SELECT
  m.year AS "年度",
  m.entity_name AS "部门",
  m.unit_kind AS "单位性质",
  ROUND(c.carried / 10000, 6) AS "年末结转和结余（万元）",
  m.value AS "结转结余率",
  m.peer_median AS "同类中位数"
FROM metrics m
JOIN carried c ON c.entity_id = m.entity_id AND c.year = m.year
WHERE m.level = 'department' AND m.metric = 'carryover_rate' AND m.value IS NOT NULL
ORDER BY m.year DESC, m.value DESC, m.entity_name
