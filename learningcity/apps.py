from django.apps import AppConfig


class LearningCityConfig(AppConfig):
    name = "learningcity"

    def ready(self) -> None:
        from . import caching

        caching.connect_signals()
