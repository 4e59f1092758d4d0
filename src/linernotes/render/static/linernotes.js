/* linernotes atlas: search as you type, sortable tables, the cluster map.
   Plain script (no modules), so pages work when opened from file:// too. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";

  /* ---- sortable tables --------------------------------------------------- */
  var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  var NUMBER = /^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$/;
  var DURATION = /^(?:([\d,]+) h )?(\d+) min$/;

  function cellText(cell) {
    return cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function asNumber(text) {
    if (NUMBER.test(text)) return parseFloat(text.replace(/[,%]/g, ""));
    var m = DURATION.exec(text);
    return m ? Number((m[1] || "0").replace(/,/g, "")) * 60 + Number(m[2]) : null;
  }

  function setUpTable(table) {
    var body = table.tBodies[0];
    if (!table.tHead || !body || body.rows.length < 2) return;
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.dataset.order = i; });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var texts = rows.map(function (row) { return cellText(row.cells[col]); });
      if (!texts.some(Boolean)) return; // covers only: nothing to sort by
      var numeric = texts.every(function (t) { return t === "" || asNumber(t) !== null; });
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      button.title = "Sort by " + cellText(button);
      th.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, th, col, numeric); });
    });
  }

  function sortTable(table, th, col, numeric) {
    var current = th.getAttribute("aria-sort");
    // Names A to Z first; counts biggest first; "#" in its own order first.
    var first = numeric && cellText(th) !== "#" ? "descending" : "ascending";
    var dir = current ? (current === "ascending" ? "descending" : "ascending") : first;
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var sign = dir === "ascending" ? 1 : -1;
    var body = table.tBodies[0];
    var keyed = Array.prototype.map.call(body.rows, function (row) {
      var text = cellText(row.cells[col]);
      return { row: row, text: text, value: numeric ? asNumber(text) : text, order: +row.dataset.order };
    });
    keyed.sort(function (a, b) {
      if ((a.text === "") !== (b.text === "")) return a.text === "" ? 1 : -1; // empty last
      var c = 0;
      if (a.text !== "") c = numeric ? a.value - b.value : collator.compare(a.value, b.value);
      return c !== 0 ? sign * c : a.order - b.order;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (k) { fragment.appendChild(k.row); });
    body.appendChild(fragment);
  }

  /* ---- search -------------------------------------------------------------- */
  var KINDS = { p: "Playlist", g: "Genre", a: "Artist", l: "Label", b: "Album", t: "Track" };
  var BOOST = { p: 1.6, g: 1.4, a: 1.5, l: 1.2, b: 1.1, t: 1 };
  var search = { engine: null, data: null, loading: null, active: -1 };

  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  function loadIndex() {
    if (!search.loading) {
      search.loading = loadScript(root + "assets/minisearch.js")
        .then(function () { return loadScript(root + "assets/search-index.js"); })
        .then(function () {
          var data = window.LINERNOTES_SEARCH;
          var engine = new window.MiniSearch({
            fields: ["n", "d"],
            processTerm: function (term) { return fold(term); },
            searchOptions: {
              prefix: true,
              fuzzy: function (term) { return term.length > 3 ? 0.2 : 0; },
              boost: { n: 4 },
              combineWith: "AND",
              boostDocument: function (id) { return BOOST[data.items[id][0]]; }
            }
          });
          engine.addAll(data.items.map(function (item, id) { return { id: id, n: item[1], d: item[2] }; }));
          search.data = data;
          search.engine = engine;
        });
    }
    return search.loading;
  }

  function textFragment(text) {
    return "#:~:text=" + encodeURIComponent(text).replace(/-/g, "%2D");
  }

  function showResults(input, list) {
    var query = input.value.trim();
    list.textContent = "";
    search.active = -1;
    if (!query) { closeResults(input, list); return; }
    var folded = fold(query);
    var hits = search.engine.search(query).slice(0, 40);
    hits.sort(function (a, b) {
      var ea = fold(search.data.items[a.id][1]) === folded, eb = fold(search.data.items[b.id][1]) === folded;
      return ea === eb ? b.score - a.score : (ea ? -1 : 1);
    });
    hits.slice(0, 12).forEach(function (hit, i) {
      var item = search.data.items[hit.id];
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "search-option-" + i;
      var a = document.createElement("a");
      a.href = root + search.data.pages[item[3]] + (item[0] === "t" || item[0] === "b" ? textFragment(item[1]) : "");
      [["kind", KINDS[item[0]]], ["name", item[1]], ["detail", item[2]]].forEach(function (part) {
        var span = document.createElement("span");
        span.className = part[0];
        span.textContent = part[1];
        a.appendChild(span);
      });
      li.appendChild(a);
      list.appendChild(li);
    });
    if (!hits.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "Nothing found for “" + query + "”";
      list.appendChild(empty);
    }
    list.hidden = false;
    list.setAttribute("data-query", query);
    input.setAttribute("aria-expanded", "true");
  }

  function closeResults(input, list) {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function moveActive(input, list, step) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    if (search.active >= 0) options[search.active].removeAttribute("aria-selected");
    search.active = (search.active + step + options.length) % options.length;
    options[search.active].setAttribute("aria-selected", "true");
    options[search.active].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", options[search.active].id);
  }

  function setUpSearch() {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    if (!input || !list) return;
    var timer = null;
    function run() {
      loadIndex().then(function () { showResults(input, list); }, function () {
        list.innerHTML = '<li class="empty">Search is not available: the index file is missing.</li>';
        list.hidden = false;
      });
    }
    input.addEventListener("focus", function () { loadIndex().catch(function () {}); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 60); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        moveActive(input, list, e.key === "ArrowDown" ? 1 : -1);
      } else if (e.key === "Enter") {
        var chosen = list.querySelector("[aria-selected=true] a") || list.querySelector("a");
        if (chosen) { e.preventDefault(); window.location.href = chosen.href; }
      } else if (e.key === "Escape") {
        closeResults(input, list);
      }
    });
    document.addEventListener("click", function (e) {
      if (!e.target.closest || !e.target.closest(".search")) closeResults(input, list);
    });
    document.addEventListener("keydown", function (e) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (e.key === "/" && !typing) { e.preventDefault(); input.focus(); }
    });
  }

  /* ---- the cluster map -------------------------------------------------------- */
  function setUpMap(figure) {
    var svg = figure.querySelector("svg");
    var tip = figure.querySelector(".map-tip");
    var shown = null, touch = false;

    function show(dot) {
      if (shown) shown.classList.remove("on");
      shown = dot;
      dot.classList.add("on");
      tip.textContent = "";
      if (dot.dataset.c) {
        var img = document.createElement("img");
        img.src = dot.dataset.c;
        img.alt = "";
        tip.appendChild(img);
      }
      var name = document.createElement("strong");
      name.textContent = dot.dataset.t;
      var artists = document.createElement("span");
      artists.textContent = dot.dataset.a;
      tip.appendChild(name);
      tip.appendChild(artists);
      tip.hidden = false;
      var box = figure.getBoundingClientRect(), at = dot.getBoundingClientRect();
      var x = at.right - box.left + 8, y = at.top - box.top - 8;
      if (x + tip.offsetWidth > box.width) x = Math.max(0, at.left - box.left - tip.offsetWidth - 8);
      tip.style.left = x + "px";
      tip.style.top = Math.max(0, y) + "px";
    }

    function hide() {
      if (shown) shown.classList.remove("on");
      shown = null;
      tip.hidden = true;
    }

    svg.addEventListener("pointerdown", function (e) { touch = e.pointerType !== "mouse"; });
    svg.addEventListener("mouseover", function (e) { if (e.target.tagName === "circle") show(e.target); });
    svg.addEventListener("mouseout", function (e) { if (e.target.tagName === "circle") hide(); });
    svg.addEventListener("click", function (e) {
      var dot = e.target;
      if (dot.tagName !== "circle") { hide(); return; }
      // On a touch screen the first tap shows the track, the second goes to it.
      if (touch && shown !== dot) { show(dot); return; }
      jumpTo(dot.dataset.h);
    });
  }

  function jumpTo(id) {
    var target = document.getElementById(id);
    if (!target) return;
    var details = target.closest("details");
    if (details) details.open = true;
    window.location.hash = id;
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("main table"), setUpTable);
    Array.prototype.forEach.call(document.querySelectorAll("figure.cluster-map"), setUpMap);
    setUpSearch();
    if (window.location.hash) {
      var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      var details = target && target.closest("details");
      if (details) { details.open = true; target.scrollIntoView(); }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
