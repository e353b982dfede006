#!/usr/bin/env bash
# Trunk's post-build hook (see Trunk.toml): builds the app's WebAssembly and splits it at its
# lazy routes, because Trunk 0.21 cannot (trunk-rs/trunk#1022).
#
#   cargo rustc, linking with --emit-relocs (the splitter follows the relocations)
#   -> wasm-split-cli: the main module, one module per `#[lazy]` route, chunks they share,
#      and `__wasm_split.js`, which fetches them on first use
#   -> wasm-bindgen on the main module, wasm-opt on every module (release)
#   -> all of it into `pkg-<hash of the files>/` beside index.html, so that every name stays
#      valid for as long as its content (the backend caches such paths for a year)
#   -> index.html gets the loader and preloads for the main module, nothing for the routes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

staging="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
if [ "${TRUNK_PROFILE:-debug}" = "release" ]; then
  profile=wasm-release
  cargo_profile=(--profile wasm-release)
else
  profile=debug
  cargo_profile=()
fi

cargo rustc --quiet "${cargo_profile[@]}" --target wasm32-unknown-unknown -p hpp-web --bin hpp-web \
  -- -Clink-args=--emit-relocs
input="target/wasm32-unknown-unknown/$profile/hpp-web.wasm"

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

loader="<script type=\"module\">
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
