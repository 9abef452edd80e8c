from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from neighbourhoods.admin_scoping import AreaScopedAdminMixin, area_filter
from quartier.languages import written_in_html

from .models import MoodAnswer
from .services import mood_comment_moderate


@admin.register(MoodAnswer)
class MoodAnswerAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    """Answers are data, not editable; staff only moderate comments."""

    list_display = ["area", "month", "score", "aspect", "short_comment", "comment_status"]
    list_filter = ["comment_status", "language", "month", area_filter("area")]
    list_select_related = ["area", "aspect"]
    search_fields = ["comment"]
    readonly_fields = ["area", "month", "score", "aspect", "comment", "language", "created_at"]
    fields = [
        "area",
        "month",
        "score",
        "aspect",
        "comment",
        "language",
        "comment_status",
        "created_at",
    ]
    actions = ["publish_comments", "reject_comments"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Kommentar"))
    def short_comment(self, obj):
        return written_in_html(
            obj, (obj.comment[:80] + "…") if len(obj.comment) > 80 else obj.comment
        )

    @admin.action(description=_("Kommentare veröffentlichen"))
    def publish_comments(self, request, queryset):
        for answer in queryset.exclude(comment=""):
            mood_comment_moderate(answer=answer, publish=True, by=request.user)
        self.message_user(request, _("Veröffentlicht."), messages.SUCCESS)

    @admin.action(description=_("Kommentare ablehnen"))
    def reject_comments(self, request, queryset):
        for answer in queryset.exclude(comment=""):
            mood_comment_moderate(answer=answer, publish=False, by=request.user)
        self.message_user(request, _("Abgelehnt."), messages.SUCCESS)
