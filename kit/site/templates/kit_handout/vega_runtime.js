// The page's Vega runtime (kit.site.vega): gzip in base64 in the script element kit-vega-runtime, inflated
// with the browser's DecompressionStream (works from file://). window.kitVega is a promise of window.vega;
// a browser that cannot inflate keeps the static charts. On a page with Altair's own chart code
// (data-kit-runtime="full") vegaEmbed waits for the runtime, which then replaces it with the real one.
(function () {
  "use strict";
  var packed = document.getElementById("kit-vega-runtime");
  function inflate(text) {
    var bytes;
    if (Uint8Array.fromBase64) {
      bytes = Uint8Array.fromBase64(text.trim());
    } else {
      var binary = atob(text.trim());
      bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    }
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  }
  window.kitInflate = inflate;
  window.kitVega = (typeof DecompressionStream === "undefined" || !packed)
    ? Promise.reject(new Error("this browser cannot inflate the charts' code (no DecompressionStream)"))
    : inflate(packed.textContent).then(function (code) {
        performance.mark("kit-vega-inflated");
        var script = document.createElement("script");
        script.textContent = "(function () {\n" + code + "\n}).call(window);";
        document.head.appendChild(script);
        if (!window.vega) { throw new Error("the Vega runtime did not start"); }
        performance.mark("kit-vega-ready");
        return window.vega;
      });
  if (packed && packed.getAttribute("data-kit-runtime") === "full") {
    window.vegaEmbed = function (el, spec, opt) {
      return window.kitVega.then(function () { return window.vegaEmbed(el, spec, opt); });
    };
  }
})();
