"""What every Tanya process sets before Django, and so numpy, loads.

The garbage collector's first generation collects after 50,000 new objects instead of
700: a page render allocates hundreds of thousands of short-lived objects (model
instances, strings, template contexts), and with the default threshold the collector ran
hundreds of times per render, each pass walking every object still alive (measured in
one process on the 100-answer question page: about 30% of a member's render and of a
visitor's; docs/performance.md, "The garbage collector"). Cycles are still collected,
young ones at the first or second generation. `freeze_startup()` (config/wsgi.py, after
the application loaded) moves what start-up made into the permanent generation, which
no collection walks again.

Imported first by manage.py (the web server under `make run`, the task worker, commands),
config/wsgi.py and config/asgi.py. One BLAS thread per process: the vector search's matrix
product is steadier on one thread when workers share the cores (docs/search.md, "With
vectors"), and the variable only counts if it is set before numpy is first imported.
"""

import gc
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

GC_THRESHOLD = (50_000, 20, 100)
gc.set_threshold(*GC_THRESHOLD)


def freeze_startup() -> None:
    """Leave what the process made while starting (modules, URLconf, templates, settings)
    out of every later collection."""
    gc.collect()
    gc.freeze()
