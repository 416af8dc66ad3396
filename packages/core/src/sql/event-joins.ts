/**
 * The joins from a row about a task or run event (an alert outbox row, a callback request) to its
 * run `r`, task instance `ti` and try `tt`. A run event has task_id '' and joins no task instance
 * or try (their columns are null).
 */
export function eventJoins(row: string): string {
  return `JOIN dag_run r ON r.dag_id = ${row}.dag_id AND r.run_id = ${row}.run_id
     LEFT JOIN task_instance ti ON ${row}.task_id <> '' AND ti.dag_id = ${row}.dag_id AND ti.run_id = ${row}.run_id
       AND ti.task_id = ${row}.task_id AND ti.map_index = ${row}.map_index
     LEFT JOIN task_instance_try tt ON ${row}.task_id <> '' AND tt.dag_id = ${row}.dag_id AND tt.run_id = ${row}.run_id
       AND tt.task_id = ${row}.task_id AND tt.map_index = ${row}.map_index AND tt.try_number = ${row}.try_number`;
}
