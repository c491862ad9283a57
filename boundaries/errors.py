"""The boundary floor's error, apart from the geometry code so that raising or catching it is cheap."""


class BoundaryError(Exception):
    """A boundary file that cannot be used; the message names the file (and the feature)."""
