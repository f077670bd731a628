"""Writing an annex's rows: a producer, a draft product page and a record each, in one transaction.

Each row is written in its own savepoint; rows not imported are kept as HeldRows. The admin
search index, the reference index and /products/'s child count are updated once, at the end
of the import's transaction (search_index, reference_index, page_tree).
"""

import contextlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wagtail.log_actions import log
from wagtail.signal_handlers import disable_reference_index_auto_update

from catalogue.models import Certification, Producer, ProductPage
from catalogue.text import fold, slugify
from search.signals import batched

from ..models import DecisionBatch, HeldRow
from . import reference_index
from .cells import cell_text, read_rows
from .errors import FileError, RowError
from .matching import ProducerIndex, producer_key
from .page_tree import Children
from .report import ImportReport, RowResult
from .rows import AnnexReader, Decision
from .search_index import deferred as deferred_search_index

# The importer sets a record's relations from objects it holds and checks the stars itself;
# validating those again would cost a query each per row (the database constraints still hold).
RECORD_CLEAN = {"exclude": ["product", "producer", "legacy_province", "document"], "validate_constraints": False}
RECORD_RELATIONS = {"producer", "legacy_province"}


def unique_slug(base, taken, suffix=""):
    slug = (base or "item")[:200]
    if suffix and slug in taken:
        slug = f"{slug}-{suffix}"[:240]
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


