// A task in the graph: its id, operator and state colour; the trigger rule when it is not the
// default all_success; "setup" or "teardown" for those tasks (a teardown's rule goes without saying).
import { Badge, Text } from '@mantine/core';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { stateCssColor } from '../../../components/state-colors.js';
import classes from './Graph.module.css';

export type TaskNodeData = {
  taskId: string;
  operator?: string;
  state: string | null;
  triggerRule?: string;
  role?: 'setup' | 'teardown';
  selected: boolean;
};

export type TaskFlowNode = Node<TaskNodeData, 'task'>;

export const TaskNode = memo(function TaskNode({ data }: NodeProps<TaskFlowNode>) {
  return (
    <div
      className={classes.node}
      data-selected={data.selected ? true : undefined}
      data-testid="graph-node"
      data-task={data.taskId}
      data-state={data.state ?? 'none'}
      style={{ borderLeftColor: stateCssColor(data.state) }}
      title={`${data.taskId}${data.role ? ` (${data.role})` : ''}: ${data.state ?? 'no status'}`}
    >
      <Handle type="target" position={Position.Left} className={classes.handle} isConnectable={false} />
      <Text size="xs" fw={600} truncate="end" ff="monospace">
        {data.taskId}
      </Text>
      <Text size="10px" c="dimmed" truncate="end">
        {data.state ? data.state.replaceAll('_', ' ') : 'no status'}
        {data.operator ? ` · ${data.operator}` : ''}
      </Text>
      {data.role && (
        <Badge size="xs" variant="light" color={data.role === 'setup' ? 'teal' : 'orange'} className={classes.role} data-testid="task-role">
          {data.role === 'setup' ? '↑ setup' : '↓ teardown'}
        </Badge>
      )}
      {data.triggerRule && data.triggerRule !== 'all_success' && data.role !== 'teardown' && (
        <Badge size="xs" variant="light" color="violet" className={classes.rule}>
          {data.triggerRule}
        </Badge>
      )}
      <Handle type="source" position={Position.Right} className={classes.handle} isConnectable={false} />
    </div>
  );
});
