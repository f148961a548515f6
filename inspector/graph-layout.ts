import type { ElkExtendedEdge, ElkNode } from 'elkjs';
import { boxLines, edgeLines, HEADER_HEIGHT, LINE_HEIGHT, PAD, textWidth, type BoxLine } from './diagram-text.js';
import type { DiagramEdge, DiagramNode, MachineGraph } from './machine-graph.js';

// elkjs loads with the first layout, not with tapedeck: only the inspector draws. It is CommonJS
// whose typings declare the constructor as a default export; under NodeNext that default is the
// module object, which also carries the constructor as `default`.
const loadElk = () => import('elkjs').then((module) => module.default.default);

export interface Point {
  x: number;
  y: number;
}

export interface Box extends Point {
  width: number;
  height: number;
}

export interface PlacedNode extends DiagramNode, Box {
  depth: number;
  lines: BoxLine[];
}

/** A transition between two states, routed; targetless transitions are lines inside their state instead. */
export interface PlacedEdge extends DiagramEdge {
  points: Point[];
  labelBox: Box;
  labelLines: string[];
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const MARGIN = 12;

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  // Transitions cross state borders (`#session.closing` from inside `running`): lay the whole hierarchy out as one.
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeNode': '16',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeLabel': '4',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  // Absolute coordinates for nodes, labels and edge points: the SVG is drawn flat.
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
};

/** Places the states (nested) and routes the transitions with ELK's layered algorithm. */
export async function layoutGraph(graph: MachineGraph): Promise<GraphLayout> {
  const children = new Map<string | null, DiagramNode[]>();
  for (const node of graph.nodes) children.set(node.parent, [...(children.get(node.parent) ?? []), node]);
  const linesOf = new Map(graph.nodes.map((node) => [node.id, boxLines(node, graph.edges)]));
  const routed = graph.edges.filter((edge) => !edge.targetless);

  const toElk = (node: DiagramNode): ElkNode => {
    const lines = linesOf.get(node.id)!;
    const width = Math.max(textWidth([`● ${node.key}`]) + 2 * PAD, textWidth(lines.map((l) => l.text)) + 2 * PAD, 80);
    const height = HEADER_HEIGHT + lines.length * LINE_HEIGHT + (lines.length > 0 ? PAD / 2 : 0);
    const kids = children.get(node.id) ?? [];
    if (kids.length === 0) return { id: node.id, width, height: Math.max(height, 36) };
    return {
      id: node.id,
      children: kids.map(toElk),
      layoutOptions: {
        'elk.padding': `[top=${height + PAD},left=${PAD * 1.5},bottom=${PAD * 1.5},right=${PAD * 1.5}]`,
        'elk.nodeSize.constraints': '[MINIMUM_SIZE]',
        'elk.nodeSize.minimum': `(${width}, ${height})`,
      },
    };
  };
  const elkEdges: ElkExtendedEdge[] = routed.map((edge) => {
    const lines = edgeLines(edge);
    return {
      id: edge.id,
      sources: [edge.source],
      targets: [edge.target],
      labels: [{ id: `${edge.id}:label`, text: lines.join('\n'), width: textWidth(lines) + 6, height: lines.length * LINE_HEIGHT + 2 }],
    };
  });
  const roots = children.get(null) ?? [];
  const ELK = await loadElk();
  // With INCLUDE_CHILDREN, ELK finds each edge's place in the hierarchy itself: all edges can sit at the top.
  const result = await new ELK().layout({ id: `${graph.machineId}:layout`, layoutOptions: LAYOUT_OPTIONS, children: roots.map(toElk), edges: elkEdges });

  const placedNodes: PlacedNode[] = [];
  const placeNodes = (elk: ElkNode, depth: number) => {
    const node = graph.nodes.find((n) => n.id === elk.id)!;
    placedNodes.push({ ...node, depth, lines: linesOf.get(node.id)!, ...boxOf(elk) });
    for (const child of elk.children ?? []) placeNodes(child, depth + 1);
  };
  for (const root of result.children ?? []) placeNodes(root, 0);

  const elkById = new Map<string, ElkExtendedEdge>();
  const collectEdges = (elk: ElkNode) => {
    for (const edge of elk.edges ?? []) elkById.set(edge.id, edge);
    for (const child of elk.children ?? []) collectEdges(child);
  };
  collectEdges(result);
  const placedEdges = routed.map((edge): PlacedEdge => {
    const elk = elkById.get(edge.id)!;
    const points = (elk.sections ?? [])
      .flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint])
      .map(({ x, y }) => ({ x: x + MARGIN, y: y + MARGIN }));
    const label = elk.labels?.[0];
    return { ...edge, points, labelLines: edgeLines(edge), labelBox: label ? boxOf(label) : { ...(points[0] ?? { x: 0, y: 0 }), width: 0, height: 0 } };
  });

  const width = Math.ceil(Math.max(...placedNodes.map((n) => n.x + n.width), ...placedEdges.map((e) => e.labelBox.x + e.labelBox.width)) + MARGIN);
  const height = Math.ceil(Math.max(...placedNodes.map((n) => n.y + n.height), ...placedEdges.map((e) => e.labelBox.y + e.labelBox.height)) + MARGIN);
  return { width, height, nodes: placedNodes, edges: placedEdges };
}

function boxOf(shape: { x?: number; y?: number; width?: number; height?: number }): Box {
  return { x: (shape.x ?? 0) + MARGIN, y: (shape.y ?? 0) + MARGIN, width: shape.width ?? 0, height: shape.height ?? 0 };
}

