"""The two ways an annex or a list of records fails: one row, or the whole file."""


class RowError(Exception):
    """A problem with one row, in words the person who typed the file understands."""


class FileError(Exception):
    """The file as a whole cannot be read."""
