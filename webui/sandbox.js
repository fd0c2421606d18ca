// The sandbox browser (listing, file view with live tail, download) and the
// agent metrics charts. Both read the agent through the master's proxy
// (`agent/<id>/...`), so the browser only talks to the master.

import { h, link, bytes, when, enc, here } from './dom.js';
import { getJSON } from './model.js';

const TAIL_MS = 1000;
const CHUNK = 65536;

/** The sandbox directory of an executor (and its task's, in a task group). */
async function sandboxDir(aid, fid, eid, tid) {
  const st = await getJSON(`agent/${enc(aid)}/state`);
  for (const f of st.frameworks || []) {
    if (f.id !== fid) continue;
    for (const e of [...(f.executors || []), ...(f.completed_executors || [])]) {
      if (e.id !== eid) continue;
      if (eid === tid || !e.directory) return e.directory;
      const nested = `${e.directory}/tasks/${tid}`;
      const r = await fetch(here(`agent/${enc(aid)}/files/browse?path=${enc(nested)}`));
      return r.ok ? nested : e.directory;
    }
  }
  throw new Error(`The agent knows no executor ${eid} of framework ${fid} (its sandbox may have been removed)`);
}

export function sandbox(main, [aid, fid, eid, tid], q, setQuery) {
  const rel = (q.path || '').replace(/^\/+/, '');
  const base = `/sandbox/${enc(aid)}/${enc(fid)}/${enc(eid)}/${enc(tid)}`;
  let timer = null;
  let done = false;
  const crumbs = () => {
    const parts = rel ? rel.split('/') : [];
    return h('nav', { 'aria-label': 'Path' }, link(base, tid), parts.map((p, i) => [' / ',
      link(`${base}?path=${enc(parts.slice(0, i + 1).join('/'))}`, p)]));
  };
  const show = (...els) => main.replaceChildren(h('h1', {}, 'Sandbox of ', tid), crumbs(), ...els);
  const ready = () => { main.dataset.ready = 'true'; };

  (async () => {
    let dir;
    try { dir = await sandboxDir(aid, fid, eid, tid); } catch (e) { show(h('p', { role: 'alert' }, String(e.message || e))); ready(); return; }
    const abs = rel ? `${dir}/${rel}` : dir;
    const api = (what, extra = '') => `agent/${enc(aid)}/files/${what}?path=${enc(abs)}${extra}`;
    // A file answers `read` (its size at offset -1); a directory does not.
    const probe = rel ? await fetch(here(api('read', '&offset=-1'))) : null;
    const listing = probe && probe.ok ? null : await fetch(here(api('browse')));
    if (listing && listing.ok) {
      const files = (await listing.json()).sort((a, b) => String(a.path).localeCompare(String(b.path)));
      show(h('table', { 'data-table': 'files' },
        h('caption', {}, rel || 'sandbox'),
        h('thead', {}, h('tr', {}, ['Name', 'Mode', 'Size', 'Modified', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, files.length ? files.map((f) => {
          const name = String(f.path).split('/').pop();
          const path = rel ? `${rel}/${name}` : name;
          const isDir = String(f.mode || '').startsWith('d');
          return h('tr', { 'data-path': path },
            h('td', {}, link(`${base}?path=${enc(path)}`, isDir ? name + '/' : name)),
            h('td', {}, f.mode || ''), h('td', { class: 'n' }, isDir ? '' : bytes(f.size)), h('td', {}, when(f.mtime)),
            h('td', {}, isDir ? '' : h('a', { href: `agent/${enc(aid)}/files/download?path=${enc(`${dir}/${path}`)}`, download: name }, 'Download')));
        }) : h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'Empty directory')))));
      ready();
      return;
    }
    // Not a directory: a file, followed live.
    const pre = h('pre', { 'data-file': rel, tabindex: 0, 'aria-live': 'off' });
    const status = h('span', { role: 'status' }, 'Following the file (updates every second).');
    show(h('p', {}, h('a', { 'data-download': '', href: api('download'), download: rel.split('/').pop() }, 'Download'), ' ', status), pre);
    let offset = 0;
    try {
      if (!probe || !probe.ok) throw new Error(`Cannot read ${rel}: ${probe ? probe.status : 'no path'}`);
      const size = (await probe.json()).offset || 0;
      offset = Math.max(0, size - CHUNK);
      if (offset > 0) status.textContent = `Showing the last ${bytes(CHUNK)}; following.`;
    } catch (e) {
      status.textContent = String(e.message || e);
      ready();
      return;
    }
    ready();
    const tick = async () => {
      if (done || !main.isConnected) return;
      try {
        for (;;) {
          const r = await getJSON(api('read', `&offset=${offset}&length=${CHUNK}`));
          if (!r.data) break;
          const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
          pre.append(r.data);
          offset += new TextEncoder().encode(r.data).length;
          if (atEnd) pre.scrollTop = pre.scrollHeight;
          if (r.data.length < CHUNK / 2) break;
        }
      } catch (e) {
        status.textContent = `Not updating: ${String(e.message || e)}`;
      }
      timer = setTimeout(tick, TAIL_MS);
    };
    tick();
  })();
  return { static: true, stop: () => { done = true; clearTimeout(timer); } };
}

