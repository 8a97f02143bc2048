// Search worker for the prebuilt index of generator/search_index.py.
//
// It answers the messages of Material's search worker (SETUP -> READY,
// QUERY -> RESULT; Material's src/templates/assets/javascripts/integrations/search/),
// so Material's search box, result list, suggestions and highlighting stay as
// they are. Unlike Material's worker it builds nothing at load: the index was
// built by the plugin, and SETUP only splits two strings.
//
// Query syntax (Material's): words match by prefix, as while typing; "+word"
// is required, "-word" excluded, "title:", "text:" and "tags:" restrict a word
// to a field, "*" is a wildcard, "a phrase" requires each of its words.
// Ranking: papers holding every query word come before papers holding some;
// a query that names a tag ("quantization", "diffusion models") puts that tag's
// page first. A word of five or more letters that matches nothing is matched
// with one typo (an insertion, deletion, substitution or swap): "difusion".
// One file, no imports: under file:// it runs in the iframe-worker shim.
"use strict";
(function () {
  const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  const TITLE = 1, TEXT = 2, TAGS = 4;
  const MARKED = 100;
  const FUZZY_MIN = 5; // letters a word needs before one typo is forgiven
  const WEIGHT = { [TITLE]: 10, [TAGS]: 6, [TEXT]: 1 };
  // lunr.js's English stop words (lunr.stopWordFilter), as in generator/search_index.py.
  const STOP_WORDS = new Set(("a able about across after all almost also am among an and any are as at be because " +
    "been but by can cannot could dear did do does either else ever every for from get got had has have he her hers " +
    "him his how however i if in into is it its just least let like likely may me might most must my neither no nor " +
    "not of off often on only or other our own rather said say says she should since so some than that the their " +
    "them then there these they this tis to too twas us wants was we were what when where which while who whom why " +
    "will with would yet you your").split(" "));
  const EDGES = /^[^\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}]+$/gu;
  const SPLIT_EDGES = /^([^\p{L}\p{M}\p{N}]*)([\s\S]*?)([^\p{L}\p{M}\p{N}]*)$/u;
  // Posting digits, as DIGITS in search_index.py: the first 45 end a number.
  const DIGITS = (() => {
    let s = "";
    for (let c = 0x21; c < 0x7f; c++) if (c !== 0x22 && c !== 0x5c) s += String.fromCharCode(c);
    return s.slice(0, 90);
  })();
  const BASE = 45;
  const DIGIT = new Int8Array(128).fill(-1);
  for (let i = 0; i < DIGITS.length; i++) DIGIT[DIGITS.charCodeAt(i)] = i;

  let index = null;

  function trim(word) {
    return word.replace(EDGES, "");
  }

  const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&#x27;": "'" };
  function unescapeHTML(text) {
    if (text.indexOf("&") < 0) return text;
    return text.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITIES[e]);
  }
  const SPECIAL = /[&<>"']/;
  function escapeHTML(text) {
    if (!SPECIAL.test(text)) return text;
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function decodePostings(text) {
    const out = [];
    let value = 0, doc = -1;
    for (let i = 0; i < text.length; i++) {
      const digit = DIGIT[text.charCodeAt(i)];
      if (digit >= BASE) {
        value = value * BASE + digit - BASE;
      } else {
        value = value * BASE + digit;
        doc += Math.floor(value / 3) + 1;
        out.push(doc, (value % 3) + 1);
        value = 0;
      }
    }
    return out; // doc, fields, doc, fields, ...
  }

  // Whether a and b are at most one edit apart (insertion, deletion, substitution, or two swapped letters).
  function oneEdit(a, b) {
    if (a === b) return true;
    const la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    let i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // A vocabulary term a typed word may mean with one typo: the whole term, or (as while typing) its start.
  function nearTerm(key, term) {
    if (Math.abs(term.length - key.length) <= 1 && oneEdit(key, term)) return true;
    if (term.length <= key.length) return false;
    for (let n = key.length - 1; n <= key.length + 1; n++) if (oneEdit(key, term.slice(0, n))) return true;
    return false;
  }

  class Index {
    constructor({ config, docs, options }) {
      const data = config.readinglist;
      if (!data || !Array.isArray(docs)) throw new TypeError("not a readinglist search index");
      this.docs = docs;
      this.options = options || {};
      this.separator = new RegExp(config.separator || "[\\s\\-]+");
      this.stopWords = (config.pipeline || []).includes("stopWordFilter") ? STOP_WORDS : new Set();
      this.terms = data.terms ? data.terms.split(" ") : [];
      this.postings = data.postings ? data.postings.split(" ") : [];
      this.tagNames = data.tags;
      this.tagTerms = data.tags.map((name) => this.words(name));
      this.tagDocs = data.tags.map(() => []);
      this.parent = new Int32Array(docs.length).fill(-1);
      const pages = new Map();
      docs.forEach((doc, i) => {
        for (const tag of doc.tags || []) this.tagDocs[tag].push(i);
        const [page, anchor] = doc.location.split("#");
        if (anchor === undefined || !pages.has(page)) pages.set(page, i);
        else this.parent[i] = pages.get(page);
      });
      this.pages = pages;
      // Tag pages (tags/<slug>/ served, tags/<slug>.html offline) by tag name, for queries naming a tag.
      const tagNumber = new Map(data.tags.map((name, t) => [name, t]));
      this.tagPage = new Map();
      docs.forEach((doc, i) => {
        if (this.parent[i] >= 0 || !/(^|\/)tags\/[^/#]+(\/|\.html)$/.test(doc.location)) return;
        const t = tagNumber.get(unescapeHTML(doc.title));
        if (t !== undefined && !this.tagPage.has(t)) this.tagPage.set(t, i);
      });
    }

    // Words of a text as the index holds them: separator split, lower case, stop words out, trimmed.
    words(text) {
      const out = [];
      for (const word of text.split(this.separator)) {
        const key = word.toLowerCase();
        if (!key || this.stopWords.has(key)) continue;
        const term = trim(key);
        if (term) out.push(term);
      }
      return out;
    }

    // First index of the sorted vocabulary whose term is >= prefix.
    lowerBound(prefix) {
      let lo = 0, hi = this.terms.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.terms[mid] < prefix) lo = mid + 1; else hi = mid;
      }
      return lo;
    }

    // Indexes of the vocabulary terms a clause matches.
    expand(clause) {
      const found = [];
      if (clause.near) {
        for (const term of clause.near) {
          const i = this.lowerBound(term);
          if (this.terms[i] === term) found.push(i);
        }
        return found;
      }
      if (clause.pattern) {
        for (let i = 0; i < this.terms.length; i++) if (clause.pattern.test(this.terms[i])) found.push(i);
        return found;
      }
      if (!clause.key) return found;
      let i = this.lowerBound(clause.key);
      if (clause.exact) {
        if (this.terms[i] === clause.key) found.push(i);
        return found;
      }
      for (; i < this.terms.length && this.terms[i].startsWith(clause.key); i++) found.push(i);
      return found;
    }

    termMatches(clause, term) {
      if (clause.pattern) return clause.pattern.test(term);
      if (clause.near) return clause.near.has(term);
      if (!clause.key) return false;
      return clause.exact ? term === clause.key : term.startsWith(clause.key);
    }

    // doc -> {fields, exact} for one clause; a long word that matches nothing gets one typo.
    match(clause) {
      const hits = this.matchExact(clause);
      if (hits.size || clause.presence < 0 || clause.pattern || clause.key.length < FUZZY_MIN) return hits;
      const near = new Set();
      for (const term of this.terms) if (nearTerm(clause.key, term)) near.add(term);
      for (const words of this.tagTerms) for (const w of words) if (nearTerm(clause.key, w)) near.add(w);
      if (!near.size) return hits;
      clause.near = near; // from now on the clause matches these words (highlighting, tags, suggest)
      return this.matchExact(clause);
    }

    matchExact(clause) {
      const hits = new Map();
      // weight: the best field this word is in (title > tags > text), halved for a longer word
      // that only starts with it ("dimensionality" for "dimension").
      const add = (doc, fields, exact) => {
        const weight = (fields & TITLE ? WEIGHT[TITLE] : fields & TAGS ? WEIGHT[TAGS] : WEIGHT[TEXT]) * (exact ? 1 : 0.5);
        const hit = hits.get(doc);
        if (hit) { hit.fields |= fields; hit.exact = hit.exact || exact; hit.weight = Math.max(hit.weight, weight); }
        else hits.set(doc, { fields, exact, weight });
      };
      if (clause.fields & (TITLE | TEXT)) {
        for (const t of this.expand(clause)) {
          const exact = this.terms[t] === clause.key;
          const list = decodePostings(this.postings[t]);
          for (let j = 0; j < list.length; j += 2) {
            const fields = list[j + 1] & clause.fields;
            if (fields) add(list[j], fields, exact);
          }
        }
      }
      if (clause.fields & TAGS) {
        this.tagTerms.forEach((words, tag) => {
          const matched = words.filter((w) => this.termMatches(clause, w));
          if (!matched.length) return;
          const exact = matched.includes(clause.key);
          for (const doc of this.tagDocs[tag]) add(doc, TAGS, exact);
        });
      }
      return hits;
    }

    // Material's query transformation, reduced to what this index needs.
    parse(query) {
      const clauses = [];
      const parts = query.trim()
        .replace(/"([^"]+)"/g, (_, phrase) => phrase.trim().split(/\s+/).map((w) => "+" + w).join(" "))
        .replace(/"/g, "")
        .split(/\s+/);
      for (let part of parts) {
        let presence = 0; // 0 optional, 1 required, -1 excluded
        if (part.startsWith("+")) { presence = 1; part = part.slice(1); }
        else if (part.startsWith("-")) { presence = -1; part = part.slice(1); }
        let fields = TITLE | TEXT | TAGS;
        const field = /^(title|text|tags):(.*)$/.exec(part);
        if (field) { fields = { title: TITLE, text: TEXT, tags: TAGS }[field[1]]; part = field[2]; }
        part = part.replace(/[~^]\d*$/, "");
        for (const word of part.split(this.separator)) {
          if (!word || /^[*+\-:^~]+$/.test(word)) continue;
          const term = word.toLowerCase().replace(/\*+$/, "");
          const clause = { term, presence, fields, key: trim(term), exact: presence < 0, pattern: null };
          if (term.includes("*")) {
            const glob = term.split("*").map((s) => trim(s).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*");
            clause.pattern = new RegExp("^" + glob, "u");
          }
          if (term) clauses.push(clause);
        }
      }
      return clauses;
    }

    // A function marking the words of `text` that `marks` (clauses) match, escaping the rest.
    // Plain prefixes use one regular expression (fast on thousands of results); wildcards the slow path.
    highlighter(marks) {
      if (!marks.length) return escapeHTML;
      if (marks.some((c) => c.pattern || c.near || !c.key)) return (text) => this.highlight(text, marks);
      const sep = this.separator.source;
      const keys = marks.map((c) => c.key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
      // A word's start, its leading punctuation, then the marked core: a key and the rest of the
      // word up to its trailing punctuation (the same trimming as the index's).
      const re = new RegExp(
        `(?<=^|${sep})[^\\p{L}\\p{M}\\p{N}]*?((?:${keys})(?:(?!${sep})[\\s\\S])*?)(?=[^\\p{L}\\p{M}\\p{N}]*(?:${sep}|$))`,
        "giu");
      return (text) => {
        let out = "", last = 0;
        for (const m of text.matchAll(re)) {
          const start = m.index + m[0].length - m[1].length;
          out += escapeHTML(text.slice(last, start)) + "<mark>" + escapeHTML(m[1]) + "</mark>";
          last = start + m[1].length;
        }
        return out + escapeHTML(text.slice(last));
      };
    }

    highlight(text, marks) {
      if (!marks.length) return escapeHTML(text);
      return text.split(new RegExp("(" + this.separator.source + ")")).map((piece, i) => {
        if (i % 2 || !piece) return escapeHTML(piece);
        const [, lead, core, tail] = SPLIT_EDGES.exec(piece);
        const key = core.toLowerCase();
        if (!core || !marks.some((c) => this.termMatches(c, key))) return escapeHTML(piece);
        return escapeHTML(lead) + "<mark>" + escapeHTML(core) + "</mark>" + escapeHTML(tail);
      }).join("");
    }

    search(query) {
      const clauses = this.parse(query);
      const wanted = clauses.filter((c) => c.presence >= 0);
      if (!wanted.length) return { items: [] };
      const n = this.docs.length;
      const perClause = wanted.map((c) => this.match(c));
      const excluded = new Set();
      for (const c of clauses.filter((c) => c.presence < 0)) for (const doc of this.match(c).keys()) excluded.add(doc);

      // Score: per query word, its rarity times its weight in the document (see match).
      // Which words a document has is a bitmask (at most 31 words count).
      const scores = new Map();
      perClause.forEach((hits, k) => {
        const idf = Math.log(1 + n / (1 + hits.size));
        const bit = k < 31 ? 1 << k : 0;
        for (const [doc, hit] of hits) {
          const s = scores.get(doc);
          const add = idf * hit.weight;
          if (s) { s.score += add; s.matched |= bit; }
          else scores.set(doc, { score: add, matched: bit });
        }
      });
      let required = 0;
      wanted.forEach((c, k) => { if (c.presence > 0 && k < 31) required |= 1 << k; });

      // Material's post-query boost: pages over sections, documents with more of the query's words first.
      // Documents with the same words share their `terms` and their highlighter.
      const shared = new Map();
      const sharedFor = (matched) => {
        let entry = shared.get(matched);
        if (entry) return entry;
        const terms = {};
        const marks = [];
        wanted.forEach((c, k) => {
          if (k >= 31 || matched & (1 << k)) { terms[c.term] = true; marks.push(c); }
          else if (!(c.term in terms) && !this.stopWords.has(c.term)) terms[c.term] = false;
        });
        let count = 0;
        for (let m = matched; m; m &= m - 1) count++;
        entry = { terms, mark: this.highlighter(marks), fraction: count / Math.min(wanted.length, 31) };
        shared.set(matched, entry);
        return entry;
      };
      // Tag pages the query names: every query word is a word of the tag's name, which the
      // query covers at least half of ("diffusion" names "Diffusion models"). Best covered first.
      const named = new Map();
      this.tagTerms.forEach((words, t) => {
        const page = this.tagPage.get(t);
        if (page === undefined || !words.length) return;
        const covered = new Set();
        const all = wanted.every((c) => {
          const found = words.filter((w) => this.termMatches(c, w));
          found.forEach((w) => covered.add(w));
          return found.length > 0;
        });
        if (all && covered.size * 2 >= words.length) named.set(page, covered.size / words.length);
      });
      const every = wanted.length >= 31 ? -1 : (1 << wanted.length) - 1;
      for (const page of named.keys()) if (!scores.has(page)) scores.set(page, { score: 0, matched: every });

      const items = [];
      for (const [doc, s] of scores) {
        if ((s.matched & required) !== required || excluded.has(doc)) continue;
        const entry = sharedFor(s.matched);
        const boost = +(this.parent[doc] < 0) + entry.fraction;
        items.push({ doc, score: s.score * (1 + boost ** 2), entry, named: named.get(doc) || 0 });
      }
      // A named tag's page first; then documents holding every query word before those holding
      // some (more words first); then by score.
      items.sort((a, b) => b.named - a.named || b.entry.fraction - a.entry.fraction || b.score - a.score || a.doc - b.doc);

      const plain = { terms: {}, mark: escapeHTML };
      const render = (doc, score, { terms, mark }) => {
        const d = this.docs[doc];
        const item = {
          location: d.location,
          title: mark(unescapeHTML(d.title)),
          // The stored text is escaped text in one <p>: drop the tag, unescape, mark, escape again.
          text: d.text ? "<p>" + mark(unescapeHTML(d.text.replace(/^<p>|<\/p>$/g, ""))) + "</p>" : "",
          score,
          terms,
        };
        if (d.tags) item.tags = d.tags.map((t) => mark(this.tagNames[t]));
        return item;
      };
      const groups = new Map();
      for (const { doc, score, entry } of items) {
        const page = this.parent[doc] < 0 ? doc : this.parent[doc];
        let list = groups.get(page);
        if (!list) groups.set(page, list = []);
        // Marks only where a reader looks: past the first MARKED pages of results (Material shows
        // 10, then 4 more per scroll), text is escaped but not marked, which keeps large result lists fast.
        list.push(render(doc, score, groups.size <= MARKED ? entry : { terms: entry.terms, mark: escapeHTML }));
      }
      for (const [page, list] of groups) {
        if (!list.some((item) => item.location === this.docs[page].location)) list.push(render(page, 0, plain));
      }

      const result = { items: [...groups.values()] };
      if (this.options.suggest) result.suggest = this.suggest(wanted, perClause);
      return result;
    }

    // Material suggests the rest of the last word from the best title that matches every word.
    suggest(clauses, perClause) {
      const last = clauses[clauses.length - 1];
      if (!last.key) return [];
      let titles = null;
      perClause.forEach((hits) => {
        const next = new Map();
        for (const [doc, hit] of hits) {
          if (hit.fields & TITLE && (titles === null || titles.has(doc))) {
            next.set(doc, (titles ? titles.get(doc) : 0) + (hit.exact ? 2 : 1));
          }
        }
        titles = next;
      });
      let best = null;
      for (const [doc, hit] of titles) {
        if (best === null || hit > best[1] || (hit === best[1] && doc < best[0])) best = [doc, hit];
      }
      if (best === null) return [];
      const words = this.words(unescapeHTML(this.docs[best[0]].title)).filter((w) => this.termMatches(last, w));
      words.sort((a, b) => a.length - b.length);
      return words.length ? [words[0]] : [];
    }
  }

  function handle(message) {
    switch (message.type) {
      case SETUP:
        index = new Index(message.data);
        return { type: READY };
      case QUERY:
        try {
          return { type: RESULT, data: index.search(message.data) };
        } catch (err) {
          console.warn(`Invalid query: ${message.data}`, err);
          return { type: RESULT, data: { items: [] } };
        }
      default:
        throw new TypeError("Invalid message type");
    }
  }

  if (typeof module !== "undefined" && module.exports) module.exports = { Index, handle, trim };
  else addEventListener("message", (ev) => postMessage(handle(ev.data)));
})();
