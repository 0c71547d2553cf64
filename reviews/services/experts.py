"""The expert pool (专家库) and the review settings of a call, kept by city staff."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from core.audit import audit_record
from core.workflow import TransitionNotAllowed

from ..models import ExpertProfile, ReviewConfig
from .common import ReviewError

PROFILE_FIELDS = ("name", "title", "specialties", "employer_name", "employer_credit_code", "county",
                  "contact_phone", "is_active")


def _check_city(actor):
    if getattr(actor, "role", None) != Role.CITY:
        raise TransitionNotAllowed(_("Only city bureau staff keep the expert pool."))


def expert_create(*, actor, username, email="", **fields):
    """Create the expert's login (expert role, no usable password: the expert sets one through "forgot
    password") and profile."""
    _check_city(actor)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ReviewError({"username": _("This user name is taken.")}, code="username")
    with transaction.atomic():
        user = User(username=username, email=email.strip(), role=Role.EXPERT, first_name=fields.get("name", ""))
        user.set_unusable_password()
        user.save()
        profile = ExpertProfile(user=user, **{k: v for k, v in fields.items() if k in PROFILE_FIELDS})
        profile.full_clean()
        profile.save()
        audit_record(actor=actor, action="expert.created", obj=profile, note=f"{username} {profile.employer_name}")
    return profile


def expert_update(*, actor, profile, **fields):
    _check_city(actor)
    with transaction.atomic():
        profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
        changes = []
        for name, value in fields.items():
            if name in PROFILE_FIELDS and getattr(profile, name) != value:
                changes.append(f"{name}: {getattr(profile, name)} → {value}")
                setattr(profile, name, value)
        profile.full_clean()
        profile.save()
        if changes:
            audit_record(actor=actor, action="expert.updated", obj=profile, note="; ".join(changes))
    return profile


def config_update(*, actor, config, **fields):
    _check_city(actor)
    names = ("experts_per_application", "aggregation_method", "outlier_distance", "comment_required_below",
             "publicity_working_days")
    with transaction.atomic():
        config = ReviewConfig.objects.select_for_update().get(pk=config.pk)
        changes = []
        for name in names:
            if name in fields and getattr(config, name) != fields[name]:
                changes.append(f"{name}: {getattr(config, name)} → {fields[name]}")
                setattr(config, name, fields[name])
        config.full_clean()
        config.save()
        if changes:
            audit_record(actor=actor, action="review_config.updated", obj=config.round, note="; ".join(changes))
    return config
