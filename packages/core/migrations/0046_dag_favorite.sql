-- 0046: the DAGs each user marked as a favourite (Airflow's favorite DAGs): on their home page, and
-- starred in the DAG list and on the DAG's page. Gone with the user or the DAG.
CREATE TABLE dag_favorite (
  user_id     bigint NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
  dag_id      text NOT NULL REFERENCES dag (dag_id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, dag_id)
);
CREATE INDEX dag_favorite_dag_idx ON dag_favorite (dag_id);
