"""The province's model "Nâng cao kỹ năng điều hành, quản lý của bí thư chi đoàn ấp, khóm": three skill
groups, eleven criteria. Proper Vietnamese text: this is the framework's content, not interface text."""

DEFAULT_NAME = "Bộ tiêu chí kỹ năng bí thư chi đoàn ấp, khóm {year}"

DEFAULT_GROUPS = [
    (
        "Kỹ năng điều hành, quản lý",
        [
            ("Điều hành sinh hoạt chi đoàn", "Chuẩn bị, chủ trì và điều hành buổi sinh hoạt chi đoàn."),
            (
                "Điều hành Ban Chấp hành, phân công nhiệm vụ",
                "Điều hành hoạt động của Ban Chấp hành chi đoàn và phân công nhiệm vụ cho các ủy viên.",
            ),
            (
                "Quản lý công việc và tư tưởng cán bộ chi đoàn",
                "Theo dõi, đôn đốc công việc và nắm bắt tư tưởng của cán bộ chi đoàn.",
            ),
            (
                "Quản lý hồ sơ đoàn viên, sổ chi đoàn, văn bản",
                "Quản lý hồ sơ đoàn viên, sổ chi đoàn và các văn bản của chi đoàn.",
            ),
        ],
    ),
    (
        "Kỹ năng tổ chức hoạt động",
        [
            (
                "Thiết kế chương trình, phát động phong trào",
                "Thiết kế chương trình hoạt động, chiến dịch và phát động phong trào.",
            ),
            ("Tổ chức nghi thức Đoàn", "Tổ chức lễ kết nạp đoàn viên, lễ trưởng thành, đại hội, hội nghị."),
            (
                "Phân công đoàn viên thực hiện nhiệm vụ",
                "Giao việc và phân công đoàn viên thực hiện nhiệm vụ.",
            ),
            (
                "Quản trò, hát, múa, sinh hoạt tập thể",
                "Dẫn trò chơi, bài hát, điệu múa và hoạt động tập thể.",
            ),
        ],
    ),
    (
        "Kỹ năng ứng xử, xử lý các mối quan hệ",
        [
            ("Xử lý tình huống trong công tác Đoàn", "Xử lý các tình huống phát sinh trong công tác Đoàn."),
            (
                "Giải quyết mâu thuẫn cá nhân của đoàn viên, thanh niên",
                "Giải quyết các mâu thuẫn cá nhân của đoàn viên, thanh niên.",
            ),
            (
                "Xác định vị trí chi đoàn trong các mối quan hệ",
                "Với Đoàn cấp trên, chi bộ, ban nhân dân ấp/khóm và các đoàn thể khác.",
            ),
        ],
    ),
]
