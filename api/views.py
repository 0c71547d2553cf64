"""The data interface, /api/v1/. Public endpoints need no token; the others take ``Authorization: Bearer``.

Every endpoint reads through the same selectors as the pages, with the token standing for a county or city
staff user (api.tokens.principal_for), so a county token sees exactly what that county's staff see. Each call
with a token is rate-limited in the shared cache and written to the audit log."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, Sum
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from applications import tally
from applications.models import Category, Round
from applications.selectors import applications_for, published_rounds, staff_scope
from applications.workflow import Status
from core.audit import audit_record
from core.web import BadParameter, int_param
from credit.registry import RegistryErrors, registry_push
from disbursements.models import Payment
from disbursements.selectors import commitments_for
from disbursements.workflow import PaymentStatus
from evaluation.models import EvaluationYear
from evaluation.results import year_results
from evaluation.selectors import years_for
from evaluation.services.statistics import ImportErrors, statistics_push
from reviews.models import SupportListEntry
from reviews.selectors import public_publicities, support_lists_for
from reviews.workflow import PublicityStatus, SupportListStatus

from . import serializers as s
from .permissions import HasToken, MayPushRegistry, MayPushStatistics

LANGUAGES = {"zh": "zh-hans", "en": "en"}
# The documentation's sections, translated like the summaries (the schema is made in the reader's language).
TAGS = {"public": _("Public"), "applications": _("Applications"), "awards": _("Awards"),
        "payments": _("Payments"), "evaluation": _("Performance evaluation"), "registry": _("Enterprise registry")}
DETAIL = OpenApiResponse(s.ErrorSerializer, description=_("{\"detail\": message}"))
FIELD_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description=_("{field: [messages]}: what is wrong, per field"))


YEAR = {"type": "integer", "minimum": 2000, "maximum": 2100}


def answers(ok, *, token=True, status=200, bad_input=True):
    """The documented responses of an endpoint: its result, and the errors it can answer with."""
    responses = {status: ok, 404: DETAIL, 429: DETAIL}
    if bad_input:
        responses[400] = FIELD_ERRORS
    if token:
        responses.update({401: DETAIL, 403: DETAIL})
    return responses


def request_language(request):
    """The caller's Accept-Language (zh-hans or en), Chinese when it names neither."""
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return LANGUAGES[code]
    return "zh-hans"


class ApiView(APIView):
    # Language from Accept-Language; every call made with a token is audited (method, path, answer). A query
    # parameter the endpoint does not know is refused (400), so a misspelt filter never returns everything.
    query_names = ()

    def initial(self, request, *args, **kwargs):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)
        known = set(self.query_names)
        if getattr(self, "pagination_class", None) is not None and hasattr(self, "paginate_queryset"):
            known |= {"limit", "offset"}
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError({name: [_("This endpoint has no such parameter.")] for name in unknown[:5]})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "auth", None)
        if token is not None:
            audit_record(actor=None, actor_name=token.system_name, action="api.call", obj=token,
                         data={"method": request.method, "path": request.path[:200], "status": response.status_code,
                               "tech_prefix": token.prefix})
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise NotAuthenticated(_("This endpoint needs a token: send “Authorization: Bearer <token>”."))
        super().permission_denied(request, message, code)

    def principal(self):
        return self.request.user

    def int_query(self, name):
        value = self.request.query_params.get(name)
        try:
            if value == "":
                raise BadParameter(_("The value “%(value)s” of %(name)s is not a valid number.")
                                   % {"value": value, "name": name})
            return int_param(value, name=name, min=YEAR["minimum"], max=YEAR["maximum"])
        except BadParameter as exc:
            raise ValidationError({name: [str(exc)]}) from None


class PublicView(ApiView):
    permission_classes = [AllowAny]


def _calls():
    materials = Prefetch("categories", queryset=Category.objects.select_related("award_rule")
                         .prefetch_related("materials").order_by("sort_order", "id"))
    return published_rounds().prefetch_related(materials)


def _call_data(call):
    call.is_open = call.is_open()
    for category in call.categories.all():
        category.materials_list = list(category.materials.all())
    return call


@extend_schema(summary=_("Published calls"), tags=[TAGS["public"]],
               responses=answers(s.CallSerializer(many=True), token=False),
               description=_("The calls (批次) published on the platform, newest first, with their categories, award "
                           "rules and required materials."))
class CallList(PublicView, generics.ListAPIView):
    serializer_class = s.CallSerializer

    def get_queryset(self):
        return _calls()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = s.CallSerializer([_call_data(c) for c in page], many=True).data
        return self.get_paginated_response(data)


