-- title: 三公经费增长：各部门三公经费决算与上年比较（增长最快在前）
-- sheet: 三公增长
-- order: 10
SELECT
  year AS "年度",
  entity_name AS "部门",
  unit_kind AS "单位性质",
  ROUND(value / 10000, 6) AS "三公经费（万元）",
  ROUND(prev_value / 10000, 6) AS "上年（万元）",
  ROUND(change / 10000, 6) AS "增减额（万元）",
  change_rel AS "增减率"
FROM metrics
WHERE level = 'department' AND metric = 'sangong_actual' AND prev_value IS NOT NULL
ORDER BY year DESC, change_rel DESC NULLS LAST, entity_name
