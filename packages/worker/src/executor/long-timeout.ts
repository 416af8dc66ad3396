/**
 * A timeout of any length. Node's timers hold at most 2^31-1 ms (about 24.8 days): a longer delay
 * fires after 1 ms instead (with a TimeoutOverflowWarning). A longer one is armed in steps.
 */
const LONGEST_TIMER_MS = 2_147_483_647;

/** Calls `fn` once `ms` have passed; the returned function cancels it. */
export function longTimeout(fn: () => void, ms: number): () => void {
  const at = Date.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const left = at - Date.now();
    timer = left > LONGEST_TIMER_MS ? setTimeout(arm, LONGEST_TIMER_MS) : setTimeout(fn, Math.max(0, left));
  };
  arm();
  return () => clearTimeout(timer);
}
