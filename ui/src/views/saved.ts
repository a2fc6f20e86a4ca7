// Saved plans: scenarios the learner kept, each a snapshot of the learner and
// the plan at the time, to compare with what the plan is now.

import { deleteSavedPlan, state, titleOf } from "../app";
import { type Child, h } from "../dom";
import { formatCosts, formatDate, formatHours, OBJECTIVE_LABELS } from "../format";

export function renderSaved(): Child[] {
  if (!state.saved.length)
    return [h("p", { class: "muted" }, "No saved plans yet. Save one from the Plan tab to compare scenarios later.")];
  return [
    h(
      "table",
      { class: "data", id: "saved-table" },
      h("caption", null, `Saved plans of ${state.learner?.name ?? "this learner"}`),
      h(
        "thead",
        null,
        h("tr", null, ["Name", "Target", "Optimised for", "Proven optimal", "Finish", "Cost", "Effort", "Steps", "Saved", ""].map((t) => h("th", { scope: "col" }, t))),
      ),
      h(
        "tbody",
        null,
        state.saved.map((p) =>
          h(
            "tr",
            { "data-id": String(p.id) },
            h("th", { scope: "row" }, p.name),
            h("td", null, titleOf(p.plan.target)),
            h("td", null, OBJECTIVE_LABELS[p.plan.objective]),
            h("td", { "data-key": "proven" }, !p.plan.feasible ? "—" : p.plan.optimal ? "yes" : "no: best found in the time allowed"),
            h("td", null, p.plan.feasible ? formatDate(p.plan.totals.finish) : "unreachable"),
            h("td", null, formatCosts(p.plan.totals.cost)),
            h("td", null, formatHours(p.plan.totals.effort_hours)),
            h("td", null, String(p.plan.totals.count)),
            h("td", null, formatDate(p.saved_at.slice(0, 10))),
            h(
              "td",
              null,
              h(
                "button",
                { type: "button", class: "link-button", "aria-label": `Delete saved plan ${p.name}`, on: { click: () => void deleteSavedPlan(p.id) } },
                "Delete",
              ),
            ),
          ),
        ),
      ),
    ),
    h(
      "div",
      { class: "saved-details" },
      state.saved.map((p) =>
        h(
          "details",
          null,
          h("summary", null, `${p.name}: the steps`),
          h(
            "ol",
            null,
            p.plan.steps.map((st) => h("li", null, `${formatDate(st.start)} – ${formatDate(st.finish)}: `, st.title)),
          ),
        ),
      ),
    ),
  ];
}
