"""Sample texts shared by the view, API and widget tests."""

HIGH = "兼职招聘：在家拍一张手持身份证正反面的照片，审核通过就给200元。"
LOW = "我去银行柜台办新卡，柜员请我出示身份证原件。"
MOBILE = "13812345678"
ID_NUMBER = "11010519491231002X"
