from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from quartier import views

handler404 = "quartier.views.error_404"
handler500 = "quartier.views.error_500"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("konto/", include("quartier.account_urls")),
    path("", include("quartier.legal_urls")),
    path("", include("neighbourhoods.urls")),
    path("", include("participation.urls")),
    path("", include("network.urls")),
    path("verwaltung/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
