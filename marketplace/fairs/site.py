"""/fairs/ in the page tree every install needs (`manage.py setup_site`, the demo loader)."""

from catalogue.site import ensure_child

from .models import FairIndexPage


def ensure_fair_index(home):
    """(page, created): /fairs/ under the home page, titled and introduced in both languages."""
    return ensure_child(
        home,
        FairIndexPage,
        title="Hội chợ OCOP",
        title_en="OCOP fairs",
        slug="fairs",
        intro="<p>Hội chợ và phiên kết nối cung cầu OCOP.</p>",
        intro_en="<p>OCOP fairs and supply-demand matching sessions.</p>",
    )
