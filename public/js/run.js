// Progress of a Monte Carlo run, fed by server-sent events; reloads the page when it ends.
(function () {
  'use strict';
  function init() {
    var el = document.getElementById('run');
    if (!el || !('EventSource' in window)) return;
    var bar = document.getElementById('run-progress');
    var status = document.getElementById('run-status');
    var percent = document.getElementById('run-percent');
    var lastSpoken = -1;
    // The page's language: its sentences come in data-text-* attributes with {placeholders}.
    function text(name, values) {
      var s = el.getAttribute('data-text-' + name) || '';
      Object.keys(values || {}).forEach(function (k) { s = s.split('{' + k + '}').join(String(values[k])); });
      return s;
    }
    var source = new EventSource(el.getAttribute('data-events'));
    source.addEventListener('progress', function (e) {
      var d = JSON.parse(e.data);
      var pct = Math.floor((d.progress || 0) * 100);
      bar.value = pct;
      bar.textContent = pct + ' %';
      if (percent) percent.textContent = pct + ' %';
      el.setAttribute('data-progress', String(pct));
      // Screen readers hear every tenth step, not every event.
      var step = Math.floor(pct / 10);
      if (d.queuePosition) {
        status.textContent = text('waiting', { position: d.queuePosition });
      } else if (step !== lastSpoken) {
        lastSpoken = step;
        status.textContent = text('running', { percent: pct });
      }
    });
    source.addEventListener('end', function (e) {
      var d = JSON.parse(e.data);
      source.close();
      el.setAttribute('data-status', d.status);
      if (d.status === 'done') {
        bar.value = 100;
        bar.textContent = '100 %';
        if (percent) percent.textContent = '100 %';
        el.setAttribute('data-progress', '100');
        status.textContent = text('done');
      } else {
        status.textContent = d.status === 'cancelled' ? text('cancelled') : text('failed', { error: d.error || text('unknown') });
      }
      window.setTimeout(function () { window.location.replace(d.page || el.getAttribute('data-page')); }, d.status === 'done' ? 300 : 800);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
