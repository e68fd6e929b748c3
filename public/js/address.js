// A result computed from a posted form has its own address: show it in the address bar, so that
// reloading, bookmarking or copying the address gives the same result (the page says it too).
(function () {
  'use strict';
  var el = document.getElementById('result-address');
  var address = el?.getAttribute('data-address');
  if (address && location.pathname !== address && window.history && history.replaceState) history.replaceState(null, '', address);
})();
