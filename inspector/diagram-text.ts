import type { DiagramEdge, DiagramNode } from './machine-graph.js';

// The diagram is set in a monospace font so text can be measured on the server, where the
// layout runs, without a browser: every character is CHAR_WIDTH wide.
export const FONT_FAMILY = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace';
export const FONT_SIZE = 11;
export const CHAR_WIDTH = FONT_SIZE * 0.62;
export const LINE_HEIGHT = 15;
export const HEADER_HEIGHT = 24;
export const PAD = 10;
const WRAP = 38;

/** A line of text inside a state box; `edge` and `label` are set on the lines of a targetless transition. */
export interface BoxLine {
  text: string;
  kind: 'invoke' | 'entry' | 'exit' | 'transition';
  edge?: string;
  label?: string;
}

/** What a state box lists under its name: invoked actors, entry/exit actions, transitions that stay in the state. */
export function boxLines(node: DiagramNode, edges: readonly DiagramEdge[]): BoxLine[] {
  const lines: BoxLine[] = [];
  for (const src of node.invokes) lines.push({ text: `invoke ${src}`, kind: 'invoke' });
  if (node.entry.length > 0) for (const text of wrap(`entry / ${node.entry.join(', ')}`)) lines.push({ text, kind: 'entry' });
  if (node.exit.length > 0) for (const text of wrap(`exit / ${node.exit.join(', ')}`)) lines.push({ text, kind: 'exit' });
  for (const edge of edges) {
    if (edge.source !== node.id || !edge.targetless) continue;
    const text = edge.actions.length > 0 ? `${edge.label} / ${edge.actions.join(', ')}` : edge.label;
    for (const line of wrap(text)) lines.push({ text: line, kind: 'transition', edge: edge.id, label: edge.label });
  }
  return lines;
}

/** An edge's label: the event (and guard), then its actions. */
export function edgeLines(edge: DiagramEdge): string[] {
  return [edge.label, ...(edge.actions.length > 0 ? wrap(`/ ${edge.actions.join(', ')}`) : [])];
}

export function textWidth(lines: readonly string[]): number {
  return Math.ceil(Math.max(0, ...lines.map((line) => line.length)) * CHAR_WIDTH);
}

/** Breaks after commas so a long action list stays a readable column. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/(?<=, )/)) {
    if (current !== '' && current.length + word.length > WRAP) {
      lines.push(current.trimEnd());
      current = '  ';
    }
    current += word;
  }
  lines.push(current.trimEnd());
  return lines;
}
