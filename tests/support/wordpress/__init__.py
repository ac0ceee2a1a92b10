"""A real WordPress (Debian's package) for the tests, seeded with the sample site's posts.

``harness.WordPress`` runs its own MariaDB on a unix socket and one ``php -S`` server per site;
``fixtures`` offers them to the tests. Without the packages (or root, to write the config file
Debian's WordPress reads) those tests skip; ``READER_REQUIRE_WORDPRESS=1`` makes that a failure.
"""
