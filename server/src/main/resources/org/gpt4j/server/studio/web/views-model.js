// Views a (architecture) and b (tokens).
'use strict';

/** A matrix drawn N x M as the seeds draw them: a box whose sides grow with log2 of each dimension. */
function matrixGlyph(shape) {
  const side = d => Math.max(4, Math.min(72, Math.round(6 * Math.log2(d + 1))));
  const h = shape.length > 1 ? side(shape[0]) : 4;
  const w = side(shape[shape.length - 1]);
  const box = el('div', { class: 'matrix', title: shape.join(' × ') });
  box.style.width = `${w}px`;
  box.style.height = `${h}px`;
  return box;
}

function dimsText(s) {
  return `[${s.dims.join(', ')}] = [${s.shape.map(fmt).join(' × ')}]`;
}

/** A stage's name in the interface's language (the server's English label when there is no translation). */
function stageLabel(s, m) {
  const key = `stage.${s.id}`;
  if (!I18N.en[key]) { return s.label; }
  return t(key, s.id === 'blocks' || s.id === 'encoder_blocks' ? m.n_layer : s.label);
}

function stageCard(s, m) {
  return el('div', { class: 'stage', 'data-stage': s.id },
    el('span', { class: 'name' }, stageLabel(s, m)),
    el('span', { class: 'dims' }, dimsText(s)),
    s.weight_shape ? matrixGlyph(s.weight_shape) : null,
    el('span', { class: 'weight' }, s.weight ? `${s.weight} [${s.weight_shape.map(fmt).join(' × ')}]` : '',
      s.parameters ? el('br') : null, s.parameters ? `${fmt(s.parameters)} ${t('params')}` : ''));
}

Studio.views.architecture = {
  async render(c) {
    // The architecture needs no input: with none (or one the model refuses) it shows the full context's shapes.
    let r, forInput = true;
    try {
      r = await api('/api/architecture');
    } catch (e) {
      if (!(e instanceof ApiFailure)) { throw e; }
      r = await api('/api/architecture', {}, false);
      forInput = false;
      showError(e.message);
    }
    const m = r.model;
    c.append(el('div', { class: 'card' },
      el('h2', {}, t('arch.flow')),
      el('p', { class: 'muted' }, `${t(forInput ? 'arch.shapesFor' : 'arch.shapesFull')} ${r.length}; C = ${m.n_embd}, NH = ${m.n_head}, hs = ${m.head_size}, V = ${fmt(m.vocab_size)} · ${t('arch.summary', m.positional_encoding, m.layer_norm)} · ${fmt(m.parameters)} ${t('params')}`)));
    const flow = el('div', { class: 'flow', id: 'arch-flow' });
    r.flow.forEach((s, i) => {
      if (i) { flow.append(el('div', { class: 'arrow' }, '↓')); }
      if (s.id === 'blocks' || s.id === 'encoder_blocks') {
        const block = el('div', { class: 'block', id: 'arch-block' },
          el('div', { class: 'block-title' }, `${t(s.id === 'encoder_blocks' ? 'arch.encoderBlock' : 'arch.block')} — ${t('arch.repeat')} ${m.n_layer} ${t('arch.times')} · ${fmt(r.block_parameters)} ${t('arch.perBlock')}`));
        r.block.forEach((b, j) => {
          if (j) { block.append(el('div', { class: 'arrow' }, '↓')); }
          block.append(stageCard(b, m));
        });
        flow.append(block);
      } else {
        flow.append(stageCard(s, m));
      }
    });
    c.lastChild.append(flow);
    const rows = r.tensors.map(x => el('tr', {}, el('td', { class: 'mono' }, x.name), el('td', { class: 'mono' }, `[${x.shape.join(', ')}]`), el('td', { class: 'num' }, fmt(x.count))));
    const total = r.tensors.reduce((a, x) => a + x.count, 0);
    c.append(el('div', { class: 'card' }, el('h2', {}, t('arch.tensors')),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, t('arch.name')), el('th', {}, t('arch.shape')), el('th', { class: 'num' }, t('params')))),
        el('tbody', {}, rows, el('tr', {}, el('td', {}, el('b', {}, t('arch.total'))), el('td'), el('td', { class: 'num' }, el('b', {}, fmt(total))))))));
  }
};

Studio.views.tokens = {
  async render(c) {
    const r = await api('/api/tokens');
    const chips = el('div', { class: 'tokens', id: 'token-chips' });
    r.tokens.forEach(tok => {
      const chip = el('div', { class: 'tok', title: `#${tok.position} · id ${tok.id} · bytes ${tok.bytes}` },
        el('span', { class: 't' }, tok.text.replace(/ /g, '·').replace(/\n/g, '↵')), el('span', { class: 'i' }, tok.id));
      chip.style.background = `hsl(${(tok.position * 47) % 360}, 80%, 90%)`;
      chips.append(chip);
    });
    c.append(el('div', { class: 'card' }, el('h2', {}, t('tok.title')),
      el('p', { class: 'muted' }, `${r.count} ${t('tokens')} · ${t('context')} ${r.context} · V = ${fmt(r.vocab_size)} · ${t('tok.hover')}`),
      chips));
  }
};
