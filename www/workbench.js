// The rule workbench: browse the pack by scenario, open a rule's Rhai source in a code editor
// (CodeMirror 6, www/editor/, bundled into www/vendor/editor.js), edit it and re-decide the
// portal's request with the edited pack. Edits are overlaid on the default pack and compiled
// leniently, so a broken rule shows up as a diagnostic (rule, line, column) and an `error`
// finding while the other rules keep working. Edits are kept in local storage.
//
// While typing, a second worker (the same worker.js, the workbench's own) builds a throwaway
// engine from the edited files and returns its diagnostics, shown as inline marks. On every
// applied edit it runs the pack's test cases (rules/tests, bundled into www/vendor/pack-tests.json,
// plus the cases saved here) with coverage: pass/fail per case with expected vs actual, and the
// selected rule's lines shaded by whether a case ran them. The edited pack and its cases export
// and import as one file that names the pack's digest.

import { ACTOR_TEXT, blocking, clauseChips, fill, findingCard, h, renderDecision, setBadge, short } from './lib/decision-view.js';
import { EngineClient, EngineTimeout } from './lib/engine-client.js';
import { FIELDS } from './lib/fields.js';

const SCENARIOS = ['onboarding', 'termination', 'transfer', 'removal'];
const FOLDERS = ['common', 'lifecycle', 'onboarding', 'termination', 'transfer', 'removal'];
const CHECK_DELAY_MS = 300;
const EXPORT_FORMAT = 'cloudgate-workbench-pack';

