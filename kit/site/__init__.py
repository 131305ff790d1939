"""The handout site: executed lessons turned into self-contained offline HTML pages.

    python -m kit build                                   # notebooks/ -> site/ (see kit.site.build)
    jupyter nbconvert --to kit_handout --execute X.ipynb  # one page, the same bytes (see kit.site.exporter)

The modules, in the order the build uses them:

- ``build``: what to redo, and writing the site;
- ``sources``: the site's notebooks and pages, their keys, each page's context (neighbours, links);
- ``cache``: the content hashes that decide what runs again, and the executed-notebook cache,
  with ``imports`` (which kit files a lesson's kernel can run, read from the import statements);
- ``execute``: notebooks run in parallel kernels (nbclient);
- ``handout``: one page, written by ``exporter`` (nbconvert's HTMLExporter with the kit's
  template ``templates/kit_handout/``), its ``preprocess``-ors and ``outputs``, ``markup``,
  ``lesson_card``;
- ``vega``: the inlined Vega bundle;
- ``pdf``: printing the pages with headless Chromium;
- ``bench``: the build's speed and size benchmark (``python -m kit bench handouts``).
"""
