// Hand-written canvas drawing: heatmaps, scatter plots, line charts. No charting library needed.
'use strict';
const Draw = {};
// Canvas text names the studio's CJK font too: a canvas has no per-element CSS to inherit it from.
const SANS = '"gpt4j CJK", system-ui, sans-serif', MONO = 'ui-monospace, "gpt4j CJK", monospace';

// Viridis (matplotlib's default map): perceptually uniform, dark to bright, readable in grey and by
// most colour-blind readers; small probabilities stay distinguishable instead of near-white.
const VIRIDIS = [[68, 1, 84], [72, 36, 117], [65, 68, 135], [53, 95, 141], [42, 120, 142], [33, 145, 140],
  [34, 168, 132], [68, 191, 112], [122, 209, 81], [189, 223, 38], [253, 231, 37]];

/** Sequential colour for v in [0, 1] (viridis). */
Draw.seq = v => {
  const x = Math.max(0, Math.min(1, Number.isFinite(v) ? v : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i, a = VIRIDIS[i], b = VIRIDIS[i + 1];
  return `rgb(${Math.round(a[0] + f * (b[0] - a[0]))},${Math.round(a[1] + f * (b[1] - a[1]))},${Math.round(a[2] + f * (b[2] - a[2]))})`;
};

/** Diverging colour for v in [-1, 1]: blue, white, red. */
Draw.div = v => {
  const x = Math.max(-1, Math.min(1, v));
  if (x >= 0) { return `rgb(255,${Math.round(255 - x * 200)},${Math.round(255 - x * 210)})`; }
  return `rgb(${Math.round(255 + x * 210)},${Math.round(255 + x * 150)},255)`;
};

function maxAbs(m) {
  let max = 0;
  for (const row of m) { for (const v of row) { if (v !== null && Math.abs(v) > max) { max = Math.abs(v); } } }
  return max || 1;
}

/** About n round tick values (1, 2 or 5 times a power of ten apart) covering [lo, hi]. */
Draw.ticks = (lo, hi, n = 5) => {
  if (!(hi > lo)) { return { values: [lo], step: 1 }; }
  const raw = (hi - lo) / Math.max(1, n);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  // the round step nearest the raw one (on a log scale)
  const step = [1, 2, 5, 10].map(k => k * p).reduce((a, b) => Math.abs(Math.log(b / raw)) < Math.abs(Math.log(a / raw)) ? b : a);
  const values = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) { values.push(Math.abs(v) < step * 1e-9 ? 0 : v); }
  return { values, step };
};

/** A tick value with as many decimals as its step needs (0.25 → "0.25", 20 → "20"). */
Draw.tickText = (v, step) => {
  const d = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(d);
};

/** A colour bar from lo to hi with round ticks and a caption, at (x, y), h high. */
function colourBar(g, x, y, h, lo, hi, colour, caption) {
  const w = 12;
  for (let i = 0; i < h; i++) {
    g.fillStyle = colour(hi - (hi - lo) * i / Math.max(1, h - 1));
    g.fillRect(x, y + i, w, 1);
  }
  g.strokeStyle = '#98a2b3';
  g.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
  g.fillStyle = '#344054';
  g.font = `10px ${SANS}`;
  g.textAlign = 'left';
  g.textBaseline = 'middle';
  const tk = Draw.ticks(lo, hi, Math.max(2, Math.floor(h / 28)));
  for (const v of tk.values) {
    const ty = y + (hi - v) / (hi - lo || 1) * (h - 1);
    g.fillRect(x + w, ty, 3, 1);
    g.fillText(Draw.tickText(v, tk.step), x + w + 5, ty);
  }
  if (caption) {
    g.save();
    g.translate(x + w + 48, y + h / 2);
    g.rotate(-Math.PI / 2);
    g.textAlign = 'center';
    g.fillText(caption, 0, 0);
    g.restore();
  }
}

/** The value range and colour function a heatmap uses, so a separate legend can show the same. */
Draw.scaleOf = (m, o = {}) => {
  if (o.diverging) {
    const s = o.scale || maxAbs(m);
    return { lo: -s, hi: s, colour: v => Draw.div(v / s) };
  }
  const hi = o.rowNormalise ? 1 : o.scale || 1;
  return { lo: 0, hi, colour: v => Draw.seq(v / hi) };
};

/** A horizontal colour legend on its own canvas (for a grid of small heatmaps sharing one scale). */
Draw.legend = (canvas, scale, caption, width = 240) => {
  const h = 36, pad = 8;
  canvas.width = width;
  canvas.height = h;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, h);
  const w = width - 2 * pad;
  for (let i = 0; i < w; i++) {
    g.fillStyle = scale.colour(scale.lo + (scale.hi - scale.lo) * i / (w - 1));
    g.fillRect(pad + i, 2, 1, 10);
  }
  g.fillStyle = '#344054';
  g.font = `10px ${SANS}`;
  g.textAlign = 'center';
  g.textBaseline = 'top';
  const tk = Draw.ticks(scale.lo, scale.hi, 4);
  for (const v of tk.values) {
    const x = pad + (v - scale.lo) / (scale.hi - scale.lo || 1) * (w - 1);
    g.fillRect(x, 12, 1, 3);
    g.fillText(Draw.tickText(v, tk.step), x, 15);
  }
  if (caption) { g.fillText(caption, width / 2, 25); }
};

