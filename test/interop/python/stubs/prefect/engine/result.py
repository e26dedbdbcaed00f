"""Import stub for prefect.engine.result.Result: the few members XpersistResult uses."""
import copy
import logging


class Result:
    """Stands in for prefect 1.x's Result base class (value, location, format, copy, logger)."""

    def __init__(self, value=None, location=None, **kwargs):
        self.value = value
        self.location = location
        self.logger = logging.getLogger('prefect.stub.Result')

    def copy(self):
        return copy.copy(self)

    def format(self, **kwargs):
        new = self.copy()
        template = self.location if self.location is not None else self.default_location
        new.location = template.format(**kwargs)
        return new
