"""The evaluation forms: the choices of a statistics source read in Chinese."""

from django.utils import translation


def test_the_statistics_choices_are_translated():
    from evaluation.forms import source_key_choices

    with translation.override("zh-hans"):
        labels = dict(source_key_choices())
    assert labels["revenue"] == "统计数据：规上工业企业营业收入（亿元）"