/**
 * Draws matrix m (rows of numbers, null = masked) into canvas with axes and a colour legend.
 * Options: cell (px); labelsX/labelsY (token texts, every k-th when cells are small) or indexX /
 * indexY ({stride}: numeric ticks, row i showing i * stride); titleX/titleY (axis names);
 * diverging (signed colours); causal (cells right of the diagonal drawn as masked); scale (the value drawn brightest; default 1, or the max |v| when
 * diverging); rowNormalise (each row scaled to its own maximum); legend (its caption; false for
 * none, as for thumbnails); onHover(r, c) for the cell under the mouse.
 */
Draw.heatmap = (canvas, m, o = {}) => {
  const rows = m.length, cols = rows ? m[0].length : 0;
  const cell = o.cell || 8;
  const axes = o.labelsX || o.labelsY || o.indexX || o.indexY;
  const yTicks = o.labelsY ? 66 : o.indexY ? 34 : 0, yTitle = o.titleY ? 16 : 0;
  const xTicks = o.labelsX ? 58 : o.indexX ? 16 : 0, xTitle = o.titleX ? 16 : 0;
  const left = yTitle + yTicks, top = axes ? 6 : 0;
  const legend = o.legend !== undefined && o.legend !== false;
  const barH = Math.max(80, rows * cell);
  const plotH = legend ? Math.max(rows * cell, barH) : rows * cell;
  canvas.width = left + cols * cell + 1 + (legend ? 78 : 0);
  canvas.height = top + plotH + (axes ? xTicks + xTitle + 4 : 1);
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  const sc = Draw.scaleOf(m, o);
  for (let r = 0; r < rows; r++) {
    let rowMax = 1;
    if (o.rowNormalise) { rowMax = Math.max(1e-12, ...m[r].filter(v => v !== null)); }
    // causal: keys after the query are masked, not "probability 0": drawn grey like the mask step.
    for (let c = 0; c < cols; c++) {
      const v = o.causal && c > r ? null : m[r][c];
      g.fillStyle = v === null ? '#e4e7ec' : sc.colour(o.rowNormalise ? v / rowMax : v);
      g.fillRect(left + c * cell, top + r * cell, cell, cell);
    }
  }
  g.fillStyle = '#344054';
  g.textBaseline = 'middle';
  const every = n => Math.max(1, Math.ceil(11 / cell), Math.ceil(n / 64));
  if (o.labelsY) {
    g.font = `${Math.max(8, Math.min(12, cell))}px ${MONO}`;
    g.textAlign = 'right';
    const k = every(rows);
    o.labelsY.slice(0, rows).forEach((s, r) => { if (r % k === 0) { g.fillText(Draw.short(s), left - 4, top + r * cell + cell / 2); } });
  } else if (o.indexY) {
    g.font = `10px ${SANS}`;
    g.textAlign = 'right';
    const tk = Draw.ticks(0, (rows - 1) * o.indexY.stride, Math.max(2, Math.floor(rows * cell / 40)));
    for (const v of tk.values) {
      const y = top + (v / o.indexY.stride) * cell + cell / 2;
      g.fillRect(left - 3, y, 3, 1);
      g.fillText(Draw.tickText(v, tk.step), left - 5, y);
    }
  }
  const xAxis = top + rows * cell + 2;
  if (o.labelsX) {
    g.font = `${Math.max(8, Math.min(12, cell))}px ${MONO}`;
    const k = every(cols);
    o.labelsX.slice(0, cols).forEach((s, c) => {
      if (c % k) { return; }
      g.save();
      g.translate(left + c * cell + cell / 2, xAxis + 2);
      g.rotate(-Math.PI / 2);
      g.textAlign = 'right';
      g.fillText(Draw.short(s), 0, 0);
      g.restore();
    });
  } else if (o.indexX) {
    g.font = `10px ${SANS}`;
    g.textAlign = 'center';
    g.textBaseline = 'top';
    const tk = Draw.ticks(0, (cols - 1) * o.indexX.stride, Math.max(2, Math.floor(cols * cell / 50)));
    for (const v of tk.values) {
      const x = left + (v / o.indexX.stride) * cell + cell / 2;
      g.fillRect(x, xAxis - 2, 1, 3);
      g.fillText(Draw.tickText(v, tk.step), x, xAxis + 2);
    }
    g.textBaseline = 'middle';
  }
  g.font = `11px ${SANS}`;
  g.fillStyle = '#475467';
  if (o.titleX) {
    g.textAlign = 'center';
    g.fillText(o.titleX, left + cols * cell / 2, xAxis + xTicks + 8);
  }
  if (o.titleY) {
    g.save();
    g.translate(8, top + rows * cell / 2);
    g.rotate(-Math.PI / 2);
    g.textAlign = 'center';
    g.fillText(o.titleY, 0, 0);
    g.restore();
  }
  if (legend) { colourBar(g, left + cols * cell + 14, top, barH, sc.lo, sc.hi, sc.colour, o.legend); }
  canvas.dataset.scaleLo = sc.lo;
  canvas.dataset.scaleHi = sc.hi;
  if (o.onHover) {
    canvas.onmousemove = e => {
      const rect = canvas.getBoundingClientRect();
      const c = Math.floor((e.clientX - rect.left - left) / cell), r = Math.floor((e.clientY - rect.top - top) / cell);
      if (r >= 0 && r < rows && c >= 0 && c < cols) { o.onHover(r, c); }
    };
  }
};

