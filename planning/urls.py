from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("plan/<int:year>/", views.plan, name="plan"),
    path("plan/<int:year>/tasks/<str:code>/done/", views.mark_done, name="mark_done"),
]
