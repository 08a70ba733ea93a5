// Draws a decision: the badge, then what blocks (errors, denials, warnings) with message,
// severity, who must act, paths and clauses; the fields those findings name, grouped (one root
// cause often trips several rules); what was only noted (info findings never block); then what
// passed (with the checked values in explain mode) and what did not apply, folded away.

import { fieldHint, fieldLabel } from './fields.js';

const CLAUSE_NAMES = {
  iso20000_1_2018: 'ISO/IEC 20000-1:2018',
  iso20000_1_2011: 'ISO/IEC 20000-1:2011',
  iso20000_9: 'ISO/IEC TR 20000-9',
  data_act: 'Data Act',
  gdpr: 'GDPR',
  iso27001_2022: 'ISO/IEC 27001:2022',
  iso27017: 'ISO/IEC 27017',
  iso27018: 'ISO/IEC 27018',
  iso19086_1: 'ISO/IEC 19086-1',
};

const SEVERITY_ORDER = { deny: 0, warn: 1, info: 2 };

/** Who must act to make a failing check pass (domain.md §2 `actor`), in words. */
export const ACTOR_TEXT = {
  customer: 'The customer must act',
  provider: 'The provider must act',
  both: 'The customer and the provider must act',
};

/** Who the parties are, for a sentence ("the provider must fix 2 of them"). */
export const ACTOR_NAME = {
  customer: 'the customer',
  provider: 'the provider',
  both: 'the customer and the provider together',
};

/** An info finding that "failed" only records something: it is noted, never failed. */
export function isNoted(f) {
  return f.outcome === 'fail' && f.severity === 'info';
}

