"""The accessibility check itself must be able to fail."""


def test_axe_reports_a_missing_label_and_alt_text(browser, axe):
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><title>t</title><main><img src="x.png"><input type="text"></main></html>'
    )
    axe.check(page)
    found = " ".join(axe.violations)
    assert "image-alt" in found
    assert "label" in found
    page.close()
