// The termination rules of pack 2.0.0 (rules/: CMN-001, CMN-005, CMN-006, LCY-001,
// TRM-001…TRM-013, 17 rules) as a GoRules JDM decision graph, for ZEN (bench/README.md):
//
//   request ─ parameters ─ facts ─┬─ CMN-001 ─┐
//   (input)   (expression) (expr.) ├─ …       ├─ decide ─ decision
//                                  └─ TRM-013 ─┘  (expr.)   (output)
//
// The input is `{ request, as_of }`. `parameters` holds the pack's parameters (rules/pack.json:
// the Data Act jurisdictions, the cut-off, the limits, the public holidays) under `params`;
// `facts` derives what the tables compare with ZEN's expression language and date functions
// (the Data Act scope, the dates, the date arithmetic); each rule is a decision table, hit policy
// "first", whose rows are read top to bottom and whose output is the rule's outcome (`fail`,
// `pass`, `not_applicable`) under `verdicts.<id>`; `decide` folds the outcomes into the
// failing ids and the decision. A missing required field fails the rule (fail closed), as in
// the Rhai pack: those are the first rows of each table.
//
// `node bench/peers/zen/graph.mjs` writes termination.json (the default pack's parameters);
// bench/engines/zen.mjs builds the graph for other parameters (a test case's overrides) with
// `graphFor`.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PACK = path.resolve(HERE, '../../../rules/pack.json');

export const SEVERITY = {
  'CMN-001': 'deny', 'CMN-005': 'deny', 'CMN-006': 'warn', 'LCY-001': 'deny',
  'TRM-001': 'deny', 'TRM-002': 'deny', 'TRM-003': 'warn', 'TRM-004': 'deny', 'TRM-005': 'deny',
  'TRM-006': 'deny', 'TRM-007': 'warn', 'TRM-008': 'warn', 'TRM-009': 'warn', 'TRM-010': 'warn',
  'TRM-011': 'warn', 'TRM-012': 'info', 'TRM-013': 'warn',
};

// --- expression text -----------------------------------------------------------------------
const lit = (v) => (typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  : Array.isArray(v) ? `[${v.map(lit).join(', ')}]`
    : v && typeof v === 'object' ? `{ ${Object.entries(v).map(([k, x]) => `${lit(k)}: ${lit(x)}`).join(', ')} }`
      : String(v));
// A date of the request, or null when missing: its date part (an RFC 3339 timestamp's first ten
// characters, as cloudgate reads it; a slice's end is inclusive) at midnight UTC, where day
// arithmetic never meets a daylight saving change.
const day = (p) => `d(${p}[0:9], 'UTC')`;
const date = (p) => `${p} == null ? null : ${day(p)}`;
const R = 'request';
const T = `${R}.termination`;
const A = `${R}.agreement`;
const asciiUpper = (s) => s.replace(/[a-z]+/g, (x) => x.toUpperCase());

/** The `parameters` node's expressions for a pack's `params` (with any overrides). */
export function parameterExpressions(p) {
  const holidays = Object.fromEntries(Object.entries(p.public_holidays ?? {}).map(([k, v]) => [asciiUpper(k), v]));
  const values = {
    da_jurisdictions: (p.da_jurisdictions ?? []).map(asciiUpper),
    switching_charge_cutoff: p.switching_charge_cutoff,
    exit_plan_max_age_days: p.exit_plan_max_age_days,
    da_max_transition_days: p.da_max_transition_days,
    da_min_retrieval_days: p.da_min_retrieval_days,
    da_max_alternative_transition_months: p.da_max_alternative_transition_months,
    da_unfeasibility_notice_working_days: p.da_unfeasibility_notice_working_days,
    max_deletion_delay_days: p.max_deletion_delay_days,
    public_holidays: holidays,
  };
  return Object.entries(values).map(([key, v]) => ({ id: `param-${key}`, key, value: lit(v) }));
}

