// Draw every chart of the page with the page's single copy of Vega (window.kitVega, from
// kit_handout/vega_runtime.js). Each <figure class="kit-chart"> holds a static SVG (drawn when the
// handout was built) in <noscript> and its compiled Vega spec, gzipped in base64. If drawing fails
// the static SVG is shown, so the reader still sees the chart.
// Once drawn, for keyboards and screen readers, each chart gets under it:
// - "Show the values": a button that lists what the chart's tooltips show, for the marks drawn now,
//   in a table; the table follows the chart (sliders, menus, legend, brush);
// - "Save the chart": SVG and PNG links that work from the keyboard;
// - with controls, a polite live region saying what the chart shows now (usermeta.kit.states,
//   written from the data when the page was built, or the controls' values).
(function () {
  "use strict";
  var SHOW = "Show the values", HIDE = "Hide the values";
  var figures = Array.prototype.slice.call(document.querySelectorAll("figure.kit-chart"));
  // One chart at a time, the ones on the first screen first (a reader sees them while the rest are
  // drawn), with a pause between charts so the browser paints each as soon as it is drawn.
  var firstScreen = figures.filter(function (f) { return f.getBoundingClientRect().top < window.innerHeight; });
  var order = firstScreen.concat(figures.filter(function (f) { return firstScreen.indexOf(f) < 0; }));
  var queue = Promise.resolve();
  var drawn = order.map(function (figure) {
    queue = queue.then(function () { return new Promise(function (done) { setTimeout(done, 0); }); })
                 .then(function () { return draw(figure); });
    return queue;
  });
  Promise.all(drawn.slice(0, Math.max(firstScreen.length, 1))).then(function () {
    window.kitFirstChartsDrawnAt = performance.now();   // the first screen's charts (or the first chart) drawn
  });

  function draw(figure) {
    var view = figure.querySelector(".kit-chart-view");
    var fallback = view.querySelector("noscript");
    var live = document.createElement("div");
    live.className = "kit-chart-live vega-embed";
    view.insertBefore(live, view.firstChild);
    return Promise.resolve()
      .then(function () {
        var packed = figure.querySelector("script.kit-chart-spec");
        var text = packed.type === "application/json" ? packed.textContent : window.kitInflate(packed.textContent);
        return Promise.all([window.kitVega, text]);
      })
      .then(function (got) {
        var vega = got[0], spec = JSON.parse(got[1]);
        // as vega-embed lays it out: the chart (a graphics document) and, after it, its controls
        var wrapper = el("div", { "class": "chart-wrapper" }), bindings = el("div", { "class": "vega-bindings" });
        live.appendChild(wrapper);
        live.appendChild(bindings);
        var chart = new vega.View(vega.parse(spec), { renderer: "svg", container: wrapper, bind: bindings,
                                                      hover: true, tooltip: tooltip });
        return chart.runAsync().then(function () { return { view: chart, spec: spec }; });
      })
      .then(function (result) {
        if (fallback) { fallback.remove(); }
        figure.classList.add("kit-chart-drawn");
        figure.kitPaper = ((result.spec.usermeta || {}).kit || {}).paper;
        tools(figure, result);
        liveRegion(figure, result);
      }, function (error) {
        live.remove();
        if (fallback) {  // the static SVG, which the browser kept as text
          var holder = el("div");
          holder.innerHTML = fallback.textContent;
          while (holder.firstChild) { view.insertBefore(holder.firstChild, fallback); }
          fallback.remove();
        }
        figure.classList.add("kit-chart-static");
        console.error("Chart " + figure.id + " could not be drawn, showing the static image: " + error);
      });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) { node.textContent = text; }
    return node;
  }

  function show(value) {
    if (value == null) { return ""; }
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  // a tooltip's value as [label, text] pairs (Vega-Lite writes an object, one entry per field)
  function pairs(value) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return Object.keys(value).map(function (k) { return [k, show(value[k])]; });
    }
    return [["Value", show(value)]];
  }

  // The tooltip for the mouse (what vega-tooltip shows, without it); hidden from screen readers,
  // who get the same values from "Show the values".
  var tip = null;
  function tooltip(handler, event, item, value) {
    if (!tip) {
      tip = el("div", { id: "vg-tooltip-element", "aria-hidden": "true" });
      document.body.appendChild(tip);
    }
    if (value == null || value === "") { tip.classList.remove("visible"); return; }
    var table = el("table"), body = el("tbody");
    pairs(value).forEach(function (p) {
      var row = el("tr");
      row.appendChild(el("th", {}, p[0]));
      row.appendChild(el("td", {}, p[1]));
      body.appendChild(row);
    });
    table.appendChild(body);
    tip.textContent = "";
    tip.appendChild(table);
    tip.classList.add("visible");
    var x = event.clientX + 12, y = event.clientY + 12;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 4) { x = Math.max(4, event.clientX - w - 12); }
    if (y + h > window.innerHeight - 4) { y = Math.max(4, event.clientY - h - 12); }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  // Every tooltip of the marks drawn now (the view's scenegraph), each once, in drawing order.
  function tooltipValues(view) {
    var rows = [], seen = {};
    function mark(m) {
      (m && m.items || []).forEach(function (item) {
        if (item.tooltip != null && item.tooltip !== "") {
          var key = JSON.stringify(item.tooltip);
          if (!seen[key]) { seen[key] = true; rows.push(pairs(item.tooltip)); }
        }
        (item.items || []).forEach(mark);
      });
    }
    mark(view.scenegraph().root);
    return rows;
  }

  function valuesTable(rows, id) {
    var columns = [];
    rows.forEach(function (r) { r.forEach(function (p) { if (columns.indexOf(p[0]) < 0) { columns.push(p[0]); } }); });
    var table = el("table");
    var caption = el("caption", { id: id + "-caption" },
      rows.length ? "The values in the chart as it is drawn now (what its tooltips show): " + rows.length + (rows.length === 1 ? " row." : " rows.")
                  : "The chart shows no values now.");
    table.appendChild(caption);
    var head = el("thead"), tr = el("tr");
    columns.forEach(function (c) { tr.appendChild(el("th", { scope: "col" }, c)); });
    head.appendChild(tr);
    table.appendChild(head);
    var body = el("tbody");
    rows.forEach(function (r) {
      var row = el("tr"), byName = {};
      r.forEach(function (p) { byName[p[0]] = p[1]; });
      columns.forEach(function (c, i) { row.appendChild(el(i === 0 ? "th" : "td", i === 0 ? { scope: "row" } : {}, byName[c] || "")); });
      body.appendChild(row);
    });
    table.appendChild(body);
    return table;
  }

  function tools(figure, result) {
    var view = result.view, id = figure.id;
    var bar = el("div", { "class": "kit-chart-tools" });
    var caption = figure.querySelector("figcaption");
    figure.insertBefore(bar, caption);
    if (JSON.stringify(result.spec.marks || []).indexOf('"tooltip"') >= 0) {
      var button = el("button", { type: "button", "class": "kit-chart-values-button", "aria-expanded": "false",
                                  "aria-controls": id + "-values" }, SHOW);
      var box = el("div", { "class": "kit-chart-values", id: id + "-values", role: "region", tabindex: "0",
                            "aria-labelledby": id + "-values-caption" });
      box.hidden = true;
      bar.appendChild(button);
      figure.insertBefore(box, caption);
      var shown = null, pending = null;
      var refresh = function () {
        pending = null;
        if (box.hidden) { return; }
        var rows = tooltipValues(view), key = JSON.stringify(rows);
        if (key === shown) { return; }
        shown = key;
        box.textContent = "";
        box.appendChild(valuesTable(rows, id + "-values"));
      };
      button.addEventListener("click", function () {
        var open = box.hidden;
        box.hidden = !open;
        button.setAttribute("aria-expanded", String(open));
        button.textContent = open ? HIDE : SHOW;
        shown = null;
        refresh();
      });
      // follow the chart's state: whatever redraws it (a control, the legend, a brush) redraws the list
      var svg = figure.querySelector(".kit-chart-live svg");
      if (svg && window.MutationObserver) {
        new MutationObserver(function () {
          if (!box.hidden && !pending) { pending = setTimeout(refresh, 60); }
        }).observe(svg, { childList: true, subtree: true, attributes: true, characterData: true });
      }
    }
    var save = el("details", { "class": "kit-chart-save" });
    save.appendChild(el("summary", {}, "Save the chart"));
    ["svg", "png"].forEach(function (ext) {
      var link = el("a", { href: "#", download: id + "." + ext }, "as " + ext.toUpperCase());
      link.addEventListener("click", function (event) {
        if (link.getAttribute("data-ready")) { link.removeAttribute("data-ready"); return; }
        event.preventDefault();
        view.toImageURL(ext, ext === "png" ? 2 : 1).then(function (url) {
          link.href = url;
          link.setAttribute("data-ready", "1");
          link.click();
        });
      });
      save.appendChild(link);
    });
    bar.appendChild(save);
  }

  function liveRegion(figure, result) {
    var view = result.view, spec = result.spec || {};
    var bound = (spec.signals || []).filter(function (s) { return s.bind; });
    if (!bound.length) { return; }
    var states = ((spec.usermeta || {}).kit || {}).states || {};
    var region = el("p", { "class": "kit-chart-state", "aria-live": "polite" });
    figure.querySelector("figcaption").appendChild(region);
    function say() {
      var parts = bound.map(function (s) {
        var value = view.signal(s.name), known = states[s.name];
        if (known && known[String(value)]) { return known[String(value)]; }
        var label = String((s.bind && s.bind.name) || s.name).trim();
        var options = (s.bind && s.bind.options) || [], labels = (s.bind && s.bind.labels) || [];
        var i = options.indexOf(value);
        return label + ": " + (i >= 0 && labels[i] ? labels[i] : value) + ".";
      });
      region.textContent = "Shown now: " + parts.join(" ");
    }
    say();
    bound.forEach(function (s) { view.addSignalListener(s.name, say); });
  }

  // On paper a hover, a click or a slider means nothing: when the page is printed, each drawn chart's
  // title lines that hold such a hint (usermeta.kit.paper, from kit.charts.prose.paper_lines) are
  // swapped for their paper wording, and put back afterwards.
  function paperTexts(toPaper) {
    figures.forEach(function (figure) {
      var paper = figure.kitPaper;
      if (!paper) { return; }
      figure.querySelectorAll(".kit-chart-live text, .kit-chart-live tspan").forEach(function (node) {
        if (node.querySelector("tspan")) { return; }
        if (toPaper && Object.prototype.hasOwnProperty.call(paper, node.textContent)) {
          node.setAttribute("data-kit-screen-text", node.textContent);
          node.textContent = paper[node.textContent];
        } else if (!toPaper && node.hasAttribute("data-kit-screen-text")) {
          node.textContent = node.getAttribute("data-kit-screen-text");
          node.removeAttribute("data-kit-screen-text");
        }
      });
    });
  }
  window.addEventListener("beforeprint", function () { paperTexts(true); });
  window.addEventListener("afterprint", function () { paperTexts(false); });
  var printing = window.matchMedia && window.matchMedia("print");   // print previews that fire no beforeprint
  if (printing && printing.addEventListener) {
    printing.addEventListener("change", function (event) { paperTexts(event.matches); });
  }

  Promise.all(drawn).then(function () {
    window.kitChartsDrawnAt = performance.now();
    document.documentElement.setAttribute("data-kit-charts", "drawn");
  });
})();
