// The audit: the target's requirement tree with progress, which holding
// counts where, and how each holding stands (held, expired, implied,
// granted, unknown).

import type { AuditHoldingDto } from "../bindings/AuditHoldingDto";
import type { AuditNodeDto } from "../bindings/AuditNodeDto";
import { state, titleOf } from "../app";
import { type Child, h } from "../dom";
import { formatDate } from "../format";

const STATUS_TEXT: Record<AuditHoldingDto["status"], string> = {
  held: "Held",
  expired: "Expired — does not count",
  implied: "Implied",
  granted: "Granted",
  unknown: "Unknown to the catalog",
};

export function progressBar(have: number, need: number, text: string): HTMLElement {
  const ratio = need > 0 ? Math.min(1, have / need) : 1;
  const fill = h("span", { class: "bar-fill" });
  // CSSOM, not a style attribute: allowed by the Content-Security-Policy.
  fill.style.width = `${Math.round(ratio * 100)}%`;
  return h(
    "span",
    {
      class: `bar${ratio >= 1 ? " bar-done" : ""}`,
      role: "progressbar",
      "aria-valuemin": 0,
      "aria-valuemax": need,
      "aria-valuenow": Math.min(have, need),
      "aria-valuetext": text,
    },
    fill,
  );
}

function node(n: AuditNodeDto): HTMLElement {
  const mark = n.satisfied ? "✓" : "○";
  const head = h(
    "div",
    { class: `req-head ${n.satisfied ? "req-met" : "req-open"}` },
    h("span", { class: "req-mark", "aria-hidden": "true" }, mark),
    h("span", { class: "visually-hidden" }, n.satisfied ? "Met: " : "Not yet met: "),
    n.label ? h("span", { class: "req-label" }, `${n.label}: `) : null,
    h("span", { class: "req-text" }, n.text),
    n.credential ? h("span", { class: "id" }, n.credential) : null,
    n.shared ? h("span", { class: "badge" }, "shared") : null,
    h("span", { class: "req-progress" }, progressBar(n.progress.have, n.progress.need, n.progress.text), n.progress.text),
  );
  const counted = n.counted.length
    ? h(
        "div",
        { class: "counted" },
        "Counts: ",
        n.counted.map((id) => h("span", { class: "chip", "data-id": id }, titleOf(id))),
      )
    : null;
  const expired = n.expired.length
    ? h(
        "div",
        { class: "counted expired" },
        "Expired, does not count: ",
        n.expired.map((id) => h("span", { class: "chip chip-expired", "data-id": id }, titleOf(id))),
      )
    : null;
  return h(
    "li",
    { class: `req req-${n.kind}`, "data-credential": n.credential ?? undefined },
    head,
    counted,
    expired,
    n.children.length ? h("ul", { class: "req-children" }, n.children.map(node)) : null,
  );
}

function holdingsTable(holdings: AuditHoldingDto[]): HTMLElement {
  return h(
    "table",
    { class: "data", id: "audit-holdings" },
    h("caption", null, "Your holdings as the audit sees them"),
    h(
      "thead",
      null,
      h("tr", null, ["Credential", "Status", "Earned", "Expires", "Via"].map((t) => h("th", { scope: "col" }, t))),
    ),
    h(
      "tbody",
      null,
      holdings.map((x) =>
        h(
          "tr",
          { "data-id": x.id, "data-status": x.status },
          h("td", null, h("span", { class: "title" }, x.title), h("span", { class: "id" }, x.id)),
          h("td", null, h("span", { class: `badge badge-${x.status}` }, STATUS_TEXT[x.status])),
          h("td", null, formatDate(x.earned)),
          h("td", null, formatDate(x.expires)),
          h("td", null, x.via ? titleOf(x.via) : ""),
        ),
      ),
    ),
  );
}

export function renderAudit(): Child[] {
  if (!state.learner?.target) return [h("p", { class: "muted" }, "Choose a target to see how your holdings count toward it.")];
  if (state.auditError) return [h("p", { class: "error" }, state.auditError.message)];
  const a = state.audit;
  if (!a) return [h("p", { class: "muted" }, h("progress", { "aria-label": "Auditing" }), " Auditing…")];
  const summary = a.held
    ? `You already hold ${a.target_title}.`
    : a.satisfied
      ? `Every requirement of ${a.target_title} is met: it can be earned now.`
      : a.requirements
        ? `Toward ${a.target_title}: ${a.requirements.progress.text}.`
        : `${a.target_title} has no requirements.`;
  return [
    h("p", { class: "audit-summary", id: "audit-summary" }, summary, " ", h("span", { class: "muted" }, `As of ${formatDate(a.start)}.`)),
    a.requirements
      ? h("ul", { class: "req-tree", id: "audit-tree", "aria-label": `Requirements of ${a.target_title}` }, node(a.requirements))
      : null,
    a.holdings.length ? holdingsTable(a.holdings) : h("p", { class: "muted" }, "No holdings."),
  ];
}
