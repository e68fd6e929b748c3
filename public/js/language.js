// The language switcher changes language as soon as a language is picked; without JavaScript
// its button does the same.
document.documentElement.classList.add('language-js');
for (const select of document.querySelectorAll('.language-switcher select')) {
  select.addEventListener('change', () => select.form.submit());
}
