from tests.public_site import (  # noqa: F401
    _public_site_for_module,
    communication_client,
    communication_user,
    public_site,
)
