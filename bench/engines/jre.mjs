// The termination rules of pack 2.0.0 (rules/: CMN-001, CMN-005, CMN-006, LCY-001,
// TRM-001…TRM-013, 17 rules) for npm json-rules-engine, as faithfully as its JSON conditions
// allow. Each rule's conditions say when it FAILS; a failing rule fires an event carrying its id
// and severity. Missing required fields fail the rule (fail closed), as in the Rhai pack. What
// could not be expressed in plain conditions is listed in bench/README.md; date arithmetic is
// done by the custom facts `days_plus`, `months_plus`, `nth_working_day` and `days_between`, date
// comparison by the custom operators `before`, `onOrBefore`, `after`, `onOrAfter`, jurisdiction
// codes (in any case) by `inCodes` / `notInCodes`. The pack's parameters (rules/pack.json unless
// others are given: the Data Act jurisdictions, cut-off and limits) are written into the
// conditions; the public holidays are the `nth_working_day` fact's.

import { Engine } from 'json-rules-engine';
import { day, iso, addMonths, nthWorkingDay, asciiUpper, holidaysOf, PARAMS } from './dates.mjs';

const SWITCHES = ['switch_provider', 'switch_on_premises'];

// --- condition builders (they produce plain JSON) ---------------------------------------
const f = (path, operator, value) => ({ fact: 'request', path: `$.${path}`, operator, value });
const ref = (path) => ({ fact: 'request', path: `$.${path}` });
const missing = (path) => f(path, 'isMissing', true);
const present = (path) => f(path, 'isMissing', false);
const all = (...c) => ({ all: c });
const any = (...c) => ({ any: c });
const daysPlus = (date, days) => ({ fact: 'days_plus', params: { date, days } });
const monthsPlus = (date, months) => ({ fact: 'months_plus', params: { date, months } });

const rule = (id, severity, conditions) => ({ name: id, conditions, event: { type: 'fail', params: { id, severity } } });

