// The pages that render the master's state. A page is
// `mount(main, params, query) -> update(model)`; the app calls update on
// every change of the model and marks the page ready.

import { h, link, idLink, num, mb, since, when, res, stateLabel, table, facts, sandboxRoute, enc, here } from './dom.js';
import { getJSON } from './model.js';

export const STATES = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED',
  'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_UNREACHABLE',
  'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN'];

const RES = ['cpus', 'mem', 'disk', 'gpus'];

/** Every task of the state (active and completed frameworks; running,
 * completed and unreachable tasks), each once. */
export function allTasks(st) {
  const seen = new Map();
  for (const fw of [...(st.frameworks || []), ...(st.completed_frameworks || [])]) {
    for (const t of [...(fw.tasks || []), ...(fw.unreachable_tasks || []), ...(fw.completed_tasks || [])]) {
      const key = t.framework_id + '/' + t.id;
      if (!seen.has(key)) seen.set(key, t);
    }
  }
  return [...seen.values()];
}

/** Cluster resources: total, used, offered, idle (total - used - offered). */
export function totals(st) {
  const out = {};
  for (const r of RES) {
    let total = 0; let used = 0; let offered = 0;
    for (const s of st.slaves || []) {
      total += Number((s.resources || {})[r] || 0);
      used += Number((s.used_resources || {})[r] || 0);
      offered += Number((s.offered_resources || {})[r] || 0);
    }
    out[r] = { total, used, offered, idle: total - used - offered };
  }
  return out;
}

/** The leader's `ip:port` (from its pid, `master@ip:port`). */
function leaderAddr(st) {
  const pid = String(st.leader || '');
  if (pid) return pid.replace(/^[^@]*@/, '');
  const li = st.leader_info || {};
  return li.hostname ? `${li.hostname}:${li.port}` : '';
}

const stat = (name, value) => h('span', { 'data-stat': name }, value);

// --- overview ---------------------------------------------------------------

export function overview(main) {
  return ({ state: st }) => {
    const tasks = allTasks(st);
    const byState = Object.fromEntries(STATES.map((s) => [s, 0]));
    for (const t of tasks) byState[t.state] = (byState[t.state] || 0) + 1;
    const tot = totals(st);
    const zk = (st.flags || {}).zk;
    main.replaceChildren(
      h('h1', {}, 'Cluster ', stat('cluster', st.cluster || ''), st.cluster ? null : '(unnamed)'),
      h('section', { 'aria-labelledby': 'h-master' }, h('h2', { id: 'h-master' }, 'Master'),
        facts([
          ['Leader', stat('leader', leaderAddr(st))],
          ['Version', stat('version', st.version || '')],
          ['Elected', h('span', { title: when(st.elected_time) }, since(st.elected_time), ' ago')],
          ['Started', when(st.start_time)],
          ['ZooKeeper', zk || 'none (standalone master)'],
        ])),
      h('section', { 'aria-labelledby': 'h-agents' }, h('h2', { id: 'h-agents' }, 'Agents'),
        facts([
          ['Active', stat('agents-active', num(st.activated_slaves))],
          ['Inactive', stat('agents-inactive', num(st.deactivated_slaves))],
          ['Unreachable', stat('agents-unreachable', num(st.unreachable_slaves))],
        ])),
      h('section', { 'aria-labelledby': 'h-tasks' }, h('h2', { id: 'h-tasks' }, 'Tasks'),
        h('dl', { class: 'facts states' }, STATES.flatMap((s) => [
          h('dt', {}, link(`/tasks?state=${s}`, s.slice(5).toLowerCase().replace(/_/g, ' '))),
          h('dd', {}, stat('tasks-' + s.slice(5).toLowerCase().replace(/_/g, '-'), String(byState[s] || 0))),
        ]))),
      h('section', { 'aria-labelledby': 'h-res' }, h('h2', { id: 'h-res' }, 'Resources'),
        table('resources', ['', 'Total', 'Used', 'Offered', 'Idle', 'Use'], RES.map((r) => {
          const v = tot[r];
          return h('tr', { 'data-resource': r },
            h('th', { scope: 'row' }, r === 'cpus' ? 'CPUs' : r === 'gpus' ? 'GPUs' : r === 'mem' ? 'Memory (MB)' : 'Disk (MB)'),
            ...['total', 'used', 'offered', 'idle'].map((k) => h('td', { class: 'n' }, stat(`${r}-${k}`, num(v[k])))),
            h('td', {}, h('meter', { min: 0, max: v.total || 1, value: v.used + v.offered, 'aria-label': `${r} in use or offered` }),
              ` ${v.total ? Math.round(((v.used + v.offered) / v.total) * 100) : 0}%`));
        }))),
    );
  };
}

// --- frameworks ---------------------------------------------------------------

