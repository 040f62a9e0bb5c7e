// The lint worker (src/lint_worker.rs): the app's own glue and wasm, started without a page.
// The page passes the glue's URL after `?`; only one on this site is imported. The wasm's
// `main` sees no window and answers messages; those that arrive while it loads wait here.
const early = [];
onmessage = (e) => early.push(e);
const glue = new URL(location.search.slice(1), location.href);
if (glue.origin !== location.origin) throw new Error("lint worker: the glue must be on this site");
const { default: init } = await import(glue);
await init({ module_or_path: new URL(glue.pathname.replace(/\.js$/, "_bg.wasm"), glue) });
for (const e of early) onmessage(e);
