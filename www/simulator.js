// The training simulator: the exercises of exercises/*.json, one lifecycle step at a time. The
// trainee edits only the fields in play (each labelled with its title from the request's
// schema, the raw path on hover), checks the request against the default pack (never the
// workbench's edits), and may buy hints: each reveals one blocking finding's message and fields.
// Every finding names who must act. A flawed request is denied, or (an exercise with
// `decision: 'review'`) needs review: either way only `allow` solves it. Info findings are only
// noted: they never block and are no hint.
// Score per exercise: 100 − 10 per hint − 5 per unsuccessful check (at least 20); the best score
// of each exercise counts. Progress (scores, attempts, the current exercise, work in progress,
// whether the results page is open) is kept in local storage and survives a reload; what is read
// back is checked field by field, so stored data from an older page or a corrupt entry loses
// only what is unreadable. The results page says, per step, what was done and learned.

import { LIFECYCLE, flawedRequest, loadCurriculum } from './exercises.js';
import { ACTOR_NAME, blocking, clauseChips, fill, findingCard, h, setBadge } from './lib/decision-view.js';
import { fieldLabel } from './lib/fields.js';
import { focusPath, markInvalid, readControl, renderFieldList } from './lib/form.js';
import { drawLifecycle } from './lib/lifecycle-svg.js';
import { clone, setPath } from './lib/paths.js';

const KEY = 'training';
/** The shape of the stored progress; an entry without it is an older page's and is read leniently. */
export const PROGRESS_VERSION = 2;

export function scoreFor({ hints = 0, misses = 0 }) {
  return Math.max(20, 100 - 10 * hints - 5 * misses);
}

const count = (v) => (Number.isInteger(v) && v >= 0 ? v : 0);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Progress as stored (any JSON value, or what an older page stored) made sound for the
 * exercises `ids`: unknown exercises and unreadable entries are dropped, counts that are not
 * counts become 0, a current exercise that no longer exists becomes the first one.
 * Returns { v, current, view, results: { id: { done, best, last, attempts, hints } },
 * work: { id: { request, hints, misses } } }.
 */
export function restoreProgress(raw, ids) {
  const s = isObject(raw) ? raw : {};
  const known = new Set(ids);
  const results = {};
  for (const [id, r] of Object.entries(isObject(s.results) ? s.results : {})) {
    if (!known.has(id) || !isObject(r)) continue;
    const done = r.done === true;
    const best = done ? Math.min(100, Math.max(20, count(r.best) || 20)) : 0;
    results[id] = { done, best, last: done ? Math.min(100, count(r.last) || best) : 0, attempts: count(r.attempts), hints: count(r.hints) };
  }
  const work = {};
  for (const [id, w] of Object.entries(isObject(s.work) ? s.work : {})) {
    if (!known.has(id) || !isObject(w)) continue;
    work[id] = { request: isObject(w.request) ? w.request : null, hints: count(w.hints), misses: count(w.misses) };
  }
  return {
    v: PROGRESS_VERSION,
    current: known.has(s.current) ? s.current : ids[0],
    view: s.view === 'results' ? 'results' : 'exercises',
    results,
    work,
  };
}

/** "the provider must act on 2 of them, the customer on 1" for a list of blocking findings. */
export function actorSummary(findings) {
  const by = {};
  for (const f of findings) if (f.outcome === 'fail' && ACTOR_NAME[f.actor]) by[f.actor] = (by[f.actor] ?? 0) + 1;
  const parts = Object.entries(by)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([actor, n]) => `${ACTOR_NAME[actor]} must act on ${n === findings.length ? (n === 1 ? 'it' : 'all of them') : `${n} of them`}`);
  return parts.join(', ');
}

