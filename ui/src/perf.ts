// Timings the UI records for the speed budget (BENCHMARKS.md, "Desktop"):
// when the first plan was on screen, and how long each change of holding,
// target or objective took from the user's action to the re-audited,
// re-planned view being painted. The end-to-end tests read
// `window.__stackpathPerf`; nothing is sent anywhere.

export interface ChangeTiming {
  kind: string;
  ms: number;
}

export interface PerfRecord {
  /** Epoch milliseconds when the app's process started (from `app_info`). */
  processStartedAt: number | null;
  /** Epoch milliseconds when the page started loading. */
  timeOrigin: number;
  /** Epoch milliseconds when the first plan was painted. */
  firstPlanEpoch: number | null;
  /** The same, in milliseconds since the page started loading. */
  firstPlanMs: number | null;
  changes: ChangeTiming[];
  /** Content-Security-Policy violations seen by the page: must stay empty. */
  cspViolations: string[];
}

declare global {
  interface Window {
    __stackpathPerf: PerfRecord;
  }
}

export const perf: PerfRecord = {
  processStartedAt: null,
  timeOrigin: performance.timeOrigin,
  firstPlanEpoch: null,
  firstPlanMs: null,
  changes: [],
  cspViolations: [],
};
window.__stackpathPerf = perf;

document.addEventListener("securitypolicyviolation", (e) => {
  perf.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`);
});

/** Resolves after the browser has painted what the DOM now holds. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

export function recordFirstPlan(): void {
  if (perf.firstPlanMs !== null) return;
  perf.firstPlanMs = performance.now();
  perf.firstPlanEpoch = performance.timeOrigin + perf.firstPlanMs;
}

export function recordChange(kind: string, startedAt: number): void {
  perf.changes.push({ kind, ms: performance.now() - startedAt });
}
