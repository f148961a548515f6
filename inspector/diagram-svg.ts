import { FONT_FAMILY, FONT_SIZE, HEADER_HEIGHT, LINE_HEIGHT, PAD } from './diagram-text.js';
import type { GraphLayout, PlacedEdge, PlacedNode } from './graph-layout.js';

/**
 * Draws a laid-out statechart as a self-contained SVG string. Every state is a
 * `<g class="state" data-state="<state id>">` and every transition (the line of a targetless one
 * included) carries `data-edge="<edge id>"`, so a page marks the current states with `.active`
 * and the transition just taken with `.last` without redrawing.
 */
export function renderDiagramSvg(layout: GraphLayout, machineId: string): string {
  const arrow = `arrow-${slug(machineId)}`;
  const compound = new Set(layout.nodes.map((node) => node.parent));
  const nodes = [...layout.nodes]
    .sort((a, b) => a.depth - b.depth)
    .map((node) => stateSvg(node, compound.has(node.id)))
    .join('');
  const edges = layout.edges.map((edge) => transitionSvg(edge, arrow)).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="statechart" data-machine="${escapeXml(machineId)}" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="${escapeXml(machineId)} statechart">`,
    `<style>${baseStyle(arrow)}</style>`,
    '<defs>',
    `<marker id="${arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker>`,
    `<marker id="${arrow}-last" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead last"/></marker>`,
    '</defs>',
    `<g class="states">${nodes}</g>`,
    `<g class="transitions">${edges}</g>`,
    '</svg>',
  ].join('');
}

function stateSvg(node: PlacedNode, compound: boolean): string {
  const classes = ['state', node.depth === 0 ? 'machine' : '', compound ? 'compound' : '', node.initial ? 'initial' : '', node.final ? 'final' : '']
    .filter(Boolean)
    .join(' ');
  const title = [node.id, ...node.lines.map((line) => line.text.trim())].join('\n');
  const nameX = node.x + PAD + (node.initial ? 12 : 0);
  const parts = [
    `<g class="${classes}" data-state="${escapeXml(node.id)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect class="state-box" x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}" rx="8"/>`,
    node.final ? `<rect class="state-final" x="${node.x + 3}" y="${node.y + 3}" width="${node.width - 6}" height="${node.height - 6}" rx="6"/>` : '',
    node.initial ? `<circle class="initial-dot" cx="${node.x + PAD + 4}" cy="${node.y + HEADER_HEIGHT / 2 + 1}" r="4"/>` : '',
    `<text class="state-name" x="${nameX}" y="${node.y + HEADER_HEIGHT / 2 + 5}">${escapeXml(node.key)}</text>`,
  ];
  node.lines.forEach((line, i) => {
    const y = node.y + HEADER_HEIGHT + i * LINE_HEIGHT + 10;
    const edge = line.edge === undefined ? '' : ` data-edge="${escapeXml(line.edge)}" data-source="${escapeXml(node.id)}" data-target="${escapeXml(node.id)}" data-label="${escapeXml(line.label ?? '')}"`;
    parts.push(`<text class="state-line ${line.kind}"${edge} x="${node.x + PAD}" y="${y}">${escapeXml(line.text)}</text>`);
  });
  parts.push('</g>');
  return parts.join('');
}

function transitionSvg(edge: PlacedEdge, arrow: string): string {
  const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
  const { x, y, width, height } = edge.labelBox;
  const text = edge.labelLines
    .map((line, i) => `<tspan x="${round(x + 3)}" y="${round(y + 12 + i * LINE_HEIGHT)}" class="${i === 0 ? 'event' : 'actions'}">${escapeXml(line)}</tspan>`)
    .join('');
  return [
    `<g class="transition" data-edge="${escapeXml(edge.id)}" data-source="${escapeXml(edge.source)}" data-target="${escapeXml(edge.target)}" data-label="${escapeXml(edge.label)}">`,
    `<title>${escapeXml(`${edge.source} → ${edge.target}\n${edge.labelLines.join('\n')}`)}</title>`,
    `<path class="edge-line" d="${d}" marker-end="url(#${arrow})"/>`,
    `<rect class="edge-label-box" x="${round(x)}" y="${round(y)}" width="${round(width)}" height="${round(height)}" rx="3"/>`,
    `<text class="edge-label">${text}</text>`,
    '</g>',
  ].join('');
}

/** Enough style for the SVG to read on its own; the inspector page adds the live classes' colours. */
function baseStyle(arrow: string): string {
  return [
    `.statechart{font-family:${FONT_FAMILY};font-size:${FONT_SIZE}px}`,
    '.statechart .state-box{fill:#fff;stroke:#8a94a6;stroke-width:1.2}',
    '.statechart .machine>.state-box{fill:#f6f8fb;stroke-dasharray:4 3}',
    '.statechart .state-final{fill:none;stroke:#8a94a6}',
    '.statechart .initial-dot{fill:#3b4252}',
    '.statechart .state-name{font-weight:700;fill:#1f2937}',
    '.statechart .state-line{fill:#566074}',
    '.statechart .state-line.transition{fill:#334e8a}',
    '.statechart .edge-line{fill:none;stroke:#6b7a99;stroke-width:1.3}',
    '.statechart .arrowhead{fill:#6b7a99}',
    '.statechart .arrowhead.last{fill:#d9480f}',
    '.statechart .edge-label-box{fill:#fff;fill-opacity:.9}',
    '.statechart .edge-label{fill:#334e8a}',
    '.statechart .edge-label .actions{fill:#6b7280}',
    `.statechart .transition.last .edge-line{stroke:#d9480f;stroke-width:2.4;marker-end:url(#${arrow}-last)}`,
  ].join('');
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
