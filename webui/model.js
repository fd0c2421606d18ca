// The cluster model: the leader's /master/state (v0 shape), kept current by
// the v1 operator SUBSCRIBE stream (RecordIO JSON read with fetch
// streaming) and refreshed, or polled every 2 s when streaming fails.
// Every URL is relative, so the UI works behind a path prefix.

import { here } from './dom.js';

const POLL_MS = 2000;
const REFRESH_MS = 5000; // full refresh while streaming (offers have no events)
const STREAM_RETRY_MS = 15000;
const STALL_MS = 45000; // no byte (not even a heartbeat) for this long: reconnect

const listeners = new Set();
export const model = { state: null, live: 'reconnecting', error: null, masters: [] };

export function onChange(f) { listeners.add(f); }

function changed() { for (const f of listeners) f(model); }

function setLive(mode) {
  if (model.live === mode) return;
  model.live = mode;
  const out = document.querySelector('[data-live]');
  if (out) { out.dataset.live = mode; out.textContent = mode; }
}

/** GET a JSON document relative to the page. */
export async function getJSON(path, opts = {}) {
  const r = await fetch(here(path), { headers: { Accept: 'application/json' }, cache: 'no-store', ...opts });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${(await r.text()).trim()}`.slice(0, 300));
  return r.json();
}

// --- leader -----------------------------------------------------------------

const MASTERS_KEY = 'mesos.webui.masters';

/** Go to the leader when this master does not lead. Returns true when the
 * page stays here (this master leads, or nobody does yet). */
export async function followLeader() {
  let list = null;
  try {
    list = (await getJSON('webui/api/masters')).masters;
  } catch (e) {
    list = await askOtherMasters();
  }
  if (!list) return false;
  model.masters = list;
  try { sessionStorage.setItem(MASTERS_KEY, JSON.stringify(list)); } catch (e) { /* private mode */ }
  const leader = list.find((m) => m.leader);
  const me = list.find((m) => m.self);
  if (leader && me && !leader.self) {
    location.replace(leader.url + '/' + location.hash);
    return false;
  }
  if (!leader) model.error = 'No leading master elected yet';
  return !!(leader && (!me || leader.self));
}

/** This master is unreachable: ask the masters seen before for the
 * leader (they allow this origin while it is a contender: see
 * docs/webui.md); once this master is gone from their lists, go to any
 * one that answers (its page finds the leader). */
async function askOtherMasters() {
  let cached = [];
  try { cached = JSON.parse(sessionStorage.getItem(MASTERS_KEY) || '[]'); } catch (e) { cached = []; }
  const go = (url) => { location.replace(url + '/' + location.hash); return null; };
  for (const m of cached) {
    if (m.self) continue;
    const url = m.url + '/webui/api/masters';
    try {
      const list = (await getJSON(url, { mode: 'cors', signal: AbortSignal.timeout(3000) })).masters;
      const leader = list.find((x) => x.leader);
      if (leader) return go(leader.url);
      continue; // it answers, but nobody leads yet
    } catch (e) { /* not allowed (or down): is it up at all? */ }
    try {
      await fetch(url, { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(3000) });
      return go(m.url);
    } catch (e) { /* down: try the next one */ }
  }
  return null;
}

// --- state ------------------------------------------------------------------

let refreshTimer = null;

/** Fetch /master/state now. */
export async function refresh() {
  try {
    const st = await getJSON('master/state');
    model.state = st;
    model.error = null;
    changed();
    return true;
  } catch (e) {
    const why = String(e.message || e);
    // fetch rejects with a TypeError when nothing answers (or a redirect
    // to another master is refused)
    model.error = e instanceof TypeError ? 'The master does not answer; looking for the leading master…' : why;
    return false;
  }
}

/** Fetch /master/state soon (coalesces bursts of events). */
function refreshSoon(ms = 400) {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; refresh(); }, ms);
}

// --- the event stream ---------------------------------------------------------

const val = (x) => (x && typeof x === 'object' ? x.value : x) || '';

/** v1 resources (a list) as a v0 resources object. */
function resources(list) {
  const out = { cpus: 0, mem: 0, disk: 0, gpus: 0 };
  for (const r of list || []) {
    if (r.scalar && r.name in out) out[r.name] += r.scalar.value;
  }
  return out;
}

function frameworks() {
  return model.state ? model.state.frameworks || (model.state.frameworks = []) : [];
}

/** Apply one operator event to the model; true when it was applied. */
export function apply(ev) {
  const st = model.state;
  if (!st) return false;
  switch (ev.type) {
    case 'TASK_ADDED': {
      const t = ev.task_added.task;
      const task = {
        id: val(t.task_id), name: t.name, framework_id: val(t.framework_id),
        executor_id: val(t.executor_id), slave_id: val(t.agent_id), state: t.state,
        resources: resources(t.resources), statuses: t.statuses || [],
      };
      let fw = frameworks().find((f) => f.id === task.framework_id);
      if (!fw) { // its FRAMEWORK_ADDED is still being fetched: show the task now
        fw = { id: task.framework_id, name: '', active: true, tasks: [], completed_tasks: [] };
        frameworks().push(fw);
      }
      fw.tasks = (fw.tasks || []).filter((x) => x.id !== task.id);
      fw.tasks.push(task);
      return true;
    }
    case 'TASK_UPDATED': {
      const u = ev.task_updated;
      const id = val(u.status.task_id);
      const fw = frameworks().find((f) => f.id === val(u.framework_id));
      if (!fw) return false;
      const all = [...(fw.tasks || []), ...(fw.completed_tasks || [])];
      const t = all.find((x) => x.id === id);
      if (!t) return false;
      t.state = u.state || u.status.state;
      (t.statuses = t.statuses || []).push({ state: u.status.state, timestamp: u.status.timestamp });
      return true;
    }
    case 'AGENT_ADDED': {
      const a = ev.agent_added.agent;
      const info = a.agent_info || {};
      const id = val(info.id);
      st.slaves = (st.slaves || []).filter((s) => s.id !== id);
      st.slaves.push({
        id, hostname: info.hostname, active: a.active !== false, resources: resources(a.total_resources || info.resources),
        used_resources: {}, offered_resources: {}, attributes: {}, version: a.version, registered_time: a.registered_time && a.registered_time.nanoseconds / 1e9,
      });
      return true;
    }
    case 'AGENT_REMOVED': {
      const id = val(ev.agent_removed.agent_id);
      st.slaves = (st.slaves || []).filter((s) => s.id !== id);
      return true;
    }
    case 'FRAMEWORK_ADDED':
    case 'FRAMEWORK_UPDATED':
    case 'FRAMEWORK_REMOVED':
      return false; // the refresh brings the whole framework
    default:
      return false;
  }
}

/** Split RecordIO ("<length>\n<json>") out of a byte stream. */
export function recordReader(onRecord) {
  let buf = new Uint8Array(0);
  const dec = new TextDecoder();
  return (chunk) => {
    const next = new Uint8Array(buf.length + chunk.length);
    next.set(buf); next.set(chunk, buf.length); buf = next;
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      const len = parseInt(dec.decode(buf.subarray(0, nl)), 10);
      if (!(len >= 0)) throw new Error('bad RecordIO length');
      if (buf.length < nl + 1 + len) return;
      onRecord(JSON.parse(dec.decode(buf.subarray(nl + 1, nl + 1 + len))));
      buf = buf.slice(nl + 1 + len);
    }
  };
}

/** Follow SUBSCRIBE until it ends; throws when it cannot start. */
async function stream() {
  const ctl = new AbortController();
  const r = await fetch(here('master/api/v1'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ type: 'SUBSCRIBE' }),
    signal: ctl.signal,
  });
  if (!r.ok || !r.body) throw new Error(`SUBSCRIBE: ${r.status}`);
  const reader = r.body.getReader();
  const feed = recordReader((ev) => {
    if (ev.type === 'SUBSCRIBED') { setLive('stream'); refresh(); return; }
    if (ev.type === 'HEARTBEAT') return;
    if (apply(ev)) changed();
    refreshSoon();
  });
  let stall = setTimeout(() => ctl.abort(), STALL_MS);
  const every = setInterval(() => refreshSoon(0), REFRESH_MS);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      clearTimeout(stall);
      stall = setTimeout(() => ctl.abort(), STALL_MS);
      feed(value);
    }
  } finally {
    clearTimeout(stall);
    clearInterval(every);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Keep the model current, forever: stream, else poll; on errors find the
 * leader again. */
export async function run() {
  for (;;) {
    if (!(await followLeader())) { setLive('reconnecting'); changed(); await sleep(POLL_MS); continue; }
    if (!(await refresh())) { setLive('reconnecting'); changed(); await sleep(POLL_MS); continue; }
    try {
      await stream();
    } catch (e) { /* fall back to polling below */ }
    // The stream ended or never started: poll, and try streaming again later.
    const until = Date.now() + STREAM_RETRY_MS;
    setLive('polling');
    while (Date.now() < until) {
      if (!(await refresh())) { setLive('reconnecting'); changed(); break; }
      setLive('polling');
      await sleep(POLL_MS);
    }
  }
}
