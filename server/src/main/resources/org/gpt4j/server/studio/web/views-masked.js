// A BERT's view: hide one token behind [MASK] and see what the masked LM guesses from both sides.
'use strict';

Studio.state.masked = { position: null };

Studio.views.masked = {
  async render(c) {
    const sel = Studio.state.masked;
    const r = await api('/api/masked', sel.position === null ? {} : { position: sel.position });
    if (sel.position !== null && sel.position >= r.length) { sel.position = null; }
    const tokens = el('div', { class: 'masked-tokens', id: 'masked-tokens' }, r.labels.map((label, i) => {
      const b = el('button', { class: i === r.position ? 'token masked' : 'token', 'data-position': i, title: `#${i}` },
        i === r.position ? '[MASK]' : label);
      b.addEventListener('click', () => { sel.position = i; render(); });
      return b;
    }));
    const max = Math.max(...r.candidates.map(x => x.probability), 1e-9);
    const rows = r.candidates.map((x, k) => {
      const bar = el('div', { class: 'bar' });
      bar.style.width = `${Math.round(300 * x.probability / max)}px`;
      return el('tr', { class: x.token === r.original ? 'original' : '' },
        el('td', { class: 'num' }, k + 1), el('td', {}, el('code', {}, x.token)), el('td', {}, bar),
        el('td', { class: 'num' }, pct(x.probability)));
    });
    c.append(el('div', { class: 'card' },
      el('h2', {}, t('masked.title')),
      el('p', { class: 'muted' }, t('masked.how')),
      tokens),
    el('div', { class: 'card' },
      el('h2', {}, t('masked.guesses', r.position, r.original)),
      el('table', { id: 'masked-candidates' }, rows),
      el('p', { class: 'muted', id: 'masked-original' }, t('masked.original', r.original, pct(r.original_probability), r.original_rank + 1))));
  }
};
