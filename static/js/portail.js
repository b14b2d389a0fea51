/* Portail Famille: the little JavaScript the pages use, on top of htmx.
 * Every page works without it; it only makes in-place updates accessible. */
(function () {
  "use strict";

  /* After htmx swaps a fragment in, move the focus to what must be read next: the error
   * summary if there is one, else the element marked data-focus-after-swap, as the
   * "#anchor" of a full page load would. Both carry tabindex="-1" and a live role. */
  document.addEventListener("htmx:afterSettle", function () {
    var target =
      document.getElementById("resume-erreurs") ||
      document.querySelector("[data-focus-after-swap]");
    if (target) {
      target.focus();
    }
  });
})();
