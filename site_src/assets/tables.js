// Tables on a phone: each row of a content table with three or more columns becomes a card of
// "column: value" lines (CSS in xcert.css, below Material's 45em breakpoint), so a reader sees
// every column without scrolling sideways. The Markdown stays plain: the column names are copied
// here from each table's header into its cells' data-label. Tables with a class of their own
// (the compare table) keep their layout; without this script a table scrolls in its own box.
const MIN_COLUMNS = 3;

export function labelTable(table) {
  const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  if (names.length < MIN_COLUMNS) return false;
  for (const row of table.querySelectorAll('tbody tr')) {
    [...row.children].forEach((cell, i) => {
      if (names[i]) cell.dataset.label = names[i];
      // One box for the cell's content (text, links, line breaks), beside the label's.
      const content = document.createElement('span');
      content.className = 'xcert-cell';
      content.append(...cell.childNodes);
      cell.append(content);
    });
  }
  table.dataset.stack = '';
  table.closest('.md-typeset__table')?.classList.add('xcert-stack-box');
  return true;
}

function labelTables() {
  for (const table of document.querySelectorAll(
    '.md-typeset table:not([class]):not([data-stack])',
  )) {
    labelTable(table);
  }
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', labelTables);
  else labelTables();
}
