from django.urls import path, re_path

from topics import views

app_name = "topics"

urlpatterns = [
    path("", views.TopicIndexView.as_view(), name="index"),
    re_path(r"^(?P<slug>[-\w]+)/$", views.TopicView.as_view(), name="detail"),
]
