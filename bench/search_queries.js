// Run many queries through a built site's search worker (ours or Material's) in Node.
//   node bench/search_queries.js SITE_DIR [--items] < queries.json > answers.json
// queries.json: a JSON list of query strings. answers.json: per query, the sorted
// page locations of every result (sections count as their page), the suggestion,
// and with --items the result items as the worker sent them (HTML with <mark>s).
"use strict";
const { readIndex, loadWorker } = require("./search_worker");

(async () => {
  const site = process.argv[2];
  const queries = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const index = readIndex(site);
  const send = loadWorker(site, index);
  await send({ type: 0, data: { config: index.config, docs: index.docs, options: { suggest: true } } });
  const out = [];
  for (const q of queries) {
    const { data } = await send({ type: 2, data: q });
    const pages = new Set();
    for (const group of data.items) for (const item of group) pages.add(item.location.split("#")[0]);
    const answer = { pages: [...pages].sort(), suggest: data.suggest || [] };
    if (process.argv.includes("--items")) answer.items = data.items;
    out.push(answer);
  }
  process.stdout.write(JSON.stringify(out));
})();