export function initSimulator(ctx) {
  const $ = (id) => document.getElementById(id);
  const viewEl = $('view-simulator');
  const fieldsEl = $('sim-fields');
  const listEl = $('exercise-list');
  const stagesEl = $('stage-tabs');
  const diagramEl = $('lifecycle-diagram');
  const badge = $('sim-decision');
  const summary = $('sim-summary');
  const findingsEl = $('sim-findings');
  const checkBtn = $('sim-check');
  const hintBtn = $('sim-hint');
  const nextBtn = $('sim-next');
  const resultsEl = $('sim-results');
  const resultsBtn = $('sim-results-open');
  // What the results page replaces while it is open.
  const walkEls = [diagramEl.closest('figure'), stagesEl, viewEl.querySelector('.sim-grid')];

  let STAGES = [];
  let EXERCISES = [];
  const bases = {};
  let state = null;
  let ex = null;
  let request = null;
  let lastDecision = null;
  let engineReady = false;

  function load() {
    return restoreProgress(
      ctx.store.get(KEY, null),
      EXERCISES.map((e) => e.id),
    );
  }
  function save() {
    ctx.store.set(KEY, state);
  }

  async function baseFor(scenario) {
    if (!bases[scenario]) {
      const res = await fetch(new URL(`../rules/tests/base/${scenario}.json`, import.meta.url));
      if (!res.ok) throw new Error(`could not load the ${scenario} example: HTTP ${res.status}`);
      bases[scenario] = await res.json();
    }
    return bases[scenario];
  }

  function work() {
    if (!state.work[ex.id]) state.work[ex.id] = { hints: 0, misses: 0, request: null };
    return state.work[ex.id];
  }

  function result(id) {
    if (!state.results[id]) state.results[id] = { done: false, best: 0, last: 0, attempts: 0, hints: 0 };
    return state.results[id];
  }

  const allDone = () => EXERCISES.every((e) => state.results[e.id]?.done);

  function renderScore() {
    const done = EXERCISES.filter((e) => state.results[e.id]?.done).length;
    const total = EXERCISES.reduce((a, e) => a + (state.results[e.id]?.best ?? 0), 0);
    $('sim-score').textContent = String(total);
    $('sim-progress').textContent = `${done}/${EXERCISES.length}`;
  }

  function stageOf(e) {
    return STAGES.find((s) => s.scenario === e.scenario);
  }

  function renderStages() {
    const cur = stageOf(ex);
    stagesEl.replaceChildren(
      ...STAGES.map((s, i) => {
        const list = EXERCISES.filter((e) => e.scenario === s.scenario);
        const done = list.filter((e) => state.results[e.id]?.done).length;
        const on = s === cur;
        return h(
          'button',
          {
            role: 'tab',
            type: 'button',
            'aria-selected': String(on),
            tabindex: on ? '0' : '-1',
            class: `stage${done === list.length ? ' complete' : ''}`,
            dataset: { scenario: s.scenario },
          },
          h('span', { class: 'stage-n', 'aria-hidden': 'true' }, `${i + 1}`),
          h('span', {}, s.title, h('small', {}, ` ${done}/${list.length}`, h('span', { class: 'visually-hidden' }, ' done'))),
        );
      }),
    );
  }

  function renderList() {
    const stage = stageOf(ex);
    $('stage-intro').textContent = `${stage.section}: ${stage.intro}`;
    listEl.replaceChildren(
      ...EXERCISES.filter((e) => e.scenario === ex.scenario).map((e) => {
        const r = state.results[e.id];
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: `ex-btn${e === ex ? ' current' : ''}${r?.done ? ' done' : ''}`,
              'aria-current': e === ex ? 'true' : null,
              dataset: { exercise: e.id },
              onclick: () => select(e.id, { focus: true }),
            },
            h('span', { class: 'ex-mark', 'aria-hidden': 'true' }, r?.done ? '✓' : '○'),
            h('span', {}, e.title),
            r?.done ? h('span', { class: 'ex-score' }, `${r.best} pts`) : h('span', { class: 'visually-hidden' }, ' (not done)'),
          ),
        );
      }),
    );
  }

  function renderDiagram() {
    const stage = stageOf(ex);
    const solved = lastDecision?.decision === 'allow';
    const from = stage.from;
    const to = stage.to;
    const idx = LIFECYCLE.indexOf(from);
    const visited = new Set(LIFECYCLE.filter((s, i) => i < idx && s !== 'suspended'));
    if (solved) visited.add(from);
    const narrow = (diagramEl.clientWidth || window.innerWidth) < 620;
    drawLifecycle(diagramEl, {
      states: LIFECYCLE,
      visited,
      current: solved ? to : from,
      next: solved ? null : to,
      cols: narrow ? 3 : 5,
    });
    $('diagram-caption').textContent = solved
      ? `Allowed: the tenancy moves from ${from} to ${to}.`
      : `Step ${STAGES.indexOf(stage) + 1} of ${STAGES.length} — ${stage.title}: the tenancy is ${from}; an allowed request moves it to ${to}.`;
  }

  function renderResult() {
    const w = work();
    if (!lastDecision) {
      setBadge(badge, 'not checked yet');
      badge.className = 'badge';
      badge.dataset.requestId = '';
      summary.textContent = '';
      findingsEl.replaceChildren();
      hintBtn.disabled = false;
      return;
    }
    setBadge(badge, lastDecision.decision);
    badge.dataset.requestId = lastDecision.request_id ?? '';
    const bad = blocking(lastDecision);
    if (lastDecision.decision === 'allow') {
      const r = state.results[ex.id];
      summary.textContent = `Solved — ${r?.last ?? r?.best ?? 0} points${r && r.best !== r.last ? ` (best ${r.best})` : ''}.`;
      fill(
        findingsEl,
        h('p', { class: 'success' }, `Well done: no rule blocks this ${ex.scenario} request any more.`),
        ex.lesson ? h('p', { class: 'lesson', dataset: { testid: 'sim-lesson' } }, h('strong', {}, 'What this teaches: '), ex.lesson) : null,
        allDone() ? h('p', { class: 'success' }, 'Every exercise is solved: see what you learned on the results page.') : null,
      );
      hintBtn.disabled = true;
      return;
    }
    const who = actorSummary(bad);
    summary.textContent = lastDecision.errors?.length
      ? 'The request is invalid.'
      : (lastDecision.decision === 'review'
          ? `${bad.length} warning${bad.length === 1 ? '' : 's'}: a person must review it before it can proceed`
          : `${bad.length} rule${bad.length === 1 ? '' : 's'} still block${bad.length === 1 ? 's' : ''} it`) + (who ? `; ${who}.` : '.');
    const items = bad.map((f, i) => findingCard(f, { onPath: goToPath, reveal: i < w.hints }));
    const errs = (lastDecision.errors ?? []).map((e) =>
      h('li', { class: 'finding finding-error' }, h('p', { class: 'message', title: e.path }, `${fieldLabel(e.path)}: ${e.message}`)),
    );
    findingsEl.replaceChildren(h('ol', { class: 'findings' }, ...errs, ...items));
    hintBtn.disabled = w.hints >= bad.length;
    markInvalid(
      fieldsEl,
      bad.slice(0, w.hints).flatMap((f) => f.paths ?? []),
    );
  }

  /** The editable fields, each labelled with its title; the raw path on hover and for screen readers. */
  function renderFields() {
    renderFieldList(fieldsEl, request, ex.editable, { idBase: 'sf' });
    for (const control of fieldsEl.querySelectorAll('[data-path]')) {
      const path = control.dataset.path;
      const label = fieldsEl.querySelector(`label[for="${control.id}"]`);
      if (label) label.dataset.pathRaw = path;
      const raw = h('span', { id: `${control.id}-path`, class: 'visually-hidden' }, `field ${path}`);
      control.closest('.field')?.append(raw);
      control.setAttribute('aria-describedby', raw.id);
    }
  }

  function goToPath(path) {
    if (!ex.editable.includes(path)) {
      ctx.toast(`${fieldLabel(path, request)} is a given fact in this exercise: look at the fields you can change.`);
      return;
    }
    focusPath(fieldsEl, path);
  }

  // Selecting waits for the scenario's base request on first use; a later selection made
  // meanwhile wins, so a slow load never renders one exercise with another's request.
  let selectSeq = 0;
  async function select(id, { focus = false } = {}) {
    const seq = ++selectSeq;
    ex = EXERCISES.find((e) => e.id === id) ?? EXERCISES[0];
    state.current = ex.id;
    save();
    const base = await baseFor(ex.scenario);
    if (seq !== selectSeq) return;
    const w = work();
    request = w.request ? clone(w.request) : flawedRequest(base, ex);
    lastDecision = null;
    $('ex-title').textContent = ex.title;
    $('ex-story').textContent = ex.story;
    $('ex-task').textContent = ex.task;
    renderFields();
    $('sim-json').textContent = JSON.stringify(request, null, 2);
    renderNext();
    renderStages();
    renderList();
    renderDiagram();
    renderResult();
    if (focus) $('ex-title').focus?.();
  }

  /** "Next exercise", or, once every exercise is solved, the way to the results page. */
  function renderNext() {
    nextBtn.hidden = !state.results[ex.id]?.done;
    nextBtn.textContent = allDone() ? 'See your results →' : 'Next exercise →';
  }

  async function evaluate() {
    return ctx.engine.evaluate(JSON.stringify(request), { pack: 'default' });
  }

  async function check() {
    if (!engineReady || !ex) return;
    checkBtn.disabled = true;
    try {
      lastDecision = await evaluate();
      const w = work();
      const r = result(ex.id);
      if (!r.done) r.attempts++;
      if (lastDecision.decision === 'allow') {
        const pts = scoreFor(w);
        if (!r.done) r.hints = w.hints;
        Object.assign(r, { done: true, best: Math.max(r.best, pts), last: pts });
        ctx.toast(`Allowed! +${pts} points`);
      } else {
        w.misses++;
      }
      save();
      renderScore();
      renderNext();
      renderStages();
      renderList();
      renderDiagram();
      renderResult();
    } catch (err) {
      setBadge(badge, 'error');
      summary.textContent = err.message;
    } finally {
      checkBtn.disabled = false;
    }
  }

  async function hint() {
    if (!engineReady || !ex) return;
    if (!lastDecision) lastDecision = await evaluate();
    const bad = blocking(lastDecision);
    const w = work();
    if (w.hints < bad.length) w.hints++;
    save();
    renderResult();
    const revealed = findingsEl.querySelectorAll('.finding')[w.hints - 1];
    revealed?.querySelector('button.path')?.focus();
  }

  function restart() {
    state.work[ex.id] = { hints: 0, misses: 0, request: null };
    save();
    select(ex.id);
  }

  function next() {
    if (allDone()) {
      showResults(true, { focus: true });
      return;
    }
    const i = EXERCISES.indexOf(ex);
    const after = [...EXERCISES.slice(i + 1), ...EXERCISES.slice(0, i)].find((e) => !state.results[e.id]?.done) ?? EXERCISES[(i + 1) % EXERCISES.length];
    select(after.id, { focus: true });
  }

  // --- the results page: per step, what was done and learned
  function ruleInfo(id) {
    return ctx.info?.rules?.find((r) => r.id === id);
  }

  function renderResults() {
    const done = EXERCISES.filter((e) => state.results[e.id]?.done);
    const total = EXERCISES.reduce((a, e) => a + (state.results[e.id]?.best ?? 0), 0);
    const steps = STAGES.map((stage, i) => {
      const list = EXERCISES.filter((e) => e.scenario === stage.scenario);
      const solved = list.filter((e) => state.results[e.id]?.done);
      const rules = [...new Set(solved.flatMap((e) => e.rules))].sort();
      const headId = `results-${stage.scenario}`;
      return h(
        'section',
        { class: 'results-step', 'aria-labelledby': headId, dataset: { scenario: stage.scenario } },
        h('h4', { id: headId }, `${i + 1}. ${stage.title} `, h('small', {}, `(${stage.section}, ${stage.from} → ${stage.to})`)),
        h('p', { class: 'results-count', dataset: { testid: `results-count-${stage.scenario}` } }, `${solved.length} of ${list.length} exercises solved`),
        h(
          'table',
          { class: 'results-table' },
          h('caption', { class: 'visually-hidden' }, `${stage.title}: exercises`),
          h(
            'thead',
            {},
            h('tr', {}, ...['Exercise', 'Result', 'Points', 'Checks', 'Hints'].map((t) => h('th', { scope: 'col' }, t))),
          ),
          h(
            'tbody',
            {},
            list.map((e) => {
              const r = state.results[e.id];
              return h(
                'tr',
                { dataset: { exercise: e.id, done: String(!!r?.done) } },
                h('th', { scope: 'row' }, e.title),
                h('td', {}, r?.done ? 'solved' : r?.attempts ? 'tried' : 'not started'),
                h('td', {}, r?.done ? String(r.best) : '—'),
                h('td', {}, String(r?.attempts ?? 0)),
                h('td', {}, r?.done ? String(r.hints) : '—'),
              );
            }),
          ),
        ),
        rules.length
          ? h(
              'div',
              { class: 'results-rules' },
              h('h5', {}, 'Rules and clauses met'),
              h(
                'ul',
                { class: 'results-rule-list' },
                rules.map((id) => {
                  const info = ruleInfo(id);
                  return h(
                    'li',
                    { dataset: { rule: id } },
                    h('strong', { class: 'rule-id' }, id),
                    ' ',
                    info?.title ?? '',
                    info?.actor && ACTOR_NAME[info.actor] ? h('span', { class: 'why' }, ` — ${ACTOR_NAME[info.actor]} must act`) : null,
                    clauseChips(info?.clauses),
                  );
                }),
              ),
              h('h5', {}, 'What you learned'),
              h('ul', { class: 'results-lessons' }, solved.map((e) => h('li', { dataset: { exercise: e.id } }, e.lesson))),
            )
          : h('p', { class: 'hint' }, 'No exercise of this step solved yet.'),
      );
    });
    resultsEl.replaceChildren(
      h(
        'div',
        { class: 'panel-head' },
        h('h3', { id: 'results-title', tabindex: '-1' }, 'Your results'),
        h('button', { type: 'button', id: 'sim-results-close', dataset: { testid: 'sim-results-close' }, onclick: () => showResults(false, { focus: true }) }, '← Back to the exercises'),
      ),
      h(
        'p',
        { class: 'results-total', dataset: { testid: 'results-total' } },
        `${done.length} of ${EXERCISES.length} exercises solved · ${total} points`,
        allDone() ? ' · the whole walk is done' : '',
      ),
      ...steps,
    );
  }

  function showResults(open, { focus = false } = {}) {
    state.view = open ? 'results' : 'exercises';
    save();
    if (open) renderResults();
    resultsEl.hidden = !open;
    for (const el of walkEls) if (el) el.hidden = open;
    resultsBtn.setAttribute('aria-expanded', String(open));
    if (focus) (open ? $('results-title') : resultsBtn)?.focus();
    if (!open && ex) renderDiagram();
  }

  // --- events
  const onEdit = (e) => {
    const el = e.target;
    if (!el.dataset?.path || !request) return;
    if (e.type === 'input' && (el.dataset.kind === 'bool' || el.dataset.kind === 'enum')) return;
    setPath(request, el.dataset.path, readControl(el));
    work().request = clone(request);
    save();
    $('sim-json').textContent = JSON.stringify(request, null, 2);
  };
  fieldsEl.addEventListener('input', onEdit);
  fieldsEl.addEventListener('change', onEdit);
  fieldsEl.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.tagName === 'INPUT') {
      e.preventDefault();
      check();
    }
  });
  checkBtn.addEventListener('click', check);
  hintBtn.addEventListener('click', hint);
  nextBtn.addEventListener('click', next);
  $('sim-restart').addEventListener('click', () => ex && restart());
  resultsBtn.addEventListener('click', () => state && showResults(resultsEl.hidden, { focus: true }));
  $('sim-reset-progress').addEventListener('click', () => {
    if (!state || !window.confirm('Forget all training progress and scores?')) return;
    state = restoreProgress(null, EXERCISES.map((e) => e.id));
    save();
    renderScore();
    showResults(false);
    select(EXERCISES[0].id);
  });
  ctx.wireTabs(stagesEl, (t) => {
    const first = EXERCISES.find((e) => e.scenario === t.dataset.scenario && !state.results[e.id]?.done) ?? EXERCISES.find((e) => e.scenario === t.dataset.scenario);
    select(first.id).then(() => stagesEl.querySelector(`[data-scenario="${t.dataset.scenario}"]`)?.focus());
  });
  $('ex-title').tabIndex = -1;
  let lastNarrow = null;
  window.addEventListener('resize', () => {
    const narrow = (diagramEl.clientWidth || window.innerWidth) < 620;
    if (ex && narrow !== lastNarrow) {
      lastNarrow = narrow;
      renderDiagram();
    }
  });
  ctx.bus.on('view', (v) => {
    if (v === 'simulator' && ex && resultsEl.hidden) renderDiagram();
  });

  // The curriculum is data (exercises/*.json): nothing to show until it has arrived.
  loadCurriculum()
    .then((c) => {
      ({ STAGES, EXERCISES } = c);
      state = load();
      save();
      renderScore();
      showResults(state.view === 'results');
      return select(state.current);
    })
    .then(() => {
      viewEl.dataset.loaded = 'true';
    })
    .catch((err) => {
      viewEl.dataset.loaded = 'failed';
      $('stage-intro').textContent = `The exercises could not load: ${err.message}`;
      ctx.toast('The training exercises could not load.');
    });

  return {
    ready() {
      engineReady = true;
      // The rules' titles and clauses arrive with the engine.
      if (state && !resultsEl.hidden) renderResults();
    },
  };
}
