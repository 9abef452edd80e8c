from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from participation import permissions

from .models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """The managed list of topics: coordination maintains it, managers may look at it.

    Topics in use cannot be deleted (the ideas keep them); switch them off with "aktiv".
    """

    list_display = ["name", "order", "is_active", "idea_count"]
    list_editable = ["order", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(idea_total=Count("ideas"))

    @admin.display(description=_("Beiträge"), ordering="idea_total")
    def idea_count(self, topic):
        return topic.idea_total

    def has_module_permission(self, request):
        return permissions.can_view_topics(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_view_topics(request.user)

    def has_add_permission(self, request):
        return permissions.can_edit_topics(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit_topics(request.user)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.ideas.exists():
            return False
        return permissions.can_edit_topics(request.user)
