// The plan: the objective switch, the totals, a timeline of the steps by
// month with their dates, the best plans under the other objectives side by
// side, and unreachable targets explained in words.

import type { AlternativeDto } from "../bindings/AlternativeDto";
import type { ObjectiveDto } from "../bindings/ObjectiveDto";
import type { PlanDto } from "../bindings/PlanDto";
import type { StepDto } from "../bindings/StepDto";
import type { TotalsDto } from "../bindings/TotalsDto";
import {
  canSearchLonger,
  LONGER_SEARCH_SECONDS,
  savePlan,
  searchLonger,
  setObjective,
  state,
  stopLongerSearch,
  titleOf,
} from "../app";
import { type Child, h, uniqueId } from "../dom";
import {
  addDays,
  dayNumber,
  formatAmount,
  formatCosts,
  formatDate,
  formatHours,
  formatMoney,
  kindLabel,
  monthLabel,
  OBJECTIVE_LABELS,
  parseDate,
  plural,
} from "../format";

const OBJECTIVES: ObjectiveDto[] = ["time", "cost", "effort", "count"];

function objectiveSwitch(current: ObjectiveDto): HTMLElement {
  const name = uniqueId("objective");
  return h(
    "fieldset",
    { class: "segmented", id: "objective" },
    h("legend", null, "Optimise for"),
    OBJECTIVES.map((o) => {
      const id = `${name}-${o}`;
      return h(
        "span",
        { class: "segment" },
        h("input", {
          type: "radio",
          name,
          id,
          value: o,
          checked: o === current,
          "data-key": `objective-${o}`,
          on: { change: () => setObjective(o) },
        }),
        h("label", { for: id }, OBJECTIVE_LABELS[o]),
      );
    }),
  );
}

function totalsCards(plan: PlanDto): HTMLElement {
  const t = plan.totals;
  // `data-value` carries the exact figure for tests and scripts.
  const card = (label: string, value: string, key: string, exact: unknown) =>
    h("div", { class: "total", "data-total": key, "data-value": JSON.stringify(exact) }, h("dt", null, label), h("dd", null, value));
  return h(
    "dl",
    { class: "totals", id: "plan-totals" },
    card("Finish", formatDate(t.finish), "finish", t.finish),
    card("Cost", formatCosts(t.cost), "cost", t.cost),
    card("Effort", formatHours(t.effort_hours), "effort", t.effort_hours),
    card("Steps", String(t.count), "count", t.count),
    card("Duration", plural(t.days, "day"), "days", t.days),
  );
}

function optimality(plan: PlanDto): Child {
  if (state.draft) return null;
  if (plan.optimal) return h("p", { class: "muted", id: "plan-optimal" }, `Proven optimal: no plan is ${betterWord(plan.objective)}.`);
  return [
    h("p", { class: "warning", id: "plan-optimal" }, `The best plan found in the time allowed; ${boundText(plan)}.`),
    searchLongerButton(),
  ];
}

/** Offers a longer search where the plan on screen may gain from one. */
function searchLongerButton(): HTMLElement | null {
  if (!canSearchLonger()) return null;
  return h(
    "button",
    { type: "button", class: "search-longer", id: "search-longer", on: { click: () => void searchLonger() } },
    `Search for up to ${LONGER_SEARCH_SECONDS} seconds`,
  );
}

/** What the lower bound of an unproven plan says, in the objective's terms. */
function boundText(plan: PlanDto): string {
  const lb = plan.lower_bound;
  switch (plan.objective) {
    case "time":
      return `no plan can finish before ${formatDate(addDays(plan.start, lb))} (${plural(lb, "day")} from the start)`;
    case "cost": {
      const currencies = Object.keys(plan.totals.cost);
      const amount = currencies.length === 1 ? formatAmount(lb, currencies[0]) : String(lb);
      return `no plan can cost less than ${amount}`;
    }
    case "effort":
      return `no plan can take less than ${formatHours(lb)} of effort`;
    case "count":
      return `no plan can have fewer than ${plural(lb, "step")}`;
  }
}

function betterWord(o: ObjectiveDto): string {
  return { time: "faster", cost: "cheaper", effort: "less effort", count: "shorter" }[o];
}

interface Month {
  y: number;
  m: number;
  startDay: number;
  endDay: number; // exclusive
}

