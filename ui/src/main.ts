// Boots the UI: wires the tabs, draws each section of the page from the
// state when asked, and loads the workspace.

import "./styles.css";

import type { ThemeDto } from "./bindings/ThemeDto";
import {
  boot,
  createLearner,
  deleteLearner,
  dismissNotice,
  onRender,
  selectLearner,
  setTheme,
  state,
  type Section,
} from "./app";
import { byId, h, replace } from "./dom";
import "./perf";
import { renderAudit } from "./views/audit";
import { renderCatalog } from "./views/catalog";
import { renderGraph } from "./views/graph";
import { renderLearner } from "./views/learner";
import { renderPlan } from "./views/plan";
import { renderSaved } from "./views/saved";
import { renderTarget } from "./views/target";

const TABS = ["plan", "audit", "graph", "saved", "catalog"] as const;
type Tab = (typeof TABS)[number];
let currentTab: Tab = "plan";

function selectTab(tab: Tab, focus = false): void {
  currentTab = tab;
  for (const t of TABS) {
    const button = byId(`tab-${t}`);
    const selected = t === tab;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    byId(`panel-${t}`).hidden = !selected;
  }
  if (focus) byId(`tab-${tab}`).focus();
  if (tab === "graph" || stale.has(tab)) draw(tab);
}

/**
 * Tab panels out of sight are not drawn when the state changes, only marked
 * stale and drawn when their tab is chosen: a change re-plans on screen
 * without building the audit tree, the graph and its table behind the
 * scenes.
 */
const stale = new Set<Tab>();

function isTab(section: Section): section is Tab {
  return (TABS as readonly string[]).includes(section);
}

function wireTabs(): void {
  for (const t of TABS) {
    const button = byId(`tab-${t}`);
    button.addEventListener("click", () => selectTab(t));
    button.addEventListener("keydown", (e) => {
      const i = TABS.indexOf(t);
      let next: number | null = null;
      if (e.key === "ArrowRight") next = (i + 1) % TABS.length;
      else if (e.key === "ArrowLeft") next = (i - 1 + TABS.length) % TABS.length;
      else if (e.key === "Home") next = 0;
      else if (e.key === "End") next = TABS.length - 1;
      if (next !== null) {
        e.preventDefault();
        selectTab(TABS[next], true);
      }
    });
  }
}

let confirmingDelete = false;
let creating = false;

function renderHeader(): HTMLElement[] {
  const learnerSelect = h(
    "select",
    {
      id: "learner-select",
      "data-key": "learner-select",
      on: { change: (e) => void selectLearner(Number((e.target as HTMLSelectElement).value)) },
    },
    state.learners.map((l) => h("option", { value: String(l.id), selected: l.id === state.learnerId }, l.name)),
  );
  const newForm = creating
    ? h(
        "form",
        {
          class: "inline",
          on: {
            submit: (e) => {
              e.preventDefault();
              const name = (byId<HTMLInputElement>("new-learner-name").value ?? "").trim();
              if (!name) return;
              creating = false;
              void createLearner(name);
            },
          },
        },
        h("label", { for: "new-learner-name", class: "visually-hidden" }, "New learner's name"),
        h("input", { id: "new-learner-name", type: "text", placeholder: "Name", "data-key": "new-learner-name", required: true }),
        h("button", { type: "submit" }, "Create"),
        h("button", { type: "button", on: { click: () => ((creating = false), draw("header")) } }, "Cancel"),
      )
    : h(
        "button",
        {
          type: "button",
          "data-key": "new-learner",
          on: {
            click: () => {
              creating = true;
              draw("header");
              byId("new-learner-name").focus();
            },
          },
        },
        "New learner",
      );
  const del =
    state.learnerId === null
      ? null
      : h(
          "button",
          {
            type: "button",
            class: confirmingDelete ? "danger" : "",
            "data-key": "delete-learner",
            on: {
              click: () => {
                if (!confirmingDelete) {
                  confirmingDelete = true;
                  draw("header");
                  window.setTimeout(() => {
                    confirmingDelete = false;
                    draw("header");
                  }, 4000);
                } else if (state.learnerId !== null) {
                  confirmingDelete = false;
                  void deleteLearner(state.learnerId);
                }
              },
            },
          },
          confirmingDelete ? "Really delete?" : "Delete learner",
        );
  const theme = h(
    "select",
    {
      id: "theme-select",
      "data-key": "theme",
      on: { change: (e) => setTheme((e.target as HTMLSelectElement).value as ThemeDto) },
    },
    (["system", "light", "dark"] as ThemeDto[]).map((t) =>
      h("option", { value: t, selected: state.settings.theme === t }, t === "system" ? "System theme" : t === "light" ? "Light" : "Dark"),
    ),
  );
  return [
    h("div", { class: "field inline" }, h("label", { for: "learner-select" }, "Learner"), learnerSelect, newForm, del),
    h("div", { class: "field inline" }, h("label", { for: "theme-select", class: "visually-hidden" }, "Theme"), theme),
  ];
}

function renderStatus(): void {
  replace(byId("status"), state.status);
  const banner = byId("banner");
  if (!state.notice) {
    banner.hidden = true;
    replace(banner);
    return;
  }
  banner.hidden = false;
  banner.className = `banner banner-${state.notice.kind}`;
  replace(
    banner,
    h("span", null, state.notice.text),
    h("button", { type: "button", class: "icon-button", "aria-label": "Dismiss", on: { click: dismissNotice } }, "✕"),
  );
}

function draw(section: Section): void {
  if (isTab(section)) {
    if (section !== currentTab) {
      stale.add(section);
      return;
    }
    stale.delete(section);
  }
  switch (section) {
    case "header":
      return replace(byId("header-controls"), renderHeader());
    case "learner":
      return replace(byId("learner-panel"), renderLearner());
    case "target":
      return replace(byId("target-panel"), renderTarget());
    case "audit":
      return replace(byId("panel-audit"), renderAudit());
    case "plan":
      return replace(byId("panel-plan"), renderPlan());
    case "graph":
      return replace(byId("panel-graph"), renderGraph(currentTab === "graph", () => draw("graph")));
    case "saved":
      return replace(byId("panel-saved"), renderSaved());
    case "catalog":
      return replace(byId("panel-catalog"), renderCatalog());
    case "status":
      return renderStatus();
  }
}

onRender((sections) => {
  for (const section of new Set(sections)) draw(section);
});

matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
  if (state.settings.theme === "system") setTheme("system");
});

wireTabs();
selectTab("plan");
boot().catch((e: unknown) => {
  state.notice = { kind: "error", text: `Stackpath could not start: ${e instanceof Error ? e.message : String(e)}` };
  draw("status");
});
