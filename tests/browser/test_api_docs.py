from playwright.sync_api import expect

from .conftest import live_db


@live_db
def test_api_documentation_renders_under_the_content_security_policy(live_server, page):
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Portail Famille API")
    assert blocked == []
