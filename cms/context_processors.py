from django.conf import settings
from wagtail.models import Site


def portail(request):
    """Values every public and private page needs: the town's name."""
    site = Site.find_for_request(request)
    town_name = (site.site_name if site else "") or settings.PORTAIL_TOWN_NAME
    return {"town_name": town_name}
