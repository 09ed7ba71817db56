"""Models and migrations agree: a model change without its migration fails here, not in production."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_migration_is_pending():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Pending migrations (run manage.py makemigrations):\n{out.getvalue()}", pytrace=False)
