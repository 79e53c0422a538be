"""What every Tanya process sets before Django, and so numpy, loads.

Imported first by manage.py (the web server under `make run`, the task worker, commands),
config/wsgi.py and config/asgi.py. One BLAS thread per process: the vector search's matrix
product is steadier on one thread when workers share the cores (docs/search.md, "With
vectors"), and the variable only counts if it is set before numpy is first imported.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
