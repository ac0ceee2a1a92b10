"""The bundled sample site: an invented copy of the institute's news site, served on loopback.

``reader.sample.server.SampleServer`` serves it (``with SampleServer() as url: ...``);
``reader.sample.content.sample_site`` builds the hand-written site and
``reader.sample.generate.generate_site`` large invented ones for benchmarks. Nothing is
imported here, so ``import reader`` stays cheap.
"""
