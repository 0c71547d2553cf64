"""Every write on applications. Views call ``perform`` for the workflow actions of the detail page."""

from ..workflow import Action
from .common import StaleEdit
from .drafts import (
    application_create_draft,
    application_save_draft,
    draft_edit,
    round_eligibility,
    submission_problems,
)
from .intake import (
    application_accept,
    application_decline,
    application_forward,
    application_forward_batch,
    application_return,
)
from .qualification import (
    application_city_accept,
    application_city_accept_batch,
    application_disqualify,
    application_qualify,
    application_request_re_review,
    application_send_back,
)
from .submission import application_submit, application_withdraw, next_receipt_no
from .uploads import UploadRefused, attachment_remove, attachment_store

ACTION_SERVICES = {
    Action.WITHDRAW: application_withdraw,
    Action.ACCEPT: application_accept,
    Action.RETURN: application_return,
    Action.DECLINE: application_decline,
    Action.FORWARD: application_forward,
    Action.CITY_ACCEPT: application_city_accept,
    Action.SEND_BACK: application_send_back,
    Action.QUALIFY: application_qualify,
    Action.DISQUALIFY: application_disqualify,
    Action.REQUEST_RE_REVIEW: application_request_re_review,
}


def perform(application, action, *, actor, note="", rank=None, declaration=False, expected_version=None, files=()):
    """Run one workflow action through its service (submit has its own page, but works here too); ``files`` are
    the documents of a re-review request."""
    if action == Action.SUBMIT:
        return application_submit(application=application, actor=actor, declaration=declaration,
                                  expected_version=expected_version)
    service = ACTION_SERVICES.get(action)
    if service is None:
        from core.workflow import TransitionNotAllowed

        raise TransitionNotAllowed()
    kwargs = {"application": application, "actor": actor, "note": note, "expected_version": expected_version}
    if action == Action.FORWARD:
        kwargs["rank"] = rank
    if action == Action.REQUEST_RE_REVIEW:
        kwargs["files"] = files
    return service(**kwargs)


__all__ = [
    "ACTION_SERVICES", "StaleEdit", "UploadRefused", "application_accept", "application_city_accept",
    "application_city_accept_batch", "application_create_draft", "application_decline", "application_disqualify",
    "application_forward", "application_forward_batch", "application_qualify", "application_request_re_review",
    "application_return", "application_save_draft", "application_send_back", "application_submit",
    "application_withdraw", "attachment_remove", "attachment_store", "draft_edit", "next_receipt_no", "perform",
    "round_eligibility", "submission_problems",
]
