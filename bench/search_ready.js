// Time Material's own search worker on a built site's search_index.json, in Node:
// parse the index, build the lunr index (what the browser does before the first
// result), then run queries. Usage:
//   node bench/search_ready.js SITE_DIR [query ...]
// Prints JSON: parse_s, ready_s, rss_mb, and per query the time and hit count.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const site = process.argv[2];
const queries = process.argv.slice(3);
const workers = path.join(site, "assets", "javascripts", "workers");
const worker = fs.readdirSync(workers).find((f) => /^search\..*\.min\.js$/.test(f));

let pending = null;
globalThis.self = globalThis;
globalThis.importScripts = () => {};
globalThis.postMessage = (message) => pending(message);
let handler = null;
globalThis.addEventListener = (type, fn) => { if (type === "message") handler = fn; };
vm.runInThisContext(fs.readFileSync(path.join(workers, worker), "utf8"));

function send(message) {
  return new Promise((resolve) => { pending = resolve; handler({ data: message }); });
}

(async () => {
  const t0 = performance.now();
  const index = JSON.parse(fs.readFileSync(path.join(site, "search", "search_index.json"), "utf8"));
  const t1 = performance.now();
  const ready = await send({ type: 0, data: { ...index, options: { suggest: true } } });
  const t2 = performance.now();
  if (ready.type !== 1) throw new Error("worker did not report ready");
  const results = [];
  for (const q of queries) {
    const s = performance.now();
    const answer = await send({ type: 2, data: q });
    results.push({ query: q, seconds: (performance.now() - s) / 1000, hits: answer.data.items.length,
                   first: answer.data.items.slice(0, 3).map((i) => i[0] && i[0].location) });
  }
  console.log(JSON.stringify({ docs: index.docs.length, parse_s: (t1 - t0) / 1000, ready_s: (t2 - t1) / 1000,
                               rss_mb: process.memoryUsage().rss / 1e6, queries: results }));
})();
