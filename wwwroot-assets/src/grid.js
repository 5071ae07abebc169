// The overview's status grid: every service as a 12 px tile on one <canvas>, which stays cheap at
// 10,000 tiles where 10,000 DOM elements are not. The module owns the grid's data (fetched from
// GET api/v1/overview/grid, then changed by apply()), so the page can paint it before the
// WebAssembly app has started (grid-boot.js) and the app later hands it its own host element
// (attach) without fetching or drawing anything twice. Status shows by shape as well as colour;
// the counts and a list of every service that is not healthy are text, for screen readers and
// anyone who cannot tell the colours apart.

const gridPath = 'api/v1/overview/grid';
const size = 12;
const pitch = 14;
const maxListed = 100;

// By status code (Monitoring.Core.Realtime.GridStatus): worst first.
const looks = [
  { key: 'unhealthy', label: 'Unhealthy', color: '#c62828' },
  { key: 'degraded', label: 'Degraded', color: '#ed6c02' },
  { key: 'unknown', label: 'Unknown', color: '#757575' },
  { key: 'paused', label: 'Paused', color: '#9e9e9e' },
  { key: 'healthy', label: 'Healthy', color: '#2e7d32' },
];
const healthy = 4;

let data = null; // { sequence, ids, names, statuses (Uint8Array), index (Map id -> position) }
let loading = null;
let view = null;
let frame = 0;
let fullDraw = true;
const dirty = new Set();

function lookOf(code) {
  return looks[code] ?? looks[2];
}

function compare(a, b) {
  // The server orders by name case-insensitively, then by id; new and renamed tiles follow suit.
  const x = a.name.toUpperCase();
  const y = b.name.toUpperCase();
  return x < y ? -1 : x > y ? 1 : a.id - b.id;
}

function setData(sequence, ids, names, statuses) {
  const index = new Map();
  for (let i = 0; i < ids.length; i++) index.set(ids[i], i);
  data = { sequence, ids, names, statuses: Uint8Array.from(statuses), index };
}

