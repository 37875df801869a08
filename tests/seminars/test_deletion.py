"""Deleting a seminar, a model or solution, or a programme recorded by mistake (QA): "Xóa" on its page, a
page saying what goes with it, then the deletion on POST, a message and the list. Whoever may edit it may
delete it, loaded through the same scope (outside it: 404, tests/seminars/scope_cases_*.py); the history
keeps a deletion row; a programme that still has seminars or models is not deleted, and says why."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from seminars.models import Attendance, Initiative, Photo, Programme, Proposal, Seminar

pytestmark = pytest.mark.usefixtures("world_once")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def text(response) -> str:
    return " ".join(response.content.decode().split())


class TestSeminar:
    def test_the_page_says_what_goes_with_it_then_it_is_deleted(
        self, client, tieu_can_officer, world, django_capture_on_commit_callbacks
    ):
        seminar = world["tieu_can_seminar"]
        photo = world["tieu_can_photo"]
        storage, names = photo.image.storage, [photo.image.name, photo.thumbnail.name]
        initiative = world["tieu_can_initiative"]
        initiative.seminars.add(seminar)
        proposal = seminar.proposals.get()
        person = world["tieu_can_person"]
        assert Attendance.objects.filter(year=2021, person=person).exists()
        client.force_login(tieu_can_officer)
        url = reverse("seminars:seminar_delete", args=[seminar.pk])
        assert f'href="{url}"' in client.get(seminar.get_absolute_url()).content.decode()  # "Xóa"

        page = text(client.get(url))
        assert "Xóa tọa đàm này?" in page and "Nâng cao chất lượng Bí thư Chi đoàn" in page
        assert "1 bí thư chi đoàn tham dự" in page and "1 ảnh" in page
        assert "1 nội dung thảo luận" in page and "Vai trò của bí thư chi đoàn" in page
        assert "1 đề xuất giải pháp" in page and "Tập huấn kỹ năng điều hành" in page
        assert "1 mô hình, giải pháp có liên kết" in page
        assert Seminar.objects.filter(pk=seminar.pk).exists()  # asking changes nothing

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        assert response.status_code == 302 and response["Location"] == reverse("seminars:seminar_list")
        assert messages_of(response) == ["Đã xóa tọa đàm “Nâng cao chất lượng Bí thư Chi đoàn”."]
        assert not Seminar.objects.filter(pk=seminar.pk).exists()
        assert not Proposal.objects.filter(pk=proposal.pk).exists()
        assert not Photo.objects.filter(pk=photo.pk).exists()
        assert not any(storage.exists(name) for name in names)
        # The attendance of that year is recomputed; the model stays, without the seminar.
        assert not Attendance.objects.filter(year=2021, person=person).exists()
        assert Initiative.objects.filter(pk=initiative.pk).exists() and not initiative.seminars.exists()
        # The history keeps it, and its proposal.
        assert Seminar.history.filter(id=seminar.pk, history_type="-").exists()
        assert Proposal.history.filter(id=proposal.pk, history_type="-").exists()

    def test_another_district_neither_sees_nor_deletes_it(self, client, cang_long_officer, world):
        seminar = world["tieu_can_seminar"]
        client.force_login(cang_long_officer)
        url = reverse("seminars:seminar_delete", args=[seminar.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        assert Seminar.objects.filter(pk=seminar.pk).exists()


class TestInitiative:
    def test_it_is_deleted_and_its_links_with_it(self, client, tieu_can_officer, world):
        initiative = world["tieu_can_initiative"]
        seminar = world["tieu_can_seminar"]
        initiative.seminars.add(seminar)
        initiative.branches.add(world["tieu_can"])
        client.force_login(tieu_can_officer)
        url = reverse("seminars:initiative_delete", args=[initiative.pk])
        assert f'href="{url}"' in client.get(initiative.get_absolute_url()).content.decode()
        page = text(client.get(url))
        assert "Xóa mô hình, giải pháp này?" in page
        assert "1 chi đoàn áp dụng" in page and "1 tọa đàm liên quan" in page
        response = client.post(url)
        assert response.status_code == 302 and response["Location"] == reverse("seminars:initiative_list")
        assert messages_of(response) == ["Đã xóa mô hình, giải pháp “Nâng cao kỹ năng điều hành, quản lý”."]
        assert not Initiative.objects.filter(pk=initiative.pk).exists()
        assert Seminar.objects.filter(pk=seminar.pk).exists()
        assert Initiative.history.filter(id=initiative.pk, history_type="-").exists()

    def test_another_district_gets_404(self, client, cang_long_officer, world):
        initiative = world["tieu_can_initiative"]
        client.force_login(cang_long_officer)
        assert client.post(reverse("seminars:initiative_delete", args=[initiative.pk])).status_code == 404
        assert Initiative.objects.filter(pk=initiative.pk).exists()


class TestProgramme:
    @pytest.fixture
    def programme(self, world):
        district = world["tieu_can"].commune.district
        return Programme.objects.create(
            province=district.province, district=district, name="Chương trình ghi nhầm", from_year=2021
        )

    def test_an_unused_programme_is_deleted(self, client, tieu_can_officer, programme):
        client.force_login(tieu_can_officer)
        url = reverse("seminars:programme_delete", args=[programme.pk])
        assert f'href="{url}"' in client.get(programme.get_absolute_url()).content.decode()
        assert "Không có tọa đàm hay mô hình, giải pháp nào thuộc chương trình này." in text(client.get(url))
        response = client.post(url)
        assert response.status_code == 302 and response["Location"] == reverse("seminars:programme_list")
        assert messages_of(response) == ["Đã xóa chương trình “Chương trình ghi nhầm”."]
        assert not Programme.objects.filter(pk=programme.pk).exists()
        assert Programme.history.filter(id=programme.pk, history_type="-").exists()

    def test_one_with_seminars_or_models_says_why_and_links_them(
        self, client, tieu_can_officer, world, programme
    ):
        seminar = world["tieu_can_seminar"]
        Seminar.objects.filter(pk=seminar.pk).update(programme=programme)
        Initiative.objects.filter(pk=world["tieu_can_initiative"].pk).update(programme=programme)
        # Another district's seminar under it: counted, not named, to the Tiểu Cần officer.
        other = world["cang_long_person"].terms.get().branch.commune
        Seminar.objects.create(
            province=other.province,
            district=other.district,
            title="Tọa đàm Càng Long",
            held_on=datetime.date(2021, 8, 1),
            programme=programme,
        )
        client.force_login(tieu_can_officer)
        url = reverse("seminars:programme_delete", args=[programme.pk])
        page = client.get(url)
        html = text(page)
        assert "Chương trình vẫn còn 2 tọa đàm và 1 mô hình, giải pháp" in html
        assert f'href="{seminar.get_absolute_url()}"' in html
        assert f'href="{world["tieu_can_initiative"].get_absolute_url()}"' in html
        assert "1 bản ghi khác của đơn vị ngoài phạm vi" in html and "Tọa đàm Càng Long" not in html
        assert "Xóa chương trình</button>" not in html  # nothing to press
        response = client.post(url)
        assert response.status_code == 302 and response["Location"] == url
        assert messages_of(response)[0].startswith("Chương trình vẫn còn 2 tọa đàm")
        assert Programme.objects.filter(pk=programme.pk).exists()


def breadcrumbs(response) -> list[str]:
    """The breadcrumb trail's items, each as drawn (a link or the current page's name)."""
    trail = response.content.decode().split('<ol class="breadcrumb small">')[1].split("</ol>")[0]
    items = re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', trail, re.S)
    return [" ".join(item.split()) for item in items]


@pytest.mark.parametrize("kind", ["seminar", "initiative", "programme", "photo"])
def test_the_confirmation_pages_have_the_record_in_their_breadcrumbs(client, tieu_can_officer, world, kind):
    """Tổng quan › Tọa đàm › the record (back to its page) › Xóa, as the record's own page draws them."""
    seminar = world["tieu_can_seminar"]
    if kind == "programme":
        district = world["tieu_can"].commune.district
        record = Programme.objects.create(
            province=district.province, district=district, name="Chương trình ghi nhầm", from_year=2021
        )
        name, url, last = record.name, reverse("seminars:programme_delete", args=[record.pk]), "Xóa"
    elif kind == "initiative":
        record = world["tieu_can_initiative"]
        name, url, last = record.name, reverse("seminars:initiative_delete", args=[record.pk]), "Xóa"
    elif kind == "photo":
        record = seminar
        name, url, last = (
            seminar.title,
            reverse("seminars:photo_delete", args=[world["tieu_can_photo"].pk]),
            "Xóa ảnh",
        )
    else:
        record = seminar
        name, url, last = seminar.title, reverse("seminars:seminar_delete", args=[seminar.pk]), "Xóa"
    client.force_login(tieu_can_officer)
    assert breadcrumbs(client.get(url)) == [
        f'<a href="{reverse("home")}">Tổng quan</a>',
        f'<a href="{reverse("seminars:seminar_list")}">Tọa đàm</a>',
        f'<a href="{record.get_absolute_url()}">{name}</a>',
        last,
    ]
