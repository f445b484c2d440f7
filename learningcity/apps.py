from django.apps import AppConfig


class LearningCityConfig(AppConfig):
    """The project: settings, root URLs, middleware, formats and the demo data. No models (its
    migrations are history: they built the committee decision's table before it moved to
    evaluation)."""

    name = "learningcity"
