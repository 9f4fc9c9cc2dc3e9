#!/usr/bin/env bash
# Rebuild the committed front-end assets in static/ from govuk-frontend (Node needed here only).
set -euo pipefail
cd "$(dirname "$0")"
# Install the pinned packages only when node_modules does not already hold them: the build
# then works offline, and never empties a node_modules that another checkout links to.
if ! npm ls --depth=0 --offline >/dev/null 2>&1; then
  npm ci --no-audit --no-fund
fi
mkdir -p ../static/css ../static/js
npx --offline sass --pkg-importer=node --style=compressed --no-source-map scss/scr.scss ../static/css/scr.min.css
# The ES module, without the comment that points to a source map we do not ship.
sed 's|//# sourceMappingURL=[^[:space:]]*$||' node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
  > ../static/js/govuk-frontend.min.js
# Deliberately not copied: assets/fonts (GDS Transport) and assets/images (the crown, crest,
# favicons and GOV.UK icons), which are reserved for GOV.UK services.
# The compiled CSS must not link to a font, nor to a file that static/ does not have.
status=0
while IFS= read -r ref; do
  path="${ref#url(}"; path="${path%)}"; path="${path//\"/}"; path="${path//\'/}"
  case "$path" in
    data:*) continue ;;
    *.woff|*.woff2|*.ttf|*.otf|*.eot) echo "scr.min.css links to a font: $path" >&2; status=1 ;;
    /static/*) [ -f "../static/${path#/static/}" ] || { echo "scr.min.css links to a missing file: $path" >&2; status=1; } ;;
    *) echo "scr.min.css links outside static/: $path" >&2; status=1 ;;
  esac
done < <(grep -o 'url([^)]*)' ../static/css/scr.min.css || true)
[ "$status" -eq 0 ] || exit "$status"
echo "static/ rebuilt from govuk-frontend $(node -p "require('./node_modules/govuk-frontend/package.json').version")"
