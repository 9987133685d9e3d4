"""All factory_boy factories, importable as `from tests import factories` (one module per app below)."""

from tests.factories.base import *  # noqa: F403
from tests.factories.events import *  # noqa: F403
from tests.factories.funding import *  # noqa: F403
from tests.factories.matching import *  # noqa: F403
from tests.factories.periodical import *  # noqa: F403
from tests.factories.programme import *  # noqa: F403
from tests.factories.reports import *  # noqa: F403
