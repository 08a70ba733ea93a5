// The training simulator: the exercises of exercises.js, one lifecycle step at a time. The
// trainee edits only the fields in play, checks the request against the default pack (never the
// workbench's edits), and may buy hints: each reveals one blocking finding's message and fields.
// A flawed request is denied, or (an exercise with `decision: 'review'`) needs review: either
// way only `allow` solves it. Info findings are only noted: they never block and are no hint.
// Score per exercise: 100 − 10 per hint − 5 per unsuccessful check (at least 20); the best score
// of each exercise counts. Everything is kept in local storage.

import { EXERCISES, LIFECYCLE, STAGES, flawedRequest } from './exercises.js';
import { blocking, fill, findingCard, h, setBadge } from './lib/decision-view.js';
import { focusPath, markInvalid, readControl, renderFieldList } from './lib/form.js';
import { drawLifecycle } from './lib/lifecycle-svg.js';
import { clone, setPath } from './lib/paths.js';

const KEY = 'training';

export function scoreFor({ hints = 0, misses = 0 }) {
  return Math.max(20, 100 - 10 * hints - 5 * misses);
}

export function initSimulator(ctx) {
  const $ = (id) => document.getElementById(id);
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

  const bases = {};
  let state = load();
  let ex = null;
  let request = null;
  let lastDecision = null;
  let engineReady = false;

  function load() {
    const s = ctx.store.get(KEY, null);
    return {
      results: s?.results ?? {}, // id → { best, done }
      work: s?.work ?? {}, // id → { request, hints, misses }
      current: s?.current ?? EXERCISES[0].id,
    };
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
          h('span', { class: 'stage-n' }, `${i + 1}`),
          h('span', {}, s.title, h('small', {}, ` ${done}/${list.length}`)),
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
      : `Step ${STAGES.indexOf(stage) + 1} of 4 — ${stage.title}: the tenancy is ${from}; an allowed request moves it to ${to}.`;
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
      );
      hintBtn.disabled = true;
      return;
    }
    summary.textContent = lastDecision.errors?.length
      ? 'The request is invalid.'
      : lastDecision.decision === 'review'
        ? `${bad.length} warning${bad.length === 1 ? '' : 's'}: a person must review it before it can proceed.`
        : `${bad.length} rule${bad.length === 1 ? '' : 's'} still block${bad.length === 1 ? 's' : ''} it.`;
    const items = bad.map((f, i) => findingCard(f, { onPath: goToPath, reveal: i < w.hints }));
    const errs = (lastDecision.errors ?? []).map((e) => h('li', { class: 'finding finding-error' }, h('p', { class: 'message' }, `${e.path}: ${e.message}`)));
    findingsEl.replaceChildren(h('ol', { class: 'findings' }, ...errs, ...items));
    hintBtn.disabled = w.hints >= bad.length;
    markInvalid(
      fieldsEl,
      bad.slice(0, w.hints).flatMap((f) => f.paths ?? []),
    );
  }

  function goToPath(path) {
    if (!ex.editable.includes(path)) {
      ctx.toast(`${path} is a given fact in this exercise: look at the fields you can change.`);
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
    renderFieldList(fieldsEl, request, ex.editable, { idBase: 'sf' });
    $('sim-json').textContent = JSON.stringify(request, null, 2);
    nextBtn.hidden = !state.results[ex.id]?.done;
    renderStages();
    renderList();
    renderDiagram();
    renderResult();
    if (focus) $('ex-title').focus?.();
  }

  async function evaluate() {
    return ctx.engine.evaluate(JSON.stringify(request), { pack: 'default' });
  }

  async function check() {
    if (!engineReady) return;
    checkBtn.disabled = true;
    try {
      lastDecision = await evaluate();
      const w = work();
      if (lastDecision.decision === 'allow') {
        const pts = scoreFor(w);
        const prev = state.results[ex.id];
        state.results[ex.id] = { done: true, best: Math.max(prev?.best ?? 0, pts), last: pts };
        nextBtn.hidden = false;
        ctx.toast(`Allowed! +${pts} points`);
      } else {
        w.misses++;
      }
      save();
      renderScore();
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
    if (!engineReady) return;
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
    const i = EXERCISES.indexOf(ex);
    const after = [...EXERCISES.slice(i + 1), ...EXERCISES.slice(0, i)].find((e) => !state.results[e.id]?.done) ?? EXERCISES[(i + 1) % EXERCISES.length];
    select(after.id, { focus: true });
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
  $('sim-restart').addEventListener('click', restart);
  $('sim-reset-progress').addEventListener('click', () => {
    if (!window.confirm('Forget all training progress and scores?')) return;
    state = { results: {}, work: {}, current: EXERCISES[0].id };
    save();
    renderScore();
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
    if (v === 'simulator' && ex) renderDiagram();
  });

  renderScore();
  select(state.current);

  return {
    ready() {
      engineReady = true;
    },
  };
}
