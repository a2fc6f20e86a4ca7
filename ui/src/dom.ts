// A tiny DOM builder, the only way this UI creates elements.
//
// Why not a framework: the views are small, a framework would add weight to
// the cold start and a second templating language to audit. Why not
// template strings: pathway files are untrusted input, and `innerHTML` would
// run whatever markup a publisher put in a title. Here every string child
// becomes a Text node, attributes are set one by one, event handlers are
// functions (never `on*` attribute strings), and `style` is refused, so no
// string can ever be parsed as HTML or script. `scripts/check-dom-sinks.mjs`
// fails the build if an HTML sink (`innerHTML`, `insertAdjacentHTML`, ...)
// appears anywhere in `src/`.

export type Child = Node | string | number | null | undefined | false | Child[];

type Handler = (event: Event) => void;

export interface Props {
  /** Event handlers by event name, e.g. `{ click: () => ... }`. */
  on?: Partial<Record<string, Handler>>;
  /** Set as properties, so they reflect the live state of form controls. */
  value?: string;
  checked?: boolean;
  disabled?: boolean;
  /** Every other entry is an attribute: `class`, `id`, `for`, `role`, `aria-*`, `data-*`, ... */
  [attribute: string]: string | number | boolean | null | undefined | Partial<Record<string, Handler>>;
}

const SVG_NS = "http://www.w3.org/2000/svg";

function applyProps(el: Element, props: Props | null | undefined): void {
  if (!props) return;
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "on") {
      for (const [event, handler] of Object.entries(value as Record<string, Handler>)) {
        if (handler) el.addEventListener(event, handler);
      }
    } else if (name === "value" || name === "checked" || name === "disabled") {
      (el as unknown as Record<string, unknown>)[name] = value;
    } else if (/^on/i.test(name) || name === "style" || name === "srcdoc") {
      // Inline handlers and styles are what a Content-Security-Policy forbids;
      // refusing them here keeps a mistake from reaching the page.
      throw new Error(`h(): attribute "${name}" is not allowed`);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
}

function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Creates an HTML element; strings among `children` become text, never markup. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  applyProps(el, props);
  append(el, children);
  return el;
}

/** Creates an SVG element (legend glyphs). */
export function s(tag: string, props?: Props | null, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  applyProps(el, props);
  append(el, children);
  return el;
}

/**
 * Replaces the children of `el`, keeping keyboard focus on the control with
 * the same `data-key` if there was one, so a re-render never throws the user
 * out of the field they were in. Text being typed into a search or text box
 * is carried over too (a plan that arrives mid-word must not wipe it), and
 * the box told of it, so a search box searches again.
 */
export function replace(el: Element, ...children: Child[]): void {
  const active = document.activeElement as HTMLElement | null;
  const key = active && el.contains(active) ? active.dataset.key : undefined;
  const typing =
    active instanceof HTMLInputElement && (active.type === "search" || active.type === "text") && active.value !== ""
      ? { value: active.value, start: active.selectionStart, end: active.selectionEnd }
      : undefined;
  const fragment = document.createDocumentFragment();
  const holder = document.createElement("div");
  append(holder, children);
  while (holder.firstChild) fragment.appendChild(holder.firstChild);
  el.replaceChildren(fragment);
  if (key) {
    const again = el.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    again?.focus();
    if (typing && again instanceof HTMLInputElement && again.value === "") {
      again.value = typing.value;
      again.setSelectionRange(typing.start, typing.end);
      again.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
}

/** Looks up an element that index.html is known to contain. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html lacks #${id}`);
  return el as T;
}

let uid = 0;
/** A unique element id, for `for=`/`aria-labelledby` links. */
export function uniqueId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}
