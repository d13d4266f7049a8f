"""The search page's own words in the site's Chinese: the count quotes the query (Pagefind's
strings put spaces around it) and each result's 类型 tag uses the Chinese colon."""

from __future__ import annotations

import pytest
from _wait import wait_until
from test_search import UI, open_search

pytestmark = pytest.mark.browser

_WORDS_JS = """(ui) => {
  const root = document.querySelector(ui);
  const msg = root?.querySelector('.pagefind-ui__message')?.textContent.trim() ?? '';
  const tags = [...root.querySelectorAll('.pagefind-ui__result-tag')]
    .map((t) => t.textContent.trim());
  return msg.startsWith('找到') && tags.length ? [msg, tags] : null;
}"""


def test_the_result_count_and_tags_read_as_chinese(page, site_url):  # type: ignore[no-untyped-def]
    open_search(page, site_url, "华为")
    message, tags = wait_until(page, _WORDS_JS, UI, what="the count and the result tags")
    assert message.startswith("找到 ") and message.endswith("个与“华为”相关的结果"), message
    assert all(t.startswith("类型：") and ":" not in t for t in tags), tags
