// The termination rules (rules.md: CMN-001, CMN-005, CMN-006, LCY-001, TRM-001…TRM-012) as one
// hand-written JavaScript function: the floor for JavaScript. No messages, no clauses, no
// sandbox, no validation of the request: only the verdict and the ids of failing rules.

import { day, addMonths, nthWorkingDay, daScope } from './dates.mjs';

const CUTOFF = day('2027-01-12');
const RANK = { allow: 0, review: 1, deny: 2, error: 3 };
const LEGAL_FROM = ['onboarding', 'active', 'suspended'];
const missing = (v) => v === undefined || v === null;
const blank = (v) => missing(v) || (typeof v === 'string' && v.trim() === '');

export function checkTermination(req, asOfText) {
  const failing = [];
  let decision = 'allow';
  // failed: true, false, or undefined (a required field is missing: the rule fails).
  const rule = (id, severity, failed) => {
    if (failed === false) return;
    failing.push(id);
    const v = severity === 'deny' ? 'deny' : severity === 'warn' ? 'review' : 'allow';
    if (RANK[v] > RANK[decision]) decision = v;
  };
  const asOf = day(req.as_of ?? asOfText);
  const a = req.agreement ?? {};
  const t = req.termination ?? {};
  const s = req.service ?? {};
  const scope = daScope(req);
  const initiated = t.initiated_by;
  const choice = t.customer_choice;
  const effective = day(t.effective_date);
  const transitionEnd = day(t.transition_end);

  // CMN-001
  rule('CMN-001', 'deny', missing(a.status) || missing(a.signed_at) ? undefined
    : a.status !== 'agreed' || day(a.signed_at) > asOf);

  // CMN-005 / CMN-006
  if (s.custom_built !== true) {
    const c = a.switching_charges ?? {};
    if (scope === undefined) {
      rule('CMN-005', 'deny', undefined);
      rule('CMN-006', 'warn', undefined);
    } else if (scope) {
      rule('CMN-005', 'deny', effective === undefined ? undefined
        : effective < CUTOFF ? false : missing(c.amount) ? undefined : c.amount > 0);
      rule('CMN-006', 'warn', effective === undefined ? undefined
        : effective < CUTOFF && (c.amount ?? 0) > 0 && c.cost_basis_documented !== true);
    }
  }

  // LCY-001
  if (!missing(s.lifecycle_state)) rule('LCY-001', 'deny', !LEGAL_FROM.includes(s.lifecycle_state));

  // TRM-001
  if (initiated === 'provider') {
    rule('TRM-001', 'deny', missing(req.requested_by?.party) ? undefined : req.requested_by.party !== 'provider');
  } else if (initiated === 'customer') {
    const id = req.requested_by?.contact_id;
    rule('TRM-001', 'deny', missing(id) ? undefined
      : !(req.customer?.contacts ?? []).some((c) => c.id === id && c.authorised_signatory === true));
  } else rule('TRM-001', 'deny', undefined);

  // TRM-002: the scope matters only when the two-month cap would shorten the period.
  {
    const received = day(t.notice_received_at);
    const period = a.notice_period_days;
    if (received === undefined || effective === undefined || missing(period)) rule('TRM-002', 'deny', undefined);
    else {
      let earliest = received + period;
      let unknown = false;
      if (initiated === 'customer') {
        const cap = addMonths(received, 2);
        if (cap < earliest) {
          if (scope === undefined) unknown = true;
          else if (scope) earliest = cap;
        }
      }
      rule('TRM-002', 'deny', unknown ? undefined : effective < earliest);
    }
  }

  const isSwitch = choice === 'switch_provider' || choice === 'switch_on_premises';

  // TRM-003
  if (missing(initiated) || (initiated === 'customer' && scope === undefined)) rule('TRM-003', 'deny', undefined);
  else if (initiated === 'customer' && scope) rule('TRM-003', 'deny', !(isSwitch || choice === 'erase'));

  // TRM-004
  if (isSwitch) {
    if (scope === undefined) rule('TRM-004', 'deny', undefined);
    else if (scope) {
      const n = t.extension_count;
      let failed;
      if (missing(n)) failed = undefined;
      else if (n !== 0) failed = n > 1;
      else if (effective === undefined || transitionEnd === undefined) failed = undefined;
      else if (transitionEnd <= effective + 30) failed = false;
      else {
        const notice = day(t.unfeasibility_notice_at);
        const alt = day(t.alternative_transition_end);
        const received = day(t.notice_received_at);
        const valid = notice !== undefined && alt !== undefined && received !== undefined
          && notice >= received && notice <= nthWorkingDay(received, 14)
          && alt <= addMonths(effective, 7) && transitionEnd <= alt;
        failed = !valid;
      }
      rule('TRM-004', 'deny', failed);
    }
  }

  // TRM-005: the scope matters only when the agreed period is below the Data Act minimum.
  if (choice !== 'erase') {
    const end = day(t.retrieval_end);
    let days = a.data_retrieval_period_days;
    const base = transitionEnd ?? effective;
    let failed;
    if (end === undefined || missing(days) || base === undefined) failed = undefined;
    else if (days < 30 && scope === undefined) failed = undefined;
    else {
      if (days < 30 && scope) days = 30;
      failed = end < base + days;
    }
    rule('TRM-005', 'deny', failed);
  }

  // TRM-006
  {
    const planned = day(t.planned_deletion_date);
    if (choice === 'erase') rule('TRM-006', 'deny', planned === undefined || effective === undefined ? undefined : planned < effective);
    else {
      const end = day(t.retrieval_end);
      rule('TRM-006', 'deny', planned === undefined || end === undefined ? undefined : planned <= end);
    }
  }

  // TRM-007
  {
    const reviewed = day(a.exit_plan?.last_reviewed_at);
    rule('TRM-007', 'warn', reviewed === undefined || asOf - reviewed > 365
      || !Array.isArray(a.exportable_data_categories) || a.exportable_data_categories.length === 0);
  }

  // TRM-008
  {
    const until = day(s.sla_enforced_until);
    const end = transitionEnd ?? effective;
    rule('TRM-008', 'warn', until === undefined || end === undefined || until < end);
  }

  // TRM-009
  if (missing(initiated)) rule('TRM-009', 'warn', undefined);
  else if (initiated === 'provider') rule('TRM-009', 'warn', blank(t.reason));

  // TRM-010
  rule('TRM-010', 'warn', (req.suppliers ?? []).some((x) => x.processes_customer_data === true && missing(x.termination_notified_at)));

  // TRM-011
  rule('TRM-011', 'warn', blank(t.change_id));

  // TRM-012
  rule('TRM-012', 'info', (a.early_termination_fee?.amount ?? 0) > 0);

  failing.sort();
  return { decision, failing };
}
