#!/usr/bin/env bash
# Build assets/plotly-atlas.min.js: plotly.js with only the traces the app draws.
#
# Why: the full plotly.min.js is 4.8 MB (77 % of a first visit); the map needs `choropleth` and
# `scattergeo` on a `geo` subplot and the agency chart a `bar`, nothing else. plotly.js documents
# this way of making a custom bundle (require 'plotly.js/lib/core', register the trace modules).
# The version is pinned to the plotly.js that ships inside the installed plotly Python package,
# so figures built by plotly.py and drawn by the browser agree.
#
# Licence: plotly.js is MIT (Copyright 2012-2026 Plotly, Inc.); the banner is kept in the bundle.
# Run once, by a developer, with network access to the npm registry; the result is committed and
# the app never needs npm: `bash scripts/build_plotly_bundle.sh`
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$repo/.venv/bin/python}"
version="$("$python" -c 'from plotly.offline import get_plotlyjs_version as v; print(v())')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "plotly.js@$version" esbuild@0.25 >/dev/null
cat > entry.js <<'JS'
var Plotly = require('plotly.js/lib/core');
Plotly.register([
  require('plotly.js/lib/choropleth'),
  require('plotly.js/lib/scattergeo'),
  require('plotly.js/lib/bar'),
]);
module.exports = Plotly;
JS
banner="/* plotly.js v$version partial bundle for Task Atlas: core + choropleth + scattergeo + bar.
 * Built by scripts/build_plotly_bundle.sh. Copyright 2012-2026 Plotly, Inc. Licensed under the MIT license. */"
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly \
  --define:global=window --legal-comments=none --banner:js="$banner" \
  --outfile="$work/out/plotly.js"
# esbuild also writes out/plotly.css (maplibre's styles, pulled in by an import the traces above
# never use); only the script is kept, or Dash would load that stylesheet from assets/ too.
cp "$work/out/plotly.js" "$repo/assets/plotly-atlas.min.js"
ls -l "$repo/assets/plotly-atlas.min.js"
