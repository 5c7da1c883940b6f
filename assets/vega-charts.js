/* Draw every Vega-Lite chart on the page with the book's own copy of Vega (no CDN).
   Each chart is a .l4l-vega element followed by its spec in a JSON script element. */
(function () {
  "use strict";
  // A chart wider than a narrow screen scrolls sideways inside its figure: make that figure
  // reachable with the keyboard (Tab, then the arrow keys), named by its caption.
  function reachableWhenScrolling(figure) {
    if (!figure) return;
    var scrolls = figure.scrollWidth > figure.clientWidth + 1;
    if (scrolls && !figure.hasAttribute("tabindex")) {
      var caption = figure.querySelector("figcaption");
      figure.setAttribute("tabindex", "0");
      figure.setAttribute(
        "aria-label",
        (caption ? caption.textContent.trim() + " " : "") + "(chart, scrolls sideways)"
      );
    } else if (!scrolls && figure.getAttribute("tabindex") === "0") {
      figure.removeAttribute("tabindex");
      figure.removeAttribute("aria-label");
    }
  }
  window.addEventListener("resize", function () {
    document.querySelectorAll(".l4l-chart-drawn").forEach(reachableWhenScrolling);
  });

  function drawAll() {
    if (typeof window.vegaEmbed !== "function") {
      console.warn("vega-embed is not loaded; charts are shown as text descriptions.");
      return;
    }
    document.querySelectorAll(".l4l-vega").forEach(function (el) {
      if (el.dataset.drawn) return;
      var specEl = el.nextElementSibling;
      if (!specEl || !specEl.classList.contains("l4l-vega-spec")) return;
      el.dataset.drawn = "pending";
      var spec = JSON.parse(specEl.textContent);
      window
        .vegaEmbed(el, spec, {
          renderer: "svg",
          // No actions menu: its <summary> has no accessible name and it offers an editor
          // link to another site. The figure caption carries the text description.
          actions: false,
        })
        .then(function () {
          var figure = el.closest(".l4l-chart");
          figure.classList.add("l4l-chart-drawn");
          reachableWhenScrolling(figure);
          el.dataset.drawn = "yes";
        })
        .catch(function (err) {
          el.dataset.drawn = "error";
          console.error("Chart could not be drawn: " + err.message);
        });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
