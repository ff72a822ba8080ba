-- The cost of the point-count triggers (monitoring/point_counts.py) on writes to the latest values,
-- on the scale benchmark's database (bench/onemap_scale.py builds it), each statement rolled back:
--   psql postgres://postgres@127.0.0.1:55432/perf16 -f bench/point_count_triggers.sql
-- Figures and reading: docs/benchmarks.md.
\timing on
-- 20,000 latest values rewritten as the ingest does (value and ts change, flags do not): triggers on
BEGIN; UPDATE monitoring_pointlatest SET value = value + 1, ts_ms = ts_ms + 1000 WHERE point_id <= (SELECT min(id) + 19999 FROM monitoring_point); ROLLBACK;
BEGIN; UPDATE monitoring_pointlatest SET value = value + 1, ts_ms = ts_ms + 1000 WHERE point_id <= (SELECT min(id) + 19999 FROM monitoring_point); ROLLBACK;
BEGIN; UPDATE monitoring_pointlatest SET value = value + 1, ts_ms = ts_ms + 1000 WHERE point_id <= (SELECT min(id) + 19999 FROM monitoring_point); ROLLBACK;
-- the same with the triggers disabled
BEGIN; ALTER TABLE monitoring_pointlatest DISABLE TRIGGER USER; UPDATE monitoring_pointlatest SET value = value + 1, ts_ms = ts_ms + 1000 WHERE point_id <= (SELECT min(id) + 19999 FROM monitoring_point); ROLLBACK;
BEGIN; ALTER TABLE monitoring_pointlatest DISABLE TRIGGER USER; UPDATE monitoring_pointlatest SET value = value + 1, ts_ms = ts_ms + 1000 WHERE point_id <= (SELECT min(id) + 19999 FROM monitoring_point); ROLLBACK;
BEGIN; ALTER TABLE monitoring_pointlatest DISABLE TRIGGER USER; UPDATE monitoring_pointlatest SET value = value + 1, ts_ms = ts_ms + 1000 WHERE point_id <= (SELECT min(id) + 19999 FROM monitoring_point); ROLLBACK;
-- 20,000 points going offline at once (every row fires): triggers on
BEGIN; UPDATE monitoring_pointlatest SET online = NOT online WHERE point_id <= (SELECT min(id) + 19999 FROM monitoring_point); ROLLBACK;
BEGIN; UPDATE monitoring_pointlatest SET online = NOT online WHERE point_id <= (SELECT min(id) + 19999 FROM monitoring_point); ROLLBACK;
BEGIN; ALTER TABLE monitoring_pointlatest DISABLE TRIGGER USER; UPDATE monitoring_pointlatest SET online = NOT online WHERE point_id <= (SELECT min(id) + 19999 FROM monitoring_point); ROLLBACK;
BEGIN; ALTER TABLE monitoring_pointlatest DISABLE TRIGGER USER; UPDATE monitoring_pointlatest SET online = NOT online WHERE point_id <= (SELECT min(id) + 19999 FROM monitoring_point); ROLLBACK;
