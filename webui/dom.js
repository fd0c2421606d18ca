// Small DOM and formatting helpers shared by the pages (no framework).

/** h('tr', {'data-task-id': id}, child, ...) — attributes starting with
 * "on" are listeners; `null`/`false` children are skipped. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** A link to a route of the UI (always relative: works behind a prefix). */
export const link = (route, text, attrs = {}) => h('a', { href: '#' + route, ...attrs }, text);

/** A link named by a long id (framework, agent): the id's start and end
 * on screen, the whole id in its title and accessible name. */
export function idLink(route, id) {
  const s = String(id || '');
  const short = s.length > 20 ? `${s.slice(0, 8)}…${s.slice(-8)}` : s;
  return link(route, short, { title: s, 'aria-label': s, class: 'id' });
}

/** A number as plain digits, without float noise ("2.5", "2", "1024"). */
export function num(x) {
  const n = Number(x || 0);
  return String(Math.round(n * 1e6) / 1e6);
}

/** Megabytes for people ("512 MB", "1.5 GB"). */
export function mb(x) {
  const n = Number(x || 0);
  if (n >= 1024 * 1024) return num(n / 1024 / 1024).replace(/(\.\d\d)\d+/, '$1') + ' TB';
  if (n >= 1024) return num(n / 1024).replace(/(\.\d\d)\d+/, '$1') + ' GB';
  return num(n) + ' MB';
}

/** Bytes for people. */
export function bytes(x) {
  let n = Number(x || 0);
  for (const u of ['B', 'KB', 'MB', 'GB']) {
    if (n < 1024) return (u === 'B' ? n : n.toFixed(1)) + ' ' + u;
    n /= 1024;
  }
  return n.toFixed(1) + ' TB';
}

/** "3m 12s" since a Unix time in seconds. */
export function since(secs) {
  if (!secs) return '—';
  let s = Math.max(0, Math.floor(Date.now() / 1000 - secs));
  const parts = [];
  for (const [u, d] of [['d', 86400], ['h', 3600], ['m', 60]]) {
    if (s >= d) { parts.push(Math.floor(s / d) + u); s %= d; }
  }
  if (parts.length < 2) parts.push(s + 's');
  return parts.slice(0, 2).join(' ');
}

/** An ISO-ish local time for a Unix time in seconds. */
export function when(secs) {
  if (!secs) return '—';
  return new Date(secs * 1000).toLocaleString();
}

/** "cpus: 1, mem: 128 MB, ..." for a v0 resources object. */
export function res(r) {
  r = r || {};
  const out = [`${num(r.cpus)} CPU`, mb(r.mem), `${mb(r.disk)} disk`];
  if (Number(r.gpus)) out.push(`${num(r.gpus)} GPU`);
  return out.join(', ');
}

/** A task state for people, without colour: the state name itself. */
export function stateLabel(state) {
  return h('span', { class: 'state ' + String(state || '').toLowerCase() }, state || '—');
}

/** A table with a header row and data rows. `head` is a list of labels or
 * header cells. */
export function table(name, head, rows, caption) {
  return h('table', { 'data-table': name },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, head.map((c) => (c instanceof Node ? c : h('th', { scope: 'col' }, c))))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: head.length, class: 'empty' }, 'None'))));
}

/** A definition list from [label, value] pairs. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** Query string of a route ("a=1&b=2") as an object. */
export function query(qs) {
  return Object.fromEntries(new URLSearchParams(qs || ''));
}

/** The sandbox route of a v0 task. */
export function sandboxRoute(t) {
  const eid = t.executor_id || t.id;
  return `/sandbox/${enc(t.slave_id)}/${enc(t.framework_id)}/${enc(eid)}/${enc(t.id)}`;
}

export const enc = encodeURIComponent;

/**
 * An API path made absolute against the page's own directory. A relative
 * `fetch()` throws when the page was opened as `http://user:pass@host/`
 * (the credentials stay in the base URL); the origin never carries them,
 * and the page's path keeps any prefix the UI is served behind.
 */
export function here(path) {
  return new URL(path, location.origin + location.pathname).href;
}
