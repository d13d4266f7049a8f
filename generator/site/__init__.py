"""Stages 4-6: assemble the docs tree, build HTML with mkdocs, index it with Pagefind, swap it
in."""
