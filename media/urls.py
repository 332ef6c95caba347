from django.urls import path, re_path

from media import views

app_name = "media"

urlpatterns = [
    path("gallery/", views.gallery_index, name="index"),
    path("gallery/films/", views.gallery_index, {"kind": "films"}, name="films"),
    re_path(r"^gallery/photos/(?P<slug>[-\w]+)/$", views.gallery_detail, name="gallery"),
    re_path(r"^gallery/films/(?P<slug>[-\w]+)/$", views.film_detail, name="film"),
    path("maps/", views.map_page, name="maps"),
    re_path(r"^maps/(?P<slug>[-\w]+)/$", views.map_page, name="map"),
]
