"""``python -m focal_boost``: see :mod:`focal_boost.cli`."""

from focal_boost.cli import main

raise SystemExit(main())
