// View g: a training run's loss curves (or a PPO run's reward and KL) and samples, refreshed every 2 s while the run writes.
'use strict';

Studio.state.train = { run: '' };

Studio.views.training = {
  async render(c, isCurrent) {
    const s = Studio.state.train;
    const r = await api('/api/training', s.run ? { run: s.run } : {}, false);
    const path = el('input', { type: 'text', value: s.run || r.run || '', style: 'width:420px', id: 'train-run' });
    const refresh = el('button', { type: 'button', id: 'train-refresh' }, t('tr.refresh'));
    refresh.addEventListener('click', () => { s.run = path.value.trim(); render(); });
    c.append(el('div', { class: 'card' }, el('div', { class: 'controls' }, el('label', {}, t('tr.run'), path), refresh,
      r.run ? el('span', { class: 'muted' }, `${r.running ? t('tr.running') : t('tr.finished')} · ${t('tr.step')} ${r.last_step} · ${t('tr.updated')} ${new Date(r.updated_millis).toLocaleTimeString()}`) : null)));
    if (!r.run) {
      const m = Studio.state.model;
      c.append(el('div', { class: 'card welcome', id: 'train-none' },
        el('h2', {}, m && m.loaded ? t('tr.noHistory') : t('tr.noRun')), el('p', { class: 'muted' }, r.hint)));
      return;
    }
    const ppo = r.ppo || [];
    if (r.train.length || r.eval.length || !ppo.length) {
      const canvas = el('canvas', { id: 'train-curves' });
      Draw.lines(canvas, [
        { name: t('tr.train'), color: '#84adff', points: r.train.map(p => [p.step, p.loss]) },
        { name: t('tr.evalTrain'), color: '#2f6fdf', points: r.eval.filter(p => p.train_loss !== null).map(p => [p.step, p.train_loss]) },
        { name: t('tr.val'), color: '#d92d20', points: r.eval.filter(p => p.val_loss !== null).map(p => [p.step, p.val_loss]) }
      ], { xLabel: t('tr.step'), yLabel: t('tr.loss'), width: Draw.fullWidth() });
      c.append(el('div', { class: 'card' }, el('h2', {}, t('tr.curves')), canvas));
    }
    // A fine-tuning run (gpt4j finetune) scores the dev set after each epoch: its own chart, as accuracy is not a loss.
    const accuracy = r.eval.filter(p => p.dev_accuracy !== null).map(p => [p.step, p.dev_accuracy]);
    if (accuracy.length) {
      const acc = el('canvas', { id: 'train-accuracy' });
      Draw.lines(acc, [{ name: t('tr.devAccuracy'), color: '#12b76a', points: accuracy }],
        { xLabel: t('tr.step'), yLabel: t('tr.accuracy'), width: Draw.fullWidth() });
      c.append(el('div', { class: 'card' }, el('h2', {}, t('tr.devAccuracy')), acc));
    }
    // A PPO run (gpt4j rl ppo, rl cartpole): the reward it climbs, the KL that holds it back, how much the policy moves.
    if (ppo.length) {
      const series = (field, name, color) => ({ name, color, points: ppo.filter(p => p[field] !== null).map(p => [p.step, p[field]]) });
      // Each on its own axis: a reward, a KL in nats and a fraction do not share a scale.
      const chart = (id, name, color, field, yLabel) => {
        const line = series(field, name, color);
        if (!line.points.length) { return; }
        const canvas = el('canvas', { id });
        Draw.lines(canvas, [line], { xLabel: t('tr.step'), yLabel, width: Draw.fullWidth(), height: 240 });
        c.append(el('div', { class: 'card' }, el('h2', {}, name), canvas));
      };
      chart('ppo-reward', t('tr.reward'), '#12b76a', 'reward', t('tr.reward'));
      chart('ppo-kl', t('tr.klRef'), '#d92d20', 'kl', t('tr.nats'));
      chart('ppo-approx-kl', t('tr.approxKl'), '#f79009', 'approx_kl', t('tr.nats'));
      chart('ppo-entropy', t('tr.entropy'), '#2f6fdf', 'entropy', t('tr.nats'));
      chart('ppo-clip', t('tr.clipFraction'), '#7a5af8', 'clip_fraction', t('tr.clipFraction'));
    }
    if (r.samples.length || (!accuracy.length && !ppo.length)) {
      c.append(el('div', { class: 'card samples', id: 'train-samples' }, el('h2', {}, t('tr.samples')),
        r.samples.map(x => el('div', {}, el('b', {}, `${t('tr.step')} ${x.step}` + (x.score !== null ? ` · ${t('tr.score')} ${x.score.toFixed(2)}` : '')),
          x.prompt !== null ? el('pre', {}, el('span', { class: 'muted' }, x.prompt), x.text) : el('pre', {}, x.text)))));
    }
    if (r.running) {
      setTimeout(() => { if (isCurrent() && Studio.state.view === 'training') { render(); } }, 2000);
    }
  }
};
