// The preview's own behaviour (issue 6): a note opens in place, beside its reference, instead
// of sending the reader to the notes page. The notes are in the page as popovers.
"use strict";
document.addEventListener("click", (event) => {
  const ref = event.target.closest("a.noteref");
  const note = ref && document.getElementById("preview-" + ref.hash.slice(1));
  if (!note) return;
  event.preventDefault();
  note.showPopover();
  const box = ref.getBoundingClientRect();
  const width = note.offsetWidth;
  note.style.left = `${Math.max(8, Math.min(box.left - width / 2, innerWidth - width - 8))}px`;
  note.style.top = `${box.bottom + 6}px`;
});

// Index marks, invisible in the e-book, are shown on demand; the choice outlives live updates.
const INDEX_MARKS = "preview-show-ix";
function showIndexMarks(on) {
  document.documentElement.classList.toggle(INDEX_MARKS, on);
  for (const button of document.querySelectorAll('[data-preview-toggle="ix"]')) {
    button.setAttribute("aria-pressed", String(on));
  }
  sessionStorage.setItem(INDEX_MARKS, on ? "1" : "");
}
document.addEventListener("click", (event) => {
  if (event.target.closest('[data-preview-toggle="ix"]')) {
    showIndexMarks(!document.documentElement.classList.contains(INDEX_MARKS));
  }
});
document.addEventListener("preview:updated", () => showIndexMarks(Boolean(sessionStorage.getItem(INDEX_MARKS))));
showIndexMarks(Boolean(sessionStorage.getItem(INDEX_MARKS)));
