"""Plan documents → plans, sections, tasks and units (pure data code: never imports dash)."""
