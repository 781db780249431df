"""Settings for the serving benchmark: the production settings plus one bare view (bench/urls.py).

Nothing here changes how the portal behaves; the benchmark sets everything else through the same
environment variables production uses (see bench/serve_bench.py).
"""

from cica_portal.settings import *  # noqa: F403 (the production settings, unchanged)

ROOT_URLCONF = "bench.urls"