export function initWorkbench(ctx) {
  const $ = (id) => document.getElementById(id);
  const listEl = $('rule-list');
  const filterEl = $('wb-filter');
  const editorHost = $('rule-editor');
  const fileTitle = $('wb-file');
  const metaEl = $('wb-rule-meta');
  const editedTag = $('wb-edited');
  const applyBtn = $('wb-apply');
  const revertBtn = $('wb-revert');
  const diagEl = $('diagnostics');
  const cursorEl = $('wb-cursor');
  const liveEl = $('wb-live');
  const coverageEl = $('wb-coverage');
  const testsEl = $('wb-tests');
  const testsSummary = $('wb-tests-summary');
  const runTestsBtn = $('wb-run-tests');
  const saveCaseBtn = $('wb-save-case');
  const exportBtn = $('wb-export-pack');
  const importInput = $('wb-import-pack');
  const out = { badge: $('wb-decision'), summary: $('wb-summary'), findingsEl: $('wb-findings') };

  let sources = {};
  let rules = [];
  let edits = ctx.store.get('edits', {}) ?? {};
  let testEdits = ctx.store.get('testEdits', {}) ?? {};
  let current = null; // file path open in the editor
  let drafts = {}; // unsaved editor text per file
  let visible = false;
  let evalSeq = 0;
  let lastDecision = null; // { text, decision } of the portal's request with this pack
  let appliedDiagnostics = []; // of the installed (applied) pack
  let liveDiagnostics = null; // { file, text, list } from the last check while typing
  let checkTimer = null;
  let checkSeq = 0;
  let packTests = null; // { "tests/…json": text } of the default pack
  let results = null; // the last runTests answer, and the rule texts it ran on
  let testedTexts = {};
  let testsStale = true;
  let testSeq = 0;
  let testsRunning = false;
  let importNote = null;

  const ruleByFile = () => Object.fromEntries(rules.map((r) => [r.file, r]));
  const textOf = (file) => drafts[file] ?? edits[file] ?? sources[file] ?? '';
  const appliedText = (file) => edits[file] ?? sources[file] ?? '';

  // ------------------------------------------------------------------ the editor
  let editor = null;
  const editorReady = (async () => {
    const options = {
      labelledBy: 'rule-editor-label',
      describedBy: 'wb-cursor wb-help',
      fields: FIELDS,
      editable: false,
      placeholder: 'Choose a rule from the list.',
      onChange: (text) => {
        revertBtn.disabled = false;
        scheduleCheck(text);
      },
      onCursor: ({ line, column }) => {
        cursorEl.textContent = `Ln ${line}, Col ${column}`;
      },
      onApply: () => applyEdits(),
    };
    try {
      const { createRuleEditor } = await import('./vendor/editor.js');
      editor = createRuleEditor(editorHost, options);
    } catch (err) {
      // The bundle is built by scripts/build-www.sh; without it the page still edits, plainly.
      console.warn(`rule editor: ${err.message}; using a plain text area (run scripts/build-www.sh)`);
      editor = plainEditor(editorHost, options);
    }
    if (current) editor.setText(textOf(current), { file: current });
    return editor;
  })();

  // ------------------------------------------------------------------ the tools worker
  let tools = null;
  let hostFunctions = null;
  function ensureTools() {
    if (tools) return tools;
    tools = new EngineClient(ctx.engine.url, {
      timeoutMs: 60000,
      onRestart: () => {
        testsSummary.textContent = 'The cases ran too long: the workbench stopped them.';
        testsSummary.className = 'wb-tests-summary bad';
      },
    });
    tools.ready
      .then(() => tools.send('hostFunctions'))
      .then(async (list) => {
        hostFunctions = list;
        (await editorReady).setHostFunctions(list);
      })
      .catch((err) => console.warn(`host functions: ${err.message}`));
    return tools;
  }

  async function loadPackTests() {
    if (packTests) return packTests;
    const res = await fetch(new URL('./vendor/pack-tests.json', import.meta.url));
    if (!res.ok) throw new Error(`the pack's cases are not built (HTTP ${res.status} for vendor/pack-tests.json): run scripts/build-www.sh`);
    packTests = await res.json();
    return packTests;
  }

  // ------------------------------------------------------------------ the rule list
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

  async function open(file, { line, column, discard = false } = {}) {
    const ed = await editorReady;
    // Switching files keeps an unapplied edit as a draft, unless it is being thrown away.
    if (current && !discard && ed.getText() !== textOf(current)) drafts[current] = ed.getText();
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
    applyBtn.disabled = false;
    saveCaseBtn.disabled = !rule;
    const text = textOf(file);
    // The same file again (after applying, say): keep the cursor, the scroll and the undo history.
    if (file !== ed.file?.() || text !== ed.getText()) ed.setText(text, { file });
    ed.setEditable(true);
    editedTag.hidden = edits[file] === undefined;
    revertBtn.disabled = edits[file] === undefined && drafts[file] === undefined;
    renderList();
    showDiagnostics();
    if (text !== appliedText(file)) scheduleCheck(text);
    showCoverage();
    renderTests();
    if (line) ed.goTo(line, column ?? 1);
  }

  // ------------------------------------------------------------------ diagnostics
  /** Inline marks: the live check's when it is of the text shown, else the applied pack's. */
  function showDiagnostics() {
    if (!editor || !current) return;
    const text = editor.getText();
    const list =
      liveDiagnostics && liveDiagnostics.file === current && liveDiagnostics.text === text
        ? liveDiagnostics.list
        : text === appliedText(current)
          ? appliedDiagnostics.filter((d) => d.file === current)
          : null;
    if (list === null) return; // a check is on its way
    editor.setDiagnostics(list);
    liveEl.textContent = list.length ? `${list.length} problem${list.length > 1 ? 's' : ''}: ${list[0].message.slice(0, 120)}` : '';
  }

  function scheduleCheck(text) {
    clearTimeout(checkTimer);
    const file = current;
    checkTimer = setTimeout(() => runCheck(file, text), CHECK_DELAY_MS);
  }

  async function runCheck(file, text) {
    if (!file) return;
    const seq = ++checkSeq;
    const overlay = { ...edits, [file]: text };
    if (text === sources[file]) delete overlay[file];
    try {
      const t = ensureTools();
      await t.ready;
      const answer = await t.send('check', { rules: Object.keys(overlay).length ? overlay : null });
      if (seq !== checkSeq) return;
      let list = answer.diagnostics.filter((d) => d.file === file || (!d.file && !answer.loaded));
      if (!answer.loaded && list.length === 0) list = [{ line: 1, column: 1, message: answer.message, file }];
      liveDiagnostics = { file, text, list };
      showDiagnostics();
    } catch (err) {
      if (seq === checkSeq) liveEl.textContent = `could not check: ${err.message}`;
    }
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

  // ------------------------------------------------------------------ applying edits
  async function applyEdits() {
    if (current && editor) {
      const text = editor.getText();
      delete drafts[current];
      if (text === sources[current]) delete edits[current];
      else edits[current] = text;
    }
    ctx.store.set('edits', Object.keys(edits).length ? edits : null);
    await installPack();
    if (current) await open(current);
  }

  async function installPack() {
    const has = Object.keys(edits).length > 0;
    testsStale = true;
    try {
      const info = await ctx.engine.setCustom(has ? edits : null);
      ctx.customInfo = info;
      appliedDiagnostics = info?.diagnostics ?? [];
      renderDiagnostics(appliedDiagnostics);
      if (info) rules = mergeRules(info.rules);
      else rules = ctx.info.rules;
    } catch (err) {
      // A pack that cannot load at all (say, pack.json is broken): decide nothing with it.
      ctx.customInfo = null;
      appliedDiagnostics = err.diagnostics ?? [];
      renderDiagnostics(err.diagnostics ?? [], err.message);
      setBadge(out.badge, 'error');
      out.summary.textContent = 'the edited pack did not load';
      out.findingsEl.replaceChildren();
      updateBanner();
      ctx.portal?.reevaluate();
      if (visible) runTests();
      return;
    }
    updateBanner();
    renderList();
    ctx.portal?.reevaluate();
    await evaluate();
    if (visible) runTests();
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
    const cases = Object.keys(testEdits).length;
    $('wb-pack').textContent =
      (n
        ? `Edited pack: ${n} file${n > 1 ? 's' : ''} changed${ctx.customInfo ? ` · ${short(ctx.customInfo.pack.digest)}` : ''}`
        : `Default pack ${ctx.info ? `${ctx.info.pack.name} ${ctx.info.pack.version}` : ''}`) +
      (cases ? ` · ${cases} test file${cases > 1 ? 's' : ''} with saved cases` : '');
  }

  async function evaluate() {
    const text = ctx.portal?.currentText() ?? '';
    const seq = ++evalSeq;
    setBadge(out.badge, '…');
    out.summary.textContent = 'evaluating…';
    try {
      const decision = await ctx.engine.evaluate(text, { pack: ctx.customInfo ? 'custom' : 'default' });
      if (seq !== evalSeq) return;
      lastDecision = { text, decision };
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
      lastDecision = null;
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
    testEdits = {};
    importNote = null;
    liveDiagnostics = null;
    ctx.store.set('edits', null);
    ctx.store.set('testEdits', null);
    if (current) await open(current, { discard: true });
    await installPack();
    ctx.toast('Back to the default pack.');
  }

  // ------------------------------------------------------------------ the pack's test cases
  async function runTests() {
    const seq = ++testSeq;
    testsStale = false;
    testsRunning = true;
    runTestsBtn.disabled = true;
    testsSummary.className = 'wb-tests-summary';
    testsSummary.textContent = 'Running the cases…';
    const snapshot = Object.fromEntries(Object.keys(sources).map((f) => [f, appliedText(f)]));
    try {
      const files = { ...(await loadPackTests()), ...testEdits };
      const t = ensureTools();
      await t.ready;
      const answer = await t.send('runTests', { rules: Object.keys(edits).length ? { ...edits } : null, files, coverage: true });
      if (seq !== testSeq) return;
      results = answer;
      testedTexts = snapshot;
    } catch (err) {
      if (seq !== testSeq) return;
      results = null;
      testsSummary.className = 'wb-tests-summary bad';
      testsSummary.textContent = `The cases did not run: ${err.message}`;
      testsEl.replaceChildren();
      showCoverage();
      return;
    } finally {
      if (seq === testSeq) {
        runTestsBtn.disabled = false;
        testsRunning = false;
      }
    }
    renderTests();
    showCoverage();
  }

  const ruleOfCase = (c) => c.rule ?? /^tests\/(.+)\.json$/.exec(c.file)?.[1] ?? null;

  /** What a case expects, one line each. */
  function describeExpect(e) {
    const lines = [];
    if (!e || typeof e !== 'object') return '';
    if (e.decision) lines.push(`decision: ${e.decision}`);
    if (e.failing) lines.push(`failing: ${e.failing.length ? [...e.failing].sort().join(', ') : 'none'}`);
    for (const [id, o] of Object.entries(e.outcomes ?? {})) lines.push(`${id}: ${o}`);
    for (const [id, m] of Object.entries(e.message_contains ?? {})) lines.push(`${id} message contains “${m}”`);
    for (const [id, p] of Object.entries(e.paths_include ?? {})) lines.push(`${id} paths include ${p.join(', ')}`);
    if (e.errors) lines.push(`input errors: ${e.errors.join(', ')}`);
    if (e.lifecycle_to) lines.push(`lifecycle to: ${e.lifecycle_to}`);
    return lines.join('\n');
  }

  /** The same facts of what the engine decided. */
  function describeActual(c) {
    const a = c.actual;
    if (!a) return 'no decision (the case could not be prepared or the request was refused)';
    const e = c.expected ?? {};
    const lines = [`decision: ${a.decision}`];
    lines.push(`failing: ${a.failing?.length ? [...a.failing].sort().join(', ') : 'none'}`);
    const ids = new Set([...Object.keys(e.outcomes ?? {}), ...Object.keys(e.message_contains ?? {}), ...Object.keys(e.paths_include ?? {})]);
    const own = ruleOfCase(c);
    if (own && a.outcomes?.[own] !== undefined) ids.add(own);
    for (const id of ids) lines.push(`${id}: ${a.outcomes?.[id] ?? 'did not run'}`);
    return lines.join('\n');
  }

  function caseItem(c) {
    return h(
      'li',
      { class: `case ${c.passed ? 'passed' : 'failed'}`, dataset: { case: c.name, file: c.file } },
      h('span', { class: 'verdict' }, c.passed ? '✓ pass' : '✗ fail'),
      h('span', { class: 'case-name' }, c.name),
      ' ',
      h('span', { class: 'case-file' }, c.file),
      c.passed
        ? null
        : [
            c.problems?.length ? h('ul', { class: 'problems' }, c.problems.map((p) => h('li', {}, p))) : null,
            h(
              'div',
              { class: 'vs' },
              h('div', {}, h('h4', {}, 'expected'), h('pre', { class: 'expected', tabindex: '0' }, describeExpect(c.expected))),
              h('div', {}, h('h4', {}, 'actual'), h('pre', { class: 'actual', tabindex: '0' }, describeActual(c))),
            ),
          ],
    );
  }

  function renderTests() {
    if (!results) return;
    const cases = results.cases ?? [];
    const failed = cases.filter((c) => !c.passed);
    // While a run is on its way the summary says so; the lists show the last run meanwhile.
    if (!testsRunning) {
      testsSummary.className = `wb-tests-summary ${failed.length ? 'bad' : 'ok'}`;
      testsSummary.textContent =
        `${cases.length} cases: ${cases.length - failed.length} passed, ${failed.length} failed` +
        (results.pack ? ` · pack ${results.pack.name} ${results.pack.version} ${short(results.pack.digest)}` : '') +
        (importNote ? ` · ${importNote}` : '');
    }
    const rule = ruleByFile()[current];
    const mine = rule ? cases.filter((c) => ruleOfCase(c) === rule.id) : [];
    const others = failed.filter((c) => !mine.includes(c));
    const parts = [];
    if (rule) {
      const myFailed = mine.filter((c) => !c.passed);
      const myPassed = mine.filter((c) => c.passed);
      parts.push(
        h(
          'section',
          { class: 'rule-cases', dataset: { rule: rule.id } },
          h('h4', {}, `${rule.id}: ${mine.length} case${mine.length === 1 ? '' : 's'}, ${myFailed.length} failing`),
          myFailed.length ? h('ol', { class: 'cases failing' }, myFailed.map(caseItem)) : null,
          myPassed.length
            ? h('details', { class: 'folded' }, h('summary', {}, `Passing (${myPassed.length})`), h('ol', { class: 'cases passing' }, myPassed.map(caseItem)))
            : null,
        ),
      );
    }
    if (others.length) {
      parts.push(
        h(
          'section',
          { class: 'other-cases' },
          h('h4', {}, rule ? `Failing cases of other rules (${others.length})` : `Failing cases (${others.length})`),
          h('ol', { class: 'cases failing' }, others.slice(0, 50).map(caseItem)),
          others.length > 50 ? h('p', { class: 'hint' }, `and ${others.length - 50} more`) : null,
        ),
      );
    }
    fill(testsEl, ...parts);
  }

  // ------------------------------------------------------------------ coverage
  function showCoverage() {
    const rule = ruleByFile()[current];
    const cov = rule && results?.coverage?.[rule.id];
    // Shade only the text the cases ran on: after an unapplied edit the lines would not match.
    const same = cov && editor && editor.getText() === testedTexts[current];
    editor?.setCoverage(same ? cov : null);
    if (!cov) {
      coverageEl.hidden = true;
      coverageEl.replaceChildren();
      return;
    }
    const st = cov.statements ?? { covered: 0, total: 0 };
    const branches = cov.branches ?? [];
    // Branch arms as `cloudgate test --coverage` counts them; from the branches when absent.
    const sides = cov.branch_arms?.total ?? branches.length * 2;
    const taken = cov.branch_arms?.covered ?? branches.reduce((n, b) => n + (b.taken?.[0] > 0 ? 1 : 0) + (b.taken?.[1] > 0 ? 1 : 0), 0);
    const missed = [];
    for (const b of branches) {
      if (!(b.taken?.[0] > 0)) missed.push({ ...b, side: 'then' });
      if (!(b.taken?.[1] > 0)) missed.push({ ...b, side: 'else' });
    }
    coverageEl.hidden = false;
    fill(
      coverageEl,
      h(
        'div',
        { class: 'legend' },
        h('span', {}, h('span', { class: 'swatch run', 'aria-hidden': 'true' }), 'run by a case (count in the margin)'),
        h('span', {}, h('span', { class: 'swatch none', 'aria-hidden': 'true' }), 'run by no case (0)'),
        h(
          'span',
          { class: 'figures', dataset: { testid: 'coverage-figures' } },
          `${rule.id}: statements ${st.covered}/${st.total}`,
          sides ? ` · branch arms ${taken}/${sides}` : ' · no branches',
        ),
      ),
      same ? null : h('p', { class: 'hint' }, 'The shading shows the applied text: apply the edit to run the cases on it.'),
      missed.length
        ? h(
            'ul',
            { class: 'missed' },
            missed.map((b) =>
              h(
                'li',
                {},
                h('button', { type: 'button', class: 'path', onclick: () => editor?.goTo(b.line, b.column) }, `line ${b.line}, column ${b.column}`),
                ` the ${b.side === 'then' ? 'condition is never true' : 'condition is never false'} in any case`,
              ),
            ),
          )
        : null,
    );
  }

  // ------------------------------------------------------------------ saving a case
  /** Adds `item` to the case file's list, keeping the file's layout (one case a line) when it can. */
  function appendCase(text, item) {
    const line = JSON.stringify(item);
    if (text) {
      const close = text.lastIndexOf(']');
      const head = text.slice(0, close).replace(/\s+$/, '');
      if (close > 0 && /^\s*\}\s*$/.test(text.slice(close + 1))) {
        const joined = `${head}${head.endsWith('[') ? '' : ','}\n    ${line}\n  ]${text.slice(close + 1)}`;
        try {
          if (JSON.parse(joined).cases.at(-1)) return joined;
        } catch {
          // laid out differently: rewrite it below
        }
      }
      const parsed = JSON.parse(text);
      parsed.cases = [...(parsed.cases ?? []), item];
      return `${JSON.stringify(parsed, null, 2)}\n`;
    }
    return null;
  }

  async function saveCase() {
    const rule = ruleByFile()[current];
    if (!rule) return;
    const text = ctx.portal?.currentText() ?? '';
    let request;
    try {
      request = JSON.parse(text);
    } catch {
      ctx.toast('The portal\'s request is not valid JSON: fix it before saving it as a case.');
      return;
    }
    let decision;
    try {
      decision = await ctx.engine.evaluate(text, { pack: ctx.customInfo ? 'custom' : 'default' });
    } catch (err) {
      ctx.toast(`Could not decide the request: ${err.message}`);
      return;
    }
    const finding = decision.findings?.find((f) => f.rule === rule.id);
    if (!finding) {
      ctx.toast(`${rule.id} does not run for this request (scenario ${decision.scenario ?? 'unknown'}).`);
      return;
    }
    const item = {
      name: `saved in the workbench: ${request.request_id ?? 'request'} ${finding.outcome === 'pass' ? 'passes' : `gives ${finding.outcome}`}`,
      request,
      ...(request.as_of || !decision.as_of ? {} : { as_of: decision.as_of }),
      expect: { outcomes: { [rule.id]: finding.outcome } },
    };
    const path = `tests/${rule.id}.json`;
    const tests = await loadPackTests().catch(() => ({}));
    const before = testEdits[path] ?? tests[path];
    const next = before
      ? appendCase(before, item)
      : `${JSON.stringify({ description: `${rule.id}: cases saved in the workbench`, cases: [item] }, null, 2)}\n`;
    testEdits[path] = next;
    ctx.store.set('testEdits', testEdits);
    updateBanner();
    ctx.toast(`Saved as a case of ${rule.id} (${path}): expects ${finding.outcome}.`);
    await runTests();
  }

  // ------------------------------------------------------------------ export and import
  async function exportPack() {
    const pack = ctx.customInfo?.pack ?? ctx.info?.pack;
    const body = {
      format: EXPORT_FORMAT,
      version: 1,
      pack: pack ? { name: pack.name, version: pack.version, digest: pack.digest } : null,
      base: ctx.info ? { name: ctx.info.pack.name, version: ctx.info.pack.version, digest: ctx.info.pack.digest } : null,
      rules: { ...edits },
      tests: { ...testEdits },
    };
    const blob = new Blob([`${JSON.stringify(body, null, 2)}\n`], { type: 'application/json' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `${pack?.name ?? 'pack'}-${short(pack?.digest ?? '').replace(/[^\w-]/g, '')}.cloudgate.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  function filesOf(value, what) {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
      throw new Error(`"${what}" must map file paths to their text`);
    }
    return value;
  }

  async function importPack(file) {
    let body;
    try {
      body = JSON.parse(await file.text());
      if (body?.format !== EXPORT_FORMAT) throw new Error(`not a workbench export (format "${body?.format ?? 'none'}")`);
      body.rules = filesOf(body.rules, 'rules');
      body.tests = filesOf(body.tests, 'tests');
      for (const path of Object.keys(body.tests)) if (!/^tests\/.+\.json$/.test(path)) throw new Error(`"${path}" is not a test file (tests/….json)`);
    } catch (err) {
      ctx.toast(`Import refused: ${err.message}`);
      importNote = `import refused: ${err.message}`;
      testsSummary.textContent = importNote;
      testsSummary.className = 'wb-tests-summary bad';
      return;
    }
    // What the file's rules produce, compared with the digest it names.
    let digest = null;
    try {
      const t = ensureTools();
      await t.ready;
      const answer = await t.send('check', { rules: Object.keys(body.rules).length ? body.rules : null });
      digest = answer.digest ?? null;
    } catch {
      digest = null;
    }
    const named = body.pack?.digest ?? null;
    importNote =
      named && digest === named
        ? `imported ${file.name}: digest ${short(digest)} matches`
        : `warning: ${file.name} names digest ${named ? short(named) : 'none'}, its rules produce ${digest ? short(digest) : 'no pack'}`;
    edits = { ...body.rules };
    testEdits = { ...body.tests };
    drafts = {};
    liveDiagnostics = null;
    ctx.store.set('edits', Object.keys(edits).length ? edits : null);
    ctx.store.set('testEdits', Object.keys(testEdits).length ? testEdits : null);
    ctx.toast(importNote);
    results = null; // the last run's cases are not the imported pack's
    testsSummary.textContent = 'Running the imported cases…';
    testsSummary.className = 'wb-tests-summary';
    testsEl.replaceChildren();
    if (current) await open(current, { discard: true });
    await installPack();
    if (!visible) await runTests();
  }

  // ------------------------------------------------------------------ events
  filterEl.addEventListener('change', renderList);
  applyBtn.addEventListener('click', applyEdits);
  revertBtn.addEventListener('click', async () => {
    if (!current) return;
    delete drafts[current];
    delete edits[current];
    liveDiagnostics = null;
    ctx.store.set('edits', Object.keys(edits).length ? edits : null);
    await open(current, { discard: true });
    await installPack();
  });
  runTestsBtn.addEventListener('click', runTests);
  saveCaseBtn.addEventListener('click', saveCase);
  exportBtn.addEventListener('click', exportPack);
  importInput.addEventListener('change', async () => {
    const f = importInput.files?.[0];
    importInput.value = '';
    if (f) await importPack(f);
  });
  for (const b of document.querySelectorAll('[data-action="reset-pack"]')) b.addEventListener('click', resetPack);
  ctx.bus.on('view', (v) => {
    visible = v === 'workbench';
    if (visible && ctx.info) {
      ensureTools();
      evaluate();
      if (testsStale) runTests();
    }
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
      if (visible) {
        ensureTools();
        await evaluate();
        if (testsStale) runTests();
      }
    },
  };
}

/** The editor's API over a plain text area, for a page served without the bundle. */
function plainEditor(host, { labelledBy, describedBy, onChange, onCursor, onApply, editable = true }) {
  const ta = document.createElement('textarea');
  ta.spellcheck = false;
  ta.disabled = !editable;
  if (labelledBy) ta.setAttribute('aria-labelledby', labelledBy);
  if (describedBy) ta.setAttribute('aria-describedby', describedBy);
  host.append(ta);
  const cursor = () => {
    const lines = ta.value.slice(0, ta.selectionStart).split('\n');
    onCursor({ line: lines.length, column: [...lines.at(-1)].length + 1 });
  };
  for (const ev of ['keyup', 'click', 'select']) ta.addEventListener(ev, cursor);
  ta.addEventListener('input', () => {
    onChange(ta.value);
    cursor();
  });
  ta.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onApply();
    }
  });
  const api = {
    getText: () => ta.value,
    setText(text) {
      ta.value = text;
      cursor();
    },
    setEditable(on) {
      ta.disabled = !on;
    },
    focus: () => ta.focus(),
    goTo(line, column = 1) {
      const lines = ta.value.split('\n');
      let off = 0;
      for (let i = 0; i < Math.min(line - 1, lines.length); i++) off += lines[i].length + 1;
      off += [...(lines[line - 1] ?? '')].slice(0, column - 1).join('').length;
      ta.focus();
      ta.setSelectionRange(off, off);
    },
    setDiagnostics() {},
    setCoverage() {},
    setHostFunctions() {},
  };
  host.cgEditor = api;
  return api;
}