function monthsBetween(fromIso: string, toIso: string): Month[] {
  const from = parseDate(fromIso);
  const last = parseDate(toIso);
  const months: Month[] = [];
  let y = from.y;
  let m = from.m;
  while (y < last.y || (y === last.y && m <= last.m)) {
    const startDay = Math.round(Date.UTC(y, m - 1, 1) / 86_400_000);
    const endDay = Math.round(Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 1) / 86_400_000);
    months.push({ y, m, startDay, endDay });
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

function timeline(plan: PlanDto): HTMLElement {
  const steps = plan.steps;
  const months = monthsBetween(plan.start, plan.totals.finish);
  const axisStart = months[0].startDay;
  const axisEnd = months[months.length - 1].endDay;
  const span = Math.max(1, axisEnd - axisStart);
  const pct = (day: number) => `${((day - axisStart) / span) * 100}%`;

  // Month ticks along the top: named when there is room, so long plans stay legible.
  const every = Math.max(1, Math.ceil(months.length / 12));
  const ticks = h(
    "div",
    { class: "axis", "aria-hidden": "true" },
    months.map((mo, i) => {
      const tick = h("span", { class: "tick" }, i % every === 0 ? `${monthLabel(mo.y, mo.m).slice(0, 3)} ${String(mo.y).slice(2)}` : "");
      tick.style.left = pct(mo.startDay);
      return tick;
    }),
  );

  const groups = new Map<string, StepDto[]>();
  for (const step of steps) {
    const { y, m } = parseDate(step.start);
    const key = monthLabel(y, m);
    groups.set(key, [...(groups.get(key) ?? []), step]);
  }

  const row = (step: StepDto, index: number) => {
    const s = dayNumber(step.start);
    const f = dayNumber(step.finish);
    const bar = h("span", { class: `gantt-bar${f === s ? " milestone" : ""} kind-${step.kind}` });
    bar.style.left = pct(s);
    bar.style.width = f === s ? "" : `calc(${((f - s) / span) * 100}% - 1px)`;
    const isTarget = step.id === plan.target;
    return h(
      "li",
      { class: `step${isTarget ? " step-target" : ""}`, "data-id": step.id },
      h(
        "div",
        { class: "step-text" },
        h("span", { class: "step-index", "aria-hidden": "true" }, String(index + 1)),
        h(
          "div",
          null,
          h("div", { class: "step-title" }, step.title),
          h(
            "div",
            { class: "step-meta" },
            h("span", { class: "step-dates" }, f === s ? `${formatDate(step.finish)} (awarded)` : `${formatDate(step.start)} – ${formatDate(step.finish)}`),
            ` · ${kindLabel(step.kind)} · ${formatMoney(step.cost)} · ${formatHours(step.effort_hours)}`,
          ),
          step.satisfies.length
            ? h("div", { class: "step-for" }, "For: ", step.satisfies.map((id) => titleOf(id)).join(", "))
            : null,
        ),
      ),
      h("div", { class: "gantt-track", "aria-hidden": "true" }, bar),
    );
  };

  let index = 0;
  return h(
    "div",
    { class: "timeline", id: "plan-timeline" },
    h("div", { class: "timeline-head" }, h("span", null, "Step"), ticks),
    [...groups.entries()].map(([month, group]) =>
      h(
        "section",
        { class: "month", "aria-label": month },
        h("h4", null, month),
        h("ol", { class: "steps", start: index + 1 }, group.map((s) => row(s, index++))),
      ),
    ),
  );
}

function alternatives(plan: PlanDto): HTMLElement | null {
  const all: { objective: ObjectiveDto; optimal: boolean; totals: TotalsDto; steps: string[] }[] = [
    { objective: plan.objective, optimal: plan.optimal, totals: plan.totals, steps: plan.steps.map((s) => s.id) },
    ...plan.alternatives.map((a: AlternativeDto) => a),
  ].sort((a, b) => OBJECTIVES.indexOf(a.objective) - OBJECTIVES.indexOf(b.objective));
  if (all.length < 2) return null;
  return h(
    "section",
    { class: "alternatives", id: "plan-alternatives", "aria-labelledby": "alternatives-heading" },
    h("h3", { id: "alternatives-heading" }, "Side by side"),
    h(
      "div",
      { class: "alt-grid" },
      all.map((a) => {
        const current = a.objective === plan.objective;
        return h(
          "article",
          { class: `alt${current ? " alt-current" : ""}`, "data-objective": a.objective },
          h("h4", null, OBJECTIVE_LABELS[a.objective], current ? " (shown)" : ""),
          h(
            "dl",
            null,
            h("dt", null, "Finish"),
            h("dd", null, formatDate(a.totals.finish)),
            h("dt", null, "Cost"),
            h("dd", null, formatCosts(a.totals.cost)),
            h("dt", null, "Effort"),
            h("dd", null, formatHours(a.totals.effort_hours)),
            h("dt", null, "Steps"),
            h("dd", null, String(a.totals.count)),
          ),
          h("p", { class: "alt-steps" }, a.steps.map((id) => titleOf(id)).join(" → ")),
          current
            ? null
            : h(
                "button",
                { type: "button", on: { click: () => setObjective(a.objective) } },
                `Show the ${OBJECTIVE_LABELS[a.objective].toLowerCase()} plan`,
              ),
        );
      }),
    ),
  );
}

function saveForm(plan: PlanDto): HTMLElement {
  const id = uniqueId("plan-name");
  const input = h("input", {
    id,
    type: "text",
    "data-key": "save-name",
    value: `${OBJECTIVE_LABELS[plan.objective]} to ${titleOf(plan.target)}`,
  });
  return h(
    "form",
    {
      class: "save-plan inline",
      on: {
        submit: (e) => {
          e.preventDefault();
          const name = input.value.trim();
          if (name) void savePlan(name);
        },
      },
    },
    h("label", { for: id }, "Save this plan as"),
    input,
    h("button", { type: "submit" }, "Save"),
  );
}

function unreachable(plan: PlanDto): HTMLElement {
  const u = plan.unreachable;
  if (u?.stopped) return notFoundInTime();
  const reasons = u?.reasons ?? [];
  return h(
    "div",
    { class: "callout callout-error", id: "plan-unreachable", role: "status" },
    h("h3", null, "This target cannot be reached from here"),
    reasons.length
      ? h("ul", { class: "reasons" }, reasons.map((r) => h("li", null, r)))
      : h("p", null, u?.message ?? "No plan satisfies every requirement."),
    u && u.requirements.length
      ? h(
          "p",
          { class: "blocked" },
          "Cannot be met: ",
          u.requirements.map((id) => h("span", { class: "chip chip-expired", "data-id": id }, titleOf(id))),
        )
      : null,
    h("p", { class: "muted" }, "Change the constraints (hours a week, budget, start date) or the holdings, and the plan is computed again."),
  );
}

/** The search ran out of time: no plan, but none proven impossible either. */
function notFoundInTime(): HTMLElement {
  return h(
    "div",
    { class: "callout callout-warning", id: "plan-unreachable", role: "status" },
    h("h3", null, "No plan found in the time allowed"),
    h(
      "p",
      null,
      "The planner stopped at its time limit before it found a plan or proved that none exists, so a plan may still exist.",
    ),
    searchLongerButton(),
    h(
      "p",
      { class: "muted" },
      "Another objective (cost usually settles fastest), more hours a week or a later start may give the planner an easier problem; the command line's --time-limit allows searches of up to an hour.",
    ),
  );
}

export function renderPlan(): Child[] {
  const objective = state.settings.objective;
  const head = objectiveSwitch(objective);
  if (!state.learner?.target) return [head, h("p", { class: "muted" }, "Choose a target to see the shortest path to it.")];
  const plan = state.plan;
  // A draft that found nothing in its few milliseconds proves nothing: the
  // full search is still running.
  const draftFoundNone = state.draft && plan !== null && !plan.feasible && plan.unreachable?.stopped === true;
  const busy = state.planning
    ? h(
        "p",
        { class: "busy", id: "plan-busy", role: "status" },
        h("progress", { "aria-label": "Planning" }),
        state.longerSearch !== null
          ? [
              ` Searching for up to ${state.longerSearch} seconds… `,
              h(
                "button",
                { type: "button", id: "stop-search", class: "link-button", on: { click: () => void stopLongerSearch() } },
                "Stop and show the best plan found",
              ),
            ]
          : !state.draft
            ? " Planning…"
            : draftFoundNone
              ? " Searching for a plan…"
              : " A first plan is shown; searching for a better one and a proof…",
      )
    : null;
  if (state.planError) return [head, busy, h("p", { class: "error" }, state.planError.message)];
  if (!plan) return [head, busy ?? h("p", { class: "muted" }, "Planning…")];
  if (draftFoundNone && busy) return [head, busy];
  if (!plan.feasible) return [head, busy, unreachable(plan)];
  return [
    head,
    busy,
    h(
      "div",
      { class: "plan-summary", id: "plan-summary", "data-objective": plan.objective, "data-final": String(!state.draft) },
      totalsCards(plan),
      optimality(plan),
    ),
    plan.steps.length ? timeline(plan) : h("p", null, "Nothing left to do: the target is already held."),
    alternatives(plan),
    saveForm(plan),
  ];
}