/** The 17 rules as json-rules-engine rules (plain JSON), for the parameters `P` (dates.mjs). */
export function rulesFor(P) {
  const CUTOFF = P.switchingChargeCutoff;
  const DA = P.daJurisdictions;
  // Data Act scope (da_jurisdictions, production) in three states, from plain conditions.
  const scopeUnknown = missing('customer.jurisdiction');
  const scopeIn = all(f('customer.jurisdiction', 'inCodes', DA), f('service.non_production', 'notEqual', true));
  const scopeOut = all(present('customer.jurisdiction'),
    any(f('customer.jurisdiction', 'notInCodes', DA), f('service.non_production', 'equal', true)));
  return [
    rule('CMN-001', 'deny', any(
      missing('agreement.status'), missing('agreement.signed_at'),
      f('agreement.status', 'notEqual', 'agreed'),
      f('agreement.signed_at', 'after', { fact: 'as_of' }))),

    // Not for data transferred for parallel use while the customer's choice is given and is not a
    // switch.
    rule('CMN-005', 'deny', all(
      f('service.custom_built', 'notEqual', true),
      any(scopeUnknown, all(scopeIn,
        any(f('transfer.in_parallel_use', 'notEqual', true), missing('termination.customer_choice'),
          f('termination.customer_choice', 'in', SWITCHES)),
        any(
          missing('termination.effective_date'),
          all(f('termination.effective_date', 'onOrAfter', CUTOFF), any(
            missing('agreement.switching_charges.amount'),
            f('agreement.switching_charges.amount', 'greaterThan', 0)))))))),

    rule('CMN-006', 'warn', all(
      f('service.custom_built', 'notEqual', true),
      any(scopeUnknown, all(scopeIn, any(
        missing('termination.effective_date'),
        all(f('termination.effective_date', 'before', CUTOFF),
          f('agreement.switching_charges.amount', 'greaterThan', 0),
          f('agreement.switching_charges.cost_basis_documented', 'notEqual', true))))))),

    // A missing state fails too.
    rule('LCY-001', 'deny', any(
      missing('service.lifecycle_state'),
      f('service.lifecycle_state', 'notIn', ['onboarding', 'active', 'suspended']))),

    rule('TRM-001', 'deny', any(
      missing('termination.initiated_by'),
      all(f('termination.initiated_by', 'equal', 'provider'),
        any(missing('requested_by.party'), f('requested_by.party', 'notEqual', 'provider'))),
      all(f('termination.initiated_by', 'equal', 'customer'),
        any(missing('requested_by.contact_id'),
          f('customer.contacts[?(@.authorised_signatory===true)].id', 'excludes', ref('requested_by.contact_id')))))),

    (() => {
      const earliest = daysPlus('termination.notice_received_at', 'agreement.notice_period_days');
      const cap = monthsPlus('termination.notice_received_at', 2);
      const capShorter = { ...cap, operator: 'before', value: earliest };
      const capNotShorter = { ...cap, operator: 'onOrAfter', value: earliest };
      const customer = f('termination.initiated_by', 'equal', 'customer');
      return rule('TRM-002', 'deny', any(
        missing('termination.notice_received_at'), missing('termination.effective_date'),
        missing('agreement.notice_period_days'),
        all(customer, capShorter, scopeUnknown),
        all(customer, capShorter, scopeIn, f('termination.effective_date', 'before', cap)),
        all(any(f('termination.initiated_by', 'notEqual', 'customer'), capNotShorter, scopeOut),
          f('termination.effective_date', 'before', earliest))));
    })(),

    rule('TRM-003', 'warn', any(
      missing('termination.initiated_by'),
      all(f('termination.initiated_by', 'equal', 'customer'), scopeUnknown),
      all(f('termination.initiated_by', 'equal', 'customer'), scopeIn,
        f('termination.customer_choice', 'notIn', [...SWITCHES, 'erase'])))),

    // The deadline counts working days in provider.jurisdiction (its public holidays left out).
    rule('TRM-004', 'deny', all(
      f('termination.customer_choice', 'in', SWITCHES),
      any(scopeUnknown, all(scopeIn, any(
        missing('termination.extension_count'),
        f('termination.extension_count', 'greaterThan', 1),
        all(f('termination.extension_count', 'lessThan', 1), any(
          missing('termination.effective_date'), missing('termination.transition_end'),
          all(f('termination.transition_end', 'after', daysPlus('termination.effective_date', P.maxTransitionDays)), any(
            missing('termination.unfeasibility_notice_at'), missing('termination.alternative_transition_end'),
            missing('termination.notice_received_at'),
            f('termination.unfeasibility_notice_at', 'before', ref('termination.notice_received_at')),
            f('termination.unfeasibility_notice_at', 'after', {
              fact: 'nth_working_day',
              params: { date: 'termination.notice_received_at', n: P.noticeWorkingDays, jurisdiction: 'provider.jurisdiction' },
            }),
            f('termination.alternative_transition_end', 'after', monthsPlus('termination.effective_date', P.maxAlternativeMonths)),
            f('termination.transition_end', 'after', ref('termination.alternative_transition_end'))))))))))),

    (() => {
      const base = ['termination.transition_end', 'termination.effective_date'];
      const min = P.minRetrievalDays;
      const short = f('agreement.data_retrieval_period_days', 'lessThan', min);
      return rule('TRM-005', 'deny', all(
        f('termination.customer_choice', 'notEqual', 'erase'),
        any(
          missing('termination.retrieval_end'), missing('agreement.data_retrieval_period_days'),
          all(missing('termination.transition_end'), missing('termination.effective_date')),
          all(short, scopeUnknown),
          all(short, scopeIn, f('termination.retrieval_end', 'before', daysPlus(base, min))),
          all(any(f('agreement.data_retrieval_period_days', 'greaterThanInclusive', min), scopeOut),
            f('termination.retrieval_end', 'before', daysPlus(base, 'agreement.data_retrieval_period_days'))))));
    })(),

    rule('TRM-006', 'deny', any(
      missing('termination.planned_deletion_date'),
      all(f('termination.customer_choice', 'equal', 'erase'), any(
        missing('termination.effective_date'),
        f('termination.planned_deletion_date', 'before', ref('termination.effective_date')))),
      all(f('termination.customer_choice', 'notEqual', 'erase'), any(
        missing('termination.retrieval_end'),
        f('termination.planned_deletion_date', 'onOrBefore', ref('termination.retrieval_end')))))),

    rule('TRM-007', 'warn', any(
      missing('agreement.exit_plan.last_reviewed_at'),
      { fact: 'days_between', params: { from: 'agreement.exit_plan.last_reviewed_at' }, operator: 'greaterThan', value: P.exitPlanMaxAgeDays },
      f('agreement.exportable_data_categories', 'isBlank', true))),

    rule('TRM-008', 'warn', any(
      all(missing('termination.transition_end'), missing('termination.effective_date')),
      missing('service.sla_enforced_until'),
      all(present('termination.transition_end'),
        f('service.sla_enforced_until', 'before', ref('termination.transition_end'))),
      all(missing('termination.transition_end'),
        f('service.sla_enforced_until', 'before', ref('termination.effective_date'))))),

    rule('TRM-009', 'warn', any(
      missing('termination.initiated_by'),
      all(f('termination.initiated_by', 'equal', 'provider'), f('termination.reason', 'isBlank', true)))),

    rule('TRM-010', 'warn',
      all(f('suppliers[?(@.processes_customer_data===true && @.termination_notified_at==null)]', 'isBlank', false))),

    rule('TRM-011', 'warn', all(f('termination.change_id', 'isBlank', true))),

    rule('TRM-012', 'info', all(f('agreement.early_termination_fee.amount', 'greaterThan', 0))),

    // At most max_deletion_delay_days after the end of retrieval (after the effective date when the
    // customer chose erasure).
    rule('TRM-013', 'warn', any(
      missing('termination.planned_deletion_date'),
      all(f('termination.customer_choice', 'equal', 'erase'), any(
        missing('termination.effective_date'),
        f('termination.planned_deletion_date', 'after', daysPlus('termination.effective_date', P.maxDeletionDelayDays)))),
      all(f('termination.customer_choice', 'notEqual', 'erase'), any(
        missing('termination.retrieval_end'),
        f('termination.planned_deletion_date', 'after', daysPlus('termination.retrieval_end', P.maxDeletionDelayDays)))))),
  ];
}

