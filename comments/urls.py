from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("comments/<id:pk>/", views.comment_post, name="post"),
]
