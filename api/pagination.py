from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """?limit=&offset= (NetBox's style): 50 rows by default, 1000 at most."""

    default_limit = 50
    max_limit = 1000
