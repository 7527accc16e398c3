#!/usr/bin/env bash
# Vendors the workbench's map and network libraries from the npm registry into
# src/sayso/web/static/vendor/<lib>/, with their licences and a README of exact versions, so the
# workbench fetches nothing at run time. Rerun after changing a pin below; review the diff.
#   scripts/vendor_web.sh
set -euo pipefail

# package@version  files to keep (paths inside the package; the licence is always kept)
PINS=(
  "leaflet@1.9.4 dist/leaflet.js dist/leaflet.css"
  "leaflet.markercluster@1.5.3 dist/leaflet.markercluster.js dist/MarkerCluster.css"
  "topojson-client@3.1.0 dist/topojson-client.min.js"
  "world-atlas@2.0.2 countries-110m.json"
  "cytoscape@3.35.0 dist/cytoscape.min.js"
)

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/src/sayso/web/static/vendor"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

rm -rf "$DEST"
mkdir -p "$DEST"
{
  echo "# Vendored browser libraries"
  echo
  echo "Fetched from the npm registry by \`scripts/vendor_web.sh\` (\`npm pack <package>@<version>\`);"
  echo "served from /static/vendor/ so the workbench needs no network at run time. Do not edit"
  echo "these files by hand: change the pins in the script and rerun it."
  echo
  echo "| package | version | licence | tarball sha256 | files |"
  echo "|---|---|---|---|---|"
} > "$DEST/README.md"

for pin in "${PINS[@]}"; do
  read -r spec files <<< "$pin"
  name=${spec%@*}
  version=${spec##*@}
  (cd "$WORK" && npm pack "$spec" --silent > /dev/null)
  tarball=$(ls "$WORK"/*.tgz)
  mkdir -p "$WORK/x"
  tar xzf "$tarball" -C "$WORK/x"
  out="$DEST/$name"
  mkdir -p "$out"
  licence=$(cd "$WORK/x/package" && ls | grep -iE '^(license|licence|mit-licen)' | head -1)
  cp "$WORK/x/package/$licence" "$out/LICENSE"
  kept=()
  for f in $files; do
    cp "$WORK/x/package/$f" "$out/"
    kept+=("$(basename "$f")")
  done
  kind=$(node -p "require('$WORK/x/package/package.json').license")
  sum=$(sha256sum "$tarball" | cut -c1-64)
  echo "| $name | $version | $kind | \`$sum\` | ${kept[*]} |" >> "$DEST/README.md"
  rm -rf "$WORK/x" "$tarball"
done
{
  echo
  echo "world-atlas's outlines are Natural Earth's 1:110m countries (public domain), as TopoJSON."
} >> "$DEST/README.md"
du -sh "$DEST"
