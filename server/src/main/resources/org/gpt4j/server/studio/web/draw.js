// Hand-written canvas drawing: heatmaps, scatter plots, line charts. No charting library needed.
'use strict';
const Draw = {};

/** Sequential colour for v in [0, 1]: white to deep blue. */
Draw.seq = v => {
  const x = Math.max(0, Math.min(1, v));
  const r = Math.round(255 - x * 225), g = Math.round(255 - x * 170), b = Math.round(255 - x * 60);
  return `rgb(${r},${g},${b})`;
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

/**
 * Draws matrix m (rows of numbers, null = masked) into canvas. Options: cell (px), labelsX/labelsY
 * (token texts), diverging (signed colours), scale (the value drawn darkest; default the max),
 * onHover(r, c) for the cell under the mouse.
 */
Draw.heatmap = (canvas, m, o = {}) => {
  const rows = m.length, cols = rows ? m[0].length : 0;
  const cell = o.cell || 8;
  const left = o.labelsY ? 70 : 0, top = o.labelsX ? 60 : 0;
  canvas.width = left + cols * cell + 1;
  canvas.height = top + rows * cell + 1;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  const scale = o.scale || (o.diverging ? maxAbs(m) : 1);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = m[r][c];
      g.fillStyle = v === null ? '#e4e7ec' : o.diverging ? Draw.div(v / scale) : Draw.seq(v / scale);
      g.fillRect(left + c * cell, top + r * cell, cell, cell);
    }
  }
  if (cell >= 6 && (o.labelsX || o.labelsY)) {
    g.fillStyle = '#344054';
    g.font = `${Math.min(12, cell)}px ui-monospace, monospace`;
    g.textBaseline = 'middle';
    (o.labelsY || []).slice(0, rows).forEach((s, r) => {
      g.textAlign = 'right';
      g.fillText(Draw.short(s), left - 4, top + r * cell + cell / 2);
    });
    (o.labelsX || []).slice(0, cols).forEach((s, c) => {
      g.save();
      g.translate(left + c * cell + cell / 2, top - 4);
      g.rotate(-Math.PI / 2);
      g.textAlign = 'left';
      g.fillText(Draw.short(s), 0, 0);
      g.restore();
    });
  }
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
  g.font = '12px ui-monospace, monospace';
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

/** Lines: series [{name, color, points: [[x, y], ...]}] with axes and a legend. */
Draw.lines = (canvas, series, o = {}) => {
  const w = canvas.width = o.width || 760, h = canvas.height = o.height || 360;
  const L = 56, R = 16, T = 16, B = 36;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, w, h);
  const all = series.flatMap(s => s.points);
  if (!all.length) { return; }
  const x0 = Math.min(...all.map(p => p[0])), x1 = Math.max(...all.map(p => p[0]));
  const y0 = Math.min(...all.map(p => p[1])), y1 = Math.max(...all.map(p => p[1]));
  const sx = v => L + (x1 > x0 ? (v - x0) / (x1 - x0) : 0.5) * (w - L - R);
  const sy = v => h - B - (y1 > y0 ? (v - y0) / (y1 - y0) : 0.5) * (h - T - B);
  g.strokeStyle = '#d0d5dd';
  g.fillStyle = '#667085';
  g.font = '11px system-ui, sans-serif';
  for (let i = 0; i <= 4; i++) {
    const yv = y0 + (y1 - y0) * i / 4, xv = x0 + (x1 - x0) * i / 4;
    g.beginPath(); g.moveTo(L, sy(yv)); g.lineTo(w - R, sy(yv)); g.stroke();
    g.textAlign = 'right'; g.fillText(yv.toFixed(3), L - 4, sy(yv) + 4);
    g.textAlign = 'center'; g.fillText(String(Math.round(xv)), sx(xv), h - B + 14);
  }
  g.fillText(o.xLabel || '', (L + w - R) / 2, h - 6);
  series.forEach((s, k) => {
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.beginPath();
    s.points.forEach((p, i) => { if (i) { g.lineTo(sx(p[0]), sy(p[1])); } else { g.moveTo(sx(p[0]), sy(p[1])); } });
    g.stroke();
    if (s.points.length === 1) { g.fillStyle = s.color; g.fillRect(sx(s.points[0][0]) - 3, sy(s.points[0][1]) - 3, 6, 6); }
    g.fillStyle = s.color;
    g.fillRect(w - R - 150, T + 4 + k * 16, 12, 3);
    g.fillStyle = '#344054';
    g.textAlign = 'left';
    g.fillText(s.name, w - R - 132, T + 9 + k * 16);
  });
};
