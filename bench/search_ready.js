// Time a built site's search worker in Node (ours or Material's, see search_worker.js):
// parse the index, SETUP until READY (what the browser waits for before the
// first result), then run queries. Usage:
//   node bench/search_ready.js SITE_DIR [query ...]
// Prints JSON: parse_s, ready_s, rss_mb, and per query the time and hit count.
"use strict";
const { readIndex, loadWorker } = require("./search_worker");

const site = process.argv[2];
const queries = process.argv.slice(3);

(async () => {
  const t0 = performance.now();
  const index = readIndex(site);
  const t1 = performance.now();
  const send = loadWorker(site, index);
  const ready = await send({ type: 0, data: { config: index.config, docs: index.docs, options: { suggest: true } } });
  const t2 = performance.now();
  if (ready.type !== 1) throw new Error("worker did not report ready");
  const results = [];
  for (const q of queries) {
    const s = performance.now();
    const answer = await send({ type: 2, data: q });
    results.push({ query: q, seconds: (performance.now() - s) / 1000, hits: answer.data.items.length,
                   first: answer.data.items.slice(0, 3).map((i) => i[0] && i[0].location) });
  }
  console.log(JSON.stringify({ docs: index.docs.length, worker: index.config.readinglist ? "readinglist" : "material",
                               parse_s: (t1 - t0) / 1000, ready_s: (t2 - t1) / 1000,
                               rss_mb: process.memoryUsage().rss / 1e6, queries: results }));
})();
