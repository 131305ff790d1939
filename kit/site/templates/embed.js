// Draw every chart of the page with the page's single copy of Vega.
// Each <figure class="kit-chart"> holds a static SVG (drawn when the handout was built) and
// its spec as JSON; the live chart replaces the SVG once it is drawn. If drawing fails the
// SVG stays, so the reader still sees the chart.
// Once drawn (accessible below): the "..." menu gets a name and works from the keyboard, and each
// chart with controls gets a polite live region saying what it shows now (usermeta.kit.states,
// written from the data when the page was built, or the controls' values).
(function () {
  "use strict";
  var options = {
    renderer: "svg",
    actions: { "export": true, source: false, compiled: false, editor: false }
  };
  var MENU = "Save the chart as an image (SVG or PNG)";
  var figures = Array.prototype.slice.call(document.querySelectorAll("figure.kit-chart"));
  var drawn = figures.map(function (figure) {
    var view = figure.querySelector(".kit-chart-view");
    var fallback = figure.querySelector(".kit-chart-fallback");
    var live = document.createElement("div");
    live.className = "kit-chart-live";
    view.insertBefore(live, view.firstChild);
    return Promise.resolve()
      .then(function () {
        var spec = JSON.parse(figure.querySelector("script.kit-chart-spec").textContent);
        var mode = figure.getAttribute("data-kit-mode") || "vega-lite";
        return vegaEmbed(live, spec, Object.assign({ mode: mode }, options));
      })
      .then(function (result) {
        accessible(figure, result);
        if (fallback) { fallback.remove(); }
        figure.classList.add("kit-chart-drawn");
      }, function (error) {
        live.remove();
        figure.classList.add("kit-chart-static");
        console.error("Chart " + figure.id + " could not be drawn, showing the static image: " + error);
      });
  });
  function accessible(figure, result) {
    var view = result.view;
    var summary = figure.querySelector(".vega-embed > details > summary");
    if (summary) {
      summary.parentNode.removeAttribute("title");
      summary.setAttribute("aria-label", MENU);
      summary.setAttribute("title", MENU);
      Array.prototype.forEach.call(summary.parentNode.querySelectorAll("a[download]"), function (link) {
        // vega-embed makes the image on mousedown, which a keyboard never sends: make it on click too
        link.addEventListener("click", function (event) {
          if (link.getAttribute("href") !== "#") { return; }
          event.preventDefault();
          view.toImageURL(link.download.split(".").pop()).then(function (url) { link.href = url; link.click(); });
        });
      });
    }
    var spec = result.spec || {};
    var bound = (spec.signals || []).filter(function (s) { return s.bind; });
    if (!bound.length) { return; }
    var states = ((spec.usermeta || {}).kit || {}).states || {};
    var region = document.createElement("p");
    region.className = "kit-chart-state";
    region.setAttribute("aria-live", "polite");
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

  Promise.all(drawn).then(function () {
    window.kitChartsDrawnAt = performance.now();
    document.documentElement.setAttribute("data-kit-charts", "drawn");
  });
})();
