// paperhub: progressive enhancement only. Every page works without this
// script; with it, the citing-papers explorer gains filters and sorting
// and the search page gains results.
(function () {
  "use strict";

  function explorer(form) {
    var list = document.getElementById(form.getAttribute("data-explorer"));
    if (!list) return;
    var items = Array.prototype.slice.call(list.children);
    // Filter and sort keys come from the item's own text (title, authors).
    function keys(li) {
      if (li.dataset.text == null) {
        var title = li.querySelector(".item-title"), meta = li.querySelector(".authors");
        li.dataset.title = (title ? title.textContent : "").trim().toLowerCase();
        li.dataset.text = li.dataset.title + " " + (meta ? meta.textContent.toLowerCase() : "");
      }
      return li.dataset;
    }
    var status = form.querySelector("output");
    var total = Number(status.getAttribute("data-total")) || items.length;
    var loading = null;

    // A hub cited more often than one page holds lists only its first page;
    // the explorer then fetches every citing paper once, on first use.
    function loadAll(then) {
      var url = list.getAttribute("data-json");
      if (!url) return then();
      if (!loading) {
        status.textContent = "Loading all " + total + " citing papers…";
        loading = fetch(url).then(function (r) { return r.json(); }).then(function (all) {
          list.textContent = "";
          items = all.map(render);
          items.forEach(function (li) { list.appendChild(li); });
          list.removeAttribute("data-json");
        });
      }
      loading.then(then, function () { status.textContent = "Could not load all citing papers."; });
    }

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text != null) e.textContent = text;
      return e;
    }

    function render(p) {
      var li = el("li", "item");
      li.dataset.year = p.year == null ? "" : String(p.year);
      li.dataset.role = p.role || "-";
      li.dataset.polarity = p.polarity || "-";
      li.dataset.cited = String(p.cited_by);
      li.dataset.rank = String(p.rank);
      var h = el("h4", "item-title"), a = el("a", null, p.title);
      a.href = p.href;
      h.appendChild(a);
      li.appendChild(h);
      var meta = [];
      if (p.authors.length) meta.push(p.authors.slice(0, 3).join(", ") + (p.authors.length > 3 ? " et al." : ""));
      if (p.year != null) meta.push(String(p.year));
      if (p.cited_by) meta.push("cited by " + p.cited_by);
      var m = el("p", "item-meta");
      if (p.authors.length) m.appendChild(el("span", "authors", p.authors.slice(0, 3).join(", ") + (p.authors.length > 3 ? " et al." : "")));
      var rest = meta.slice(p.authors.length ? 1 : 0).join(" · ");
      if (rest) m.appendChild(document.createTextNode((p.authors.length ? " " : "") + rest));
      var badges = el("span", "badges");
      [p.role, p.polarity].forEach(function (b, i) {
        if (b) badges.appendChild(el("span", "badge " + (i ? "polarity polarity-" + b : "role"), b));
      });
      m.appendChild(badges);
      li.appendChild(m);
      // Summaries and contexts are HTML that paperhub rendered and sanitised.
      if (p.summary_html) { var s = el("p", "pith"); s.innerHTML = p.summary_html; li.appendChild(s); }
      if (p.context_html) { var c = el("blockquote", "context"); c.innerHTML = p.context_html; li.appendChild(c); }
      return li;
    }

    function apply() {
      var q = form.q.value.trim().toLowerCase();
      var role = form.role.value, polarity = form.polarity.value, year = form.year.value;
      var sort = form.sort.value, shown = 0;
      items.forEach(function (li) {
        var d = keys(li);
        var ok = (!q || d.text.indexOf(q) !== -1) &&
          (!role || d.role === role) && (!polarity || d.polarity === polarity) &&
          (!year || d.year === year);
        li.hidden = !ok;
        if (ok) shown++;
      });
      var num = function (v) { return v === "" ? -Infinity : Number(v); };
      var keyed = items.slice().sort(function (a, b) {
        var x = a.dataset, y = b.dataset;
        if (sort === "new") return num(y.year) - num(x.year) || x.rank - y.rank;
        if (sort === "old") return num(x.year) - num(y.year) || x.rank - y.rank;
        if (sort === "cited") return y.cited - x.cited || x.rank - y.rank;
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

  function search(form) {
    var input = form.q, results = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var index = null;
    function esc(s) {
      return String(s).replace(/[&<>"']/g, function (c) {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
      });
    }
    function run() {
      var q = input.value.trim().toLowerCase();
      var words = q.split(/\s+/).filter(Boolean);
      if (!words.length) { results.innerHTML = ""; status.textContent = ""; return; }
      var hits = [];
      index.forEach(function (p) {
        var title = p.t.toLowerCase(), rest = (p.a.join(" ") + " " + p.s + " " + p.k.join(" ")).toLowerCase();
        var score = 0;
        for (var i = 0; i < words.length; i++) {
          var w = words[i];
          if (title.indexOf(w) !== -1) score += 3; else if (rest.indexOf(w) !== -1) score += 1; else return;
        }
        hits.push([score, p]);
      });
      hits.sort(function (a, b) { return b[0] - a[0] || (b[1].y || 0) - (a[1].y || 0); });
      status.textContent = hits.length + (hits.length === 1 ? " paper matches" : " papers match") + " “" + q + "”.";
      results.innerHTML = hits.slice(0, 100).map(function (h) {
        var p = h[1];
        return '<li class="item"><h2 class="item-title"><a href="' + esc(p.u) + '">' + esc(p.t) + "</a></h2>" +
          '<p class="item-meta">' + esc(p.a.slice(0, 3).join(", ")) + (p.a.length > 3 ? " et al." : "") +
          (p.y ? " " + p.y : "") + "</p>" + (p.s ? '<p class="pith">' + esc(p.s) + "</p>" : "") + "</li>";
      }).join("");
    }
    function load(then) {
      if (index) return then();
      fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); })
        .then(function (data) { index = data; then(); })
        .catch(function () { status.textContent = "The search index could not be loaded."; });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); load(run); });
    input.addEventListener("input", function () { load(run); });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; load(run); }
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
  document.querySelectorAll("form[data-index]").forEach(search);
})();
