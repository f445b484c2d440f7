"""One access helper per guarded object of evidence: 404 for what a person may not know exists."""

from django.http import Http404

from assignments.permissions import Actor, can_see_unit

from .models import Document, DocumentVersion


def get_document_for_user(actor: Actor, pk: int) -> Document:
    """An evidence document of a unit the actor may see (withdrawn ones too, for the record)."""
    document = (
        Document.objects.select_related("unit", "created_by", "reviewed_by", "withdrawn_by")
        .filter(pk=pk)
        .first()
    )
    if document is None or not can_see_unit(actor, document.unit):
        raise Http404("No such document.")
    return document


def get_version_for_user(actor: Actor, pk: int, number: int) -> DocumentVersion:
    """One version (file) of a document of a unit the actor may see."""
    version = (
        DocumentVersion.objects.select_related("document__unit")
        .filter(document_id=pk, number=number)
        .first()
    )
    if version is None or not can_see_unit(actor, version.document.unit):
        raise Http404("No such file.")
    return version
