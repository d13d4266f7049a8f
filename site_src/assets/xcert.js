// Recomputes everything on a page that depends on the date, from the dates in the page, so a
// page built days ago is right on the day it is read: notice period badges (未开始 / 公示中 /
// 已结束) and the days left, the objection box (shown only until the period ends) and entity
// standings that follow from a 公示 period. The wording matches the build's (generator/models.py
// Period.note and generator/lifecycle.py), so the page does not change when build day = today.
const LABELS = { upcoming: '未开始', open: '公示中', closed: '已结束' };
const STANDINGS = { upcoming: '即将公示', open: '公示中', closed: '已公示，待确认' };
const DAY = 24 * 60 * 60 * 1000;

export function todayInChina(now = new Date()) {
  // Notice periods are Beijing dates; compare in UTC+8 whatever the reader's time zone.
  const shifted = new Date(now.getTime() + 8 * 60 * 60 * 1000);
  return shifted.toISOString().slice(0, 10);
}

export function periodStatus(start, end, today = todayInChina()) {
  if (today < start) return 'upcoming';
  if (today > end) return 'closed';
  return 'open';
}

function daysFrom(from, to) {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY);
}

// Days left with today counted, as the build counts them.
export function daysLeft(end, today = todayInChina()) {
  return daysFrom(today, end) + 1;
}

export function periodNote(start, end, today = todayInChina()) {
  const status = periodStatus(start, end, today);
  if (status === 'upcoming') return `${daysFrom(today, start)} 天后开始`;
  if (status === 'open') {
    const left = daysLeft(end, today);
    return left === 1 ? '今天截止' : `剩 ${left} 天`;
  }
  return '';
}

function setModifier(el, block, status) {
  for (const s of ['upcoming', 'open', 'closed']) el.classList.remove(`${block}--${s}`);
  el.classList.add(`${block}--${status}`);
}

export function refresh(root = document, today = todayInChina()) {
  for (const el of root.querySelectorAll('[data-period-start][data-period-end]')) {
    const { periodStart: start, periodEnd: end } = el.dataset;
    const status = periodStatus(start, end, today);
    if (el.classList.contains('xcert-status')) {
      setModifier(el, 'xcert-status', status);
      el.textContent = LABELS[status];
    } else if (el.classList.contains('xcert-period-note')) {
      const note = periodNote(start, end, today);
      el.textContent = note;
      el.hidden = !note;
    } else if (el.classList.contains('xcert-objection')) {
      el.hidden = status === 'closed';
    } else if (el.classList.contains('xcert-standing')) {
      setModifier(el, 'xcert-standing', status);
      el.textContent = STANDINGS[status];
    }
  }
}

if (typeof document !== 'undefined') {
  refresh();
  // Material's instant navigation is off, but keep working if a page swaps content in.
  document.addEventListener('DOMContentLoaded', () => refresh());
}
