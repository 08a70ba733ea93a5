// Calendar dates as whole days since 1970-01-01 (UTC), with the pack's arithmetic:
// add_days, add_months (clamped to the month's end), working days (Monday–Friday, not counting
// a jurisdiction's public holidays), and the pack parameters the termination rules read
// (rules/pack.json: da_jurisdictions, public_holidays, the cut-off and the limits), read once.
// Shared by the hand-written checks and json-rules-engine's custom facts.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

const weekday = (n) => (((n + 3) % 7) + 7) % 7; // Monday = 0 (1970-01-01 was a Thursday)

/** Monday–Friday days after a up to and including b (negative when b < a), not counting the
 *  `holidays` (day numbers, repeats allowed) that fall on a weekday in that range. */
export function workingDays(a, b, holidays = NO_HOLIDAYS) {
  if (b < a) return -workingDays(b, a, holidays);
  let count = Math.floor((b - a) / 7) * 5;
  const start = weekday(a);
  for (let k = 1; k <= (b - a) % 7; k++) if ((start + k) % 7 < 5) count++;
  for (let i = 0; i < holidays.length; i++) {
    const h = holidays[i];
    if (h > a && h <= b && weekday(h) < 5 && holidays.indexOf(h) === i) count--;
  }
  return count;
}

/** The n-th working day after a (TRM-004's deadline: a + n days, then day by day until n
 *  working days have passed). */
export function nthWorkingDay(a, n, holidays = NO_HOLIDAYS) {
  let d = a + n;
  while (workingDays(a, d, holidays) < n) d++;
  return d;
}

// --- the pack's parameters ------------------------------------------------------------------
const NO_HOLIDAYS = [];
const PACK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../rules/pack.json');

/** Upper case for ASCII letters only, as the engine compares jurisdiction codes. */
export const asciiUpper = (s) => s.replace(/[a-z]+/g, (x) => x.toUpperCase());

/** A pack's parameters (its `params`, with any overrides) as the termination rules use them. */
export function prepareParams(p) {
  const holidays = new Map();
  for (const [code, dates] of Object.entries(p.public_holidays ?? {})) {
    holidays.set(asciiUpper(code), dates.map(day));
  }
  return {
    daJurisdictions: (p.da_jurisdictions ?? []).map(asciiUpper),
    da: new Set((p.da_jurisdictions ?? []).map(asciiUpper)),
    holidays,
    switchingChargeCutoff: p.switching_charge_cutoff,
    cutoffDay: day(p.switching_charge_cutoff),
    exitPlanMaxAgeDays: p.exit_plan_max_age_days,
    maxTransitionDays: p.da_max_transition_days,
    minRetrievalDays: p.da_min_retrieval_days,
    maxAlternativeMonths: p.da_max_alternative_transition_months,
    noticeWorkingDays: p.da_unfeasibility_notice_working_days,
    maxDeletionDelayDays: p.max_deletion_delay_days,
  };
}

/** The parameters of the default pack as shipped. */
export const PACK_PARAMS = JSON.parse(fs.readFileSync(PACK, 'utf8')).params ?? {};
export const PARAMS = prepareParams(PACK_PARAMS);

/** Whether a customer in `code` (any case) is in the Data Act's scope (da_jurisdictions). */
export const isDa = (code, P = PARAMS) => typeof code === 'string' && P.da.has(asciiUpper(code));

/** The public holidays (day numbers) of a jurisdiction; none when absent or not listed. */
export const holidaysOf = (code, P = PARAMS) => (typeof code === 'string' && P.holidays.get(asciiUpper(code))) || NO_HOLIDAYS;

/** Data Act switching scope: true/false, or undefined when customer.jurisdiction is missing. */
export function daScope(req, P = PARAMS) {
  const j = req.customer?.jurisdiction;
  if (j === undefined || j === null) return undefined;
  return isDa(j, P) && req.service?.non_production !== true;
}