/** A token's text made visible: spaces as ·, newlines as ↵, cut to 8 characters. */
Draw.short = s => {
  const v = String(s).replace(/ /g, '·').replace(/\n/g, '↵').replace(/\t/g, '→');
  return v.length > 8 ? v.slice(0, 7) + '…' : v;
};

/** A scatter plot of points {x, y, text}; highlight = index; onClick(index). */
Draw.scatter = (canvas, points, o = {}) => {
  const w = canvas.width = o.width || 640, h = canvas.height = o.height || 480, pad = 30, right = 80;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, w, h);
  g.strokeStyle = '#eaecf0';
  g.strokeRect(0.5, 0.5, w - 1, h - 1);
  const xs = points.map(p => p.x), ys = points.map(p => p.y);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const sx = v => pad + (x1 > x0 ? (v - x0) / (x1 - x0) : 0.5) * (w - pad - right);
  const sy = v => h - pad - (y1 > y0 ? (v - y0) / (y1 - y0) : 0.5) * (h - 2 * pad);
  g.font = `12px ${MONO}`;
  points.forEach((p, i) => {
    const n = points.length > 1 ? i / (points.length - 1) : 0;
    g.fillStyle = i === o.highlight ? '#d92d20' : `hsl(${220 - n * 180}, 70%, 50%)`;
    g.beginPath();
    g.arc(sx(p.x), sy(p.y), i === o.highlight ? 6 : 4, 0, 2 * Math.PI);
    g.fill();
    if (points.length <= 80 || i === o.highlight) {
      g.fillStyle = '#344054';
      g.fillText(Draw.short(p.text), sx(p.x) + 6, sy(p.y) - 6);
    }
  });
  if (o.onClick) {
    canvas.onclick = e => {
      const rect = canvas.getBoundingClientRect();
      const mx = e.clientX - rect.left, my = e.clientY - rect.top;
      let best = -1, bestD = 1e9;
      points.forEach((p, i) => {
        const d = Math.hypot(sx(p.x) - mx, sy(p.y) - my);
        if (d < bestD) { bestD = d; best = i; }
      });
      if (best >= 0 && bestD < 20) { o.onClick(best); }
    };
  }
};

