"""``chempark consequence FILE|-``: run one consequence model (JSON in with a "model" key, JSON out)."""

from chempark.consequence.cli import main
from chempark.core.management.passthrough import PassThroughCommand


class Command(PassThroughCommand):
    help = "Consequence models (dispersion, fire, explosion): chempark consequence FILE (or - for stdin)"
    entry = staticmethod(main)
