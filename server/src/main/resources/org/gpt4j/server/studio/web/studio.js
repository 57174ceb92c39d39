// The studio's shell: model and text inputs, tabs, fetching with visible errors, language switch.
// Each view registers Studio.views[name] = {render(container)}; body[data-rendered] tells tests a view is drawn.
'use strict';
const Studio = {
  views: {},
  state: { view: 'architecture', text: '', model: null },
  seq: 0
};

/** Creates an element: el('div', {class: 'card'}, child, 'text', ...). */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') { e.className = v; } else if (k.startsWith('on')) { e.addEventListener(k.slice(2), v); } else { e.setAttribute(k, v); }
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) { e.append(c instanceof Node ? c : String(c)); }
  }
  return e;
}

class ApiFailure extends Error {}

/** GETs an endpoint with the current input added; a non-2xx answer throws its JSON error message. */
async function api(path, params = {}, withInput = true) {
  const q = new URLSearchParams(withInput ? { text: Studio.state.text, ...params } : params);
  const res = await fetch(`${path}?${q}`);
  return answer(res);
}

async function answer(res) {
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) { throw new ApiFailure((body && body.error) || `HTTP ${res.status}`); }
  return body;
}

function showError(message) {
  const box = document.getElementById('error');
  box.textContent = `${t('error')}: ${message}`;
  box.hidden = false;
}

function showNotice(message) {
  const box = document.getElementById('notice');
  box.textContent = message;
  box.hidden = !message;
}

function fmt(n) { return Number(n).toLocaleString('en-US'); }
/** A probability as a percentage; tiny ones keep two significant digits instead of reading 0.00%. */
function pct(p) { return p >= 0.001 || p === 0 ? (100 * p).toFixed(p >= 0.1 ? 1 : 2) + '%' : (100 * p).toPrecision(2) + '%'; }

/** Redraws the current view; a newer call supersedes an older one still waiting for the server. */
async function render() {
  const seq = ++Studio.seq;
  const body = document.body;
  body.dataset.busy = '1';
  document.getElementById('error').hidden = true;
  showNotice('');
  document.querySelectorAll('#tabs button').forEach(b => b.classList.toggle('active', b.dataset.view === Studio.state.view));
  const container = document.getElementById('view');
  const fresh = el('div');
  try {
    if (!Studio.state.model || !Studio.state.model.loaded) {
      renderWelcome(fresh);
    } else {
      if (Studio.state.view !== 'training') { await updateTokenCount(); }
      await Studio.views[Studio.state.view].render(fresh, () => seq === Studio.seq);
    }
    if (seq === Studio.seq) { container.replaceChildren(fresh); }
  } catch (e) {
    if (seq === Studio.seq) {
      showError(e.message);
      container.replaceChildren();
      if (!(e instanceof ApiFailure)) { console.warn(e); }
    }
  } finally {
    if (seq === Studio.seq) {
      body.dataset.busy = '0';
      body.dataset.rendered = Studio.state.view;
    }
  }
}

async function updateTokenCount() {
  const r = await api('/api/tokens');
  document.getElementById('token-count').textContent = `${r.count} ${t('tokens')} / ${t('context')} ${r.context}`;
}

function renderWelcome(c) {
  const m = Studio.state.model;
  c.append(el('div', { class: 'card welcome' },
    el('h2', {}, t('welcome')),
    el('p', {}, t('welcomeText')),
    el('p', { class: 'muted' }, t('noModel')),
    el('p', {}, el('code', {}, (m && m.hint) || ''))));
}

async function loadModelInfo() {
  Studio.state.model = await answer(await fetch('/api/model'));
  const m = Studio.state.model;
  document.getElementById('model-summary').textContent = m.loaded
    ? `${m.directory} · ${m.n_layer} ${t('layers')} × ${m.n_head} ${t('heads')} · ${t('width')} ${m.n_embd} · ${t('context')} ${m.n_positions} · ${fmt(m.parameters)} ${t('params')}`
    : t('noModel');
  if (m.loaded && !document.getElementById('model-path').value) { document.getElementById('model-path').value = m.directory; }
}

async function switchModel(path) {
  const res = await fetch('/api/model', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path }) });
  await answer(res);
  document.getElementById('model-path').value = '';
  await loadModelInfo();
}

function start() {
  const url = new URLSearchParams(location.search);
  const text = document.getElementById('text');
  Studio.state.text = text.value = url.get('text') || 'The quick brown fox jumps over the lazy dog. The quick brown fox';
  if (url.get('view') && Studio.views[url.get('view')]) { Studio.state.view = url.get('view'); }
  applyLanguage();
  let timer = null;
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { Studio.state.text = text.value; render(); }, 350);
  });
  document.querySelectorAll('#tabs button').forEach(b => b.addEventListener('click', () => {
    Studio.state.view = b.dataset.view;
    render();
  }));
  document.getElementById('lang').addEventListener('click', () => { switchLanguage(); loadModelInfo().then(render, e => showError(e.message)); });
  document.getElementById('model-form').addEventListener('submit', e => {
    e.preventDefault();
    const path = document.getElementById('model-path').value.trim();
    if (path) { switchModel(path).then(render, err => showError(err.message)); }
  });
  loadModelInfo().then(render, e => { showError(e.message); document.body.dataset.busy = '0'; });
}

document.addEventListener('DOMContentLoaded', start);