async function fetchGrid() {
  const response = await fetch(new URL(gridPath, document.baseURI), { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`The grid answered ${response.status}`);
  const body = await response.json();
  setData(body.sequence, body.ids, body.names, body.statuses);
  fullDraw = true;
  schedule();
  return data.sequence;
}

/**
 * Loads the grid unless it is already here (or on its way) and returns its sequence; with
 * force, always fetches a new one (after a gap or a reconnection).
 */
export function load(force) {
  if (!force && data) return Promise.resolve(data.sequence);
  if (!force && loading) return loading;
  const request = fetchGrid();
  loading = request;
  request.catch(() => { }).finally(() => { if (loading === request) loading = null; });
  return request;
}

/** The sequence of the grid held, or -1 before the first load. */
export function sequence() {
  return data ? data.sequence : -1;
}

/**
 * Applies one delta of the overview group: ids[i] now has names[i] and statuses[i]; removed ids
 * go. A status change redraws one tile; an added, renamed or removed service redraws all.
 */
export function apply(sequence, ids, names, statuses, removed) {
  if (!data) return;
  let reorder = false;
  for (let i = 0; i < ids.length; i++) {
    const at = data.index.get(ids[i]);
    if (at === undefined || data.names[at] !== names[i]) { reorder = true; continue; }
    if (data.statuses[at] !== statuses[i]) { data.statuses[at] = statuses[i]; dirty.add(at); }
  }
  if (reorder || removed.length > 0) {
    const gone = new Set(removed);
    const tiles = new Map();
    for (let i = 0; i < data.ids.length; i++) {
      if (!gone.has(data.ids[i])) tiles.set(data.ids[i], { id: data.ids[i], name: data.names[i], status: data.statuses[i] });
    }
    for (let i = 0; i < ids.length; i++) {
      if (!gone.has(ids[i])) tiles.set(ids[i], { id: ids[i], name: names[i], status: statuses[i] });
    }
    const sorted = [...tiles.values()].sort(compare);
    setData(sequence, sorted.map(t => t.id), sorted.map(t => t.name), sorted.map(t => t.status));
    fullDraw = true;
  } else {
    data.sequence = sequence;
  }
  schedule();
}

/** Shows the grid inside host (the overview page's element); creates the view on first use. */
export function attach(host) {
  if (!view) view = createView();
  host.appendChild(view.root);
  view.host = host;
  observeSize();
  // The app's page took over: the slot painted before the app started has done its job.
  if (host.id !== 'grid-boot') document.getElementById('grid-boot')?.remove();
  fullDraw = true;
  schedule();
  if (!data && !loading) load(false).catch(() => { });
}

/** Takes the view out of host (the page went away); the data stays and keeps being updated. */
export function detach(host) {
  if (!view || view.host !== host) return;
  view.resize?.disconnect();
  view.root.remove();
  view.host = null;
}

/** Paints into #grid-boot before the app has started, if the page is the overview (grid-boot.js). */
export async function boot() {
  const slot = document.getElementById('grid-boot');
  if (!slot || new URL(document.baseURI).pathname !== location.pathname) return;
  try {
    await load(false);
  } catch {
    slot.remove(); // Not signed in, or the server is away: the app shows what to do.
    return;
  }
  if (view?.host || !document.getElementById('grid-boot')) return; // The app got here first.
  slot.hidden = false;
  attach(slot);
}

function createView() {
  const root = element('div', 'grid-view');
  const legend = element('ul', 'grid-legend');
  legend.id = 'status-legend';
  legend.setAttribute('aria-label', 'Services per status, worst first');
  const counts = looks.map(look => {
    const item = element('li', 'grid-legend-item');
    item.id = `legend-${look.key}`;
    const icon = element('canvas', 'grid-legend-icon');
    icon.width = size;
    icon.height = size;
    icon.setAttribute('aria-hidden', 'true');
    drawTile(icon.getContext('2d'), 0, 0, looks.indexOf(look));
    const count = element('span', 'grid-legend-count');
    item.append(icon, count, ` ${look.label}`);
    legend.append(item);
    return { item, count };
  });
  const canvas = element('canvas', 'grid-canvas');
  canvas.id = 'status-grid';
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  const frameBox = element('div', 'grid-frame');
  const tip = element('div', 'grid-tip');
  tip.id = 'status-grid-tip';
  tip.hidden = true;
  const live = element('div', 'visually-hidden');
  live.setAttribute('aria-live', 'polite');
  frameBox.append(canvas, tip);
  const empty = element('p', 'grid-empty');
  empty.id = 'status-grid-empty';
  empty.textContent = 'No services are registered yet.';
  empty.hidden = true;
  const problems = element('section', 'grid-problems');
  const heading = element('h3', 'grid-problems-title');
  heading.id = 'status-problems-title';
  const list = element('ul', 'grid-problems-list');
  list.id = 'status-problems';
  list.setAttribute('aria-labelledby', heading.id);
  problems.append(heading, list);
  root.append(legend, frameBox, empty, problems, live);

  const v = { root, canvas, tip, live, empty, counts, heading, list, columns: 1, focus: -1, tipAt: -1, host: null, resize: null, width: 0 };
  canvas.addEventListener('mousemove', e => showTip(v, hit(v, e)));
  canvas.addEventListener('mouseleave', () => showTip(v, v.focus));
  canvas.addEventListener('click', e => {
    const i = hit(v, e);
    if (i >= 0) open(data.ids[i]);
  });
  canvas.addEventListener('focus', () => moveFocus(v, v.focus < 0 ? 0 : v.focus));
  canvas.addEventListener('blur', () => { const was = v.focus; v.focus = -1; redrawTile(v, was); showTip(v, -1); });
  canvas.addEventListener('keydown', e => onKey(v, e));
  return v;
}

function element(tag, className) {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}

function observeSize() {
  view.resize?.disconnect();
  view.resize = new ResizeObserver(() => {
    const width = view.root.clientWidth;
    if (width !== view.width) { fullDraw = true; schedule(); }
  });
  view.resize.observe(view.root);
}

function schedule() {
  if (frame || !view?.host) return;
  frame = requestAnimationFrame(() => { frame = 0; draw(); });
}

function draw() {
  if (!view?.host || !data) return;
  const v = view;
  const n = data.ids.length;
  if (fullDraw) {
    fullDraw = false;
    dirty.clear();
    v.width = v.root.clientWidth;
    v.columns = Math.max(1, Math.floor((v.width + pitch - size) / pitch));
    const rows = Math.ceil(n / v.columns);
    const ratio = window.devicePixelRatio || 1;
    const cssWidth = Math.max(0, Math.min(n, v.columns) * pitch - (pitch - size));
    const cssHeight = Math.max(0, rows * pitch - (pitch - size));
    v.canvas.style.width = `${cssWidth}px`;
    v.canvas.style.height = `${cssHeight}px`;
    v.canvas.width = Math.round(cssWidth * ratio);
    v.canvas.height = Math.round(cssHeight * ratio);
    const ctx = v.canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    for (let i = 0; i < n; i++) drawTile(ctx, (i % v.columns) * pitch, Math.floor(i / v.columns) * pitch, data.statuses[i]);
    if (v.focus >= n) v.focus = n - 1;
    if (v.focus >= 0) drawFocus(ctx, v.focus);
  } else {
    for (const i of dirty) redrawTile(v, i);
    dirty.clear();
  }
  v.canvas.hidden = n === 0;
  v.empty.hidden = n !== 0;
  describe(v);
  if (v.tipAt >= 0) showTip(v, v.tipAt); // The tile under the pointer may have changed.
  v.canvas.dataset.count = String(n);
  v.canvas.dataset.sequence = String(data.sequence);
  // Read by tests and the paint bench: every tile of this sequence is on the canvas.
  v.canvas.dataset.painted = String(n);
}

function redrawTile(v, i) {
  if (!data || i < 0 || i >= data.ids.length) return;
  const ctx = v.canvas.getContext('2d');
  const x = (i % v.columns) * pitch;
  const y = Math.floor(i / v.columns) * pitch;
  ctx.clearRect(x - 1, y - 1, size + 2, size + 2);
  drawTile(ctx, x, y, data.statuses[i]);
  if (i === v.focus) drawFocus(ctx, i);
}

// One shape per status, so it reads without colour: a square (healthy), a triangle (degraded),
// a circle with a cross (unhealthy), a diamond with a dot (unknown), a hollow square (paused).
function drawTile(ctx, x, y, code) {
  const look = lookOf(code);
  ctx.fillStyle = look.color;
  ctx.strokeStyle = look.color;
  switch (look.key) {
    case 'healthy':
      ctx.fillRect(x, y, size, size);
      break;
    case 'degraded':
      ctx.beginPath();
      ctx.moveTo(x + size / 2, y);
      ctx.lineTo(x + size, y + size);
      ctx.lineTo(x, y + size);
      ctx.closePath();
      ctx.fill();
      break;
    case 'unhealthy':
      ctx.beginPath();
      ctx.arc(x + size / 2, y + size / 2, size / 2, 0, Math.PI * 2);
      ctx.fill();
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x + 3.5, y + 3.5);
      ctx.lineTo(x + size - 3.5, y + size - 3.5);
      ctx.moveTo(x + size - 3.5, y + 3.5);
      ctx.lineTo(x + 3.5, y + size - 3.5);
      ctx.stroke();
      break;
    case 'paused':
      ctx.lineWidth = 2;
      ctx.strokeRect(x + 1, y + 1, size - 2, size - 2);
      break;
    default:
      ctx.beginPath();
      ctx.moveTo(x + size / 2, y);
      ctx.lineTo(x + size, y + size / 2);
      ctx.lineTo(x + size / 2, y + size);
      ctx.lineTo(x, y + size / 2);
      ctx.closePath();
      ctx.fill();
      ctx.fillStyle = '#fff';
      ctx.fillRect(x + size / 2 - 1, y + size / 2 - 1, 2, 2);
      break;
  }
}

