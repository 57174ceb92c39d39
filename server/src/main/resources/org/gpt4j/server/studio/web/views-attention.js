// Views c (attention: layers x heads grid, one head in detail, its steps) and d (positions).
'use strict';

Studio.state.att = { layer: 0, head: 0, rowNormalise: false };
Studio.state.pos = { layer: 0, head: '' };

function labelled(title, canvas) {
  return el('figure', {}, canvas, el('figcaption', {}, title));
}

Studio.views.attention = {
  async render(c) {
    const sel = Studio.state.att;
    const r = await api('/api/attention', { layer: sel.layer, head: sel.head });
    if (r.detail && r.detail.truncated) { showNotice(t('att.truncated', r.detail.shown, r.length)); }
    const grid = el('div', { class: 'grid', id: 'att-grid' });
    grid.style.gridTemplateColumns = `40px repeat(${r.heads}, auto)`;
    grid.append(el('span'));
    for (let h = 0; h < r.heads; h++) { grid.append(el('span', { class: 'lab' }, `H${h}`)); }
    const cell = Math.max(1, Math.floor(72 / r.thumbnail_size));
    const norm = sel.rowNormalise;
    r.grid.forEach((layer, l) => {
      grid.append(el('span', { class: 'lab' }, `L${l}`));
      layer.forEach((m, h) => {
        const canvas = el('canvas', { 'data-layer': l, 'data-head': h, title: `layer ${l}, head ${h}` });
        Draw.heatmap(canvas, m, { cell, rowNormalise: norm, causal: r.causal });
        if (l === sel.layer && h === sel.head) { canvas.classList.add('selected'); }
        canvas.addEventListener('click', () => { Studio.state.att = { ...sel, layer: l, head: h }; render(); });
        grid.append(canvas);
      });
    });
    const legend = el('canvas', { id: 'att-grid-legend' });
    Draw.legend(legend, Draw.scaleOf([], { rowNormalise: norm }), norm ? t('legend.rowShare') : t('legend.prob'));
    const toggle = el('input', { type: 'checkbox', id: 'att-row-normalise' });
    toggle.checked = norm;
    toggle.addEventListener('change', () => { sel.rowNormalise = toggle.checked; render(); });
    c.append(el('div', { class: 'controls' }, el('label', {}, toggle, t('att.rowNorm')), el('span', { class: 'muted' }, t('att.rowNormWhy'))));
    c.append(el('div', { class: 'row' },
      el('div', { class: 'card' }, el('h2', {}, t('tab.attention')), el('p', { class: 'muted' }, t('att.grid')), grid, legend),
      r.detail ? detailCard(r.detail, norm, r.causal) : null));
    if (r.detail) { c.append(stepsCard(r.detail, r.causal)); }
  }
};

function detailCard(d, norm, causal) {
  const canvas = el('canvas', { id: 'att-detail' });
  const hover = el('div', { id: 'hover', class: 'muted' }, t('att.hover'));
  const cell = Math.max(2, Math.min(22, Math.floor(640 / d.shown)));
  Draw.heatmap(canvas, d.probabilities, {
    cell, labelsX: d.labels, labelsY: d.labels, titleX: t('axis.key'), titleY: t('axis.query'), rowNormalise: norm, causal,
    legend: norm ? t('legend.rowShare') : t('legend.prob'),
    onHover: (q, k) => { hover.textContent = `${t('query')} #${q} '${d.labels[q]}' → ${t('key')} #${k} '${d.labels[k]}' = ${d.probabilities[q][k]}`; }
  });
  return el('div', { class: 'card' }, el('h2', {}, t('att.detail', d.layer, d.head)), canvas, hover);
}

function stepsCard(d, causal) {
  const s = d.steps;
  // One colour scale for the first three steps, so dividing by sqrt(hs) visibly pales the scores.
  const scale = Math.max(1e-9, ...s.scores.flat().map(Math.abs));
  const cell = Math.max(3, Math.min(14, Math.floor(220 / s.shown)));
  const fig = (key, m, o) => {
    const canvas = el('canvas', { 'data-step': key });
    Draw.heatmap(canvas, m, { cell, indexX: { stride: 1 }, indexY: { stride: 1 }, ...o });
    return labelled(t(`att.${key}`), canvas);
  };
  return el('div', { class: 'card' }, el('h2', {}, t('att.steps', s.shown)),
    el('div', { class: 'steps', id: 'att-steps' },
      fig('scores', s.scores, { diverging: true, scale, legend: t('legend.score') }), el('span', { class: 'arrow' }, '→'),
      fig('scaled', s.scaled, { diverging: true, scale, legend: t('legend.score') }), el('span', { class: 'arrow' }, '→'),
      fig(causal ? 'masked' : 'unmasked', s.masked, { diverging: true, scale, legend: t('legend.score') }), el('span', { class: 'arrow' }, '→'),
      fig('softmax', s.softmax, { legend: t('legend.prob'), causal })),
    el('p', { class: 'muted' }, t('att.stepsAxes')));
}

