"""Demo data says so where users see it: pages that list demo rows carry the demo
notice while the demo is loaded, and not otherwise."""

import pytest

from territories.registry.demo import DEMO_NOTICE, load_demo

pytestmark = pytest.mark.django_db

PAGES = ["/centres/", "/events/", "/events/?view=list"]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_of_demo_rows_says_they_are_illustrative(client, page):
    assert DEMO_NOTICE["ru"] not in client.get(page).content.decode()
    load_demo()
    shown = client.get(page, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert DEMO_NOTICE["ru"] in shown
