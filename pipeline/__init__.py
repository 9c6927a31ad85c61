"""The end-to-end build: documents → tables → place tags → geometry → one data folder."""
