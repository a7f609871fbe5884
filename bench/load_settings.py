"""Settings of the load bench (bench/load.py): the production settings, read from the environment
as deployed, plus one trivial page for the ceiling run and a static root of the bench's own.

Nothing here changes what the application's own pages do; production never loads this module.
"""

import os
import tempfile
from pathlib import Path

from payakumbuh_sosial.settings import *  # noqa: F403

# The application's URLs plus /bench/ringan/ (bench/load_urls.py).
ROOT_URLCONF = "bench.load_urls"
# collectstatic (the manifest DEBUG=0 needs) goes to a folder of the bench's own, kept between runs,
# so that it never races a deploy check writing /staticfiles/.
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", Path(tempfile.gettempdir()) / "payakumbuh-bench-static"))
