from django.contrib import admin

from .models import CriteriaSet, Criterion, Indicator, Standard


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "recognition_rule"]
    inlines = [StandardInline]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "criteria_set"]
    list_filter = ["criteria_set"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "standard"]
    list_filter = ["standard__criteria_set"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "short_text", "kind", "threshold", "unit_of_measure"]
    list_filter = ["kind", "criterion__standard__criteria_set"]
    search_fields = ["code", "text", "guidance"]
    list_select_related = ["criterion"]

    @admin.display(description=Indicator._meta.get_field("text").verbose_name)
    def short_text(self, obj: Indicator) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"
