from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("profile/", views.profile, name="profile"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("register/", views.register, name="register"),
    path("company/", views.company, name="company"),
    path("company/users/", views.colleagues, name="colleagues"),
    path("company/users/<int:pk>/deactivate/", views.colleague_deactivate, name="colleague_deactivate"),
    path("bank-changes/", views.bank_changes, name="bank_changes"),
    path("bank-changes/<int:pk>/", views.bank_change, name="bank_change"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("enterprises/<int:pk>/<str:action>/", views.enterprise_action, name="enterprise_action"),
]
