"""Records someone relies on (who received a release, a signature's history, an email
owed or sent): the models PROTECT them, and these helpers say so in words."""

from collections import Counter
from collections.abc import Callable

from django.db import router
from django.db.models import Model, ProtectedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext


def protected_records(obj: Model, *, deletable: Callable[[Model], bool] = lambda r: False):
    """What deleting obj would have to erase that the models protect, counted in words
    ("3 deliveries", "1 version"); empty if obj may go with all that cascades from it.

    deletable names protected rows the caller deletes on purpose before obj.
    """
    collector = Collector(using=router.db_for_write(type(obj)))
    try:
        collector.collect([obj])
    except ProtectedError as error:
        counts = Counter(type(r)._meta for r in error.protected_objects if not deletable(r))
        return sorted(
            # Translators: a number of records and their kind, e.g. "3 deliveries", in
            # any language's order; the kind is the model's name, singular for 1.
            gettext("%(count)s %(records)s")
            % {"count": n, "records": opts.verbose_name if n == 1 else opts.verbose_name_plural}
            for opts, n in counts.items()
        )
    return []
