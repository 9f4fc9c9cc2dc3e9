"""The one pattern every form page follows: validate, call a service, message, redirect."""

from django.contrib import messages
from django.shortcuts import redirect, render

from reviews.services import ActionNotAllowed


def posted(request):
    """The submitted data on a POST (even an empty one), None on a GET: so an empty form is still checked."""
    return request.POST if request.method == "POST" else None


def handle_form(request, *, form, template, context, save, success_message, success_url):
    """On a valid POST run `save(cleaned_data)`; a refusal from the rules shows on the form, nothing saved.

    `success_url` is a URL, or a callable given what `save` returned.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ActionNotAllowed as refusal:
            for reason in refusal.reasons:
                form.add_error(None, reason)
        else:
            messages.success(request, success_message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)
