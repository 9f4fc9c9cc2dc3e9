"""The one pattern every form page follows: validate, call a service, message, redirect."""

import logging

from django.contrib import messages
from django.db import IntegrityError, OperationalError
from django.shortcuts import redirect, render
from django_fsm import ConcurrentTransition

from reviews.services import ActionNotAllowed

logger = logging.getLogger(__name__)

CHANGED_MEANWHILE = (
    "Someone else changed this at the same moment, so nothing was saved. Check the page and try again."
)


def posted(request):
    """The submitted data on a POST (even an empty one), None on a GET: so an empty form is still checked."""
    return request.POST if request.method == "POST" else None


# PostgreSQL's answers when two transactions met and one was rolled back: a deadlock, a serialization failure.
MET_ANOTHER = {"40P01", "40001"}


def met_another(error: OperationalError) -> bool:
    """Whether the database rolled the transaction back because another one met it (not an outage)."""
    return getattr(error.__cause__, "pgcode", None) in MET_ANOTHER


def show_refusal(form, refusal: ActionNotAllowed) -> None:
    """Put the service's refusal on the form: on the field at fault where the form has it, else above the form."""
    for field, reasons in refusal.by_field().items():
        for reason in reasons:
            form.add_error(field if field in form.fields else None, reason)


def handle_form(
    request, *, form, template, context, save, success_message, success_url, success_level=messages.SUCCESS
):
    """On a valid POST run `save(cleaned_data)`; a refusal from the rules shows on the form, nothing saved.

    `success_message`, `success_url` and `success_level` (a level of django.contrib.messages) are
    values, or callables given what `save` returned.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ActionNotAllowed as refusal:
            show_refusal(form, refusal)
        except (IntegrityError, ConcurrentTransition):
            # The services lock what they change, so this is a race they did not foresee: the
            # transaction rolled back whole; say so rather than answer with an error page.
            logger.warning("Concurrent change refused on %s", request.path, exc_info=True)
            form.add_error(None, CHANGED_MEANWHILE)
        except OperationalError as error:
            if not met_another(error):
                raise
            logger.warning("Transaction rolled back on meeting another on %s", request.path, exc_info=True)
            form.add_error(None, CHANGED_MEANWHILE)
        else:
            messages.add_message(
                request,
                success_level(result) if callable(success_level) else success_level,
                success_message(result) if callable(success_message) else success_message,
            )
            return redirect(success_url(result) if callable(success_url) else success_url)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)
