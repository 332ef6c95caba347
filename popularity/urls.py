from django.urls import path

from popularity import views

app_name = "popularity"

urlpatterns = [
    path("most-viewed/", views.most_viewed_page, name="most-viewed"),
    path("most-viewed/<slug:period>/", views.most_viewed_page, name="most-viewed-period"),
]

beacon_urlpatterns = [
    path("beacon/articles/<id:pk>/view", views.view_beacon, name="view-beacon"),
]
