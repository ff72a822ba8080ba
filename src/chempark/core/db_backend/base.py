"""PostgreSQL with a connection pool that follows its database settings.

Django keeps one pool per connection alias, made from the settings of the first connection. When a
process points the alias at another database (the browser tests copy the demo into a fresh database
per test and retarget every thread's connections by changing ``NAME``), the pool would go on
handing out connections to the old one; here a change of database, host, port or user closes that
alias's pool and the next connection comes from a new one made from the current settings.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    _pool_targets: dict[str, tuple[Any, ...]] = {}  # shared like Django's _connection_pools

    @property
    def pool(self) -> Any:
        target = tuple(self.settings_dict.get(key) for key in ("NAME", "HOST", "PORT", "USER"))
        previous = self._pool_targets.get(self.alias)
        self._pool_targets[self.alias] = target
        pools: dict[str, Any] = base.DatabaseWrapper._connection_pools  # type: ignore[attr-defined]  # Django 5.1+, not in the stubs
        if previous is not None and previous != target and self.alias in pools:
            pools.pop(self.alias).close()
        return super().pool  # type: ignore[misc]  # the pool property is Django 5.1+, not in the stubs
