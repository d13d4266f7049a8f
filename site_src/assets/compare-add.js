// "加入对比" buttons: on certificate pages, and next to certificate results on the search page.
import { MAX, compareUrl, load, save } from './compare-store.js';

const COMPARE_PAGE = new URL('../compare/', import.meta.url).toString();

function label(button, id) {
  const chosen = load();
  if (chosen.includes(id)) {
    button.textContent = `已加入对比（${chosen.length}），查看对比 →`;
  } else {
    button.textContent = chosen.length >= MAX ? `对比已满 ${MAX} 个，查看对比 →` : '加入对比';
  }
}

function wire(button, id) {
  button.hidden = false;
  label(button, id);
  button.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopPropagation();
    const chosen = load();
    if (!chosen.includes(id) && chosen.length < MAX) {
      chosen.push(id);
      save(chosen);
      label(button, id);
      return;
    }
    window.location.href = compareUrl(load(), COMPARE_PAGE);
  });
}

for (const button of document.querySelectorAll('button.xcert-compare-add[data-certificate]')) {
  wire(button, button.dataset.certificate);
}

// Search results are drawn by Pagefind after the page loads: decorate them as they appear.
const results = document.getElementById('xcert-search');
if (results) {
  const pattern = /\/certificates\/([a-z0-9-]+)\/$/;
  const decorate = () => {
    for (const link of results.querySelectorAll('a.pagefind-ui__result-link')) {
      const url = new URL(link.href, window.location.href);
      const match = pattern.exec(url.pathname);
      // One button per certificate: not on its sub-results (links to #headings on the same page).
      if (!match || url.hash || link.parentElement.querySelector('.xcert-compare-add')) continue;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'xcert-compare-add';
      link.insertAdjacentElement('afterend', button);
      wire(button, match[1]);
    }
  };
  new MutationObserver(decorate).observe(results, { childList: true, subtree: true });
}
