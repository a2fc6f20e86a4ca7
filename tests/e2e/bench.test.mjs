// Speed of the real app (BENCHMARKS.md, "Desktop"), measured through
// WebDriver like the end-to-end tests. Runs only with STACKPATH_E2E_BENCH=1,
// best on a release build:
//
//   STACKPATH_E2E_PROFILE=release STACKPATH_E2E_BENCH=1 \
//     STACKPATH_E2E_PERF_OUT=bench-out/desktop.json tests/e2e/run.sh
//
// - Cold start: from the app process's start (its own clock, `app_info`) and
//   from the WebDriver request that launches it, to the first plan painted.
// - Changes: the UI's own timing (performance.now()) from the user's action
//   to the re-audited, re-planned view painted, per kind of change: `kind`
//   when the draft plan is on screen, `kind:final` when the full search's
//   plan (proven optimal, or best within the time limit) has replaced it.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";

import { Session } from "./webdriver.mjs";

const enabled = process.env.STACKPATH_E2E_BENCH === "1";
const WEBDRIVER = process.env.STACKPATH_E2E_WEBDRIVER;
const APP = process.env.STACKPATH_E2E_APP;
const OUT = process.env.STACKPATH_E2E_PERF_OUT;
const STARTS = Number(process.env.STACKPATH_E2E_BENCH_STARTS ?? 5);
const ROUNDS = Number(process.env.STACKPATH_E2E_BENCH_ROUNDS ?? 5);

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, min: sorted[0], median: at(0.5), p90: at(0.9), max: sorted.at(-1) };
}

const round = (x) => Math.round(x);

test("desktop speed", { skip: !enabled && "set STACKPATH_E2E_BENCH=1" }, async (t) => {
  const result = { app: APP, cold: [], changes: {} };

  // Cold starts. The first start seeds the database; it is measured too.
  for (let i = 0; i < STARTS; i++) {
    const t0 = Date.now();
    const s = await Session.start(WEBDRIVER, APP);
    try {
      await s.waitForElement("#plan-summary", 120_000);
      const perf = await s.waitFor("first plan", () =>
        s.execute("const p = window.__stackpathPerf; return p.firstPlanEpoch ? p : null"),
      );
      result.cold.push({
        fromProcessStartMs: round(perf.firstPlanEpoch - perf.processStartedAt),
        fromWebDriverRequestMs: round(perf.firstPlanEpoch - t0),
        fromPageLoadMs: round(perf.firstPlanMs),
      });
    } finally {
      await s.quit();
    }
  }

  // Changes, each round: objective through all four, a holding added and
  // removed, the target switched and back.
  const s = await Session.start(WEBDRIVER, APP);
  try {
    await s.waitForElement('#plan-summary[data-final="true"]', 120_000);
    // Each action waits for the full search's plan, so one change's search
    // does not slow the next change's draft.
    const count = () => s.execute("return window.__stackpathPerf.changes.filter((c) => c.kind.endsWith(':final')).length");
    async function act(script, ...args) {
      const before = await count();
      await s.execute(script, ...args);
      await s.waitFor("the change on screen", async () => (await count()) > before, 120_000);
    }
    const objective = (o) => act(`document.querySelector('#objective input[value="${o}"]').click()`);
    async function pick(key, query, id) {
      const before = await count();
      const input = await s.find(`input[data-key="${key}"]`);
      await s.click(input);
      await s.type(input, query);
      await s.clickWhenReady(`[role="option"][data-id="${id}"]`);
      await s.waitFor("the change on screen", async () => (await count()) > before, 120_000);
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (const o of ["cost", "effort", "count", "time"]) await objective(o);
      await pick("add-holding", "Network+", "comptia:network-plus");
      await act(`document.querySelector('li.holding[data-id="comptia:network-plus"] button').click()`);
      await pick("target", "Cybersecurity Career Studies", "nova:csc-cybersecurity");
      await pick("target", "Cybersecurity, A.A.S", "nova:aas-cybersecurity");
    }
    const changes = await s.execute("return window.__stackpathPerf.changes");
    for (const c of changes) (result.changes[c.kind] ??= []).push(c.ms);
  } finally {
    await s.quit();
  }

  const summary = {
    coldFromProcessStart: stats(result.cold.map((c) => c.fromProcessStartMs)),
    coldFromWebDriverRequest: stats(result.cold.map((c) => c.fromWebDriverRequestMs)),
    changes: Object.fromEntries(Object.entries(result.changes).map(([k, v]) => [k, stats(v.map(round))])),
  };
  t.diagnostic(JSON.stringify(summary));
  if (OUT) writeFileSync(OUT, JSON.stringify({ summary, raw: result }, null, 2));
  assert.ok(result.cold.length === STARTS);
});
