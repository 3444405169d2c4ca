-- title: 人均公用经费：公用经费 ÷ 在职人数（最高在前）
-- sheet: 人均公用经费
-- order: 40
WITH public_cost AS (
  SELECT entity_id, year, value AS public_cost
  FROM metrics
  WHERE level = 'department' AND metric = 'public_cost'
), staff AS (
  SELECT entity_id, year, value AS staff
  FROM metrics
  WHERE level = 'department' AND metric = 'staff_actual'
)
SELECT
  m.year AS "年度",
  m.entity_name AS "部门",
  m.unit_kind AS "单位性质",
  ROUND(p.public_cost / 10000, 6) AS "公用经费（万元）",
  s.staff AS "在职人数",
  ROUND(m.value / 10000, 6) AS "人均公用经费（万元）",
  ROUND(m.peer_median / 10000, 6) AS "同类中位数（万元）"
FROM metrics m
JOIN public_cost p ON p.entity_id = m.entity_id AND p.year = m.year
JOIN staff s ON s.entity_id = m.entity_id AND s.year = m.year
WHERE m.level = 'department' AND m.metric = 'public_per_capita' AND m.value IS NOT NULL
ORDER BY m.year DESC, m.value DESC, m.entity_name
