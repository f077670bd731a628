"""Recognition decisions as provinces publish them: a decision and its annex, read, matched and imported.

The agency enters the decision once (number, signing date, issuing body) and uploads the
annex (CSV or XLSX, one row per certified product). Per-row decision columns win where a
file has them, so tidy files with every column on every row keep working. Title rows,
blank rows, the STT column, column-number rows and merged section headings ("I. Sản phẩm
đạt 4 sao", whose stars the rows below inherit) are skipped.

Each row is read first (nothing written: rows), then checked against the other rows, then
written in its own savepoint (importer):
- what no column gives is derived where the rules allow (legal form from the producer's
  name, province from the issuing body or the address) and reported as derived;
- a row missing what the catalogue cannot do without (producer, product, sub-group,
  stars, decision) is *incomplete*; a row that is wrong (2★, an unknown province, a date
  before the programme, a conflict with another row) is an *error*. Neither blocks the
  other rows; both are kept as HeldRows (marketplace.records.models) with their reasons for
  the agency to complete and import later.
A good row becomes a Producer (matched by registration number, else by its name with the
legal-form prefix normalised, within its province; near matches are only proposed: matching),
a draft ProductPage under /products/ and a Certification record with a revision and a log
entry. Search re-indexing is collected and enqueued once per import, after commit; the
admin search index, the reference index and /products/'s child count are updated once, at
the end of the import's transaction (search_index, reference_index, page_tree).

The modules, from the bottom up: errors, columns, cells, values, matching, report, rows, importer.
"""