class DecisionImporter(AnnexReader):
    def __init__(self, user=None, decision=None, confirmed=None):
        super().__init__(decision)
        self.user = user
        # {line: producer id}: near matches the agency confirmed in the dry run.
        self.confirmed = confirmed or {}
        self.producers = ProducerIndex()
        self.products = {}  # producer id (or id() of one not saved) -> {folded title: page}
        self.producer_objects = {}  # id -> Producer, loaded once; negative ids are a dry run's new producers
        self.dry_run = True
        self.saved = {}  # (model, pk) -> object saved, for one reference-index update each at the end
        self.row_saved = []  # saved by the row being written; kept only if its savepoint commits
        self.product_slugs = None  # slugs of /products/'s children, read when the first page is created
        self.records = {}  # (decision number, signing date) -> {product id: record}, read when first asked
        self.children = Children(self.lookups.index) if self.lookups.index is not None else None
        self.row_slugs = []  # (set, slug) taken by the row being written; given back if it rolls back

    def run(self, rows, dry_run=True, content=b"", filename=""):
        if self.lookups.index is None:
            raise FileError(_("There is no /products/ page to put new products under; run `manage.py setup_site`."))
        results = self.parse_file(rows)
        report = ImportReport(rows=results, dry_run=dry_run)
        self.dry_run = dry_run
        if dry_run:
            # A dry run reads and validates but writes nothing, so it is as fast as reading allows.
            for result in results:
                self.write(result)
            return report
        with batched() as touched, transaction.atomic():
            with disable_reference_index_auto_update(), deferred_search_index():
                for result in results:
                    self.write(result)
            self.finish()
            report.batch = self.keep(results, content, filename)
            report.committed = True
            report.reindexed = sorted(touched)
        return report

    def remember(self, instance):
        self.row_saved.append(instance)

    def take_slug(self, taken, base, suffix):
        slug = unique_slug(base, taken, suffix)
        taken.add(slug)
        self.row_slugs.append((taken, slug))
        return slug

    def finish(self):
        """What the import's writes leave to its end, inside its transaction."""
        self.children.finish()
        self.update_reference_index()

    def update_reference_index(self):
        """Once per object saved, instead of once per save (a record is saved twice: itself and its revision)."""
        reference_index.update(self.saved.values())
        self.saved.clear()

    def write(self, result):
        if not result.ok:
            return
        self.row_saved, self.row_slugs = [], []
        try:
            with transaction.atomic() if not self.dry_run else contextlib.nullcontext():
                producer = self.producer(result)
                product = self.product(result, producer)
                record = self.record(result, producer, product)
                result.certification_id = record.pk
        except RowError as exc:
            result.errors.append(str(exc))
        except ValidationError as exc:
            result.errors.extend(self.plain(exc))
        except IntegrityError:
            # The slugs were read when the import began and someone saved one since: read them
            # again for the rows still to come; this row is held to be imported again.
            self.row_slugs = []
            self.producers.slugs = set(Producer.objects.values_list("slug", flat=True))
            self.product_slugs = None
            result.errors.append(
                _("Another change clashed with this row while the file was importing; import it again.")
            )
        if result.errors:
            result.producer = result.product = result.record = ""
            # Pages, producers and records this row wrote were rolled back with its savepoint.
            self.products.clear()
            self.producer_objects.clear()
            self.records.clear()
            for taken, slug in self.row_slugs:
                taken.discard(slug)
        else:
            self.saved.update(((type(o), o.pk), o) for o in self.row_saved)
            if not self.dry_run:
                self.children.keep(sum(isinstance(o, ProductPage) for o in self.row_saved))

    def keep(self, results, content, filename):
        """The batch and its rows not imported, so nothing uploaded is lost; the same file twice adds nothing."""
        decision = self.decision
        fingerprint = DecisionBatch.fingerprint_for(
            DecisionBatch.Kind.RECOGNITION, content, decision.number, decision.signed_on, decision.issuing_body
        )
        batch, _created = DecisionBatch.objects.get_or_create(
            fingerprint=fingerprint,
            defaults={
                "kind": DecisionBatch.Kind.RECOGNITION,
                "decision_number": decision.number,
                "signed_on": decision.signed_on,
                "issuing_body": decision.issuing_body,
                "filename": filename[:255],
                "created_by": self.user,
            },
        )
        existing = {row.line: row for row in batch.held_rows.all()}
        for result in results:
            held = existing.get(result.line)
            if result.ok:
                if held is not None and held.status == HeldRow.Status.HELD:
                    held.status, held.certification_id = HeldRow.Status.IMPORTED, result.certification_id
                    held.save(update_fields=["status", "certification", "updated_at"])
                continue
            problem = HeldRow.Problem.ERROR if result.errors else HeldRow.Problem.INCOMPLETE
            if held is None:
                HeldRow.objects.create(
                    batch=batch, line=result.line, values=result.values, reasons=result.reasons, problem=problem
                )
            elif held.status == HeldRow.Status.HELD and (held.reasons, held.problem) != (result.reasons, problem):
                # Completed in the admin since? Those edits win; only the reasons are refreshed.
                held.reasons, held.problem = result.reasons, problem
                held.save(update_fields=["reasons", "problem", "updated_at"])
        return batch

    @staticmethod
    def plain(exc):
        if hasattr(exc, "message_dict"):
            return [f"{name.replace('_', ' ')}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items()]
        return list(exc.messages)

    def get_producer(self, pk):
        if pk not in self.producer_objects:
            self.producer_objects[pk] = Producer.objects.filter(pk=pk).first()
        return self.producer_objects[pk]

    def find_producer(self, result):
        parsed = result.parsed
        province = parsed["province"]
        registration = parsed["registration_number"]
        confirmed = self.confirmed.get(result.line)
        if confirmed:
            producer = self.get_producer(confirmed)
            if producer is not None:
                result.matched_by = _("confirmed by the agency")
                return producer
        if registration:
            pk = self.producers.by_registration.get(fold(registration))
            if pk is not None:
                result.matched_by = _("registration number")
                return self.get_producer(pk)
        pk = self.producers.by_key.get((province.pk, producer_key(result.producer_name)))
        if pk is not None:
            producer = self.get_producer(pk)
            # Two registration numbers say two producers, whatever their names.
            if producer is not None and not (
                registration
                and producer.registration_number
                and fold(producer.registration_number) != fold(registration)
            ):
                if producer.name != result.producer_name:
                    result.matched_by = _("name (spelt “{name}”)").format(name=producer.name)
                return producer
        return None

    def producer(self, result):
        parsed = result.parsed
        province = parsed["province"]
        name = result.producer_name
        registration = parsed["registration_number"]
        producer = self.find_producer(result)
        if producer is None:
            result.proposals = self.producers.near(name, province.pk)
            producer = Producer(
                name=name,
                slug=self.take_slug(self.producers.slugs, slugify(name), province.slug),
                legal_form=parsed["legal_form"],
                registration_number=registration,
                province=province,
                address_line=parsed["address"],
            )
            # The province comes from the reference data and the slug is made unique above: no queries to check them.
            producer.full_clean(exclude=["slug", "province"], validate_constraints=False)
            if self.dry_run:
                pk = -len(self.producer_objects) - 1
            else:
                producer.save()
                log(instance=producer, action="wagtail.create", user=self.user)
                self.remember(producer)
                pk = producer.pk
            # A row rolled back later leaves a stale id here; the lookup then finds nothing.
            self.producer_objects[pk] = producer
            self.producers.add(pk, name, province.pk, registration)
            result.producer = "created"
            return producer
        changed = []
        # A derived legal form never overwrites one the producer already has.
        if _("legal form") not in result.derived and producer.legal_form != parsed["legal_form"]:
            producer.legal_form = parsed["legal_form"]
            changed.append("legal_form")
        if registration and producer.registration_number != registration:
            producer.registration_number = registration
            changed.append("registration_number")
        if not producer.address_line and parsed["address"]:
            producer.address_line = parsed["address"]
            changed.append("address_line")
        if changed:
            producer.full_clean(exclude=["slug", "province"], validate_constraints=False)
            if not self.dry_run:
                producer.save()
                log(instance=producer, action="wagtail.edit", user=self.user)
                self.remember(producer)
        result.producer = "updated" if changed else "unchanged"
        return producer

    def product(self, result, producer):
        parsed = result.parsed
        title = result.product_name
        key = producer.pk or id(producer)
        pages = self.products.get(key)
        if pages is None:
            found = ProductPage.objects.filter(producer=producer).only("pk", "title") if producer.pk else []
            pages = self.products[key] = {fold(p.title): p for p in found}
        product = pages.get(fold(title))
        if product is not None:
            result.product = "unchanged"  # the producer owns the page once it exists
            return product
        index = self.lookups.index
        if self.dry_run:
            product = ProductPage(title=title, producer=producer, category=parsed["category"])
            pages[fold(title)] = product
            result.product = "created"
            return product
        if self.product_slugs is None:
            self.product_slugs = set(index.get_children().values_list("slug", flat=True))
        product = ProductPage(
            title=title,
            slug=self.take_slug(self.product_slugs, slugify(title), producer.slug),
            producer=producer,
            category=parsed["category"],
            province=parsed["province"],
            live=False,
            owner=self.user,
            # What Page.save would look up once per page: the parent's locale, and whether
            # the page is a site's root (a page created now cannot be).
            locale_id=index.locale_id,
        )
        product._is_site_root = False
        # Page.save logs the creation (wagtail.create, by the owner). No revision yet: the
        # editor opens the page itself, and the producer's first save makes one.
        self.children.add(product)
        self.remember(product)
        pages[fold(title)] = product
        result.product = "created"
        return product

    def find_record(self, lookup):
        """The product's record of this decision: the decision's records are read once per import."""
        key = (lookup["decision_number"], lookup["signed_on"])
        if key not in self.records:
            self.records[key] = {}
            for record in Certification.objects.filter(decision_number=key[0], signed_on=key[1]):
                self.records[key].setdefault(record.product_id, record)  # the newest, as .first() gave
        return self.records[key].get(lookup["product"].pk)

    def record(self, result, producer, product):
        parsed = result.parsed
        fields = {
            "producer": producer,
            "product_name": result.product_name,
            "producer_name": result.producer_name,
            "issued_address": parsed["address"],
            "legacy_province": parsed["legacy_province"],
            "category_as_issued": parsed["sub_group_text"],
            "issuing_body": parsed["issuing_body"],
            "recognition_level": parsed["level"],
            "recognition_type": parsed["recognition_type"],
            "stars": parsed["stars"],
        }
        if parsed["score"] is not None:
            fields["score"] = parsed["score"]
        lookup = {"decision_number": parsed["decision_number"], "signed_on": parsed["signed_on"], "product": product}
        # A page created by this row has no records yet.
        created = result.product == "created"
        record = self.find_record(lookup) if product.pk and not created else None
        if record is None:
            record = Certification(**lookup, **fields)
            record.full_clean(**RECORD_CLEAN)
            if self.dry_run:
                result.record = "created"
                return record
            record.save()
            self.remember(record)
            # Known to later rows if the decision's records were read already (else they read it with them).
            self.records.get((record.decision_number, record.signed_on), {})[product.pk] = record
            # Cleaned just above; save_revision's own full_clean would re-check the relations we set.
            record.save_revision(user=self.user, log_action="wagtail.create", clean=False)
            result.record = "created"
            return record
        changed = False
        for name, value in fields.items():
            if name in RECORD_RELATIONS:  # by id: reading the related object would cost a query per row
                current, value_id = getattr(record, f"{name}_id"), value.pk if value is not None else None
                if current != value_id:
                    setattr(record, name, value)
                    changed = True
                continue
            current = getattr(record, name)
            if name == "score" and current is not None:
                current = float(current)
            if current != value:
                setattr(record, name, value)
                changed = True
        if changed:
            record.full_clean(**RECORD_CLEAN)
            if not self.dry_run:
                record.save()
                record.save_revision(user=self.user, log_action=True, clean=False)
                self.remember(record)
        result.record = "updated" if changed else "unchanged"
        return record

    # One held row, completed in the admin

    def import_held(self, held, dry_run=False):
        """Check (or import) one held row with its current values; updates the held row when importing."""
        batch = held.batch
        self.decision = Decision(batch.decision_number, batch.signed_on, batch.issuing_body)
        result = RowResult(line=held.line, values=dict(held.values))
        text = {}
        for column, value in held.values.items():
            try:
                text[column] = cell_text(value, column)
            except RowError as exc:
                result.errors.append(str(exc))
        self.interpret(result, text)
        self.dry_run = dry_run
        if dry_run:
            self.write(result)
            return result
        with batched() as touched, transaction.atomic():
            with disable_reference_index_auto_update(), deferred_search_index():
                self.write(result)
            self.finish()
            if not result.ok:
                transaction.set_rollback(True)
                touched.clear()
            else:
                held.status, held.certification_id = HeldRow.Status.IMPORTED, result.certification_id
                held.reasons = []
                held.save()
        if not dry_run and not result.ok:
            held.reasons = result.reasons
            held.problem = HeldRow.Problem.ERROR if result.errors else HeldRow.Problem.INCOMPLETE
            held.save(update_fields=["values", "reasons", "problem", "updated_at"])
        return result


def import_decisions(content, filename, user=None, dry_run=True, decision=None, confirmed=None):
    """Parse and import one uploaded annex; returns an ImportReport (raises FileError for unreadable files)."""
    rows = read_rows(content, filename)
    return DecisionImporter(user, decision, confirmed).run(rows, dry_run=dry_run, content=content, filename=filename)
