// paperhub: progressive enhancement only. Every page works without this
// script; with it, the citing-papers explorer gains filters and sorting
// and the search page gains results.
(function () {
  "use strict";

  // Items carry their filter keys as data attributes, each left out when
  // empty: y (year), r (role), p (polarity), c (cited by), i (highly
  // influential, no value).
  function explorer(form) {
    var list = document.getElementById(form.getAttribute("data-explorer"));
    if (!list) return;
    // The representative papers begin the ranking and are not written twice:
    // the explorer takes copies of them in front of the rest.
    var reps = document.getElementById(form.getAttribute("data-with"));
    if (reps) {
      var first = list.firstChild;
      Array.prototype.forEach.call(reps.children, function (li) { list.insertBefore(li.cloneNode(true), first); });
      var note = form.parentNode.querySelector(".explorer-note");
      if (note) note.hidden = true;
    }
    var items = Array.prototype.slice.call(list.children);
    items.forEach(function (li, i) { li.dataset.rank = i + 1; });
    // Filter and sort keys come from the item's own text (title, authors).
    function keys(li) {
      if (li.dataset.text == null) {
        var title = li.querySelector("a"), meta = li.querySelector(".meta");
        li.dataset.title = (title ? title.textContent : "").trim().toLowerCase();
        li.dataset.text = li.dataset.title + " " + (meta ? meta.textContent.toLowerCase() : "");
      }
      return li.dataset;
    }
    var status = form.querySelector("output");
    var total = Number(status.getAttribute("data-total")) || items.length;
    var loading = null;

    // A hub cited more often than one page holds lists only its first page;
    // on first use the explorer reads the items of its other pages (the
    // server's own markup, one source for every item) and takes them in.
    function loadAll(then) {
      var pages = Number(list.getAttribute("data-pages")), next = list.getAttribute("data-next");
      if (!pages || !next) return then();
      if (!loading) {
        status.textContent = "Loading all " + total + " citing papers…";
        var level = (list.querySelector("h2, h3, h4, h5, h6") || {}).tagName || "H4";
        var urls = [];
        for (var n = 2; n <= pages; n++) urls.push(next.replace(/2\/((?:index\.html)?)$/, n + "/$1"));
        loading = Promise.all(urls.map(function (url) {
          return fetch(url).then(function (r) {
            if (!r.ok) throw new Error(url + ": " + r.status);
            return r.text();
          });
        })).then(function (texts) {
          texts.forEach(function (text, i) {
            var doc = new DOMParser().parseFromString(text, "text/html");
            var from = new URL(urls[i], location.href);
            doc.querySelectorAll("ol.citing > li").forEach(function (li) {
              // Its links are relative to its own page: rebase them here.
              ["href", "src"].forEach(function (name) {
                li.querySelectorAll("[" + name + "]").forEach(function (e) {
                  e.setAttribute(name, rebase(new URL(e.getAttribute(name), from)));
                });
              });
              // Each page's titles are its top headings; here they sit under
              // the explorer's.
              var h = li.querySelector("h2"), to = document.createElement(level);
              if (h) { while (h.firstChild) to.appendChild(h.firstChild); li.replaceChild(to, h); }
              li = document.importNode(li, true);
              li.dataset.rank = items.length + 1;
              items.push(li);
              list.appendChild(li);
            });
          });
          list.removeAttribute("data-pages");
        });
      }
      loading.then(then, function () { status.textContent = "Could not load all citing papers."; });
    }

    // The link from this page to `url`, relative like the server's links.
    function rebase(url) {
      if (url.origin !== location.origin || url.protocol !== location.protocol) return url.href;
      var here = location.pathname.split("/").slice(0, -1), there = url.pathname.split("/");
      var shared = 0;
      while (shared < here.length && shared < there.length - 1 && here[shared] === there[shared]) shared++;
      var up = here.slice(shared).map(function () { return ".."; });
      var link = up.concat(there.slice(shared)).join("/");
      return (link === "" ? "./" : link) + url.search + url.hash;
    }

    function apply() {
      var q = form.q.value.trim().toLowerCase();
      var role = form.role.value, polarity = form.polarity.value, year = form.year.value;
      var sort = form.sort.value, shown = 0;
      var influential = form.influential ? form.influential.checked : false;
      items.forEach(function (li) {
        var d = keys(li);
        var ok = (!q || d.text.indexOf(q) !== -1) &&
          (!role || (d.r || "-") === role) && (!polarity || (d.p || "-") === polarity) &&
          (!year || d.y === year) && (!influential || d.i != null);
        li.hidden = !ok;
        if (ok) shown++;
      });
      var num = function (v) { return v == null ? -Infinity : Number(v); };
      var keyed = items.slice().sort(function (a, b) {
        var x = a.dataset, y = b.dataset;
        if (sort === "new") return num(y.y) - num(x.y) || x.rank - y.rank;
        if (sort === "old") return num(x.y) - num(y.y) || x.rank - y.rank;
        if (sort === "cited") return (y.c || 0) - (x.c || 0) || x.rank - y.rank;
        if (sort === "title") return x.title < y.title ? -1 : x.title > y.title ? 1 : 0;
        return x.rank - y.rank;
      });
      keyed.forEach(function (li) { list.appendChild(li); });
      status.textContent = shown + " of " + items.length + " shown";
    }
    form.addEventListener("input", function () { loadAll(apply); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
  }

  // Per-work citation downloads, made from the page when the site writes no
  // cite files: BibTeX from the entry shown, RIS and CSL-JSON from the
  // page's cite data (the same text the files would hold).
  function downloads(box) {
    var data = document.getElementById("cite-data"), bib = document.getElementById("cite-bibtex");
    if (!data || !bib || !window.Blob || !window.URL || !URL.createObjectURL) return;
    var d = JSON.parse(data.textContent);
    var text = { bib: bib.textContent, ris: d.ris, csl: JSON.stringify([d.csl], null, 2) + "\n" };
    var type = { bib: "application/x-bibtex", ris: "application/x-research-info-systems", csl: "application/vnd.citationstyles.csl+json" };
    box.querySelectorAll("a[data-cite]").forEach(function (a) {
      var kind = a.getAttribute("data-cite");
      a.href = URL.createObjectURL(new Blob([text[kind]], { type: type[kind] + ";charset=utf-8" }));
      // Without an address a link may not carry `download`: both come here.
      a.download = a.getAttribute("data-file");
    });
    box.hidden = false;
  }

  // Search over the split index (see src/render/search.rs): the table of
  // contents, then the term chunks of the query's words, then the document
  // chunks of the results shown. Files are scripts, so it works from disk.
  function search(form) {
    var input = form.q, results = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var more = document.getElementById("search-more");
    var base = form.getAttribute("data-index").replace(/meta\.js$/, "");
    var loaded = {}, meta = null, termChunks = {}, docChunks = {}, waiting = {};
    var PAGE = 10, current = null, generation = 0;
    window.paperhubSearch = {
      meta: function (m) { meta = m; done("meta"); },
      terms: function (n, t) { termChunks[n] = t; done("t/" + n); },
      docs: function (n, d) { docChunks[n] = d; done("d/" + n); }
    };
    function done(key) { (waiting[key] || []).forEach(function (f) { f(); }); delete waiting[key]; }
    function load(key, then) {
      if (loaded[key] === true) return then();
      (waiting[key] = waiting[key] || []).push(then);
      if (loaded[key]) return;
      loaded[key] = "loading";
      var s = document.createElement("script");
      s.src = base + key + ".js";
      s.onload = function () { loaded[key] = true; };
      s.onerror = function () {
        delete loaded[key]; delete waiting[key];
        status.textContent = "The search index could not be loaded.";
      };
      document.head.appendChild(s);
    }
    function loadAll(keys, then) {
      var left = keys.length;
      if (!left) return then();
      keys.forEach(function (k) { load(k, function () { if (--left === 0) then(); }); });
    }
    function esc(s) {
      return String(s).replace(/[&<>"']/g, function (c) {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
      });
    }
    // The same terms as the index (src/render/search.rs): decomposed,
    // without marks, lowercase, split at non-letters, two characters or
    // more, no stop words.
    function words(q) {
      return q.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
        .split(/[^\p{L}\p{N}]+/u).filter(function (w) {
          return Array.from(w).length >= 2 && meta.stop.indexOf(w) === -1;
        });
    }
    // The chunk holding term w: the last whose first term is <= w.
    function chunkOf(w) {
      var c = meta.chunks, lo = 0, hi = c.length - 1;
      if (!c.length || w < c[0]) return -1;
      while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (c[mid] <= w) lo = mid; else hi = mid - 1; }
      return lo;
    }
    // Chunks a prefix can reach (at most three, so short prefixes stay cheap).
    function chunksFor(w, prefix) {
      var first = Math.max(chunkOf(w), 0), out = [first];
      if (prefix) {
        for (var i = first + 1; i < meta.chunks.length && out.length < 3 && meta.chunks[i].indexOf(w) === 0; i++) out.push(i);
      }
      return out;
    }
    // Doc id -> score for one query word: exact matches, plus terms it
    // begins when it is the word being typed.
    // Each term lists at most its best-scored papers; `counts` gets how many
    // it occurs in, so the status can say when the list was cut.
    function postings(w, prefix, counts) {
      var scores = {};
      chunksFor(w, prefix).forEach(function (n) {
        var t = termChunks[n] || {};
        Object.keys(t).forEach(function (term) {
          var exact = term === w;
          if (!exact && !(prefix && term.indexOf(w) === 0)) return;
          counts.push(t[term][0]);
          t[term].slice(1).forEach(function (g) {
            var score = exact ? g[0] : g[0] * 0.7, id = 0;
            for (var i = 1; i < g.length; i++) {
              id += g[i];
              if (!(scores[id] >= score)) scores[id] = score;
            }
          });
        });
      });
      return scores;
    }
    function run() {
      var gen = ++generation;
      if (!input.value.trim()) { results.innerHTML = ""; status.textContent = ""; more.hidden = true; return; }
      load("meta", function () {
        if (gen !== generation) return;
        var ws = words(input.value);
        if (!ws.length || !meta.chunks.length) {
          results.innerHTML = ""; more.hidden = true;
          status.textContent = "0 papers match “" + input.value.trim() + "”.";
          return;
        }
        var keys = [];
        ws.forEach(function (w, i) {
          chunksFor(w, i === ws.length - 1).forEach(function (n) { if (n >= 0) keys.push("t/" + n); });
        });
        loadAll(keys, function () {
          if (gen !== generation) return;
          var total = null, counts = [];
          ws.forEach(function (w, i) {
            var s = postings(w, i === ws.length - 1, counts);
            if (total === null) { total = s; return; }
            var both = {};
            Object.keys(total).forEach(function (id) { if (s[id] !== undefined) both[id] = total[id] + s[id]; });
            total = both;
          });
          var hits = Object.keys(total).map(Number);
          hits.sort(function (a, b) { return total[b] - total[a] || a - b; });
          current = { hits: hits, shown: 0, q: input.value.trim(), gen: gen };
          results.innerHTML = "";
          var all = ws.length === 1 ? counts.reduce(function (a, b) { return a + b; }, 0) : hits.length;
          status.textContent = hits.length + (hits.length === 1 ? " paper matches" : " papers match") + " “" + current.q + "”" +
            (all > hits.length ? " (the best-ranked of " + all.toLocaleString("en") + " mentions)." : ".");
          show();
        });
      });
    }
    function show() {
      var page = current.hits.slice(current.shown, current.shown + PAGE), gen = current.gen;
      var keys = page.map(function (id) { return "d/" + Math.floor(id / meta.docs_per_chunk); });
      loadAll(keys.filter(function (k, i) { return keys.indexOf(k) === i; }), function () {
        if (gen !== generation) return;
        results.insertAdjacentHTML("beforeend", page.map(function (id) {
          var p = docChunks[Math.floor(id / meta.docs_per_chunk)][id % meta.docs_per_chunk];
          return '<li><h2><a href="' + esc(p.u) + '">' + esc(p.t) + "</a></h2>" +
            '<p class="meta">' + esc(p.a.join(", ")) + (p.y ? " (" + p.y + ")" : "") + "</p>" +
            (p.s ? '<p class="pith">' + esc(p.s) + "</p>" : "") + "</li>";
        }).join(""));
        current.shown += page.length;
        more.hidden = current.shown >= current.hits.length;
      });
    }
    // Arrow keys move between the box and the results; Escape goes back.
    function links() { return Array.prototype.slice.call(results.querySelectorAll("a")); }
    form.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && links().length) { e.preventDefault(); links()[0].focus(); }
    });
    results.addEventListener("keydown", function (e) {
      var all = links(), i = all.indexOf(document.activeElement);
      if (i < 0) return;
      if (e.key === "ArrowDown" && i + 1 < all.length) { e.preventDefault(); all[i + 1].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); (i ? all[i - 1] : input).focus(); }
      else if (e.key === "Escape") { e.preventDefault(); input.focus(); }
    });
    more.addEventListener("click", show);
    var timer = null;
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; run(); }
  }

  // Copy buttons: hidden without JS or a clipboard; copy the text (or, for
  // a link, the address) of the element they name.
  function copyButton(button) {
    if (!navigator.clipboard) return;
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) return;
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = target.href || target.textContent;
      navigator.clipboard.writeText(text).then(function () {
        if (status) status.textContent = "Copied.";
        button.setAttribute("data-copied", "");
      }, function () {
        if (status) status.textContent = "Copying failed; select the text instead.";
      });
    });
  }

  document.querySelectorAll("button[data-copy]").forEach(copyButton);
  document.querySelectorAll("form[data-explorer]").forEach(explorer);
  document.querySelectorAll(".downloads").forEach(downloads);
  document.querySelectorAll("form[data-index]").forEach(search);
})();
