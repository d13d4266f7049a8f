"""Stage 3: render the validated catalogue into a renderer-neutral docs tree (Markdown + front
matter)."""
