// The target: the diploma, degree, certificate or certification to reach.

import { editLearner, kindOf, search, state, titleOf } from "../app";
import { combobox } from "../combobox";
import { type Child, h } from "../dom";
import { kindLabel } from "../format";

export function renderTarget(): Child[] {
  const learner = state.learner;
  if (!learner) return [];
  const target = learner.target;
  const picker = combobox({
    label: target ? "Change the target" : "Choose a target",
    placeholder: "Search diplomas, degrees, certificates, certifications…",
    key: "target",
    search: (q) => search(q, true),
    choose: (c) => editLearner("target", (l) => (l.target = c.id)),
  });
  // Known from the search, the plan or the graph; an unreachable target
  // keeps the kind it was shown with.
  const kind = target ? kindOf(target) : undefined;
  return [
    h(
      "div",
      { class: "target-current" },
      h("h2", { id: "target-heading" }, "Target"),
      target
        ? h(
            "p",
            { class: "target-title", "data-id": target },
            h("strong", null, titleOf(target)),
            " ",
            h("span", { class: "id" }, kind ? `${kindLabel(kind)} · ${target}` : target),
          )
        : h("p", { class: "muted" }, "No target yet."),
      target
        ? h(
            "button",
            { type: "button", class: "link-button", on: { click: () => editLearner("target", (l) => (l.target = null)) } },
            "Clear target",
          )
        : null,
    ),
    picker,
  ];
}
