#!/usr/bin/env bash
# Rebuild assets/lib from the npm packages pinned in vendor/package-lock.json.
# The copied files are committed, so building the book needs no npm and no network;
# run this only to upgrade a library, then commit the result (SHA256SUMS included).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out="$root/assets/lib"
(cd vendor && npm ci --no-audit --no-fund --ignore-scripts)
nm="$root/vendor/node_modules"
rm -rf "$out"
mkdir -p "$out"/{requirejs,html-manager,vega,vega-lite,vega-embed}
mkdir -p "$root/tests/browser/vendor"

cp "$nm/requirejs/require.js" "$out/requirejs/"
# requirejs and html-manager ship no licence file in their npm package: write the licence
# their package.json declares, with the holders named in their source repositories.
cat > "$out/requirejs/LICENSE" <<'TXT'
RequireJS (npm package requirejs), licence declared in its package.json: MIT.

Copyright jQuery Foundation and other contributors, https://jquery.org/

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
TXT

hm="$nm/@jupyter-widgets/html-manager/dist"
# The ipywidgets 7 modules go to files of their own that require.js loads only on demand.
python3 "$root/scripts/split_widget_bundle.py" "$hm/embed-amd.js" "$out/html-manager"
# The bundle loads its icon fonts from beside itself.
find "$hm" -maxdepth 1 -type f \( -name '*.woff2' -o -name '*.woff' -o -name '*.ttf' -o -name '*.eot' -o -name '*.svg' \) -exec cp {} "$out/html-manager/" \;
cp "$hm/embed.js.LICENSE.txt" "$out/html-manager/THIRD-PARTY-LICENSES.txt"
cat > "$out/html-manager/LICENSE" <<'TXT'
@jupyter-widgets/html-manager, licence declared in its package.json: BSD-3-Clause.

Copyright (c) 2015 Project Jupyter Contributors
All rights reserved.

Redistribution and use in source and binary forms, with or without modification, are permitted
provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this list of conditions
   and the following disclaimer.
2. Redistributions in binary form must reproduce the above copyright notice, this list of
   conditions and the following disclaimer in the documentation and/or other materials provided
   with the distribution.
3. Neither the name of the copyright holder nor the names of its contributors may be used to
   endorse or promote products derived from this software without specific prior written
   permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR
IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND
FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR
CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER
IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT
OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
TXT

cp "$nm/vega/build/vega.min.js" "$out/vega/"
# vega's npm package ships no licence file; it is BSD-3-Clause from the same lab as vega-lite.
{ echo "vega: BSD-3-Clause (declared in its package.json), same holder and terms as vega-lite:"; echo; cat "$nm/vega-lite/LICENSE"; } > "$out/vega/LICENSE"
cp "$nm/vega-lite/build/vega-lite.min.js" "$nm/vega-lite/LICENSE" "$out/vega-lite/"
cp "$nm/vega-embed/build/vega-embed.min.js" "$nm/vega-embed/LICENSE" "$out/vega-embed/"

# axe-core is for the browser tests only; it is not part of the site.
cp "$nm/axe-core/axe.min.js" "$nm/axe-core/LICENSE" "$root/tests/browser/vendor/"

node -e '
const lock = require(process.argv[1]);
const names = ["requirejs","@jupyter-widgets/html-manager","vega","vega-lite","vega-embed","axe-core"];
for (const n of names) console.log(`${n} ${lock.packages["node_modules/" + n].version}`);
' "$root/vendor/package-lock.json" > "$out/VERSIONS.txt"
(cd "$root" && find assets/lib tests/browser/vendor -type f ! -name SHA256SUMS | sort | xargs sha256sum) > "$root/vendor/SHA256SUMS"
echo "vendored into $out:"
cat "$out/VERSIONS.txt"