function select(values, current, onChange) {
  const s = el('select', {}, values.map(([v, label]) => {
    const o = el('option', { value: v }, label);
    if (String(v) === String(current)) { o.selected = true; }
    return o;
  }));
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

Studio.views.positions = {
  async render(c) {
    const m = Studio.state.model;
    const sel = Studio.state.pos;
    const params = { layer: sel.layer };
    if (sel.head !== '') { params.head = sel.head; }
    const r = await api('/api/positions', params);
    const layers = Array.from({ length: m.n_layer }, (_, i) => [i, `${t('layer')} ${i}`]);
    const heads = [['', t('mean')], ...Array.from({ length: m.n_head }, (_, i) => [i, `${t('head')} ${i}`])];
    const controls = el('div', { class: 'controls' },
      el('label', {}, t('layer'), select(layers, sel.layer, v => { sel.layer = Number(v); render(); })),
      el('label', {}, t('head'), select(heads, sel.head, v => { sel.head = v; render(); })),
      el('span', { class: 'muted' }, `${t('pos.loss')}: ${num(r.loss_with)} → ${num(r.loss_without)}`));
    const top = el('div', { class: 'row' });
    if (r.table) {
      const tc = el('canvas', { id: 'pos-table' });
      Draw.heatmap(tc, r.table.values, { cell: Math.max(2, Math.min(6, Math.floor(560 / r.table.cols))), diverging: true,
        indexX: { stride: r.table.col_stride }, indexY: { stride: 1 }, titleX: t('axis.channel'), titleY: t('axis.position'),
        legend: t('legend.value') });
      const sc = el('canvas', { id: 'pos-similarity' });
      Draw.heatmap(sc, r.table.similarity, { cell: Math.max(3, Math.min(6, Math.floor(320 / r.table.similarity.length))),
        diverging: true, scale: 1, indexX: { stride: 1 }, indexY: { stride: 1 }, titleX: t('axis.position'),
        titleY: t('axis.position'), legend: t('legend.cosine') });
      top.append(el('div', { class: 'card' }, el('h2', {}, `${t('pos.table')} (${r.encoding})`),
        el('p', { class: 'muted' }, t('pos.tableNote', r.table.rows - 1, r.table.positions_total, r.table.col_stride, r.table.channels_total)), tc));
      top.append(el('div', { class: 'card' }, el('h2', {}, t('pos.similarity')), sc));
    } else {
      top.append(el('div', { class: 'card' }, el('p', {}, t('pos.none'))));
    }
    const cell = Math.max(2, Math.min(16, Math.floor(440 / r.shown)));
    const w = el('canvas', { id: 'pos-with' });
    const wo = el('canvas', { id: 'pos-without' });
    const axes = { cell, causal: true, labelsX: r.labels, labelsY: r.labels, titleX: t('axis.key'), titleY: t('axis.query'), legend: t('legend.prob') };
    Draw.heatmap(w, r.with_positions, axes);
    Draw.heatmap(wo, r.without_positions, axes);
    const bars = el('table', {}, Array.from(r.change_by_layer, (v, l) => {
      const bar = el('div', { class: 'bar' });
      bar.style.width = `${Math.round(300 * Math.min(1, v / Math.max(...r.change_by_layer, 1e-9)))}px`;
      return el('tr', {}, el('td', {}, `L${l}`), el('td', {}, bar), el('td', { class: 'num' }, v.toFixed(4)));
    }));
    c.append(top, el('div', { class: 'card' }, controls, el('div', { class: 'row', id: 'pos-side-by-side' },
      labelled(t('pos.with'), w), labelled(t('pos.without'), wo))),
    el('div', { class: 'card' }, el('h2', {}, t('pos.change')), bars));
  }
};

function num(v) { return v === null || v === undefined ? '–' : Number(v).toFixed(4); }
