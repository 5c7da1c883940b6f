// "Use it live" blocks: say plainly when this browser cannot run the live tools, or cannot keep
// what is entered in them, instead of letting the tool fail silently after a long wait.
(function () {
  "use strict";
  function problems() {
    var found = [];
    if (typeof WebAssembly !== "object") {
      found.push("this browser cannot run WebAssembly, which the live tool needs to run Python, " +
        "so it will not start here");
    }
    if (!window.isSecureContext || !("serviceWorker" in navigator)) {
      found.push("this page is not served over https (or from this computer), so the browser " +
        "cannot keep what you enter: the tool works, but use Export to keep your work");
    }
    if (!window.indexedDB) {
      found.push("this browser window refuses site storage (a private window, or a setting), so " +
        "nothing is kept when you leave: use Export to keep your work");
    }
    return found;
  }
  function check() {
    var blocks = document.querySelectorAll(".l4l-live");
    if (!blocks.length) { return; }
    var found = problems();
    blocks.forEach(function (block) {
      var note = block.querySelector(".l4l-live-limits");
      if (!note || !found.length) { return; }
      note.textContent = "In this browser: " + found.join("; ") + ". The notebook download " +
        "below works everywhere Python does.";
      note.hidden = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", check);
  } else {
    check();
  }
})();
