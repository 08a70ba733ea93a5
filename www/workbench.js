// The rule workbench: browse the pack by scenario, open a rule's Rhai source, edit it and
// re-decide the portal's request with the edited pack. Edits are overlaid on the default pack
// and compiled leniently, so a broken rule shows up as a diagnostic (rule, line, column) and
// an `error` finding while the other rules keep working. Edits are kept in local storage.

import { ACTOR_TEXT, blocking, clauseChips, fill, findingCard, h, renderDecision, setBadge, short } from './lib/decision-view.js';
import { EngineTimeout } from './lib/engine-client.js';
import { offsetOf } from './lib/jsonpos.js';

const SCENARIOS = ['onboarding', 'termination', 'transfer', 'removal'];
const FOLDERS = ['common', 'lifecycle', 'onboarding', 'termination', 'transfer', 'removal'];

export function initWorkbench(ctx) {
  const $ = (id) => document.getElementById(id);
  const listEl = $('rule-list');
  const filterEl = $('wb-filter');
  const editor = $('rule-editor');
  const fileTitle = $('wb-file');
  const metaEl = $('wb-rule-meta');
  const editedTag = $('wb-edited');
  const applyBtn = $('wb-apply');
  const revertBtn = $('wb-revert');
  const diagEl = $('diagnostics');
  const cursorEl = $('wb-cursor');
  const out = { badge: $('wb-decision'), summary: $('wb-summary'), findingsEl: $('wb-findings') };

  let sources = {};
  let rules = [];
  let edits = ctx.store.get('edits', {}) ?? {};
  let current = null; // file path open in the editor
  let drafts = {}; // unsaved editor text per file
  let visible = false;
  let evalSeq = 0;

  const ruleByFile = () => Object.fromEntries(rules.map((r) => [r.file, r]));

  function textOf(file) {
    return drafts[file] ?? edits[file] ?? sources[file] ?? '';
  }

  function renderList() {
    const filter = filterEl.value;
    const byFolder = new Map();
    for (const r of rules) {
      if (filter !== 'all' && !(r.scenarios.includes(filter) || r.scenarios.includes('all'))) continue;
      const folder = String(r.file ?? '').split('/')[0] || 'other';
      if (!byFolder.has(folder)) byFolder.set(folder, []);
      byFolder.get(folder).push(r);
    }
    const groups = [...byFolder.keys()].sort((a, b) => FOLDERS.indexOf(a) - FOLDERS.indexOf(b));
    const packFile = Object.keys(sources).find((f) => f.endsWith('pack.json'));
    fill(
      listEl,
      packFile
        ? h(
            'ul',
            { class: 'rules' },
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', class: `rule-btn${current === packFile ? ' current' : ''}`, onclick: () => open(packFile), 'aria-current': current === packFile ? 'true' : null },
                h('strong', {}, 'pack.json'),
                h('span', { class: 'rule-title' }, 'parameters'),
                edits[packFile] !== undefined ? h('span', { class: 'tag' }, 'edited') : null,
              ),
            ),
          )
        : null,
      ...groups.map((g) =>
        h(
          'section',
          { class: 'rule-group' },
          h('h3', {}, g),
          h(
            'ul',
            { class: 'rules' },
            byFolder
              .get(g)
              .sort((a, b) => a.id.localeCompare(b.id))
              .map((r) =>
                h(
                  'li',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      class: `rule-btn${current === r.file ? ' current' : ''}`,
                      onclick: () => {
                        open(r.file);
                        // At phone widths the editor sits below the list: bring it into view.
                        if (window.innerWidth <= 900) fileTitle.scrollIntoView({ behavior: 'smooth', block: 'start' });
                      },
                      'aria-current': current === r.file ? 'true' : null,
                      dataset: { rule: r.id },
                    },
                    h('span', { class: `sev sev-${r.severity}` }, r.severity),
                    h('strong', {}, r.id),
                    h('span', { class: 'rule-title' }, r.title),
                    edits[r.file] !== undefined ? h('span', { class: 'tag' }, 'edited') : null,
                  ),
                  clauseChips(r.clauses),
                ),
              ),
          ),
        ),
      ),
    );
  }

  function open(file, { line, column, discard = false } = {}) {
    // Switching files keeps an unapplied edit as a draft, unless it is being thrown away.
    if (current && !discard && editor.value !== textOf(current)) drafts[current] = editor.value;
    current = file;
    const rule = ruleByFile()[file];
    fileTitle.textContent = file;
    fill(
      metaEl,
      ...(rule
        ? [
            h('strong', {}, `${rule.id} `),
            rule.title,
            ` · ${rule.severity} · scenarios: ${rule.scenarios.join(', ')}`,
            rule.actor ? ` · to make it pass: ${ACTOR_TEXT[rule.actor] ?? rule.actor}` : null,
            rule.description ? h('span', { class: 'desc' }, rule.description) : null,
          ]
        : ['Pack name, version and the parameters the rules read as params.']),
    );
    editor.disabled = false;
    applyBtn.disabled = false;
    editor.value = textOf(file);
    editedTag.hidden = edits[file] === undefined;
    revertBtn.disabled = edits[file] === undefined && drafts[file] === undefined;
    renderList();
    if (line) {
      const off = offsetOf(editor.value, line, column ?? 1, true);
      editor.focus();
      editor.setSelectionRange(off, off);
      const lh = parseFloat(getComputedStyle(editor).lineHeight) || 18;
      editor.scrollTop = Math.max(0, (line - 4) * lh);
    }
    updateCursor();
  }

  function updateCursor() {
    const before = editor.value.slice(0, editor.selectionStart);
    const lines = before.split('\n');
    // Columns in code points, as Rhai counts them in its diagnostics.
    cursorEl.textContent = `Ln ${lines.length}, Col ${[...lines.at(-1)].length + 1}`;
  }

  function renderDiagnostics(list, extra) {
    diagEl.replaceChildren();
    if (!list?.length && !extra) return;
    diagEl.append(
      h(
        'div',
        { class: 'diagnostics', role: 'alert' },
        h('h3', {}, extra ? 'The pack could not be loaded' : `Compile errors (${list.length})`),
        extra ? h('p', { class: 'message' }, extra) : null,
        h(
          'ul',
          {},
          (list ?? []).map((d) =>
            h(
              'li',
              { class: 'diagnostic', dataset: { rule: d.rule ?? '' } },
              h('strong', {}, d.rule ?? d.file ?? 'pack'),
              ' ',
              d.file && d.line
                ? h(
                    'button',
                    { type: 'button', class: 'path', onclick: () => open(d.file, { line: d.line, column: d.column }) },
                    `${d.file} line ${d.line}, column ${d.column ?? 1}`,
                  )
                : h('code', {}, d.file ?? ''),
              h('span', { class: 'message' }, ` ${d.code ? `[${d.code}] ` : ''}${d.message}`),
            ),
          ),
        ),
      ),
    );
  }

  async function applyEdits() {
    if (current) {
      const text = editor.value;
      delete drafts[current];
      if (text === sources[current]) delete edits[current];
      else edits[current] = text;
    }
    ctx.store.set('edits', Object.keys(edits).length ? edits : null);
    await installPack();
    if (current) open(current);
  }

  async function installPack() {
    const has = Object.keys(edits).length > 0;
    try {
      const info = await ctx.engine.setCustom(has ? edits : null);
      ctx.customInfo = info;
      renderDiagnostics(info?.diagnostics ?? []);
      if (info) rules = mergeRules(info.rules);
      else rules = ctx.info.rules;
    } catch (err) {
      // A pack that cannot load at all (say, pack.json is broken): decide nothing with it.
      ctx.customInfo = null;
      renderDiagnostics(err.diagnostics ?? [], err.message);
      setBadge(out.badge, 'error');
      out.summary.textContent = 'the edited pack did not load';
      out.findingsEl.replaceChildren();
      updateBanner();
      ctx.portal?.reevaluate();
      return;
    }
    updateBanner();
    renderList();
    ctx.portal?.reevaluate();
    await evaluate();
  }

  /** Rules that failed to compile vanish from the custom list; keep them visible. */
  function mergeRules(customRules) {
    const byId = new Map(ctx.info.rules.map((r) => [r.id, r]));
    for (const r of customRules) byId.set(r.id, r);
    return [...byId.values()];
  }

  function updateBanner() {
    const n = Object.keys(edits).length;
    $('custom-pack-banner').hidden = n === 0;
    $('wb-pack').textContent = n
      ? `Edited pack: ${n} file${n > 1 ? 's' : ''} changed${ctx.customInfo ? ` · ${short(ctx.customInfo.pack.digest)}` : ''}`
      : `Default pack ${ctx.info ? `${ctx.info.pack.name} ${ctx.info.pack.version}` : ''}`;
  }

  async function evaluate() {
    const text = ctx.portal?.currentText() ?? '';
    const seq = ++evalSeq;
    setBadge(out.badge, '…');
    out.summary.textContent = 'evaluating…';
    try {
      const decision = await ctx.engine.evaluate(text, { pack: ctx.customInfo ? 'custom' : 'default' });
      if (seq !== evalSeq) return;
      renderDecision(out, decision, {});
      // Error findings point into the source: make the position a link.
      for (const f of blocking(decision)) {
        if (f.outcome !== 'error' || !f.position) continue;
        const rule = rules.find((r) => r.id === f.rule);
        const li = out.findingsEl.querySelector(`.finding[data-rule="${f.rule}"]`);
        if (rule && li) {
          li.append(
            h(
              'button',
              { type: 'button', class: 'path', onclick: () => open(rule.file, f.position) },
              `show ${rule.file} line ${f.position.line}, column ${f.position.column}`,
            ),
          );
        }
      }
    } catch (err) {
      if (seq !== evalSeq) return;
      setBadge(out.badge, 'error');
      out.summary.textContent = err instanceof EngineTimeout ? `${err.message}. Is there an endless loop in the edited rule?` : err.message;
      out.findingsEl.replaceChildren(
        h('ol', { class: 'findings' }, findingCard({ rule: 'engine', title: 'No decision', severity: 'deny', outcome: 'error', message: out.summary.textContent }, {})),
      );
    }
  }

  async function resetPack() {
    edits = {};
    drafts = {};
    ctx.store.set('edits', null);
    if (current) open(current, { discard: true });
    await installPack();
    ctx.toast('Back to the default pack.');
  }

  // --- events
  filterEl.addEventListener('change', renderList);
  applyBtn.addEventListener('click', applyEdits);
  revertBtn.addEventListener('click', async () => {
    if (!current) return;
    delete drafts[current];
    delete edits[current];
    ctx.store.set('edits', Object.keys(edits).length ? edits : null);
    open(current, { discard: true });
    await installPack();
  });
  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      applyEdits();
    }
  });
  for (const ev of ['keyup', 'click', 'input', 'select']) editor.addEventListener(ev, updateCursor);
  editor.addEventListener('input', () => {
    revertBtn.disabled = false;
  });
  for (const b of document.querySelectorAll('[data-action="reset-pack"]')) b.addEventListener('click', resetPack);
  ctx.bus.on('view', (v) => {
    visible = v === 'workbench';
    if (visible && ctx.info) evaluate();
  });

  return {
    async ready(info) {
      sources = info.sources ?? {};
      rules = info.rules;
      const portalScenario = ctx.portal?.currentRequest()?.scenario;
      if (SCENARIOS.includes(portalScenario)) filterEl.value = portalScenario;
      // Drop stored edits of files the pack no longer has.
      for (const f of Object.keys(edits)) if (!(f in sources)) delete edits[f];
      if (Object.keys(edits).length) await installPack();
      else updateBanner();
      renderList();
      if (visible) await evaluate();
    },
  };
}