/** The rules for the default pack's parameters. */
export const RULES = rulesFor(PARAMS);

// --- custom operators and facts ------------------------------------------------------------
const isMissing = (v) => v === undefined || v === null;
const isBlank = (v) => isMissing(v) || (typeof v === 'string' && v.trim() === '')
  || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
const dates = (cmp) => (a, b) => {
  const x = day(a), y = day(b);
  return x !== undefined && y !== undefined && cmp(x, y);
};
const asArray = (v) => (isMissing(v) ? [] : Array.isArray(v) ? v : [v]);

/** Resolves a dotted path (or the first present of several) in the request. */
function at(req, path) {
  for (const p of Array.isArray(path) ? path : [path]) {
    let v = req;
    for (const k of p.split('.')) v = v?.[k];
    if (!isMissing(v)) return v;
  }
  return undefined;
}

export function createJre(P = PARAMS) {
  const engine = new Engine(P === PARAMS ? RULES : rulesFor(P), { allowUndefinedFacts: true });
  engine.addOperator('isMissing', (v, expected) => isMissing(v) === expected);
  engine.addOperator('isBlank', (v, expected) => isBlank(v) === expected);
  engine.addOperator('before', dates((x, y) => x < y));
  engine.addOperator('onOrBefore', dates((x, y) => x <= y));
  engine.addOperator('after', dates((x, y) => x > y));
  engine.addOperator('onOrAfter', dates((x, y) => x >= y));
  engine.addOperator('excludes', (list, v) => !asArray(list).includes(v));
  engine.addOperator('inCodes', (v, codes) => typeof v === 'string' && codes.includes(asciiUpper(v)));
  engine.addOperator('notInCodes', (v, codes) => !(typeof v === 'string' && codes.includes(asciiUpper(v))));
  const request = (almanac) => almanac.factValue('request');
  engine.addFact('days_plus', async (p, almanac) => {
    const req = await request(almanac);
    const d = day(at(req, p.date));
    const n = typeof p.days === 'number' ? p.days : at(req, p.days);
    return d === undefined || typeof n !== 'number' ? undefined : iso(d + n);
  });
  engine.addFact('months_plus', async (p, almanac) => {
    const d = day(at(await request(almanac), p.date));
    return d === undefined ? undefined : iso(addMonths(d, p.months));
  });
  engine.addFact('nth_working_day', async (p, almanac) => {
    const req = await request(almanac);
    const d = day(at(req, p.date));
    return d === undefined ? undefined : iso(nthWorkingDay(d, p.n, holidaysOf(at(req, p.jurisdiction), P)));
  });
  engine.addFact('days_between', async (p, almanac) => {
    const from = day(at(await request(almanac), p.from));
    const to = day(await almanac.factValue('as_of'));
    return from === undefined || to === undefined ? undefined : to - from;
  });
  const RANK = { allow: 0, review: 1, deny: 2 };
  return {
    async evaluate(req, asOf) {
      const { events } = await engine.run({ request: req, as_of: req.as_of ?? asOf });
      let decision = 'allow';
      const failing = [];
      for (const e of events) {
        failing.push(e.params.id);
        const v = e.params.severity === 'deny' ? 'deny' : e.params.severity === 'warn' ? 'review' : 'allow';
        if (RANK[v] > RANK[decision]) decision = v;
      }
      failing.sort();
      return { decision, failing };
    },
  };
}
