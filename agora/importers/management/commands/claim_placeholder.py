"""manage.py claim_placeholder EMAIL USERNAME: give an imported archive's posts from EMAIL to a member."""

from django.core.management.base import BaseCommand, CommandError

from agora.accounts.models import User
from agora.accounts.usernames import canonical_username
from agora.importers.claims import placeholder_claim
from agora.importers.models import PlaceholderPerson


class Command(BaseCommand):
    help = (
        "Move the posts an imported mailing-list archive attributed to a placeholder person (by their "
        "address) to an existing member: for someone who cannot verify that address any more. "
        "Verifying the address on the site does the same by itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the address the archive's messages came from")
        parser.add_argument("username", help="the member who gets the posts")

    def handle(self, *args, **options):
        email = options["email"].strip().lower()
        user = User.objects.filter(username_canonical=canonical_username(options["username"])).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active member is called “{options['username']}”. Nothing was moved.")
        placeholders = list(PlaceholderPerson.objects.filter(email=email).select_related("user", "claimed_by"))
        if not placeholders:
            raise CommandError(f"No imported author wrote from {email}. Nothing was moved.")
        moved = 0
        for placeholder in placeholders:
            if placeholder.claimed_by_id is not None:
                self.stdout.write(f"{placeholder.user.username}: already claimed by {placeholder.claimed_by}.")
                continue
            moved += placeholder_claim(placeholder=placeholder, user=user)
        self.stdout.write(self.style.SUCCESS(f"Moved {moved} posts from {email} to {user.username}."))
