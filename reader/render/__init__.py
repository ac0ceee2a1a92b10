"""HTML to Rich renderables with a link table. Imports rich, never textual."""
