// Draws a decision: the badge, then what blocks (errors, denials, warnings) with message,
// severity, paths and clauses, then what passed and what did not apply, folded away.

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

/** One failed or erroring finding, in full. */
export function findingCard(f, { onPath, reveal = true } = {}) {
  const kind = f.outcome === 'error' ? 'error' : f.severity;
  const paths = (f.paths ?? []).map((p) =>
    onPath
      ? h('li', {}, h('button', { type: 'button', class: 'path', onclick: () => onPath(p), title: `Go to ${p}` }, p))
      : h('li', {}, h('code', {}, p)),
  );
  return h(
    'li',
    { class: `finding finding-${kind}`, dataset: { rule: f.rule } },
    h(
      'div',
      { class: 'finding-head' },
      h('span', { class: `sev sev-${kind}` }, f.outcome === 'error' ? 'error' : f.severity),
      h('strong', { class: 'rule-id' }, f.rule),
      h('span', { class: 'rule-title' }, f.title),
    ),
    reveal && f.message ? h('p', { class: 'message' }, f.message + positionText(f)) : null,
    reveal && paths.length ? h('ul', { class: 'paths', 'aria-label': 'Fields' }, paths) : null,
    reveal ? clauseChips(f.clauses) : null,
  );
}

function folded(title, list, cls) {
  if (!list.length) return null;
  return h(
    'details',
    { class: `folded ${cls}` },
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
          f.outcome === 'not_applicable' && f.message ? h('span', { class: 'why' }, ` — ${f.message}`) : null,
        ),
      ),
    ),
  );
}

export function blocking(decision) {
  return (decision.findings ?? [])
    .filter((f) => f.outcome === 'fail' || f.outcome === 'error')
    .sort(
      (a, b) =>
        (a.outcome === 'error' ? -1 : SEVERITY_ORDER[a.severity] ?? 3) -
          (b.outcome === 'error' ? -1 : SEVERITY_ORDER[b.severity] ?? 3) || a.rule.localeCompare(b.rule),
    );
}

export function summaryText(decision) {
  const fs = decision.findings ?? [];
  const n = (o) => fs.filter((f) => f.outcome === o).length;
  const parts = [];
  if (n('error')) parts.push(`${n('error')} error`);
  if (n('fail')) parts.push(`${n('fail')} failed`);
  parts.push(`${n('pass')} passed`);
  if (n('not_applicable')) parts.push(`${n('not_applicable')} not applicable`);
  return parts.join(' · ');
}

/**
 * Fills `findingsEl` (and the request-level `errorsEl`, when given) with the decision.
 * `onPath(path)` makes paths clickable.
 */
export function renderDecision({ badge, summary, findingsEl, errorsEl, lifecycleEl, statsEl }, decision, { onPath } = {}) {
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
    folded('Passed', passes, 'passed'),
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