@extend_schema(summary=_("One published call"), tags=[TAGS["public"]],
               responses=answers(s.CallSerializer, token=False, bad_input=False))
class CallDetail(PublicView):
    def get(self, request, year):
        call = _calls().filter(year=year).first()
        if call is None:
            raise Http404
        return Response(s.CallSerializer(_call_data(call)).data)


@extend_schema(summary=_("Publicity lists"), tags=[TAGS["public"]],
               responses=answers(s.PublicitySerializer(many=True), token=False),
               description=_("The lists in their publicity period (公示期) with the proposed awards."))
class PublicityList(PublicView, generics.ListAPIView):
    serializer_class = s.PublicitySerializer

    def get_queryset(self):
        return public_publicities().filter(status=PublicityStatus.PUBLISHED).prefetch_related("entries") \
            .order_by("-starts_on", "-id")


@extend_schema(summary=_("Applications in the token's scope"), tags=[TAGS["applications"]],
               responses=answers(s.ApplicationSerializer(many=True)),
               parameters=[OpenApiParameter("year", YEAR, description=_("the call's year")),
                           OpenApiParameter("status", OpenApiTypes.STR, enum=[c for c, _l in Status.choices])])
class ApplicationList(ApiView, generics.ListAPIView):
    permission_classes = [HasToken]
    query_names = ("year", "status")
    serializer_class = s.ApplicationSerializer

    keyed_pages = True  # a million applications: see api.pagination

    def get_queryset(self):
        # a token's scope is a county's or the city's applications submitted at least once, which are never drafts
        # (no transition leads back to a draft): the order index of the submissions serves the page's keys alone
        qs = applications_for(self.principal()).select_related("round", "category", "enterprise", "county") \
            .order_by("-first_submitted_at", "-id")
        year = self.int_query("year")
        if year is not None:
            qs = qs.filter(round__year=year)
        wanted = self._status()
        if wanted is not None:
            qs = qs.filter(status=wanted)
        return qs

    def _status(self):
        wanted = self.request.query_params.get("status")
        if wanted is not None and wanted not in Status.values:
            raise ValidationError({"status": [_("Unknown status.")]})
        return wanted

    def count_of(self, queryset):
        """The total of the answer from the kept counts of applications (applications.tally), not COUNT(*)."""
        _staff, county = staff_scope(self.principal())
        year, wanted = self.int_query("year"), self._status()
        rounds = Round.objects.filter(year=year).values("pk") if year is not None else None
        return sum(n for status, n in tally.counts(rounds=rounds, county=county, by=("status",)).items()
                   if status != Status.DRAFT and wanted in (None, status))


@extend_schema(summary=_("One application by receipt number"), tags=[TAGS["applications"]],
               responses=answers(s.ApplicationSerializer, bad_input=False))
class ApplicationDetail(ApiView):
    permission_classes = [HasToken]

    def get(self, request, receipt_no):
        application = applications_for(self.principal()).exclude(status=Status.DRAFT) \
            .select_related("round", "category", "enterprise", "county").filter(receipt_no=receipt_no).first()
        if application is None:
            raise Http404
        return Response(s.ApplicationSerializer(application).data)


@extend_schema(summary=_("Approved support lists"), tags=[TAGS["awards"]],
               responses=answers(s.SupportListSerializer(many=True)),
               description=_("Support lists approved by finance, with the entries in the token's scope."))
class SupportListList(ApiView, generics.ListAPIView):
    permission_classes = [HasToken]
    serializer_class = s.SupportListSerializer

    def get_queryset(self):
        return support_lists_for(self.principal()).filter(status=SupportListStatus.APPROVED) \
            .order_by("-fund_year", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        county_id = request.auth.county_id
        entries = SupportListEntry.objects.filter(support_list__in=page).select_related("application__county")
        if county_id:
            entries = entries.filter(application__county_id=county_id)
        by_list = {}
        for entry in entries.order_by("category_name", "id"):
            by_list.setdefault(entry.support_list_id, []).append(entry)
        for support_list in page:
            support_list.visible_entries = by_list.get(support_list.pk, [])
        return self.get_paginated_response(s.SupportListSerializer(page, many=True).data)


@extend_schema(summary=_("Commitments and payment status"), tags=[TAGS["payments"]],
               responses=answers(s.CommitmentSerializer(many=True)),
               parameters=[OpenApiParameter("fund_year", YEAR, description=_("the budget year"))])
class CommitmentList(ApiView, generics.ListAPIView):
    permission_classes = [HasToken]
    query_names = ("fund_year",)
    serializer_class = s.CommitmentSerializer

    def get_queryset(self):
        qs = commitments_for(self.principal()).select_related("application", "payee", "county") \
            .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("tranche", "id"))) \
            .annotate(paid_yuan=Sum("payments__amount", filter=Q(payments__status=PaymentStatus.PAID), default=0)) \
            .order_by("-fund_year", "id")
        year = self.int_query("fund_year")
        return qs.filter(fund_year=year) if year is not None else qs


