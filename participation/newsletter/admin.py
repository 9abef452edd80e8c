"""Write a Quartiersbrief, preview it as a follower will get it, send it once. Managers write
for their areas, coordination also for the whole city."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.admin_scoping import AreaScopedAdminMixin
from neighbourhoods.permissions import is_coordination

from . import services
from .models import Newsletter


class NewsletterForm(forms.ModelForm):
    class Meta:
        model = Newsletter
        fields = ["area", "subject", "body"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        data = super().clean()
        if self.request is not None and not services.may_write(self.request.user, data.get("area")):
            self.add_error(
                "area", _("Briefe an die ganze Stadt schreibt die Quartierskoordination.")
            )
        return data


@admin.register(Newsletter)
class NewsletterAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    form = NewsletterForm
    list_display = ("subject", "area", "created_at", "sent_at", "recipients")
    list_select_related = ("area",)
    readonly_fields = ("sent_at", "sent_by", "recipients")
    change_form_template = "admin/participation/newsletter/change_form.html"

    def scope_queryset(self, request, queryset):
        return queryset.managed_by(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class WithRequest(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, request=request, **inner)

        return WithRequest

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "area":
            field.required = not is_coordination(request.user)
            field.empty_label = _("– ganze Stadt –")
        return field

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_sent:
            return False  # the archive keeps what was sent
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_sent:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<int:pk>/versenden/",
                self.admin_site.admin_view(self.send_view),
                name="participation_newsletter_send",
            ),
            path(
                "<int:pk>/testmail/",
                self.admin_site.admin_view(self.test_view),
                name="participation_newsletter_test",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        newsletter = self.get_object(request, object_id)
        if newsletter is not None:
            extra_context["preview"] = services.preview(newsletter)
            if not newsletter.is_sent:
                extra_context["send_url"] = reverse(
                    "admin:participation_newsletter_send", args=[newsletter.pk]
                )
                extra_context["follower_count"] = len(services.followers(newsletter))
        return super().change_view(request, object_id, form_url, extra_context)

    def _scoped(self, request, pk):
        if not self.has_module_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def test_view(self, request, pk):
        """POST: the letter to the writer's own address; back to the send page."""
        newsletter = self._scoped(request, pk)
        if request.method == "POST":
            try:
                address = services.newsletter_send_test(newsletter=newsletter, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR
                )
            else:
                self.message_user(
                    request,
                    _("Eine Testmail geht an %(address)s.") % {"address": address},
                    messages.SUCCESS,
                )
        return redirect("admin:participation_newsletter_send", newsletter.pk)

    def send_view(self, request, pk):
        newsletter = self._scoped(request, pk)
        if request.method != "POST":
            return TemplateResponse(
                request,
                "admin/participation/newsletter/send.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Quartiersbrief versenden"),
                    "newsletter": newsletter,
                    "preview": services.preview(newsletter),
                    "follower_count": len(services.followers(newsletter)),
                    "opts": self.model._meta,
                },
            )
        try:
            services.newsletter_send(newsletter=newsletter, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(
                request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR
            )
        else:
            self.message_user(
                request,
                _("Der Quartiersbrief wird jetzt im Hintergrund versendet."),
                messages.SUCCESS,
            )
        return redirect("admin:participation_newsletter_change", newsletter.pk)