/** Lines: series [{name, color, points: [[x, y], ...]}] with round ticks, axis titles and a legend. */
Draw.lines = (canvas, series, o = {}) => {
  const w = canvas.width = o.width || 760, h = canvas.height = o.height || 360;
  const L = 64, R = 16, T = 16, B = 42;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, w, h);
  const all = series.flatMap(s => s.points);
  if (!all.length) { return; }
  // The axes start and end on round values, so the first and last gridlines carry one.
  const span = (lo, hi, n) => {
    const step = Draw.ticks(lo, hi, n).step;
    const a = Math.floor(lo / step + 1e-9) * step, b = Math.max(a + step, Math.ceil(hi / step - 1e-9) * step);
    const values = [];
    for (let i = 0; i <= Math.round((b - a) / step); i++) { values.push(a + i * step); }
    return { lo: a, hi: b, step, values };
  };
  const xt = span(Math.min(...all.map(p => p[0])), Math.max(...all.map(p => p[0])), Math.max(2, Math.floor(w / 110)));
  const yt = span(Math.min(...all.map(p => p[1])), Math.max(...all.map(p => p[1])), 5);
  const x0 = xt.lo, x1 = xt.hi, y0 = yt.lo, y1 = yt.hi;
  const sx = v => L + (x1 > x0 ? (v - x0) / (x1 - x0) : 0.5) * (w - L - R);
  const sy = v => h - B - (y1 > y0 ? (v - y0) / (y1 - y0) : 0.5) * (h - T - B);
  g.strokeStyle = '#eaecf0';
  g.fillStyle = '#667085';
  g.font = `11px ${SANS}`;
  g.lineWidth = 1;
  g.textAlign = 'right';
  for (const v of yt.values) {
    g.beginPath(); g.moveTo(L, sy(v)); g.lineTo(w - R, sy(v)); g.stroke();
    g.fillText(Draw.tickText(v, yt.step), L - 6, sy(v) + 4);
  }
  g.textAlign = 'center';
  for (const v of xt.values) {
    g.beginPath(); g.moveTo(sx(v), T); g.lineTo(sx(v), h - B); g.stroke();
    g.fillText(Draw.tickText(v, xt.step), sx(v), h - B + 14);
  }
  g.strokeStyle = '#98a2b3';
  g.beginPath(); g.moveTo(L, T); g.lineTo(L, h - B); g.lineTo(w - R, h - B); g.stroke();
  g.fillStyle = '#475467';
  g.fillText(o.xLabel || '', (L + w - R) / 2, h - 8);
  if (o.yLabel) {
    g.save();
    g.translate(14, (T + h - B) / 2);
    g.rotate(-Math.PI / 2);
    g.fillText(o.yLabel, 0, 0);
    g.restore();
  }
  series.forEach((s, k) => {
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.beginPath();
    s.points.forEach((p, i) => { if (i) { g.lineTo(sx(p[0]), sy(p[1])); } else { g.moveTo(sx(p[0]), sy(p[1])); } });
    g.stroke();
    if (s.points.length === 1) { g.fillStyle = s.color; g.fillRect(sx(s.points[0][0]) - 3, sy(s.points[0][1]) - 3, 6, 6); }
    g.fillStyle = s.color;
    g.fillRect(w - R - 170, T + 4 + k * 16, 12, 3);
    g.fillStyle = '#344054';
    g.textAlign = 'left';
    g.fillText(s.name, w - R - 152, T + 9 + k * 16);
  });
  g.lineWidth = 1;
};

/** The width a chart gets to fill the view (its card's inner width). */
Draw.fullWidth = () => {
  const main = document.getElementById('view'), style = getComputedStyle(main);
  // main's padding, then the card's padding and border
  return Math.max(480, main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 30);
};
