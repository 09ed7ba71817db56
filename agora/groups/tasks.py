"""Group tasks: mailing an invitation's link, after the invitation is committed."""

from django_tasks import task

from .services import invitation_email_send


@task()
def send_invitation_email(invitation_id: int) -> bool:
    """Fetch the invitation by id and mail its link (nothing if it is gone, used, revoked or expired)."""
    return invitation_email_send(invitation_id=invitation_id)
