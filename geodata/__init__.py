"""Districts and zones: boundaries, places registry, gazetteer and task tagging (no dash)."""
