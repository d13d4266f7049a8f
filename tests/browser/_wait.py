"""Waiting in the browser tests: for a condition, polled from Python, with a deadline.

The site's Content-Security-Policy (script-src 'self') forbids eval, and Playwright's
`wait_for_function` evaluates a string predicate with eval once it is not true at the first try:
it then fails with an EvalError, only when the page is slow. Here the predicate is a JavaScript
function sent with `page.evaluate` (a protocol call, which the policy does not govern), asked
again until it returns something truthy or the deadline passes. No quiet periods, no fixed sleeps:
a busy machine only makes the wait longer.
"""

from __future__ import annotations

import time
from typing import Any

POLL_MS = 50


def wait_until(
    page,
    predicate: str,
    arg: Any = None,  # type: ignore[no-untyped-def]
    timeout: float = 20.0,
    what: str = "",
) -> Any:
    """Ask `predicate` (a JS function of `arg`) until it returns a truthy value; return it."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(predicate, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout}s waiting for {what or predicate}: {value!r}"
            )
        page.wait_for_timeout(POLL_MS)