/** A finding that keeps the decision from `allow`: an error, or a deny or warn failure. */
export function isBlocking(f) {
  return f.outcome === 'error' || (f.outcome === 'fail' && f.severity !== 'info');
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** replaceChildren without the nulls (which it would print as the text "null"). */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

export function clauseChips(clauses) {
  const out = [];
  for (const [family, list] of Object.entries(clauses ?? {})) {
    if (!list || !list.length) continue;
    out.push(h('li', { class: 'chip', title: family }, `${CLAUSE_NAMES[family] ?? family} ${list.join(', ')}`));
  }
  return out.length ? h('ul', { class: 'chips', 'aria-label': 'Clauses' }, out) : null;
}

export function setBadge(el, decision) {
  el.textContent = decision;
  el.className = `badge badge-${decision.replace(/[^a-z]/g, '')}`;
}

function positionText(f) {
  return f.position ? ` (line ${f.position.line}, column ${f.position.column})` : '';
}

/**
 * A field a finding names: its title from the request's schema, in context ("Data asset #3 ›
 * Deletion › Deletion status"), the raw path kept for screen readers and for searching the
 * JSON (`data_assets[2].deletion.status`; sighted users get it on hover); the path alone when
 * the schema does not know it.
 */
export function pathText(path) {
  const label = fieldLabel(path);
  return label !== path
    ? [h('span', { class: 'path-title' }, label), h('span', { class: 'path-raw visually-hidden' }, ` (field ${path})`)]
    : [path];
}

/** A field a finding names, as a button that goes to it (or as code without `onPath`). */
export function pathButton(path, onPath) {
  return onPath
    ? h('button', { type: 'button', class: 'path', onclick: () => onPath(path), title: `Go to ${fieldHint(path)}`, dataset: { path } }, pathText(path))
    : h('code', { class: 'path', title: fieldHint(path), dataset: { path } }, pathText(path));
}

export function actorTag(f) {
  const text = ACTOR_TEXT[f.actor];
  return text ? h('span', { class: `actor actor-${f.actor}`, dataset: { actor: f.actor } }, text) : null;
}

/** One failed, erroring or noted finding, in full. */
export function findingCard(f, { onPath, reveal = true } = {}) {
  const kind = f.outcome === 'error' ? 'error' : f.severity;
  const noted = isNoted(f);
  const paths = (f.paths ?? []).map((p) => h('li', {}, pathButton(p, onPath)));
  return h(
    'li',
    { class: `finding finding-${kind}`, dataset: { rule: f.rule } },
    h(
      'div',
      { class: 'finding-head' },
      h('span', { class: `sev sev-${kind}` }, f.outcome === 'error' ? 'error' : noted ? 'noted' : f.severity),
      h('strong', { class: 'rule-id' }, f.rule),
      h('span', { class: 'rule-title' }, f.title),
      // An info finding asks nobody to act; an error is the rule's fault, not a party's.
      f.outcome === 'fail' && !noted ? actorTag(f) : null,
    ),
    reveal && f.message ? h('p', { class: 'message' }, f.message + positionText(f)) : null,
    reveal && paths.length ? h('ul', { class: 'paths', 'aria-label': 'Fields' }, paths) : null,
    reveal ? clauseChips(f.clauses) : null,
  );
}

function folded(title, list, cls, { open = false } = {}) {
  if (!list.length) return null;
  return h(
    'details',
    { class: `folded ${cls}`, open },
    h('summary', {}, `${title} (${list.length})`),
    h(
      'ul',
      { class: 'folded-list' },
      list.map((f) =>
        h(
          'li',
          { dataset: { rule: f.rule } },
          h('strong', { class: 'rule-id' }, f.rule),
          ' ',
          f.title,
          // Not applicable: why; passed: the values checked (explain mode only).
          f.message ? h('span', { class: 'why' }, ` — ${f.message}`) : null,
        ),
      ),
    ),
  );
}

/** The findings that keep the decision from `allow`, errors first, then deny, then warn. */
export function blocking(decision) {
  return (decision.findings ?? [])
    .filter(isBlocking)
    .sort(
      (a, b) =>
        (a.outcome === 'error' ? -1 : SEVERITY_ORDER[a.severity] ?? 3) -
          (b.outcome === 'error' ? -1 : SEVERITY_ORDER[b.severity] ?? 3) || a.rule.localeCompare(b.rule),
    );
}

/** Info findings that failed: recorded for the reader, never a reason to stop. */
export function notedFindings(decision) {
  return (decision.findings ?? []).filter(isNoted).sort((a, b) => a.rule.localeCompare(b.rule));
}

/** Counts by what they mean: an info finding is "noted", never "failed". */
export function counts(decision) {
  const fs = decision.findings ?? [];
  return {
    error: fs.filter((f) => f.outcome === 'error').length,
    failed: fs.filter((f) => f.outcome === 'fail' && f.severity !== 'info').length,
    noted: fs.filter(isNoted).length,
    passed: fs.filter((f) => f.outcome === 'pass').length,
    not_applicable: fs.filter((f) => f.outcome === 'not_applicable').length,
  };
}

export function summaryText(decision) {
  const n = counts(decision);
  const parts = [];
  if (n.error) parts.push(`${n.error} error`);
  if (n.failed) parts.push(`${n.failed} failed`);
  if (n.noted) parts.push(`${n.noted} noted`);
  parts.push(`${n.passed} passed`);
  if (n.not_applicable) parts.push(`${n.not_applicable} not applicable`);
  return parts.join(' · ');
}

/**
 * The fields named by the blocking findings, each with the rules that name it: one wrong field
 * often trips several rules, and fixing it may resolve them all. Sorted by how many rules name
 * the field (most first), then by path. Returns [{ path, rules: [{ rule, severity, actor }] }].
 */
export function byField(decision) {
  const map = new Map();
  for (const f of blocking(decision)) {
    if (f.outcome !== 'fail') continue;
    for (const p of new Set(f.paths ?? [])) {
      if (!map.has(p)) map.set(p, []);
      map.get(p).push({ rule: f.rule, severity: f.severity, actor: f.actor });
    }
  }
  return [...map]
    .map(([path, rules]) => ({ path, rules: rules.sort((a, b) => a.rule.localeCompare(b.rule)) }))
    .sort((a, b) => b.rules.length - a.rules.length || a.path.localeCompare(b.path));
}

/** The "by field" grouping: field → the rules that name it; shared fields are marked. */
export function byFieldView(decision, { onPath } = {}) {
  const groups = byField(decision);
  if (!groups.length) return null;
  const shared = groups.filter((g) => g.rules.length > 1).length;
  return h(
    'details',
    { class: 'folded by-field', open: shared > 0, dataset: { testid: 'by-field' } },
    h(
      'summary',
      {},
      `By field (${groups.length})`,
      shared ? h('span', { class: 'why' }, ` — ${shared} field${shared > 1 ? 's' : ''} named by several rules`) : null,
    ),
    h(
      'ul',
      { class: 'field-groups' },
      groups.map((g) =>
        h(
          'li',
          {
            class: `field-group${g.rules.length > 1 ? ' shared' : ''}`,
            dataset: { field: g.path, rules: g.rules.map((r) => r.rule).join(' ') },
          },
          pathButton(g.path, onPath),
          ' ',
          h(
            'span',
            { class: 'field-rules' },
            g.rules.map((r) => h('span', { class: `rule-ref sev-${r.severity}`, title: r.severity }, r.rule)),
          ),
          g.rules.length > 1
            ? h('span', { class: 'why' }, ` — fixing this field may resolve ${g.rules.length} findings`)
            : null,
        ),
      ),
    ),
  );
}

function notedView(list, { onPath } = {}) {
  if (!list.length) return null;
  return h(
    'details',
    { class: 'folded noted', open: true },
    h('summary', {}, `Noted (${list.length})`, h('span', { class: 'why' }, ' — information only, never blocks')),
    h('ul', { class: 'noted-list' }, list.map((f) => findingCard(f, { onPath }))),
  );
}

/**
 * Fills `findingsEl` (and the request-level `errorsEl`, when given) with the decision.
 * `onPath(path)` makes paths clickable.
 */
export function renderDecision({ badge, summary, findingsEl, errorsEl, lifecycleEl, statsEl }, decision, { onPath, explain = false } = {}) {
  setBadge(badge, decision.decision);
  // Lets a reader (and the tests) tell which request the shown decision belongs to.
  badge.dataset.requestId = decision.request_id ?? '';
  if (summary) summary.textContent = decision.errors?.length ? 'the request itself is invalid' : summaryText(decision);
  if (errorsEl) {
    errorsEl.replaceChildren();
    if (decision.errors?.length) {
      errorsEl.append(
        h(
          'ul',
          { class: 'request-errors' },
          decision.errors.map((e) =>
            h(
              'li',
              { class: 'finding finding-error' },
              h('div', { class: 'finding-head' }, h('span', { class: 'sev sev-error' }, e.code), h('strong', {}, 'Invalid request')),
              h('p', { class: 'message' }, e.message),
              h(
                'p',
                { class: 'where' },
                'at ',
                onPath && e.path && e.path !== '$'
                  ? h('button', { type: 'button', class: 'path', onclick: () => onPath(e.path) }, e.path)
                  : h('code', {}, e.path || '$'),
                e.line ? ` (JSON line ${e.line}, column ${e.column})` : '',
              ),
            ),
          ),
        ),
      );
    }
  }
  const bad = blocking(decision);
  const passes = (decision.findings ?? []).filter((f) => f.outcome === 'pass');
  const na = (decision.findings ?? []).filter((f) => f.outcome === 'not_applicable');
  fill(
    findingsEl,
    bad.length ? h('ol', { class: 'findings' }, bad.map((f) => findingCard(f, { onPath }))) : null,
    byFieldView(decision, { onPath }),
    notedView(notedFindings(decision), { onPath }),
    folded('Passed', passes, 'passed', { open: explain && passes.some((f) => f.message) }),
    folded('Not applicable', na, 'na'),
  );
  if (lifecycleEl) {
    const lc = decision.lifecycle;
    lifecycleEl.textContent = lc
      ? `Lifecycle: ${lc.from ?? '(state not given)'} → ${lc.to}${lc.legal === false ? ' — not a legal transition' : ''}`
      : '';
  }
  if (statsEl) {
    const s = decision.stats;
    statsEl.textContent = s
      ? `${s.rules_evaluated} rules · ${s.operations} operations · ${s.micros} µs · pack ${decision.pack?.name ?? ''} ${decision.pack?.version ?? ''} ${short(decision.pack?.digest)}`
      : '';
  }
}

export function short(digest) {
  if (!digest) return '';
  const [alg, hex] = String(digest).split(':');
  return hex ? `${alg}:${hex.slice(0, 12)}…` : digest;
}
