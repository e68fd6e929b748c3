// Small comforts for the scenario editor; the form works without them.
(function () {
  'use strict';
  function init() {
    var summary = document.getElementById('error-summary');
    if (summary) summary.focus();
    // Dim the risk-grade inputs a stage does not use (list or lognormal).
    document.querySelectorAll('select[name$=".riskGrades.mode"]').forEach(function (select) {
      var stage = select.name.split('.')[1];
      function update() {
        var lognormal = select.value === 'lognormal';
        document.querySelectorAll('input[name^="stages.' + stage + '.riskGrades."]').forEach(function (input) {
          var isList = /\.riskGrades\.\d+\./.test(input.name);
          var cell = input.closest('td');
          if (cell) cell.classList.toggle('inactive', isList === lognormal);
        });
      }
      select.addEventListener('change', update);
      update();
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
