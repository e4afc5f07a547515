"""The interruption of a load that took longer than it was given."""

from __future__ import annotations


class LoadTimeout(KeyboardInterrupt):
    """Raised into a load past its deadline (`studio graph/run --load-timeout`): the
    import it interrupts is reported as not finished in time, naming the module."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"stopped after {seconds:g} s")
        self.seconds = seconds
