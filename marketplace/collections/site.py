"""/collections/ in the page tree every install needs (`manage.py setup_site`, the demo loader)."""

from catalogue.site import ensure_child

from .models import ProductCollectionIndexPage


def ensure_collection_index(home):
    """(page, created): /collections/ under the home page, titled and introduced in both languages."""
    return ensure_child(
        home,
        ProductCollectionIndexPage,
        title="Bộ sưu tập",
        title_en="Collections",
        slug="collections",
        intro="<p>Sản phẩm OCOP do Trung tâm chọn theo chủ đề.</p>",
        intro_en="<p>OCOP products picked by theme.</p>",
    )
