/* Progressive enhancement only: every page works without this file (and CSP allows only
   scripts from this site, so there is no inline script anywhere).
   On a narrow screen the filter panel starts folded, so the results come first. */
(function () {
  "use strict";
  var box = document.querySelector(".facets-box");
  if (box && window.matchMedia && window.matchMedia("(max-width: 50rem)").matches) {
    box.open = false;
  }
})();