function drawFocus(ctx, i) {
  const x = (i % view.columns) * pitch;
  const y = Math.floor(i / view.columns) * pitch;
  ctx.strokeStyle = getComputedStyle(view.root).color || '#fff';
  ctx.lineWidth = 1;
  ctx.strokeRect(x - 0.5, y - 0.5, size + 1, size + 1);
}

// The text side: counts, the canvas's label, and every service that is not healthy (capped).
function describe(v) {
  const counts = [0, 0, 0, 0, 0];
  for (let i = 0; i < data.statuses.length; i++) counts[data.statuses[i]] = (counts[data.statuses[i]] ?? 0) + 1;
  const parts = [];
  looks.forEach((look, code) => {
    const text = counts[code].toLocaleString('en-US');
    const c = v.counts[code];
    if (c.count.textContent !== text) c.count.textContent = text;
    c.item.dataset.count = String(counts[code]);
    if (counts[code] > 0) parts.push(`${text} ${look.label.toLowerCase()}`);
  });
  v.canvas.setAttribute('aria-label', `Status of ${data.ids.length.toLocaleString('en-US')} services: ${parts.join(', ') || 'none'}. The list below names every service that is not healthy.`);

  const problems = [];
  for (let code = 0; code < looks.length; code++) {
    if (code === healthy || counts[code] === 0) continue;
    for (let i = 0; i < data.statuses.length && problems.length < maxListed; i++) {
      if (data.statuses[i] === code) problems.push(i);
    }
  }
  const notHealthy = data.ids.length - counts[healthy];
  v.heading.textContent = notHealthy === 0 ? 'Every service is healthy' : `Not healthy: ${notHealthy.toLocaleString('en-US')}`;
  const items = problems.map(i => {
    const look = lookOf(data.statuses[i]);
    const li = element('li', `grid-problem status-${look.key}`);
    li.dataset.id = String(data.ids[i]);
    li.dataset.status = look.key;
    const a = element('a', 'grid-problem-link');
    a.href = `services/${data.ids[i]}`;
    a.textContent = data.names[i];
    li.append(a, ` — ${look.label}`);
    return li;
  });
  if (notHealthy > problems.length) {
    const more = element('li', 'grid-problem-more');
    more.textContent = `… and ${(notHealthy - problems.length).toLocaleString('en-US')} more`;
    items.push(more);
  }
  v.list.replaceChildren(...items);
}

