// The studio's shell: model and text inputs, tabs, fetching with visible errors, language switch.
// Each view registers Studio.views[name] = {render(container)}; body[data-rendered] tells tests a view is drawn.
'use strict';
const DEFAULT_TEXT = 'The quick brown fox jumps over the lazy dog. The quick brown fox';
const Studio = {
  views: {},
  // input: what the box holds for a model with a tokenizer (text) and for one without (token ids).
  state: { view: 'architecture', input: { text: DEFAULT_TEXT, tokens: '' }, model: null },
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

/** 'text', or 'tokens' when the model has no tokenizer and the box takes token ids (5,17,3). */
function inputMode() {
  const m = Studio.state.model;
  return m && m.loaded && !m.has_tokenizer ? 'tokens' : 'text';
}

/** The current input as API parameters: {text: ...} or {tokens: '5,17,3'}. */
function inputParams() {
  const mode = inputMode();
  return { [mode]: Studio.state.input[mode] };
}

/** GETs an endpoint with the current input added; a non-2xx answer throws its JSON error message. */
async function api(path, params = {}, withInput = true) {
  const q = new URLSearchParams(withInput ? { ...inputParams(), ...params } : params);
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
  saveToUrl();
  const container = document.getElementById('view');
  const fresh = el('div');
  try {
    if (!Studio.state.model || !Studio.state.model.loaded) {
      renderWelcome(fresh);
    } else {
      // The counter follows the input even when the view refuses it (too long, bad ids).
      const counted = updateTokenCount();
      // Canvas text is drawn at once, in whatever font is ready: have the CJK font ready first.
      if (lang === 'zh' && document.fonts) { await document.fonts.load('12px "gpt4j CJK"', '中').catch(() => null); }
      await Studio.views[Studio.state.view].render(fresh, () => seq === Studio.seq);
      await counted;
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

/** The token count beside the input, marked when past the context; a dash when the input cannot be read. */
async function updateTokenCount() {
  const counter = document.getElementById('token-count');
  try {
    const r = await api('/api/count');
    counter.textContent = `${r.count} ${t('tokens')} / ${t('context')} ${r.context}`;
    counter.classList.toggle('over', !r.fits);
    counter.title = r.fits ? '' : t('overContext');
  } catch (e) {
    counter.textContent = `– ${t('tokens')}`;
    counter.classList.add('over');
    counter.title = e.message;
  }
}

/** The view and the input in the address (?view=attention&text=...), so a link reopens the same thing. */
function saveToUrl() {
  const q = new URLSearchParams();
  q.set('view', Studio.state.view);
  const mode = inputMode();
  if (Studio.state.input[mode]) { q.set(mode, Studio.state.input[mode]); }
  const url = `${location.pathname}?${q}`;
  if (url !== location.pathname + location.search) { history.replaceState(null, '', url); }
}

/** Shows the input box for the model: text, or token ids when it has no tokenizer. */
function showInputMode() {
  const mode = inputMode();
  const box = document.getElementById('text');
  const m = Studio.state.model;
  if (mode === 'tokens' && !Studio.state.input.tokens) { Studio.state.input.tokens = defaultIds(m.vocab_size, m.n_positions); }
  box.value = Studio.state.input[mode];
  box.placeholder = mode === 'tokens' ? '5,17,3' : '';
  document.getElementById('input-label').dataset.i18n = mode === 'tokens' ? 'inputIds' : 'input';
  document.getElementById('input-label').textContent = t(mode === 'tokens' ? 'inputIds' : 'input');
  const hint = document.getElementById('input-hint');
  hint.hidden = mode !== 'tokens';
  hint.textContent = mode === 'tokens' ? t('idsHint', m.vocab_size - 1) : '';
}

/** A short id sequence with a repeat in it (so attention has something to find), inside any vocabulary. */
function defaultIds(vocab, context) {
  return [5, 17, 3, 42, 8, 5, 17, 3].slice(0, Math.max(1, context)).map(i => i % vocab).join(',');
}

function renderWelcome(c) {
  const m = Studio.state.model;
  const steps = [1, 2, 3].map(i => el('li', {}, t(`welcome.step${i}`),
    i < 3 ? el('pre', {}, el('code', {}, t(`welcome.cmd${i}`))) : null));
  c.append(el('div', { class: 'card welcome', id: 'welcome' },
    el('h2', {}, t('welcome')),
    el('p', {}, t('welcomeText')),
    el('p', { class: 'muted' }, t('noModel')),
    el('ol', { class: 'steps-list' }, steps),
    m && m.working_directory ? el('p', { class: 'muted' }, t('welcome.where', m.working_directory)) : null));
}

async function loadModelInfo() {
  Studio.state.model = await answer(await fetch('/api/model'));
  const m = Studio.state.model;
  document.getElementById('model-summary').textContent = m.loaded
    ? `${m.directory} · ${m.arch === 'bert' ? 'BERT · ' : ''}${m.n_layer} ${t('layers')} × ${m.n_head} ${t('heads')} · ${t('width')} ${m.n_embd} · ${t('context')} ${m.n_positions} · ${fmt(m.parameters)} ${t('params')}`
    : t('noModel');
  showTabsFor(m.loaded ? m.arch : null);
  if (m.loaded && !document.getElementById('model-path').value) { document.getElementById('model-path').value = m.directory; }
  showInputMode();
}

/** Shows the tabs the model has (a GPT's positions, embeddings and generation; a BERT's masked words). */
function showTabsFor(arch) {
  document.querySelectorAll('#tabs button[data-arch]').forEach(b => { b.hidden = arch !== null && b.dataset.arch !== arch; });
  const current = document.querySelector(`#tabs button[data-view="${Studio.state.view}"]`);
  if (current && current.hidden) { Studio.state.view = 'architecture'; }
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
  if (url.has('text')) { Studio.state.input.text = url.get('text'); }
  if (url.has('tokens')) { Studio.state.input.tokens = url.get('tokens'); }
  text.value = Studio.state.input.text;
  if (url.get('view') && Studio.views[url.get('view')]) { Studio.state.view = url.get('view'); }
  applyLanguage();
  let timer = null;
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { Studio.state.input[inputMode()] = text.value; render(); }, 350);
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
