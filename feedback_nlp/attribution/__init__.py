"""Attribution of feedback to a region (all 89 federal subjects) and an employment center."""
from __future__ import annotations

from feedback_nlp.attribution.attribute import Attribution, Attributor
from feedback_nlp.attribution.centers import Center, load_centers
from feedback_nlp.attribution.gazetteer import load_gazetteer, region_names

__all__ = ["Attribution", "Attributor", "Center", "load_centers", "load_gazetteer",
           "region_names"]
