-- 0039: XCom values as json, not jsonb: jsonb reorders an object's keys (shortest first) and drops
-- duplicates, so a task that returned {"zeta": 1, "alpha": 2} gave {"alpha": 2, "zeta": 1} to the
-- tasks that pulled it, in templates and to the API. json keeps the text the task stored (Airflow's
-- JSON XCom keeps a dict's order). Values stored before keep the order jsonb gave them.
ALTER TABLE xcom ALTER COLUMN value TYPE json USING value::json;