// --- agent metrics --------------------------------------------------------------

const POINTS = 60;
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** A small line chart of values in 0..max. */
function chart(label, values, max, unit) {
  const w = 300; const hgt = 80;
  const pts = values.map((v, i) => `${(i / (POINTS - 1)) * w},${hgt - (Math.min(v, max) / (max || 1)) * hgt}`).join(' ');
  const s = svg('svg', { viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': `${label}: ${values.length ? values[values.length - 1].toFixed(1) : '—'} ${unit}`, class: 'chart' });
  s.append(svg('rect', { x: 0, y: 0, width: w, height: hgt, class: 'chart-bg' }), svg('polyline', { points: pts, class: 'chart-line' }));
  return s;
}

export function metrics(main, [aid]) {
  const cpu = []; const mem = [];
  let timer = null; let done = false;
  const url = `agent/${enc(aid)}/system/v1/metrics/v0/node`;
  const draw = (msg) => {
    const last = (a) => (a.length ? a[a.length - 1] : 0);
    main.replaceChildren(h('h1', {}, 'Metrics of agent ', aid), h('p', {}, link(`/agents/${enc(aid)}`, 'Back to the agent')),
      h('p', { role: 'status', hidden: !msg }, msg || ''),
      h('figure', {}, chart('CPU', cpu, 100, '%'), h('figcaption', {}, `CPU ${last(cpu).toFixed(1)}% (last ${POINTS} samples, every 2 s)`)),
      h('figure', {}, chart('Memory', mem, 100, '%'), h('figcaption', {}, `Memory used ${last(mem).toFixed(1)}%`)));
  };
  const tick = async () => {
    if (done || !main.isConnected) return;
    try {
      const r = await fetch(here(url), { cache: 'no-store' });
      if (r.status === 404) { draw('This agent does not serve the metrics API.'); main.dataset.ready = 'true'; return; }
      if (!r.ok) throw new Error(`${r.status}`);
      const points = Object.fromEntries(((await r.json()).datapoints || []).map((d) => [d.name, Number(d.value)]));
      cpu.push(points['cpu.total'] || 0);
      const total = points['memory.total'] || 0;
      const free = (points['memory.free'] || 0) + (points['memory.buffers'] || 0) + (points['memory.cached'] || 0);
      mem.push(total ? ((total - free) / total) * 100 : 0);
      if (cpu.length > POINTS) { cpu.shift(); mem.shift(); }
      draw();
    } catch (e) {
      draw(`The agent did not answer: ${String(e.message || e)}`);
    }
    main.dataset.ready = 'true';
    timer = setTimeout(tick, 2000);
  };
  tick();
  return { static: true, stop: () => { done = true; clearTimeout(timer); } };
}
