SELECT count(*) AS matched, sum(f.feature_id) AS sum_feature_id, round(sum(f.f1), 3) AS sum_f1,
  sum(l.label_id) AS sum_label_id
FROM read_parquet('$DIR/labels.parquet') l
ASOF JOIN read_parquet('$DIR/features.parquet') f
  ON l.entity_id = f.entity_id AND l.ts >= f.ts
