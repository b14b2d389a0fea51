/* Portail Famille: the little JavaScript the pages use, on top of htmx.
 * Every page works without it; it only makes in-place updates accessible. */
(function () {
  "use strict";

  function focusAndShow(target) {
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }

  /* After htmx swaps a fragment in, move the focus to what must be read next: the error
   * summary if there is one, else the element marked data-focus-after-swap, as the
   * "#anchor" of a full page load would. Both carry tabindex="-1" and a live role. */
  document.addEventListener("htmx:afterSettle", function () {
    var target =
      document.getElementById("resume-erreurs") ||
      document.querySelector("[data-focus-after-swap]");
    if (target) {
      focusAndShow(target);
    }
  });

  /* An action that ends on a new page (an inline edit saved: htmx redirects; a request
   * withdrawn) leaves a message saying what happened: the focus goes there, in view, so
   * that a keyboard or screen-reader user starts from it. A page with errors keeps its
   * own order. */
  window.addEventListener("load", function () {
    var message = document.querySelector("[data-focus-on-load]");
    if (message && !document.getElementById("resume-erreurs")) {
      /* After the browser has scrolled to the URL's #anchor, if any. */
      window.setTimeout(function () {
        focusAndShow(message);
      }, 0);
    }
  });
})();
