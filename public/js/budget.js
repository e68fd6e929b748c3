// The budget comparison's target firms: the fields describing firms are switched off while the
// target is a stage of the base scenario (a disabled fieldset is not sent), and on when they are
// in force, filled from that stage where blank. Without this script the server refuses anything
// typed in them while they are not in force.
(function () {
  'use strict';
  function init() {
    var kind = document.querySelector('select[name="target.kind"]');
    var box = document.getElementById('b-target-explicit');
    if (!kind || !box) return;
    var status = document.getElementById('b-target-explicit-status');
    var scenario = document.querySelector('select[name="scenario"]');
    var stage = document.querySelector('select[name="target.stage"]');
    var stageText = status ? status.getAttribute('data-stage-text') : '';
    function update(filling) {
      var explicit = kind.value === 'explicit';
      box.disabled = !explicit;
      box.classList.toggle('not-in-force', !explicit);
      if (status) {
        // The sentences come translated from the page (data-* attributes of the fieldset).
        status.textContent = explicit
          ? box.getAttribute('data-in-force-text')
          : box.getAttribute(stageText ? 'data-not-in-force-stage-text' : 'data-not-in-force-text');
      }
      if (!explicit || !filling) return;
      // The stage's own values are a start only while the scenario and stage read are still chosen.
      var same = scenario && stage && scenario.value === box.getAttribute('data-scenario') && stage.value === box.getAttribute('data-stage');
      box.querySelectorAll('.explicit-field').forEach(function (cell) {
        var input = cell.querySelector('input');
        if (input && input.value.trim() === '' && same) input.value = cell.getAttribute('data-fill') || '';
      });
    }
    kind.addEventListener('change', function () { update(true); });
    function stale() {
      var same = scenario && stage && scenario.value === box.getAttribute('data-scenario') && stage.value === box.getAttribute('data-stage');
      if (!same) stageText = '';
      update(false);
    }
    if (scenario) scenario.addEventListener('change', stale);
    if (stage) stage.addEventListener('change', stale);
    update(false);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
