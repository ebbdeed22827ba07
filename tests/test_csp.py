"""The site under a Content-Security-Policy: served with the header `tiptoolkit csp` prints (inline scripts allowed
by hash) and with the README's fallback policy, pages load with no CSP violation and search still works."""

from __future__ import annotations

import re

import pytest

from tiptoolkit.csp import policy
from tiptoolkit.dataset import DEFAULT_ROOT

from .site_fixtures import ENGINES, SEARCH, SITES, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]
README = DEFAULT_ROOT.parent / "README.md"


def readme_policies() -> dict[str, str]:
    """Every `Content-Security-Policy: ...` line of the README's hosting section, by its first word after it."""
    text = README.read_text(encoding="utf-8")
    return {f"readme-{i}": line for i, line in enumerate(re.findall(r"^\s*Content-Security-Policy: (.+)$", text, re.M))}


def test_readme_states_a_policy():
    assert readme_policies(), "the README's hosting section gives no Content-Security-Policy line"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("which", ["hashed", "readme"])
def test_site_works_under_the_policy(chromium, request, engine, which):
    site = request.getfixturevalue(SITES[engine])
    if which == "hashed":
        header = policy(site)
    else:
        candidates = [value for value in readme_policies().values() if "sha256-" not in value]
        assert candidates, "no hash-free policy in the README"
        header = candidates[0]
    with serve(site, {"Content-Security-Policy": header}) as url:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation', "
            "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))"
        )
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        try:
            for path in ("", "countries/npl/", "compare/coverage/", "instruments/tip-protocol/"):
                page.goto(url + path)
                page.wait_for_load_state("networkidle")
                assert page.evaluate("window.__csp") == [], path
            # The palette toggle and its memory run through the theme's inline scripts and localStorage.
            page.goto(url)
            page.locator("label[for=__palette_1]").first.click()
            page.goto(url + "countries/npl/")
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
            box, results = SEARCH[engine]
            page.goto(url)
            page.locator(box).click()
            page.keyboard.type("non-punishment", delay=20)
            page.locator(results).first.wait_for(timeout=15_000)
            links = page.locator(results).evaluate_all("links => links.map(a => a.href)")
            assert any("victim-protection/non-punishment/" in link for link in links), links
            assert page.evaluate("window.__csp") == []
            csp = [text for text in problems if "Content Security Policy" in text or "Refused to" in text]
            assert csp == [], csp
        finally:
            context.close()
