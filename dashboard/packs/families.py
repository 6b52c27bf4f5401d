"""The packs of programmes without districts, by family: a savings programme's and a care-at-home
programme's board and scrutiny packs are their own (the board and scrutiny packs of a programme of
districts hand over to these)."""

from dashboard.packs.care import care_pack
from dashboard.packs.savings import savings_pack

FAMILY_PACKS = {"savings": savings_pack, "care": care_pack}
