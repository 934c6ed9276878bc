"""Rule tests per pattern: sentences that must fire, and lawful look-alikes that must not."""

import shutil
from functools import lru_cache
from pathlib import Path

import pytest
from django.conf import settings

from checker.analysis.contentfile import ContentError
from checker.analysis.normalize import normalize
from checker.analysis.rules import CODE_CUES, load_rules, match_all

SCHEMAS = Path(settings.CHECKER_CONTENT_DIR) / "schema"


@lru_cache(maxsize=1)
def rules():
    return load_rules().rules


def fired(text: str, level: str = "high") -> set[str]:
    return {h.pattern for h in match_all(rules(), normalize(text).text) if h.level == level}


POSITIVES = [
    ("id-photo-collection", "中介说拿着身份证拍一张自拍发过去，就能领80块"),
    ("id-photo-collection", "兼职要交四件套，手持白纸和手持报纸都要拍"),
    ("paid-account-registration", "学姐介绍的兼职，帮忙注册几个软件并实名，一个给30元"),
    ("paid-account-registration", "地推小哥说注册一个账号刷脸认证就返现20"),
    ("verification-code-request", "自称快递客服的人让我把手机收到的验证码念给他"),
    ("verification-code-request", "手机店店员拿走我的手机，说帮我下载几个软件领礼品"),
    ("verification-code-request", "店员说帮我妈领奖品，拿着她手机点了半天还翻了短信"),
    ("card-account-rental", "有人在群里高价收购银行卡，一张给一千五"),
    ("card-account-rental", "网友让我用自己的支付宝帮他收款再转出去，说是走流水"),
    ("card-account-rental", "新工作要我去银行办张卡，连同U盾和手机卡交给公司财务保管"),
    ("card-account-rental", "收四件套：银行卡、U盾、手机卡、身份证复印件，一套三千"),
    ("nominee-registration", "老乡让我挂名当公司法人，每个月给我两千"),
    ("nominee-registration", "有人想借我的营业执照去开网店，说给分红"),
    ("face-data-request", "网上有人接单做人脸解封，让我录一段眨眼摇头的视频"),
    ("face-data-request", "帮别人刷脸过一下认证，一次给50块"),
    ("loan-info-harvest", "贷款中介说要先交3000元保证金才能放款"),
    ("loan-info-harvest", "有人说能做征信修复，黑户也能包下款"),
    ("personal-data-trade", "群里有人出售业主信息，一万条只要两百"),
    ("personal-data-trade", "有个人说花500就能查人查开房记录"),
    ("fake-authority", "对方自称公安局民警，说我涉嫌洗钱，要把钱转到安全账户"),
    ("fake-authority", "催收的把我的照片P成遗照发给我亲戚"),
    ("gift-qr-lure", "小区门口扫码免费领鸡蛋，要填身份证号和银行卡号"),
    ("gift-qr-lure", "短信说积分即将清零，点链接登录兑换现金"),
    ("excessive-authorization", "那个借钱的小程序说不授权通讯录就不能借"),
]

NEGATIVES = [
    "在银行柜台办卡，柜员核对了我的身份证原件",
    "坐高铁刷身份证进站",
    "我自己在手机银行转账时输入了收到的验证码",
    "在政务服务中心自己注册了个体户营业执照",
    "超市结账时我用刷脸支付付了35元",
    "去医院挂号用了医保卡",
    "在奶茶店兼职，按小时结工资",
    "派出所民警来社区讲防诈骗知识",
    "地图软件要定位权限才能导航",
    "入职时人事收了身份证复印件，我写了仅供入职使用",
    "朋友急用钱，我用手机银行转了两千给他，他写了借条",
    "每个月用支付宝给房东转房租",
    "去银行网点面签房贷，客户经理核对了我的身份证和收入证明",
    "我在人民银行征信中心官网查了自己的征信报告",
    "在餐厅扫桌上的二维码点餐付款",
    "超市收银员问我要不要办会员卡攒积分",
    "公司法务帮我们在市场监管局官网查了合作方的营业执照",
    "快递员送件时让我报一下取件码",
    "在银行柜台开通网银，柜员把U盾交给我，叮嘱我自己保管好",
]


@pytest.mark.parametrize(("pattern", "text"), POSITIVES)
def test_rules_recognise_the_pattern(pattern, text):
    assert pattern in fired(text)


@pytest.mark.parametrize("text", NEGATIVES)
def test_rules_stay_quiet_on_lawful_use(text):
    assert fired(text) == set()


def test_every_pattern_has_rules():
    from checker.analysis.types import PATTERN_IDS

    assert {r.pattern for r in rules()} == set(PATTERN_IDS)


def test_a_rule_fires_only_when_its_cues_are_close_together():
    near = "有人要我手持身份证拍照"
    far = "我手持一杯奶茶" + "，" * 40 + "后来去补办了身份证"
    assert "id-photo-collection" in fired(near)
    assert "id-photo-collection" not in fired(far)


def test_card_buyers_four_piece_set_is_card_rental_not_id_photos():
    # "四件套" names the hand-held ID photo set, and also a bank card + U盾 + SIM + ID copy bundle.
    assert "id-photo-collection" in fired("兼职要四件套，照片拍清楚")
    assert "id-photo-collection" not in fired("收四件套：银行卡、U盾、手机卡、身份证复印件，一套三千")


