"""Counting the queries a page, an API call or a function costs: one module for every test.

The house rule (DEVELOPERS.md): a list costs the same number of queries for 1 row and for
N rows. Tests measure once, add rows, measure again::

    one = count_get(client, url)
    ...  # add 29 rows
    assert count_get(client, url) == one

For a hard ceiling, wrap the call in pytest-django's ``django_assert_max_num_queries``.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def capture():
    """A context manager recording the queries run inside it (``len()`` is their number,
    ``captured_queries`` the queries themselves)."""
    return CaptureQueriesContext(connection)


def get_queries(client, url, *, status=200):
    """GET ``url`` with ``client``; the queries it ran (after checking the status, unless
    ``status`` is None)."""
    with capture() as queries:
        response = client.get(url)
    if status is not None:
        assert response.status_code == status, response.content[:2000]
    return queries.captured_queries


def count_get(client, url, *, status=200):
    """The number of queries a GET of ``url`` costs (the status checked as above)."""
    return len(get_queries(client, url, status=status))


def count_get_json(client, url):
    """For the API: (number of queries, decoded JSON body) of a GET answered 200."""
    with capture() as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def count_call(function, *args, **kwargs):
    """(number of queries, result) of ``function(*args, **kwargs)``: for selectors and
    services measured without a request."""
    with capture() as queries:
        result = function(*args, **kwargs)
    return len(queries), result


def sql_of(queries):
    """The SQL text of captured queries, one string each (for messages and searches)."""
    return [query["sql"] for query in queries]