function fwRow(f, completed) {
  const tasks = f.tasks || [];
  const running = tasks.filter((t) => t.state === 'TASK_RUNNING').length;
  return h('tr', { 'data-framework-id': f.id },
    h('td', {}, link(`/frameworks/${enc(f.id)}`, f.id)),
    h('td', {}, f.name), h('td', {}, (f.roles || [f.role]).filter(Boolean).join(', ')),
    h('td', {}, f.principal || f.user || ''),
    h('td', {}, completed ? 'completed' : f.active ? 'active' : 'inactive'),
    h('td', { class: 'n' }, String(tasks.length)), h('td', { class: 'n' }, String(running)),
    h('td', { class: 'n' }, String((f.completed_tasks || []).length)),
    h('td', {}, res(f.used_resources || f.resources)),
    h('td', {}, since(f.registered_time)));
}

const FW_HEAD = ['ID', 'Name', 'Roles', 'Principal', 'Status', 'Active tasks', 'Running', 'Completed tasks', 'Resources', 'Registered'];

export function frameworks(main) {
  return ({ state: st }) => main.replaceChildren(
    h('h1', {}, 'Frameworks'),
    table('frameworks', FW_HEAD, (st.frameworks || []).map((f) => fwRow(f, false)), 'Active frameworks'),
    table('completed-frameworks', FW_HEAD, (st.completed_frameworks || []).map((f) => fwRow(f, true)), 'Completed frameworks'));
}

export function framework(main, [fid]) {
  return ({ state: st }) => {
    const f = (st.frameworks || []).find((x) => x.id === fid) || (st.completed_frameworks || []).find((x) => x.id === fid);
    if (!f) return main.replaceChildren(h('h1', {}, 'Framework'), h('p', { role: 'status' }, `No framework ${fid}.`));
    main.replaceChildren(
      h('h1', {}, 'Framework ', f.name),
      facts([['ID', f.id], ['User', f.user], ['Principal', f.principal || '—'], ['Roles', (f.roles || [f.role]).join(', ')],
        ['Status', f.active ? 'active' : 'inactive'], ['Registered', when(f.registered_time)], ['Resources', res(f.used_resources || f.resources)],
        ['Web UI', f.webui_url ? h('a', { href: f.webui_url, rel: 'noreferrer' }, f.webui_url) : '—']]),
      taskTable([...(f.tasks || []), ...(f.unreachable_tasks || [])], 'Active tasks', 'tasks'),
      taskTable(f.completed_tasks || [], 'Completed tasks', 'completed-tasks'));
  };
}

// --- agents -------------------------------------------------------------------

const attrs = (a) => Object.entries(a || {}).map(([k, v]) => `${k}:${v}`).join(', ');

export function agents(main) {
  return ({ state: st }) => main.replaceChildren(
    h('h1', {}, 'Agents'),
    table('agents', ['ID', 'Host', 'Status', 'CPUs', 'Memory', 'Disk', 'GPUs', 'Attributes', 'Registered'],
      (st.slaves || []).map((s) => h('tr', { 'data-agent-id': s.id },
        h('td', {}, link(`/agents/${enc(s.id)}`, s.id)), h('td', {}, s.hostname),
        h('td', {}, s.active ? 'active' : 'inactive'),
        ...RES.map((r) => h('td', { class: 'n' }, `${r === 'cpus' || r === 'gpus' ? num((s.used_resources || {})[r]) : mb((s.used_resources || {})[r])} / ${r === 'cpus' || r === 'gpus' ? num((s.resources || {})[r]) : mb((s.resources || {})[r])}`)),
        h('td', {}, attrs(s.attributes)), h('td', {}, since(s.registered_time))))));
}

/** Whether an agent answers the DC/OS metrics API (cached per agent). */
const metricsProbe = new Map();
export function hasMetrics(aid) {
  if (!metricsProbe.has(aid)) {
    metricsProbe.set(aid, fetch(here(`agent/${enc(aid)}/system/v1/metrics/v0/node`), { cache: 'no-store' })
      .then((r) => r.ok).catch(() => false));
  }
  return metricsProbe.get(aid);
}

