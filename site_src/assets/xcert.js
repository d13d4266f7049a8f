// Recomputes notice period badges from the dates in the page, so a page built days ago still
// shows today's status (未开始 / 公示中 / 已结束) to the reader.
const LABELS = { upcoming: "未开始", open: "公示中", closed: "已结束" };
const DAY = 24 * 60 * 60 * 1000;

function todayInChina(now = new Date()) {
  // Notice periods are Beijing dates; compare in UTC+8 whatever the reader's time zone.
  const shifted = new Date(now.getTime() + 8 * 60 * 60 * 1000);
  return shifted.toISOString().slice(0, 10);
}

export function periodStatus(start, end, today = todayInChina()) {
  if (today < start) return "upcoming";
  if (today > end) return "closed";
  return "open";
}

export function daysLeft(end, today = todayInChina()) {
  return Math.round((Date.parse(end) - Date.parse(today)) / DAY) + 1;
}

function refresh(root = document) {
  for (const badge of root.querySelectorAll("[data-period-start][data-period-end]")) {
    const { periodStart, periodEnd } = badge.dataset;
    const status = periodStatus(periodStart, periodEnd);
    badge.classList.remove("xcert-status--upcoming", "xcert-status--open", "xcert-status--closed");
    badge.classList.add(`xcert-status--${status}`);
    badge.textContent = status === "open" ? `${LABELS.open}（剩 ${daysLeft(periodEnd)} 天）` : LABELS[status];
  }
}

if (typeof document !== "undefined") {
  refresh();
  // Material's instant navigation is off, but keep working if a page swaps content in.
  document.addEventListener("DOMContentLoaded", () => refresh());
}
