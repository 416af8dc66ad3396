-- DAG bundles from git (core.dags_bundle = git:<url>#<branch>): the commit a bundle version was
-- read from. A version is a content hash, so a later commit with the same tree (e.g. a change
-- outside the bundle's subdir) keeps the commit that first produced it. NULL: the DAGs folder.
ALTER TABLE dag_bundle_version ADD COLUMN git_commit text;
