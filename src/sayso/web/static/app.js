// Ledger → text: clicking a statement scrolls to its span in the body and flashes it (every
// part of it, for a quote split by its cue: each part's mark carries the statement's data-stmt).
// Kept in a static file: the Content-Security-Policy allows no inline script.
"use strict";

function flash(target) {
  target.scrollIntoView({ behavior: "smooth", block: "center" });
  const id = target.dataset.stmt;
  const marks = id ? document.querySelectorAll(`#body [data-stmt="${CSS.escape(id)}"]`)
                   : [target];
  for (const mark of marks) {
    mark.classList.remove("flash");
    void mark.offsetWidth; // restart the animation when clicked twice
    mark.classList.add("flash");
  }
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a.jump[data-target]");
  if (!link) return;
  const target = document.getElementById(link.dataset.target);
  if (!target) return;
  event.preventDefault();
  history.replaceState(null, "", "#" + link.dataset.target);
  flash(target);
});

window.addEventListener("DOMContentLoaded", () => {
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.classList.contains("stmt")) flash(target);
});
