// The search page: Pagefind's UI (each result shows its 类型 from the page metadata), with the
// query taken from ?q= so the header box and shared links land on results.
const ui = new window.PagefindUI({
  element: "#xcert-search",
  showSubResults: true,
  showImages: false,
  // Short pages (a notice found by its 文号) should not sink below long ones.
  ranking: { pageLength: 0.3 },
  bundlePath: new URL("../pagefind/", import.meta.url).pathname,
  translations: { placeholder: "搜索证书、组织、标准、公告", zero_results: "没有找到与“[SEARCH_TERM]”相关的结果" },
  processTerm(term) {
    return term.trim();
  },
});

// Pagefind names its input only by a title, which screen readers may skip: give it a label.
document.querySelector("#xcert-search .pagefind-ui__search-input")?.setAttribute("aria-label", "搜索证书、组织、标准、公告");

const query = new URLSearchParams(window.location.search).get("q");
if (query) {
  ui.triggerSearch(query);
}

export { ui };