// The derived facts, in order (a later one reads an earlier one as `$.name`).
const FACTS = [
  ['asOf', day(`(${R}.as_of ?? as_of)`)],
  // Data Act switching scope: 'in', 'out', or 'unknown' (customer.jurisdiction missing).
  ['scope', `${R}.customer.jurisdiction == null ? 'unknown'
    : (upper(${R}.customer.jurisdiction) in params.da_jurisdictions and ${R}.service.non_production != true ? 'in' : 'out')`],
  ['initiated', `${T}.initiated_by`],
  ['choice', `${T}.customer_choice`],
  ['isSwitch', `$.choice in ['switch_provider', 'switch_on_premises']`],
  ['effective', date(`${T}.effective_date`)],
  ['received', date(`${T}.notice_received_at`)],
  ['transitionEnd', date(`${T}.transition_end`)],
  ['retrievalEnd', date(`${T}.retrieval_end`)],
  ['planned', date(`${T}.planned_deletion_date`)],
  ['unfeasibilityNotice', date(`${T}.unfeasibility_notice_at`)],
  ['alternativeEnd', date(`${T}.alternative_transition_end`)],
  // CMN-001
  ['signedAfterAsOf', `${A}.signed_at == null ? null : ${day(`${A}.signed_at`)} > $.asOf`],
  // CMN-005, CMN-006: data in parallel use while the customer's choice is given and is not a switch.
  ['parallelNoSwitch', `${R}.transfer.in_parallel_use == true and $.choice != null and not $.isSwitch`],
  ['beforeCutoff', `$.effective == null ? null : $.effective < d(params.switching_charge_cutoff, 'UTC')`],
  // TRM-001: the first customer contact with the requesting id.
  ['requesterSignatory', `$.initiated == 'customer' and ${R}.requested_by.contact_id != null
    and filter(${R}.customer.contacts ?? [], #.id == ${R}.requested_by.contact_id)[0].authorised_signatory == true`],
  // TRM-002: notice + period, and the two-month cap (add_months clamps to the month's end).
  ['earliest', `$.received == null or ${A}.notice_period_days == null ? null : $.received.add(${A}.notice_period_days, 'd')`],
  ['cap', `$.received == null ? null : $.received.add(2, 'M')`],
  ['capShorter', `$.initiated == 'customer' and $.earliest != null and $.cap < $.earliest`],
  ['beforeEarliest', `$.effective == null or $.earliest == null ? null : $.effective < $.earliest`],
  ['beforeCap', `$.effective == null or $.cap == null ? null : $.effective < $.cap`],
  // TRM-004: the transition within its limit, else a valid unfeasibility notice: given within
  // n working days after the notice was received (Monday–Friday, the public holidays of the
  // provider's jurisdiction not counted: the n-th such day is the deadline), an alternative end
  // within m months of the effective date, and the transition ending by it.
  ['transitionWithin', `$.effective == null or $.transitionEnd == null ? null
    : $.transitionEnd <= $.effective.add(params.da_max_transition_days, 'd')`],
  ['holidays', `map(params.public_holidays[upper(${R}.provider.jurisdiction ?? '')] ?? [], d(#[0:9], 'UTC').format('%Y-%m-%d'))`],
  ['unfeasibilityValid', `$.transitionWithin == false
    and $.unfeasibilityNotice != null and $.alternativeEnd != null and $.received != null
    and $.unfeasibilityNotice >= $.received
    and $.alternativeEnd <= $.effective.add(params.da_max_alternative_transition_months, 'M')
    and $.transitionEnd <= $.alternativeEnd
    and $.unfeasibilityNotice <= filter(
      map([1..(params.da_unfeasibility_notice_working_days * 2 + len($.holidays) + 7)], $.received.add(#, 'd')),
      #.weekday() <= 5 and not (#.format('%Y-%m-%d') in $.holidays)
    )[params.da_unfeasibility_notice_working_days - 1]`],
  // TRM-005: the retrieval base and the agreed period (at least the minimum in DA scope).
  ['retrievalBase', `$.transitionEnd ?? $.effective`],
  ['retrievalShort', `${A}.data_retrieval_period_days == null ? null : ${A}.data_retrieval_period_days < params.da_min_retrieval_days`],
  ['retrievalBeforeMinimum', `$.retrievalEnd == null or $.retrievalBase == null ? null
    : $.retrievalEnd < $.retrievalBase.add(params.da_min_retrieval_days, 'd')`],
  ['retrievalBeforeAgreed', `$.retrievalEnd == null or $.retrievalBase == null or ${A}.data_retrieval_period_days == null ? null
    : $.retrievalEnd < $.retrievalBase.add(${A}.data_retrieval_period_days, 'd')`],
  // TRM-006, TRM-013: the deletion base is the effective date when the customer chose erasure,
  // else the end of retrieval.
  ['deletionBase', `$.choice == 'erase' ? $.effective : $.retrievalEnd`],
  ['deletionBeforeBase', `$.planned == null or $.deletionBase == null ? null : $.planned < $.deletionBase`],
  ['deletionOnOrBeforeBase', `$.planned == null or $.deletionBase == null ? null : $.planned <= $.deletionBase`],
  ['deletionLate', `$.planned == null or $.deletionBase == null ? null
    : $.planned > $.deletionBase.add(params.max_deletion_delay_days, 'd')`],
  // TRM-007
  ['exitPlanAgeDays', `${A}.exit_plan.last_reviewed_at == null ? null
    : $.asOf.diff(${day(`${A}.exit_plan.last_reviewed_at`)}, 'd')`],
  ['exportableBlank', `type(${A}.exportable_data_categories) != 'array' or len(${A}.exportable_data_categories) == 0`],
  // TRM-008: the SLA must hold until the end of the transition (else the effective date).
  ['slaUntil', date(`${R}.service.sla_enforced_until`)],
  ['serviceEnd', `$.transitionEnd ?? $.effective`],
  ['slaShort', `$.slaUntil == null or $.serviceEnd == null ? null : $.slaUntil < $.serviceEnd`],
  // TRM-009, TRM-011
  ['reasonBlank', `${T}.reason == null or trim(${T}.reason) == ''`],
  ['changeIdBlank', `${T}.change_id == null or trim(${T}.change_id) == ''`],
  // TRM-010
  ['supplierNotNotified', `some(${R}.suppliers ?? [], #.processes_customer_data == true and #.termination_notified_at == null)`],
];

