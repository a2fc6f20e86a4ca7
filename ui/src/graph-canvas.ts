// Draws a requirement graph with Cytoscape.js and the dagre layered layout.
// Kept in its own module so that Vite splits it (and Cytoscape) into a chunk
// loaded only when the graph is first shown.
//
// Labels are drawn on the canvas as text, so pathway strings cannot inject
// markup here either.

import cytoscape from "cytoscape";
import dagre from "cytoscape-dagre";

import type { GraphDto } from "./bindings/GraphDto";
import { perf } from "./perf";

cytoscape.use(dagre);

// Cytoscape injects an inline <style> (position: relative for its container)
// unless an element with this id exists. The Content-Security-Policy refuses
// inline styles, so the rule lives in styles.css and this marker tells
// Cytoscape not to try.
if (!document.getElementById("__________cytoscape_stylesheet")) {
  const marker = document.createElement("meta");
  marker.id = "__________cytoscape_stylesheet";
  marker.name = "cytoscape-stylesheet";
  marker.content = "provided by styles.css";
  document.head.append(marker);
}

let current: cytoscape.Core | null = null;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

function wrap(title: string): string {
  return title.length > 48 ? `${title.slice(0, 46)}…` : title;
}

export function drawGraph(container: HTMLElement, graph: GraphDto): void {
  current?.destroy();
  const started = performance.now();
  const text = cssVar("--fg");
  const bg = cssVar("--bg");
  current = cytoscape({
    container,
    elements: [
      ...graph.nodes.map((n) => ({ data: { id: n.id, label: wrap(n.title), status: n.status } })),
      ...graph.edges
        .filter((e) => e.from !== e.to)
        // Drawn from the requirement to the credential it counts toward, so
        // the path reads left to right and ends at the target.
        .map((e, i) => ({ data: { id: `e${i}`, source: e.to, target: e.from, kind: e.kind } })),
    ],
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "text-wrap": "wrap",
          "text-max-width": "140px",
          "text-valign": "center",
          "text-halign": "center",
          "font-size": "11px",
          color: text,
          width: 160,
          height: 54,
          "border-width": 2,
          "text-outline-color": bg,
          "text-outline-width": 0,
        },
      },
      { selector: 'node[status = "target"]', style: { shape: "diamond", "background-color": cssVar("--target-bg"), "border-color": cssVar("--target"), width: 190, height: 80 } },
      { selector: 'node[status = "held"]', style: { shape: "round-rectangle", "background-color": cssVar("--held-bg"), "border-color": cssVar("--held") } },
      { selector: 'node[status = "planned"]', style: { shape: "ellipse", "background-color": cssVar("--planned-bg"), "border-color": cssVar("--planned") } },
      { selector: 'node[status = "remaining"]', style: { shape: "rectangle", "background-color": bg, "border-color": cssVar("--remaining"), "border-style": "dashed" } },
      { selector: 'node[status = "expired"]', style: { shape: "octagon", "background-color": cssVar("--expired-bg"), "border-color": cssVar("--expired") } },
      {
        selector: "edge",
        style: {
          width: 1.5,
          "line-color": cssVar("--edge"),
          "target-arrow-color": cssVar("--edge"),
          "target-arrow-shape": "triangle",
          "curve-style": "bezier",
        },
      },
      { selector: 'edge[kind = "granted-by"]', style: { "line-style": "dashed" } },
    ],
    layout: { name: "dagre", rankDir: "LR", nodeSep: 14, rankSep: 90, padding: 20 } as cytoscape.LayoutOptions,
    minZoom: 0.2,
    maxZoom: 2.5,
    boxSelectionEnabled: false,
    autoungrabify: true,
  });
  // A wide graph fitted whole would be too small to read: keep the labels
  // legible and start at the target; the user pans to the rest.
  const cy = current;
  const home = { zoom: cy.zoom(), pan: { ...cy.pan() } };
  const readable = 0.7;
  if (cy.zoom() < readable) {
    const target = cy.nodes('[status = "target"]');
    cy.zoom(readable);
    cy.center(target);
    cy.panBy({ x: container.clientWidth / 2 - 130, y: 0 });
    home.zoom = cy.zoom();
    home.pan = { ...cy.pan() };
  }
  // The viewport, for the end-to-end tests (and anyone inspecting the page).
  const report = () => {
    container.dataset.zoom = cy.zoom().toFixed(3);
    container.dataset.pan = `${Math.round(cy.pan().x)},${Math.round(cy.pan().y)}`;
  };
  cy.on("viewport", report);
  report();
  container.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || cy.destroyed()) return;
    if (!keyboardViewport(cy, e.key, home)) return;
    e.preventDefault();
  });
  perf.changes.push({ kind: "graph-layout", ms: performance.now() - started });
}

/** Pixels an arrow key pans the graph. */
const PAN_STEP = 80;
/** The factor one + or − zooms by. */
const ZOOM_STEP = 1.25;

/**
 * The graph's keyboard controls: arrow keys pan, + and − zoom about the
 * middle, 0 or Home go back to the first view. `true` when `key` is one.
 */
function keyboardViewport(
  cy: cytoscape.Core,
  key: string,
  home: { zoom: number; pan: cytoscape.Position },
): boolean {
  const middle = { x: cy.width() / 2, y: cy.height() / 2 };
  const zoomBy = (factor: number) => cy.zoom({ level: cy.zoom() * factor, renderedPosition: middle });
  switch (key) {
    case "ArrowLeft":
      cy.panBy({ x: PAN_STEP, y: 0 });
      return true;
    case "ArrowRight":
      cy.panBy({ x: -PAN_STEP, y: 0 });
      return true;
    case "ArrowUp":
      cy.panBy({ x: 0, y: PAN_STEP });
      return true;
    case "ArrowDown":
      cy.panBy({ x: 0, y: -PAN_STEP });
      return true;
    case "+":
    case "=":
      zoomBy(ZOOM_STEP);
      return true;
    case "-":
    case "_":
      zoomBy(1 / ZOOM_STEP);
      return true;
    case "0":
    case "Home":
      cy.viewport({ zoom: home.zoom, pan: home.pan });
      return true;
    default:
      return false;
  }
}
