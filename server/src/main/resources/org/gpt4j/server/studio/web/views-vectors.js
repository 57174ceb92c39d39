// Views e (embeddings and hidden states in 2-D) and f (the generation timeline with the logit lens).
'use strict';

Studio.state.emb = { layer: -1, method: 'pca', position: null };
Studio.state.gen = { steps: 10, sample: true, temperature: 1, top_k: 50, top_p: 1, seed: 1, current: 0 };

Studio.views.embeddings = {
  async render(c) {
    const s = Studio.state.emb;
    const params = { layer: s.layer, method: s.method };
    if (s.position !== null) { params.position = s.position; }
    let r;
    try {
      r = await api('/api/embeddings', params);
    } catch (e) {
      s.position = null; // a position from a longer input: ask again without it
      r = await api('/api/embeddings', { layer: s.layer, method: s.method });
    }
    if (r.truncated) { showNotice(t('emb.truncated', r.shown)); }
    const slider = el('input', { type: 'range', min: -1, max: r.layer_names.length - 2, value: r.layer, id: 'emb-layer' });
    slider.addEventListener('change', () => { s.layer = Number(slider.value); render(); });
    const methods = ['pca', 'tsne'].map(m => {
      const b = el('button', { type: 'button', 'data-method': m }, m === 'pca' ? 'PCA' : 't-SNE');
      if (m === s.method) { b.classList.add('chosen'); }
      b.addEventListener('click', () => { s.method = m; render(); });
      return b;
    });
    const canvas = el('canvas', { id: 'emb-scatter' });
    Draw.scatter(canvas, r.points, { highlight: r.neighbours.position, onClick: i => { s.position = i; render(); } });
    const nn = (title, list, withPos) => el('div', {}, el('h2', {}, title), el('table', {}, list.map(n => el('tr', {},
      el('td', { class: 'mono' }, withPos ? `#${n.position} ${Draw.short(n.text)}` : Draw.short(n.text)),
      el('td', { class: 'num' }, n.cosine.toFixed(3))))));
    c.append(el('div', { class: 'card' },
      el('div', { class: 'controls' },
        el('label', {}, t('emb.layer'), slider, el('b', {}, r.layer_names[r.layer + 1])),
        el('label', {}, t('emb.method'), methods),
        r.explained_variance ? el('span', { class: 'muted' }, `${t('emb.explained')}: ${r.explained_variance.map(pct).join(', ')}`) : null),
      el('p', { class: 'muted' }, t('emb.click')),
      el('div', { class: 'row' }, canvas,
        el('div', { id: 'emb-neighbours' }, el('p', {}, el('b', {}, `#${r.neighbours.position} '${r.neighbours.text}'`)),
          nn(t('emb.nnInput'), r.neighbours.in_input, true), nn(t('emb.nnVocab'), r.neighbours.in_vocabulary, false)))));
  }
};

function genControls(g) {
  const input = (key, attrs) => {
    const i = el('input', { ...attrs, value: g[key] });
    if (attrs.type === 'checkbox') { i.checked = g[key]; }
    i.addEventListener('change', () => {
      g[key] = attrs.type === 'checkbox' ? i.checked : Number(i.value);
      g.current = 0;
      render();
    });
    return i;
  };
  return el('div', { class: 'controls', id: 'gen-controls' },
    el('label', {}, t('gen.steps'), input('steps', { type: 'number', min: 1, max: 64, style: 'width:64px' })),
    el('label', {}, t('gen.sample'), input('sample', { type: 'checkbox' })),
    el('label', {}, t('gen.temperature'), input('temperature', { type: 'range', min: 0.1, max: 2, step: 0.05 }), g.temperature),
    el('label', {}, t('gen.topk'), input('top_k', { type: 'number', min: 0, max: 1000, style: 'width:72px' })),
    el('label', {}, t('gen.topp'), input('top_p', { type: 'range', min: 0.05, max: 1, step: 0.05 }), g.top_p),
    el('label', {}, t('gen.seed'), input('seed', { type: 'number', min: 0, style: 'width:72px' })));
}

