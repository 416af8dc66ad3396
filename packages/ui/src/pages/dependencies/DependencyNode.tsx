// A node of the DAG dependencies graph: a DAG (paused dimmed, one that is not there dashed red), an
// asset or an asset alias, with what it is in small print.
import { Text } from '@mantine/core';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import classes from './Dependencies.module.css';

export type DependencyNodeData = {
  kind: 'dag' | 'asset' | 'alias';
  label: string;
  exists: boolean;
  isActive: boolean;
  isPaused: boolean;
  /** The DAG the page is centred on. */
  focused: boolean;
};

export type DependencyFlowNode = Node<DependencyNodeData, 'dependency'>;

function note(d: DependencyNodeData): string {
  if (d.kind === 'asset') return 'asset';
  if (d.kind === 'alias') return 'asset alias';
  if (!d.exists) return 'DAG · not found';
  if (!d.isActive) return 'DAG · inactive (file gone)';
  return d.isPaused ? 'DAG · paused' : 'DAG';
}

export const DependencyNode = memo(function DependencyNode({ data }: NodeProps<DependencyFlowNode>) {
  return (
    <div
      className={classes.node}
      data-kind={data.kind}
      data-missing={data.kind === 'dag' && !data.exists ? true : undefined}
      data-paused={data.kind === 'dag' && (data.isPaused || !data.isActive) ? true : undefined}
      data-focused={data.focused ? true : undefined}
      data-testid="dependency-node"
      data-node={`${data.kind}:${data.label}`}
      title={`${data.label} (${note(data)})`}
    >
      <Handle type="target" position={Position.Left} className={classes.handle} isConnectable={false} />
      <Text size="xs" fw={600} truncate="end" ff="monospace">
        {data.label}
      </Text>
      <Text size="10px" c="dimmed" truncate="end">
        {note(data)}
      </Text>
      <Handle type="source" position={Position.Right} className={classes.handle} isConnectable={false} />
    </div>
  );
});
