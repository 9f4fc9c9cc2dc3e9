from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("imrs/<int:pk>/", views.imr_detail, name="imr-detail"),
]
