from wagtail.models import Page, Site

from cms.demo import DEMO_TOWN_NAME

from .models import HomePage

HOME_INTRO = (
    "<p>Bienvenue sur le portail famille de la ville de Belval : menus des restaurants "
    "scolaires, accueils périscolaires et de loisirs, tarifs et démarches en ligne.</p>"
)


def seed(demo):
    """The demo town's home page, set as the root of the default site."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title=DEMO_TOWN_NAME, slug="accueil", intro=HOME_INTRO)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname = "localhost"
    site.port = 80
    site.site_name = DEMO_TOWN_NAME
    site.root_page = home
    site.save()
    # Wagtail's installation creates a "Welcome" page; the demo town replaces it.
    Page.objects.filter(
        depth=2, content_type__model="page", content_type__app_label="wagtailcore"
    ).delete()
    demo.objects["home_page"] = home
