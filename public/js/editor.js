// Small comforts for the scenario editor; the form works without them.
(function () {
  'use strict';
  // The texts written here come translated from the page (data attributes of the form), with
  // {placeholders} filled in here.
  var texts = document.querySelector('form.editor') || document.createElement('form');
  function text(name, values) {
    var s = texts.getAttribute('data-' + name) || '';
    Object.keys(values || {}).forEach(function (k) { s = s.split('{' + k + '}').join(values[k]); });
    return s;
  }
  function listOf(items, type) {
    try {
      return new Intl.ListFormat(texts.getAttribute('data-locale') || 'en-US', { type: type, style: type === 'unit' ? 'short' : 'long' }).format(items);
    } catch (_e) {
      return items.join(type === 'unit' ? ', ' : ' and ');
    }
  }
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
    coverageOverride();
    unitHints();
  }

  // A value of at most 1 % where schemes use large shares was probably typed as a fraction (0.8 for
  // 80 %): say so beside the field, with a button to take the percentage; never refuse the value.
  function unitHints() {
    var decimal = texts.getAttribute('data-decimal') || '.';
    function trim(x) {
      var s = String(Number(x.toPrecision(10)));
      return decimal === '.' ? s : s.replace('.', decimal);
    }
    document.querySelectorAll('input[data-share-field]').forEach(function (input) {
      var max = input.getAttribute('data-share-field');
      function hintFor(value) {
        var s = (decimal === '.' ? value : value.replace(decimal, '.')).trim().replace(/\s*%$/, '');
        if (!/^\d*\.?\d+$/.test(s)) return null;
        var p = Number(s);
        if (!(p > 0 && p <= 1)) return null;
        if (max !== '' && p > Number(max) + 1e-12) return null;
        return { typed: trim(p), meant: trim(p * 100) };
      }
      function update() {
        var id = input.id + '-unit';
        var hint = hintFor(input.value);
        var p = document.getElementById(id);
        var described = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && x !== id; });
        if (!hint) {
          if (p) p.remove();
          if (described.length) input.setAttribute('aria-describedby', described.join(' '));
          else input.removeAttribute('aria-describedby');
          return;
        }
        if (!p) {
          p = document.createElement('p');
          p.id = id;
          p.className = 'unit-hint';
          var anchor = input.closest('.control') || input;
          var error = anchor.parentElement.querySelector('.field-error');
          (error || anchor).insertAdjacentElement('afterend', p);
        }
        p.setAttribute('role', 'status');
        p.textContent = text('unit-hint', { typed: hint.typed, meant: hint.meant });
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'button';
        button.textContent = text('unit-use', { meant: hint.meant });
        button.addEventListener('click', function () {
          input.value = hint.meant;
          update();
          input.focus();
        });
        p.appendChild(button);
        input.setAttribute('aria-describedby', described.concat([id]).join(' '));
      }
      input.addEventListener('input', update);
      update();
    });
  }

  // The coverage ratio is overridden by each stage's own coverage: say so as the stages are edited.
  function coverageOverride() {
    var main = document.querySelector('input[name="guarantee.coverageRatio"]');
    var stages = Array.prototype.slice.call(document.querySelectorAll('input[name^="guarantee.coverageByStage."]'));
    if (!main || !stages.length) return;
    var field = main.closest('.field');
    function label(input) {
      var l = document.querySelector('label[for="' + input.id + '"]');
      return l ? l.textContent.replace(/\s*\(%\)\s*$/, '').trim() : input.name;
    }
    function stageName(input) { return text('stage-' + input.name.split('.').pop()); }
    function update() {
      var own = stages.filter(function (i) { return i.value.trim() !== ''; });
      var notice = document.getElementById(main.id + '-override');
      if (!own.length) {
        if (notice) notice.remove();
        if (field) field.classList.remove('overridden');
        return;
      }
      if (!notice) {
        notice = document.createElement('p');
        notice.id = main.id + '-override';
        notice.setAttribute('role', 'note');
        var after = field.querySelector('.field-error') || field.querySelector('.control');
        after.insertAdjacentElement('afterend', notice);
        var described = (main.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
        if (described.indexOf(notice.id) < 0) main.setAttribute('aria-describedby', described.concat([notice.id]).join(' '));
      }
      var full = own.length === stages.length;
      var list = listOf(own.map(function (i) { return text('stage-value', { stage: stageName(i), value: i.value.trim() }); }), 'unit');
      var others = stages.filter(function (i) { return own.indexOf(i) < 0; }).map(stageName);
      notice.className = 'override-notice' + (full ? ' override-full' : '');
      notice.textContent = (full
        ? text('override-full', { list: list })
        : text(others.length === 1 ? 'override-one' : 'override-many', { others: listOf(others, 'conjunction'), list: list })) + ' ';
      own.forEach(function (i, k) {
        var a = document.createElement('a');
        a.href = '#' + i.id;
        a.textContent = label(i);
        notice.appendChild(a);
        if (k < own.length - 1) notice.appendChild(document.createTextNode(' · '));
      });
    }
    stages.forEach(function (i) { i.addEventListener('input', update); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
