// The edge from a setup task to its teardown: dashed, arcing over the work between them (drawn
// straight it would run behind the work tasks of the same row). It pairs the two; no work flows on it.
import { BaseEdge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';

export const PairEdge = memo(function PairEdge({ id, sourceX, sourceY, targetX, targetY, markerEnd, style }: EdgeProps) {
  // High enough to clear a node's half height (about 30 px) at the curve's top (3/4 of the lift).
  const lift = Math.min(160, 70 + Math.abs(targetX - sourceX) / 10);
  const path = `M ${sourceX},${sourceY} C ${sourceX + 80},${sourceY - lift} ${targetX - 80},${targetY - lift} ${targetX},${targetY}`;
  return <BaseEdge id={id} path={path} markerEnd={markerEnd} style={{ ...style, strokeDasharray: '5 4' }} />;
});
