// The graph: the target's requirement graph drawn with Cytoscape.js and the
// dagre layered layout (loaded only when the tab is first shown, so it costs
// nothing at start-up), and a table that says the same for screen readers.
// Held, planned, remaining and expired credentials differ by shape AND colour.

import type { GraphDto } from "../bindings/GraphDto";
import type { GraphNodeStatusDto } from "../bindings/GraphNodeStatusDto";
import { state, titleOf } from "../app";
import { type Child, h, s } from "../dom";
import { kindLabel } from "../format";

export const STATUS_LABELS: Record<GraphNodeStatusDto, string> = {
  target: "Target",
  held: "Held",
  planned: "Planned",
  remaining: "Not in the plan",
  expired: "Expired",
};

/** The SVG glyph of each status, matching the node shapes on the canvas. */
function glyph(status: GraphNodeStatusDto): SVGElement {
  const shapes: Record<GraphNodeStatusDto, SVGElement> = {
    target: s("polygon", { points: "9,1 17,9 9,17 1,9" }),
    held: s("rect", { x: 1, y: 3, width: 16, height: 12, rx: 4 }),
    planned: s("ellipse", { cx: 9, cy: 9, rx: 8, ry: 6 }),
    remaining: s("rect", { x: 1, y: 3, width: 16, height: 12 }),
    expired: s("polygon", { points: "5,2 13,2 17,9 13,16 5,16 1,9" }),
  };
  return s("svg", { class: `glyph glyph-${status}`, width: 18, height: 18, viewBox: "0 0 18 18", "aria-hidden": "true" }, shapes[status]);
}

let canvasModule: Promise<typeof import("../graph-canvas")> | null = null;

/** Whether credentials outside the plan are drawn too (they crowd the picture). */
let showRemaining = false;

/** The part of the graph on show: the plan's path, or everything. */
function visiblePart(graph: GraphDto): GraphDto {
  if (showRemaining) return graph;
  const nodes = graph.nodes.filter((n) => n.status !== "remaining");
  const kept = new Set(nodes.map((n) => n.id));
  return { nodes, edges: graph.edges.filter((e) => kept.has(e.from) && kept.has(e.to)) };
}

let onToggle: () => void = () => {};

/** Draws the graph view; `redraw` re-renders it when the filter changes. */
export function renderGraph(visible: boolean, redraw: () => void): Child[] {
  onToggle = redraw;
  if (!state.learner?.target) return [h("p", { class: "muted" }, "Choose a target to see its requirement graph.")];
  const whole = state.graph;
  if (!whole) return [h("p", { class: "muted" }, state.planning ? "Planning…" : "No graph.")];
  const graph = visiblePart(whole);
  const hidden = whole.nodes.length - graph.nodes.length;
  const toggle = h(
    "label",
    { class: "toggle" },
    h("input", {
      type: "checkbox",
      id: "graph-show-remaining",
      "data-key": "graph-show-remaining",
      checked: showRemaining,
      on: {
        change: (e) => {
          showRemaining = (e.target as HTMLInputElement).checked;
          onToggle();
        },
      },
    }),
    ` Show the credentials not in the plan${hidden ? ` (${hidden} more)` : ""}`,
  );

  const canvas = h("div", {
    class: "graph-canvas",
    id: "graph-canvas",
    role: "application",
    "aria-roledescription": "graph",
    tabindex: 0,
    "aria-label": `Requirement graph of ${titleOf(state.learner.target)}: arrow keys pan, plus and minus zoom, 0 goes back to the start; the table below lists the same.`,
  });
  if (visible) void draw(canvas, graph);

  const legend = h(
    "ul",
    { class: "legend", "aria-label": "Legend" },
    (Object.keys(STATUS_LABELS) as GraphNodeStatusDto[]).map((st) => h("li", null, glyph(st), STATUS_LABELS[st])),
  );

  const legendNote = h("p", { class: "muted small" }, "Arrows point from a credential to what it counts toward. Drag or use the arrow keys to pan, scroll or press + and − to zoom, 0 to go back to the start.");

  const requiredBy = new Map<string, string[]>();
  for (const e of graph.edges) requiredBy.set(e.to, [...(requiredBy.get(e.to) ?? []), e.from]);

  const table = h(
    "table",
    { class: "data", id: "graph-table" },
    h("caption", null, "Every credential in the graph, its status, and what needs it"),
    h(
      "thead",
      null,
      h("tr", null, ["Credential", "Kind", "Status", "Needed by"].map((t) => h("th", { scope: "col" }, t))),
    ),
    h(
      "tbody",
      null,
      graph.nodes.map((n) =>
        h(
          "tr",
          { "data-id": n.id, "data-status": n.status },
          h("td", null, h("span", { class: "title" }, n.title), h("span", { class: "id" }, n.id)),
          h("td", null, kindLabel(n.kind)),
          h("td", null, h("span", { class: `status status-${n.status}` }, glyph(n.status), STATUS_LABELS[n.status])),
          h("td", null, (requiredBy.get(n.id) ?? []).map((id) => titleOf(id)).join(", ")),
        ),
      ),
    ),
  );
  return [h("div", { class: "graph-controls" }, legend, toggle), legendNote, canvas, table];
}

async function draw(container: HTMLElement, graph: GraphDto): Promise<void> {
  canvasModule ??= import("../graph-canvas");
  const { drawGraph } = await canvasModule;
  // The container must be in the document and sized before Cytoscape measures it.
  requestAnimationFrame(() => drawGraph(container, graph));
}
