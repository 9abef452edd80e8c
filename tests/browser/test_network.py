import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network_data():
    from tests.factories import make_area
    from tests.network.factories import make_cooperation, make_partner

    south = make_area("Südstadt")
    north = make_area("Nordstadt")
    family = make_partner("Familienzentrum", kind="social", areas=[south])
    sport = make_partner("Sportverein", areas=[south])
    make_partner("Heimatverein Nord", areas=[north])
    make_cooperation(family, sport, title="Hausaufgabenhilfe")
    return {"south": south, "family": family}


def test_directory_filter_works_without_javascript(browser, live_server, network_data, axe_check):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/netzwerk/")
        assert page.get_by_role("link", name="Heimatverein Nord").count() == 1
        page.locator("#id_kind").select_option("social")
        page.get_by_role("button", name="Filtern").click()
        page.wait_for_url("**kind=social**")
        assert page.get_by_role("link", name="Familienzentrum").count() == 1
        assert page.get_by_role("link", name="Heimatverein Nord").count() == 0
    finally:
        context.close()


def test_directory_is_accessible(page, live_server, network_data, axe_check):
    page.goto(live_server.url + "/netzwerk/")
    assert page.get_by_role("heading", name="Das Quartiersteam").is_visible()
    axe_check(page)
    assert page.foreign_requests == []


def test_picture_nodes_are_links_and_page_is_accessible(page, live_server, network_data, axe_check):
    page.goto(live_server.url + "/quartiere/sudstadt/netzwerk/")
    nodes = page.locator("svg a.np-node")
    assert nodes.count() == 2
    axe_check(page)
    page.locator('svg a.np-node[aria-label*="Familienzentrum"]').click()
    page.wait_for_url("**/netzwerk/familienzentrum/")
    assert page.get_by_role("heading", name="Familienzentrum", level=1).is_visible()
    axe_check(page)


def test_join_request_form_is_accessible(page, live_server, axe_check):
    page.goto(live_server.url + "/netzwerk/mitmachen/")
    axe_check(page)
    page.get_by_role("button", name="Anfrage senden").click()
    assert page.locator(".form-error-summary").is_visible()
    axe_check(page)
