"""«Quên mật khẩu» (issue 15.2): a Vietnamese e-mail with a link, a few requests an hour per
address and per client, and an honest page where the portal sends no mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from assignments.models import AccountSettings, PasswordResetRequest
from learningcity.email_url import CONSOLE, SMTP, email_settings

pytestmark = pytest.mark.django_db
ADDRESS = "vanphong@haiphong.edu.vn"


@pytest.fixture
def mail_on(settings, personas):
    settings.EMAIL_CONFIGURED = True
    personas["division"].email = ADDRESS
    personas["division"].save()
    return personas["division"]


def ask(client, address=ADDRESS, client_ip="10.1.1.1"):
    return client.post(reverse("password_reset"), {"email": address}, REMOTE_ADDR=client_ip)


def test_the_login_page_offers_a_forgotten_password(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}">Quên mật khẩu?</a>' in html


def test_a_reset_sends_a_vietnamese_link_that_ends_a_temporary_password(client, mail_on):
    AccountSettings.objects.create(user=mail_on, must_change_password=True)
    assert ask(client)["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    assert message.subject == "Mật khẩu mới cho Cổng thành phố học tập Hải Phòng"
    assert "Tên đăng nhập: vanphong" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    new = "Mat-khau-rieng-2026"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Đã đổi mật khẩu." in done.content.decode()
    mail_on.refresh_from_db()
    assert mail_on.check_password(new)
    assert not AccountSettings.objects.get(user=mail_on).must_change_password


def test_an_address_gets_three_requests_an_hour(client, mail_on):
    for _ in range(3):
        assert ask(client).status_code == 302
    refused = ask(client)
    assert refused.status_code == 200
    assert "Đã yêu cầu quá nhiều lần" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_a_client_gets_ten_requests_an_hour_whatever_the_address(client, mail_on):
    for number in range(10):
        assert ask(client, f"nguoi{number}@example.com").status_code == 302
    assert ask(client).status_code == 200  # an address never asked for, from the same client
    assert not mail.outbox  # none of the ten belongs to an account, the eleventh is refused
    assert ask(client, client_ip="10.9.9.9").status_code == 302  # another client may
    assert len(mail.outbox) == 1


def test_without_mail_the_page_says_to_ask_the_administrator(client, personas, settings):
    settings.EMAIL_CONFIGURED = False
    page = client.get(reverse("password_reset")).content.decode()
    assert "Cổng thông tin này không gửi thư điện tử" in page
    assert 'name="email"' not in page
    ask(client)
    assert not mail.outbox
    assert not PasswordResetRequest.objects.exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", {"EMAIL_BACKEND": CONSOLE}),
        ("console://", {"EMAIL_BACKEND": CONSOLE}),
        (
            "smtp+tls://so%40haiphong.edu.vn:m%C3%A2t%2Fkhau@mail.haiphong.edu.vn",
            {
                "EMAIL_BACKEND": SMTP,
                "EMAIL_HOST": "mail.haiphong.edu.vn",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "so@haiphong.edu.vn",
                "EMAIL_HOST_PASSWORD": "mât/khau",
                "EMAIL_TIMEOUT": 10,
                "EMAIL_USE_TLS": True,
            },
        ),
        (
            "smtps://mail.example.org:2465",
            {
                "EMAIL_BACKEND": SMTP,
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": 2465,
                "EMAIL_HOST_USER": "",
                "EMAIL_HOST_PASSWORD": "",
                "EMAIL_TIMEOUT": 10,
                "EMAIL_USE_SSL": True,
            },
        ),
    ],
)
def test_email_url_names_the_mail_settings(url, expected):
    assert email_settings(url) == expected


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "gmail"])
def test_an_email_url_it_cannot_read_is_refused(url):
    with pytest.raises(ValueError, match="EMAIL_URL must be"):
        email_settings(url)
