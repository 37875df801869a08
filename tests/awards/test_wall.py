"""The public honour wall (awards/wall.py): open without logging in, only published and not revoked
commendations, the portrait only with the person's consent, no other personal data, the cache following
revocations and consent, and a fixed number of queries."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from awards import services
from secretaries.choices import PublicConsent
from tests.awards.test_commendations import commend

pytestmark = pytest.mark.usefixtures("world_once")

D = datetime.date


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def year_url(campaign):
    return reverse("wall:year", args=[campaign.province_id, campaign.year])


def consent(person, answer=PublicConsent.GIVEN):
    person.public_consent = answer
    person.public_consent_on = D(2026, 1, 5) if answer else None
    person.save()


def portrait_srcs(html: str) -> list[str]:
    return re.findall(r'src="(/guong-bi-thu/anh/\d+/)"', html)


class TestIndex:
    def test_open_without_login_and_lists_published_years(self, client, world):
        response = client.get(reverse("wall:index"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Gương bí thư chi đoàn tiêu biểu" in html
        assert year_url(world["decided_campaign"]) in html
        # This year's open campaign and next year's draft publish nothing.
        assert f"/{world['campaign'].year}/" not in html

    def test_linked_from_the_login_page(self, client, world):
        html = client.get(reverse("login")).content.decode()
        assert reverse("wall:index") in html

    def test_the_wall_opens_no_other_page(self, client, world):
        assert client.get(reverse("home")).status_code == 302
        assert client.get(reverse("awards:campaign_list")).status_code == 302
        commendation = world["tieu_can_commendation"]
        response = client.get(reverse("awards:commendation_portrait", args=[commendation.pk]))
        assert response.status_code == 302


class TestYear:
    def test_the_commendations_as_recorded(self, client, world):
        response = client.get(year_url(world["decided_campaign"]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Nguyễn Văn Tèo" in html and "Lê Thị Hồng Nhung" in html
        assert "Bí thư Chi đoàn ấp Cây Gòn, xã Hiếu Tử, huyện Tiểu Cần" in html  # as the certificate
        assert "tổ chức tốt các phong trào của chi đoàn" in html
        assert "125/QĐ-TĐTN" in html and "20/11/2020" in html

    def test_no_other_personal_data(self, client, world):
        person = world["tieu_can_person"]
        consent(person)
        html = client.get(year_url(world["decided_campaign"])).content.decode()
        assert "0912" not in html and "345 678" not in html
        assert person.date_of_birth.strftime("%d/%m/%Y") not in html
        assert str(person.date_of_birth.year) not in html
        for word in ("Dân tộc", "Tôn giáo", "Đảng viên", "Kinh", "Điện thoại", "Ngày sinh"):
            assert word not in html
        # Nor a link to a staff page or the stored file.
        assert "/media/" not in html and "/portraits/" not in html
        assert person.get_absolute_url() not in html

    def test_unknown_province_or_year_is_404(self, client, world):
        campaign = world["decided_campaign"]
        assert client.get(reverse("wall:year", args=[campaign.province_id, 2019])).status_code == 404
        assert client.get(reverse("wall:year", args=[999999, 2020])).status_code == 404
        # An open campaign has no commendation yet.
        assert client.get(year_url(world["campaign"])).status_code == 404

    def test_a_revoked_commendation_disappears_at_once(self, client, world, tra_vinh_staff):
        url = year_url(world["decided_campaign"])
        assert "Nguyễn Văn Tèo" in client.get(url).content.decode()  # now cached
        services.commendation_revoke(
            commendation=world["tieu_can_commendation"],
            revoked_on=D(2021, 3, 1),
            reason="Kê khai thành tích không đúng sự thật.",
            user=tra_vinh_staff,
        )
        html = client.get(url).content.decode()
        assert "Nguyễn Văn Tèo" not in html
        assert "Lê Thị Hồng Nhung" in html

    def test_every_commendation_revoked_is_404_and_off_the_index(self, client, world, tra_vinh_staff):
        client.get(reverse("wall:index"))
        for key in ("tieu_can_commendation", "cang_long_commendation"):
            services.commendation_revoke(
                commendation=world[key], revoked_on=D(2021, 3, 1), reason="Sai sự thật.", user=tra_vinh_staff
            )
        assert client.get(year_url(world["decided_campaign"])).status_code == 404
        assert year_url(world["decided_campaign"]) not in client.get(reverse("wall:index")).content.decode()

    def test_a_corrected_decision_shows_at_once(self, client, world, tra_vinh_staff):
        url = year_url(world["decided_campaign"])
        client.get(url)
        services.decision_correct(
            campaign=world["decided_campaign"],
            decision_number="126/QĐ-TĐTN",
            decision_date=D(2020, 11, 20),
            reason="Sai số quyết định.",
            user=tra_vinh_staff,
        )
        assert "126/QĐ-TĐTN" in client.get(url).content.decode()


class TestPortrait:
    def test_no_portrait_without_consent(self, client, world):
        commendation = world["tieu_can_commendation"]  # Tèo has a portrait, consent not asked
        html = client.get(year_url(world["decided_campaign"])).content.decode()
        assert portrait_srcs(html) == []
        assert client.get(reverse("wall:portrait", args=[commendation.pk])).status_code == 404
        consent(world["tieu_can_person"], PublicConsent.REFUSED)
        assert client.get(reverse("wall:portrait", args=[commendation.pk])).status_code == 404

    def test_portrait_with_consent_and_cache_follows_consent(self, client, world):
        commendation = world["tieu_can_commendation"]
        url = year_url(world["decided_campaign"])
        client.get(url)  # cached without the portrait
        consent(world["tieu_can_person"])
        html = client.get(url).content.decode()
        assert portrait_srcs(html) == [reverse("wall:portrait", args=[commendation.pk])]
        response = client.get(reverse("wall:portrait", args=[commendation.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
        # Withdrawn: gone from the page and from the portrait's address.
        consent(world["tieu_can_person"], PublicConsent.REFUSED)
        assert portrait_srcs(client.get(url).content.decode()) == []
        assert client.get(reverse("wall:portrait", args=[commendation.pk])).status_code == 404

    def test_consent_without_a_portrait_shows_none(self, client, world):
        consent(world["cang_long_person"])
        commendation = world["cang_long_commendation"]
        assert portrait_srcs(client.get(year_url(world["decided_campaign"])).content.decode()) == []
        assert client.get(reverse("wall:portrait", args=[commendation.pk])).status_code == 404

    def test_no_portrait_of_a_revoked_commendation(self, client, world, tra_vinh_staff):
        consent(world["tieu_can_person"])
        commendation = world["tieu_can_commendation"]
        services.commendation_revoke(
            commendation=commendation, revoked_on=D(2021, 3, 1), reason="Sai sự thật.", user=tra_vinh_staff
        )
        assert client.get(reverse("wall:portrait", args=[commendation.pk])).status_code == 404


class TestQueries:
    def test_fixed_query_count_and_one_query_when_cached(self, client, world, tieu_can, count_queries):
        campaign = world["decided_campaign"]
        url = year_url(campaign)
        with count_queries() as small:
            assert client.get(url).status_code == 200
        with count_queries() as cached:
            assert client.get(url).status_code == 200
        assert len(cached) == 1
        for index in range(4):
            commend(campaign, tieu_can, name=f"Trần Văn Số {index}")
        with count_queries() as large:
            assert client.get(url).status_code == 200
        assert len(large) == len(small) <= 4
        assert "Trần Văn Số 3" in client.get(url).content.decode()

    def test_index_query_count(self, client, world, tieu_can, count_queries):
        with count_queries() as small:
            assert client.get(reverse("wall:index")).status_code == 200
        with count_queries() as cached:
            assert client.get(reverse("wall:index")).status_code == 200
        assert len(cached) == 1
        commend(world["decided_campaign"], tieu_can, name="Trần Văn Mới")
        with count_queries() as large:
            response = client.get(reverse("wall:index"))
        assert len(large) == len(small) <= 2
        assert ">3<" in re.sub(r"\s+", "", response.content.decode()).replace('rounded-pill">', ">")
