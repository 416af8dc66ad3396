// The last runs of a DAG as small bars, oldest left; empty slots keep the strips aligned.
import { Tooltip } from '@mantine/core';
import type { RunRef } from '../api/types.js';
import { stateCssColor } from './state-colors.js';
import { formatDate } from './time.js';
import classes from './RunStrip.module.css';

export function RunStrip({ runs, slots }: { runs: RunRef[]; slots: number }) {
  const shown = runs.slice(0, slots).reverse();
  const pad = slots - shown.length;
  return (
    <div className={classes.strip} role="list" aria-label="recent runs">
      {Array.from({ length: pad }, (_, i) => (
        <span key={`pad${i}`} className={classes.empty} />
      ))}
      {shown.map((r) => (
        <Tooltip key={r.dag_run_id} label={`${r.state} · ${formatDate(r.logical_date ?? r.start_date)} · ${r.dag_run_id}`}>
          <a
            role="listitem"
            href={`/dags/${encodeURIComponent(r.dag_id)}/runs/${encodeURIComponent(r.dag_run_id)}`}
            className={classes.bar}
            style={{ background: stateCssColor(r.state) }}
            aria-label={`run ${r.dag_run_id}: ${r.state}`}
            data-state={r.state}
          />
        </Tooltip>
      ))}
    </div>
  );
}
