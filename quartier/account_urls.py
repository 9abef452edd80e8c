from django.contrib.auth import views as auth_views
from django.urls import path

from quartier.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("registrieren/", views.SignupView.as_view(), name="signup"),
    path("registrieren/danke/", views.SignupDoneView.as_view(), name="signup-done"),
    path("bestaetigen/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path(
        "registrierung-verwerfen/<str:token>/",
        views.SignupCancelView.as_view(),
        name="signup-cancel",
    ),
    path("passwort-vergessen/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "passwort-vergessen/gesendet/",
        views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "passwort-neu/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "passwort-neu/fertig/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("passwort-aendern/", views.PasswordChangeView.as_view(), name="password-change"),
    path("beitraege/", views.ContributionsView.as_view(), name="contributions"),
    path(
        "beitraege/<slug:slug>/",
        views.ContributionsSectionView.as_view(),
        name="contributions-section",
    ),
    path("daten.json", views.DataExportView.as_view(), name="data-export"),
    path("loeschen/", views.AccountDeleteView.as_view(), name="delete"),
    path("zwei-faktor/", views.SecondFactorSetupView.as_view(), name="otp-setup"),
    path("zwei-faktor/pruefen/", views.SecondFactorVerifyView.as_view(), name="otp-verify"),
    path(
        "zwei-faktor/wiederherstellungscodes/",
        views.RecoveryCodesView.as_view(),
        name="otp-recovery-codes",
    ),
]
