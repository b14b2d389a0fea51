"""Storage for families' private files."""

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files on disk with no public URL: only views that check ownership serve them."""

    def __init__(self, **kwargs):
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):
        raise ValueError(
            "Private files have no public URL; serve them through a view that checks who is asking."
        )
