// An accessible search box over the catalog (WAI-ARIA combobox with a
// listbox popup): type to search, Up/Down to move, Enter to choose, Escape to
// close. Results are fetched through the backend, debounced, and stale
// answers are dropped.

import type { CredentialSummaryDto } from "./bindings/CredentialSummaryDto";
import { h, uniqueId } from "./dom";
import { kindLabel } from "./format";

export interface ComboboxOptions {
  label: string;
  placeholder: string;
  /** A stable key so a re-render can put the focus back. */
  key: string;
  search: (query: string) => Promise<CredentialSummaryDto[]>;
  choose: (credential: CredentialSummaryDto) => void;
}

export function combobox(options: ComboboxOptions): HTMLElement {
  const listId = uniqueId("listbox");
  const inputId = uniqueId("combo");
  const input = h("input", {
    id: inputId,
    type: "search",
    role: "combobox",
    autocomplete: "off",
    spellcheck: "false",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": listId,
    placeholder: options.placeholder,
    "data-key": options.key,
  });
  const list = h("ul", { id: listId, role: "listbox", class: "listbox", hidden: true, "aria-label": options.label });
  const status = h("span", { class: "visually-hidden", "aria-live": "polite" });

  let results: CredentialSummaryDto[] = [];
  let active = -1;
  let generation = 0;
  let timer: number | undefined;

  function close(): void {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index: number): void {
    active = index;
    list.querySelectorAll("[role=option]").forEach((el, i) => {
      el.setAttribute("aria-selected", String(i === index));
      if (i === index) {
        input.setAttribute("aria-activedescendant", el.id);
        (el as HTMLElement).scrollIntoView({ block: "nearest" });
      }
    });
  }

  function choose(index: number): void {
    const credential = results[index];
    if (!credential) return;
    close();
    input.value = "";
    options.choose(credential);
  }

  function show(found: CredentialSummaryDto[]): void {
    results = found;
    list.replaceChildren(
      ...found.map((c, i) =>
        h(
          "li",
          {
            id: `${listId}-${i}`,
            role: "option",
            "aria-selected": "false",
            "data-id": c.id,
            on: {
              mousedown: (e) => e.preventDefault(),
              click: () => choose(i),
            },
          },
          h("span", { class: "option-title" }, c.title),
          h("span", { class: "option-meta" }, `${kindLabel(c.kind)} · ${c.publisher_name} · ${c.id}`),
        ),
      ),
    );
    if (found.length === 0) list.append(h("li", { class: "option-empty", role: "presentation" }, "No match"));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent = `${found.length} result${found.length === 1 ? "" : "s"}`;
    active = -1;
  }

  async function run(query: string): Promise<void> {
    const mine = ++generation;
    const found = await options.search(query);
    if (mine === generation && document.activeElement === input) show(found);
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    const query = input.value.trim();
    if (!query) {
      generation++;
      close();
      return;
    }
    timer = window.setTimeout(() => void run(query), 60);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (list.hidden && input.value.trim()) void run(input.value.trim());
      else highlight(Math.min(active + 1, results.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (e.key === "Enter") {
      if (!list.hidden && results.length) {
        e.preventDefault();
        choose(active >= 0 ? active : 0);
      }
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => close());

  return h(
    "div",
    { class: "combobox" },
    h("label", { for: inputId }, options.label),
    input,
    list,
    status,
  );
}
