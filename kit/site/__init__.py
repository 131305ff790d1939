"""The handout site: executed lessons turned into self-contained offline HTML pages.

    python -m kit build          # notebooks/ -> site/ (see kit.site.build)

The modules, in the order the build uses them:

- ``build``: which notebooks and pages, what to redo, and writing the site;
- ``cache``: the content hashes that decide what runs again, and the executed-notebook cache;
- ``execute``: notebooks run in parallel kernels (nbclient);
- ``handout`` (with ``outputs``, ``markup``, ``lesson_card`` and ``templates/``): one page;
- ``vega``: the inlined Vega bundle;
- ``pdf``: printing the pages with headless Chromium;
- ``bench``: the build's speed and size benchmark (``python -m kit bench handouts``).
"""
