// Draw every chart of the page with the page's single copy of Vega.
// Each <figure class="kit-chart"> holds a static SVG (drawn when the handout was built) and
// its spec as JSON; the live chart replaces the SVG once it is drawn. If drawing fails the
// SVG stays, so the reader still sees the chart.
(function () {
  "use strict";
  var options = {
    renderer: "svg",
    actions: { "export": true, source: false, compiled: false, editor: false }
  };
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
      .then(function () {
        if (fallback) { fallback.remove(); }
        figure.classList.add("kit-chart-drawn");
      }, function (error) {
        live.remove();
        figure.classList.add("kit-chart-static");
        console.error("Chart " + figure.id + " could not be drawn, showing the static image: " + error);
      });
  });
  Promise.all(drawn).then(function () {
    window.kitChartsDrawnAt = performance.now();
    document.documentElement.setAttribute("data-kit-charts", "drawn");
  });
})();
