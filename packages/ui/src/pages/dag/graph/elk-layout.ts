/**
 * Lays the DAG out with ELK (layered, left to right) in a Web Worker, so a DAG of hundreds of
 * tasks never blocks the page. The worker script is a file of the build (no CDN), loaded only
 * when the graph is first shown.
 */
import ELK, { type ElkNode } from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 46;

let elk: InstanceType<typeof ELK> | undefined;
// Layouts by the DAG's shape: the DAG page starts one as soon as it has the tasks, so the Graph
// tab usually finds it done (the worker's start and ELK's run overlap the grid's loading).
const layouts = new Map<string, Promise<LaidOut>>();
const MAX_LAYOUTS = 20;

export interface LaidOut {
  positions: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
}

type Shape = readonly { task_id: string; downstream_task_ids: string[] }[];

/** A key naming the DAG's shape (its tasks and edges). */
export const shapeKey = (tasks: Shape): string => tasks.map((t) => `${t.task_id}>${t.downstream_task_ids.join(',')}`).join(';');

/** The layout of this shape, computed once (a failed one is tried again next time). */
export function layoutDag(tasks: Shape): Promise<LaidOut> {
  const key = shapeKey(tasks);
  let p = layouts.get(key);
  if (!p) {
    if (layouts.size >= MAX_LAYOUTS) layouts.delete(layouts.keys().next().value!);
    p = runLayout(tasks);
    layouts.set(key, p);
    p.catch(() => layouts.delete(key));
  }
  return p;
}

function runLayout(tasks: Shape): Promise<LaidOut> {
  const ids = new Set(tasks.map((t) => t.task_id));
  return layoutGraph(
    tasks.map((t) => ({ id: t.task_id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    tasks.flatMap((t) => t.downstream_task_ids.filter((d) => ids.has(d)).map((d) => ({ source: t.task_id, target: d }))),
  );
}

/** Any directed graph laid out the same way (layered, left to right), e.g. the DAG dependencies page. */
export async function layoutGraph(
  nodes: readonly { id: string; width: number; height: number }[],
  edges: readonly { source: string; target: string }[],
  /** Room between layers, for edge labels. Default 60. */
  layerSpacing = 60,
): Promise<LaidOut> {
  elk ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl) });
  const input: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': String(layerSpacing),
      'elk.spacing.nodeNode': '24',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: edges.map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  };
  const graph = await elk.layout(input);
  const positions = new Map<string, { x: number; y: number }>();
  for (const c of graph.children ?? []) positions.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  return { positions, width: graph.width ?? 0, height: graph.height ?? 0 };
}
