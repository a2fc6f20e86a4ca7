// Fails if any source file of the UI uses a DOM API that parses a string as
// HTML or script. Pathway files are untrusted input: their titles and
// descriptions must only ever reach the page as text (see src/dom.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const SINKS = [
  /\.innerHTML\b/,
  /\.outerHTML\b/,
  /\binsertAdjacentHTML\b/,
  /\bdocument\.write(ln)?\b/,
  /\bcreateContextualFragment\b/,
  /\bsetHTMLUnsafe\b/,
  /\bparseHTMLUnsafe\b/,
  /\bDOMParser\b/,
  /\bnew Function\b/,
  /\beval\(/,
];

const root = new URL("../src/", import.meta.url).pathname;
const problems = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|js|mjs)$/.test(name)) {
      readFileSync(path, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (line.trimStart().startsWith("//")) return;
          for (const sink of SINKS)
            if (sink.test(line)) problems.push(`ui/src/${relative(root, path)}:${i + 1}: ${sink} — use h() and text nodes`);
        });
    }
  }
}
walk(root);
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("no HTML sinks in ui/src");
