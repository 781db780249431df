from django.urls import path

from . import calendars, feeds, views

app_name = "releases"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("press-releases/", views.ReleaseListView.as_view(), name="list"),
    path("press-releases/feed/", feeds.ReleaseFeed(), name="feed"),
    path("press-releases/feed/atom/", feeds.AtomReleaseFeed(), name="feed-atom"),
    path("press-releases/<slug:slug>/", views.ReleaseDetailView.as_view(), name="detail"),
    path(
        "press-releases/<slug:slug>/media-kit.zip",
        views.media_kit,
        {"kind": "release"},
        name="release-kit",
    ),
    path("events/<slug:slug>/media-kit.zip", views.media_kit, {"kind": "event"}, name="event-kit"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/past/", views.PastEventListView.as_view(), name="event-past"),
    path("events/calendar.ics", calendars.calendar, name="calendar"),
    path("events/<slug:slug>.ics", calendars.event_calendar, name="event-ics"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path("topics/<slug:slug>/feed/", feeds.TopicReleaseFeed(), name="topic-feed"),
    path("topics/<slug:slug>/feed/atom/", feeds.AtomTopicReleaseFeed(), name="topic-feed-atom"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("preview/<str:token>/", views.preview, name="preview"),
]
