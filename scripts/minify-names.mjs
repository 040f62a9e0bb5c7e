// Part of Trunk's post_build hook (scripts/minify-js.sh), release builds only: wasm-bindgen
// names every import `__wbg_<name>_<16 hex>` and the JS glue repeats each name, so the names
// alone cost the bundle about 4 KB gzipped. wasm-opt renamed the wasm's imports, exports and
// import module (its JSON mapping is argv[2]); this renames them the same way in the glue, and
// fails the build when the glue does not name them as expected (an import it lacks, an export
// it names otherwise than as a read of the instance's exports).
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
// Exports are read as properties of the wasm instance's exports (`e.__wbindgen_malloc`),
// and only so: every mention of an export's name in the glue must be one of those reads, or
// the glue would ask the renamed wasm for a name it no longer has. An export the glue never
// names (`main`, which `__wbindgen_start` calls; handlers for other tools) keeps no mention.
const renamed = new Set();
for (const [from, to] of map.exports) {
  const read = new RegExp(`\\.${word(from)}\\b`, 'g');
  const mentions = count(new RegExp(`(?<![\\w$])${word(from)}(?![\\w$])`, 'g'));
  const reads = count(read);
  if (mentions !== reads) {
    throw new Error(`minify-names: export ${from} is named ${mentions} times in ${jsFile}, ${reads} of them as .${from}`);
  }
  if (reads > 0) {
    js = js.replace(read, () => `.${to}`);
    renamed.add(from);
  }
}
// The glue always reads the memory and the start function; without them it was not read as
// expected (another shape of glue, or reads this script does not see).
for (const name of ['memory', '__wbindgen_start']) {
  if (!renamed.has(name)) throw new Error(`minify-names: export ${name} is not read in ${jsFile}`);
}
writeFileSync(jsFile, js);
