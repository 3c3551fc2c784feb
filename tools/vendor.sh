#!/usr/bin/env bash
# Fetch the web UI's front-end libraries from the npm registry and copy their built dist files and licences
# into src/kooperationsgraph/web/static/vendor/<lib>/. No CDN at run time, no node_modules in the repo.
# Usage: tools/vendor.sh   (needs node + npm; re-run to update, then review and commit the changed files)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/kooperationsgraph/web/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts cytoscape@3.35.0 @zazuko/yasgui@4.6.2 mermaid@11.17.2 >/dev/null
NM="$TMP/node_modules"
mkdir -p "$DEST/cytoscape" "$DEST/yasgui" "$DEST/mermaid"
cp "$NM/cytoscape/dist/cytoscape.min.js" "$NM/cytoscape/LICENSE" "$DEST/cytoscape/"
cp "$NM/@zazuko/yasgui/build/yasgui.min.js" "$NM/@zazuko/yasgui/build/yasgui.min.css" "$DEST/yasgui/"
# @zazuko/yasgui ships no LICENSE file in its npm package; its package.json declares MIT (Triply, Zazuko).
if [ -f "$NM/@zazuko/yasgui/LICENSE" ]; then
  cp "$NM/@zazuko/yasgui/LICENSE" "$DEST/yasgui/"
else
  cat > "$DEST/yasgui/LICENSE" <<'LIC'
MIT License (declared in the "license" field of @zazuko/yasgui 4.6.2's package.json; the npm package
ships no LICENSE file). Source: https://github.com/zazuko/Yasgui — Copyright (c) Triply B.V., Zazuko GmbH.

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without
limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the
Software, and to permit persons to whom the Software is furnished to do so, subject to the following
conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED
TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL
THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE.
LIC
fi
cp "$NM/mermaid/dist/mermaid.min.js" "$NM/mermaid/LICENSE" "$DEST/mermaid/"
for lib in cytoscape yasgui mermaid; do
  node -e "const p=require('$NM/'+({cytoscape:'cytoscape',yasgui:'@zazuko/yasgui',mermaid:'mermaid'})['$lib']+'/package.json');console.log(p.name+'@'+p.version)" \
    > "$DEST/$lib/VERSION"
done
echo "vendored into $DEST:"; ls -l "$DEST"/*
