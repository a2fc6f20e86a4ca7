// How numbers and dates read in the UI. Dates cross IPC as `YYYY-MM-DD`
// strings and are formatted here without time zones, so a date never shifts
// by a day on the way to the screen.

import type { MoneyDto } from "./bindings/MoneyDto";

const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

export interface YMD {
  y: number;
  m: number; // 1..12
  d: number;
}

export function parseDate(iso: string): YMD {
  const [y, m, d] = iso.split("-").map(Number);
  return { y, m, d };
}

/** `2027-01-04` → `4 Jan 2027`. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const { y, m, d } = parseDate(iso);
  return `${d} ${MONTHS[m - 1].slice(0, 3)} ${y}`;
}

/** `2027-01` → `January 2027`. */
export function monthLabel(y: number, m: number): string {
  return `${MONTHS[m - 1]} ${y}`;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, computed in UTC. */
export function dayNumber(iso: string): number {
  const { y, m, d } = parseDate(iso);
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

/** The `YYYY-MM-DD` date `days` days after `iso`, computed in UTC. */
export function addDays(iso: string, days: number): string {
  const { y, m, d } = parseDate(iso);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// Formatters are made once: `toLocaleString` with options builds a new one
// on every call, which costs WebKit a noticeable part of a re-render.
const WHOLE = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const CENTS = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const TENTHS = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

export function formatAmount(amount: number, currency: string): string {
  const text = (Number.isInteger(amount) ? WHOLE : CENTS).format(amount);
  return `${text} ${currency}`;
}

export function formatMoney(money: MoneyDto | null | undefined): string {
  return money ? formatAmount(money.amount, money.currency) : "free";
}

/** `{ USD: 1500, EUR: 20 }` → `1,500 USD + 20 EUR`; empty → `0`. */
export function formatCosts(costs: { [key in string]?: number }): string {
  const parts = Object.entries(costs)
    .filter((entry): entry is [string, number] => entry[1] !== undefined)
    .map(([currency, amount]) => formatAmount(amount, currency));
  return parts.length ? parts.join(" + ") : "0";
}

export function formatHours(hours: number): string {
  const rounded = Math.round(hours * 10) / 10;
  return `${TENTHS.format(rounded)}\u00a0h`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export const OBJECTIVE_LABELS = {
  time: "Fastest",
  cost: "Cheapest",
  effort: "Least effort",
  count: "Fewest steps",
} as const;

export const KIND_LABELS: Record<string, string> = {
  course: "Course",
  module: "Module",
  "micro-credential": "Micro-credential",
  badge: "Badge",
  certificate: "Certificate",
  certification: "Certification",
  license: "License",
  diploma: "Diploma",
  degree: "Degree",
  assessment: "Assessment",
  experience: "Experience",
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}
