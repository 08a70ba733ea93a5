// Boots the page: one engine worker shared by the three views, the tab bar (its state in the
// URL hash), and small shared services (toast, storage).

import { EngineClient } from './lib/engine-client.js';
import { short } from './lib/decision-view.js';
import { initPortal } from './portal.js';
import { initWorkbench } from './workbench.js';
import { initSimulator } from './simulator.js';

const VIEWS = ['portal', 'workbench', 'simulator'];

const statusEl = document.getElementById('engine-status');
const toastEl = document.getElementById('toast');
let toastTimer;

export const store = {
  get(key, fallback = null) {
    try {
      const v = localStorage.getItem(`cloudgate.${key}`);
      return v === null ? fallback : JSON.parse(v);
    } catch {
      return fallback;
    }
  },
  set(key, value) {
    try {
      if (value === undefined || value === null) localStorage.removeItem(`cloudgate.${key}`);
      else localStorage.setItem(`cloudgate.${key}`, JSON.stringify(value));
    } catch {
      // Private mode or a full quota: the page still works, it just forgets on reload.
    }
  },
};

export function toast(message) {
  toastEl.textContent = message;
  toastEl.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    toastEl.hidden = true;
  }, 3500);
}

const listeners = { view: [], pack: [] };
export const bus = {
  on(event, fn) {
    listeners[event].push(fn);
  },
  emit(event, data) {
    for (const fn of listeners[event]) fn(data);
  },
};

const workerUrl = new URL('./worker.js', import.meta.url);
const engineOverride = new URLSearchParams(location.search).get('engine');
if (engineOverride) workerUrl.searchParams.set('engine', engineOverride);
// `?timeout=<ms>` shortens the time limit (tests); at least half a second.
const timeoutMs = Math.max(500, Number(new URLSearchParams(location.search).get('timeout')) || 8000);
const engine = new EngineClient(workerUrl, {
  timeoutMs,
  onRestart: (n) => {
    statusEl.textContent = `Engine restarted (${n}) after a call ran too long`;
    statusEl.className = 'engine-status warn';
  },
});

function showView(view, { focus = false } = {}) {
  if (!VIEWS.includes(view)) view = 'portal';
  for (const v of VIEWS) {
    const tab = document.getElementById(`tab-${v}`);
    const panel = document.getElementById(`view-${v}`);
    const on = v === view;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    panel.hidden = !on;
    if (on && focus) tab.focus();
  }
  if (location.hash !== `#${view}`) history.replaceState(null, '', `#${view}`);
  bus.emit('view', view);
}

/** Arrow keys move between tabs (the WAI-ARIA tabs pattern); Enter/Space/click select. */
export function wireTabs(tablist, onSelect) {
  // Tabs are looked up on each event: some tab lists are re-rendered.
  const tabs = () => [...tablist.querySelectorAll('[role="tab"]')];
  tablist.addEventListener('keydown', (e) => {
    const all = tabs();
    const i = all.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') j = (i + 1) % all.length;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') j = (i - 1 + all.length) % all.length;
    if (e.key === 'Home') j = 0;
    if (e.key === 'End') j = all.length - 1;
    if (j !== null) {
      e.preventDefault();
      all[j].focus();
      onSelect(all[j]);
    }
  });
  tablist.addEventListener('click', (e) => {
    const t = e.target.closest('[role="tab"]');
    if (t && tablist.contains(t)) onSelect(t);
  });
}

async function boot() {
  wireTabs(document.querySelector('.tabs'), (t) => showView(t.dataset.view));
  window.addEventListener('hashchange', () => showView(location.hash.slice(1)));

  const ctx = { engine, store, toast, bus, wireTabs, info: null, customInfo: null };
  const portal = initPortal(ctx);
  const workbench = initWorkbench(ctx);
  const simulator = initSimulator(ctx);
  ctx.portal = portal;
  showView(location.hash.slice(1) || 'portal');

  try {
    ctx.info = await engine.init();
    statusEl.textContent = `Pack ${ctx.info.pack.name} ${ctx.info.pack.version} · ${ctx.info.rules.length} rules · ${short(ctx.info.pack.digest)}`;
    statusEl.className = 'engine-status ok';
    document.body.dataset.ready = 'true';
  } catch (err) {
    statusEl.textContent = `The rule engine could not load: ${err.message}`;
    statusEl.className = 'engine-status bad';
    document.body.dataset.ready = 'failed';
    return;
  }
  await workbench.ready(ctx.info);
  portal.ready();
  simulator.ready();
}

boot();
