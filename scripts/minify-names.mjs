// Part of Trunk's post_build hook (scripts/minify-js.sh), release builds only: wasm-bindgen
// names every import `__wbg_<name>_<16 hex>` and the JS glue repeats each name, so the names
// alone cost the bundle about 4 KB gzipped. wasm-opt renamed the wasm's imports, exports and
// import module (its JSON mapping is argv[2]); this renames them the same way in the glue.
import { readFileSync, writeFileSync } from 'node:fs';

const [mapFile, jsFile] = process.argv.slice(2);
const map = JSON.parse(readFileSync(mapFile, 'utf8'));
let js = readFileSync(jsFile, 'utf8');
const count = (re) => (js.match(re) || []).length;
const replace = (re, to, what) => {
  if (count(re) === 0) throw new Error(`minify-names: ${what} is not in ${jsFile}`);
  js = js.replace(re, () => to);
};
const word = (name) => name.replace(/[$]/g, '\\$');
const modules = new Set();
for (const [module, from, to] of map.imports) {
  modules.add(module);
  // Import names carry a hash, so each is unique in the glue: every mention is the import.
  replace(new RegExp(`\\b${word(from)}\\b`, 'g'), to, `import ${from}`);
}
if (modules.size !== 1) throw new Error(`minify-names: imports from ${[...modules].join(', ')}`);
// wasm-opt calls the one module "a"; the glue's imports object is keyed by the old name.
replace(new RegExp(`["']${[...modules][0].replace(/[.]/g, '\\.')}["']:`, 'g'), '"a":', 'the import module');
for (const [from, to] of map.exports) {
  // Exports are only ever read as properties of the wasm instance's exports.
  js = js.replace(new RegExp(`\\.${word(from)}\\b`, 'g'), () => `.${to}`);
}
writeFileSync(jsFile, js);
