/* Loaded after require.js and before the ipywidgets HTML manager on pages with widget previews.
   1. Tell require.js where the manager bundle lives, so it finds its icon fonts on this site
      (by default it would look beside the page).
   2. Give slider handles an accessible name taken from the widget's visible label: the static
      preview renders noUiSlider handles without one. */
(function () {
  "use strict";
  var here = document.currentScript.src.replace(/widgets-config\.js(\?.*)?$/, "");
  // Each bundled module takes its public path from its own module URL: map them all into the
  // folder that holds the bundle and its fonts.
  var manager = here + "lib/html-manager/";
  var paths = { "@jupyter-widgets/html-manager/dist": manager.slice(0, -1) };
  ["base", "base7", "controls", "controls7", "html-manager", "output"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = manager + name;
  });
  window.requirejs.config({ paths: paths });

  function labelHandles(root) {
    root.querySelectorAll(".noUi-handle:not([aria-label])").forEach(function (handle) {
      var box = handle.closest(".widget-slider, .jupyter-widget-slider, .widget-hslider");
      var label = box && box.querySelector(".widget-label, label");
      var text = label && label.textContent.trim();
      handle.setAttribute("aria-label", text || "Slider value");
    });
  }
  new MutationObserver(function () {
    labelHandles(document);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
