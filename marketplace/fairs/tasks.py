"""Background task (django-tasks) that makes the first attempt of a meeting email."""

from django_tasks import task


@task()
def send_meeting_notification(notification_id):
    from .delivery import deliver

    return deliver(notification_id)
