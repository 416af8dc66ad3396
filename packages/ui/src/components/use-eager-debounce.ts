// A debounced callback that answers the first call of a burst at once (a pasted id, the first
// keystroke) and the last one after `delayMs` of quiet, so the value typed last always wins.
// (Mantine's `leading` option drops the trailing call: the last keystrokes would be lost.)
import { useEffect, useMemo, useRef } from 'react';

export function useEagerDebounce<A>(fn: (arg: A) => void, delayMs: number): (arg: A) => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useMemo(() => {
    let pending: { arg: A } | undefined;
    const quiet = (): void => {
      timer.current = undefined;
      if (pending === undefined) return;
      const { arg } = pending;
      pending = undefined;
      latest.current(arg);
      // The trailing call starts a new quiet period: calls within it are debounced too.
      timer.current = setTimeout(quiet, delayMs);
    };
    return (arg: A) => {
      if (timer.current === undefined) {
        latest.current(arg);
        timer.current = setTimeout(quiet, delayMs);
        return;
      }
      pending = { arg };
      clearTimeout(timer.current);
      timer.current = setTimeout(quiet, delayMs);
    };
  }, [delayMs]);
}
