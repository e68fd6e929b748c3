// Draws the charts of a page from the JSON in <script type="application/json" id="chart-data">.
// Static file (no inline script): the Content-Security-Policy allows scripts from this site only.
(function () {
  'use strict';
  var PALETTE = ['#1d4ed8', '#b45309', '#047857', '#b91c1c', '#6d28d9', '#6b7280', '#be185d', '#0e7490'];
  var BAND_LEGEND = { 0.12: 'Middle 98 % of paths', 0.2: 'Middle 90 % of paths', 0.3: 'Middle 50 % of paths' };

  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16 & 255) + ',' + (n >> 8 & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }

  var formatters = {};
  // Numbers in the page's language: the server puts its Intl locale in each chart's data.
  function formatterFor(format, currency, compact, locale) {
    var loc = locale || 'en-US';
    var key = format + '|' + currency + '|' + compact + '|' + loc;
    if (formatters[key]) return formatters[key];
    var f;
    if (format === 'money') {
      var nf;
      try {
        nf = new Intl.NumberFormat(loc, compact
          ? { style: 'currency', currency: currency, notation: 'compact', maximumSignificantDigits: 3 }
          : { style: 'currency', currency: currency, maximumFractionDigits: 0 });
      } catch {
        // No currency (scenarios in several currencies side by side): plain numbers.
        nf = new Intl.NumberFormat(loc, compact ? { notation: 'compact', maximumSignificantDigits: 3 } : { maximumFractionDigits: 0 });
      }
      f = function (x) { return nf.format(x); };
    } else if (format === 'percent') {
      f = function (x) { return (x * 100).toLocaleString(loc, { maximumFractionDigits: compact ? 2 : 3 }) + ' %'; };
    } else if (format === 'multiple') {
      f = function (x) { return x.toLocaleString(loc, { maximumFractionDigits: 1 }) + '×'; };
    } else {
      f = function (x) { return x.toLocaleString(loc, { maximumFractionDigits: 0 }); };
    }
    formatters[key] = f;
    return f;
  }

  function dataset(d) {
    var color = PALETTE[d.color % PALETTE.length];
    var base = { label: d.label, data: d.data, borderColor: color, backgroundColor: color, spanGaps: false, pointStyle: 'circle' };
    switch (d.style) {
      case 'bar':
        return Object.assign(base, { type: 'bar', borderWidth: 0, pointStyle: 'rect' });
      case 'dashed':
        return Object.assign(base, { type: 'line', borderWidth: 2, borderDash: [6, 4], pointRadius: 0, fill: false, pointStyle: 'dash' });
      case 'points':
        return Object.assign(base, { type: 'line', showLine: false, pointRadius: 3, pointStyle: 'triangle', fill: false });
      case 'band-low':
        return Object.assign(base, { type: 'line', borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: false, bandLow: true });
      case 'band-high':
        return Object.assign(base, {
          type: 'line', borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: '-1', pointStyle: 'rect',
          backgroundColor: rgba(color, d.alpha || 0.2), label: d.legend || BAND_LEGEND[d.alpha] || d.label, bandHigh: true,
        });
      default:
        return Object.assign(base, { type: 'line', borderWidth: 2.5, pointRadius: 2, fill: false });
    }
  }

  // Vertical lines at fractional category positions (value-at-risk marks on the histogram).
  var marksPlugin = {
    id: 'varMarks',
    afterDatasetsDraw: function (chart, _args, options) {
      var marks = options?.marks || [];
      if (!marks.length) return;
      var x = chart.scales.x;
      var area = chart.chartArea;
      var ctx = chart.ctx;
      var n = chart.data.labels.length;
      var step = n > 1 ? x.getPixelForValue(1) - x.getPixelForValue(0) : area.right - area.left;
      ctx.save();
      marks.forEach(function (m, i) {
        var px = x.getPixelForValue(0) + m.position * step;
        if (px < area.left || px > area.right) return;
        ctx.strokeStyle = '#b91c1c';
        ctx.lineWidth = 1.5;
        ctx.setLineDash([5, 3]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = '#7f1d1d';
        ctx.font = '12px system-ui, sans-serif';
        var text = m.label;
        var w = ctx.measureText(text).width;
        var tx = px + 4 + w > area.right ? px - 4 - w : px + 4;
        ctx.fillText(text, tx, area.top + 14 + i * 15);
      });
      ctx.restore();
    },
  };

  function build(spec, canvas) {
    var tick = formatterFor(spec.format, spec.currency, true, spec.locale);
    var full = formatterFor(spec.format, spec.currency, false, spec.locale);
    var datasets = spec.datasets.map(dataset);
    var many = spec.labels.length > 12;
    var narrow = (canvas.parentElement ? canvas.parentElement.clientWidth : 600) < 480;
    return new window.Chart(canvas, {
      type: spec.kind,
      data: { labels: spec.labels, datasets: datasets },
      plugins: [marksPlugin],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: {
            title: { display: true, text: spec.xTitle, color: '#374151' },
            // A few categories (the stages) are every one labelled, turned or smaller when the box is narrow (the printed handout);
            // long series of periods skip labels as needed.
            ticks: { color: '#374151', maxRotation: many ? 60 : 90, autoSkip: many, font: { size: narrow && !many ? 10 : 12 } },
            grid: { display: false },
            stacked: !!spec.stacked,
          },
          y: {
            title: { display: !narrow, text: spec.yTitle, color: '#374151' },
            ticks: { color: '#374151', callback: function (v) { return tick(Number(v)); } },
            beginAtZero: true,
            stacked: !!spec.stacked,
            max: typeof spec.yMax === 'number' ? spec.yMax : undefined,
          },
        },
        plugins: {
          legend: {
            position: 'bottom',
            labels: {
              color: '#1f2937', boxWidth: 8, boxHeight: 8, usePointStyle: true,
              filter: function (item, data) { return !data.datasets[item.datasetIndex].bandLow; },
              generateLabels: function (chart) {
                var items = window.Chart.defaults.plugins.legend.labels.generateLabels(chart);
                var max = narrow ? 38 : 70;
                items.forEach(function (item) {
                  if (item.text.length > max) item.text = item.text.slice(0, max - 1) + '…';
                });
                return items;
              },
            },
          },
          tooltip: {
            filter: function (item) { return !item.dataset.bandLow && !item.dataset.bandHigh; },
            callbacks: {
              label: function (item) {
                // A value drawn at the top of a capped axis: the table holds the true one.
                var row = typeof spec.yMax === 'number' && item.parsed.y >= spec.yMax && spec.tableRows?.[item.dataIndex];
                if (row?.[item.datasetIndex + 1]) return item.dataset.label + ': ' + row[item.datasetIndex + 1];
                return item.dataset.label + ': ' + (item.parsed.y === null ? '—' : full(item.parsed.y));
              },
            },
          },
          varMarks: { marks: spec.marks || [] },
        },
      },
    });
  }


  // ----- Policy charts: tornado, heat map with a contour, scatter ---------------------------

  function wrapLabel(text, width) {
    var words = String(text).split(' ');
    var lines = [];
    var line = '';
    words.forEach(function (w) {
      if (line && (line + ' ' + w).length > width) { lines.push(line); line = w; } else { line = line ? line + ' ' + w : w; }
    });
    if (line) lines.push(line);
    return lines;
  }

  // A vertical line at a value of the x scale (the tornado's base value).
  var baseLinePlugin = {
    id: 'baseLine',
    afterDatasetsDraw: function (chart, _args, options) {
      if (!options || options.value === null || options.value === undefined) return;
      var x = chart.scales.x.getPixelForValue(options.value);
      var area = chart.chartArea;
      if (x < area.left || x > area.right) return;
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = '#111827';
      ctx.lineWidth = 1.5;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      if (options.label) {
        ctx.fillStyle = '#111827';
        ctx.font = '12px system-ui, sans-serif';
        var w = ctx.measureText(options.label).width;
        ctx.fillText(options.label, x + 4 + w > area.right ? x - 4 - w : x + 4, area.top - 4);
      }
      ctx.restore();
    },
  };

  function buildTornado(spec, canvas) {
    var tick = formatterFor(spec.format, spec.currency, true, spec.locale);
    var full = formatterFor(spec.format, spec.currency, false, spec.locale);
    var extra = spec.extra || {};
    var base = extra.base;
    var narrow = (canvas.parentElement ? canvas.parentElement.clientWidth : 600) < 480;
    // A row per parameter: tall enough for labels wrapped on two or three lines.
    if (canvas.parentElement) canvas.parentElement.style.height = Math.max(320, spec.labels.length * (narrow ? 58 : 46) + 120) + 'px';
    var datasets = spec.datasets.map(function (d, k) {
      var color = PALETTE[d.color % PALETTE.length];
      return {
        label: d.label,
        data: d.data.map(function (v) { return v === null || base === null || base === undefined ? null : [base, v]; }),
        backgroundColor: rgba(color, k === 0 ? 0.75 : 0.9), borderColor: color, borderWidth: 1,
        grouped: false, barPercentage: k === 0 ? 0.85 : 0.5, categoryPercentage: 0.9, pointStyle: 'rect',
      };
    });
    return new window.Chart(canvas, {
      type: 'bar',
      data: { labels: spec.labels, datasets: datasets },
      plugins: [baseLinePlugin],
      options: {
        indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false,
        layout: { padding: { top: 16 } },
        interaction: { mode: 'nearest', axis: 'y', intersect: false },
        scales: {
          x: { beginAtZero: false, grace: '5%', title: { display: true, text: spec.xTitle, color: '#374151' }, ticks: { color: '#374151', maxRotation: 0, callback: function (v) { return tick(Number(v)); } } },
          y: { ticks: { color: '#1f2937', autoSkip: false, callback: function (_v, i) { return wrapLabel(spec.labels[i], narrow ? 16 : 28); } }, grid: { display: false } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { color: '#1f2937', boxWidth: 10, boxHeight: 10, usePointStyle: true } },
          tooltip: { callbacks: { label: function (item) { return item.dataset.label + ': ' + (item.raw ? full(item.raw[1]) : '—'); } } },
          baseLine: { value: base, label: extra.baseLabel || '' },
        },
      },
    });
  }

  // The same bins as the grid table and the legend under the chart (HEAT_COLOURS on the server).
  function colourScale(stops, min, max) {
    return function (v) {
      if (v === null || v === undefined) return '#e5e7eb';
      var t = max > min ? (v - min) / (max - min) : 0;
      return stops[Math.max(0, Math.min(stops.length - 1, Math.floor(t * stops.length)))];
    };
  }

  function cellEdges(values) {
    var n = values.length;
    var out = [];
    for (var i = 0; i <= n; i++) {
      if (n === 1) { out.push(i === 0 ? values[0] - 0.5 : values[0] + 0.5); continue; }
      if (i === 0) out.push(values[0] - (values[1] - values[0]) / 2);
      else if (i === n) out.push(values[n - 1] + (values[n - 1] - values[n - 2]) / 2);
      else out.push((values[i - 1] + values[i]) / 2);
    }
    return out;
  }

  var heatmapPlugin = {
    id: 'heatmap',
    beforeDatasetsDraw: function (chart, _args, o) {
      if (!o?.grid) return;
      var ctx = chart.ctx;
      var xs = chart.scales.x;
      var ys = chart.scales.y;
      ctx.save();
      for (var i = 0; i < o.yEdges.length - 1; i++) {
        for (var j = 0; j < o.xEdges.length - 1; j++) {
          var x0 = xs.getPixelForValue(o.xEdges[j]);
          var x1 = xs.getPixelForValue(o.xEdges[j + 1]);
          var y0 = ys.getPixelForValue(o.yEdges[i]);
          var y1 = ys.getPixelForValue(o.yEdges[i + 1]);
          ctx.fillStyle = o.colour(o.grid[i] ? o.grid[i][j] : null);
          ctx.fillRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0) + 0.5, Math.abs(y1 - y0) + 0.5);
        }
      }
      ctx.restore();
    },
    afterDatasetsDraw: function (chart, _args, o) {
      if (!o?.segments?.length) return;
      var ctx = chart.ctx;
      var xs = chart.scales.x;
      var ys = chart.scales.y;
      ctx.save();
      ctx.lineCap = 'round';
      [['#ffffff', 6], ['#000000', 3]].forEach(function (style) {
        ctx.strokeStyle = style[0];
        ctx.lineWidth = style[1];
        ctx.beginPath();
        o.segments.forEach(function (s) {
          ctx.moveTo(xs.getPixelForValue(s[0].x), ys.getPixelForValue(s[0].y));
          ctx.lineTo(xs.getPixelForValue(s[1].x), ys.getPixelForValue(s[1].y));
        });
        ctx.stroke();
      });
      ctx.restore();
    },
  };

  function buildHeatmap(spec, canvas) {
    var e = spec.extra;
    var full = formatterFor(spec.format, spec.currency, false, spec.locale);
    var fx = formatterFor(e.x.format, spec.currency, true, spec.locale);
    var fy = formatterFor(e.y.format, spec.currency, true, spec.locale);
    var fxFull = formatterFor(e.x.format, spec.currency, false, spec.locale);
    var fyFull = formatterFor(e.y.format, spec.currency, false, spec.locale);
    var xEdges = cellEdges(e.x.values);
    var yEdges = cellEdges(e.y.values);
    var points = [];
    e.y.values.forEach(function (y, i) {
      e.x.values.forEach(function (x, j) { points.push({ x: x, y: y, i: i, j: j, v: e.grid[i] ? e.grid[i][j] : null }); });
    });
    var datasets = [{ label: spec.datasets[0] ? spec.datasets[0].label : '', data: points, pointRadius: 0, pointHoverRadius: 4, pointHitRadius: 14, showLine: false, backgroundColor: '#111827', borderColor: '#111827', isGrid: true }];
    if (e.contour) datasets.push({ label: e.contour.label, data: [], type: 'line', borderColor: '#000000', backgroundColor: '#000000', borderWidth: 3, pointStyle: 'line' });
    var axis = function (values, edges, fmt, title) {
      return {
        type: 'linear', min: edges[0], max: edges[edges.length - 1],
        title: { display: true, text: title, color: '#374151' },
        afterBuildTicks: function (scale) { scale.ticks = values.map(function (v) { return { value: v }; }); },
        ticks: { color: '#374151', autoSkip: true, maxRotation: 0, callback: function (v) { return fmt(Number(v)); } },
        grid: { display: false },
      };
    };
    return new window.Chart(canvas, {
      type: 'scatter',
      data: { datasets: datasets },
      plugins: [heatmapPlugin],
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: axis(e.x.values, xEdges, fx, spec.xTitle), y: axis(e.y.values, yEdges, fy, spec.yTitle) },
        plugins: {
          legend: { display: !!e.contour, position: 'bottom', labels: { color: '#1f2937', usePointStyle: true, filter: function (item, data) { return !data.datasets[item.datasetIndex].isGrid; } } },
          tooltip: {
            filter: function (item) { return item.dataset.isGrid; },
            callbacks: {
              label: function (item) {
                var p = item.raw;
                var note = e.notes?.[p.i] ? e.notes[p.i][p.j] : null;
                return e.x.label + ' ' + fxFull(p.x) + ', ' + e.y.label.toLowerCase() + ' ' + fyFull(p.y) + ': ' + (p.v === null ? '—' : full(p.v)) + (note ? '; ' + note : '');
              },
            },
          },
          heatmap: { grid: e.grid, xEdges: xEdges, yEdges: yEdges, colour: colourScale(e.colours, e.min, e.max), segments: e.contour ? e.contour.segments : [] },
        },
      },
    });
  }

  function buildScatter(spec, canvas) {
    var e = spec.extra || {};
    var fx = formatterFor(e.xFormat || 'percent', spec.currency, true, spec.locale);
    var fy = formatterFor(e.yFormat || 'percent', spec.currency, true, spec.locale);
    var fxFull = formatterFor(e.xFormat || 'percent', spec.currency, false, spec.locale);
    var fyFull = formatterFor(e.yFormat || 'percent', spec.currency, false, spec.locale);
    var styles = { 0: ['rectRot', 9], 2: ['circle', 5], 3: ['crossRot', 6], 4: ['triangle', 6], 5: ['circle', 4] };
    var datasets = spec.datasets.map(function (d) {
      var color = PALETTE[d.color % PALETTE.length];
      var st = styles[d.color] || ['circle', 5];
      return { label: d.label, data: d.data, pointStyle: st[0], pointRadius: st[1], pointHoverRadius: st[1] + 2, borderColor: color, backgroundColor: d.color === 5 ? rgba(color, 0.35) : rgba(color, 0.8), borderWidth: 2 };
    });
    return new window.Chart(canvas, {
      type: 'scatter',
      data: { datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          x: { title: { display: true, text: spec.xTitle, color: '#374151' }, ticks: { color: '#374151', callback: function (v) { return fx(Number(v)); } } },
          y: { title: { display: true, text: spec.yTitle, color: '#374151' }, ticks: { color: '#374151', callback: function (v) { return fy(Number(v)); } } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { color: '#1f2937', usePointStyle: true, boxWidth: 8, boxHeight: 8 } },
          tooltip: { callbacks: { label: function (item) { // spec.pointText, when the server sends one, is the sentence in the page's language: "{series}: coverage {x}, fee {y}".
            var text = spec.pointText ? spec.pointText.split('{series}').join(item.dataset.label).split('{x}').join(fxFull(item.raw.x)).split('{y}').join(fyFull(item.raw.y))
              : item.dataset.label + ': coverage ' + fxFull(item.raw.x) + ', fee ' + fyFull(item.raw.y);
            return text + (item.raw.note ? '; ' + item.raw.note : ''); } } },
        },
      },
    });
  }

  var BUILDERS = { tornado: buildTornado, heatmap: buildHeatmap, scatter: buildScatter };

  function init() {
    document.documentElement.classList.add('js');
    var node = document.getElementById('chart-data');
    if (!node || !window.Chart) return;
    var specs = JSON.parse(node.textContent || '[]');
    window.Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    window.Chart.defaults.color = '#1f2937';
    specs.forEach(function (spec) {
      var canvas = document.querySelector('canvas[data-chart="' + spec.id + '"]');
      if (canvas) (BUILDERS[spec.kind] || build)(spec, canvas);
    });
    document.documentElement.setAttribute('data-charts-ready', String(specs.length));
  }

  // Printing shows the tables folded away in <details>.
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not(.keep-closed)').forEach(function (d) { d.setAttribute('data-was-open', d.open ? '1' : '0'); d.open = true; });
    // Charts are sized for the screen: redraw them at the printed width.
    if (window.Chart?.instances) Object.keys(window.Chart.instances).forEach(function (k) { window.Chart.instances[k].resize(); });
  });
  window.addEventListener('afterprint', function () {
    document.querySelectorAll('details[data-was-open]').forEach(function (d) { d.open = d.getAttribute('data-was-open') === '1'; });
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
