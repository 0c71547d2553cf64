"""The expert pool (专家库) and the review settings of a call, kept by city staff."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from core.audit import audit_record
from core.locking import locked_for_edit, save_versioned
from core.permissions import require

from ..models import ExpertProfile, ReviewConfig
from .common import ReviewError

PROFILE_FIELDS = ("name", "title", "specialties", "employer_name", "employer_credit_code", "county",
                  "contact_phone", "is_active")


def _check_city(actor):
    require(actor, "reviews.manage_reviews", message=_("Only city bureau staff keep the expert pool."))


def expert_create(*, actor, username, email="", **fields):
    """Create the expert's login (expert role, no usable password: the expert sets one through "forgot
    password") and profile."""
    _check_city(actor)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ReviewError({"username": _("This user name is taken.")}, code="username")
    with transaction.atomic(durable=True):
        user = User(username=username, email=email.strip(), role=Role.EXPERT, first_name=fields.get("name", ""))
        user.set_unusable_password()
        user.save()
        profile = ExpertProfile(user=user, **{k: v for k, v in fields.items() if k in PROFILE_FIELDS})
        profile.full_clean()
        profile.save()
        audit_record(actor=actor, action="expert.created", obj=profile,
                     data={"expert_user": user.pk, "employer": profile.employer_name, "tech_username": username})
    return profile


def _apply(record, names, fields):
    """Set the given ``fields`` (only those in ``names``) on ``record``; returns the changed names and a note."""
    changed, notes = [], []
    for name in names:
        if name in fields and getattr(record, name) != fields[name]:
            notes.append(f"{name}: {getattr(record, name)} → {fields[name]}")
            setattr(record, name, fields[name])
            changed.append(name)
    return changed, "; ".join(notes)


def expert_update(*, actor, profile, expected_version=None, **fields):
    """Change an expert's record. ``expected_version`` is the version the editor loaded: a record changed by
    someone else since is refused (StaleEdit) and nothing is written."""
    _check_city(actor)
    with transaction.atomic(durable=True):
        profile = locked_for_edit(profile, expected_version)
        changed, note = _apply(profile, PROFILE_FIELDS, fields)
        profile.full_clean()
        if changed:
            save_versioned(profile, changed)
            audit_record(actor=actor, action="expert.updated", obj=profile,
                         data={"fields": changed, "tech_changes": note})
    return profile


CONFIG_FIELDS = ("experts_per_application", "aggregation_method", "outlier_distance", "comment_required_below",
                 "publicity_working_days")


def config_update(*, actor, round_, expected_version=None, **fields):
    """Change the review settings of ``round_`` (the first change stores the row, with the defaults for the fields
    not given). ``expected_version`` is the version the page showed (1 for the defaults): a change made by
    someone else since is refused (StaleEdit); values out of range are refused (ValidationError); both write
    nothing."""
    _check_city(actor)
    with transaction.atomic(durable=True):
        stored, _created = ReviewConfig.objects.get_or_create(round=round_)
        config = locked_for_edit(stored, expected_version)
        changed, note = _apply(config, CONFIG_FIELDS, fields)
        config.full_clean()
        if changed:
            save_versioned(config, changed)
            audit_record(actor=actor, action="review_config.updated", obj=round_,
                         data={"fields": [f"reviews.ReviewConfig.{name}" for name in changed], "tech_changes": note})
    return config