export function agent(main, [aid]) {
  let executors = null;
  const metricsLink = h('p', { hidden: true }, link(`/agents/${enc(aid)}/metrics`, 'CPU and memory charts', { 'data-metrics-link': '' }));
  hasMetrics(aid).then((ok) => { metricsLink.hidden = !ok; });
  getJSON(`agent/${enc(aid)}/state`).then((s) => { executors = s; }).catch(() => { executors = false; });
  return ({ state: st }) => {
    const s = (st.slaves || []).find((x) => x.id === aid);
    if (!s) return main.replaceChildren(h('h1', {}, 'Agent'), h('p', { role: 'status' }, `No agent ${aid}.`));
    const tasks = allTasks(st).filter((t) => t.slave_id === aid);
    const exRows = [];
    for (const f of (executors && executors.frameworks) || []) {
      for (const e of f.executors || []) {
        exRows.push(h('tr', { 'data-executor-id': e.id },
          h('td', {}, e.id), h('td', {}, e.name || ''), h('td', {}, f.name || f.id),
          h('td', { class: 'n' }, String((e.tasks || []).length)), h('td', {}, res(e.resources)),
          h('td', {}, (e.tasks || [])[0] ? link(sandboxRoute({ ...e.tasks[0], slave_id: aid, framework_id: f.id, executor_id: e.id }), 'Sandbox') : '')));
      }
    }
    main.replaceChildren(
      h('h1', {}, 'Agent ', s.hostname),
      facts([['ID', s.id], ['Address', String(s.pid || '').replace(/^[^@]*@/, '')], ['Status', s.active ? 'active' : 'inactive'],
        ['Version', s.version || '—'], ['Registered', when(s.registered_time)], ['Attributes', attrs(s.attributes) || '—'],
        ['Total', res(s.resources)], ['Used', res(s.used_resources)], ['Offered', res(s.offered_resources)]]),
      metricsLink,
      h('h2', {}, 'Executors'),
      executors === null ? h('p', { role: 'status' }, 'Loading the agent\'s executors…')
        : executors === false ? h('p', { role: 'status' }, 'The agent did not answer.')
          : table('executors', ['ID', 'Name', 'Framework', 'Tasks', 'Resources', ''], exRows),
      taskTable(tasks, 'Tasks', 'tasks'));
  };
}

// --- tasks --------------------------------------------------------------------

const COLS = [
  ['id', 'ID', (t) => t.id], ['name', 'Name', (t) => t.name || ''], ['state', 'State', (t) => t.state],
  ['framework', 'Framework', (t) => t.framework_id], ['agent', 'Agent', (t) => t.slave_id],
  ['cpus', 'CPUs', (t) => Number((t.resources || {}).cpus || 0)], ['mem', 'Memory', (t) => Number((t.resources || {}).mem || 0)],
  ['updated', 'Updated', (t) => lastUpdate(t)],
];

const lastUpdate = (t) => { const s = t.statuses || []; return s.length ? Number(s[s.length - 1].timestamp || 0) : 0; };

/** A table of tasks; `sort` is a column key, "-key" for descending;
 * `onSort(key)` makes the headers buttons. */
export function taskTable(tasks, caption, name = 'tasks', sort = 'updated', onSort = null) {
  const desc = sort.startsWith('-') || (sort === 'updated');
  const key = sort.replace(/^-/, '');
  const col = COLS.find((c) => c[0] === key) || COLS[7];
  const sorted = [...tasks].sort((a, b) => {
    const x = col[2](a); const y = col[2](b);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return desc ? -c : c;
  });
  const head = COLS.map(([k, label]) => {
    const ariaSort = k === col[0] ? (desc ? 'descending' : 'ascending') : null;
    return h('th', { scope: 'col', 'aria-sort': ariaSort },
      onSort ? h('button', { type: 'button', 'data-sort': k, onclick: () => onSort(k === col[0] && !sort.startsWith('-') && k !== 'updated' ? '-' + k : k) },
        label, ariaSort ? (desc ? ' ▼' : ' ▲') : '') : label);
  });
  head.push(h('th', { scope: 'col' }, 'Sandbox'));
  return table(name, head, sorted.map((t) => h('tr', { 'data-task-id': t.id, 'data-state': t.state },
    h('td', {}, t.id), h('td', {}, t.name || ''), h('td', {}, stateLabel(t.state)),
    h('td', {}, idLink(`/frameworks/${enc(t.framework_id)}`, t.framework_id)),
    h('td', {}, idLink(`/agents/${enc(t.slave_id)}`, t.slave_id)),
    h('td', { class: 'n' }, num((t.resources || {}).cpus)), h('td', { class: 'n' }, mb((t.resources || {}).mem)),
    h('td', {}, lastUpdate(t) ? since(lastUpdate(t)) + ' ago' : '—'),
    h('td', {}, t.slave_id ? link(sandboxRoute(t), 'Sandbox', { 'aria-label': `Sandbox of ${t.id}` }) : ''))), caption);
}

