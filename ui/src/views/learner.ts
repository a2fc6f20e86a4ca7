// The learner: name, holdings (each with its earned date) and constraints.
// Every field saves as it changes.

import { editLearner, search, state, titleOf } from "../app";
import { combobox } from "../combobox";
import { type Child, h, uniqueId } from "../dom";
import { todayIso } from "../format";

function field(label: string, control: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
  const id = control.id || uniqueId("field");
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("span", { class: "hint" }, hint) : null);
}

function numberOrNull(text: string): number | null {
  if (text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

export function renderLearner(): Child[] {
  const learner = state.learner;
  if (!learner) return [h("p", null, "No learner yet: create one above.")];

  const name = h("input", {
    type: "text",
    value: learner.name,
    "data-key": "learner-name",
    autocomplete: "off",
    on: {
      change: (e) => {
        const value = (e.target as HTMLInputElement).value.trim();
        if (value) editLearner("name", (l) => (l.name = value));
      },
    },
  });

  const statusById = new Map((state.audit?.holdings ?? []).map((a) => [a.id, a]));
  const holdings = learner.holdings.map((holding, index) => {
    const dateId = uniqueId("earned");
    const audited = statusById.get(holding.id);
    const badge =
      audited && audited.status !== "held"
        ? h("span", { class: `badge badge-${audited.status}` }, audited.status)
        : null;
    return h(
      "li",
      { class: "holding", "data-id": holding.id },
      h(
        "div",
        { class: "holding-title" },
        h("span", { class: "title" }, titleOf(holding.id)),
        " ",
        badge,
        h("span", { class: "id" }, holding.id),
      ),
      h(
        "div",
        { class: "holding-controls" },
        h("label", { for: dateId }, "Earned"),
        h("input", {
          id: dateId,
          type: "date",
          value: holding.earned,
          required: true,
          "data-key": `earned-${holding.id}`,
          on: {
            change: (e) => {
              const value = (e.target as HTMLInputElement).value;
              if (value) editLearner("holding-date", (l) => (l.holdings[index].earned = value));
            },
          },
        }),
        h(
          "button",
          {
            type: "button",
            class: "icon-button",
            "aria-label": `Remove ${titleOf(holding.id)}`,
            title: "Remove",
            on: { click: () => editLearner("holding-remove", (l) => l.holdings.splice(index, 1)) },
          },
          "✕",
        ),
      ),
    );
  });

  const earnedOn = h("input", {
    type: "date",
    value: learner.constraints.start ?? todayIso(),
    "data-key": "new-earned",
    id: "new-holding-earned",
  });
  const add = combobox({
    label: "Add a holding",
    placeholder: "Search the whole catalog…",
    key: "add-holding",
    search: (q) => search(q, false),
    choose: (c) => {
      const earned = earnedOn.value || todayIso();
      editLearner("holding-add", (l) => {
        const existing = l.holdings.find((x) => x.id === c.id);
        if (existing) existing.earned = earned;
        else l.holdings.push({ id: c.id, earned, source: null });
      });
    },
  });

  const c = learner.constraints;
  const start = h("input", {
    type: "date",
    value: c.start ?? "",
    "data-key": "start",
    on: { change: (e) => editLearner("start", (l) => (l.constraints.start = (e.target as HTMLInputElement).value || null)) },
  });
  const hours = h("input", {
    type: "number",
    min: "1",
    max: "168",
    step: "0.5",
    value: c.hours_per_week === null ? "" : String(c.hours_per_week),
    "data-key": "hours",
    on: {
      change: (e) => {
        const n = numberOrNull((e.target as HTMLInputElement).value);
        if (n === null || n > 0) editLearner("hours", (l) => (l.constraints.hours_per_week = n));
      },
    },
  });
  const budgetAmount = h("input", {
    type: "number",
    min: "0",
    step: "1",
    value: c.budget ? String(c.budget.amount) : "",
    placeholder: "no limit",
    "data-key": "budget",
    on: {
      change: (e) => {
        const n = numberOrNull((e.target as HTMLInputElement).value);
        editLearner("budget", (l) => {
          l.constraints.budget = n === null ? null : { amount: n, currency: l.constraints.budget?.currency ?? currencyGuess() };
        });
      },
    },
  });
  const budgetCurrency = h("input", {
    type: "text",
    maxlength: "3",
    size: 4,
    value: c.budget?.currency ?? currencyGuess(),
    "data-key": "currency",
    "aria-label": "Budget currency",
    on: {
      change: (e) => {
        const cur = (e.target as HTMLInputElement).value.trim().toUpperCase();
        if (/^[A-Z]{3}$/.test(cur)) editLearner("budget", (l) => {
          if (l.constraints.budget) l.constraints.budget.currency = cur;
        });
      },
    },
  });
  const budgetId = uniqueId("budget");
  budgetAmount.id = budgetId;

  return [
    h("h2", null, "Learner"),
    field("Name", name),
    h("h3", { id: "holdings-heading" }, `Holdings (${learner.holdings.length})`),
    holdings.length
      ? h("ul", { class: "holdings", "aria-labelledby": "holdings-heading" }, holdings)
      : h("p", { class: "muted" }, "No holdings yet."),
    h("div", { class: "add-holding" }, add, field("Earned on", earnedOn)),
    h("h3", null, "Constraints"),
    field("Start date", start, c.start ? undefined : "empty: today"),
    field("Hours a week", hours, c.hours_per_week === null ? "empty: 10" : undefined),
    h(
      "div",
      { class: "field" },
      h("label", { for: budgetId }, "Budget"),
      h("div", { class: "inline" }, budgetAmount, budgetCurrency),
    ),
  ];
}

function currencyGuess(): string {
  const totals = state.plan?.totals.cost ?? {};
  return Object.keys(totals)[0] ?? "USD";
}
