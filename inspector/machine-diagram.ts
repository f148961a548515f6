import type { AnyStateMachine } from 'xstate';
import { renderDiagramSvg } from './diagram-svg.js';
import { layoutGraph, type GraphLayout } from './graph-layout.js';
import { machineGraph, type MachineGraph } from './machine-graph.js';

export { activeStateIds, machineGraph, transitionEdgeIds, type DiagramEdge, type DiagramNode, type MachineGraph } from './machine-graph.js';

export interface MachineDiagram {
  graph: MachineGraph;
  layout: GraphLayout;
  svg: string;
}

// A machine's definition never changes, and ELK takes tens of milliseconds: lay each out once.
const diagrams = new WeakMap<AnyStateMachine, Promise<MachineDiagram>>();

/** The statechart of `machine`: its graph, ELK layout and SVG, computed once per machine. */
export function machineDiagram(machine: AnyStateMachine): Promise<MachineDiagram> {
  let diagram = diagrams.get(machine);
  if (!diagram) {
    diagram = build(machine);
    diagrams.set(machine, diagram);
    // A failed layout is not cached: the next page load tries again.
    diagram.catch(() => diagrams.delete(machine));
  }
  return diagram;
}

async function build(machine: AnyStateMachine): Promise<MachineDiagram> {
  const graph = machineGraph(machine);
  const layout = await layoutGraph(graph);
  return { graph, layout, svg: renderDiagramSvg(layout, graph.machineId) };
}