def test_id_photos_for_a_loan_fee_are_the_loan_pattern():
    found = fired("贷款中介让我拍身份证照片发过去，还要先交500元手续费")
    assert "loan-info-harvest" in found
    assert "id-photo-collection" not in found


def test_forwarding_money_to_a_named_account_is_not_a_safe_account_by_itself():
    found = fired("兼职用你的收款码帮商家代收货款，钱到账后转到指定账户，每过一万提成150")
    assert "card-account-rental" in found
    assert "fake-authority" not in found


def test_hotel_stay_records_for_sale_are_not_a_hotel_check_in():
    lawful = load_rules().lawful
    assert lawful.search("在酒店入住时前台扫了我的身份证")
    assert not lawful.search("出售户籍信息、酒店入住记录，24小时出结果")


def test_a_sign_up_bonus_for_ones_own_account_is_not_paid_registration():
    assert "paid-account-registration" not in fired("新人注册这个APP立得18元无门槛红包")
    assert "paid-account-registration" in fired("帮忙注册几个APP并实名，一个给30元")


def tiny_content(root: Path, rules: str, cues: str = "") -> Path:
    """A content root with one pattern's rules: the shared schemas, the code's cue groups and ``cues``."""
    shutil.copytree(SCHEMAS, root / "schema")
    code_cues = "".join(f"  {name}: ['{name}']\n" for name in CODE_CUES)
    (root / "cues.yaml").write_text(f"cues:\n  money: ['元']\n{cues}{code_cues}", encoding="utf-8")
    (root / "lawful.yaml").write_text("lawful: ['柜台']\naware: ['提醒']\n", encoding="utf-8")
    folder = root / "patterns" / rules.split("\n", 1)[0].removeprefix("pattern: ").strip()
    folder.mkdir(parents=True)
    (folder / "rules.yaml").write_text(rules, encoding="utf-8")
    return root


def test_a_rule_does_not_fire_when_an_unless_group_occurs(tmp_path):
    root = tiny_content(
        tmp_path,
        "pattern: loan-info-harvest\nrules:\n  - name: x\n    all: [money, ['照片']]\n    level: high\n"
        "    unless: [['贷款', '借钱']]\n",
    )
    loaded = load_rules(root).rules
    assert [h.rule for h in match_all(loaded, "照片一张给50元")] == ["x"]
    assert match_all(loaded, "贷款要照片，还要50元") == []


def test_a_bad_level_is_reported_with_the_file_and_field(tmp_path):
    root = tiny_content(tmp_path, "pattern: gift-qr-lure\nrules:\n  - name: x\n    all: [money]\n    level: urgent\n")
    with pytest.raises(ContentError, match=r"gift-qr-lure/rules.yaml: rules\[0\]\.level"):
        load_rules(root)


def test_a_misspelt_key_is_an_error_not_ignored(tmp_path):
    root = tiny_content(
        tmp_path, "pattern: gift-qr-lure\nrules:\n  - name: x\n    all: [money]\n    level: high\n    unles: [money]\n"
    )
    with pytest.raises(ContentError) as caught:
        load_rules(root)
    assert caught.value.field == "rules[0].unles"


def test_a_misspelt_cue_name_is_an_error_not_a_literal(tmp_path):
    root = tiny_content(
        tmp_path, "pattern: gift-qr-lure\nrules:\n  - name: x\n    all: [comission, ['照片']]\n    level: high\n"
    )
    with pytest.raises(ContentError) as caught:
        load_rules(root)
    assert caught.value.field == "rules[0].all[0]" and "comission" in caught.value.message


def test_a_misspelt_cue_name_inside_a_list_is_an_error_too(tmp_path):
    root = tiny_content(
        tmp_path, "pattern: gift-qr-lure\nrules:\n  - name: x\n    all: [['照片', monye]]\n    level: high\n"
    )
    with pytest.raises(ContentError) as caught:
        load_rules(root)
    assert caught.value.field == "rules[0].all[0][1]"


def test_a_literal_english_word_is_written_as_a_group(tmp_path):
    root = tiny_content(
        tmp_path, "pattern: gift-qr-lure\nrules:\n  - name: x\n    all: [['(app)'], money]\n    level: high\n"
    )
    assert [h.rule for h in match_all(load_rules(root).rules, "下载这个app送10元")] == ["x"]


def test_a_pattern_folder_outside_the_taxonomy_is_an_error(tmp_path):
    root = tiny_content(tmp_path, "pattern: lottery-win\nrules:\n  - name: x\n    all: [money]\n    level: high\n")
    with pytest.raises(ContentError) as caught:
        load_rules(root)
    assert caught.value.path.name == "lottery-win" and "taxonomy" in caught.value.message


def test_a_cue_group_the_code_reads_must_be_defined(tmp_path):
    root = tiny_content(tmp_path, "pattern: gift-qr-lure\nrules:\n  - name: x\n    all: [money]\n    level: high\n")
    cues = root / "cues.yaml"
    cues.write_text(cues.read_text(encoding="utf-8").replace("  stranger: ['stranger']\n", ""), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_rules(root)
    assert caught.value.field == "cues.stranger"


def test_the_shipped_rules_name_only_defined_cues():
    # Loading compiles every group; a misspelt cue anywhere would raise here.
    assert len(load_rules().rules) >= 40
