from django.urls import path, re_path

from articles.feeds import atom
from topics import views
from topics.feeds import TopicFeed

app_name = "topics"

urlpatterns = [
    path("", views.TopicIndexView.as_view(), name="index"),
    re_path(r"^(?P<slug>[-\w]+)/$", views.TopicView.as_view(), name="detail"),
    re_path(r"^(?P<slug>[-\w]+)/feed/$", TopicFeed(), name="feed"),
    re_path(r"^(?P<slug>[-\w]+)/feed/atom/$", atom(TopicFeed)(), name="feed-atom"),
]
