/* The browse page ("Tra cứu"): without JavaScript a plain list in Vietnamese name order, paged,
   with links by kind, stage, year, column, movement and district. With it, the reader filters by
   several facets at once and by name, over tra-cuu/ho-so.json (loaded on first use), with a
   count beside every value. Uses theme/assets/search-index.js and search.js. */
(function () {
  "use strict";

  const S = globalThis.DienHinhSearch;

  function BrowsePage(root) {
    this.root = root;
    this.form = root.querySelector(".dh-browse__form");
    this.url = new URL(root.dataset.dhBrowse, document.baseURI).href;
    this.siteRoot = new URL(root.dataset.root, document.baseURI);
    this.list = root.querySelector(".dh-browse__list");
    this.status = root.querySelector(".dh-browse__status");
    this.pager = root.querySelector(".dh-pager");
    this.steps = root.querySelector(".dh-browse__jspager");
    this.template = root.querySelector("#dh-browse-item");
    this.say = S.messages(root, "dh-browse-messages");
    this.data = null;
    this.page = 1;
    this.form.hidden = false;
    this.bind();
    const params = new URLSearchParams(location.search);
    if (Array.from(params.keys()).length) {
      S.readParams(this.form, params);
      this.page = Number(params.get("trang")) || 1;
      S.limitCommunes(this.form);
      this.update();
    }
  }

  BrowsePage.prototype.bind = function () {
    const self = this;
    const refresh = function () { self.page = 1; S.limitCommunes(self.form); self.update(); };
    this.form.addEventListener("change", refresh);
    this.form.addEventListener("input", refresh);
    this.form.addEventListener("submit", function (event) { event.preventDefault(); });
    this.root.querySelector("[data-dh-reset]").addEventListener("click", function () {
      self.form.reset();
      refresh();
    });
    this.steps.querySelector("[data-dh-prev]").addEventListener("click", function () { self.turn(-1); });
    this.steps.querySelector("[data-dh-next]").addEventListener("click", function () { self.turn(1); });
  };

  BrowsePage.prototype.turn = function (step) {
    this.page += step;
    this.update();
    this.status.focus();
  };

  BrowsePage.prototype.load = async function () {
    if (!this.data) {
      this.status.textContent = this.say("loading");
      this.data = await S.fetchJSON(this.url);
      this.data.rows.forEach(function (row) { row.words = null; });
    }
    return this.data;
  };

  BrowsePage.prototype.update = async function () {
    const data = await this.load();
    const chosen = S.selections(this.form);
    const wanted = data.keys.map(function (key) {
      return key in chosen ? data.facets[key].findIndex(function (o) { return o[0] === chosen[key]; }) : null;
    });
    const query = S.parseQuery(this.form.querySelector("input[name=ten]").value.normalize("NFC"));
    const named = function (row) {
      if (!query.folded.length) return true;
      row.words = row.words || S.words(row[1]);
      return S.everyWordSomewhere(query, row.words.folded);
    };
    const fits = function (row, except) {
      return wanted.every(function (want, k) { return k === except || want === null || row[k + 2] === want; });
    };
    const rows = data.rows.filter(function (row) { return fits(row, -1) && named(row); });
    this.showCounts(data, wanted, fits, named);
    this.render(data, rows);
    S.writeParams(this.form, { trang: this.page > 1 ? String(this.page) : "" });
  };

  /* Each facet counts the profiles that the other facets and the name allow. */
  BrowsePage.prototype.showCounts = function (data, wanted, fits, named) {
    const counts = {};
    data.keys.forEach(function (key, k) {
      const tally = counts[key] = {};
      data.rows.forEach(function (row) {
        if (row[k + 2] >= 0 && fits(row, k) && named(row)) {
          const value = data.facets[key][row[k + 2]][0];
          tally[value] = (tally[value] || 0) + 1;
        }
      });
    });
    S.showCounts(this.form, counts);
  };

  BrowsePage.prototype.render = function (data, rows) {
    const pages = Math.max(1, Math.ceil(rows.length / data.page_size));
    this.page = Math.min(Math.max(1, this.page), pages);
    const first = (this.page - 1) * data.page_size;
    this.list.start = first + 1;
    this.list.replaceChildren.apply(this.list, rows.slice(first, first + data.page_size).map(this.item.bind(this, data)));
    this.status.textContent = rows.length
      ? this.say("count", { n: S.number(rows.length), from: S.number(first + 1),
        to: S.number(Math.min(first + data.page_size, rows.length)), page: this.page, pages: pages })
      : this.say("none");
    if (this.pager) this.pager.hidden = true;
    this.steps.hidden = pages < 2;
    this.steps.querySelector("[data-dh-prev]").disabled = this.page <= 1;
    this.steps.querySelector("[data-dh-next]").disabled = this.page >= pages;
  };

  BrowsePage.prototype.item = function (data, row) {
    const li = this.template.content.firstElementChild.cloneNode(true);
    const label = function (key) {
      const k = data.keys.indexOf(key);
      return row[k + 2] >= 0 ? data.facets[key][row[k + 2]][1] : "";
    };
    const kind = data.facets.loai[row[data.keys.indexOf("loai") + 2]][0];
    const link = li.querySelector("a");
    link.href = new URL(data.prefix + row[0] + "/", this.siteRoot).href;
    link.textContent = row[1];
    const badge = li.querySelector(".dh-badge");
    badge.textContent = label("loai");
    badge.classList.add("dh-badge--" + kind);
    li.querySelector(".dh-browse__place").textContent = [label("xa"), label("huyen")].filter(Boolean).join(", ");
    li.querySelector(".dh-item__movement").textContent = label("phong-trao");
    li.querySelector(".dh-browse__year").textContent = label("nam");
    li.querySelector(".dh-card__media").replaceWith(this.media(data, row));
    return li;
  };

  // The card's picture, as the server draws it (templates/_macros.j2 card_media): the profile's
  // first photo, lazy and with its size reserved, or its movement's colour and emblem.
  BrowsePage.prototype.media = function (data, row) {
    const photo = row[row.length - 1];
    const profileDir = new URL(data.prefix + row[0] + "/", this.siteRoot).href;
    if (photo) {
      const picture = document.createElement("picture");
      picture.className = "dh-card__media";
      const img = document.createElement("img");
      if (photo[3].indexOf("webp") >= 0) {
        const source = document.createElement("source");
        source.type = "image/webp";
        source.srcset = profileDir + photo[0] + ".webp";
        picture.appendChild(source);
      }
      img.src = profileDir + photo[0] + ".jpg";
      img.width = photo[1];
      img.height = photo[2];
      img.alt = "";
      img.loading = "lazy";
      img.decoding = "async";
      picture.appendChild(img);
      return picture;
    }
    const looks = data.looks[data.facets["phong-trao"][row[data.keys.indexOf("phong-trao") + 2]][0]];
    const span = document.createElement("span");
    span.className = "dh-card__media dh-card__placeholder";
    span.style.backgroundColor = looks[0];
    const emblem = document.createElement("img");
    emblem.src = new URL(looks[1], this.siteRoot).href;
    emblem.width = emblem.height = 24;
    emblem.alt = "";
    emblem.loading = "lazy";
    span.appendChild(emblem);
    return span;
  };

  document.querySelectorAll("[data-dh-browse]").forEach(function (root) {
    if (root.querySelector(".dh-browse__form")) root.dhBrowse = new BrowsePage(root);
  });
})();
