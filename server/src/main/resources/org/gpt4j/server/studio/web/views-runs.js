// View g: a training run's loss curves and samples, refreshed every 2 s while the run writes.
'use strict';

Studio.state.train = { run: '' };

Studio.views.training = {
  async render(c, isCurrent) {
    const s = Studio.state.train;
    const r = await api('/api/training', s.run ? { run: s.run } : {}, false);
    const path = el('input', { type: 'text', value: s.run || r.run || '', style: 'width:420px', id: 'train-run' });
    const refresh = el('button', { type: 'button' }, t('tr.refresh'));
    refresh.addEventListener('click', () => { s.run = path.value.trim(); render(); });
    c.append(el('div', { class: 'card' }, el('div', { class: 'controls' }, el('label', {}, t('tr.run'), path), refresh,
      r.run ? el('span', { class: 'muted' }, `${r.running ? t('tr.running') : t('tr.finished')} · ${t('tr.step')} ${r.last_step} · ${t('tr.updated')} ${new Date(r.updated_millis).toLocaleTimeString()}`) : null)));
    if (!r.run) {
      const m = Studio.state.model;
      c.append(el('div', { class: 'card welcome', id: 'train-none' },
        el('h2', {}, m && m.loaded ? t('tr.noHistory') : t('tr.noRun')), el('p', { class: 'muted' }, r.hint)));
      return;
    }
    const canvas = el('canvas', { id: 'train-curves' });
    Draw.lines(canvas, [
      { name: t('tr.train'), color: '#84adff', points: r.train.map(p => [p.step, p.loss]) },
      { name: t('tr.evalTrain'), color: '#2f6fdf', points: r.eval.filter(p => p.train_loss !== null).map(p => [p.step, p.train_loss]) },
      { name: t('tr.val'), color: '#d92d20', points: r.eval.filter(p => p.val_loss !== null).map(p => [p.step, p.val_loss]) }
    ], { xLabel: t('tr.step'), yLabel: t('tr.loss'), width: Draw.fullWidth() });
    c.append(el('div', { class: 'card' }, el('h2', {}, t('tr.curves')), canvas));
    // A fine-tuning run (gpt4j finetune) scores the dev set after each epoch: its own chart, as accuracy is not a loss.
    const accuracy = r.eval.filter(p => p.dev_accuracy !== null).map(p => [p.step, p.dev_accuracy]);
    if (accuracy.length) {
      const acc = el('canvas', { id: 'train-accuracy' });
      Draw.lines(acc, [{ name: t('tr.devAccuracy'), color: '#12b76a', points: accuracy }],
        { xLabel: t('tr.step'), yLabel: t('tr.accuracy'), width: Draw.fullWidth() });
      c.append(el('div', { class: 'card' }, el('h2', {}, t('tr.devAccuracy')), acc));
    }
    if (r.samples.length || !accuracy.length) {
      c.append(el('div', { class: 'card samples', id: 'train-samples' }, el('h2', {}, t('tr.samples')),
        r.samples.map(x => el('div', {}, el('b', {}, `${t('tr.step')} ${x.step}`), el('pre', {}, x.text)))));
    }
    if (r.running) {
      setTimeout(() => { if (isCurrent() && Studio.state.view === 'training') { render(); } }, 2000);
    }
  }
};
