"""Import stub for xcollection (test-only): xpersist only names these at import time."""


class Collection:
    """Stands in for xcollection.Collection; stores nothing."""

    def to_zarr(self, *args, **kwargs):
        raise NotImplementedError('xcollection stub: install xcollection to use this serializer')


def open_collection(*args, **kwargs):
    raise NotImplementedError('xcollection stub: install xcollection to use this serializer')
