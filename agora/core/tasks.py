"""Site-wide tasks: a ping that proves a worker picks tasks up and runs them."""

from django_tasks import task


@task()
def ping(token: str) -> str:
    """Answer `pong <token>`; the worker tests (and an operator, from `manage.py shell`) enqueue it."""
    return f"pong {token}"
