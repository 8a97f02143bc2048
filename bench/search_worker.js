// Run a built site's search worker in Node: ours (readinglist-search.js, when the
// index is the prebuilt one) or Material's lunr worker (search.*.min.js).
// Used by bench/search_ready.js and bench/search_queries.js.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

function readIndex(site) {
  return JSON.parse(fs.readFileSync(path.join(site, "search", "search_index.json"), "utf8"));
}

// Returns send(message) -> Promise of the worker's answer, as the page would get it.
function loadWorker(site, index) {
  const workers = path.join(site, "assets", "javascripts", "workers");
  if (index.config && index.config.readinglist) {
    const { handle } = require(path.resolve(workers, "readinglist-search.js"));
    return async (message) => handle(message);
  }
  const file = fs.readdirSync(workers).find((f) => /^search\..*\.min\.js$/.test(f));
  let pending = null;
  let handler = null;
  const sandbox = {
    console, setTimeout, performance,
    importScripts: () => {},
    postMessage: (message) => pending(message),
    addEventListener: (type, fn) => { if (type === "message") handler = fn; },
  };
  sandbox.self = sandbox;
  vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(path.join(workers, file), "utf8"), sandbox);
  return (message) => new Promise((resolve) => { pending = resolve; handler({ data: message }); });
}

module.exports = { readIndex, loadWorker };
