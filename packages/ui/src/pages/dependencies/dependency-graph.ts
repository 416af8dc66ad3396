// The dependencies answer as the page draws it: optionally only what is connected to one DAG
// (upstream and downstream, through assets too), and each edge's label and line style.
import type { Ok } from '../../api/client.js';

export type Dependencies = Ok<'/ui/dependencies'>;
export type DependencyEdge = Dependencies['edges'][number];

/** The nodes and edges connected to `focus` (a node id), in both directions; everything when null. */
export function connectedTo(graph: Dependencies, focus: string | null): Dependencies {
  if (focus === null) return graph;
  const seen = new Set([focus]);
  const work = [focus];
  while (work.length > 0) {
    const id = work.pop()!;
    for (const e of graph.edges) {
      const next = e.source === id ? e.target : e.target === id ? e.source : null;
      if (next !== null && !seen.has(next)) {
        seen.add(next);
        work.push(next);
      }
    }
  }
  return { nodes: graph.nodes.filter((n) => seen.has(n.id)), edges: graph.edges.filter((e) => seen.has(e.source) && seen.has(e.target)) };
}

const VERBS: Record<DependencyEdge['kind'], string> = {
  trigger: 'triggers', sensor: 'sensor', outlet: 'updates', schedule: 'schedules', alias_outlet: 'adds through', alias_schedule: 'schedules', resolves: 'resolved to',
};

/** What an edge says on the graph: the verb and the task that makes it. */
export function edgeLabel(e: DependencyEdge): string {
  return e.task_id === null ? VERBS[e.kind] : `${VERBS[e.kind]} · ${e.task_id}`;
}

/** One line per pair of nodes (a trigger and a sensor between the same DAGs would be drawn on top of each other), its labels joined. */
export interface DrawnEdge {
  source: string;
  target: string;
  /** The strongest kind: trigger, then sensor, then the asset kinds. */
  kind: DependencyEdge['kind'];
  label: string;
}

const STRENGTH: DependencyEdge['kind'][] = ['trigger', 'sensor', 'outlet', 'schedule', 'alias_outlet', 'alias_schedule', 'resolves'];

export function drawnEdges(edges: readonly DependencyEdge[]): DrawnEdge[] {
  const byPair = new Map<string, DependencyEdge[]>();
  for (const e of edges) {
    const key = `${e.source}\u0000${e.target}`;
    byPair.set(key, [...(byPair.get(key) ?? []), e]);
  }
  return [...byPair.values()].map((group) => {
    const sorted = [...group].sort((a, b) => STRENGTH.indexOf(a.kind) - STRENGTH.indexOf(b.kind));
    return { source: sorted[0]!.source, target: sorted[0]!.target, kind: sorted[0]!.kind, label: sorted.map(edgeLabel).join(' + ') };
  });
}

/** Triggers solid, sensors dashed, assets dotted (the asset's own colour). */
export function edgeStyle(kind: DependencyEdge['kind']): { stroke: string; strokeDasharray?: string } {
  if (kind === 'trigger') return { stroke: 'var(--mantine-color-blue-filled)' };
  if (kind === 'sensor') return { stroke: 'var(--mantine-color-violet-filled)', strokeDasharray: '6 4' };
  return { stroke: 'var(--mantine-color-teal-filled)', strokeDasharray: '2 4' };
}
