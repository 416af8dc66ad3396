// DAG dependencies (Airflow's Browse > DAG Dependencies): which DAG triggers which (d.triggerDagRun),
// which waits for which (sensors.externalTask), and the assets between the DAGs that update them
// and those scheduled on them, laid out by ELK. `?dag=ID` keeps what is connected to one DAG;
// clicking a DAG opens it.
import { Alert, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { MarkerType, type Edge } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { api, ok } from '../../api/client.js';
import { AnchorLink } from '../../components/AnchorLink.js';
import { FlowCanvas } from '../../components/FlowCanvas.js';
import { layoutGraph, type LaidOut } from '../dag/graph/elk-layout.js';
import { LoadError } from '../admin/LoadError.js';
import { connectedTo, drawnEdges, edgeStyle } from './dependency-graph.js';
import { DependencyNode, type DependencyFlowNode } from './DependencyNode.js';

const nodeTypes = { dependency: DependencyNode };
const NODE = { width: 220, height: 46 };

export function DependenciesPage() {
  const navigate = useNavigate();
  const focusDag = (useSearch({ strict: false }) as { dag?: string }).dag;
  const answer = useQuery({ queryKey: ['ui-dependencies'], queryFn: () => ok(api.GET('/ui/dependencies')) });
  const focus = focusDag === undefined ? null : `dag:${focusDag}`;
  const graph = useMemo(() => (answer.data ? connectedTo(answer.data, focus) : undefined), [answer.data, focus]);
  const [layout, setLayout] = useState<LaidOut | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shape = graph ? `${graph.nodes.map((n) => n.id).join('\n')}|${graph.edges.map((e) => `${e.source}>${e.target}`).join('\n')}` : '';

  useEffect(() => {
    if (!graph || graph.nodes.length === 0) return;
    let cancelled = false;
    setLayout(null);
    layoutGraph(graph.nodes.map((n) => ({ id: n.id, ...NODE })), graph.edges, 170).then(
      (l) => !cancelled && setLayout(l),
      (err: unknown) => !cancelled && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      cancelled = true;
    };
    // Lay out again only when the graph's shape changes.
  }, [shape]);

  const nodes: DependencyFlowNode[] = useMemo(() => (layout && graph ? graph.nodes.map((n) => ({
    id: n.id,
    type: 'dependency' as const,
    position: layout.positions.get(n.id) ?? { x: 0, y: 0 },
    draggable: false,
    data: { kind: n.kind, label: n.label, exists: n.exists, isActive: n.is_active, isPaused: n.is_paused, focused: n.id === focus },
  })) : []), [layout, graph, focus]);
  const edges: Edge[] = useMemo(() => drawnEdges(graph?.edges ?? []).map((e, i) => ({
    id: `${i}:${e.source}>${e.target}`,
    source: e.source,
    target: e.target,
    label: e.label,
    labelStyle: { fontSize: 10 },
    style: edgeStyle(e.kind),
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
  })), [graph]);

  const dagCount = graph?.nodes.filter((n) => n.kind === 'dag').length ?? 0;
  const assetCount = graph?.nodes.filter((n) => n.kind === 'asset').length ?? 0;
  const aliasCount = graph?.nodes.filter((n) => n.kind === 'alias').length ?? 0;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={2}>DAG dependencies</Title>
        {graph && (
          <Text c="dimmed" size="sm" data-testid="dependencies-count">
            {dagCount} {dagCount === 1 ? 'DAG' : 'DAGs'} · {assetCount} {assetCount === 1 ? 'asset' : 'assets'}
            {aliasCount > 0 && ` · ${aliasCount} ${aliasCount === 1 ? 'alias' : 'aliases'}`}
            {focusDag !== undefined && (
              <>
                {' · connected to '}
                <Text span ff="monospace" size="sm">{focusDag}</Text>
                {' · '}
                <AnchorLink size="sm" to="/dependencies" search={{}}>show all</AnchorLink>
              </>
            )}
          </Text>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        Solid: a task triggers the other DAG (<Text span ff="monospace" size="sm">d.triggerDagRun</Text>). Dashed: a sensor waits for
        the other DAG (<Text span ff="monospace" size="sm">sensors.externalTask</Text>). Dotted: a task updates an asset, a DAG is
        scheduled on it; a dashed round node is an asset alias, with the assets it resolved to. Click a DAG to open it.
      </Text>
      <LoadError error={answer.error} what="the DAG dependencies" />
      {error && <Alert color="red" title="Could not lay the graph out">{error}</Alert>}
      {graph && graph.nodes.length === 0 && (
        <Alert color="gray" data-testid="dependencies-empty">
          {focusDag === undefined ? 'No DAG depends on another: no trigger tasks, no sensors on other DAGs, no assets.' : `DAG ${focusDag} depends on no other DAG and no other DAG on it.`}
        </Alert>
      )}
      {graph && graph.nodes.length > 0 && !layout && !error && <Skeleton height={320} />}
      {layout && (
        <FlowCanvas
          testId="dependencies-graph"
          height="min(75vh, 720px)"
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodeClick={(node) => {
            if (node.data.kind === 'dag' && node.data.exists) void navigate({ to: '/dags/$dagId', params: { dagId: node.data.label }, search: {} });
            // An asset opens its events on the assets page.
            if (node.data.kind === 'asset') void navigate({ to: '/assets', search: { uri: node.data.label } });
          }}
        />
      )}
    </Stack>
  );
}
