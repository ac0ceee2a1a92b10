"""Search ranks as a reader expects on the sample site: the post the words name comes first."""

from __future__ import annotations

import pytest

from reader.core.store import Store


@pytest.mark.parametrize("query", ["building tissue", "ten years", "Building Tissue"])
def test_the_post_whose_title_has_every_word_comes_first(store: Store, query: str) -> None:
    # BM25 alone (the title weighted five times the body) listed the impact report named so
    # fourth for "building tissue" and second for "ten years", below posts whose bodies say
    # the words more often.
    titles = [hit.post.title for hit in store.search(query)]
    named = [t for t in titles if all(w in t.lower() for w in query.lower().split())]
    assert named and titles[: len(named)] == named
