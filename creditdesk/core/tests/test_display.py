"""The display filters (STYLE.md "Screens"): one empty marker, labels for events and versions, yes/no."""

import pytest
from django.template import Context, Template
from django.utils import translation


def show(source: str, **values) -> str:
    with translation.override("zh-hans"):
        return Template("{% load display %}" + source).render(Context(values))


@pytest.mark.parametrize(("value", "shown"), [(None, "—"), ("", "—"), ([], "—"), (0, "0"), ("张伟", "张伟")])
def test_an_empty_value_reads_as_a_dash_and_zero_stays_a_number(value, shown):
    assert show("{{ v|dash }}", v=value) == shown


def test_events_versions_and_flags_read_as_labels():
    assert show("{{ c|event_label }}", c="plan.created") == "已创建"
    assert show("{{ c|event_area }}", c="plan.created") == "金融服务方案"
    assert show("{{ c|event_label }}", c="no.such_event") == "其他事件"
    assert show("{{ v|version_label }}", v="built-in") == "内置默认值"
    assert show("{{ v|version_label }}", v="2027-01") == "2027-01"
    assert show("{{ a|yes_no }} {{ b|yes_no }} {{ c|yes_no }}", a=True, b="false", c=None) == "是 否 —"
