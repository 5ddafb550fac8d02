"""The portal's URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .health import health

admin.site.site_header = "园区经济运行监测平台 · 管理后台"
admin.site.site_title = "园区经济运行监测平台"
admin.site.index_title = "数据与登记管理"

urlpatterns = [
    path("", include("reports.urls")),
    path("", include("indicators.urls")),
    path("", include("projects.urls")),
    path("", include("planning.urls")),
    path("investment/", include("investment.urls")),
    path("services/", include("services.urls")),
    path("health/", health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/workbook/", include("workbook.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
]
