"""What every page of the public site shares."""

from django.db import models
from django.template.response import TemplateResponse
from wagtail.models import Page, PageViewRestriction


class PublicPage(Page):
    """What every page of the public site shares: served from the public cache."""

    # Pages whose content changes with each visitor (none so far) set this to False.
    public_cache = True

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        """The restrictions of this page and its ancestors, in one query.

        Wagtail's version first loads the ancestors to resolve aliases; the ancestors'
        paths are prefixes of ``self.path``, and an alias takes the restrictions of its
        source page (aliases cannot have their own), so one query does.
        """
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(
            models.Q(page__path__in=paths) | models.Q(page__aliases__path__in=paths)
        ).distinct()


class FormPageMixin:
    """Pages that validate query parameters answer 400 when the input is bad."""

    def serve(self, request, *args, **kwargs):
        context = self.get_context(request, *args, **kwargs)
        status = 400 if context.get("input_errors") else 200
        return TemplateResponse(
            request, self.get_template(request, *args, **kwargs), context, status=status
        )
