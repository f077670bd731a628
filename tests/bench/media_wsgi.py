"""The production WSGI app with uploaded media served too, as the proxy in front serves them in production.

Only for make bench-pages: without it every product image would be a 404 and Lighthouse would measure
pages lighter than real ones.
"""

import os

from whitenoise import WhiteNoise

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
# autorefresh: renditions made on first request exist only after gunicorn started.
application = WhiteNoise(get_wsgi_application(), autorefresh=True)
application.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
