/* Accessibility repairs for markup the theme and extensions generate.
   The sidebar's expand/collapse toggles are <summary> elements holding only an icon: give each
   an accessible name from the section it opens. */
(function () {
  "use strict";
  // sphinxcontrib-bibtex marks the bibliography role="list" but its entries
  // role="doc-biblioentry"; a list must hold list items.
  function fixBibliography() {
    document.querySelectorAll('.citation-list[role="list"] > [role="doc-biblioentry"]')
      .forEach(function (entry) {
        entry.setAttribute("role", "listitem");
      });
  }

  function nameToggles() {
    document.querySelectorAll("nav summary").forEach(function (summary) {
      if (summary.textContent.trim() || summary.getAttribute("aria-label")) return;
      var item = summary.closest("li");
      var link = item && item.querySelector(":scope > a");
      var title = link ? link.textContent.trim() : "this section";
      summary.setAttribute("aria-label", "Show or hide the pages under " + title);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", nameToggles);
    document.addEventListener("DOMContentLoaded", fixBibliography);
  } else {
    nameToggles();
    fixBibliography();
  }
})();
