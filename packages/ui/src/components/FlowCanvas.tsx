// A laid-out graph drawn by React Flow, read-only (no dragging, no connecting), fitted to its box,
// with the background grid and zoom controls: the DAG's graph and the DAG dependencies page.
import '@xyflow/react/dist/style.css';
import { Background, Controls, ReactFlow, type Edge, type EdgeTypes, type Node, type NodeTypes } from '@xyflow/react';
import classes from './FlowCanvas.module.css';

export function FlowCanvas<N extends Node>(props: {
  nodes: N[];
  edges: Edge[];
  nodeTypes: NodeTypes;
  /** Edge kinds beyond React Flow's own. */
  edgeTypes?: EdgeTypes;
  onNodeClick: (node: N) => void;
  testId: string;
  /** CSS height of the box. Default min(70vh, 640px). */
  height?: string;
}) {
  return (
    <div className={classes.canvas} style={props.height ? { height: props.height } : undefined} data-testid={props.testId}>
      <ReactFlow
        nodes={props.nodes}
        edges={props.edges}
        nodeTypes={props.nodeTypes}
        {...(props.edgeTypes ? { edgeTypes: props.edgeTypes } : {})}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
        minZoom={0.1}
        nodesConnectable={false}
        nodesDraggable={false}
        colorMode="system"
        onNodeClick={(_, node) => props.onNodeClick(node)}
      >
        <Background gap={16} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
