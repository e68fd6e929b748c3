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
        status.textContent = 'Waiting for other runs to finish (number ' + d.queuePosition + ' in the queue).';
      } else if (step !== lastSpoken) {
        lastSpoken = step;
        status.textContent = 'Running: ' + pct + ' % done.';
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
        status.textContent = 'Done. Loading the results…';
      } else {
        status.textContent = d.status === 'cancelled' ? 'The run was cancelled.' : 'The run failed: ' + (d.error || 'unknown error');
      }
      window.setTimeout(function () { window.location.replace(d.page || el.getAttribute('data-page')); }, d.status === 'done' ? 300 : 800);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
