"""The bundled sample site: an invented copy of the institute's news site, served on loopback."""
