"""Two-factor set-up in a real browser: the QR code shows, nothing breaks the policy."""

import pytest
from django.contrib.auth.models import Group, User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_a_chief_sets_up_an_authenticator_by_qr_code_and_keeps_the_recovery_codes(
    page, live_server, settings
):
    settings.REQUIRE_2FA_FOR_CHIEFS = True
    chief = User.objects.create_user("chief", password="chief-pass-for-tests-1")
    chief.groups.add(Group.objects.get(name="Chief Editors"))
    page.add_init_script(LISTEN)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "chief-pass-for-tests-1")
    page.click("input[type=submit]")

    page.wait_for_url(f"{live_server.url}/admin/two-factor/")
    qr = page.locator(".desk-qr-code svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 120 and box["width"] == box["height"]
    assert page.evaluate("window.__violations") == []

    device = TOTPDevice.objects.get(user=chief, confirmed=False)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("#id_otp_token", f"{code:06d}")
    page.click("input[type=submit].default")

    codes = page.locator(".desk-recovery-codes li")
    expect(codes).to_have_count(10)
    page.get_by_role("link", name="I have kept them: go to the desk").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    assert page.evaluate("window.__violations") == []
