"""Background task (django-tasks) that makes the first attempt of a sample-order email."""

from django_tasks import task


@task()
def send_order_notification(notification_id):
    from .delivery import deliver

    return deliver(notification_id)
