/**
 * Why a try ended as it did, in words: the reason recorded with it (its error, zombie, execution
 * timeout, killed, marked or cleared by a person, a sensor's timeout), or for the endings that
 * record none, what they mean (a sensor's poke that was false, a task that skipped itself).
 */
export function endReasonOf(t: { state: string | null; error: string | null; startedAt: Date | null; endedAt: Date | null }): string | null {
  if (t.error) return t.error;
  if (t.state === 'up_for_reschedule') return 'sensor not ready (its poke was false): rescheduled; this try does not count as a retry';
  // A skip before the task started is its upstream's decision (a branch, a trigger rule), not this try's.
  if (t.state === 'skipped' && t.startedAt !== null && t.endedAt !== null) return 'the task skipped itself';
  return null;
}
