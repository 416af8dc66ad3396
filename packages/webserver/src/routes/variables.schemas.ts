/** Schemas of /api/v1/variables (Airflow 2's Variable and VariableCollection). */
import { Type } from 'typebox';
import { idParam, Nullable, Pagination, textParam } from './common.schemas.js';

export const VariableKeyParams = Type.Object({ variable_key: idParam('variable key', 'The variable key.') });

export const ListVariablesQuery = Type.Object({ ...Pagination });

/** Largest value a variable may hold through the API (the body limit bounds it too). */
export const MAX_VARIABLE_VALUE = 256 * 1024;

export const VariableSchema = Type.Object({
  key: Type.String(),
  value: Type.String({ description: '`***` when the key looks secret (security.sensitive_var_conn_names).' }),
  description: Nullable(Type.String()),
  read_only: Type.Optional(Type.Literal(true, { description: 'Present when the webserver\'s environment defines the variable (UPDRAFT_VAR_<KEY>): it cannot be changed or deleted through the API.' })),
});

export const VariableCollection = Type.Object({ variables: Type.Array(VariableSchema), total_entries: Type.Integer() });

export const VariableBody = Type.Object({
  key: idParam('variable key', 'The variable key.'),
  value: textParam(MAX_VARIABLE_VALUE, 'The value (text).'),
  description: Type.Optional(Nullable(textParam(5000, 'What the variable is for.'))),
}, { additionalProperties: false });

export const VariableUpdateMaskQuery = Type.Object({
  update_mask: Type.Optional(Type.Array(Type.Union([Type.Literal('value'), Type.Literal('description')]), { maxItems: 2, description: 'The fields to change (default: value and description).' })),
});
