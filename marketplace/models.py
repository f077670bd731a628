"""The marketplace app's models, gathered from its wings: Django finds an app's models here.

Migrations name `marketplace.models.submission_path` (the certificate documents' upload_to),
so it stays importable from here.
"""

# Inquiries live in their own module; importing them here registers them with the app.
# Trade fairs and curated collections (marketplace/fairs, marketplace/collections).
from .collections.models import (  # noqa: E402, F401
    CollectionItem,
    CollectionRule,
    ProductCollectionIndexPage,
    ProductCollectionPage,
)
from .demand.models import AppearanceDay, PageViewDay, SearchDay, SearchEvent  # noqa: E402, F401
from .fairs.models import (  # noqa: E402, F401
    Exhibitor,
    FairFeaturedProduct,
    FairIndexPage,
    FairLivestream,
    FairPage,
    FairZone,
    MeetingFollowUp,
    MeetingNotification,
    MeetingRequest,
)
from .inquiries.models import (  # noqa: E402, F401
    Inquiry,
    InquiryFollowUp,
    InquiryMessage,
    InquiryNotification,
    InquirySettings,
)
from .lots.models import Lot, LotDocument, LotMaterial, LotStep  # noqa: E402, F401
from .orders.models import (  # noqa: E402, F401
    OrderNotification,
    OrderTransition,
    SampleOrder,
    SampleOrderSettings,
    ShippingZone,
    StripeEvent,
)
from .orders.reviews import ReviewModeration, SampleReview  # noqa: E402, F401

# The agency's records and the producers' certificate documents (marketplace/records).
from .records.models import (  # noqa: F401
    CertificateSubmission,
    DecisionBatch,
    ExpiryReminder,
    HeldRow,
    submission_path,
    submissions_for,
)
