// Search results show the abstract's text around the first match, not its first lines.
//
// The search index holds only a short snippet per paper (the start of the
// abstract), so that it stays small (generator/search_index.py). When a paper
// appears in the result list, this script fetches that paper's own page (once;
// the browser caches it too), takes the abstract and replaces the result's
// snippet by the words around the first query word, marked. Where the page
// cannot be fetched (file://, where Chromium refuses fetch) the stored snippet
// stays. The text is put in with textContent and <mark> elements only.
(function () {
  "use strict";
  var SEP = /[\s\-]+/;
  var EDGES = /^[^\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}]+$/gu;
  var BEFORE = 60; // characters of context before the first match
  var LENGTH = 240; // characters in all
  var abstracts = new Map(); // page URL -> Promise of the abstract's text ("" when there is none)

  function abstractOf(url) {
    if (!abstracts.has(url)) {
      abstracts.set(url, fetch(url).then(function (response) {
        if (!response.ok) return "";
        return response.text().then(function (html) {
          var article = new DOMParser().parseFromString(html, "text/html").querySelector("article");
          var parts = [];
          if (!article) return "";
          // The abstract: the paragraphs between the title and the first section heading.
          for (var node = article.querySelector("h1"); node && (node = node.nextElementSibling);) {
            if (/^H[2-6]$/.test(node.tagName)) break;
            if (node.tagName === "P") parts.push(node.textContent);
          }
          return parts.join(" ").replace(/\s+/g, " ").trim();
        });
      }).catch(function () { return ""; }));
    }
    return abstracts.get(url);
  }

  function words(text) {
    return text.toLowerCase().split(SEP).map(function (w) { return w.replace(EDGES, ""); }).filter(Boolean);
  }

  // Query words, and the words the worker marked in this result (which include typo corrections).
  function keysFor(article, query) {
    var keys = words(query.replace(/(^|\s)[+-]/g, " ").replace(/\b(title|text|tags):/g, "").replace(/[*"~^]/g, " "));
    article.querySelectorAll("mark").forEach(function (m) { keys = keys.concat(words(m.textContent)); });
    return keys.filter(function (k, i) { return keys.indexOf(k) === i; });
  }

  function snippet(text, keys) {
    var pattern = new RegExp("(^|[^\\p{L}\\p{M}\\p{N}])(" + keys.map(function (k) {
      return k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")[\\p{L}\\p{M}\\p{N}]*", "giu");
    var first = pattern.exec(text);
    if (!first) return null;
    var at = first.index + first[1].length;
    var start = Math.max(0, at - BEFORE);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    if (start > at) start = at;
    var end = Math.min(text.length, start + LENGTH);
    if (end < text.length) end = text.lastIndexOf(" ", end) > at ? text.lastIndexOf(" ", end) : end;
    var piece = text.slice(start, end);
    var out = document.createDocumentFragment();
    if (start > 0) out.append("… ");
    var last = 0;
    pattern.lastIndex = 0;
    for (var m; (m = pattern.exec(piece));) {
      var from = m.index + m[1].length;
      out.append(piece.slice(last, from));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(from, m.index + m[0].length);
      out.append(mark);
      last = m.index + m[0].length;
    }
    out.append(piece.slice(last));
    if (end < text.length) out.append(" …");
    return out;
  }

  function improve(item, query) {
    var link = item.querySelector("a.md-search-result__link");
    var article = link && link.querySelector("article");
    var paragraph = article && article.querySelector(":scope > p");
    if (!paragraph || !/\/papers\//.test(link.pathname)) return;
    var url = link.href.split("#")[0].split("?")[0];
    var keys = keysFor(article, query);
    if (!keys.length) return;
    abstractOf(url).then(function (text) {
      var better = text && snippet(text, keys);
      if (better && paragraph.isConnected) {
        paragraph.textContent = "";
        paragraph.append(better);
        paragraph.dataset.rlSnippet = "around";
      }
    });
  }

  function start() {
    var list = document.querySelector(".md-search-result__list");
    var input = document.querySelector("input.md-search__input");
    if (!list || !input || !window.fetch || location.protocol === "file:") return;
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1 && node.matches(".md-search-result__item")) improve(node, input.value);
        });
      });
    }).observe(list, { childList: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
