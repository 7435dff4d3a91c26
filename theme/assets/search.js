/* The search page ("Tìm kiếm"): plain JavaScript on theme/assets/search-index.js, nothing from
   other hosts. Without it the page points to the browse lists, which are plain paginated HTML.

   Results come in two parts. First the names: people, collectives, households, places,
   movements and columns from the site's own index of names, shown as the reader types. Then,
   when the reader pauses, Pagefind's full-text results, re-ranked so that a title or name holding
   the query as a phrase comes first. Markup comes from <template> elements on the page; this
   file only fills in text. The helpers at the top serve browse.js too. */
(function () {
  "use strict";

  const S = globalThis.DienHinhSearch;
  const parseQuery = S.parseQuery;

  // --- shared page helpers ------------------------------------------------------------------------
  function messages(root, id) {
    const template = root.querySelector("#" + id);
    const result = {};
    if (template) {
      template.content.querySelectorAll("[data-key]").forEach(function (el) { result[el.dataset.key] = el.textContent; });
    }
    return function (key, values) {
      return (result[key] || "").replace(/\{(\w+)\}/g, function (_, name) { return values && name in values ? values[name] : ""; });
    };
  }

  function number(n) {
    return n.toLocaleString("vi-VN");
  }

  function selections(form) {
    const result = {};
    form.querySelectorAll("select").forEach(function (select) {
      if (select.value) result[select.name] = select.value;
    });
    return result;
  }

  /* Only the communes of the chosen district can be chosen. */
  function limitCommunes(form) {
    const district = form.querySelector("select[name=huyen]");
    const commune = form.querySelector("select[name=xa]");
    if (!district || !commune) return;
    commune.querySelectorAll("optgroup").forEach(function (group) {
      const other = Boolean(district.value) && group.dataset.group !== district.value;
      group.hidden = other;
      group.disabled = other;
    });
    const chosen = commune.selectedOptions[0];
    if (chosen && chosen.parentElement.disabled) commune.value = "";
  }

  function showCounts(form, counts) {
    form.querySelectorAll("select").forEach(function (select) {
      const values = counts[select.name] || {};
      Array.from(select.options).forEach(function (option) {
        if (!option.value) return;
        const n = values[option.value] || 0;
        option.textContent = option.dataset.label + " (" + number(n) + ")";
      });
    });
  }

  function readParams(form, params) {
    form.querySelectorAll("select, input").forEach(function (field) {
      const value = params.get(field.name);
      if (value !== null) field.value = value;
    });
  }

  function writeParams(form, extra) {
    const params = new URLSearchParams();
    form.querySelectorAll("select, input").forEach(function (field) {
      if (field.name && field.value.trim()) params.set(field.name, field.value.trim());
    });
    Object.entries(extra || {}).forEach(function ([key, value]) { if (value) params.set(key, value); });
    const query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }

  // --- the search page ---------------------------------------------------------------------------
  const SHOWN_NAMES = 5;
  const PAGE = 10;
  const RERANKED = 20;
  const FULL_TEXT_DELAY = 150;  // ms

  function SearchPage(root) {
    const base = document.baseURI;
    this.root = root;
    this.siteRoot = new URL(root.dataset.root, base);
    this.names = new S.NameIndex(new URL(root.dataset.entities, base).href);
    this.fullText = new S.FullText(new URL(root.dataset.pagefind, base).href,
      new URL(root.dataset.pagefindParts, base).href);
    this.form = root.querySelector("form");
    this.input = root.querySelector("input[type=search]");
    this.filtersPanel = root.querySelector("details.dh-filters");
    this.status = root.querySelector("#dh-status");
    this.list = root.querySelector("#dh-results");
    this.more = root.querySelector("[data-dh-more]");
    this.template = root.querySelector("#dh-result-template");
    this.say = messages(root, "dh-messages");
    this.run = 0;
    this.hidden = [];
    this.pending = [];
    root.querySelector("[data-dh-nojs]").hidden = true;
    this.bind();
    readParams(this.form, new URLSearchParams(location.search));
    limitCommunes(this.form);
    this.update();
  }

  SearchPage.prototype.bind = function () {
    const self = this;
    let timer = 0;
    // Names answer at once; the full text waits until the reader pauses.
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      self.update(false);
      timer = setTimeout(function () { self.update(true); }, FULL_TEXT_DELAY);
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      self.update();
    });
    this.form.addEventListener("change", function (event) {
      if (event.target.tagName !== "SELECT") return;
      limitCommunes(self.form);
      self.update();
    });
    this.root.querySelector("[data-dh-reset]").addEventListener("click", function () {
      self.form.querySelectorAll("select").forEach(function (s) { s.value = ""; });
      limitCommunes(self.form);
      self.update();
    });
    this.filtersPanel.addEventListener("toggle", function () { if (self.filtersPanel.open) self.updateCounts(self.run); });
    this.more.addEventListener("click", function () { self.showMore(self.run); });
    this.input.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown") return;
      const first = self.list.querySelector("a");
      if (first) { event.preventDefault(); first.focus(); }
    });
    this.list.addEventListener("keydown", function (event) { self.moveFocus(event); });
  };

  SearchPage.prototype.moveFocus = function (event) {
    const links = Array.from(this.list.querySelectorAll("a"));
    const at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "Escape" || (event.key === "ArrowUp" && at === 0)) {
      this.input.focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const next = links[at + (event.key === "ArrowDown" ? 1 : -1)];
      if (next) next.focus();
    } else {
      return;
    }
    event.preventDefault();
  };

  SearchPage.prototype.update = async function (fullText) {
    const run = ++this.run;
    const text = this.input.value.normalize("NFC");
    const filters = selections(this.form);
    const active = Object.keys(filters).length;
    this.root.querySelector("[data-dh-active]").textContent = active ? "(" + active + ")" : "";
    writeParams(this.form);
    if (parseQuery(text).folded.join("").length < 2 && !active) {
      this.show(run, [], [], this.say("idle"));
      if (this.filtersPanel.open) this.updateCounts(run);
      return;
    }
    this.status.textContent = this.say("loading");
    try {
      const manifest = await this.names.load();
      // Names first, as soon as they are known; the index of names knows no filters.
      const names = active ? [] : await this.names.search(text, SHOWN_NAMES);
      if (run !== this.run) return;
      const named = names.map(this.entityItem.bind(this, manifest));
      this.show(run, named, [], null);
      if (fullText === false) return;
      const results = await this.fullText.search(text, filters);
      const head = await Promise.all(results.slice(0, RERANKED).map(function (r) {
        return r.data().then(function (data) { return { data: data }; });
      }));
      if (run !== this.run) return;
      const known = new Set(named.map(function (item) { return item.url; }));
      const pages = S.rerank(head, text).map(this.pageItem.bind(this, manifest))
        .filter(function (item) { return !known.has(item.url); });
      const total = named.length + pages.length + results.length - head.length;
      this.show(run, named.concat(pages), results.slice(RERANKED), this.summary(total, text, active));
      if (this.filtersPanel.open) this.updateCounts(run);
    } catch (error) {
      if (run === this.run) this.status.textContent = this.say("error");
      throw error;
    }
  };

  SearchPage.prototype.summary = function (total, text, active) {
    if (!total) return this.say("none");
    return this.say("count", { n: number(total) }) + (text.trim() ? this.say("for", { q: text.trim() }) : "")
      + (active ? this.say("filtered") : "");
  };

  SearchPage.prototype.updateCounts = async function (run) {
    const text = this.input.value.normalize("NFC");
    const filters = selections(this.form);
    const counts = await this.fullText.counts(text, filters);
    for (const key of Object.keys(filters)) {  // a chosen facet counts as if the others alone were set
      const others = Object.assign({}, filters);
      delete others[key];
      counts[key] = (await this.fullText.counts(text, others))[key] || {};
    }
    if (run === this.run) showCounts(this.form, counts);
  };

  SearchPage.prototype.entityItem = function (manifest, entity) {
    const place = entity.place >= 0 ? this.names.placeOf(manifest, entity) : "";
    return { url: new URL(entity.path, this.siteRoot).href, title: entity.name, kind: entity.kind, label: entity.label,
      meta: place, excerpt: "" };
  };

  SearchPage.prototype.pageItem = function (manifest, result) {
    const data = result.data;
    const kind = ((data.filters || {}).loai || [""])[0];
    const at = manifest.kinds.indexOf(kind);
    const meta = [data.meta.name !== data.meta.title ? data.meta.name : "", data.meta.place].filter(Boolean).join(" · ");
    return { url: new URL(data.url, location.href).href, title: data.meta.title || data.url, kind: kind,
      label: at >= 0 ? manifest.labels[at] : "", meta: meta, excerpt: data.excerpt || "" };
  };

  /* items: ready to show; pending: Pagefind results whose data is loaded on "more".
     message: the status line, or null to leave it (names shown while the full text loads). */
  SearchPage.prototype.show = function (run, items, pending, message) {
    if (run !== this.run) return;
    const first = SHOWN_NAMES + PAGE;
    this.list.replaceChildren.apply(this.list, items.slice(0, first).map(this.render.bind(this)));
    this.hidden = items.slice(first);
    this.pending = pending;
    this.more.hidden = !this.hidden.length && !this.pending.length;
    if (message !== null) this.status.textContent = message;
  };

  SearchPage.prototype.showMore = async function (run) {
    const manifest = await this.names.load();
    let next = this.hidden.splice(0, PAGE);
    const batch = this.pending.splice(0, PAGE - next.length);
    const data = await Promise.all(batch.map(function (r) { return r.data(); }));
    if (run !== this.run) return;
    next = next.concat(data.map(function (d) { return this.pageItem(manifest, { data: d }); }, this));
    const rendered = next.map(this.render.bind(this));
    this.list.append.apply(this.list, rendered);
    this.more.hidden = !this.hidden.length && !this.pending.length;
    if (rendered.length) rendered[0].querySelector("a").focus();
  };

  SearchPage.prototype.render = function (item) {
    const li = this.template.content.firstElementChild.cloneNode(true);
    const link = li.querySelector(".dh-result__link");
    link.href = item.url;
    li.querySelector(".dh-result__title").textContent = item.title;
    const badge = li.querySelector(".dh-result__kind");
    badge.textContent = item.label;
    badge.classList.add("dh-badge--" + item.kind);
    badge.hidden = !item.label;
    li.querySelector(".dh-result__meta").textContent = item.meta;
    appendExcerpt(li.querySelector(".dh-result__excerpt"), item.excerpt);
    return li;
  };

  /* Pagefind's excerpt is escaped text with <mark> around the matches: keep exactly that. */
  function appendExcerpt(element, html) {
    if (!html) return;
    const parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body.firstChild;
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        element.append(mark);
      } else {
        element.append(document.createTextNode(node.textContent));
      }
    });
  }

  Object.assign(S, { messages: messages, number: number, selections: selections, limitCommunes: limitCommunes,
    showCounts: showCounts, readParams: readParams, writeParams: writeParams });
  document.querySelectorAll("[data-dh-search]").forEach(function (root) { root.dhSearch = new SearchPage(root); });
})();
