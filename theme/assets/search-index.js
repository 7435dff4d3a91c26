/* The search engine of the dienhinh site, without any page: Vietnamese folding, the ranking of
   names, the index of names (tim-kiem/entities.json and its shards) and Pagefind's full text.
   The folding and ranking mirror generator/render/search.py; tests/render/test_search.py runs this file in
   Node and compares the two. theme/assets/search.js and browse.js build the pages on it. */
(function () {
  "use strict";

  // --- Vietnamese text: the same folding and words as generator/render/search.py ---------------
  const WORD = /[\p{L}\p{N}]+/gu;
  const OLD_TONE = /(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\p{L}\p{N}\p{M}])/gu;

  function exactForm(text) {
    return text.normalize("NFD").replace(OLD_TONE, "$1$3$2").normalize("NFC").toLowerCase();
  }

  function fold(text) {
    return text.normalize("NFC").toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
      .normalize("NFC").replace(/đ/g, "d");
  }

  function words(text) {
    const exact = exactForm(text).match(WORD) || [];
    return { exact: exact, folded: exact.map(fold) };
  }

  function parseQuery(text) {
    const w = words(text);
    return { exact: w.exact, folded: w.folded, lastIsPrefix: w.exact.length > 0 && !/\s$/u.test(text) };
  }

  function shardKey(foldedWord) {
    return foldedWord.slice(0, 2).replace(/[^a-z0-9]/g, "_");
  }

  // --- ranking of names: smaller keys first (name_match in generator/render/search.py) ----------
  function compareKeys(a, b) {
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return 0;
  }

  function wordMatches(q, w, prefix) {
    return prefix ? w.startsWith(q) : w === q;
  }

  function everyWordSomewhere(query, folded) {
    const remaining = folded.slice();
    return query.folded.every(function (q, i) {
      const prefix = query.lastIsPrefix && i === query.folded.length - 1;
      const at = remaining.findIndex(function (w) { return wordMatches(q, w, prefix); });
      if (at < 0) return false;
      remaining.splice(at, 1);
      return true;
    });
  }

  /* Groups: 0 a phrase with the reader's exact diacritics, 1 a folded phrase, 2 every word
     somewhere; then the whole name before a part, a finished last word before a prefix, more
     words with exact diacritics, fewer words left over. */
  function nameMatch(query, name) {
    const n = query.folded.length;
    if (!n) return null;
    let best = null;
    for (let start = 0; start + n <= name.folded.length; start++) {
      const last = start + n - 1;
      let phrase = wordMatches(query.folded[n - 1], name.folded[last], query.lastIsPrefix);
      for (let i = 0; phrase && i < n - 1; i++) phrase = name.folded[start + i] === query.folded[i];
      if (!phrase) continue;
      let hits = wordMatches(query.exact[n - 1], name.exact[last], query.lastIsPrefix) ? 1 : 0;
      for (let i = 0; i < n - 1; i++) if (name.exact[start + i] === query.exact[i]) hits++;
      const prefixOnly = name.folded[last] !== query.folded[n - 1] ? 1 : 0;
      const key = [hits === n ? 0 : 1, n !== name.folded.length || prefixOnly ? 1 : 0, prefixOnly, -hits,
        name.folded.length - n];
      if (!best || compareKeys(key, best) < 0) best = key;
    }
    if (best) return best;
    return everyWordSomewhere(query, name.folded) ? [2, 1, 1, 0, name.folded.length - n] : null;
  }

  /* match: nameMatch unless given (typoMatch). */
  function entityMatch(query, entity, match) {
    match = match || nameMatch;
    let key = match(query, entity.words);
    const alias = entity.aliasWords && match(query, entity.aliasWords);
    if (alias && (!key || compareKeys(alias, key) < 0)) key = alias;
    return key && key.concat([entity.rank, -entity.weight]);
  }

  function rankEntities(entities, text, limit) {
    const query = parseQuery(text);
    const scored = [];
    entities.forEach(function (entity, i) {
      const key = entityMatch(query, entity);
      if (key) scored.push({ key: key, i: i, entity: entity });
    });
    scored.sort(function (a, b) { return compareKeys(a.key, b.key) || a.i - b.i; });
    return scored.slice(0, limit).map(function (s) { return s.entity; });
  }

  // --- typos: typo_match and its helpers in generator/render/search.py ---------------------------
  function typoBudget(letters) {
    return letters < 4 ? 0 : letters <= 6 ? 1 : 2;
  }

  function wordTypoBudget(letters) {
    return letters <= 2 ? 0 : letters <= 6 ? 1 : 2;
  }

  function editDistance(typed, target, shortest) {
    const rows = [Array.from({ length: target.length + 1 }, function (_, j) { return j; })];
    for (let i = 1; i <= typed.length; i++) {
      const row = [i];
      const above = rows[i - 1];
      for (let j = 1; j <= target.length; j++) {
        const cost = typed[i - 1] === target[j - 1] ? 0 : 1;
        row[j] = Math.min(above[j] + 1, row[j - 1] + 1, above[j - 1] + cost);
        if (i > 1 && j > 1 && typed[i - 1] === target[j - 2] && typed[i - 2] === target[j - 1]) {
          row[j] = Math.min(row[j], rows[i - 2][j - 2] + 1);
        }
      }
      rows.push(row);
    }
    const last = rows[rows.length - 1];
    return shortest === undefined ? last[last.length - 1] : Math.min.apply(null, last.slice(shortest));
  }

  function typoMatch(query, name) {
    const n = query.folded.length;
    const budget = typoBudget(query.folded.join("").length);
    if (!budget) return null;
    let best = null;
    for (let start = 0; start + n <= name.folded.length; start++) {
      const window = name.folded.slice(start, start + n);
      const anchored = window.some(function (w, i) {
        return query.folded[i].length >= 2 && shardKey(query.folded[i]) === shardKey(w);
      });
      if (!anchored) continue;
      let distance = 0;
      for (let i = 0; i < n && distance <= budget; i++) {
        const stillTyping = query.lastIsPrefix && i === n - 1;
        const shortest = stillTyping ? Math.min(query.folded[i].length, window[i].length) : undefined;
        const slips = editDistance(query.folded[i], window[i], shortest);
        distance += slips > wordTypoBudget(query.folded[i].length) ? budget + 1 : slips;
      }
      if (distance > budget) continue;
      const key = [3, distance, n !== name.folded.length ? 1 : 0, 0, name.folded.length - n];
      if (!best || compareKeys(key, best) < 0) best = key;
    }
    return best;
  }

  /* Names within a slip or two of the query, not among ``found``, best first (ties by name, then address). */
  function rankTypos(entities, text, found, limit) {
    const query = parseQuery(text);
    const seen = new Set(found.map(function (e) { return e.path; }));
    const scored = [];
    entities.forEach(function (entity) {
      if (seen.has(entity.path)) return;
      seen.add(entity.path);
      const key = entityMatch(query, entity, typoMatch);
      if (key) scored.push({ key: key.concat([exactForm(entity.name), entity.path]), entity: entity });
    });
    scored.sort(function (a, b) { return compareKeys(a.key, b.key); });
    return scored.slice(0, limit).map(function (s) { return s.entity; });
  }

  // --- the index of names ----------------------------------------------------------------------
  function fetchJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + url);
      return response.json();
    });
  }

  function makeEntity(manifest, kind, id, name, alias, place, weight) {
    return {
      kind: manifest.kinds[kind], label: manifest.labels[kind], rank: manifest.ranks[kind],
      path: manifest.prefixes[kind] + id + "/", id: id, name: name, place: place, weight: weight || 0,
      words: words(name), aliasWords: alias ? words(alias) : null,
    };
  }

  /* Places, movements and columns are in the manifest; profiles are in shards by the first two
     letters of each word of their names, and a query needs only the smallest of its words'. */
  function NameIndex(url, loadJSON) {
    this.url = url;
    this.loadJSON = loadJSON || fetchJSON;
    this.manifest = null;
    this.shards = new Map();
  }

  NameIndex.prototype.load = function () {
    if (!this.manifest) {
      this.manifest = this.loadJSON(this.url).then(function (m) {
        m.entities = m.core.map(function (row) { return makeEntity(m, row[0], row[1], row[2], row[3], row[4], row[5]); });
        return m;
      });
    }
    return this.manifest;
  };

  NameIndex.prototype.shardFor = function (manifest, query) {
    let best = null;
    query.folded.forEach(function (word, i) {
      const finished = i < query.folded.length - 1 || !query.lastIsPrefix;
      if (!finished && word.length < 2) return;
      const key = shardKey(word);
      const size = Object.prototype.hasOwnProperty.call(manifest.shards, key) ? manifest.shards[key] : 0;
      if (!best || size < best.size) best = { key: key, size: size };
    });
    return best;
  };

  NameIndex.prototype.shard = function (manifest, key) {
    if (!this.shards.has(key)) {
      const url = new URL("ten/" + key + ".json", this.url).href;
      this.shards.set(key, this.loadJSON(url).then(function (rows) {
        return rows.map(function (row) { return makeEntity(manifest, row[0], row[1], row[2], "", row[3], 0); });
      }));
    }
    return this.shards.get(key);
  };

  /* Names that hold the query, best first; when none holds it as a phrase, names within a slip
     or two of it follow, from the shards of every word of the query (rank_entities in
     generator/render/search.py). */
  NameIndex.prototype.search = async function (text, limit) {
    const manifest = await this.load();
    const query = parseQuery(text);
    const shard = this.shardFor(manifest, query);
    const profiles = shard && shard.size ? await this.shard(manifest, shard.key) : [];
    const candidates = manifest.entities.concat(profiles);
    const found = rankEntities(candidates, text, limit);
    const phrase = found.some(function (e) { const key = entityMatch(query, e); return key[0] < 2; });
    if (found.length >= limit || phrase || !typoBudget(query.folded.join("").length)) return found;
    const self = this;
    const keys = Array.from(new Set(query.folded.filter(function (w) { return w.length >= 2; }).map(shardKey)))
      .filter(function (key) { return manifest.shards[key]; });
    const shards = await Promise.all(keys.map(function (key) { return self.shard(manifest, key); }));
    const everyone = manifest.entities.concat.apply(manifest.entities, shards);
    return found.concat(rankTypos(everyone, text, found, limit - found.length));
  };

  /* "Xã Điện Phước, Thị xã Điện Bàn" for a profile; the district for a commune. */
  NameIndex.prototype.placeOf = function (manifest, entity) {
    const names = [];
    for (let at = entity.place; at >= 0 && names.length < 2; at = manifest.core[at][4]) names.push(manifest.core[at][2]);
    return names.join(", ");
  };

  // --- full text: Pagefind, with both spellings of d/đ and of the tone's place ---------------------
  /* Pagefind folds tone marks for matching but scores the spelling typed higher, and keeps đ, a
     letter of its own: "dien" may be "diện" or "điện", and "hoà" scores the pages that write
     "hòa" lower. So a word with two spellings is searched both ways and each page keeps its best
     score: a plain word starting with d (Vietnamese has đ only at the start of a syllable) as
     typed and with đ; a word ending in oa, oe or uy with a tone, with the tone on either vowel.
     At most MAX_AMBIGUOUS words of a query are searched both ways (4 searches). */
  const MAX_AMBIGUOUS = 2;
  const NEW_TONE = /(?<![qQ])([oOuU])([\u0300\u0301\u0303\u0309\u0323])([aAeEyY])$/u;

  function twoSpellings(word) {
    if (/^[dD][a-zA-Z]*$/.test(word)) return [word, (word[0] === "D" ? "Đ" : "đ") + word.slice(1)];
    const newStyle = exactForm(word);
    const oldStyle = newStyle.normalize("NFD").replace(NEW_TONE, "$1$3$2").normalize("NFC");
    return oldStyle !== newStyle ? [newStyle, oldStyle] : null;
  }

  /* The words of the query; for each ambiguous one, its two spellings. */
  function spellings(text) {
    const parts = text.trim().split(/\s+/u);
    const ambiguous = [];
    parts.forEach(function (part, i) {
      const both = ambiguous.length < MAX_AMBIGUOUS && twoSpellings(part);
      if (both) ambiguous.push({ at: i, both: both });
    });
    return { parts: parts, ambiguous: ambiguous };
  }

  /* choice: per ambiguous word 0 (as typed), 1 (the other spelling), or 2 (both, for counting
     the pages that have both once). */
  function spell(spelling, choice) {
    const parts = spelling.parts.slice();
    spelling.ambiguous.forEach(function (word, j) {
      parts[word.at] = choice[j] === 2 ? word.both.join(" ") : word.both[choice[j]];
    });
    return parts.join(" ");
  }

  function choices(count, options) {
    let result = [[]];
    for (let i = 0; i < count; i++) {
      result = result.flatMap(function (c) { return options.map(function (o) { return c.concat([o]); }); });
    }
    return result;
  }

  /* url: the primary part's pagefind.js; partsUrl: parts.json, naming the parts (bundles beside
     it) merged into the primary, so that one search covers them all (generator/render/pagefind.py). */
  function FullText(url, partsUrl) {
    this.url = url;
    this.partsUrl = partsUrl;
    this.pagefind = null;
  }

  const PAGEFIND_OPTIONS = { excerptLength: 24 };
  /* One engine per address: import() gives every caller the same module, and merging the parts
     into it twice would search each part twice. */
  const engines = new Map();

  function loadEngine(url, partsUrl) {
    if (!engines.has(url)) {
      const parts = partsUrl ? fetchJSON(partsUrl) : Promise.resolve({ merge: [] });
      engines.set(url, Promise.all([import(url), parts]).then(async function ([pagefind, list]) {
        await pagefind.options(PAGEFIND_OPTIONS);
        // by path, as the primary's own: Pagefind derives a part's page addresses from it
        await Promise.all(list.merge.map(function (part) {
          return pagefind.mergeIndex(new URL(part, partsUrl).pathname, PAGEFIND_OPTIONS);
        }));
        return pagefind;
      }));
    }
    return engines.get(url);
  }

  FullText.prototype.load = function () {
    if (!this.pagefind) this.pagefind = loadEngine(this.url, this.partsUrl);
    return this.pagefind;
  };

  /* Results of every spelling, each page once with its best score, best first. */
  FullText.prototype.search = async function (text, filters) {
    const pagefind = await this.load();
    const spelling = spellings(text);
    const terms = text.trim() ? choices(spelling.ambiguous.length, [0, 1]).map(function (c) { return spell(spelling, c); }) : [null];
    const searches = await Promise.all(terms.map(function (term) { return pagefind.search(term, { filters: filters }); }));
    const best = new Map();
    searches.forEach(function (search) {
      search.results.forEach(function (result) {
        const seen = best.get(result.id);
        if (!seen || seen.score < result.score) best.set(result.id, result);
      });
    });
    return Array.from(best.values()).sort(function (a, b) { return b.score - a.score; });
  };

  /* How many results each filter value would have: counted over the union of the spellings by
     inclusion and exclusion (a page with both "dien" and "điện", or "hoà" and "hòa", counts once). */
  FullText.prototype.counts = async function (text, filters) {
    const pagefind = await this.load();
    const everything = await pagefind.filters();  // also loads what the counts below need
    if (!text.trim() && !Object.keys(filters).length) return everything;
    const spelling = spellings(text);
    const parts = text.trim() ? choices(spelling.ambiguous.length, [0, 1, 2]) : [[]];
    const totals = {};
    for (const choice of parts) {
      const term = text.trim() ? spell(spelling, choice) : null;
      const sign = choice.filter(function (c) { return c === 2; }).length % 2 ? -1 : 1;
      const search = await pagefind.search(term, { filters: filters });
      Object.entries(search.filters || {}).forEach(function ([key, values]) {
        totals[key] = totals[key] || {};
        Object.entries(values).forEach(function ([value, n]) { totals[key][value] = (totals[key][value] || 0) + sign * n; });
      });
    }
    return totals;
  };

  /* Pagefind results whose title or name holds the query as a phrase first, then those whose
     place does (a district's communes and profiles after the district itself), then those whose
     text does, words side by side and in order ("nguyễn thị" before "tình nguyện ... thị xã"),
     exact diacritics before folded in each; otherwise Pagefind's order. */
  function rerank(items, text) {
    const query = parseQuery(text);
    if (!query.folded.length) return items;
    const phrase = function (field) {  // 0 with exact diacritics, 1 folded, 2 not as a phrase
      const key = field ? nameMatch(query, words(field)) : null;
      return key && key[0] < 2 ? key[0] : 2;
    };
    const group = function (data) {
      const named = Math.min(phrase(data.meta.title), phrase(data.meta.name));
      if (named < 2) return named;
      const place = phrase(data.meta.place);
      return place < 2 ? 2 + place : 4 + phrase(data.content);
    };
    return items.map(function (item, i) { return { item: item, i: i, g: group(item.data) }; })
      .sort(function (a, b) { return a.g - b.g || a.i - b.i; })
      .map(function (x) { return x.item; });
  }

  globalThis.DienHinhSearch = {
    fold: fold, exactForm: exactForm, words: words, parseQuery: parseQuery, nameMatch: nameMatch,
    everyWordSomewhere: everyWordSomewhere, rankEntities: rankEntities, fetchJSON: fetchJSON,
    typoMatch: typoMatch, editDistance: editDistance, NameIndex: NameIndex, FullText: FullText, rerank: rerank,
    spellings: spellings, twoSpellings: twoSpellings, spell: spell, choices: choices,
  };
})();
