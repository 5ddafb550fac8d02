from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/close/", views.case_close, name="close"),
]
