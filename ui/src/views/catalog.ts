// The catalog: which pathway files the app plans on, their signatures and
// problems, and the import of further files (kept in the database, so they
// survive a restart).

import { importFile, removePathway, state } from "../app";
import { type Child, h } from "../dom";
import { formatDate } from "../format";

const SIGNATURE_TEXT: Record<string, string> = {
  verified: "Verified",
  "unknown-key": "Signed by an unknown key",
  unsigned: "Unsigned",
  tampered: "Tampered: the signature does not match",
};

export function renderCatalog(): Child[] {
  const c = state.catalog;
  if (!c) return [h("p", { class: "muted" }, "Loading the catalog…")];
  const importedNames = new Set(c.imported.map((f) => f.file));
  const input = h("input", {
    type: "file",
    id: "import-file",
    accept: ".json,application/json",
    on: {
      change: (e) => {
        const el = e.target as HTMLInputElement;
        const file = el.files?.[0];
        if (file) void importFile(file).finally(() => (el.value = ""));
      },
    },
  });
  return [
    h("p", null, `${c.info.credentials} credentials from ${c.info.files.length} pathway files.`),
    h("div", { class: "field import" }, h("label", { for: "import-file" }, "Import a pathway file"), input),
    h(
      "table",
      { class: "data", id: "catalog-files" },
      h("caption", null, "Pathway files"),
      h("thead", null, h("tr", null, ["File", "Publisher", "Title", "Credentials", "Signature", ""].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        null,
        c.info.files.map((f) =>
          h(
            "tr",
            { "data-file": f.file },
            h("td", null, f.file),
            h("td", null, f.publisher_name, " ", h("span", { class: "id" }, f.publisher)),
            h("td", null, f.title),
            h("td", null, String(f.credentials)),
            h("td", null, SIGNATURE_TEXT[f.signature] ?? f.signature),
            h(
              "td",
              null,
              importedNames.has(f.file)
                ? h(
                    "button",
                    { type: "button", class: "link-button", "aria-label": `Remove imported file ${f.file}`, on: { click: () => void removePathway(f.file) } },
                    "Remove",
                  )
                : h("span", { class: "muted" }, "bundled"),
            ),
          ),
        ),
      ),
    ),
    c.imported.length
      ? h(
          "table",
          { class: "data", id: "imported-files" },
          h("caption", null, "Imported files"),
          h("thead", null, h("tr", null, ["File", "Publisher", "Version", "SHA-256", "Imported"].map((t) => h("th", { scope: "col" }, t)))),
          h(
            "tbody",
            null,
            c.imported.map((f) =>
              h(
                "tr",
                null,
                h("td", null, f.file),
                h("td", null, f.publisher),
                h("td", null, f.version ?? ""),
                h("td", null, h("code", null, f.sha256.slice(0, 16)), "…"),
                h("td", null, formatDate(f.imported_at.slice(0, 10))),
              ),
            ),
          ),
        )
      : null,
    c.info.diagnostics.length
      ? h(
          "section",
          { "aria-labelledby": "diag-heading" },
          h("h3", { id: "diag-heading" }, `Problems (${c.info.diagnostics.length})`),
          h(
            "ul",
            { class: "diagnostics" },
            c.info.diagnostics.map((d) =>
              h("li", { class: `diag-${d.severity}` }, h("code", null, `${d.file}:${d.line}:${d.column}`), ` ${d.severity}: ${d.message}`),
            ),
          ),
        )
      : null,
  ];
}
