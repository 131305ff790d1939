// The kit's offline search (kit/site/search.py builds the index this page embeds).
// window.kitSearch.find(query) -> [{page, heading, anchor, href, text, score}], best first.
(function () {
  "use strict";
  var raw = document.getElementById("kit-search-index");
  var data = JSON.parse(raw.textContent);
  var KIND = {lesson: 3, teacher: 3, glossary: 2, worksheet: 1};
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, " ");
  }
  var sections = data.sections.map(function (s) {
    var page = data.pages[s[0]];
    return {page: page, heading: s[1], anchor: s[2], text: s[3], kind: page[2],
            fh: fold(s[1]), ft: fold(s[3]), ftitle: fold(page[1])};
  });
  function count(hay, needle) {
    var n = 0, i = hay.indexOf(needle);
    while (i >= 0 && n < 5) { n++; i = hay.indexOf(needle, i + needle.length); }
    return n;
  }
  function find(query) {
    var phrase = fold(query).trim().replace(/^["']|["']$/g, "");
    var words = phrase.split(/[^\w'-]+/).filter(function (w) { return w.length > 1 || /\d/.test(w); });
    if (!phrase || !words.length) return [];
    var found = [];
    sections.forEach(function (s, order) {
      var all = s.fh + " " + s.ft + " " + s.ftitle;
      for (var i = 0; i < words.length; i++) if (all.indexOf(words[i]) < 0) return;
      var score = KIND[s.kind] || 0;
      if (s.ft.indexOf(phrase) >= 0) score += 100;
      if (s.fh.indexOf(phrase) >= 0) score += 150;
      words.forEach(function (w) {
        if (s.fh.indexOf(w) >= 0) score += 10;
        score += count(s.ft, w);
      });
      found.push({page: s.page[1], heading: s.heading, anchor: s.anchor, text: s.text, score: score, order: order,
                  href: s.page[0] + "#" + encodeURIComponent(s.anchor).replace(/%2C/gi, ","), words: words, phrase: phrase});
    });
    found.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return found;
  }
  function snippet(r) {
    var text = r.text, low = fold(text);
    var at = low.indexOf(r.phrase);
    if (at < 0) at = Math.max(0, low.indexOf(r.words[0]));
    var from = Math.max(0, at - 80), to = Math.min(text.length, at + 160);
    return (from > 0 ? "\u2026" : "") + text.slice(from, to) + (to < text.length ? "\u2026" : "");
  }
  function highlight(p, text, words) {  // text nodes and <mark>s: nothing from the index is read as HTML
    var low = fold(text), i = 0;
    while (i < text.length) {
      var best = -1, len = 0;
      words.forEach(function (w) { var j = low.indexOf(w, i); if (j >= 0 && (best < 0 || j < best)) { best = j; len = w.length; } });
      if (best < 0 || low.length !== text.length) { p.appendChild(document.createTextNode(text.slice(i))); return; }
      p.appendChild(document.createTextNode(text.slice(i, best)));
      var m = document.createElement("mark");
      m.textContent = text.slice(best, best + len);
      p.appendChild(m);
      i = best + len;
    }
  }
  var LIMIT = 30;
  var list = document.getElementById("kit-results"), status = document.getElementById("kit-search-status");
  var input = document.getElementById("kit-q");
  function show(query) {
    var results = find(query);
    list.textContent = "";
    results.slice(0, LIMIT).forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a"), where = document.createElement("span");
      a.href = r.href;
      a.textContent = r.heading || r.page;
      where.className = "kit-where";
      where.textContent = r.page;
      var p = document.createElement("p");
      highlight(p, snippet(r), r.words);
      li.appendChild(a); li.appendChild(where); li.appendChild(p);
      list.appendChild(li);
    });
    if (!query.trim()) status.textContent = "";
    else if (!results.length) status.textContent = "No section found for \u201c" + query.trim() + "\u201d.";
    else status.textContent = results.length + (results.length === 1 ? " section" : " sections") + " found" +
      (results.length > LIMIT ? ", the first " + LIMIT + " shown" : "") + ". The first: " + (results[0].heading || results[0].page) +
      ", in " + results[0].page + ".";
  }
  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { show(input.value); }, 250); });
  document.getElementById("kit-search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    show(input.value);
    try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (err) { /* file:// may refuse */ }
  });
  var asked = new URLSearchParams(location.search).get("q");
  if (asked) { input.value = asked; show(asked); }
  window.kitSearch = {find: find, show: show};
})();
