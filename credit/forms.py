from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin

from .models import ListKind


class CreditListForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("List"), choices=ListKind.choices)
    source = forms.CharField(label=_("Published by"), max_length=100,
                             help_text=_("e.g. 最高人民法院, 河南省市场监督管理局"))
    published_on = forms.DateField(label=_("List date"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("File (XLSX or CSV)"),
                           help_text=_("Columns: 统一社会信用代码, 名称, 列入原因 (optional), 列入日期 (optional)."))


class RegistryForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year of the figures"), min_value=2000, max_value=2100,
                              help_text=_("The year the revenue and investment refer to, e.g. 2026."))
    source = forms.CharField(label=_("Delivered by"), max_length=100, initial="郑州市统计局")
    file = forms.FileField(label=_("File (XLSX or CSV)"),
                           help_text=_("Columns: 统一社会信用代码, 企业名称, 所属区县, 行业代码, 规上企业, "
                                       "上年营业收入（元）, 上年投资额（元）."))
