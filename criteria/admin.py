"""The catalogue in the admin. A criteria set used by a locked year is read-only, with its
standards, criteria and indicators: a new edition of the criteria is a new set (imported from
Excel), never an edit of one that a locked year was judged against. Evaluation years are opened
and locked here."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CriteriaSet,
    Criterion,
    EvaluationYear,
    Indicator,
    RecognitionLevel,
    Standard,
    evaluation_year_set_state,
)
from .selectors import criteria_sets_overview


def _criteria_set_of(obj: Model | None) -> CriteriaSet | None:
    match obj:
        case CriteriaSet():
            return obj
        case Standard():
            return obj.criteria_set
        case Criterion():
            return obj.standard.criteria_set
        case Indicator():
            return obj.criterion.standard.criteria_set
    return None


def _is_locked(obj: Model | None) -> bool:
    criteria_set = _criteria_set_of(obj)
    return criteria_set is not None and criteria_set.is_locked


class LockedSetReadOnly:
    """Refuse adding, changing and deleting within a locked set (inlines: `obj` is the parent)."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if _is_locked(obj):
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj)
        return super().has_add_permission(request)  # a ModelAdmin's takes no obj

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not _is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not _is_locked(obj) and super().has_delete_permission(request, obj)


class UnlockedParentChoices:
    """A new standard, criterion or indicator can only be put in a set that is not locked."""

    parent_fields = {
        "criteria_set": "pk__in",
        "standard": "criteria_set__pk__in",
        "criterion": "standard__criteria_set__pk__in",
    }

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        lookup = self.parent_fields.get(db_field.name)
        if lookup is not None:
            unlocked = criteria_sets_overview().filter(locked=False).values("pk")
            kwargs["queryset"] = db_field.related_model.objects.filter(**{lookup: unlocked})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StandardInline(LockedSetReadOnly, admin.TabularInline):
    model = Standard
    extra = 0


class RecognitionLevelInline(LockedSetReadOnly, admin.TabularInline):
    """A set's levels, under its rule «levels»: each the indicators it asks beyond the lower."""

    model = RecognitionLevel
    extra = 0
    filter_horizontal = ["indicators"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Only the indicators of the set being changed (its pk is in the admin's URL).
        set_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "indicators":
            kwargs["queryset"] = Indicator.objects.filter(
                criterion__standard__criteria_set_id=set_id
            ).order_by("code")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CriterionInline(LockedSetReadOnly, admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(LockedSetReadOnly, admin.ModelAdmin):
    list_display = ["code", "name", "level", "first_year", "last_year", "recognition_rule"]
    inlines = [StandardInline, RecognitionLevelInline]


@admin.register(Standard)
class StandardAdmin(LockedSetReadOnly, UnlockedParentChoices, admin.ModelAdmin):
    list_display = ["code", "name", "criteria_set"]
    list_filter = ["criteria_set"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(LockedSetReadOnly, UnlockedParentChoices, admin.ModelAdmin):
    list_display = ["code", "name", "standard"]
    list_filter = ["standard__criteria_set"]


@admin.register(Indicator)
class IndicatorAdmin(LockedSetReadOnly, UnlockedParentChoices, admin.ModelAdmin):
    list_display = ["code", "short_text", "kind", "threshold", "unit_of_measure"]
    list_filter = ["kind", "criterion__standard__criteria_set"]
    search_fields = ["code", "text", "guidance"]
    list_select_related = ["criterion"]

    @admin.display(description=Indicator._meta.get_field("text").verbose_name)
    def short_text(self, obj: Indicator) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"


@admin.register(EvaluationYear)
class EvaluationYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "state"]
    list_editable = ["state"]

    def save_model(self, request: HttpRequest, obj: EvaluationYear, form, change: bool) -> None:
        """A change of state takes the year's row for update (`evaluation_year_set_state`)."""
        if change:
            evaluation_year_set_state(year=obj, state=obj.state, user=request.user)
        else:
            super().save_model(request, obj, form, change)
