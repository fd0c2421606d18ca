// The Mesos web UI: hash routes (all relative, so the UI works behind a
// prefix), one <main data-page data-ready> per page, re-rendered when the
// model changes (see model.js; docs/webui.md).

import { query } from './dom.js';
import { model, onChange, run } from './model.js';
import * as v from './views.js';
import { sandbox, metrics } from './sandbox.js';

const ROUTES = [
  [/^\/?$/, 'overview', v.overview],
  [/^\/frameworks$/, 'frameworks', v.frameworks],
  [/^\/frameworks\/([^/]+)$/, 'framework', v.framework],
  [/^\/agents$/, 'agents', v.agents],
  [/^\/agents\/([^/]+)\/metrics$/, 'metrics', metrics],
  [/^\/agents\/([^/]+)$/, 'agent', v.agent],
  [/^\/tasks$/, 'tasks', v.tasks],
  [/^\/offers$/, 'offers', v.offers],
  [/^\/sandbox\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/, 'sandbox', sandbox],
  [/^\/maintenance$/, 'maintenance', v.maintenance],
  [/^\/roles$/, 'roles', v.roles],
];

let page = null; // { name, update, stop }
let pending = false;

function main() { return document.querySelector('main'); }

/** Replace the route's query (filters, sort) without a new history entry. */
function setQuery(obj) {
  const [path] = location.hash.slice(1).split('?');
  const qs = new URLSearchParams(Object.entries(obj).filter(([, x]) => x)).toString();
  history.replaceState(null, '', '#' + path + (qs ? '?' + qs : ''));
}

function mount() {
  if (page && page.stop) page.stop();
  const [path, qs] = location.hash.slice(1).split('?');
  const el = main();
  let found = ROUTES.find(([re]) => re.test(path || '/'));
  if (!found) found = [/^/, 'overview', v.overview];
  const [re, name, view] = found;
  const params = (re.exec(path || '/') || []).slice(1).map(decodeURIComponent);
  const fresh = el.cloneNode(false); // drop old listeners and timers' targets
  fresh.dataset.page = name;
  fresh.dataset.ready = 'false';
  fresh.replaceChildren();
  el.replaceWith(fresh);
  for (const a of document.querySelectorAll('header nav a')) {
    const target = a.getAttribute('href').slice(1);
    if (target === '/' ? name === 'overview' : path.startsWith(target)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const made = view(fresh, params, query(qs), setQuery);
  page = typeof made === 'function' ? { name, update: made } : { name, ...made };
  document.title = `${name[0].toUpperCase()}${name.slice(1)} · Mesos`;
  render();
  fresh.focus({ preventScroll: true });
}

/** Re-render the current page from the model (coalesced per frame). */
function render() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(async () => {
    pending = false;
    const status = document.getElementById('status');
    status.textContent = model.error || '';
    status.hidden = !model.error;
    if (!page || page.static || !model.state) return;
    const el = main();
    await page.update(model);
    el.dataset.ready = 'true';
  });
}

window.addEventListener('hashchange', mount);
onChange(render);
mount();
run();
