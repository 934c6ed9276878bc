"""checker/ocr/cleanup.py: the screen around a message is dropped, the message is kept and rejoined."""

from checker.ocr.cleanup import Line, Reading, dropped, message_text

W, H = 720, 1560


def line(text, x0, y0, x1, y1, score=1.0):
    return Line(text, (x0, y0, x1, y1), score)


# What OCR returns for tests/screenshots.chat(): boxes as measured on that image.
CHAT = Reading(
    W,
    H,
    (
        line("9:41", 22, 12, 78, 44),
        line("中国移动 5G", 116, 13, 255, 43),
        line("87%", 579, 14, 636, 42),
        line("-.1", 515, 24, 568, 41, 0.62),
        line("<", 22, 84, 47, 109, 0.76),
        line("李姐", 321, 76, 399, 120),
        line("昨天下午3:25", 288, 178, 431, 208),
        line("兼职招聘：在家拍一张手持身份", 139, 253, 563, 289),
        line("证正反面的照片，审核通过就给", 138, 292, 564, 331),
        line("200元。", 136, 332, 238, 372),
        line("真的吗？要怎么弄", 334, 440, 581, 478),
        line("按住说话", 265, 1474, 393, 1511),
        line("发送", 609, 1471, 678, 1512),
    ),
)


def test_a_chat_keeps_only_the_messages_one_line_per_bubble():
    assert message_text(CHAT) == "兼职招聘：在家拍一张手持身份证正反面的照片，审核通过就给200元。\n真的吗？要怎么弄"


def test_it_says_why_each_line_was_dropped():
    reasons = {item.text: why for item, why in dropped(CHAT)}
    assert reasons == {
        "9:41": "status bar",
        "中国移动 5G": "status bar",
        "87%": "status bar",
        "-.1": "status bar",
        "<": "icon",
        "李姐": "contact name",
        "昨天下午3:25": "time stamp",
        "按住说话": "button",
        "发送": "button",
    }


def test_a_poster_headline_at_the_top_is_kept_when_there_is_no_status_bar():
    poster = Reading(720, 1100, (line("扫码领鸡蛋", 193, 49, 523, 123), line("免费领取保温杯", 237, 178, 483, 220)))
    assert message_text(poster) == "扫码领鸡蛋\n免费领取保温杯"


def test_time_stamps_in_their_usual_forms_are_dropped():
    stamps = ["今天 10:15", "星期二 下午3:05", "2024年3月5日 14:02", "3月5日", "9:41 AM", "周五 9:30"]
    reading = Reading(W, H, tuple(line(text, 250, 300 + 60 * i, 470, 330 + 60 * i) for i, text in enumerate(stamps)))
    assert message_text(reading) == ""


def test_a_message_with_a_time_in_it_is_kept():
    reading = Reading(W, H, (line("明天10:00到楼下拿身份证", 130, 400, 560, 440),))
    assert message_text(reading) == "明天10:00到楼下拿身份证"


def test_latin_words_broken_over_two_lines_get_their_space_back():
    reading = Reading(W, H, (line("download the", 130, 400, 560, 440), line("app now", 130, 444, 300, 484)))
    assert message_text(reading) == "download the app now"
