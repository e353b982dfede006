#!/usr/bin/env bash
# Trunk's post-build hook (see Trunk.toml): builds the app's WebAssembly and splits it at its
# lazy routes, because Trunk 0.21 cannot (trunk-rs/trunk#1022).
#
#   cargo rustc, linking with --emit-relocs (the splitter follows the relocations)
#   -> wasm-split-cli: the main module, one module per split function (each `lazy_page!`, each
#      language but English, the password dialog), the chunks they share, and
#      `__wasm_split.js`, which fetches them on first use
#   -> wasm-bindgen on the main module, wasm-opt on every module (release)
#   -> all of it into `pkg-<hash of the files>/` beside index.html, so that every name stays
#      valid for as long as its content (the backend caches such paths for a year)
#   -> index.html gets the loader, preloads for the main module and, for the page it is opened
#      on, preloads for that page's modules (ROUTES below), so they arrive with the main module
#      instead of after it; and a preload of `GET /session`, which every page starts with.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

staging="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"

# Which lazy page each path shows, as in src/app.rs (first match wins): `pattern split-name`,
# the split name being the one given to `lazy_page!` in src/pages/mod.rs.
ROUTES=(
  '^/support/cases$ case_records'
  '^/support/cases/new$ new_case'
  '^/support/cases/[^/]+$ case_detail'
)
if [ "${TRUNK_PROFILE:-debug}" = "release" ]; then
  profile=wasm-release
  cargo_profile=(--profile wasm-release)
else
  profile=debug
  cargo_profile=()
fi

cargo rustc --quiet "${cargo_profile[@]}" --target wasm32-unknown-unknown -p hpp-web --bin hpp-web \
  -- -Clink-args=--emit-relocs
input="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/hpp-web.wasm"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/split" "$work/out"
wasm-split-cli "$input" "$work/split" --out-name hpp-web >/dev/null
wasm-bindgen --target web --keep-lld-exports --no-demangle \
  --out-dir "$work/bindgen" --out-name hpp-web "$work/split/hpp-web.wasm"

cp "$work/bindgen/hpp-web.js" "$work/split/__wasm_split.js" "$work/out/"
modules=("$work/bindgen/hpp-web_bg.wasm")
for module in "$work"/split/*.wasm; do
  [ "$(basename "$module")" = hpp-web.wasm ] || modules+=("$module")
done
for module in "${modules[@]}"; do
  if [ "$profile" = wasm-release ]; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$module" -o "$work/out/$(basename "$module")" 2> >(grep -v "unknown name subsection" >&2)
  else
    cp "$module" "$work/out/"
  fi
done

hash="$(cd "$work/out" && cat $(ls | sort) | sha256sum | cut -c1-16)"
app="pkg-$hash"
mv "$work/out" "$staging/$app"

# The modules each split needs: its own and the chunks `__wasm_split.js` lists it under.
modules_of() {
  awk -v want="$1" '
    /^\/\* .* \*\/$/ { list = substr($0, 4, length($0) - 6); n = split(list, sharing, ", "); next }
    match($0, /new URL\("\.\/[^"]+"/) {
      file = substr($0, RSTART + 11, RLENGTH - 12)
      if (file == "split_" want ".wasm") printf "%s ", file
      else if (file !~ /^split_/) for (i = 1; i <= n; i++) if (sharing[i] == want) printf "%s ", file
    }' "$staging/$app/__wasm_split.js"
}
# Written down once, as `split module module…` a line, for the route table below and the
# benchmark (which lists every lazy part).
for module in "$staging/$app"/split_*.wasm; do
  split="$(basename "$module" .wasm)"
  split="${split#split_}"
  echo "$split $(modules_of "$split")"
done > "$staging/$app/modules.txt"
routes_js=""
for route in "${ROUTES[@]}"; do
  read -r pattern split <<<"$route"
  files="$(awk -v want="$split" '$1 == want { $1 = ""; print }' "$staging/$app/modules.txt")"
  files="$(echo $files)"
  [ -n "$files" ] || { echo "split-wasm: no module for the lazy page $split" >&2; exit 1; }
  routes_js+="[/$(sed 's|/|\\/|g' <<<"$pattern")/, '${files// /,}'],"
done

loader="<meta name=\"hpp-build\" content=\"$app\">
<script>
const preload = (href, crossOrigin) => {
  const link = document.createElement('link');
  Object.assign(link, { rel: 'preload', as: 'fetch', crossOrigin, href });
  document.head.append(link);
};
for (const [path, files] of [$routes_js]) {
  if (!path.test(location.pathname)) continue;
  for (const file of files.split(',')) preload('/$app/' + file, 'anonymous');
  break;
}
const api = document.querySelector('meta[name=hpp-api-base]');
if (api) preload(api.content + '/v1/session', 'use-credentials');
</script>
<script type=\"module\">
import init from '/$app/hpp-web.js';
await init({ module_or_path: '/$app/hpp-web_bg.wasm' });
</script>
<link rel=\"modulepreload\" href=\"/$app/hpp-web.js\" crossorigin=\"anonymous\">
<link rel=\"modulepreload\" href=\"/$app/__wasm_split.js\" crossorigin=\"anonymous\">
<link rel=\"preload\" href=\"/$app/hpp-web_bg.wasm\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\">"
html="$staging/index.html"
[ "$(grep -c '</head>' "$html")" = 1 ] || { echo "split-wasm: index.html needs one </head>" >&2; exit 1; }
awk -v loader="$loader" '{ i = index($0, "</head>"); if (i) $0 = substr($0, 1, i - 1) loader "\n" substr($0, i); print }' \
  "$html" > "$work/index.html"
mv "$work/index.html" "$html"
echo "split-wasm: $app: $(ls "$staging/$app" | tr '\n' ' ')"
