// The DAG's tasks laid out by ELK, coloured by their state in the selected run (else the newest);
// clicking a task opens its task instance. Loaded lazily with its tab.
import { Alert, Group, Skeleton, Text } from '@mantine/core';
import { MarkerType, type Edge } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { FlowCanvas } from '../../../components/FlowCanvas.js';
import { useSelect, type DagSelection } from '../DagPage.js';
import type { GridData, TaskNode as TaskNodeModel } from '../grid-model.js';
import { indexCells } from '../grid-model.js';
import { layoutDag, NODE_HEIGHT, shapeKey, type LaidOut } from './elk-layout.js';
import { PairEdge } from './PairEdge.js';
import { TaskNode, type TaskFlowNode } from './TaskNode.js';

const nodeTypes = { task: TaskNode };
const edgeTypes = { pair: PairEdge };

export default function GraphView(props: { dagId: string; tasks: TaskNodeModel[]; grid: GridData | undefined; selection: DagSelection }) {
  const { dagId, tasks, grid, selection } = props;
  const select = useSelect();
  const [layout, setLayout] = useState<LaidOut | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shape = shapeKey(tasks);

  useEffect(() => {
    if (tasks.length === 0) return;
    let cancelled = false;
    layoutDag(tasks).then(
      (l) => !cancelled && setLayout(l),
      (err: unknown) => !cancelled && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      cancelled = true;
    };
    // Lay out again only when the DAG's shape changes.
  }, [shape]);

  const runId = selection.runId ?? grid?.dag_runs[0]?.dag_run_id;
  const cells = useMemo(() => indexCells(grid?.task_instances ?? []), [grid]);
  const nodes: TaskFlowNode[] = useMemo(
    () =>
      layout
        ? tasks.map((t) => ({
            id: t.task_id,
            type: 'task' as const,
            position: layout.positions.get(t.task_id) ?? { x: 0, y: 0 },
            draggable: false,
            data: {
              taskId: t.task_id,
              ...(t.class_ref ? { operator: t.class_ref.class_name } : {}),
              ...(t.trigger_rule ? { triggerRule: t.trigger_rule } : {}),
              ...(t.is_setup ? { role: 'setup' as const } : t.is_teardown ? { role: 'teardown' as const } : {}),
              state: runId ? (cells.get(`${runId}\0${t.task_id}`)?.state ?? null) : null,
              selected: selection.taskId === t.task_id,
            },
          }))
        : [],
    [layout, tasks, cells, runId, selection.taskId],
  );
  const edges: Edge[] = useMemo(() => {
    const teardowns = new Set(tasks.filter((t) => t.is_teardown).map((t) => t.task_id));
    return tasks.flatMap((t) =>
      t.downstream_task_ids.map((d) => ({
        id: `${t.task_id}->${d}`,
        source: t.task_id,
        target: d,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        // A setup's edge to its teardown is drawn dashed (as Airflow does), over the work between them.
        ...(t.is_setup && teardowns.has(d) ? { type: 'pair' } : {}),
      })),
    );
  }, [tasks]);

  if (error) return <Alert color="red" title="Could not lay the graph out">{error}</Alert>;
  if (!layout) return <Skeleton height={Math.max(200, NODE_HEIGHT * 4)} />;
  return (
    <div>
      <Group justify="space-between" mb={6}>
        <Text size="xs" c="dimmed">
          {tasks.length} tasks{runId ? ` · states of run ${runId}` : ''}
        </Text>
      </Group>
      <FlowCanvas testId="graph" nodes={nodes} edges={edges} nodeTypes={nodeTypes} edgeTypes={edgeTypes} onNodeClick={(node) => runId && select.task(dagId, runId, node.id)} />
    </div>
  );
}
