// kit.site.decorate: the lesson list and outline start folded on small screens (open without JavaScript);
// Escape hides a glossary tooltip until the pointer or focus moves to another term.
(function () {
  if (window.matchMedia && window.matchMedia("(max-width: 79.99rem)").matches) {
    document.querySelectorAll("details.kit-fold").forEach(function (d) { d.open = false; });
  }
  var root = document.documentElement;
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") root.classList.add("kit-tips-off"); });
  function again(e) { if (e.target.closest && e.target.closest(".kit-gloss")) root.classList.remove("kit-tips-off"); }
  document.addEventListener("focusin", again);
  document.addEventListener("pointerover", again);
})();
