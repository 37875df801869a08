"""Official lists a secretary's profile chooses from."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Vietnam's 54 ethnic groups with the General Statistics Office codes (Danh mục các dân tộc Việt Nam).
# Names are proper nouns and stay Vietnamese in every interface language.
# fmt: off
ETHNICITIES = [
    ("01", "Kinh"), ("02", "Tày"), ("03", "Thái"), ("04", "Hoa"), ("05", "Khmer"), ("06", "Mường"),
    ("07", "Nùng"), ("08", "Mông"), ("09", "Dao"), ("10", "Gia-rai"), ("11", "Ngái"), ("12", "Ê-đê"),
    ("13", "Ba-na"), ("14", "Xơ-đăng"), ("15", "Sán Chay"), ("16", "Cơ-ho"), ("17", "Chăm"),
    ("18", "Sán Dìu"), ("19", "Hrê"), ("20", "Mnông"), ("21", "Ra-glai"), ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"), ("24", "Thổ"), ("25", "Giáy"), ("26", "Cơ-tu"), ("27", "Gié-Triêng"),
    ("28", "Mạ"), ("29", "Khơ-mú"), ("30", "Co"), ("31", "Tà-ôi"), ("32", "Chơ-ro"), ("33", "Kháng"),
    ("34", "Xinh-mun"), ("35", "Hà Nhì"), ("36", "Chu-ru"), ("37", "Lào"), ("38", "La Chí"),
    ("39", "La Ha"), ("40", "Phù Lá"), ("41", "La Hủ"), ("42", "Lự"), ("43", "Lô Lô"), ("44", "Chứt"),
    ("45", "Mảng"), ("46", "Pà Thẻn"), ("47", "Cờ Lao"), ("48", "Cống"), ("49", "Bố Y"), ("50", "Si La"),
    ("51", "Pu Péo"), ("52", "Brâu"), ("53", "Ơ-đu"), ("54", "Rơ-măm"),
]
# fmt: on
KINH, KHMER = "01", "05"


class PublicConsent(models.TextChoices):
    """A person's answer about showing their portrait and achievements publicly (the honour wall)."""

    NOT_ASKED = "", _("Not asked")
    GIVEN = "given", _("Agreed")
    REFUSED = "refused", _("Refused")


class Gender(models.TextChoices):
    MALE = "nam", _("Male")
    FEMALE = "nu", _("Female")


class Religion(models.TextChoices):
    NONE = "khong", _("None")
    BUDDHISM = "phat_giao", _("Buddhism")
    CATHOLICISM = "cong_giao", _("Catholicism")
    PROTESTANTISM = "tin_lanh", _("Protestantism")
    CAO_DAI = "cao_dai", _("Cao Đài")
    HOA_HAO = "hoa_hao", _("Hòa Hảo Buddhism")
    ISLAM = "hoi_giao", _("Islam")
    OTHER = "khac", _("Other")


class EducationLevel(models.TextChoices):
    PRIMARY = "tieu_hoc", _("Primary school")
    LOWER_SECONDARY = "thcs", _("Lower secondary (grade 9)")
    UPPER_SECONDARY = "thpt", _("Upper secondary (grade 12)")
    VOCATIONAL = "trung_cap", _("Vocational (trung cấp)")
    COLLEGE = "cao_dang", _("College")
    UNIVERSITY = "dai_hoc", _("University")
    POSTGRADUATE = "sau_dai_hoc", _("Postgraduate")


class TheoryLevel(models.TextChoices):
    NONE = "chua_co", _("None yet")
    ELEMENTARY = "so_cap", _("Elementary (sơ cấp)")
    INTERMEDIATE = "trung_cap", _("Intermediate (trung cấp)")
    ADVANCED = "cao_cap", _("Advanced (cao cấp)")


class AgeBand(models.TextChoices):
    UNDER_25 = "lt25", _("Under 25")
    FROM_25_TO_30 = "25-30", _("25–30")
    FROM_31_TO_35 = "31-35", _("31–35")
    OVER_35 = "gt35", _("Over 35")
