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
  function formatterFor(format, currency, compact) {
    var key = format + '|' + currency + '|' + compact;
    if (formatters[key]) return formatters[key];
    var f;
    if (format === 'money') {
      var nf;
      try {
        nf = new Intl.NumberFormat('en-US', compact
          ? { style: 'currency', currency: currency, notation: 'compact', maximumSignificantDigits: 3 }
          : { style: 'currency', currency: currency, maximumFractionDigits: 0 });
      } catch (e) {
        // No currency (scenarios in several currencies side by side): plain numbers.
        nf = new Intl.NumberFormat('en-US', compact ? { notation: 'compact', maximumSignificantDigits: 3 } : { maximumFractionDigits: 0 });
      }
      f = function (x) { return nf.format(x); };
    } else if (format === 'percent') {
      f = function (x) { return (x * 100).toLocaleString('en-US', { maximumFractionDigits: compact ? 1 : 2 }) + ' %'; };
    } else if (format === 'multiple') {
      f = function (x) { return x.toLocaleString('en-US', { maximumFractionDigits: 1 }) + '×'; };
    } else {
      f = function (x) { return x.toLocaleString('en-US', { maximumFractionDigits: 0 }); };
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
          backgroundColor: rgba(color, d.alpha || 0.2), label: BAND_LEGEND[d.alpha] || d.label, bandHigh: true,
        });
      default:
        return Object.assign(base, { type: 'line', borderWidth: 2.5, pointRadius: 2, fill: false });
    }
  }

  // Vertical lines at fractional category positions (value-at-risk marks on the histogram).
  var marksPlugin = {
    id: 'varMarks',
    afterDatasetsDraw: function (chart, _args, options) {
      var marks = (options && options.marks) || [];
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
    var tick = formatterFor(spec.format, spec.currency, true);
    var full = formatterFor(spec.format, spec.currency, false);
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
            ticks: { color: '#374151', maxRotation: many ? 60 : 0, autoSkip: true },
            grid: { display: false },
          },
          y: {
            title: { display: !narrow, text: spec.yTitle, color: '#374151' },
            ticks: { color: '#374151', callback: function (v) { return tick(Number(v)); } },
            beginAtZero: true,
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
                return item.dataset.label + ': ' + (item.parsed.y === null ? '—' : full(item.parsed.y));
              },
            },
          },
          varMarks: { marks: spec.marks || [] },
        },
      },
    });
  }

  function init() {
    document.documentElement.classList.add('js');
    var node = document.getElementById('chart-data');
    if (!node || !window.Chart) return;
    var specs = JSON.parse(node.textContent || '[]');
    window.Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    window.Chart.defaults.color = '#1f2937';
    specs.forEach(function (spec) {
      var canvas = document.querySelector('canvas[data-chart="' + spec.id + '"]');
      if (canvas) build(spec, canvas);
    });
    document.documentElement.setAttribute('data-charts-ready', String(specs.length));
  }

  // Printing shows the tables folded away in <details>.
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.setAttribute('data-was-open', d.open ? '1' : '0'); d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    document.querySelectorAll('details[data-was-open]').forEach(function (d) { d.open = d.getAttribute('data-was-open') === '1'; });
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