export function tasks(main, _params, q, setQuery) {
  const field = (k, label, input) => h('label', {}, label, ' ', input);
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() });
  const stateSel = h('select', { name: 'state' }, h('option', { value: '' }, 'any'),
    STATES.map((s) => h('option', { value: s, selected: q.state === s }, s)));
  const fwIn = h('input', { name: 'framework', value: q.framework || '', size: 16 });
  const agIn = h('input', { name: 'agent', value: q.agent || '', size: 16 });
  const nameIn = h('input', { name: 'name', type: 'search', value: q.name || '', size: 16 });
  form.append(field('state', 'State', stateSel), field('framework', 'Framework ID', fwIn), field('agent', 'Agent ID', agIn), field('name', 'Name contains', nameIn));
  const out = h('div', {});
  main.replaceChildren(h('h1', {}, 'Tasks'), form, out);
  let last = null;
  const read = () => ({ state: stateSel.value, framework: fwIn.value.trim(), agent: agIn.value.trim(), name: nameIn.value.trim(), sort: q.sort || '' });
  const render = (m) => {
    last = m || last;
    if (!last || !last.state) return;
    const f = read();
    const list = allTasks(last.state).filter((t) => (!f.state || t.state === f.state)
      && (!f.framework || t.framework_id === f.framework) && (!f.agent || t.slave_id === f.agent)
      && (!f.name || String(t.name || '').includes(f.name)));
    out.replaceChildren(h('p', { role: 'status' }, `${list.length} task${list.length === 1 ? '' : 's'}`),
      taskTable(list, 'Tasks', 'tasks', f.sort || 'updated', (s) => { q.sort = s; setQuery(read()); render(); }));
  };
  form.addEventListener('input', () => { setQuery(read()); render(); });
  return render;
}

// --- offers -------------------------------------------------------------------

export function offers(main) {
  return ({ state: st }) => {
    const rows = [];
    for (const f of st.frameworks || []) {
      for (const o of f.offers || []) {
        rows.push(h('tr', { 'data-offer-id': o.id }, h('td', {}, o.id),
          h('td', {}, link(`/frameworks/${enc(o.framework_id || f.id)}`, f.name || f.id)),
          h('td', {}, idLink(`/agents/${enc(o.slave_id)}`, o.slave_id)),
          h('td', {}, res(o.resources))));
      }
    }
    main.replaceChildren(h('h1', {}, 'Offers'), table('offers', ['ID', 'Framework', 'Agent', 'Resources'], rows, 'Outstanding offers'));
  };
}

// --- maintenance and roles (fetched when the page opens) ------------------------

function fetched(main, title, load, draw) {
  let data = null; let err = null;
  const go = () => load().then((d) => { data = d; err = null; }, (e) => { err = String(e.message || e); });
  let pending = go();
  return async (m) => {
    await pending;
    pending = go(); // fresh next time
    main.replaceChildren(h('h1', {}, title), err ? h('p', { role: 'alert' }, err) : draw(data, m.state));
  };
}

export function maintenance(main) {
  return fetched(main, 'Maintenance', () => Promise.all([getJSON('master/maintenance/schedule'), getJSON('master/maintenance/status')]),
    ([sched, status]) => {
      const rows = [];
      for (const w of sched.windows || []) {
        const start = Number(((w.unavailability || {}).start || {}).nanoseconds || 0) / 1e9;
        const dur = Number(((w.unavailability || {}).duration || {}).nanoseconds || 0) / 1e9;
        for (const mid of w.machine_ids || []) {
          rows.push(h('tr', { 'data-machine': mid.hostname || mid.ip }, h('td', {}, mid.hostname || ''), h('td', {}, mid.ip || ''),
            h('td', {}, when(start)), h('td', {}, dur ? `${Math.round(dur / 60)} min` : 'forever')));
        }
      }
      const down = (status.down_machines || []).map((d) => d.hostname || d.ip);
      const draining = (status.draining_machines || []).map((d) => (d.id || d).hostname || (d.id || d).ip);
      return h('div', {}, table('maintenance', ['Host', 'IP', 'Unavailable from', 'For'], rows, 'Scheduled windows'),
        facts([['Draining', draining.join(', ') || 'none'], ['Down', down.join(', ') || 'none']]));
    });
}

export function roles(main) {
  return fetched(main, 'Roles and quota', () => Promise.all([getJSON('master/roles'), getJSON('master/quota').catch(() => ({}))]),
    ([r, quota]) => {
      const q = new Map();
      for (const s of (quota.status || quota).infos || []) q.set(s.role, s);
      return table('roles', ['Role', 'Weight', 'Frameworks', 'Allocated', 'Quota guarantee'], (r.roles || []).map((x) => {
        const qi = q.get(x.name);
        const guar = qi ? (qi.guarantee || []).map((g) => `${g.name}: ${num(g.scalar && g.scalar.value)}`).join(', ') : '—';
        return h('tr', { 'data-role': x.name }, h('td', {}, x.name), h('td', { class: 'n' }, num(x.weight)),
          h('td', { class: 'n' }, String((x.frameworks || []).length)), h('td', {}, res(x.resources)), h('td', {}, guar || '—'));
      }));
    });
}
