"""The billing in the Wagtail admin: the « Facturation » menu (shown only to staff
holding a billing permission), its URLs, its permissions in the group editor, and the
régies with the services they bill as snippets."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from espace_prive.admin_access import PermissionMenuItem, grantable_permissions
from espace_prive.admin_snippets import SnippetViewSet

from . import admin_views
from .models import BilledService, Regie
from .permissions import GRANTABLE, VIEW_INVOICE, VIEW_JOURNAL, VIEW_PAYMENT

MENU_HOOK = "register_billing_menu_item"

admin_urlpatterns = [
    path("", admin_views.RunListView.as_view(), name="runs"),
    path("facturation/<uuid:run_id>/", admin_views.RunView.as_view(), name="run"),
    path(
        "facturation/<uuid:run_id>/factures-papier/",
        admin_views.RunPaperInvoicesView.as_view(),
        name="run_paper_invoices",
    ),
    path("factures/", admin_views.InvoiceListView.as_view(), name="invoices"),
    path("factures/<uuid:invoice_id>/", admin_views.InvoiceView.as_view(), name="invoice"),
    path(
        "factures/<uuid:invoice_id>/pdf/",
        admin_views.InvoicePdfView.as_view(),
        name="invoice_pdf",
    ),
    path(
        "attestations-fiscales/",
        admin_views.TaxCertificatesView.as_view(),
        name="tax_certificates",
    ),
    path(
        "attestations-fiscales/<uuid:certificate_id>/pdf/",
        admin_views.TaxCertificatePdfView.as_view(),
        name="tax_certificate_pdf",
    ),
    path("paiements/", admin_views.PaymentListView.as_view(), name="payments"),
    path("paiements/nouveau/", admin_views.PaymentCreateView.as_view(), name="payment_add"),
    path("paiements/<uuid:payment_id>/", admin_views.PaymentView.as_view(), name="payment"),
    path("journal-de-caisse/", admin_views.CashJournalView.as_view(), name="cash_journal"),
    path("exports/", admin_views.ExportView.as_view(), name="exports"),
    path("a-verifier/", admin_views.ReviewView.as_view(), name="review"),
    path("journal/", admin_views.AuditView.as_view(), name="audit"),
    path("prelevements/", admin_views.BatchListView.as_view(), name="sepa_batches"),
    path("prelevements/nouveau/", admin_views.BatchCreateView.as_view(), name="sepa_batch_add"),
    path("prelevements/<uuid:batch_id>/", admin_views.BatchView.as_view(), name="sepa_batch"),
    path(
        "prelevements/rejet/<uuid:debit_id>/",
        admin_views.DebitRejectView.as_view(),
        name="sepa_debit_reject",
    ),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("facturation/", include((admin_urlpatterns, "billing_admin")))]


@hooks.register("register_admin_menu_item")
def register_menu():
    return SubmenuMenuItem(
        "Facturation",
        Menu(register_hook_name=MENU_HOOK),
        name="facturation",
        icon_name="form",
        order=158,
    )


def _item(label, url_name, icon, order, permission=None, shown_to=None):
    return PermissionMenuItem(
        label,
        reverse(f"billing_admin:{url_name}"),
        icon_name=icon,
        order=order,
        permission=permission,
        shown_to=shown_to,
    )


@hooks.register(MENU_HOOK)
def menu_runs():
    return _item("Facturations mensuelles", "runs", "date", 100, VIEW_INVOICE)


@hooks.register(MENU_HOOK)
def menu_invoices():
    return _item("Factures", "invoices", "doc-full", 200, VIEW_INVOICE)


@hooks.register(MENU_HOOK)
def menu_tax_certificates():
    return _item("Attestations fiscales", "tax_certificates", "doc-full-inverse", 250, VIEW_INVOICE)


@hooks.register(MENU_HOOK)
def menu_payments():
    return _item("Paiements", "payments", "form", 300, VIEW_PAYMENT)


@hooks.register(MENU_HOOK)
def menu_sepa():
    return _item("Prélèvements SEPA", "sepa_batches", "rotate", 350, VIEW_PAYMENT)


@hooks.register(MENU_HOOK)
def menu_cash_journal():
    return _item("Journal de caisse", "cash_journal", "list-ul", 400, VIEW_PAYMENT)


@hooks.register(MENU_HOOK)
def menu_exports():
    return _item(
        "Exports comptables",
        "exports",
        "download",
        500,
        shown_to=lambda user: user.has_perm(VIEW_INVOICE) or user.has_perm(VIEW_PAYMENT),
    )


@hooks.register(MENU_HOOK)
def menu_review():
    return _item("Paiements à vérifier", "review", "warning", 600, VIEW_PAYMENT)


@hooks.register(MENU_HOOK)
def menu_audit():
    return _item("Journal de la facturation", "audit", "history", 700, VIEW_JOURNAL)


@hooks.register("register_permissions")
def register_permissions():
    """Let administrators grant these in Wagtail's group editor."""
    return grantable_permissions(*GRANTABLE)


class RegieViewSet(SnippetViewSet):
    model = Regie
    icon = "form"
    menu_label = "Régies"
    list_display = ["name", "commune", "payment_delay_days"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("commune")]),
        FieldRowPanel([FieldPanel("siret"), FieldPanel("email")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        FieldRowPanel(
            [
                FieldPanel("payment_delay_days"),
                FieldPanel("reminder_days_before"),
                FieldPanel("dunning_days_after"),
            ],
            heading="Échéance, rappel et relance",
        ),
        MultiFieldPanel(
            [FieldPanel("stripe_secret_key_env"), FieldPanel("stripe_webhook_secret_env")],
            heading="Paiement par carte (noms des variables d'environnement)",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("sepa_creditor_id"), FieldPanel("sepa_creditor_name")]),
                FieldRowPanel([FieldPanel("sepa_iban"), FieldPanel("sepa_bic")]),
            ],
            heading="Prélèvement SEPA",
        ),
        MultiFieldPanel(
            [FieldPanel("unpaid_block_days")], heading="Factures impayées et réservations"
        ),
    ]


class BilledServiceViewSet(SnippetViewSet):
    model = BilledService
    icon = "cog"
    menu_label = "Services facturés"
    list_display = ["service", "regie", "late_cancel_rate", "unbooked_presence_rate"]
    list_filter = ["regie"]
    panels = [
        FieldRowPanel([FieldPanel("service"), FieldPanel("regie")]),
        FieldRowPanel([FieldPanel("late_cancel_rate"), FieldPanel("unbooked_presence_rate")]),
        FieldPanel("childcare_tax_credit"),
    ]


class BillingReferenceGroup(SnippetViewSetGroup):
    items = (RegieViewSet, BilledServiceViewSet)
    menu_icon = "cog"
    menu_label = "Régies et services facturés"
    menu_name = "regies"
    menu_order = 159


register_snippet(BillingReferenceGroup)
