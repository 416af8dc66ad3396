/** Schemas of /api/v1/importErrors (Airflow 2's ImportError and ImportErrorCollection). */
import { Type } from 'typebox';
import { DateTime, Pagination } from './common.schemas.js';

export const ImportErrorIdParams = Type.Object({ import_error_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The import error id.' }) });

export const ListImportErrorsQuery = Type.Object({
  ...Pagination,
  order_by: Type.Optional(Type.String({ pattern: '^-?(import_error_id|timestamp|filename)$', description: 'One of import_error_id, timestamp, filename; prefix `-` for descending.' })),
});

export const ImportErrorSchema = Type.Object({
  import_error_id: Type.Integer(),
  timestamp: DateTime(),
  filename: Type.String({ description: 'The DAG file, relative to the DAGs folder.' }),
  stack_trace: Type.String({ description: 'What went wrong loading it.' }),
  kind: Type.String({ description: 'syntax, import, timeout, cycle, ... (Updraft\'s classification).' }),
});

export const ImportErrorCollection = Type.Object({ import_errors: Type.Array(ImportErrorSchema), total_entries: Type.Integer() });
