/**
 * A try's log as lines, read through the API's continuation tokens: the whole log once, then,
 * while the try runs, what was appended since, every second (the log lives in a file, not in the
 * database, so there is no notification to wait for). After the try ended, one last read takes
 * its final lines. Lines are kept in one array outside React state; `version` changes when lines
 * were added.
 */
import { useEffect, useRef, useState } from 'react';
import { errorFrom, uiFetch } from '../../../api/http.js';

interface LogPage {
  content: string;
  continuation_token: string | null;
}

export interface LogLines {
  lines: string[];
  version: number;
  loading: boolean;
  error: string | null;
  /** The log file does not exist (yet). */
  missing: boolean;
}

const TAIL_INTERVAL_MS = 1000;

export function useLogLines(logUrl: string, live: boolean): LogLines {
  const store = useRef({ lines: [] as string[], partial: '', token: null as string | null });
  const [version, setVersion] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const liveRef = useRef(live);
  liveRef.current = live;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const s = store.current;
    s.lines = [];
    s.partial = '';
    s.token = null;

    const tick = async () => {
      const wasLive = liveRef.current;
      try {
        const q = s.token === null ? 'full_content=true' : `token=${encodeURIComponent(s.token)}`;
        const res = await uiFetch(`${logUrl}?${q}`, { headers: { accept: 'application/json' } });
        if (stopped) return;
        if (res.status === 404) {
          setMissing(true);
        } else if (!res.ok) {
          setError((await errorFrom(res)).message);
        } else {
          const page = (await res.json()) as LogPage;
          if (stopped) return;
          if (page.continuation_token) s.token = page.continuation_token;
          const parts = (s.partial + page.content).split('\n');
          s.partial = parts.pop() ?? '';
          // One by one: push(...parts) passes every line as an argument, and a log of hundreds of
          // thousands of lines overflows the call stack.
          for (const line of parts) s.lines.push(line);
          // A finished log's last line may lack its newline.
          if (!wasLive && s.partial !== '') {
            s.lines.push(s.partial);
            s.partial = '';
          }
          setMissing(false);
          setError(null);
          setVersion((v) => v + 1);
        }
      } catch (err) {
        if (!stopped) setError(err instanceof Error ? err.message : String(err));
      }
      if (stopped) return;
      setLoading(false);
      if (wasLive) timer = setTimeout(() => void tick(), TAIL_INTERVAL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [logUrl]);

  return { lines: store.current.lines, version, loading, error, missing };
}
