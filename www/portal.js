// The portal: pick a scenario, start from an example, edit as fields or raw JSON, and see the
// decision update as you type. "Explain" asks the engine to say, for passing findings too,
// which values it checked (`{ explain: true }`). The text (not only the parsed value) is kept in local storage,
// so that a half-typed, invalid request also survives a reload.

import { focusPath, markInvalid, readControl, renderRequestForm } from './lib/form.js';
import { offsetOfPath, parseJson } from './lib/jsonpos.js';
import { h, isBlocking, renderDecision, setBadge } from './lib/decision-view.js';
import { parsePath, setPath } from './lib/paths.js';

const SCENARIOS = ['onboarding', 'termination', 'transfer', 'removal'];

export async function loadExample(scenario, kind) {
  const url =
    kind === 'deny'
      ? new URL(`./examples/${scenario}-deny.json`, import.meta.url)
      : new URL(`../rules/tests/base/${scenario}.json`, import.meta.url);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url.pathname}: HTTP ${res.status}`);
  return res.text();
}

export function initPortal(ctx) {
  const $ = (id) => document.getElementById(id);
  const scenarioEl = $('scenario');
  const exampleEl = $('example');
  const explainEl = $('explain');
  const textarea = $('request-editor');
  const fieldsEl = $('editor-fields');
  const jsonPanel = $('editor-json');
  const jsonStatus = $('json-status');
  const busy = $('busy');
  const out = {
    badge: $('decision'),
    summary: $('decision-summary'),
    findingsEl: $('findings'),
    errorsEl: $('request-errors'),
    lifecycleEl: $('lifecycle-line'),
    statsEl: $('stats-line'),
  };

  let parsed = null; // the last request that parsed
  let formStale = true;
  let evalSeq = 0;
  let evalTimer = null;
  let ready = false;
  let lastDecision = null;
  let editorTab = 'fields';

  function save() {
    ctx.store.set('portal', {
      scenario: scenarioEl.value,
      example: exampleEl.value,
      text: textarea.value,
      tab: editorTab,
      explain: explainEl.checked,
    });
  }

  function showEditorTab(tab, { focus = false } = {}) {
    editorTab = tab;
    for (const b of document.querySelectorAll('[data-etab]')) {
      const on = b.dataset.etab === tab;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    }
    fieldsEl.hidden = tab !== 'fields';
    jsonPanel.hidden = tab !== 'json';
    if (tab === 'fields' && formStale) renderForm();
    save();
  }

  function renderForm() {
    if (parsed === null) {
      fieldsEl.replaceChildren(
        h('p', { class: 'hint' }, 'The JSON does not parse, so the fields cannot be shown. Fix it in the JSON tab.'),
      );
      return;
    }
    renderRequestForm(fieldsEl, parsed, { idBase: 'pf', open: [parsed.scenario] });
    formStale = false;
    if (lastDecision) markInvalid(fieldsEl, failingPaths(lastDecision));
  }

  function failingPaths(decision) {
    return [
      // Noted (info) findings ask for no change: their fields are not marked.
      ...(decision.findings ?? []).filter(isBlocking).flatMap((f) => f.paths ?? []),
      ...(decision.errors ?? []).map((e) => e.path),
    ];
  }

  /** Sets the caret in the raw editor on a path (or on a line/column) and shows it. */
  function revealInJson(offset) {
    showEditorTab('json');
    textarea.focus();
    textarea.setSelectionRange(offset, offset);
    const line = textarea.value.slice(0, offset).split('\n').length;
    const lh = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
    textarea.scrollTop = Math.max(0, (line - 5) * lh);
  }

  function goToPath(path) {
    if (parsed !== null) {
      showEditorTab('fields');
      const how = focusPath(fieldsEl, path);
      if (how === 'exact') return;
      if (how === 'ancestor') {
        ctx.toast(`${path} is missing from the request: add it (the enclosing block is selected).`);
        return;
      }
    }
    const off = offsetOfPath(textarea.value, parsePath(path));
    if (off !== null) revealInJson(off);
    else ctx.toast(`${path} is not in the request.`);
  }

  function setText(text, { keepForm = false } = {}) {
    textarea.value = text;
    onTextChanged({ keepForm });
  }

  function onTextChanged({ keepForm = false } = {}) {
    const r = parseJson(textarea.value);
    if (r.error) {
      parsed = null;
      jsonStatus.replaceChildren(
        h('span', { class: 'bad' }, `Invalid JSON at line ${r.error.line}, column ${r.error.column}: ${r.error.message} `),
        h(
          'button',
          { type: 'button', class: 'linkish', onclick: () => revealInJson(r.error.offset) },
          'go there',
        ),
      );
      showJsonError(r.error);
    } else {
      parsed = r.value;
      jsonStatus.textContent = 'Valid JSON';
      jsonStatus.className = 'json-status';
      if (parsed && SCENARIOS.includes(parsed.scenario) && scenarioEl.value !== parsed.scenario) {
        scenarioEl.value = parsed.scenario;
      }
      scheduleEvaluate();
    }
    if (!keepForm) {
      formStale = true;
      if (editorTab === 'fields') renderForm();
    }
    save();
  }

  function showJsonError(err) {
    evalSeq++; // drop any answer still on its way for older text
    busy.hidden = true;
    setBadge(out.badge, 'error');
    out.summary.textContent = 'the request is not valid JSON';
    out.errorsEl.replaceChildren(
      h(
        'ul',
        { class: 'request-errors' },
        h(
          'li',
          { class: 'finding finding-error' },
          h('div', { class: 'finding-head' }, h('span', { class: 'sev sev-error' }, 'invalid_json'), h('strong', {}, 'Invalid JSON')),
          h('p', { class: 'message' }, err.message),
          h(
            'p',
            { class: 'where' },
            h('button', { type: 'button', class: 'path', onclick: () => revealInJson(err.offset) }, `line ${err.line}, column ${err.column}`),
          ),
        ),
      ),
    );
    out.findingsEl.replaceChildren();
    out.lifecycleEl.textContent = '';
    out.statsEl.textContent = '';
    updateMini();
  }

  /** The phone-width bar that keeps the decision in sight while editing far above it. */
  const mini = $('mini-decision');
  function updateMini() {
    const word = out.badge.textContent;
    setBadge($('mini-badge'), word);
    $('mini-summary').textContent = out.summary.textContent;
    mini.hidden = !document.getElementById('view-portal') || document.getElementById('view-portal').hidden;
  }
  mini.addEventListener('click', () => {
    $('decision-title').scrollIntoView({ behavior: 'smooth', block: 'start' });
    out.badge.setAttribute('tabindex', '-1');
    out.badge.focus({ preventScroll: true });
  });
  ctx.bus.on('view', (v) => {
    mini.hidden = v !== 'portal' || out.badge.textContent === '…';
  });

  function scheduleEvaluate(delay = 120) {
    clearTimeout(evalTimer);
    evalTimer = setTimeout(evaluate, delay);
  }

  async function evaluate() {
    if (!ready || parsed === null) return;
    const seq = ++evalSeq;
    busy.hidden = false;
    try {
      const explain = explainEl.checked;
      const decision = await ctx.engine.evaluate(textarea.value, { pack: ctx.customInfo ? 'custom' : 'default', explain });
      if (seq !== evalSeq) return;
      lastDecision = decision;
      renderDecision(out, decision, { onPath: goToPath, explain });
      updateMini();
      if (!formStale) markInvalid(fieldsEl, failingPaths(decision));
    } catch (err) {
      if (seq !== evalSeq) return;
      setBadge(out.badge, 'error');
      out.summary.textContent = err.message;
      out.findingsEl.replaceChildren();
    } finally {
      if (seq === evalSeq) busy.hidden = true;
    }
  }

  // Example loads can finish out of order (switching scenario and example in quick succession
  // starts two fetches): only the latest choice may replace the text.
  let loadSeq = 0;
  async function loadSelectedExample() {
    const seq = ++loadSeq;
    try {
      const text = await loadExample(scenarioEl.value, exampleEl.value);
      if (seq === loadSeq) setText(text);
    } catch (err) {
      if (seq === loadSeq) ctx.toast(err.message);
    }
  }

  // --- events
  scenarioEl.addEventListener('change', loadSelectedExample);
  exampleEl.addEventListener('change', loadSelectedExample);
  $('load-example').addEventListener('click', loadSelectedExample);
  explainEl.addEventListener('change', () => {
    save();
    scheduleEvaluate(0);
  });
  textarea.addEventListener('input', () => onTextChanged());
  $('format-json').addEventListener('click', () => {
    if (parsed !== null) setText(JSON.stringify(parsed, null, 2));
  });
  fieldsEl.addEventListener('input', onFieldEdit);
  fieldsEl.addEventListener('change', onFieldEdit);
  function onFieldEdit(e) {
    const el = e.target;
    if (!el.dataset || !el.dataset.path || parsed === null) return;
    // Text-like controls update on input; selects and checkboxes on change.
    if (e.type === 'input' && (el.dataset.kind === 'bool' || el.dataset.kind === 'enum')) return;
    setPath(parsed, el.dataset.path, readControl(el));
    if (el.dataset.missing) {
      // A field the request lacked (form.js OFFERED_FIELDS) is in the request from now on.
      delete el.dataset.missing;
      el.closest('.field')?.classList.remove('field-missing');
      for (let fs = el.closest('fieldset.block-missing'); fs; fs = fs.parentElement?.closest('fieldset.block-missing')) {
        fs.classList.remove('block-missing');
        const lg = fs.querySelector(':scope > legend');
        if (lg) lg.textContent = lg.textContent.replace(/ \(not in the request\)$/, '');
      }
    }
    textarea.value = JSON.stringify(parsed, null, 2);
    jsonStatus.textContent = 'Valid JSON';
    save();
    scheduleEvaluate(200);
  }
  ctx.wireTabs(document.querySelector('.subtabs'), (t) => showEditorTab(t.dataset.etab));

  $('import-file').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    ctx.toast(`Imported ${file.name}`);
    e.target.value = '';
  });
  $('export').addEventListener('click', () => {
    const name = `${(parsed && parsed.request_id) || 'request'}.json`.replace(/[^\w.-]+/g, '_');
    const blob = new Blob([textarea.value.endsWith('\n') ? textarea.value : `${textarea.value}\n`], { type: 'application/json' });
    const a = h('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });

  // --- restore
  const saved = ctx.store.get('portal');
  if (saved && typeof saved.explain === 'boolean') explainEl.checked = saved.explain;
  if (saved && typeof saved.text === 'string') {
    if (SCENARIOS.includes(saved.scenario)) scenarioEl.value = saved.scenario;
    if (saved.example === 'allow' || saved.example === 'deny') exampleEl.value = saved.example;
    textarea.value = saved.text;
    onTextChanged();
    showEditorTab(saved.tab === 'json' ? 'json' : 'fields');
  } else {
    loadSelectedExample();
  }

  return {
    ready() {
      ready = true;
      scheduleEvaluate(0);
    },
    reevaluate: () => scheduleEvaluate(0),
    currentText: () => textarea.value,
    currentRequest: () => parsed,
  };
}
