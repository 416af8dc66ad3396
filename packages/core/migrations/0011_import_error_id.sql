-- 0011: a number for each import error, so the REST API can name one (GET /api/v1/importErrors/{import_error_id}).
-- A file's error keeps its number while it stays broken (the upsert on fileloc does not touch it).
ALTER TABLE import_error ADD COLUMN id bigserial;
CREATE UNIQUE INDEX import_error_id_idx ON import_error (id);
