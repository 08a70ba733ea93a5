// The termination rules of pack 2.0.0 (rules/: CMN-001, CMN-005, CMN-006, LCY-001,
// TRM-001…TRM-013, 17 rules) as one hand-written JavaScript function: the floor for JavaScript.
// No messages, no clauses, no sandbox, no validation of the request: only the verdict and the
// ids of failing rules. The pack's parameters come prepared (dates.mjs: those of rules/pack.json,
// read once, unless others are given).

import { day, addMonths, nthWorkingDay, daScope, holidaysOf, PARAMS } from './dates.mjs';

const RANK = { allow: 0, review: 1, deny: 2, error: 3 };
const LEGAL_FROM = ['onboarding', 'active', 'suspended'];
const missing = (v) => v === undefined || v === null;
const blank = (v) => missing(v) || (typeof v === 'string' && v.trim() === '');

export function checkTermination(req, asOfText, P = PARAMS) {
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
  const scope = daScope(req, P); // undefined: customer.jurisdiction is missing (the rule fails)
  const initiated = t.initiated_by;
  const choice = t.customer_choice;
  const isSwitch = choice === 'switch_provider' || choice === 'switch_on_premises';
  const effective = day(t.effective_date);
  const transitionEnd = day(t.transition_end);
  const retrievalEnd = day(t.retrieval_end);
  const planned = day(t.planned_deletion_date);

  // CMN-001
  rule('CMN-001', 'deny', missing(a.status) || missing(a.signed_at) ? undefined
    : a.status !== 'agreed' || day(a.signed_at) > asOf);

  // CMN-005 / CMN-006: Data Act scope, not custom built; CMN-005 not for parallel use without a
  // switch.
  if (s.custom_built !== true) {
    const c = a.switching_charges ?? {};
    if (scope === undefined) {
      rule('CMN-005', 'deny', undefined);
      rule('CMN-006', 'warn', undefined);
    } else if (scope) {
      if (!(req.transfer?.in_parallel_use === true && !missing(choice) && !isSwitch)) {
        rule('CMN-005', 'deny', effective === undefined ? undefined
          : effective < P.cutoffDay ? false : missing(c.amount) ? undefined : c.amount > 0);
      }
      rule('CMN-006', 'warn', effective === undefined ? undefined
        : effective < P.cutoffDay && (c.amount ?? 0) > 0 && c.cost_basis_documented !== true);
    }
  }

  // LCY-001: the state must be given, and termination starts from onboarding, active, suspended.
  rule('LCY-001', 'deny', !LEGAL_FROM.includes(s.lifecycle_state));

  // TRM-001: the first contact with the requesting id must be an authorised signatory.
  if (initiated === 'provider') {
    rule('TRM-001', 'deny', missing(req.requested_by?.party) ? undefined : req.requested_by.party !== 'provider');
  } else if (initiated === 'customer') {
    const id = req.requested_by?.contact_id;
    rule('TRM-001', 'deny', missing(id) ? undefined
      : (req.customer?.contacts ?? []).find((c) => c.id === id)?.authorised_signatory !== true);
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

  // TRM-003 (warn)
  if (missing(initiated) || (initiated === 'customer' && scope === undefined)) rule('TRM-003', 'warn', undefined);
  else if (initiated === 'customer' && scope) rule('TRM-003', 'warn', !(isSwitch || choice === 'erase'));

  // TRM-004: working days in the provider's jurisdiction, its public holidays not counted.
  if (isSwitch) {
    if (scope === undefined) rule('TRM-004', 'deny', undefined);
    else if (scope) {
      const n = t.extension_count;
      let failed;
      if (missing(n)) failed = undefined;
      else if (n > 1) failed = true;
      else if (n === 1) failed = false;
      else if (effective === undefined || transitionEnd === undefined) failed = undefined;
      else if (transitionEnd - effective <= P.maxTransitionDays) failed = false;
      else {
        const notice = day(t.unfeasibility_notice_at);
        const alt = day(t.alternative_transition_end);
        const received = day(t.notice_received_at);
        const valid = notice !== undefined && alt !== undefined && received !== undefined
          && notice >= received
          && notice <= nthWorkingDay(received, P.noticeWorkingDays, holidaysOf(req.provider?.jurisdiction, P))
          && alt <= addMonths(effective, P.maxAlternativeMonths) && transitionEnd <= alt;
        failed = !valid;
      }
      rule('TRM-004', 'deny', failed);
    }
  }

  // TRM-005: the scope matters only when the agreed period is below the Data Act minimum.
  if (choice !== 'erase') {
    let days = a.data_retrieval_period_days;
    const base = transitionEnd ?? effective;
    let failed;
    if (retrievalEnd === undefined || missing(days) || base === undefined) failed = undefined;
    else if (days < P.minRetrievalDays && scope === undefined) failed = undefined;
    else {
      if (days < P.minRetrievalDays && scope) days = P.minRetrievalDays;
      failed = retrievalEnd < base + days;
    }
    rule('TRM-005', 'deny', failed);
  }

  // TRM-006 and TRM-013: deletion after the data could be retrieved, and not much later. The base
  // is the effective date when the customer chose erasure, else the end of retrieval.
  {
    const base = choice === 'erase' ? effective : retrievalEnd;
    const unknown = planned === undefined || base === undefined;
    rule('TRM-006', 'deny', unknown ? undefined : choice === 'erase' ? planned < base : planned <= base);
    rule('TRM-013', 'warn', unknown ? undefined : planned > base + P.maxDeletionDelayDays);
  }

  // TRM-007
  {
    const reviewed = day(a.exit_plan?.last_reviewed_at);
    rule('TRM-007', 'warn', reviewed === undefined || asOf - reviewed > P.exitPlanMaxAgeDays
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
