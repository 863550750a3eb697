from django.core.management.base import BaseCommand

from interviews.services.staff import admin_user_ensure


class Command(BaseCommand):
    help = "Create the back-office admin user with a generated password, printed once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        password = admin_user_ensure(username=username)
        if password is None:
            self.stdout.write(
                f"Admin user '{username}' already exists "
                f"(new password: python manage.py changepassword {username})."
            )
            return
        self.stdout.write(self.style.SUCCESS(f"Admin user: {username}  password: {password}"))
        self.stdout.write("This password is shown once; keep it.")
