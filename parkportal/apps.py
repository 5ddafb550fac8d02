from django.apps import AppConfig


class ParkPortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parkportal"
    verbose_name = "园区与企业"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .middleware import session_started
        from .roles import sync_role_groups_after_migrate

        # Without a sender: permissions of the apps after this one exist only later.
        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="parkportal-roles")
        user_logged_in.connect(session_started, dispatch_uid="parkportal-session-started")
