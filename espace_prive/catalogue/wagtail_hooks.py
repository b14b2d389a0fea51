"""The catalogue in the staff admin: sites and schools, services, tariff grids.

Reference data of the service Enfance-Jeunesse-Éducation: the Communication group
reads it on the public site but does not edit it.
"""

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from espace_prive.admin_snippets import SnippetViewSet

from .admin_forms import TariffGridForm
from .models import Service, Site, TariffGrid


class SiteViewSet(SnippetViewSet):
    model = Site
    icon = "home"
    menu_label = "Sites et écoles"
    list_display = ["name", "kind", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address", "contact_person"]
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")])],
            heading="Adresse",
        ),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        FieldPanel("opening_hours"),
        FieldPanel("contact_person"),
        FieldPanel("is_active"),
    ]


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "list-ul"
    menu_label = "Services"
    list_display = ["name", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "summary"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("unit")]),
        FieldPanel("summary"),
        FieldPanel("sites"),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("sort_order")]),
    ]


class TariffGridViewSet(SnippetViewSet):
    model = TariffGrid
    icon = "table"
    menu_label = "Grilles tarifaires"
    list_display = ["service", "label", "valid_from", "valid_until"]
    list_filter = ["service"]
    edit_handler = ObjectList(
        [
            FieldPanel("service"),
            FieldPanel("label"),
            FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
            FieldRowPanel([FieldPanel("non_resident_price"), FieldPanel("no_qf_price")]),
            InlinePanel(
                "bands",
                heading="Tranches de quotient familial",
                label="Tranche",
                min_num=1,
                panels=[FieldPanel("qf_min"), FieldPanel("qf_max"), FieldPanel("price")],
            ),
        ],
        base_form_class=TariffGridForm,
    )


class CatalogueViewSetGroup(SnippetViewSetGroup):
    items = (SiteViewSet, ServiceViewSet, TariffGridViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Catalogue"
    menu_name = "catalogue"


register_snippet(CatalogueViewSetGroup)
