from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = "Opportunities"

    def ready(self) -> None:
        from django.core.signals import setting_changed
        from django.db.backends.signals import connection_created

        from opportunities.web import data_version

        # Every statement is watched, so a write always retires the cached pages it
        # could make stale (opportunities.web.data_version).
        connection_created.connect(data_version.fit_watch, dispatch_uid="data_version")
        setting_changed.connect(
            lambda **kwargs: data_version.move_on(), dispatch_uid="data_version", weak=False
        )
