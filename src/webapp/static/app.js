// Progressive enhancement only: every page works without this file.
'use strict';
document.addEventListener('submit', (event) => {
  const form = event.target;
  // One click, one action: a second click while the first is under way would act twice.
  const button = form.querySelector('button[type=submit]');
  if (button && !form.hasAttribute('data-busy')) {
    form.setAttribute('data-busy', '');
    setTimeout(() => { button.disabled = true; button.setAttribute('aria-busy', 'true'); }, 0);
  }
});
// Pages that show progress reload themselves while something runs.
const refresh = document.querySelector('[data-refresh]');
if (refresh) {
  setTimeout(() => { window.location.reload(); }, Number(refresh.getAttribute('data-refresh')) || 1500);
}
