"""Server-rendered HTML pages over ``parley.store.queries`` (``parley serve``).

``views.router`` holds the pages, ``templates/`` their Jinja2 templates (autoescape
on), ``static/`` the hand-written CSS and JS; ``highlight`` cuts an article's text into
annotated segments and ``chart`` lays out the dyad chart's SVG.
"""
