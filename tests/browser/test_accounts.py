"""Signing up with an address for reminders, and changing it, in Chromium."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_with_an_address_then_remove_it_on_the_account_page(live_server, page):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("sam")
    email = page.get_by_label("Email address for reminders")
    email.fill("not an address")
    page.locator("#id_password1").fill("a-long-pass-9821")
    page.locator("#id_password2").fill("a-long-pass-9821")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("That is not an email address")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("sam")
    expect(email).to_have_value("not an address")

    email.fill("sam@example.org")
    page.locator("#id_password1").fill("a-long-pass-9821")
    page.locator("#id_password2").fill("a-long-pass-9821")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/account/")
    section = page.get_by_test_id("reminder-email")
    expect(section).to_contain_text("a reminder is emailed to sam@example.org")
    section.get_by_label("Email address for reminders").fill("")
    section.get_by_role("button", name="Save the address").click()
    expect(page.get_by_test_id("reminder-email")).to_contain_text(
        "reminders to look back on a decision appear on your dashboard only"
    )
    assert get_user_model().objects.get(username="sam").email == ""