function hit(v, e) {
  if (!data) return -1;
  const rect = v.canvas.getBoundingClientRect();
  const x = e.clientX - rect.left;
  const y = e.clientY - rect.top;
  const column = Math.floor(x / pitch);
  const row = Math.floor(y / pitch);
  if (x < 0 || y < 0 || column >= v.columns || x % pitch >= size || y % pitch >= size) return -1;
  const i = row * v.columns + column;
  return i < data.ids.length ? i : -1;
}

function tileText(i) {
  return `${data.names[i]}: ${lookOf(data.statuses[i]).label}`;
}

function showTip(v, i) {
  v.tipAt = data && i >= 0 && i < data.ids.length ? i : -1;
  if (v.tipAt < 0) {
    v.tip.hidden = true;
    v.canvas.style.cursor = '';
    return;
  }
  v.tip.textContent = tileText(i);
  v.tip.style.left = `${(i % v.columns) * pitch}px`;
  v.tip.style.top = `${Math.floor(i / v.columns) * pitch + pitch + 2}px`;
  v.tip.hidden = false;
  v.canvas.style.cursor = 'pointer';
}

function moveFocus(v, i) {
  if (!data || data.ids.length === 0) return;
  const was = v.focus;
  v.focus = Math.max(0, Math.min(data.ids.length - 1, i));
  redrawTile(v, was);
  redrawTile(v, v.focus);
  showTip(v, v.focus);
  v.live.textContent = tileText(v.focus);
}

function onKey(v, e) {
  const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: v.columns, ArrowUp: -v.columns, PageDown: v.columns * 10, PageUp: -v.columns * 10 };
  if (e.key in moves) moveFocus(v, v.focus + moves[e.key]);
  else if (e.key === 'Home') moveFocus(v, 0);
  else if (e.key === 'End') moveFocus(v, Number.MAX_SAFE_INTEGER);
  else if ((e.key === 'Enter' || e.key === ' ') && v.focus >= 0) open(data.ids[v.focus]);
  else return;
  e.preventDefault();
}

// Through a real link, so the app's router handles it (no reload) once it runs.
function open(id) {
  const a = document.createElement('a');
  a.href = `services/${id}`;
  a.hidden = true;
  (view?.root ?? document.body).append(a);
  a.click();
  a.remove();
}
