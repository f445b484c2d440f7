"""One access helper per guarded object of reported values: 404 for what a person may not know
exists."""

from django.http import Http404

from assignments.permissions import Actor, can_see_unit

from .models import Measurement


def get_measurement_for_user(actor: Actor, pk: int) -> Measurement:
    """A stored entry of a unit the actor may see."""
    measurement = Measurement.objects.select_related("indicator", "unit").filter(pk=pk).first()
    if measurement is None or not can_see_unit(actor, measurement.unit):
        raise Http404("No such entry.")
    return measurement
