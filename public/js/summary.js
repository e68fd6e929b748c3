// The printable summary: a Print button (shown only with JavaScript; the browser's own Print works too).
(function () {
  'use strict';
  function init() {
    var button = document.getElementById('print-summary');
    if (button) button.addEventListener('click', function () { window.print(); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
