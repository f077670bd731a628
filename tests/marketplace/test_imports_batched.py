"""What an import defers to its end is right at its end: the page tree, history, reference
index and admin search index, also when a row in the middle fails and is rolled back."""

import pytest
from modelsearch.backends import get_search_backend

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from wagtail.models import ModelLogEntry, Page, PageLogEntry, ReferenceIndex

from catalogue.models import Certification, Producer, ProductIndexPage, ProductPage
from marketplace.records.annexes.importer import import_decisions
from marketplace.records.models import HeldRow

pytestmark = pytest.mark.django_db

HEADER = "producer,legal form,province,product name,sub-group,stars,score,decision number,issuing body,signing date\n"
DECISION = "1210/QĐ-UBND,UBND tỉnh Lào Cai,03/10/2025"


def annex(*rows, decision=DECISION):
    return (HEADER + "\n".join(f"{row},{decision}" for row in rows) + "\n").encode()


# The third row fails after its producer and page were written: a 3★ result cannot score 95.
ROWS = annex(
    "HTX Gạo Séng Cù,Hợp tác xã,Lào Cai,Gạo Séng Cù,1.2.a,4,",
    "HTX Gạo Séng Cù,Hợp tác xã,Lào Cai,Rượu ngô Bắc Hà,1.3.b,3,",
    "HTX Mận Tam Hoa,Hợp tác xã,Lào Cai,Mận sấy Tam Hoa,1.3.c,3,95",
    "HTX Chè Shan Tuyết,Hợp tác xã,Lào Cai,Mận sấy Tam Hoa,1.3.c,3,",
    "Công ty TNHH Thảo dược Sa Pa,Doanh nghiệp,Lào Cai,Cao atiso Sa Pa,3.1,4,",
)


@pytest.fixture
def imported(roles, agency):
    report = import_decisions(ROWS, "lao-cai.csv", agency, dry_run=False)
    assert report.committed
    assert [row.ok for row in report.rows] == [True, True, False, True, True]
    assert "score" in report.rows[2].errors[0]
    return report


def references():
    """The reference index rows whose source is a producer, product page or record."""
    sources = ContentType.objects.get_for_models(Producer, ProductPage, Certification).values()
    return set(
        ReferenceIndex.objects.filter(content_type__in=sources).values_list(
            "content_type", "base_content_type", "object_id", "to_content_type", "to_object_id", "content_path"
        )
    )


def test_the_failed_row_leaves_nothing_behind(imported):
    assert not Producer.objects.filter(name="HTX Mận Tam Hoa").exists()
    plum = ProductPage.objects.get(title="Mận sấy Tam Hoa")
    assert plum.producer.name == "HTX Chè Shan Tuyết"
    # The rolled-back page gave its slug back: the next page with its title has it unsuffixed.
    assert plum.slug == "man-say-tam-hoa"
    assert ProductPage.objects.count() == Certification.objects.count() == 4


def test_the_page_tree_is_whole_and_takes_more_pages(imported, product_index):
    assert Page.find_problems() == ([], [], [], [], [])
    index = ProductIndexPage.objects.get(pk=product_index.pk)
    assert index.numchild == index.get_children().count() == 4
    paths = [p.path for p in index.get_children()]
    assert paths == sorted(set(paths))
    some = ProductPage.objects.first()
    fields = {"producer": some.producer, "category": some.category, "province": some.province, "live": False}
    later = index.add_child(instance=ProductPage(title="Added in the admin", **fields))
    assert later.path > paths[-1] and later.get_parent().pk == index.pk


def test_each_object_has_its_history_once(imported, agency):
    for page in ProductPage.objects.all():
        entries = PageLogEntry.objects.filter(page=page)
        assert [(e.action, e.user) for e in entries] == [("wagtail.create", agency)]
    for record in Certification.objects.all():
        assert [(e.action, e.user) for e in ModelLogEntry.objects.for_instance(record)] == [("wagtail.create", agency)]
        assert record.latest_revision == record.revisions.get()
    for producer in Producer.objects.all():
        assert [e.action for e in ModelLogEntry.objects.for_instance(producer)] == ["wagtail.create"]


