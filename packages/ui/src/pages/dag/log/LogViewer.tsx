// A try's log: opened at its end and read back page by page as the reader scrolls up (a 50 MB log
// is never fetched whole), virtualized (only the visible lines are in the DOM), line numbers that
// link to the line (?line=N; such a link reads the log from its start), search with highlighted
// matches in the lines read so far, download, and the live tail that follows the end unless the
// reader scrolled up.
import { ActionIcon, Anchor, Group, Loader, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ArrowDownIcon, ArrowUpIcon, DownloadIcon } from '../../../components/icons.js';
import { useLogLines } from './use-log-lines.js';
import { logQuery } from './log-urls.js';
import classes from './LogViewer.module.css';

const LINE_HEIGHT = 18;

function Highlighted({ text, query }: { text: string; query: string }) {
  if (!query) return <>{text}</>;
  const lower = text.toLowerCase();
  const out: React.ReactNode[] = [];
  let from = 0;
  for (let i = lower.indexOf(query, from); i !== -1; i = lower.indexOf(query, from)) {
    out.push(text.slice(from, i), <mark key={i}>{text.slice(i, i + query.length)}</mark>);
    from = i + query.length;
  }
  out.push(text.slice(from));
  return <>{out}</>;
}

export function LogViewer({ logUrl, live }: { logUrl: string; live: boolean }) {
  const search = useSearch({ strict: false }) as { line?: number };
  // Opened on a linked line: the log from its start (so the line is there); else from its end.
  const [fromStart] = useState(search.line !== undefined);
  const { lines, firstLine, prepended, version, loading, hasEarlier, loadingEarlier, loadEarlier, error, missing } = useLogLines(logUrl, live, fromStart);
  const navigate = useNavigate();
  const scroller = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(search.line === undefined);
  const [rawQuery, setRawQuery] = useState('');
  const [query] = useDebouncedValue(rawQuery.trim().toLowerCase(), 150);
  const [matchIndex, setMatchIndex] = useState(0);

  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 20,
  });

  const matches = useMemo(() => {
    if (!query) return [];
    const out: number[] = [];
    for (let i = 0; i < lines.length; i++) if (lines[i]!.toLowerCase().includes(query)) out.push(i);
    return out;
  }, [query, version]);

  // Lines put before the first ones: keep the reader's place by scrolling down by their height.
  const seenPrepended = useRef(0);
  useLayoutEffect(() => {
    const added = prepended - seenPrepended.current;
    seenPrepended.current = prepended;
    if (added > 0 && scroller.current) scroller.current.scrollTop += added * LINE_HEIGHT;
  }, [prepended]);

  // Follow the end while new lines arrive, unless the reader scrolled away from it.
  useEffect(() => {
    if (follow && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [version, follow, lines.length, virtualizer]);

  // A linked line: scroll to it once it is there.
  useEffect(() => {
    const index = search.line === undefined ? -1 : search.line - firstLine;
    if (index >= 0 && index < lines.length) virtualizer.scrollToIndex(index, { align: 'center' });
  }, [search.line, lines.length > 0, virtualizer]);

  useEffect(() => {
    const m = matches[matchIndex];
    if (m !== undefined) {
      setFollow(false);
      virtualizer.scrollToIndex(m, { align: 'center' });
    }
  }, [matches, matchIndex, virtualizer]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < LINE_HEIGHT * 2);
    // Near the top of what was read: read the page before it.
    if (hasEarlier && el.scrollTop < LINE_HEIGHT * 100) loadEarlier();
  };
  const step = (d: number) => matches.length > 0 && setMatchIndex((i) => (i + d + matches.length) % matches.length);
  const current = matches[matchIndex];

  return (
    <div className={classes.wrap}>
      <Group gap="xs" mb={6} wrap="nowrap">
        <TextInput
          size="xs"
          placeholder="Search the log"
          aria-label="Search the log"
          value={rawQuery}
          onChange={(e) => {
            setRawQuery(e.currentTarget.value);
            setMatchIndex(0);
          }}
          onKeyDown={(e) => e.key === 'Enter' && step(e.shiftKey ? -1 : 1)}
          style={{ flex: 1 }}
        />
        {loadingEarlier && <Loader size="xs" aria-label="loading earlier lines" />}
        {query && (
          <Text size="xs" c="dimmed" miw={60} ta="center" aria-live="polite">
            {matches.length === 0 ? 'no match' : `${matchIndex + 1} / ${matches.length}`}
            {hasEarlier ? ' (lines read so far)' : ''}
          </Text>
        )}
        <ActionIcon variant="subtle" size="sm" onClick={() => step(-1)} aria-label="Previous match" disabled={matches.length === 0}>
          <ArrowUpIcon />
        </ActionIcon>
        <ActionIcon variant="subtle" size="sm" onClick={() => step(1)} aria-label="Next match" disabled={matches.length === 0}>
          <ArrowDownIcon />
        </ActionIcon>
        <Tooltip label="Download the log">
          <ActionIcon component="a" href={logQuery(logUrl, 'full_content=true')} download variant="subtle" size="sm" aria-label="Download the log">
            <DownloadIcon />
          </ActionIcon>
        </Tooltip>
      </Group>
      <div ref={scroller} className={classes.scroller} onScroll={onScroll} role="log" aria-label="task log" aria-live="off" data-testid="log">
        {loading && (
          <Group p="sm" gap="xs">
            <Loader size="xs" />
            <Text size="xs">Loading the log…</Text>
          </Group>
        )}
        {!loading && lines.length === 0 && (
          <Text size="xs" c="dimmed" p="sm">
            {error ?? (missing ? (live ? 'Waiting for the log…' : 'No log was found for this try.') : 'The log is empty.')}
          </Text>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const n = item.index + firstLine;
            return (
              <div
                key={item.index}
                className={classes.line}
                data-linked={search.line === n ? true : undefined}
                data-match={current === item.index ? true : undefined}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <Anchor
                  className={classes.number}
                  href={`#L${n}`}
                  onClick={(e) => {
                    e.preventDefault();
                    void navigate({ to: '.', search: (s) => ({ ...s, line: n }), replace: true });
                  }}
                  aria-label={`line ${n}`}
                >
                  {n}
                </Anchor>
                <span className={classes.text}>
                  <Highlighted text={lines[item.index] ?? ''} query={query} />
                </span>
              </div>
            );
          })}
        </div>
      </div>
      {live && (
        <Text size="xs" c="dimmed" mt={4}>
          <Loader size={8} type="dots" /> live {follow ? '· following the end' : '· scroll to the end to follow'}
        </Text>
      )}
    </div>
  );
}