class _Year(ApiView):
    def year(self, year):
        found = years_for(self.principal()).filter(year=year).first()
        if found is None:
            raise Http404
        return found


@extend_schema(summary=_("Performance indicators of a year"), tags=[TAGS["evaluation"]],
               responses=answers(s.IndicatorsSerializer, bad_input=False),
               description=_("The 26 indicators with their targets, actual values, points and evidence links. "
                           "City tokens only."))
class IndicatorList(_Year):
    permission_classes = [HasToken]

    def get(self, request, year):
        result = year_results(self.year(year))
        rows = [{
            "number": r.indicator.number, "name": r.indicator.name, "level": r.indicator.get_level_display(),
            "direction": r.indicator.get_direction_display(),
            "target": r.indicator.target_text or ("" if r.indicator.target_value is None
                                                  else f"{r.indicator.target_value.normalize():f}"),
            "unit": r.indicator.unit, "actual": r.actual, "actual_display": str(r.actual_display),
            "weight": r.score.weight, "points": r.score.points, "met": r.score.met, "formula": str(r.score.formula),
            "evidence": [{"label": str(link.label), "url": request.build_absolute_uri(link.url)}
                         for link in r.evidence],
        } for r in result.rows]
        data = {"year": result.year.year, "status": s.choice(result.year, "status"),
                "total_points": result.total.points, "total_weight": result.total.weight,
                "grade": str(result.grade_label) if result.grade else None, "indicators": rows}
        return Response(s.IndicatorsSerializer(data).data)


@extend_schema(
    summary=_("Send statistics figures"), tags=[TAGS["evaluation"]], request=s.StatisticsPushSerializer,
    parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
                                 description=_("The client's key: sending the same figures again with it changes "
                                             "nothing and answers 200."))],
    responses={**answers(s.StatisticsResultSerializer, status=201), 200: s.StatisticsResultSerializer},
    description=_("The statistics bureau's figures for a year, checked exactly like the XLSX import: all rows are "
                "saved or none, and every problem is reported by row and field."))
class StatisticsPush(_Year):
    permission_classes = [MayPushStatistics]

    def post(self, request, year):
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if not key or len(key) > 100:
            raise ValidationError({"Idempotency-Key": [_("Send an Idempotency-Key header of 1 to 100 characters.")]})
        body = s.StatisticsPushSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evaluation_year = EvaluationYear.objects.filter(year=year).first()
        if evaluation_year is None:
            raise Http404
        try:
            record, created = statistics_push(system_name=request.auth.system_name, year=evaluation_year,
                                              rows=body.validated_data["rows"], client_key=key)
        except DjangoValidationError as exc:  # the rows' problems, or the year is finalised
            if hasattr(exc, "error_dict"):
                detail = exc.message_dict
            else:
                detail = {"rows" if isinstance(exc, ImportErrors) else "year": exc.messages}
            raise ValidationError(detail) from None
        return Response({"import_id": record.pk, "rows": record.rows, "created": created},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)



@extend_schema(
    summary=_("Send the enterprise registry"), tags=[TAGS["registry"]], request=s.RegistryPushSerializer,
    parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
                                 description=_("The client's key: sending the registry again with it changes "
                                             "nothing and answers 200."))],
    responses={**answers(s.RegistryResultSerializer, status=201), 200: s.RegistryResultSerializer},
    description=_("The statistics bureau's enterprise registry (企业名录), checked exactly like the XLSX import: "
                "all rows are saved or none, and every problem is reported by row. Policy matching reads the "
                "latest registry."))
class RegistryPush(ApiView):
    permission_classes = [MayPushRegistry]

    def post(self, request):
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if not key or len(key) > 100:
            raise ValidationError({"Idempotency-Key": [_("Send an Idempotency-Key header of 1 to 100 characters.")]})
        body = s.RegistryPushSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            record, created = registry_push(system_name=request.auth.system_name, year=data["year"],
                                            rows=[dict(row) for row in data["rows"]], client_key=key)
        except RegistryErrors as exc:
            raise ValidationError({"rows": exc.messages}) from None
        return Response({"import_id": record.pk, "rows": record.rows, "created": created},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
