"""``chempark gb18218 FILE|-``: GB 18218-2018 identification and grading of one unit (JSON in, JSON out)."""

from chempark.core.management.passthrough import PassThroughCommand
from chempark.gb18218.cli import main


class Command(PassThroughCommand):
    help = "GB 18218-2018 major-hazard identification and grading: chempark gb18218 FILE (or - for stdin)"
    entry = staticmethod(main)
