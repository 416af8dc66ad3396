-- 0043: a mapped instance's name from its task's mapIndexTemplate (Airflow's rendered_map_index),
-- rendered when its try is claimed and shown instead of the map index (REST, UI).
ALTER TABLE task_instance ADD COLUMN rendered_map_index text;
