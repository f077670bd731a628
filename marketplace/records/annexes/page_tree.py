"""Many new pages under one parent in one transaction, as treebeard's add_child adds one.

add_child locks and re-reads the parent, reads its last child and raises numchild for every
page: three queries and two page instances each time, a sixth of a large import. Children
locks the parent and reads its last child once, gives each new page the path after the
previous one (treebeard's own _inc_path), and raises numchild once for the pages kept.
A page whose savepoint rolls back leaves a gap in the paths, as a deleted page does.
"""

from django.db.models import F

from wagtail.models import Page


class Children:
    def __init__(self, parent):
        self.parent = parent
        self.last = None  # the newest child: read once, then the page added last
        self.locked = False
        self.kept = 0  # pages added whose savepoints committed; numchild waits for finish()

    def add(self, page):
        """Save `page` as the parent's last child (Page.save runs as under add_child)."""
        if not self.locked:
            # The lock add_child takes; an editor adding a page here waits for the import to commit.
            fresh = type(self.parent).objects.select_for_update().get(pk=self.parent.pk)
            self.parent.numchild = fresh.numchild
            self.last = fresh.get_last_child()
            self.locked = True
        page.depth = self.parent.depth + 1
        if self.last is None:
            page.path = type(page)._get_path(self.parent.path, page.depth, 1)
        else:
            page.path = self.last._inc_path()  # raises PathOverflow as add_child would
        page._cached_parent_obj = self.parent
        page.save()
        self.last = page
        return page

    def keep(self, count):
        self.kept += count

    def finish(self):
        """Count the kept pages in the parent's numchild (inside the import's transaction)."""
        if self.kept:
            Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + self.kept)
            self.parent.numchild += self.kept
            self.kept = 0
        # The lock ends with the transaction: another one reads the parent again.
        self.locked, self.last = False, None
