#!/usr/bin/env bash
# Rebuild the committed front-end assets in static/ from govuk-frontend (Node needed here only).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
mkdir -p ../static/css ../static/js
npx sass --pkg-importer=node --style=compressed --no-source-map scss/scr.scss ../static/css/scr.min.css
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js ../static/js/govuk-frontend.min.js
# Deliberately not copied: assets/fonts (GDS Transport) and assets/images (the crown and crest),
# which are reserved for GOV.UK services.
echo "static/ rebuilt from govuk-frontend $(node -p "require('./node_modules/govuk-frontend/package.json').version")"
