// Calendar dates as whole days since 1970-01-01 (UTC), with the pack's arithmetic:
// add_days, add_months (clamped to the month's end), working days (Monday–Friday, no holidays).
// Shared by the hand-written checks and json-rules-engine's custom facts.

const DAY = 86_400_000;

/** 'YYYY-MM-DD' or an RFC 3339 timestamp → day number; undefined when not a date. */
export function day(text) {
  if (typeof text !== 'string' || text.length < 10) return undefined;
  const y = +text.slice(0, 4), m = +text.slice(5, 7), d = +text.slice(8, 10);
  if (text[4] !== '-' || text[7] !== '-' || !(m >= 1 && m <= 12) || !(d >= 1 && d <= 31)) return undefined;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCDate() !== d) return undefined;
  return t / DAY;
}

export function iso(n) {
  return new Date(n * DAY).toISOString().slice(0, 10);
}

export function addMonths(n, months) {
  const d = new Date(n * DAY);
  const y = d.getUTCFullYear(), m = d.getUTCMonth() + months, dd = d.getUTCDate();
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(dd, last)) / DAY;
}

/** Monday–Friday days after a up to and including b (a ≤ b). */
export function workingDays(a, b) {
  if (b < a) return -workingDays(b, a);
  let count = Math.floor((b - a) / 7) * 5;
  const start = (new Date(a * DAY).getUTCDay() + 6) % 7; // Monday = 0
  for (let k = 1; k <= (b - a) % 7; k++) if ((start + k) % 7 < 5) count++;
  return count;
}

/** The n-th working day after a. */
export function nthWorkingDay(a, n) {
  let d = a + n;
  while (workingDays(a, d) < n) d++;
  return d;
}

export const EEA = new Set(['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT',
  'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO']);

/** Data Act switching scope: true/false, or undefined when customer.jurisdiction is missing. */
export function daScope(req) {
  const j = req.customer?.jurisdiction;
  if (j === undefined || j === null) return undefined;
  return EEA.has(String(j).toUpperCase()) && req.service?.non_production !== true;
}
