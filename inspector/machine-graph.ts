import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition, StateValue } from 'xstate';

/** A state of a machine, as the diagram draws it. `id` is xstate's state node id (`session.running.streaming`). */
export interface DiagramNode {
  id: string;
  key: string;
  parent: string | null;
  /** The state its parent enters first. */
  initial: boolean;
  final: boolean;
  /** The actors the state invokes while it is active, by their `src` name. */
  invokes: string[];
  entry: string[];
  exit: string[];
}

/** One transition. A transition without a target (it only runs actions) has `target === source` and `targetless`. */
export interface DiagramEdge {
  id: string;
  source: string;
  target: string;
  /** The event as a reader names it: `TICK`, `always`, `after loadTimeout`, `done: catchUp`, `error: loadDay`. */
  event: string;
  guard?: string;
  actions: string[];
  targetless: boolean;
  /** `event [guard]`, the edge's first label line; actions go on a second. */
  label: string;
}

export interface MachineGraph {
  machineId: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

/**
 * The machine's structure from its state nodes. The serialized definition (`machine.toJSON()`)
 * leaves out `always` transitions and shows inline actions as `null`, so the live `StateNode`s
 * are walked instead.
 */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const invokeSources = new Map<string, string>();
  const visit = (node: AnyStateNode, visitor: (node: AnyStateNode) => void) => {
    visitor(node);
    for (const child of Object.values(node.states) as AnyStateNode[]) visit(child, visitor);
  };
  visit(machine.root, (node) => {
    for (const invoke of node.invoke) invokeSources.set(invoke.id, invokeName(invoke));
  });
  visit(machine.root, (node) => {
    nodes.push({
      id: node.id,
      key: node.key,
      parent: node.parent?.id ?? null,
      initial: node.parent?.initial?.target.includes(node) ?? false,
      final: node.type === 'final',
      invokes: node.invoke.map(invokeName),
      entry: actionNames(node.entry),
      exit: actionNames(node.exit),
    });
    transitionsOf(node).forEach((transition, index) => {
      const event = eventLabel(transition.eventType, node, invokeSources);
      const guard = transition.guard === undefined ? undefined : guardName(transition.guard);
      const targets = transition.target ?? [];
      const common = {
        source: node.id,
        event,
        ...(guard === undefined ? {} : { guard }),
        actions: actionNames(transition.actions),
        label: guard === undefined ? event : `${event} [${guard}]`,
      };
      if (targets.length === 0) edges.push({ id: edgeId(node, index), target: node.id, targetless: true, ...common });
      targets.forEach((target, t) => edges.push({ id: edgeId(node, index, t), target: target.id, targetless: false, ...common }));
    });
  });
  return { machineId: machine.id, nodes, edges };
}

/**
 * The diagram edges a transition taken at run time stands for (xstate's `@xstate.microstep`
 * lists the very transition objects the state nodes hold, so the index finds them).
 */
export function transitionEdgeIds(transition: AnyTransitionDefinition): string[] {
  const source = transition.source;
  const index = transitionsOf(source).indexOf(transition);
  if (index < 0) return [];
  const targets = transition.target ?? [];
  return targets.length === 0 ? [edgeId(source, index)] : targets.map((_, t) => edgeId(source, index, t));
}

/** The ids of every state that is active in `value`, the machine's root included. */
export function activeStateIds(machineId: string, value: StateValue): string[] {
  const ids = [machineId];
  const walk = (prefix: string, current: StateValue) => {
    if (typeof current === 'string') {
      ids.push(`${prefix}.${current}`);
      return;
    }
    for (const [key, child] of Object.entries(current)) {
      ids.push(`${prefix}.${key}`);
      if (child !== undefined) walk(`${prefix}.${key}`, child as StateValue);
    }
  };
  walk(machineId, value);
  return ids;
}

/** A state's transitions in a fixed order: event transitions, then eventless ones. */
function transitionsOf(node: AnyStateNode): AnyTransitionDefinition[] {
  return [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
}

function edgeId(node: AnyStateNode, index: number, target = 0): string {
  return target === 0 ? `${node.id}#${index}` : `${node.id}#${index}.${target}`;
}

function eventLabel(eventType: string, node: AnyStateNode, invokeSources: Map<string, string>): string {
  if (eventType === '') return 'always';
  const after = /^xstate\.after\.(.+)$/.exec(eventType);
  if (after) {
    // `xstate.after.<delay>.<state id>`: the delay is a name from setup({ delays }) or milliseconds.
    const delay = after[1]!.endsWith(`.${node.id}`) ? after[1]!.slice(0, -node.id.length - 1) : after[1]!;
    return /^\d+$/.test(delay) ? `after ${delay}ms` : `after ${delay}`;
  }
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType);
  if (actor) return `${actor[1]}: ${invokeSources.get(actor[2]!) ?? actor[2]}`;
  const stateDone = /^xstate\.done\.state\.(.+)$/.exec(eventType);
  if (stateDone) return `done: ${stateDone[1]!.split('.').pop()}`;
  return eventType;
}

function invokeName(invoke: { id: string; src: unknown }): string {
  return typeof invoke.src === 'string' ? invoke.src : invoke.id;
}

type Named = { type?: unknown; name?: string; id?: unknown; sendId?: unknown; guards?: unknown[]; stateValue?: unknown };

function actionNames(actions: readonly unknown[]): string[] {
  return actions.flatMap((action) => {
    const name = actionName(action);
    return name === undefined ? [] : [name];
  });
}

function actionName(action: unknown): string | undefined {
  if (typeof action === 'string') return action;
  const named = action as Named;
  // `after` schedules its event with a raise on entry and cancels it on exit: the diagram shows both as the `after` edge.
  if (isAfterTimer(named.id) || isAfterTimer(named.sendId)) return undefined;
  if (typeof named.type === 'string') return named.type.replace(/^xstate\./, '');
  return inlineName(named);
}

function isAfterTimer(id: unknown): boolean {
  return typeof id === 'string' && id.startsWith('xstate.after.');
}

function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  const named = guard as Named;
  if (typeof guard === 'function' && Array.isArray(named.guards)) return `${named.name}(${named.guards.map(guardName).join(', ')})`;
  if (typeof guard === 'function' && named.stateValue !== undefined) return `stateIn(${JSON.stringify(named.stateValue)})`;
  if (typeof named.type === 'string') return named.type;
  return inlineName(named);
}

/** An inline function has no name of its own; the one JavaScript infers from a config key (`actions`, `guard`) says nothing. */
function inlineName(fn: Named): string {
  const name = typeof fn === 'function' ? (fn as { name: string }).name : '';
  return name && !['actions', 'entry', 'exit', 'guard'].includes(name) ? name : '(inline)';
}
