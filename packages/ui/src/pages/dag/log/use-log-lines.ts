/**
 * A try's log as lines, read through the API: its end first (the last TAIL_BYTES, so a 50 MB log
 * opens at once), earlier pages on demand (`loadEarlier`, as the reader scrolls up), and, while
 * the try runs, what was appended since, every second, with the continuation token (the log
 * lives in a file, not in the database, so there is no notification to wait for). After the try
 * ended, one last read takes its final lines. A view opened on a linked line reads the whole log
 * from its start instead (`fromStart`). Lines are kept in one array outside React state;
 * `version` changes when lines were added, `prepended` counts the lines put before the first.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorFrom, uiFetch } from '../../../api/http.js';
import { takePrefetchedLog } from '../../../prefetch.js';
import { logQuery, logTailUrl, TAIL_BYTES } from './log-urls.js';

interface LogPage {
  content: string;
  continuation_token: string | null;
  previous_token?: string | null;
  first_line?: number | null;
}

export interface LogLines {
  lines: string[];
  /** The line number (from 1) of lines[0]. */
  firstLine: number;
  /** Lines put before lines[0] so far (a viewer keeps its place by their height). */
  prepended: number;
  version: number;
  loading: boolean;
  /** There are lines before lines[0] not read yet. */
  hasEarlier: boolean;
  loadingEarlier: boolean;
  loadEarlier(): void;
  error: string | null;
  /** The log file does not exist (yet). */
  missing: boolean;
}

const TAIL_INTERVAL_MS = 1000;

export function useLogLines(logUrl: string, live: boolean, fromStart = false): LogLines {
  const store = useRef({ lines: [] as string[], partial: '', token: null as string | null, previous: null as string | null, firstLine: 1, prepended: 0, earlier: false });
  const [version, setVersion] = useState(0);
  const [loading, setLoading] = useState(true);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const liveRef = useRef(live);
  liveRef.current = live;
  const generation = useRef(0);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    generation.current += 1;
    const s = store.current;
    Object.assign(s, { lines: [], partial: '', token: null, previous: null, firstLine: 1, prepended: 0, earlier: false });
    setLoadingEarlier(false);

    const tick = async () => {
      const wasLive = liveRef.current;
      try {
        const first = s.token === null;
        const url = !first ? logQuery(logUrl, `token=${encodeURIComponent(s.token!)}`) : fromStart ? logQuery(logUrl, 'full_content=true') : logTailUrl(logUrl);
        // A read started before the app loaded is used only if it succeeded: one made before logging
        // in (401) or that failed is made again now.
        const early = first && !fromStart ? await takePrefetchedLog(url)?.catch(() => undefined) : undefined;
        const res = early?.ok === true ? early : await uiFetch(url, { headers: { accept: 'application/json' } });
        if (stopped) return;
        if (res.status === 404) {
          setMissing(true);
        } else if (!res.ok) {
          setError((await errorFrom(res)).message);
        } else {
          const page = (await res.json()) as LogPage;
          if (stopped) return;
          if (first) {
            s.previous = page.previous_token ?? null;
            s.firstLine = page.first_line ?? 1;
          }
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
  }, [logUrl, fromStart]);

  const loadEarlier = useCallback(() => {
    const s = store.current;
    if (s.previous === null || s.earlier) return;
    s.earlier = true;
    setLoadingEarlier(true);
    const gen = generation.current;
    void (async () => {
      try {
        const res = await uiFetch(logQuery(logUrl, `tail_bytes=${TAIL_BYTES}&before=${encodeURIComponent(s.previous!)}`), { headers: { accept: 'application/json' } });
        if (gen !== generation.current) return;
        if (!res.ok) {
          setError((await errorFrom(res)).message);
          return;
        }
        const page = (await res.json()) as LogPage;
        if (gen !== generation.current) return;
        // A page read from the end ends at a line's end: its last part is empty.
        const parts = page.content.split('\n');
        if (parts[parts.length - 1] === '') parts.pop();
        s.previous = page.previous_token ?? null;
        s.lines = parts.concat(s.lines);
        s.firstLine -= parts.length;
        s.prepended += parts.length;
        setVersion((v) => v + 1);
      } catch (err) {
        if (gen === generation.current) setError(err instanceof Error ? err.message : String(err));
      } finally {
        if (gen === generation.current) {
          s.earlier = false;
          setLoadingEarlier(false);
        }
      }
    })();
  }, [logUrl]);

  const s = store.current;
  return {
    lines: s.lines, firstLine: s.firstLine, prepended: s.prepended, version, loading, hasEarlier: s.previous !== null,
    loadingEarlier, loadEarlier, error, missing,
  };
}