// --- the rules: one decision table each ------------------------------------------------------
// columns: name → field (an expression over the facts node's output); rows: cells in column
// order ('' matches anything; a cell is a unary test of the column's value `$`), then the
// outcome. The first row that matches gives the rule's outcome.
const NULL = '$ == null';
const RULES = [
  ['CMN-001', { status: `${A}.status`, signed: `${A}.signed_at`, after: 'facts.signedAfterAsOf' }, [
    [NULL, '', '', 'fail'],
    ['', NULL, '', 'fail'],
    ["$ != 'agreed'", '', '', 'fail'],
    ['', '', 'true', 'fail'],
    ['', '', '', 'pass'],
  ]],
  // The switch date on or after the cut-off with a switching charge.
  ['CMN-005', {
    customBuilt: `${R}.service.custom_built`, scope: 'facts.scope', parallelNoSwitch: 'facts.parallelNoSwitch',
    effective: 'facts.effective', beforeCutoff: 'facts.beforeCutoff', amount: `${A}.switching_charges.amount`,
  }, [
    ['true', '', '', '', '', '', 'not_applicable'],
    ['', "'unknown'", '', '', '', '', 'fail'],
    ['', "'out'", '', '', '', '', 'not_applicable'],
    ['', '', 'true', '', '', '', 'not_applicable'],
    ['', '', '', NULL, '', '', 'fail'],
    ['', '', '', '', 'true', '', 'pass'],
    ['', '', '', '', '', NULL, 'fail'],
    ['', '', '', '', '', '> 0', 'fail'],
    ['', '', '', '', '', '', 'pass'],
  ]],
  // Before the cut-off, a switching charge needs its cost basis documented.
  ['CMN-006', {
    customBuilt: `${R}.service.custom_built`, scope: 'facts.scope', effective: 'facts.effective',
    beforeCutoff: 'facts.beforeCutoff', amount: `${A}.switching_charges.amount ?? 0`,
    documented: `${A}.switching_charges.cost_basis_documented`,
  }, [
    ['true', '', '', '', '', '', 'not_applicable'],
    ['', "'unknown'", '', '', '', '', 'fail'],
    ['', "'out'", '', '', '', '', 'not_applicable'],
    ['', '', NULL, '', '', '', 'fail'],
    ['', '', '', 'true', '> 0', '$ != true', 'fail'],
    ['', '', '', '', '', '', 'pass'],
  ]],
  // Termination starts from onboarding, active or suspended; a missing state fails.
  ['LCY-001', { state: `${R}.service.lifecycle_state` }, [
    ["'onboarding', 'active', 'suspended'", 'pass'],
    ['', 'fail'],
  ]],
  ['TRM-001', {
    initiated: 'facts.initiated', party: `${R}.requested_by.party`, contact: `${R}.requested_by.contact_id`,
    signatory: 'facts.requesterSignatory',
  }, [
    ["'provider'", NULL, '', '', 'fail'],
    ["'provider'", "$ != 'provider'", '', '', 'fail'],
    ["'provider'", '', '', '', 'pass'],
    ["'customer'", '', NULL, '', 'fail'],
    ["'customer'", '', '', 'true', 'pass'],
    ['', '', '', '', 'fail'],
  ]],
  // The scope matters only when the two-month cap would shorten the notice period.
  ['TRM-002', {
    received: 'facts.received', effective: 'facts.effective', period: `${A}.notice_period_days`,
    capShorter: 'facts.capShorter', scope: 'facts.scope', beforeCap: 'facts.beforeCap', beforeEarliest: 'facts.beforeEarliest',
  }, [
    [NULL, '', '', '', '', '', '', 'fail'],
    ['', NULL, '', '', '', '', '', 'fail'],
    ['', '', NULL, '', '', '', '', 'fail'],
    ['', '', '', 'true', "'unknown'", '', '', 'fail'],
    ['', '', '', 'true', "'in'", 'true', '', 'fail'],
    ['', '', '', 'true', "'in'", '', '', 'pass'],
    ['', '', '', '', '', '', 'true', 'fail'],
    ['', '', '', '', '', '', '', 'pass'],
  ]],
  ['TRM-003', { initiated: 'facts.initiated', scope: 'facts.scope', choice: 'facts.choice' }, [
    [NULL, '', '', 'fail'],
    ["'customer'", "'unknown'", '', 'fail'],
    ["'customer'", "'in'", "'switch_provider', 'switch_on_premises', 'erase'", 'pass'],
    ["'customer'", "'in'", '', 'fail'],
    ['', '', '', 'not_applicable'],
  ]],
  ['TRM-004', {
    isSwitch: 'facts.isSwitch', scope: 'facts.scope', extensions: `${T}.extension_count`, effective: 'facts.effective',
    transitionEnd: 'facts.transitionEnd', within: 'facts.transitionWithin', unfeasibilityValid: 'facts.unfeasibilityValid',
  }, [
    ['false', '', '', '', '', '', '', 'not_applicable'],
    ['', "'unknown'", '', '', '', '', '', 'fail'],
    ['', "'out'", '', '', '', '', '', 'not_applicable'],
    ['', '', NULL, '', '', '', '', 'fail'],
    ['', '', '> 1', '', '', '', '', 'fail'],
    ['', '', '1', '', '', '', '', 'pass'],
    ['', '', '', NULL, '', '', '', 'fail'],
    ['', '', '', '', NULL, '', '', 'fail'],
    ['', '', '', '', '', 'true', '', 'pass'],
    ['', '', '', '', '', '', 'true', 'pass'],
    ['', '', '', '', '', '', '', 'fail'],
  ]],
  // The scope matters only when the agreed period is below the Data Act minimum.
  ['TRM-005', {
    choice: 'facts.choice', retrievalEnd: 'facts.retrievalEnd', days: `${A}.data_retrieval_period_days`,
    base: 'facts.retrievalBase', short: 'facts.retrievalShort', scope: 'facts.scope',
    beforeMinimum: 'facts.retrievalBeforeMinimum', beforeAgreed: 'facts.retrievalBeforeAgreed',
  }, [
    ["'erase'", '', '', '', '', '', '', '', 'not_applicable'],
    ['', NULL, '', '', '', '', '', '', 'fail'],
    ['', '', NULL, '', '', '', '', '', 'fail'],
    ['', '', '', NULL, '', '', '', '', 'fail'],
    ['', '', '', '', 'true', "'unknown'", '', '', 'fail'],
    ['', '', '', '', 'true', "'in'", 'true', '', 'fail'],
    ['', '', '', '', 'true', "'in'", '', '', 'pass'],
    ['', '', '', '', '', '', '', 'true', 'fail'],
    ['', '', '', '', '', '', '', '', 'pass'],
  ]],
  ['TRM-006', {
    planned: 'facts.planned', base: 'facts.deletionBase', choice: 'facts.choice',
    before: 'facts.deletionBeforeBase', onOrBefore: 'facts.deletionOnOrBeforeBase',
  }, [
    [NULL, '', '', '', '', 'fail'],
    ['', NULL, '', '', '', 'fail'],
    ['', '', "'erase'", 'true', '', 'fail'],
    ['', '', "'erase'", '', '', 'pass'],
    ['', '', '', '', 'true', 'fail'],
    ['', '', '', '', '', 'pass'],
  ]],
  ['TRM-007', { ageDays: 'facts.exitPlanAgeDays', exportableBlank: 'facts.exportableBlank' }, [
    [NULL, '', 'fail'],
    ['> params.exit_plan_max_age_days', '', 'fail'],
    ['', 'true', 'fail'],
    ['', '', 'pass'],
  ]],
  ['TRM-008', { until: 'facts.slaUntil', end: 'facts.serviceEnd', short: 'facts.slaShort' }, [
    [NULL, '', '', 'fail'],
    ['', NULL, '', 'fail'],
    ['', '', 'true', 'fail'],
    ['', '', '', 'pass'],
  ]],
  ['TRM-009', { initiated: 'facts.initiated', reasonBlank: 'facts.reasonBlank' }, [
    [NULL, '', 'fail'],
    ["'provider'", 'true', 'fail'],
    ["'provider'", '', 'pass'],
    ['', '', 'not_applicable'],
  ]],
  ['TRM-010', { notNotified: 'facts.supplierNotNotified' }, [
    ['true', 'fail'],
    ['', 'pass'],
  ]],
  ['TRM-011', { changeIdBlank: 'facts.changeIdBlank' }, [
    ['true', 'fail'],
    ['', 'pass'],
  ]],
  ['TRM-012', { fee: `${A}.early_termination_fee.amount ?? 0` }, [
    ['> 0', 'fail'],
    ['', 'pass'],
  ]],
  // At most max_deletion_delay_days after the deletion base.
  ['TRM-013', { planned: 'facts.planned', base: 'facts.deletionBase', late: 'facts.deletionLate' }, [
    [NULL, '', '', 'fail'],
    ['', NULL, '', 'fail'],
    ['', '', 'true', 'fail'],
    ['', '', '', 'pass'],
  ]],
];

