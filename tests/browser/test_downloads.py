"""Photos are served as attachments (``espace_prive.downloads``), yet they still show in
the pages that embed them: browsers ignore Content-Disposition for an ``<img>``."""

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from espace_prive.families.models import Child
from tests.factories import image_bytes, make_family_with_login, make_staff

from .conftest import live_db


def _loaded(image):
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


@live_db
def test_a_childs_photo_shows_on_the_family_and_staff_pages(live_server, page, login_as):
    family, user = make_family_with_login(email="photo@example.test")
    child = family.children.get()
    name = storages["private"].save("enfants/photo.jpg", ContentFile(image_bytes(size=(200, 200))))
    Child.objects.filter(pk=child.pk).update(first_name="Léa", photo=name)
    login_as(user)

    page.goto(f"{live_server.url}/espace-famille/enfants/{child.public_id}/")
    photo = page.get_by_role("img", name="Photo de Léa")
    photo.wait_for()
    assert _loaded(photo)
    response = page.request.get(live_server.url + photo.get_attribute("src"))
    assert response.headers["content-disposition"].startswith("attachment;")

    page.context.clear_cookies()
    login_as(make_staff(email="agent.photo@example.test", superuser=True))
    page.goto(f"{live_server.url}/admin/familles/enfants/{child.public_id}/")
    photo = page.locator("img[alt^='Photo de Léa']")
    photo.wait_for()
    assert _loaded(photo)