function candidateRows(step) {
  const last = step.stages.length - 1;
  const rows = [el('span', { class: 'muted' }, ''), el('span', { class: 'muted' }, `${t('gen.model')} / ${t('gen.final')}`),
    el('span', { class: 'muted' }, t('gen.model')), el('span', { class: 'muted' }, t('gen.final'))];
  step.candidates.forEach(cd => {
    const cls = cd.removed ? 'removed' : cd.id === step.chosen.id ? 'chosen' : '';
    const bars = el('div', {});
    const b1 = el('div', { class: 'bar' });
    b1.style.width = `${Math.round(320 * cd.probabilities[0])}px`;
    const b2 = el('div', { class: 'bar final' });
    b2.style.width = `${Math.round(320 * cd.probabilities[last])}px`;
    bars.append(b1, b2);
    rows.push(el('span', { class: `mono ${cls}` }, `'${Draw.short(cd.text)}'${cd.id === step.chosen.id ? ' ← ' + t('gen.chosen') : ''}`),
      bars, el('span', { class: 'num' }, pct(cd.probabilities[0])),
      el('span', { class: `num ${cls}` }, cd.removed ? t('gen.removed') : pct(cd.probabilities[last])));
  });
  return el('div', { class: 'cand', id: 'gen-candidates' }, rows);
}

Studio.views.generation = {
  async render(c) {
    const g = Studio.state.gen;
    const r = await api('/api/generation', { steps: g.steps, sample: g.sample, temperature: g.temperature, top_k: g.top_k, top_p: g.top_p, seed: g.seed });
    const n = r.steps.length;
    g.current = Math.min(g.current, n - 1);
    const step = r.steps[g.current];
    // Without a tokenizer the pieces are ids (#5): spaced, not run together.
    const sep = inputMode() === 'tokens' ? ' ' : '';
    const text = el('div', { class: 'gen-text', id: 'gen-text' }, r.prompt.map(p => p.text).join(sep),
      r.steps.slice(0, g.current + 1).map((s, i) => el('span', { class: i === g.current ? 'cur' : 'new' }, sep + s.chosen.text)));
    const go = k => { g.current = Math.max(0, Math.min(n - 1, k)); render(); };
    const slider = el('input', { type: 'range', min: 0, max: n - 1, value: g.current, id: 'gen-step' });
    slider.addEventListener('change', () => go(Number(slider.value)));
    const play = el('button', { type: 'button' }, t('gen.play'));
    play.addEventListener('click', () => {
      const tick = () => { if (Studio.state.view === 'generation' && g.current < n - 1) { go(g.current + 1); setTimeout(tick, 700); } };
      g.current = 0; render().then(() => setTimeout(tick, 700));
    });
    const lens = step.lens ? el('table', { class: 'lens', id: 'gen-lens' }, step.lens.map((top, i) => el('tr', {},
      el('td', { class: 'muted' }, r.layer_names[i + 1]),
      top.map(x => el('td', {}, `'${Draw.short(x.text)}' ${pct(x.probability)}`))))) : null;
    c.append(el('div', { class: 'card' }, genControls(g), text),
      el('div', { class: 'card' },
        el('div', { class: 'controls' },
          el('button', { type: 'button', onclick: () => go(g.current - 1) }, t('gen.prev')), slider,
          el('button', { type: 'button', onclick: () => go(g.current + 1) }, t('gen.next')), play,
          el('b', {}, t('gen.step', g.current + 1, n)), el('span', { class: 'muted' }, step.stages.join(' → '))),
        el('h2', {}, t('gen.candidates')), candidateRows(step)),
      lens ? el('div', { class: 'card' }, el('h2', {}, t('gen.lens')), lens) : null);
  }
};