function table([id, columns, rows]) {
  const names = Object.keys(columns);
  const key = id.toLowerCase();
  return {
    id: key,
    name: id,
    type: 'decisionTableNode',
    position: { x: 720, y: 0 },
    content: {
      hitPolicy: 'first',
      inputs: names.map((n) => ({ id: `${key}-${n}`, name: n, field: columns[n] })),
      outputs: [{ id: `${key}-outcome`, name: 'outcome', field: `verdicts.${id}` }],
      rules: rows.map((cells, i) => ({
        _id: `${key}-row${i + 1}`,
        ...Object.fromEntries(names.map((n, j) => [`${key}-${n}`, cells[j]])),
        [`${key}-outcome`]: lit(cells[names.length]),
      })),
    },
  };
}

const ids = (severity) => lit(Object.keys(SEVERITY).filter((id) => SEVERITY[id] === severity));

/** The decision graph (JDM) for a pack's parameters. */
export function graphFor(params) {
  const nodes = [
    { id: 'request', name: 'request', type: 'inputNode', position: { x: 0, y: 0 }, content: {} },
    {
      id: 'parameters', name: 'parameters', type: 'expressionNode', position: { x: 240, y: 0 },
      content: { expressions: parameterExpressions(params), passThrough: true, outputPath: 'params' },
    },
    {
      id: 'facts', name: 'facts', type: 'expressionNode', position: { x: 480, y: 0 },
      content: {
        expressions: FACTS.map(([key, value]) => ({ id: `fact-${key}`, key, value: value.replace(/\s*\n\s*/g, ' ') })),
        passThrough: true,
        outputPath: 'facts',
      },
    },
    ...RULES.map(table),
    {
      id: 'decide', name: 'decide', type: 'expressionNode', position: { x: 960, y: 0 },
      content: {
        expressions: [
          { id: 'decide-failing', key: 'failing', value: "filter(keys(verdicts), verdicts[#] == 'fail')" },
          {
            id: 'decide-decision', key: 'decision',
            value: `some($.failing, # in ${ids('deny')}) ? 'deny' : some($.failing, # in ${ids('warn')}) ? 'review' : 'allow'`,
          },
          { id: 'decide-outcomes', key: 'outcomes', value: 'verdicts' },
        ],
      },
    },
    { id: 'decision', name: 'decision', type: 'outputNode', position: { x: 1200, y: 0 }, content: {} },
  ];
  const edge = (sourceId, targetId) => ({ id: `${sourceId}->${targetId}`, sourceId, targetId, type: 'edge' });
  const edges = [
    edge('request', 'parameters'),
    edge('parameters', 'facts'),
    ...RULES.flatMap(([id]) => [edge('facts', id.toLowerCase()), edge(id.toLowerCase(), 'decide')]),
    edge('decide', 'decision'),
  ];
  return { nodes, edges };
}

/** The default pack's parameters as shipped. */
export const PACK_PARAMS = JSON.parse(fs.readFileSync(PACK, 'utf8')).params ?? {};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.join(HERE, 'termination.json');
  fs.writeFileSync(out, `${JSON.stringify(graphFor(PACK_PARAMS), null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