def test_the_reference_index_is_what_wagtail_would_build(imported):
    record = Certification.objects.get(product_name="Cao atiso Sa Pa")
    assert {(r.model_path, r.to_object_id) for r in ReferenceIndex.get_references_for_object(record)} >= {
        ("product", str(record.product_id)),
        ("producer", str(record.producer_id)),
    }
    uses = ReferenceIndex.get_references_to(Producer.objects.get(name="HTX Gạo Séng Cù"))
    assert {(r.model_path, r.object_id) for r in uses if r.model_path == "producer"} >= {
        ("producer", str(page.pk)) for page in ProductPage.objects.filter(producer__name="HTX Gạo Séng Cù")
    }
    after_import = references()
    call_command("rebuild_references_index", verbosity=0)
    assert references() == after_import


def test_the_admin_search_finds_what_was_imported_and_not_what_rolled_back(imported):
    backend = get_search_backend()
    assert [p.title for p in backend.search("Rượu ngô Bắc Hà", ProductPage)] == ["Rượu ngô Bắc Hà"]
    assert [p.producer.name for p in backend.search("Mận sấy Tam Hoa", ProductPage)] == ["HTX Chè Shan Tuyết"]
    found = {c.product_name for c in backend.search("Séng Cù", Certification)}
    assert found == {"Gạo Séng Cù", "Rượu ngô Bắc Hà"}  # by product or producer name
    assert [c.producer_name for c in backend.search("Mận sấy Tam Hoa", Certification)] == ["HTX Chè Shan Tuyết"]
    assert [p.name for p in backend.search("Thảo dược Sa Pa", Producer)] == ["Công ty TNHH Thảo dược Sa Pa"]
    assert list(backend.search("Mận Tam Hoa", Producer)) == []


def test_importing_again_changes_nothing_deferred(imported, agency):
    before = references(), PageLogEntry.objects.count(), ModelLogEntry.objects.count()
    numchild = ProductIndexPage.objects.get().numchild
    again = import_decisions(ROWS, "lao-cai.csv", agency, dry_run=False)
    assert not any(row.changed for row in again.rows if row.ok)
    assert (references(), PageLogEntry.objects.count(), ModelLogEntry.objects.count()) == before
    assert ProductIndexPage.objects.get().numchild == numchild


def test_a_record_changed_by_a_later_file_has_its_references_replaced(roles, agency):
    decision = "1425/QĐ-UBND,UBND tỉnh Quảng Nam,12/06/2024"
    row = "HTX Mật ong Tiên Phước,Hợp tác xã,{province},Mật ong rừng Tiên Phước,1.2.b,4,"
    import_decisions(annex(row.format(province="Quảng Nam"), decision=decision), "a.csv", agency, dry_run=False)
    record = Certification.objects.get()
    assert record.legacy_province.name == "Quảng Nam"
    # The corrected file names the other province of the merger; the same record now points there.
    again = import_decisions(annex(row.format(province="Đà Nẵng"), decision=decision), "b.csv", agency, dry_run=False)
    assert again.rows[0].record == "updated"
    record.refresh_from_db()
    assert record.legacy_province.name == "Đà Nẵng"
    targets = {(r.model_path, r.to_object_id) for r in ReferenceIndex.get_references_for_object(record)}
    assert ("legacy_province", str(record.legacy_province_id)) in targets
    assert len([t for t in targets if t[0] == "legacy_province"]) == 1
    after_import = references()
    call_command("rebuild_references_index", verbosity=0)
    assert references() == after_import


def test_a_slug_taken_while_the_file_imports_holds_only_that_row(roles, agency):
    from marketplace.records.annexes.cells import read_rows
    from marketplace.records.annexes.importer import DecisionImporter
    from tests.factories import ProducerFactory

    importer = DecisionImporter(agency)  # reads the producers' slugs now
    ProducerFactory(name="Someone else", slug="htx-gao-seng-cu")  # saved by someone else meanwhile
    report = importer.run(read_rows(ROWS, "lao-cai.csv"), dry_run=False, content=ROWS, filename="lao-cai.csv")
    assert report.committed
    first, second = report.rows[:2]  # both rows of HTX Gạo Séng Cù
    assert "clashed" in first.errors[0] and second.ok  # the second row made the producer again, unclashed
    assert HeldRow.objects.get(line=first.line).problem == HeldRow.Problem.ERROR
    assert Page.find_problems() == ([], [], [], [], [])
